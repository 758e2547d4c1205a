// BeamPanel: the beam explorer — the seq2seq n-best list (rank, score, translation). Picking a
// hypothesis writes the Selection's hypothesis, and every panel shows that hypothesis's attention
// (Workspace::shownTrace). Its figure is the list as a table.
//
//   auto* panel = new BeamPanel;  panel->setWorkspace(&ws);
#pragma once

#include <QPointer>

#include "ui/panels/panel.h"

class QLabel;
class QTableWidget;

namespace attnviz::ui {

class BeamPanel : public Panel {
  Q_OBJECT

 public:
  explicit BeamPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Beam hypotheses"); }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  QSizeF figureSize() const override;

  QTableWidget* table() const { return table_; }

 private:
  void attach() override;
  void rebuild();
  void onHypothesisChanged(int k);

  QTableWidget* table_ = nullptr;
  QLabel* note_ = nullptr;
  bool syncing_ = false;
};

}  // namespace attnviz::ui
