#include "app/figure_renderer.h"

#include <QCoreApplication>
#include <QEvent>

#include "engine/core/error.h"
#include "ui/kinds/han/han_extension.h"
#include "ui/panels/panel.h"

namespace attnviz::cli {

namespace {

std::string kindOf(const ui::ModelPtr& model) { return model->info().identity.kind; }

// "--layer" or "--head" against its count in the model: "is 7, but tiny-encoder has 2 layers: give 0 to 1".
void checkIndex(const std::optional<int>& value, const char* option, std::int64_t count, const char* what,
                const std::string& model) {
  if (!value || *value < count) return;
  throw UsageError(option, "is " + std::to_string(*value) + ", but " + model + " has " + std::to_string(count) + " " +
                               what + ": give 0 to " + std::to_string(count - 1) + " (0-based)");
}

}  // namespace

FigureRenderer::FigureRenderer(ui::ModelPtr model, const CliCommand& c)
    : view_(figureView(kindOf(model), c.view, "--view")),
      settings_{c.head.has_value(), c.rollout, c.discardRatio, c.headKnockout.value_or(KnockoutMode::OneHead), c.removal},
      layer_(c.layer),
      head_(c.head) {
  const std::string kind = kindOf(model);
  const std::string where = "the " + view_.name + " view of a " + kind + " model";
  if ((layer_ || head_) && !view_.layered)
    throw UsageError(layer_ ? "--layer" : "--head",
                     where + " shows no single layer and head (they apply to encoder and vit models)");
  if (c.rollout != RolloutFusion::None && !view_.takesRollout)
    throw UsageError("--rollout", where + " shows no rollout (the heatmap and patches views of encoder and vit models do)");

  workspace_.extension<ui::HanExtension>().setAutoOcclusion(false);  // han: no leave-one-out scoring in the background
  workspace_.addModel(model, QString::fromStdString(model->info().path));  // no input yet: nothing runs
  panel_ = createFigurePanel(kind, view_);
  panel_->setWorkspace(&workspace_);
  workspace_.setRolloutDiscard(c.discardRatio);
  workspace_.setRolloutFusion(c.rollout);  // the heatmap switches to its rollout map
  // After addModel: opening a model resets the Selection (to a coreference model's own head, if it has one).
  if (layer_) workspace_.selection().setLayer(*layer_);
  if (head_) workspace_.selection().setHead(*head_);
}

FigureRenderer::~FigureRenderer() = default;

void FigureRenderer::checkLayerHead(const Trace& trace) const {
  const auto self = trace.attention.find("self");  // [layers, heads, N, N]
  if (self == trace.attention.end() || self->second.rank() != 4) return;
  checkIndex(layer_, "--layer", self->second.dim(0), "layers", trace.model.name);
  checkIndex(head_, "--head", self->second.dim(1), "heads per layer", trace.model.name);
}

void FigureRenderer::show(ui::TracePtr trace) {
  checkLayerHead(*trace);
  // What the last figure posted (layout requests, deferred deletes) is handled as an event loop would, so nothing
  // piles up over a thousand inputs.
  QCoreApplication::sendPostedEvents();
  QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
  workspace_.showTrace(std::move(trace));
  if (view_.prepare) view_.prepare(*panel_, settings_);
}

// A figure with the default figure style, as the export dialog's "As on screen": text at the screen's sizes, labels
// that shrink to 5 pt before they thin, no selection highlight.
void FigureRenderer::paint(QPainter& painter, const QRectF& rect) const {
  ui::paintFigureWithStyle(*panel_, painter, rect, ui::FigureStyle{});
}

QString FigureRenderer::note(const ui::FigureOptions& options) const {
  return panel_->figureNote(options.size.isEmpty() ? panel_->figureSize() : options.size, ui::FigureStyle{});
}

ui::FigureOptions FigureRenderer::completed(ui::FigureOptions options, const std::string& origin) const {
  if (options.size.isEmpty()) options.size = panel_->figureSize();
  options.title = panel_->panelTitle() + QStringLiteral(": ") + QString::fromStdString(origin);
  return options;
}

ui::SaveResult FigureRenderer::write(const QString& path, ui::FigureOptions options, const std::string& origin) const {
  return ui::exportFigure(path, completed(options, origin), [this](QPainter& p, const QRectF& r) { paint(p, r); });
}

QImage FigureRenderer::image(ui::FigureOptions options, QString* error) const {
  return ui::figureImage(completed(options, {}), [this](QPainter& p, const QRectF& r) { paint(p, r); }, error);
}

}  // namespace attnviz::cli
