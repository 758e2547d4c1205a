// compare_export: the data behind a variant comparison, for papers and scripts.
//
//   QByteArray csv = comparisonCsv(c);    // long format, one row per cell of every variant's map
//   QByteArray json = comparisonJson(c);  // maps, tokens, metrics and the note on forced decoding
//
// CSV columns: variant,target_index,target_token,source_index,source_token,weight (the row/column axes
// of other maps are named the same way). JSON: {"map", "reference", "forced_target", "note",
// "variants": [{"label", "model", "variant", "translation", "rows", "columns", "weights" [R][C],
// "metrics": {"mean_row_entropy_bits", "mean_max_weight", "js_to_reference", "aer_sentence", "aer_set"}}]}
// with null for a metric that does not apply.
#pragma once

#include <QByteArray>

#include "ui/compare/comparison.h"

namespace attnviz::ui {

QByteArray comparisonCsv(const Comparison& comparison);
QByteArray comparisonJson(const Comparison& comparison);

}  // namespace attnviz::ui
