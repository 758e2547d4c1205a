#include "ui/kinds/seq2seq/gold_alignment.h"

#include <QObject>

#include "ui/document/hypothesis_trace.h"

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
  return out;
}

std::vector<HeatmapMark> argmaxMarks(const attnviz::Trace& trace) {
  std::vector<HeatmapMark> out;
  const auto cross = trace.attention.find("cross");
  if (cross == trace.attention.end() || cross->second.rank() != 2) return out;
  const int rows = std::min<int>(wordTokenCount(trace.targetTokens), static_cast<int>(cross->second.dim(0)));
  const int cols = std::min<int>(wordTokenCount(trace.sourceTokens), static_cast<int>(cross->second.dim(1)));
  for (const auto& [s, t] : attnviz::argmaxAlignment(cross->second, rows, cols)) out.push_back({t, s, MarkShape::Dot});
  return out;
}

void nameAlignmentMarks(HeatmapData& data) {
  data.markNames[static_cast<std::size_t>(MarkShape::FilledSquare)] = QObject::tr("gold sure");
  data.markNames[static_cast<std::size_t>(MarkShape::HollowSquare)] = QObject::tr("gold possible");
  data.markNames[static_cast<std::size_t>(MarkShape::Dot)] = QObject::tr("model argmax");
}

}  // namespace attnviz::ui
