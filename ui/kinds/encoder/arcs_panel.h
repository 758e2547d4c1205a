// ArcsPanel (encoder): self-attention as arcs between tokens. The tokens run as wrapped text (or, as BertViz
// draws them, as two columns, queries left and keys right); hovering a token — or clicking it to pin — draws
// arcs to every token it attends to in the Selection's layer, width and opacity by weight, one colour per head
// (one head, or all heads of the layer at once). Wordpieces can be merged into words: attention to a word is the
// sum over its pieces (as keys), attention from a word the mean over its pieces (as queries), so rows still sum
// to 1 (encoder_attention.h). [CLS]/[SEP] can be hidden (weights are not renormalised). Arcs under a threshold are
// not drawn. Selection: hovering/pinning writes row (the token, or a word's first piece); row and column from
// elsewhere focus and outline tokens here; layer/head selectors are bound to Selection::layer/head.
// A model with a coreference head: a line above the arcs lists its prediction ("it → animal 0.93" per pronoun),
// said to be the pointer head's; clicking one focuses (pins) the pronoun and outlines its antecedent, so the arcs
// show where it attends. The pointer's distribution is one more entry of the head box ("Coreference pointer"):
// arcs from each pronoun to its candidates, weighted by the pointer's probabilities. While the config's
// "coreference head" is shown, the line names it with the model card's figure for how often it finds the
// antecedent (coreference_pointer.h), so an attention head is not taken for the decision. The last entry of the head
// box, "ALTI contributions", draws the layer's ALTI map (Ferrando et al. 2022: what each token's output draws on, the
// residual and LayerNorm included) instead of attention.
// Only the shown layer is merged (its heads' [N, N] maps, read from the trace without a copy), and only while the
// panel is on screen or asked for its figure: a hidden Arcs tab merges nothing (WhenShown).
//
//   auto* panel = new ArcsPanel;  panel->setWorkspace(&ws);
//   panel->setAllHeads(true);  panel->setMergeWordpieces(true);
#pragma once

#include <QPointer>

#include "ui/kinds/encoder/arcs_view.h"
#include "ui/maps/encoder_attention.h"
#include "ui/panels/panel.h"
#include "ui/panels/when_shown.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace attnviz::ui {

class ArcsPanel : public Panel {
  Q_OBJECT

 public:
  static constexpr double kDefaultThreshold = 0.02;

  explicit ArcsPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Attention arcs"); }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  FigureFeatures figureFeatures() const override { return kTextFigureFeatures; }
  void paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
  QSizeF figureSize() const override;
  std::optional<HeatmapData> shownMatrix() const override;

  ArcsView* view() const {  // brought up to date first (the maps wait while the panel is hidden)
    rebuild_.flush();
    return view_;
  }
  QSpinBox* layerBox() const { return layerBox_; }
  QComboBox* headBox() const { return headBox_; }   // item 0: all heads, item k: head k (1-based)
  QLabel* coreferenceLabel() const { return corefLabel_; }
  // Focuses link i of the trace's prediction.coreference (as clicking it does): pronoun as the Selection's row,
  // antecedent as its column, the pronoun pinned here.
  void focusCoreference(int index);
  void setAllHeads(bool all);
  bool allHeads() const;
  // The coreference pointer's distribution instead of attention heads (only when the trace has one).
  void setPointerShown(bool shown);
  bool pointerShown() const;
  // The head box's "ALTI contributions" item: the layer's attention.alti as arcs (contributions.h); chosen, it turns
  // ALTI on in the Workspace (the model runs again) when the trace lacks it.
  void setAltiShown(bool shown);
  bool altiShown() const;
  void setMergeWordpieces(bool merge);
  void setHideSpecial(bool hide);
  void setLayoutKind(ArcsLayoutKind kind);
  void setThreshold(double threshold);
  int mapBuilds() const { return rebuild_.runs(); }  // how often the shown layer was merged, for tests

 private:
  void attach() override;
  void onTraceChanged();
  void rebuild();     // asks for buildMaps(): now when on screen, else when shown or asked (rebuild_)
  void buildMaps();   // the shown layer's heads merged into ArcsData for the view
  void syncSelectors();
  void onLayerHeadChanged(int layer, int head);
  void onCellChanged(int row, int column);
  void onHeadPicked();
  void onLayerEdited();
  void updateStyle();
  void focusFromSelection();
  void updateCoreference();

  ArcsView* view_ = nullptr;
  QSpinBox* layerBox_ = nullptr;
  QComboBox* headBox_ = nullptr;
  QComboBox* layoutBox_ = nullptr;
  QCheckBox* hideSpecialBox_ = nullptr;
  QCheckBox* mergeBox_ = nullptr;
  QDoubleSpinBox* thresholdBox_ = nullptr;
  QLabel* placeholder_ = nullptr;
  QLabel* corefLabel_ = nullptr;
  static constexpr int kAllHeadsItem = -2;  // head box item data; heads are 0..H-1, the pointer kPointerHead
  EncoderAttention attention_;
  std::vector<float> pointer_;  // [n, n]: pronoun rows hold the coreference pointer's distribution; empty: none
  const void* lastModel_ = nullptr;  // the model of the last trace: a new one with a coreference head shows that head
  int lastHead_ = 0;       // the Selection's head last seen: a change of head leaves all-heads mode
  bool syncing_ = false;   // writing controls from the Selection: their signals must not write back
  WhenShown rebuild_{this, [this] { buildMaps(); }};
};

}  // namespace attnviz::ui
