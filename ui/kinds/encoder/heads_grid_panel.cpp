#include "ui/kinds/encoder/heads_grid_panel.h"

#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QVBoxLayout>

#include "ui/kinds/encoder/coreference_pointer.h"
#include "ui/panels/tool_tip_event.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {

HeadsGridPanel::HeadsGridPanel(QWidget* parent) : Panel(parent) {
  setObjectName(QStringLiteral("headsGridPanel"));
  canvas_ = new HeadsGridCanvas(this, this);
  canvas_->setObjectName(QStringLiteral("headsGridCanvas"));
  placeholder_ = placeholderLabel(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(canvas_, 1);
  layout->addWidget(placeholder_, 1);
  onTraceChanged();
}

void HeadsGridPanel::attach() {
  if (workspace_) {
    listen(workspace_, &Workspace::shownTraceChanged, this, &HeadsGridPanel::onTraceChanged);
    listen(workspace_, &Workspace::currentModelChanged, this, &HeadsGridPanel::onTraceChanged);
    listen(&workspace_->selection(), &Selection::layerHeadChanged, this, &HeadsGridPanel::onLayerHeadChanged);
  }
  onTraceChanged();
}

void HeadsGridPanel::onTraceChanged() { refresh_.request(); }

void HeadsGridPanel::refreshNow() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  if (trace != thumbnailsOf_ || builds_ == 0) {
    const EncoderAttention a = trace ? EncoderAttention::fromTrace(*trace) : EncoderAttention{};
    data_.layers = a.layers;
    data_.heads = a.heads;
    data_.thumbnails = HeadsGridPainter::thumbnails(a);
    data_.scaled.clear();
    data_.scaledSide = 0;
    entropies_ = headEntropies(a);
    data_.title = a.empty() ? QString()
                            : tr("All %1 heads · %2 layers × %3 heads · rows: query, columns: key · each map scaled to its maximum")
                                  .arg(a.layers * a.heads).arg(a.layers).arg(a.heads);
    thumbnailsOf_ = trace;
    ++builds_;
  }
  data_.coreference = workspace_ && workspace_->currentModel() ? coreferenceHeadOf(workspace_->currentModel()->info()) : LayerHead{};
  if (workspace_) data_.current = {workspace_->selection().layer(), workspace_->selection().head()};
  QString why;
  if (!workspace_ || !workspace_->currentModel()) why = tr("Open an encoder model (File ▸ Open model…).");
  else if (!trace) why = workspace_->isRunning() ? tr("Running…") : tr("Type a sentence above to see every head.");
  else if (data_.empty()) why = tr("This trace has no self-attention [layers, heads, tokens, tokens].");
  canvas_->setVisible(why.isEmpty());
  placeholder_->setText(why);
  placeholder_->setVisible(!why.isEmpty());
  canvas_->updateGeometry();
  canvas_->update();
}

void HeadsGridPanel::prepareScaled(const QRectF& rect) {
  const int side = HeadsGridPainter::screenSide(HeadsGridPainter::layout(rect, data_));
  if (data_.empty() || side <= 0 || (side == data_.scaledSide && data_.scaled.size() == data_.thumbnails.size())) return;
  data_.scaled = HeadsGridPainter::scaledThumbnails(data_.thumbnails, side);
  data_.scaledSide = side;
}

void HeadsGridPanel::onLayerHeadChanged(int layer, int head) {
  data_.current = {layer, head};
  canvas_->update();
}

QPointF HeadsGridPanel::thumbnailCenter(int layer, int head) const {
  return HeadsGridPainter::cellRect(HeadsGridPainter::layout(QRectF(canvas_->rect()), data()), layer, head).center();
}

QString HeadsGridPanel::toolTipAt(const QPointF& pos) const {
  const LayerHead lh = HeadsGridPainter::hit(HeadsGridPainter::layout(QRectF(canvas_->rect()), data_), pos);
  if (!lh.valid()) return {};
  QString text = tr("layer %1, head %2").arg(lh.layer + 1).arg(lh.head + 1);
  const std::size_t i = static_cast<std::size_t>(lh.layer) * data_.heads + lh.head;
  if (i < entropies_.size()) text += tr("\nmean attention entropy %1 bits").arg(entropies_[i], 0, 'f', 2);
  if (lh.layer == data_.coreference.layer && lh.head == data_.coreference.head && workspace_ && workspace_->currentModel())
    text += tr("\ncoreference head: %1").arg(coreferenceHeadNote(workspace_->currentModel()->info()));
  return text + tr("\nclick to show this head in every panel");
}

void HeadsGridPanel::clickAt(const QPointF& pos) {
  const LayerHead lh = HeadsGridPainter::hit(HeadsGridPainter::layout(QRectF(canvas_->rect()), data_), pos);
  if (lh.valid() && workspace_) workspace_->selection().setLayerHead(lh.layer, lh.head);
}

void HeadsGridPanel::paintFigure(QPainter& painter, const QRectF& rect) const { HeadsGridPainter::paint(painter, rect, data()); }

FigureFeatures HeadsGridPanel::figureFeatures() const { return kTextFigureFeatures; }

void HeadsGridPanel::paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& figure) const {
  HeadsGridStyle style;
  figure.applyText(style);
  style.showCurrent = figure.showSelection;
  HeadsGridData d = data();
  d.title = figure.titleFor(d.title);
  HeadsGridPainter::paint(painter, rect, d, style);
}

QSizeF HeadsGridPanel::figureSize() const {
  refresh_.flush();
  if (canvas_->isVisible() && canvas_->width() > 0 && canvas_->height() > 0) return QSizeF(canvas_->size());
  return HeadsGridPainter::naturalSize(data_);
}

}  // namespace attnviz::ui
