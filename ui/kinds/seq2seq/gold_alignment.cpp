#include "ui/kinds/seq2seq/gold_alignment.h"

#include <QObject>

#include "ui/kinds/seq2seq/hypothesis_trace.h"

namespace attnviz::ui {
namespace {

std::vector<std::string> wordTokens(const std::vector<std::string>& tokens) {
  return {tokens.begin(), tokens.begin() + wordTokenCount(tokens)};
}

}  // namespace

int wordTokenCount(const std::vector<std::string>& tokens) {
  int n = static_cast<int>(tokens.size());
  // <eos> and the like end a sequence; <unk> stands for a word piece and stays.
  while (n > 0 && tokens[static_cast<std::size_t>(n - 1)] != "<unk>" &&
         isSpecialToken(QString::fromStdString(tokens[static_cast<std::size_t>(n - 1)])))
    --n;
  return n;
}

namespace {

constexpr const char* kUnknown = "<unk>";

// Can tokens [t, end) spell `word` from character c on? An <unk> token stands for one or more characters
// (the tokenizer's piece that the vocabulary did not know).
bool spells(const std::vector<QString>& tokens, std::size_t t, std::size_t end, const QString& word, qsizetype c) {
  if (t == end) return c == word.size();
  if (c >= word.size()) return false;
  const QString& tok = tokens[t];
  if (tok == QLatin1String(kUnknown)) {
    for (qsizetype n = 1; c + n <= word.size(); ++n) {
      if (spells(tokens, t + 1, end, word, c + n)) return true;
    }
    return false;
  }
  return word.mid(c, tok.size()) == tok && spells(tokens, t + 1, end, word, c + tok.size());
}

}  // namespace

std::optional<std::vector<int>> tokensPerWord(const std::vector<std::string>& tokens, const std::vector<std::string>& words) {
  std::vector<QString> toks;
  for (const std::string& t : tokens) toks.push_back(QString::fromStdString(t).toLower());
  std::vector<QString> ws;
  for (const std::string& w : words) ws.push_back(QString::fromStdString(w).toLower());
  // reach[w] = token positions where word w can start; a depth-first walk with memo over (word, token).
  const std::size_t W = ws.size();
  const std::size_t T = toks.size();
  std::vector<std::vector<signed char>> memo(W + 1, std::vector<signed char>(T + 1, -1));
  std::vector<int> counts(W, 0);
  auto solve = [&](auto&& self, std::size_t w, std::size_t t) -> bool {
    if (w == W) return t == T;
    signed char& m = memo[w][t];
    if (m >= 0) return m == 1;
    m = 0;
    for (std::size_t end = t + 1; end <= T && end - t <= static_cast<std::size_t>(ws[w].size()); ++end) {
      if (spells(toks, t, end, ws[w], 0) && self(self, w + 1, end)) {
        counts[w] = static_cast<int>(end - t);
        m = 1;
        break;
      }
    }
    return m == 1;
  };
  if (!solve(solve, 0, 0)) return std::nullopt;
  return counts;
}

SentenceAlignment alignToGold(const attnviz::Trace& trace, const GoldSentence& gold) {
  SentenceAlignment out;
  const auto cross = trace.attention.find("cross");
  if (cross == trace.attention.end() || cross->second.rank() != 2) {
    out.why = QObject::tr("the trace has no cross-attention map");
    return out;
  }
  const std::vector<std::string> src = wordTokens(trace.sourceTokens);
  const std::vector<std::string> tgt = wordTokens(trace.targetTokens);
  const auto srcCounts = tokensPerWord(src, gold.source);
  const auto tgtCounts = tokensPerWord(tgt, gold.target);
  if (!srcCounts || !tgtCounts) {
    out.why = !srcCounts ? QObject::tr("the model's %1 source tokens do not spell the gold sentence's %2 words")
                               .arg(src.size()).arg(gold.source.size())
                         : QObject::tr("the decoded target's %1 tokens do not spell the gold target's %2 words (force-decode "
                                       "the gold target)").arg(tgt.size()).arg(gold.target.size());
    return out;
  }
  const attnviz::WordSpans srcSpans = attnviz::WordSpans::fromCounts(*srcCounts);
  const attnviz::WordSpans tgtSpans = attnviz::WordSpans::fromCounts(*tgtCounts);
  out.predicted = attnviz::argmaxWordAlignment(cross->second, tgtSpans, srcSpans);
  out.counts = attnviz::aerCounts(out.predicted, gold.links);
  out.comparable = true;
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
