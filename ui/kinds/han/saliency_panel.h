// SaliencyPanel (han): the document as text — each word on a background showing its attention, optionally
// scaled by its sentence's weight as in Yang et al. 2016's figures, a bar beside each sentence showing the
// sentence weight, the prediction on top. Hovering a word or a sentence writes the Selection (row = sentence,
// column = word within the sentence, as the heatmap's han "word" map; sentence() too); a Selection from
// elsewhere highlights here. Also holds the input control of han models: how the text is cut into sentences.
// Exports the whole document (every sentence, not just what is scrolled into view) through SaliencyPainter,
// and as a LaTeX snippet of coloured words (exportData("tex"), saliency_latex.h).
//
//   auto* panel = new SaliencyPanel;  panel->setWorkspace(&ws);
#pragma once

#include <QPointer>

#include "ui/panels/panel.h"
#include "ui/kinds/han/saliency_view.h"

class QCheckBox;
class QComboBox;
class QLabel;

namespace attnviz::ui {

class SaliencyPanel : public Panel {
  Q_OBJECT

 public:
  explicit SaliencyPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Saliency"); }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  FigureFeatures figureFeatures() const override;
  void paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
  QSizeF figureSize() const override;
  std::optional<HeatmapData> shownMatrix() const override;
  // "tex": the view as a LaTeX snippet (saliency_latex.h); empty for other suffixes or when no document is shown.
  QByteArray exportData(const QString& suffix) const override;

  SaliencyView* view() const { return view_; }
  QComboBox* sentenceModeBox() const { return modeBox_; }

 private:
  void attach() override;
  void refresh();
  void updateStyle();
  void onHovered(int sentence, int word);

  QComboBox* modeBox_ = nullptr;
  QCheckBox* scaleBox_ = nullptr;
  SaliencyHeader* header_ = nullptr;
  SaliencyView* view_ = nullptr;
  QLabel* placeholder_ = nullptr;
  bool syncing_ = false;
};

// The sentence-mode choices (auto, one per line, by punctuation) into a combo box, data = SentenceMode.
void fillSentenceModes(QComboBox* box);

}  // namespace attnviz::ui
