// AlignmentPanel: the seq2seq cross-attention as an alignment — target words (rows) by source words
// (columns) through the shared HeatmapView/HeatmapPainter, with the links of the chosen extraction method (argmax,
// Shift-Att, threshold) read from the chosen map (a transformer: one layer and head, or a mean) as dots,
// gold links as squares (filled = sure, hollow = possible) and the sentence's AER when a gold sentence
// is picked, the translation as a hoverable token strip, and the decoding controls (beam width, forced
// target). Hover a cell or a translation word and every panel follows through the Selection. "a‖h‖" (attnviz's RNN
// models, ModelInfo::weightedNorms) shows attention.cross_norm instead, a_tj ‖h_j‖ (weighted_norms.h), rows
// normalised to 1, and reads the links and the AER from it.
//
//   auto* panel = new AlignmentPanel;  panel->setWorkspace(&ws);
#pragma once

#include "ui/maps/heatmap_view_panel.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QTableWidget;

namespace attnviz {
struct Trace;
}

namespace attnviz::ui {

class GoldBar;
struct GoldSentence;
class Seq2seqRunBar;
class TokenStrip;

class AlignmentPanel : public HeatmapViewPanel {
  Q_OBJECT

 public:
  explicit AlignmentPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Alignment heatmap"); }

  TokenStrip* translationStrip() const { return strip_; }
  GoldBar* goldBar() const { return goldBar_; }
  Seq2seqRunBar* runBar() const { return runBar_; }
  void setArgmaxShown(bool shown);
  void setGoldShown(bool shown);
  QCheckBox* normsBox() const { return normsBox_; }  // "a‖h‖": turns value norm on in the Workspace (a rerun)
  // The map and extraction method controls (they set Seq2seqExtension::method()); layer/head boxes show only for a
  // transformer's [L, H, T, S] cross map. Index 0 of each is the mean.
  QComboBox* layerBox() const { return layerBox_; }
  QComboBox* headBox() const { return headBox_; }
  QComboBox* methodBox() const { return methodBox_; }
  QDoubleSpinBox* thresholdBox() const { return thresholdBox_; }
  // AER per layer (rows) and head (columns; the last column: the layer's mean of heads) of the shown sentence against
  // its gold, by the chosen extraction rule; shown for a transformer's map with a gold sentence. Clicking a cell
  // selects that layer and head.
  QTableWidget* aerGrid() const { return aerGrid_; }

 private:
  void attach() override;
  void refresh();
  void onCellChanged(int row, int column);
  void pushMethod();          // the boxes -> Seq2seqExtension::setMethod
  void syncMapBoxes();        // the trace's layers and heads and the extension's method -> the boxes
  void fillAerGrid(const attnviz::Trace* trace, const GoldSentence* gold);  // null: hides it

  Seq2seqRunBar* runBar_ = nullptr;
  GoldBar* goldBar_ = nullptr;
  QCheckBox* argmaxBox_ = nullptr;
  QCheckBox* goldBox_ = nullptr;
  QCheckBox* normsBox_ = nullptr;
  QComboBox* layerBox_ = nullptr;
  QComboBox* headBox_ = nullptr;
  QComboBox* methodBox_ = nullptr;
  QDoubleSpinBox* thresholdBox_ = nullptr;
  QTableWidget* aerGrid_ = nullptr;
  bool syncing_ = false;
  TokenStrip* strip_ = nullptr;
  QLabel* placeholder_ = nullptr;
};

}  // namespace attnviz::ui
