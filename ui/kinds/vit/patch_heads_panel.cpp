#include "ui/kinds/vit/patch_heads_panel.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/kinds/vit/patch_maps.h"
#include "ui/kinds/vit/trace_image.h"
#include "ui/kinds/vit/vit_extension.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

constexpr double kMargin = 6.0;
constexpr double kGap = 6.0;
const QSizeF kNaturalFigure(320, 340);

double lineHeight() { return QFontMetricsF(QFont()).height() * 1.3; }

int lineCount(const QString& text) { return static_cast<int>(text.count(QLatin1Char('\n'))) + 1; }

}  // namespace

std::vector<QRectF> headThumbnailCells(const QRectF& rect, int count, int titleLines) {
  std::vector<QRectF> cells;
  if (count <= 0) return cells;
  const QRectF area = rect.adjusted(kMargin, kMargin + titleLines * lineHeight(), -kMargin, -kMargin);
  // The column count that gives the largest square thumbnails (each with a label line under it).
  int bestCols = 1;
  double bestSide = 0;
  for (int cols = 1; cols <= count; ++cols) {
    const int rows = (count + cols - 1) / cols;
    const double side = std::min((area.width() - (cols - 1) * kGap) / cols, (area.height() - rows * (lineHeight() + kGap)) / rows);
    if (side > bestSide) {
      bestSide = side;
      bestCols = cols;
    }
  }
  const double side = std::max(1.0, bestSide);
  for (int h = 0; h < count; ++h) {
    const int r = h / bestCols, c = h % bestCols;
    cells.emplace_back(area.left() + c * (side + kGap), area.top() + r * (side + lineHeight() + kGap), side, side);
  }
  return cells;
}

void paintHeadThumbnails(QPainter& painter, const QRectF& rect, const QImage& image, const std::vector<PatchOverlay>& heads,
                         const PatchStyle& style, int shown, const QString& title) {
  painter.save();
  painter.fillRect(rect, Qt::white);
  painter.setPen(Qt::black);
  const int lines = lineCount(title);
  painter.drawText(QRectF(rect.left() + kMargin, rect.top() + kMargin, rect.width() - 2 * kMargin, lines * lineHeight()),
                   Qt::AlignLeft | Qt::AlignVCenter, title);
  const std::vector<QRectF> cells = headThumbnailCells(rect, static_cast<int>(heads.size()), lines);
  PatchStyle thumb = style;
  thumb.grid = false;  // too fine at this size
  for (std::size_t h = 0; h < cells.size(); ++h) {
    const QRectF fitted = QRectF(QPointF(), QSizeF(image.isNull() ? QSize(1, 1) : image.size()).scaled(cells[h].size(), Qt::KeepAspectRatio))
                              .translated(cells[h].topLeft());
    paintPatchImage(painter, fitted, image, heads[h], thumb);
    painter.setPen(Qt::black);
    painter.drawText(QRectF(cells[h].left(), cells[h].bottom(), cells[h].width(), lineHeight()), Qt::AlignCenter,
                     QObject::tr("head %1").arg(h + 1));
    if (static_cast<int>(h) == shown) {
      painter.setBrush(Qt::NoBrush);
      painter.setPen(QPen(QColor(220, 30, 30), 3));
      painter.drawRect(fitted.adjusted(-2, -2, 2, 2));
    }
  }
  painter.restore();
}

PatchHeadsPanel::PatchHeadsPanel(QWidget* parent) : Panel(parent) {
  setMinimumSize(160, 160);
  setCursor(Qt::PointingHandCursor);
  setToolTip(tr("Each head of the layer for the focused query; click one to show it everywhere"));
}

void PatchHeadsPanel::attach() {
  if (workspace_) {
    listen(workspace_, &Workspace::shownTraceChanged, this, &PatchHeadsPanel::refresh);
    listen(&workspace_->selection(), &Selection::cellChanged, this, &PatchHeadsPanel::refresh);
    listen(&workspace_->selection(), &Selection::layerHeadChanged, this, &PatchHeadsPanel::refresh);
    listen(&workspace_->extension<VitExtension>(), &VitExtension::shownMapChanged, this, &PatchHeadsPanel::refresh);
  }
  refresh();
}

void PatchHeadsPanel::refresh() {
  heads_.clear();
  title_.clear();
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const QString path = trace ? QString::fromStdString(trace->input) : QString();
  if (path != imagePath_) {
    imagePath_ = path;
    image_ = traceImage(path.toStdString());
  }
  const attnviz::Tensor* self = trace ? selfAttention(*trace) : nullptr;
  const std::optional<PatchGrid> grid = trace ? patchGrid(trace->sourceTokens) : std::nullopt;
  if (self && grid && self->dim(2) == static_cast<std::int64_t>(trace->sourceTokens.size())) {
    const int tokens = static_cast<int>(self->dim(2));
    // The Patches tab's query when it shows one (flow is always from [CLS]), else the Selection's row.
    const VitExtension::ShownMap& shown = workspace_->extension<VitExtension>().shownMap();
    const int row = shown.query >= 0 ? shown.query : workspace_->selection().row();
    const int query = row >= 0 && row < tokens ? row : 0;
    const int layer = std::clamp(workspace_->selection().layer(), 0, static_cast<int>(self->dim(0)) - 1);
    for (int h = 0; h < self->dim(1); ++h) heads_.push_back(headRow(*self, *grid, layer, h, query, {}));
    title_ = tr("%1 → patches · layer %2 · each head").arg(QString::fromStdString(trace->sourceTokens[static_cast<std::size_t>(query)])).arg(layer + 1);
    if (!shown.method.isEmpty() && !shown.perHead)  // the thumbnails cannot show that method: say what they show
      title_ += tr("'s attention\n(Patches shows %1, which has no per-head form)").arg(shown.method);
  }
  update();
}

void PatchHeadsPanel::paintFigure(QPainter& painter, const QRectF& rect) const {
  paintHeadThumbnails(painter, rect, image_, heads_, PatchStyle{}, workspace_ ? workspace_->selection().head() : -1, title_);
}

QSizeF PatchHeadsPanel::figureSize() const { return size().isEmpty() ? kNaturalFigure : QSizeF(size()); }

QPointF PatchHeadsPanel::thumbnailCentre(int head) const {
  const std::vector<QRectF> cells = headThumbnailCells(QRectF(rect()), static_cast<int>(heads_.size()), lineCount(title_));
  return head >= 0 && head < static_cast<int>(cells.size()) ? cells[static_cast<std::size_t>(head)].center() : QPointF();
}

void PatchHeadsPanel::paintEvent(QPaintEvent*) {
  QPainter p(this);
  paintFigure(p, QRectF(rect()));
}

void PatchHeadsPanel::mousePressEvent(QMouseEvent* event) {
  if (!workspace_ || event->button() != Qt::LeftButton) return;
  const std::vector<QRectF> cells = headThumbnailCells(QRectF(rect()), static_cast<int>(heads_.size()), lineCount(title_));
  for (std::size_t h = 0; h < cells.size(); ++h) {
    if (cells[h].contains(event->position())) workspace_->selection().setHead(static_cast<int>(h));
  }
}

}  // namespace attnviz::ui
