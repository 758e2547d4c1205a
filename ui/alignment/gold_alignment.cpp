#include "ui/alignment/gold_alignment.h"

#include <QObject>

#include "engine/align/extraction.h"
#include "engine/core/error.h"
#include "ui/document/hypothesis_trace.h"
#include "ui/kinds/kind_ui.h"
#include "ui/maps/heatmap_source.h"

namespace attnviz::ui {

int wordTokenCount(const std::vector<std::string>& tokens) {
  int n = static_cast<int>(tokens.size());
  // <eos> and the like end a sequence; <unk> stands for a word piece and stays.
  while (n > 0 && tokens[static_cast<std::size_t>(n - 1)] != "<unk>" &&
         isSpecialToken(QString::fromStdString(tokens[static_cast<std::size_t>(n - 1)])))
    --n;
  return n;
}

SentenceAlignment alignToGold(const attnviz::Trace& trace, const GoldSentence& gold,
                              const attnviz::WordAlignmentOptions& options) {
  SentenceAlignment out;
  const attnviz::WordAlignment a = attnviz::alignWords(trace, gold.source, gold.target, options);
  if (!a.comparable) {
    out.why = QString::fromStdString(a.why);
    return out;
  }
  out.predicted = a.links;
  out.counts = attnviz::aerCounts(out.predicted, gold.links);
  out.comparable = true;
  const attnviz::WordSpans& srcSpans = a.source.spans;
  const attnviz::WordSpans& tgtSpans = a.target.spans;
  for (const attnviz::Link& link : gold.links.possible) {
    const auto [s, t] = link;
    if (s >= srcSpans.words() || t >= tgtSpans.words()) continue;
    const MarkShape shape = gold.links.sure.count(link) ? MarkShape::FilledSquare : MarkShape::HollowSquare;
    for (int ti = 0; ti < tgtSpans.count[static_cast<std::size_t>(t)]; ++ti) {
      for (int si = 0; si < srcSpans.count[static_cast<std::size_t>(s)]; ++si) {
        out.goldMarks.push_back({tgtSpans.first[static_cast<std::size_t>(t)] + ti, srcSpans.first[static_cast<std::size_t>(s)] + si, shape});
      }
    }
  }
  for (const attnviz::Link& link : out.predicted) {
    const auto [s, t] = link;
    if (s >= srcSpans.words() || t >= tgtSpans.words()) continue;
    for (int si = 0; si < srcSpans.count[static_cast<std::size_t>(s)]; ++si)
      out.predictedMarks.push_back({tgtSpans.first[static_cast<std::size_t>(t)], srcSpans.first[static_cast<std::size_t>(s)] + si, MarkShape::Dot});
  }
  return out;
}

std::pair<int, int> crossLayersHeads(const attnviz::Trace& trace) {
  const auto cross = trace.attention.find("cross");
  if (cross == trace.attention.end() || cross->second.rank() != 4) return {0, 0};
  return {static_cast<int>(cross->second.dim(0)), static_cast<int>(cross->second.dim(1))};
}

attnviz::ExtractionMethod methodFor(const attnviz::Trace& trace, const attnviz::ExtractionMethod& method) {
  const auto [layers, heads] = crossLayersHeads(trace);
  attnviz::ExtractionMethod m = method;
  if (m.layer >= layers || m.layer < -1) m.layer = -1;
  if (m.head >= heads || m.head < -1) m.head = -1;
  if (kindCan(trace.model.kind, &KindCapabilities::alignsPairs)) m.shift = false;
  return m;
}

attnviz::Tensor crossMapFor(const attnviz::Trace& trace, const attnviz::ExtractionMethod& method) {
  const auto cross = trace.attention.find("cross");
  if (cross == trace.attention.end()) throw attnviz::InternalError("attention.cross", "the trace has no cross map");
  const attnviz::ExtractionMethod m = methodFor(trace, method);
  return attnviz::selectCrossMap(cross->second, m.layer, m.head);
}

QString crossMapTitle(const attnviz::Trace& trace, const attnviz::ExtractionMethod& method) {
  const QString rule = QString::fromStdString(attnviz::extractionRuleName(method));
  if (crossLayersHeads(trace).first == 0) return rule;
  const attnviz::ExtractionMethod m = methodFor(trace, method);
  return QString::fromStdString(attnviz::crossMapName(m.layer, m.head)) + QStringLiteral(" · ") + rule;
}

std::vector<HeatmapMark> linkMarks(const attnviz::Trace& trace, const attnviz::ExtractionMethod& method) {
  std::vector<HeatmapMark> out;
  if (!trace.attention.count("cross")) return out;
  const attnviz::Tensor map = crossMapFor(trace, method);
  if (map.rank() != 2) return out;
  const int rows = std::min<int>(wordTokenCount(trace.targetTokens), static_cast<int>(map.dim(0)));
  const int cols = std::min<int>(wordTokenCount(trace.sourceTokens), static_cast<int>(map.dim(1)));
  if (rows <= 0 || cols <= 0) return out;
  const attnviz::LinkSet links = attnviz::extractWordAlignment(map, attnviz::WordSpans::oneTokenEach(rows),
                                                               attnviz::WordSpans::oneTokenEach(cols), method);
  for (const attnviz::Link& link : links) out.push_back({link.second, link.first, MarkShape::Dot});
  return out;
}

HeatmapData crossHeatmap(const attnviz::Trace& trace, const attnviz::ExtractionMethod& method) {
  // A trace of the chosen [T, S] map and the tokens only: extractMap labels and titles it like any cross map.
  attnviz::Trace selected;
  selected.sourceTokens = trace.sourceTokens;
  selected.targetTokens = trace.targetTokens;
  selected.attention.emplace("cross", crossMapFor(trace, method));
  HeatmapData data = extractMap(selected, {QStringLiteral("cross"), 0, 0});
  // An aligner's cross map is its link posteriors, not attention: the title says which, wherever the map is shown.
  if (kindCan(trace.model.kind, &KindCapabilities::alignsPairs))
    data.title = QObject::tr("link posteriors");
  if (crossLayersHeads(trace).first > 0) {
    const attnviz::ExtractionMethod m = methodFor(trace, method);
    data.title += QStringLiteral(" · ") + QString::fromStdString(attnviz::crossMapName(m.layer, m.head));
  }
  return data;
}

void nameAlignmentMarks(HeatmapData& data) {
  data.markNames[static_cast<std::size_t>(MarkShape::FilledSquare)] = QObject::tr("gold sure");
  data.markNames[static_cast<std::size_t>(MarkShape::HollowSquare)] = QObject::tr("gold possible");
  data.markNames[static_cast<std::size_t>(MarkShape::Dot)] = QObject::tr("model links");
}

}  // namespace attnviz::ui
