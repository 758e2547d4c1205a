#include "ui/compare/comparison.h"

#include <QObject>

#include "engine/core/error.h"
#include "engine/analysis/rollout.h"
#include "ui/maps/encoder_attention.h"
#include "ui/alignment/gold_alignment.h"
#include "ui/maps/rollout_map.h"
#include "ui/document/workspace.h"
#include "ui/alignment/seq2seq_extension.h"
#include "ui/kinds/kind_ui.h"

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
  const int gold = ws.extension<Seq2seqExtension>().activeGoldSentence();
  const attnviz::ExtractionMethod method = ws.extension<Seq2seqExtension>().method();  // the alignment view's choice
  for (qsizetype i = 0; i < compared.size(); ++i) {
    VariantRow row;
    row.modelIndex = compared[i];
    row.label = ws.modelLabel(row.modelIndex);
    row.trace = static_cast<std::size_t>(i) < traces.size() ? traces[static_cast<std::size_t>(i)] : nullptr;
    if (row.trace) {
      if (row.trace->prediction.translation) row.translation = QString::fromStdString(*row.trace->prediction.translation);
      try {
        // A cross map is read as the alignment view reads it: a transformer's chosen layer and head (or their mean),
        // named in the cell's label; an RNN's or aligner's [T, S] map as it is.
        const bool cross = key.name == QStringLiteral("cross") && row.trace->attention.count("cross");
        row.map = cross ? crossHeatmap(*row.trace, method) : extractMap(*row.trace, key);
        if (cross && crossLayersHeads(*row.trace).first > 0) {
          const attnviz::ExtractionMethod m = methodFor(*row.trace, method);
          row.label += QStringLiteral(" · ") + QString::fromStdString(attnviz::crossMapName(m.layer, m.head));
        } else if (cross && kindCan(row.trace->model.kind, &KindCapabilities::alignsPairs)) {
          row.label += QStringLiteral(" · ") + QObject::tr("link posteriors");  // not attention: said beside attention
        }
        row.metrics = mapMetrics(row.map);
      } catch (const attnviz::Error&) {
        row.map = HeatmapData{};
      }
      if (gold >= 0) {
        const SentenceAlignment a = alignToGold(*row.trace, ws.extension<Seq2seqExtension>().gold().at(gold),
                                                {.method = methodFor(*row.trace, method)});
        if (a.comparable) row.sentenceAer = a.counts.aer();
      }
    }
    const auto corpus = ws.extension<Seq2seqExtension>().gold().corpusAer().find(row.modelIndex);
    if (corpus != ws.extension<Seq2seqExtension>().gold().corpusAer().end()) row.corpusAer = corpus.value();
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

Comparison buildTraceMaps(const Workspace& ws) {
  Comparison c;
  const TracePtr trace = ws.shownTrace();
  if (!trace) return c;
  const EncoderAttention a = EncoderAttention::fromTrace(*trace);
  if (a.empty()) return c;
  c.key = {QStringLiteral("self"), ws.selection().layer(), ws.selection().head()};
  c.reference = 0;
  const QStringList& tokens = a.tokens;
  auto add = [&](const QString& label, HeatmapData map, const char* method = "") {
    VariantRow row;
    row.label = label;
    row.faithfulnessMethod = QLatin1String(method);
    row.modelIndex = ws.currentIndex();
    row.trace = trace;
    row.map = std::move(map);
    row.metrics = mapMetrics(row.map);
    c.rows.push_back(std::move(row));
  };
  auto head = [&](int layer, int h) { return extractMap(*trace, {QStringLiteral("self"), layer, h}); };
  // Last layer, mean over heads: [N, N].
  const int last = a.layers - 1;
  std::vector<float> mean(static_cast<std::size_t>(a.n) * a.n, 0.0f);
  for (int h = 0; h < a.heads; ++h) {
    const float* m = a.map(last, h);
    for (std::size_t i = 0; i < mean.size(); ++i) mean[i] += m[i] / static_cast<float>(a.heads);
  }
  add(QObject::tr("last layer, head mean"),
      HeatmapData::fromValues(a.n, a.n, std::move(mean), tokens, tokens, QObject::tr("self-attention · last layer · mean of heads")),
      "attention");
  const attnviz::RolloutFusion fusion = ws.rolloutEnabled() ? ws.rolloutFusion() : attnviz::RolloutFusion::Mean;
  if (std::optional<HeatmapData> r = rolloutMap(ws.derived(), trace, fusion, ws.rolloutDiscard())) {
    QString label = QObject::tr("rollout %1").arg(QLatin1String(attnviz::fusionName(fusion)));
    if (ws.rolloutDiscard() > 0.0) label += QObject::tr(", discard %1").arg(ws.rolloutDiscard(), 0, 'g', 3);
    // faithfulness ranks by the plain (mean, no discard) rollout only
    const bool plain = fusion == attnviz::RolloutFusion::Mean && ws.rolloutDiscard() == 0.0;
    add(label, std::move(*r), plain ? "rollout" : "");
  }
  // The contribution maps the run added (the window asks for them: Workspace::setContributions).
  if (trace->attention.contains("value_norm_sum"))
    add(QObject::tr("value norm, last layer"), extractMap(*trace, {QStringLiteral("value_norm_sum"), a.layers - 1, 0}), "value-norm");
  const std::pair<const char*, const char*> rollouts[] = {{"alti_rollout", "alti"}, {"globenc_rollout", "globenc"}};
  const QString rolloutLabels[] = {QObject::tr("ALTI rollout"), QObject::tr("GlobEnc rollout")};
  for (std::size_t i = 0; i < std::size(rollouts); ++i)
    if (trace->attention.contains(rollouts[i].first))
      add(rolloutLabels[i], extractMap(*trace, {QLatin1String(rollouts[i].first), 0, 0}), rollouts[i].second);
  // Value zeroing: the trace's own, or computed by the window (the heatmap's Map list starts it in the background).
  if (const attnviz::ValueZeroing* zeroed = ws.valueZeroingFor(trace))
    add(QObject::tr("value zeroing rollout"), valueZeroingMap(*trace, *zeroed, {QStringLiteral("value_zeroing_rollout"), 0, 0}),
        "value-zeroing");
  const LayerHead coref = ws.currentModel() ? coreferenceHeadOf(ws.currentModel()->info()) : LayerHead{};
  const bool hasCoref = coref.valid() && coref.layer < a.layers && coref.head < a.heads;
  if (hasCoref)
    add(QObject::tr("coreference head L%1 H%2").arg(coref.layer + 1).arg(coref.head + 1), head(coref.layer, coref.head));
  const int layer = std::clamp(ws.selection().layer(), 0, a.layers - 1);
  const int h = std::clamp(ws.selection().head(), 0, a.heads - 1);
  if (!hasCoref || layer != coref.layer || h != coref.head)
    add(QObject::tr("shown head L%1 H%2").arg(layer + 1).arg(h + 1), head(layer, h));
  for (VariantRow& r : c.rows) r.js = jensenShannon(r.map, c.rows.front().map);
  c.note = QObject::tr("Maps of this one trace side by side (rows: query tokens, columns: key tokens; the title says the colour scale): "
                       "the raw last layer (layer %1, mean of its %2 heads), rollout through all %1 layers, the token "
                       "contribution maps the run added%3, and single heads (L: layer, H: head). Divergence is to (a).")
               .arg(a.layers)
               .arg(a.heads)
               .arg(hasCoref ? QObject::tr(", the head the model was trained to point with") : QString());
  return c;
}

}  // namespace attnviz::ui
