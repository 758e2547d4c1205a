#include "engine/align/word_alignment.h"

#include <algorithm>
#include <cstdint>

#include "engine/models/seq2seq/seq2seq_tokenizer.h"

namespace attnviz {

namespace {

constexpr const char* kEos = "<eos>";           // attnviz's RNN models
constexpr const char* kPieceEos = "</s>";       // SentencePiece models (MarianMT)
constexpr const char* kUnknown = "<unk>";
constexpr std::string_view kWordStart = "\u2581";  // "▁": a SentencePiece piece that starts a word

// The words' own tokens, one list per word.
std::vector<std::vector<std::string>> tokensOfWords(const std::vector<std::string>& words, const char* side) {
  std::vector<std::vector<std::string>> out;
  out.reserve(words.size());
  for (std::size_t w = 0; w < words.size(); ++w)
    out.push_back(seq2seq::tokenize(words[w], std::string(side) + " word " + std::to_string(w + 1)));
  return out;
}

// Cuts the spans to the first `kept` tokens; returns the words that had tokens and lost them all.
int keepFirstTokens(WordSpans& spans, int kept) {
  int lost = 0;
  for (int w = 0; w < spans.words(); ++w) {
    const auto i = static_cast<std::size_t>(w);
    const bool had = spans.count[i] > 0;
    const int end = std::min(spans.first[i] + spans.count[i], kept);
    spans.first[i] = std::min(spans.first[i], kept);
    spans.count[i] = end - spans.first[i];
    if (had && spans.count[i] == 0) ++lost;
  }
  return lost;
}

// Matches one side's words to the trace's tokens (without the final <eos>). Returns "" or why they do not match.
std::string matchSide(const std::vector<std::string>& words, const std::vector<std::string>& traceTokens,
                      bool cutAllowed, const char* side, WordSide& out) {
  const auto wordTokens = tokensOfWords(words, side);
  std::vector<int> counts;
  std::vector<std::string> wanted;  // the words' tokens in order: what the model should have made
  for (const auto& tokens : wordTokens) {
    counts.push_back(static_cast<int>(tokens.size()));
    out.splitWords += tokens.size() != 1;
    wanted.insert(wanted.end(), tokens.begin(), tokens.end());
  }
  out.spans = WordSpans::fromCounts(counts);
  out.tokensWanted = static_cast<int>(wanted.size());
  out.tokensKept = static_cast<int>(traceTokens.size());
  const auto describe = [&] {
    return "the trace's " + std::to_string(traceTokens.size()) + " " + side + " tokens are not the " +
           std::to_string(wanted.size()) + " tokens of the " + std::to_string(words.size()) + " gold " + side + " words";
  };
  if (out.tokensKept > out.tokensWanted || (out.cut() && !cutAllowed)) return describe();
  for (std::size_t k = 0; k < traceTokens.size(); ++k)
    if (traceTokens[k] != wanted[k] && traceTokens[k] != kUnknown)
      return describe() + " (token " + std::to_string(k + 1) + " is \"" + traceTokens[k] + "\", the words give \"" +
             wanted[k] + "\")";
  out.lostWords = keepFirstTokens(out.spans, out.tokensKept);
  return {};
}

// SentencePiece models split on spaces and mark each word's first piece with "▁", so their pieces group into the
// words by those marks (nothing else is checked: the normaliser may rewrite characters, e.g. NFKC). Words past the
// model's cut have no pieces.
std::string matchPieces(const std::vector<std::string>& words, const std::vector<std::string>& traceTokens,
                        bool cutAllowed, const char* side, WordSide& out) {
  std::vector<int> counts;
  for (const std::string& token : traceTokens) {
    if (counts.empty() || token.rfind(kWordStart, 0) == 0) counts.push_back(0);
    ++counts.back();
  }
  const auto found = static_cast<int>(counts.size()), wanted = static_cast<int>(words.size());
  const bool cut = found < wanted && cutAllowed;
  if (found > wanted || (found < wanted && !cut))
    return "the trace's " + std::to_string(traceTokens.size()) + " " + side + " pieces make " + std::to_string(found) +
           " words (a piece starting with \u2581 starts a word), not the " + std::to_string(wanted) + " gold " + side + " words";
  for (int count : counts) out.splitWords += count != 1;
  counts.resize(words.size(), 0);
  out.spans = WordSpans::fromCounts(counts);
  out.tokensKept = static_cast<int>(traceTokens.size());
  out.tokensWanted = out.tokensKept + (cut ? 1 : 0);  // the pieces past the cut are unknown: at least one
  out.lostWords = wanted - found;
  return {};
}

bool isPieceStyle(const std::vector<std::string>& tokens) {
  return !tokens.empty() && tokens.back() == kPieceEos;
}

// The trace's tokens without the final <eos> (or </s>); false when they do not end with one.
bool withoutEos(const std::vector<std::string>& tokens, std::vector<std::string>& out) {
  if (tokens.empty() || (tokens.back() != kEos && tokens.back() != kPieceEos)) return false;
  out.assign(tokens.begin(), tokens.end() - 1);
  return true;
}

}  // namespace

std::string joinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

WordAlignment alignWords(const Trace& trace, const std::vector<std::string>& sourceWords,
                         const std::vector<std::string>& targetWords, const WordAlignmentOptions& options) {
  WordAlignment a;
  const auto cross = trace.attention.find("cross");
  if (cross == trace.attention.end() || (cross->second.rank() != 2 && cross->second.rank() != 4)) {
    a.why = "the trace has no cross-attention map";
    return a;
  }
  const Tensor& all = cross->second;
  if (all.rank() == 4 && (options.method.layer >= all.dim(0) || options.method.head >= all.dim(1))) {
    a.why = "the model has " + std::to_string(all.dim(0)) + " decoder layers of " + std::to_string(all.dim(1)) +
            " heads; " + crossMapName(options.method.layer, options.method.head) + " does not exist";
    return a;
  }
  const Tensor map = selectCrossMap(all, options.method.layer, options.method.head);
  std::vector<std::string> source, target;
  if (!withoutEos(trace.sourceTokens, source)) {
    a.why = "the trace's source tokens do not end with <eos>";
    return a;
  }
  if (!withoutEos(trace.targetTokens, target)) {
    a.why = "the decoding stopped before <eos>; force-decode the gold target";
    return a;
  }
  if (map.dim(0) != static_cast<std::int64_t>(trace.targetTokens.size()) ||
      map.dim(1) != static_cast<std::int64_t>(trace.sourceTokens.size())) {
    a.why = "the cross-attention map is " + std::to_string(map.dim(0)) + " x " +
            std::to_string(map.dim(1)) + " for " + std::to_string(trace.targetTokens.size()) + " target and " +
            std::to_string(trace.sourceTokens.size()) + " source tokens";
    return a;
  }
  const bool pieces = isPieceStyle(trace.sourceTokens);
  a.why = pieces ? matchPieces(sourceWords, source, /*cutAllowed=*/true, "source", a.source)
                 : matchSide(sourceWords, source, /*cutAllowed=*/true, "source", a.source);
  if (!a.why.empty()) return a;
  a.why = pieces ? matchPieces(targetWords, target, options.targetForced, "target", a.target)
                 : matchSide(targetWords, target, options.targetForced, "target", a.target);
  if (!a.why.empty()) {
    if (!options.targetForced) a.why += "; force-decode the gold target";
    return a;
  }
  a.links = extractWordAlignment(map, a.target.spans, a.source.spans, options.method);
  a.comparable = true;
  return a;
}

}  // namespace attnviz
