// MainWindow's figure and data export: file names, the export dialogs, figures and data of a panel or of the whole
// tab, copying a figure to the clipboard; failures go to the message bar under one key (main_window.h).
#include "ui/shell/main_window.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMimeData>
#include <QPainter>
#include <QRegularExpression>
#include <QStatusBar>
#include <algorithm>

#include "engine/ops/cpu_capabilities.h"
#include "ui/document/workspace.h"
#include "ui/export/confirm_replace.h"
#include "ui/export/data_export.h"
#include "ui/export/export_dialog.h"
#include "ui/export/layout_figure.h"
#include "ui/kinds/kind_ui.h"
#include "ui/panels/panel_area.h"
#include "ui/shell/editor_token_link.h"
#include "ui/shell/help_pages.h"
#include "ui/shell/limits_dialog.h"
#include "ui/shell/message_bar.h"
#include "ui/shell/models_dock.h"
#include "ui/shell/notes_dock.h"
#include "ui/shell/recent_files.h"
#include "ui/shell/session_controller.h"

namespace attnviz::ui {

namespace {

const char* const kExportKey = "export";  // the message bar's key for export failures

}  // namespace

QString MainWindow::suggestedFileName(const QString& suffix) const {
  const auto model = workspace_->currentModel();
  QString base = model ? QString::fromStdString(model->info().identity.name) : QStringLiteral("attnviz");
  // The name says what was run: the image's file name for image models, else the first words of the text.
  const bool image = model && model->kind().can.image;
  const QString words = image ? QFileInfo(workspace_->imagePath()).completeBaseName()
                              : workspace_->inputText().simplified().section(QLatin1Char(' '), 0, 3);
  if (!words.isEmpty()) base += QLatin1Char('-') + words;
  base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("-"));
  return QDir(lastDir_).filePath(base + QLatin1Char('.') + suffix);
}

void MainWindow::reportExport(const SaveResult& result, const QString& path) {
  if (result) {
    messageBar_->clearMessage(QLatin1String(kExportKey));
    const QString previous = workspace_->showsPreviousResult() ? tr(" — the previous result: the last run failed") : QString();
    statusBar()->showMessage(tr("Saved %1%2").arg(QDir::toNativeSeparators(path), previous), 5000);
  } else {
    messageBar_->showMessage(QLatin1String(kExportKey), MessageBar::Error, result.error);
  }
}

SaveResult MainWindow::exportFigureTo(const QString& path, const FigureOptions& options, int panelIndex,
                                      const std::optional<FigureStyle>& style) {
  SaveResult r;
  if (Panel* panel = panelAt(panelIndex)) {
    FigureOptions o = options;
    if (o.title.isEmpty()) o.title = panel->panelTitle();
    r = exportFigure(path, o, [panel, &style](QPainter& p, const QRectF& rect) {
      if (style) paintFigureWithStyle(*panel, p, rect, *style);
      else panel->paintFigure(p, rect);
    });
  } else {
    r = {false, tr("Could not write %1: there is no panel to export").arg(path)};
  }
  reportExport(r, path);
  return r;
}

SaveResult MainWindow::exportDataTo(const QString& path, int panelIndex) {
  SaveResult r;
  const QString suffix = QFileInfo(path).suffix().toLower();
  const TracePtr trace = workspace_->trace();
  const Panel* own = panelAt(panelIndex);
  const QByteArray ownData = own ? own->exportData(suffix) : QByteArray();
  if (!ownData.isEmpty()) {
    r = writeBytes(path, ownData);  // the panel's own data, e.g. a whole comparison
  } else if (suffix == QLatin1String("tex")) {
    r = {false, tr("Could not write %1: only the Saliency tab of a han model with a document gives a LaTeX snippet").arg(path)};
  } else if (suffix == QLatin1String("csv")) {
    const Panel* panel = panelAt(panelIndex);
    const auto matrix = panel ? panel->shownMatrix() : std::nullopt;
    r = matrix ? writeMatrixCsv(path, *matrix) : SaveResult{false, tr("Could not write %1: no matrix is shown").arg(path)};
  } else if (!trace) {
    r = {false, tr("Could not write %1: there is no trace yet (open a model and type a sentence)").arg(path)};
  } else {
    // What was derived from the trace (the shown rollout, flow, occlusion) belongs in the file too, as `attnviz run
    // --rollout/--flow/--occlusion` writes it.
    r = writeTraceJson(path, workspace_->traceWithDerivedResults());
  }
  reportExport(r, path);
  return r;
}

