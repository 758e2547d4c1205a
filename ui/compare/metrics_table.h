// MetricsTable: one row per compared variant — mean row entropy, mean max weight, AER on the active
// gold sentence and over the gold set, Jensen-Shannon divergence to the reference — with the reference
// row marked and a tooltip on every header that says what the number means.
//
//   table->setComparison(buildComparison(ws, key));
#pragma once

#include <QTableWidget>

#include "ui/compare/comparison.h"

namespace attnviz::ui {

class MetricsTable : public QTableWidget {
  Q_OBJECT

 public:
  enum Column { Variant, Translation, Entropy, MaxWeight, SentenceAer, SetAer, JsToReference, ColumnCount };

  explicit MetricsTable(QWidget* parent = nullptr);
  void setComparison(const Comparison& comparison);
  QString cellText(int row, Column column) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;  // tall enough for every row, up to six
};

}  // namespace attnviz::ui
