// ComparePanel: several models of one kind on the same input, side by side — the maps in a grid with
// synchronized hover and ONE shared colour scale (or, by choice, each map on its own; auto: shared for models, per
// map for maps of one trace; the grid's title says which), the difference of any two (diverging colours,
// symmetric scale), a metrics table (row entropy, max weight, AER, Jensen-Shannon divergence to a
// reference), and a note on how the maps were made comparable (seq2seq: every variant force-decoded
// on the reference's translation by default). The whole grid exports as one figure (SVG/PDF/PNG,
// panels labelled (a), (b), ...) and its data as CSV/JSON. Generic: any kind whose traces carry the map.
//
// Encoders also get "Maps of this trace": the same grid, metrics and export for several maps of the one trace
// (last layer mean, rollout, the token contribution maps, coreference head, shown head; comparison.h buildTraceMaps),
// no second model needed. For kinds with contributions this is the Methods view: a FaithfulnessBar adds the
// contribution maps and scores each map's token ranking (AOPC, tau), shown in the metrics table and the labels.
//
//   auto* panel = new ComparePanel;  panel->setWorkspace(&ws);
//   ws.setCompared({0, 1, 2});        // the Workspace runs them; the panel shows ws.comparedTraces()
//   panel->setTraceMaps(true);        // encoders: maps of ws.shownTrace() instead
#pragma once

#include <QPointer>

#include "ui/compare/comparison.h"
#include "ui/kinds/kind_ui.h"
#include "ui/kinds/vit/patch_painter.h"
#include "ui/panels/panel.h"
#include "ui/panels/when_shown.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;

namespace attnviz::ui {

class CompareView;
class FaithfulnessBar;
class MetricsTable;

class ComparePanel : public Panel {
  Q_OBJECT

 public:
  // The maps' colour scale: Auto is Shared when comparing models (one quantity), PerMap for maps of one trace.
  enum class Scale { Auto, Shared, PerMap };

  explicit ComparePanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Variant comparison"); }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  FigureFeatures figureFeatures() const override;
  void paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
  QSizeF figureSize() const override;
  QByteArray exportData(const QString& suffix) const override;

  // These bring the grid up to date first: a hidden Compare tab builds nothing until shown or asked (WhenShown).
  CompareView* view() const {
    refresh_.flush();
    return view_;
  }
  MetricsTable* metrics() const {
    refresh_.flush();
    return metrics_;
  }
  const Comparison& comparison() const {
    refresh_.flush();
    return comparison_;
  }
  QString noteText() const;
  // Difference of compared variants a and b (positions in Workspace::compared()); -1, -1: off.
  void setDifference(int a, int b);
  // Encoders and vits: compare maps of the shown trace instead of models (vit: over the image, patch_comparison.h).
  void setTraceMaps(bool on);
  bool traceMaps() const { return traceMaps_; }
  int comparisonBuilds() const { return refresh_.runs(); }  // how often the grid was built, for tests
  FaithfulnessBar* faithfulnessBar() const { return faithfulness_; }

 private:
  void attach() override;
  void refresh();     // asks for refreshNow(): now when on screen, else when shown or asked (refresh_)
  void refreshNow();  // the comparison, its figure, metrics and note
  void rebuildChoices();
  bool hasTraceMaps() const;  // the current kind has maps of one trace to compare (encoder, vit)
  bool showing() const;      // the grid is shown: comparing models, or maps of one trace
  Comparison traceMapsNow();  // buildTraceMaps, or buildPatchTraceMaps for a vit
  void onHovered(int panel, int row, int col);
  void followSelection();    // the Selection's cell (tokens) as the grid's highlight (patch cells for a vit)
  void exportFigureDialog();
  void exportDataDialog();

  QComboBox* mapBox_ = nullptr;
  QLabel* mapCaption_ = nullptr;
  QComboBox* referenceBox_ = nullptr;
  QComboBox* decodeBox_ = nullptr;
  QCheckBox* diffBox_ = nullptr;
  QComboBox* diffA_ = nullptr;
  QComboBox* diffB_ = nullptr;
  QComboBox* colormapBox_ = nullptr;
  QComboBox* scaleBox_ = nullptr;
  QCheckBox* valuesBox_ = nullptr;
  QLabel* note_ = nullptr;
  CompareView* view_ = nullptr;
  MetricsTable* metrics_ = nullptr;
  FaithfulnessBar* faithfulness_ = nullptr;  // maps of one trace of a kind with contributions: the Methods view
  QWidget* body_ = nullptr;
  QWidget* empty_ = nullptr;
  QLabel* placeholder_ = nullptr;
  QPushButton* compareAll_ = nullptr;
  QPushButton* traceMapsButton_ = nullptr;  // on the empty page: turn "Maps of this trace" on
  QCheckBox* traceMapsBox_ = nullptr;       // in the controls: on/off
  QList<QWidget*> variantControls_;         // reference and decode choices: hidden for maps of one trace
  bool traceMaps_ = false;
  Comparison comparison_;
  std::optional<PatchGrid> patchGrid_;  // set while the grid shows a vit's patch maps
  QString underlayPath_;                // the image under them, loaded once per path
  QImage underlay_;
  QString mapName_ = QStringLiteral("cross");
  bool syncing_ = false;
  WhenShown refresh_{this, [this] { refreshNow(); }};
};

// `attnviz export --view methods` (encoders, vits): the panel in "Maps of this trace" with the faithfulness of the
// trace's own Trace::faithfulness for --removal (the export runs it: cli_export.cpp).
void prepareMethodsFigure(Panel& panel, const FigureViewSettings& settings);

}  // namespace attnviz::ui
