#include "ui/comparison.h"

#include <QObject>

#include "engine/core/error.h"
#include "ui/gold_alignment.h"
#include "ui/workspace.h"

namespace attnviz::ui {

bool Comparison::sameShape() const {
  if (rows.empty()) return false;
  for (const VariantRow& r : rows) {
    if (r.map.empty() || r.map.rows != rows.front().map.rows || r.map.cols != rows.front().map.cols) return false;
  }
  return true;
}

Comparison buildComparison(const Workspace& ws, const MapKey& key) {
  Comparison c;
  c.key = key;
  const auto& traces = ws.comparedTraces();
  const QList<int>& compared = ws.compared();
  c.reference = static_cast<int>(compared.indexOf(ws.reference()));
  const int gold = ws.activeGoldSentence();
  for (qsizetype i = 0; i < compared.size(); ++i) {
    VariantRow row;
    row.modelIndex = compared[i];
    row.label = ws.modelLabel(row.modelIndex);
    row.trace = static_cast<std::size_t>(i) < traces.size() ? traces[static_cast<std::size_t>(i)] : nullptr;
    if (row.trace) {
      if (row.trace->prediction.translation) row.translation = QString::fromStdString(*row.trace->prediction.translation);
      try {
        row.map = extractMap(*row.trace, key);
        row.metrics = mapMetrics(row.map);
      } catch (const attnviz::Error&) {
        row.map = HeatmapData{};
      }
      if (gold >= 0) {
        const SentenceAlignment a = alignToGold(*row.trace, ws.gold().at(gold));
        if (a.comparable) row.sentenceAer = a.counts.aer();
      }
    }
    const auto corpus = ws.gold().corpusAer().find(row.modelIndex);
    if (corpus != ws.gold().corpusAer().end()) row.corpusAer = corpus.value();
    c.rows.push_back(std::move(row));
  }
  if (c.reference >= 0 && c.reference < static_cast<int>(c.rows.size())) {
    const HeatmapData& ref = c.rows[static_cast<std::size_t>(c.reference)].map;
    for (VariantRow& r : c.rows) r.js = jensenShannon(r.map, ref);
  }
  const CompareResult& result = ws.comparison();
  c.forcedTarget = result.forcedTarget;
  c.problems = result.problems;
  const QString refLabel = c.reference >= 0 ? c.rows[static_cast<std::size_t>(c.reference)].label : QString();
  const int n = static_cast<int>(c.rows.size());
  if (!result.forcedTarget.isEmpty() && result.forcedOnReference) {
    c.note = QObject::tr("All %1 variants are force-decoded on the reference (%2)'s translation “%3”, so their rows are the "
                         "same target words and the maps can be compared cell by cell.")
                 .arg(n).arg(refLabel, result.forcedTarget);
  } else if (!result.forcedTarget.isEmpty()) {
    c.note = QObject::tr("All %1 variants are force-decoded on the target “%2”.").arg(n).arg(result.forcedTarget);
  } else if (ws.compareTarget() == CompareTarget::OwnOutput) {
    c.note = QObject::tr("Each variant decodes on its own: rows of maps with different translations are different "
                         "words, so divergences and differences exist only between maps of the same shape.");
  } else {
    c.note = QObject::tr("All variants run on the same input.");
  }
  return c;
}

}  // namespace attnviz::ui
