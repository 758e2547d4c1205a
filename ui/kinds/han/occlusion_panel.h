// OcclusionPanel (han): attention versus occlusion for the same document. Two colourings of one layout side
// by side — attention (sequential blue) | leave-one-out effect p(c|doc) − p(c|doc without the unit)
// (diverging red/blue, signed) — with Kendall's tau between the two at word and sentence level and a short
// note on what agreement means (Jain & Wallace 2019; Wiegreffe & Pinter 2019). Occlusion is computed by
// the Workspace's derived results in the background (derived_results.h; one model run per word and per sentence):
// a progress bar, Cancel, and
// Compute to start it again. Hover links through the Selection like the saliency panel; the figure is the
// whole document in both colourings.
//
//   auto* panel = new OcclusionPanel;  panel->setWorkspace(&ws);
#pragma once

#include <QPointer>

#include "ui/panels/panel.h"
#include "ui/kinds/han/saliency_view.h"

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace attnviz::ui {

class OcclusionPanel : public Panel {
  Q_OBJECT

 public:
  explicit OcclusionPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Attention vs occlusion"); }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  FigureFeatures figureFeatures() const override;
  void paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
  QSizeF figureSize() const override;

  SaliencyView* view() const { return view_; }
  QProgressBar* progressBar() const { return progress_; }
  QPushButton* cancelButton() const { return cancel_; }
  QPushButton* computeButton() const { return compute_; }
  QLabel* tauLabel() const { return tau_; }
  QString explanation() const;

 private:
  void attach() override;
  void refresh();
  void updateJob();
  void onHovered(int sentence, int word);

  QProgressBar* progress_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QPushButton* compute_ = nullptr;
  QCheckBox* auto_ = nullptr;
  QLabel* tau_ = nullptr;
  QLabel* note_ = nullptr;
  SaliencyHeader* header_ = nullptr;
  SaliencyView* view_ = nullptr;
  QLabel* placeholder_ = nullptr;
};

}  // namespace attnviz::ui
