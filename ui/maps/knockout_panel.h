// KnockoutPanel (encoder, vit): head knockout (Michel et al. 2019) as a layers x heads grid. Each cell is how much
// the model's prediction drops when that head's output is zeroed ("One head out"), or when every other head of its
// layer is ("Only this head in its layer"): the scored prediction is the unmodified run's (the predicted label's
// probability, the coreference pointer's antecedent, a question-answering span; head_knockout.h), red where the head
// supported it, blue where it worked against it, on a scale symmetric about 0. One model run per head, computed by
// the Workspace's derived results in the background (progress, Cancel) when the tab is on screen and "For every
// input" is on, or on Compute. Clicking a cell shows that head in every panel, as the All heads grid does.
//
//   auto* panel = new KnockoutPanel;  panel->setWorkspace(&ws);
//   panel->setMode(attnviz::KnockoutMode::AllButOneHead);
#pragma once

#include "engine/api/model.h"
#include "ui/maps/heads_grid_canvas.h"
#include "ui/panels/panel.h"
#include "ui/panels/when_shown.h"

class QCheckBox;
class QLabel;
class QComboBox;
class QProgressBar;
class QPushButton;

namespace attnviz::ui {

class KnockoutPanel : public Panel, public HeadsGridSource {
  Q_OBJECT

 public:
  explicit KnockoutPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Head knockout"); }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  FigureFeatures figureFeatures() const override;
  void paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
  QSizeF figureSize() const override;
  QByteArray exportData(const QString& suffix) const override;  // "csv": layer, head, drop

  void setMode(attnviz::KnockoutMode mode);
  attnviz::KnockoutMode mode() const;
  // The grid shown, or null while it is not computed for the shown trace.
  const attnviz::HeadKnockout* shown() const;

  const HeadsGridData& gridData() const override { return data_; }
  const HeadsGridData& gridDataAsIs() const override { return data_; }
  void prepareScaled(const QRectF&) override {}  // one colour per cell: nothing to prescale
  QString toolTipAt(const QPointF& canvasPos) const override;
  void clickAt(const QPointF& canvasPos) override;
  QPointF cellCenter(int layer, int head) const;  // canvas coordinates, for tests

  HeadsGridCanvas* canvas() const { return canvas_; }
  QProgressBar* progressBar() const { return progress_; }
  QPushButton* cancelButton() const { return cancel_; }
  QPushButton* computeButton() const { return compute_; }
  QLabel* statusLabel() const { return status_; }

 private:
  void attach() override;
  void refreshNow();  // the grid from the shown trace's knockout; starts it when automatic and on screen
  void updateJob();

  QComboBox* modeBox_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QPushButton* compute_ = nullptr;
  QCheckBox* auto_ = nullptr;
  QLabel* status_ = nullptr;
  HeadsGridCanvas* canvas_ = nullptr;
  QLabel* placeholder_ = nullptr;
  HeadsGridData data_;
  WhenShown refresh_{this, [this] { refreshNow(); }};
};

}  // namespace attnviz::ui
