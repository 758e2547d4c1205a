// AlignmentPanel: the seq2seq cross-attention as an alignment — target words (rows) by source words
// (columns) through the shared HeatmapView/HeatmapPainter, with the model's argmax alignment as dots,
// gold links as squares (filled = sure, hollow = possible) and the sentence's AER when a gold sentence
// is picked, the translation as a hoverable token strip, and the decoding controls (beam width, forced
// target). Hover a cell or a translation word and every panel follows through the Selection.
//
//   auto* panel = new AlignmentPanel;  panel->setWorkspace(&ws);
#pragma once

#include "ui/maps/heatmap_view_panel.h"

class QCheckBox;
class QLabel;

namespace attnviz::ui {

class GoldBar;
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

 private:
  void attach() override;
  void refresh();
  void onCellChanged(int row, int column);

  Seq2seqRunBar* runBar_ = nullptr;
  GoldBar* goldBar_ = nullptr;
  QCheckBox* argmaxBox_ = nullptr;
  QCheckBox* goldBox_ = nullptr;
  TokenStrip* strip_ = nullptr;
  QLabel* placeholder_ = nullptr;
};

}  // namespace attnviz::ui
