// FigureRenderer: figures of traces without a window. A Workspace of its own holds the model and shows one trace at
// a time in the panel of the chosen view (figure_views.h), set up as the command line asks (layer, head, rollout);
// the figure is that panel's paintFigure, the GUI's own drawing, written by ui/export/figure_export.h (atomically).
// Needs a QApplication (panels are widgets); nothing is shown.
//
//   FigureRenderer r(model, command);                  // UsageError: a view or option the model's kind lacks
//   r.show(trace);                                     // UsageError: --layer/--head outside the model's range
//   ui::SaveResult s = r.write("out/cv001.svg", options, "reviews/cv001.txt");
//   QImage png = r.image(options, &error);             // PNG pixels; encoded elsewhere by ui::exportPngImage
#pragma once

#include <QImage>
#include <QString>
#include <memory>
#include <optional>

#include "app/cli_args.h"
#include "app/figure_views.h"
#include "ui/export/figure_export.h"
#include "ui/document/model_ptr.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
class Panel;
}

namespace attnviz::cli {

class FigureRenderer {
 public:
  FigureRenderer(ui::ModelPtr model, const CliCommand& command);
  ~FigureRenderer();

  const FigureView& view() const { return view_; }
  // Shows `trace` in the panel (the previous one is let go: memory stays flat over any number of inputs).
  void show(ui::TracePtr trace);
  // The shown trace's figure. options.size empty: the panel's own figure size. `origin` goes into the title.
  ui::SaveResult write(const QString& path, ui::FigureOptions options, const std::string& origin) const;
  // The same as PNG pixels, to be encoded and written elsewhere (ui::exportPngImage); null and *error set on failure.
  QImage image(ui::FigureOptions options, QString* error) const;
  // What the shown trace's figure leaves out ("10 of 60 row labels shown: ..."), empty when nothing.
  QString note(const ui::FigureOptions& options) const;

 private:
  void checkLayerHead(const Trace& trace) const;
  void paint(QPainter& painter, const QRectF& rect) const;
  ui::FigureOptions completed(ui::FigureOptions options, const std::string& origin) const;

  ui::Workspace workspace_;  // declared before panel_: the panel is destroyed first
  FigureView view_;
  FigureViewSettings settings_;
  std::optional<int> layer_;
  std::optional<int> head_;
  std::unique_ptr<ui::Panel> panel_;
};

}  // namespace attnviz::cli
