// ParallelCorpus: sentence pairs as token ids, for training the statistical aligner (ibm_training.h). Read from two
// plain UTF-8 text files, one sentence per line, line N of each forming pair N (the WPT03 Hansards release is .xz:
// decompress it first, `xz -dk train.e.xz`; an .xz file given as is is refused with that advice).
//
// Tokens and filter: exactly models/seq2seq/hansards.py's read_pairs, so the aligner sees the pairs the seq2seq
// models were trained on: every line goes through the seq2seq tokenizer (seq2seq_tokenizer.h: lowercasing,
// "tatoeba-en-fr"); a pair is kept when both sides have 1..kMaxPairTokens tokens and max/min <= kMaxLengthRatio;
// an exact duplicate of a kept pair (same tokens on both sides) is dropped.
//
//   ParallelCorpus c = readParallelCorpus("train.e", "train.f");       // throws InputError naming file:line
//   for (std::size_t p = 0; p < c.pairs(); ++p) { auto e = c.sourceOf(p); auto f = c.targetOf(p); ... }
//
// Ids: source id 0 is NULL (kNullWord, never in a sentence); other ids number the words of the kept pairs in order
// of first appearance (deterministic for a given corpus).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz::aligner {

constexpr int kMaxPairTokens = 50;       // hansards.py MAX_TOKENS
constexpr double kMaxLengthRatio = 2.0;  // hansards.py MAX_RATIO
constexpr const char* kNullWord = "<null>";
// A longer line is refused (no sentence of a parallel corpus comes near; it keeps a broken file from filling memory).
constexpr std::size_t kMaxLineBytes = 1 << 20;

struct CorpusCounts {
  std::int64_t read = 0, kept = 0, droppedLengthOrRatio = 0, droppedDuplicate = 0;
  std::int64_t sourceTokens = 0, targetTokens = 0;  // of the kept pairs
};

struct ParallelCorpus {
  std::vector<std::string> sourceWords{kNullWord};  // id -> token; [0] is NULL
  std::vector<std::string> targetWords;             // id -> token
  std::vector<std::uint32_t> source, target;        // every kept pair's ids, one pair after another
  std::vector<std::uint64_t> sourceStart{0}, targetStart{0};  // pair p: [start[p], start[p + 1])
  CorpusCounts counts;

  std::size_t pairs() const { return sourceStart.size() - 1; }
  std::span<const std::uint32_t> sourceOf(std::size_t p) const {
    return {source.data() + sourceStart[p], source.data() + sourceStart[p + 1]};
  }
  std::span<const std::uint32_t> targetOf(std::size_t p) const {
    return {target.data() + targetStart[p], target.data() + targetStart[p + 1]};
  }
  int maxSourceLength() const;
  int maxTargetLength() const;
};

// hansards.py keep_pair on token counts.
bool keepPair(std::size_t sourceTokens, std::size_t targetTokens);

// Builds a corpus from line pairs (the files' lines without their newline; the where strings name them in
// messages, e.g. "train.e:12"). Throws InputError(where) for a line that is not valid UTF-8.
class CorpusBuilder {
 public:
  CorpusBuilder();
  ~CorpusBuilder();
  CorpusBuilder(const CorpusBuilder&) = delete;
  CorpusBuilder& operator=(const CorpusBuilder&) = delete;
  void add(std::string_view sourceLine, std::string_view targetLine, const std::string& sourceWhere,
           const std::string& targetWhere);
  ParallelCorpus finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// progress, if set, is called every 100,000 line pairs with the pairs read so far.
ParallelCorpus readParallelCorpus(const std::string& sourcePath, const std::string& targetPath,
                                  const std::function<void(std::int64_t lines)>& progress = {});

}  // namespace attnviz::aligner
