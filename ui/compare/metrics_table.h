// MetricsTable: one row per compared variant — mean row entropy, mean max weight, AER on the active
// gold sentence and over the gold set, Jensen-Shannon divergence to the reference, and for maps of one trace the
// faithfulness of the map's token ranking (AOPC comprehensiveness and sufficiency, Kendall tau against leave-one-out
// occlusion; engine/analysis/faithfulness.h) — with the reference row marked and a tooltip on every header that says
// what the number means. Columns no row has a value for are hidden.
//
//   table->setComparison(buildComparison(ws, key));
#pragma once

#include <QTableWidget>

#include "ui/compare/comparison.h"

namespace attnviz::ui {

class MetricsTable : public QTableWidget {
  Q_OBJECT

 public:
  enum Column {
    Variant, Translation, Entropy, MaxWeight, SentenceAer, SetAer, JsToReference, AopcComprehensiveness, AopcSufficiency,
    TauLeaveOneOut, ColumnCount
  };

  explicit MetricsTable(QWidget* parent = nullptr);
  void setComparison(const Comparison& comparison);
  QString cellText(int row, Column column) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;  // tall enough for every row, up to six
};

}  // namespace attnviz::ui