void MainWindow::exportFigureDialog() {
  const auto& panels = panelArea_->panels();
  if (panels.empty()) return;
  const std::vector<const Panel*> shown(panels.begin(), panels.end());
  ExportDialog dialog(shown, panelArea_->currentPanelIndex(), suggestedFileName(QStringLiteral("png")), this);
  if (dialog.exec() != QDialog::Accepted) return;
  lastDir_ = QFileInfo(dialog.path()).absolutePath();
  exportFigureTo(dialog.path(), dialog.options(), dialog.panelIndex(), dialog.style());
}

SaveResult MainWindow::exportLayoutFigureTo(const QString& path, const FigureOptions& options) {
  const LayoutFigure figure = LayoutFigure::ofPage(panelArea_->tabs()->currentWidget(), panelArea_->panels());
  SaveResult r;
  if (figure.empty()) {
    r = {false, tr("Could not write %1: no panel of the current tab is on screen").arg(path)};
  } else {
    FigureOptions o = options;
    if (o.title.isEmpty()) o.title = panelArea_->tabs()->tabText(panelArea_->tabs()->currentIndex()).remove(QLatin1Char('&'));
    r = exportFigure(path, o, [&figure](QPainter& p, const QRectF& rect) { figure.paint(p, rect); });
  }
  reportExport(r, path);
  return r;
}

void MainWindow::exportLayoutFigureDialog() {
  const QWidget* page = panelArea_->tabs()->currentWidget();
  if (!page) return;
  const QString tab = panelArea_->tabs()->tabText(panelArea_->tabs()->currentIndex()).remove(QLatin1Char('&'));
  ExportDialog dialog({tr("All panels of the “%1” tab").arg(tab)}, QSizeF(page->size()), suggestedFileName(QStringLiteral("png")), this);
  if (dialog.exec() != QDialog::Accepted) return;
  lastDir_ = QFileInfo(dialog.path()).absolutePath();
  exportLayoutFigureTo(dialog.path(), dialog.options());
}

bool MainWindow::copyFigure(int panelIndex) {
  const auto& panels = panelArea_->panels();
  if (panels.empty()) return false;
  if (panelIndex < 0) panelIndex = panelArea_->currentPanelIndex();
  const Panel* panel = panels[static_cast<std::size_t>(std::clamp(panelIndex, 0, static_cast<int>(panels.size()) - 1))];
  const FigurePainter paint = [panel](QPainter& p, const QRectF& rect) { panel->paintFigure(p, rect); };
  FigureOptions o{FigureFormat::Png, panel->figureSize(), 192, panel->panelTitle()};  // 2x: crisp when pasted
  QString error;
  const QByteArray png = figureBytes(o, paint, &error);
  o.format = FigureFormat::Svg;
  const QByteArray svg = png.isEmpty() ? QByteArray() : figureBytes(o, paint, &error);
  if (png.isEmpty() || svg.isEmpty()) {
    messageBar_->showMessage(QLatin1String(kExportKey), MessageBar::Error, tr("Could not copy the figure — %1").arg(error));
    return false;
  }
  auto* mime = new QMimeData;
  mime->setImageData(QImage::fromData(png, "PNG"));
  mime->setData(QStringLiteral("image/png"), png);
  mime->setData(QStringLiteral("image/svg+xml"), svg);
  QApplication::clipboard()->setMimeData(mime);
  messageBar_->clearMessage(QLatin1String(kExportKey));
  statusBar()->showMessage(tr("Copied “%1” to the clipboard (PNG and SVG)").arg(panel->panelTitle()), 4000);
  return true;
}

void MainWindow::exportDataDialog() {
  const QString csv = tr("CSV of the shown matrix (*.csv)");
  const QString json = tr("JSON trace, one object (*.json)");
  const QString tex = tr("LaTeX snippet of the saliency view (*.tex)");
  const Panel* current = panelAt(panelArea_->currentPanelIndex());
  const bool hasTex = current && !current->exportData(QStringLiteral("tex")).isEmpty();
  QString filter = csv;
  QString p = QFileDialog::getSaveFileName(this, tr("Export data"), suggestedFileName(QStringLiteral("csv")),
                                           csv + QStringLiteral(";;") + json + (hasTex ? QStringLiteral(";;") + tex : QString()), &filter);
  if (p.isEmpty()) return;
  if (QFileInfo(p).suffix().isEmpty()) {
    p += filter == json ? QStringLiteral(".json") : filter == tex ? QStringLiteral(".tex") : QStringLiteral(".csv");
    if (!confirmReplace(this, p)) return;  // the file dialog asked about the name without the suffix
  }
  lastDir_ = QFileInfo(p).absolutePath();
  exportDataTo(p, panelArea_->currentPanelIndex());
}

}  // namespace attnviz::ui
