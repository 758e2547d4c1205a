// hansards.py read_pairs in C++: tokenize each line (memoised per space-separated piece, as hansards.py's
// LineTokenizer: tokenize splits on spaces first, so a line's tokens are its pieces' tokens one after another),
// filter, drop exact duplicates, and number the words of the kept pairs.
#include "engine/models/aligner/parallel_corpus.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <unordered_map>

#include "engine/core/error.h"
#include "engine/models/seq2seq/seq2seq_tokenizer.h"

namespace attnviz::aligner {

namespace {

// One side's tokens, interned while reading: raw ids count every token ever seen, the kept pairs' ids are
// renumbered by finish().
struct Side {
  std::vector<std::string> words;                          // raw id -> token
  std::unordered_map<std::string, std::uint32_t> ids;      // token -> raw id
  std::unordered_map<std::string, std::vector<std::uint32_t>> pieces;  // space-free piece -> its raw ids

  void tokensOf(std::string_view line, const std::string& where, std::vector<std::uint32_t>& out) {
    out.clear();
    std::size_t start = 0;
    while (start <= line.size()) {
      std::size_t end = line.find(' ', start);
      if (end == std::string_view::npos) end = line.size();
      const std::string piece(line.substr(start, end - start));
      auto memo = pieces.find(piece);
      if (memo == pieces.end()) {
        std::vector<std::uint32_t> pieceIds;
        for (const std::string& token : seq2seq::tokenize(piece, where)) {
          auto [it, added] = ids.try_emplace(token, static_cast<std::uint32_t>(words.size()));
          if (added) words.push_back(token);
          pieceIds.push_back(it->second);
        }
        memo = pieces.emplace(piece, std::move(pieceIds)).first;
      }
      out.insert(out.end(), memo->second.begin(), memo->second.end());
      start = end + 1;
    }
  }
};

std::uint64_t hashIds(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the ids, a separator between the sides
  const auto mix = [&h](std::uint64_t v) { h = (h ^ v) * 1099511628211ull; };
  for (std::uint32_t id : a) mix(id);
  mix(0xffffffffull);
  for (std::uint32_t id : b) mix(id);
  return h;
}

bool startsWithXzMagic(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[6] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == 6 && std::string_view(magic, 6) == std::string_view("\xFD" "7zXZ\0", 6);
}

// Lines of a file without their '\n', each at most kMaxLineBytes.
class LineReader {
 public:
  explicit LineReader(const std::string& path) : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw InputError(path, "cannot be opened; give a plain text file, one sentence per line");
  }
  bool next(std::string& line) {
    line.clear();
    for (;;) {
      if (pos_ == size_) {
        in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
        size_ = static_cast<std::size_t>(in_.gcount());
        pos_ = 0;
        if (size_ == 0) {
          if (in_.bad()) throw InputError(path_, "could not be read to its end");
          if (line.empty()) return false;
          ++number_;
          return true;
        }
      }
      const char* begin = buffer_.data() + pos_;
      const char* newline = static_cast<const char*>(std::memchr(begin, '\n', size_ - pos_));
      const std::size_t take = newline ? static_cast<std::size_t>(newline - begin) : size_ - pos_;
      if (line.size() + take > kMaxLineBytes)
        throw InputError(path_ + ":" + std::to_string(number_ + 1),
                         "line is longer than " + std::to_string(kMaxLineBytes) +
                             " bytes; is this a sentence-per-line text file?");
      line.append(begin, take);
      pos_ += take;
      if (newline) {
        ++pos_;
        ++number_;
        return true;
      }
    }
  }
  std::int64_t number() const { return number_; }

 private:
  std::string path_;
  std::ifstream in_;
  std::vector<char> buffer_ = std::vector<char>(1 << 20);
  std::size_t pos_ = 0, size_ = 0;
  std::int64_t number_ = 0;  // lines returned so far
};

}  // namespace

int ParallelCorpus::maxSourceLength() const {
  std::uint64_t longest = 0;
  for (std::size_t p = 0; p < pairs(); ++p) longest = std::max(longest, sourceStart[p + 1] - sourceStart[p]);
  return static_cast<int>(longest);
}

int ParallelCorpus::maxTargetLength() const {
  std::uint64_t longest = 0;
  for (std::size_t p = 0; p < pairs(); ++p) longest = std::max(longest, targetStart[p + 1] - targetStart[p]);
  return static_cast<int>(longest);
}

bool keepPair(std::size_t sourceTokens, std::size_t targetTokens) {
  const std::size_t a = sourceTokens, b = targetTokens;
  if (a == 0 || b == 0 || a > kMaxPairTokens || b > kMaxPairTokens) return false;
  return static_cast<double>(std::max(a, b)) <= kMaxLengthRatio * static_cast<double>(std::min(a, b));
}

struct CorpusBuilder::State {
  Side sourceSide, targetSide;
  ParallelCorpus corpus;  // ids still raw until finish()
  std::unordered_multimap<std::uint64_t, std::uint32_t> seen;  // hash of a kept pair -> its index
  std::vector<std::uint32_t> e, f;
};

CorpusBuilder::CorpusBuilder() : state_(std::make_unique<State>()) {}
CorpusBuilder::~CorpusBuilder() = default;

void CorpusBuilder::add(std::string_view sourceLine, std::string_view targetLine, const std::string& sourceWhere,
                        const std::string& targetWhere) {
  State& s = *state_;
  ParallelCorpus& c = s.corpus;
  ++c.counts.read;
  s.sourceSide.tokensOf(sourceLine, sourceWhere, s.e);
  s.targetSide.tokensOf(targetLine, targetWhere, s.f);
  if (!keepPair(s.e.size(), s.f.size())) {
    ++c.counts.droppedLengthOrRatio;
    return;
  }
  const std::uint64_t h = hashIds(s.e, s.f);
  const auto [first, last] = s.seen.equal_range(h);
  for (auto it = first; it != last; ++it) {
    const auto e = c.sourceOf(it->second), f = c.targetOf(it->second);
    if (std::equal(e.begin(), e.end(), s.e.begin(), s.e.end()) && std::equal(f.begin(), f.end(), s.f.begin(), s.f.end())) {
      ++c.counts.droppedDuplicate;
      return;
    }
  }
  s.seen.emplace(h, static_cast<std::uint32_t>(c.pairs()));
  c.source.insert(c.source.end(), s.e.begin(), s.e.end());
  c.target.insert(c.target.end(), s.f.begin(), s.f.end());
  c.sourceStart.push_back(c.source.size());
  c.targetStart.push_back(c.target.size());
}

ParallelCorpus CorpusBuilder::finish() {
  State& s = *state_;
  ParallelCorpus c = std::move(s.corpus);
  // Renumber each side by first appearance in the kept pairs; source ids start at 1 (0 is NULL).
  const auto renumber = [](std::vector<std::uint32_t>& ids, const Side& side, std::vector<std::string>& words) {
    constexpr std::uint32_t kUnset = 0xffffffffu;
    std::vector<std::uint32_t> newId(side.words.size(), kUnset);
    for (std::uint32_t& id : ids) {
      if (newId[id] == kUnset) {
        newId[id] = static_cast<std::uint32_t>(words.size());
        words.push_back(side.words[id]);
      }
      id = newId[id];
    }
  };
  renumber(c.source, s.sourceSide, c.sourceWords);
  renumber(c.target, s.targetSide, c.targetWords);
  c.counts.kept = static_cast<std::int64_t>(c.pairs());
  c.counts.sourceTokens = static_cast<std::int64_t>(c.source.size());
  c.counts.targetTokens = static_cast<std::int64_t>(c.target.size());
  state_ = std::make_unique<State>();
  return c;
}

ParallelCorpus readParallelCorpus(const std::string& sourcePath, const std::string& targetPath,
                                  const std::function<void(std::int64_t lines)>& progress) {
  for (const std::string& path : {sourcePath, targetPath})
    if (startsWithXzMagic(path))
      throw InputError(path, "is xz-compressed; decompress it first (xz -dk " + path + ") and give the plain file");
  LineReader sourceLines(sourcePath), targetLines(targetPath);
  CorpusBuilder builder;
  std::string e, f;
  for (;;) {
    const bool hasSource = sourceLines.next(e), hasTarget = targetLines.next(f);
    if (hasSource != hasTarget) {
      const std::string& shorter = hasSource ? targetPath : sourcePath;
      throw InputError(shorter, "ends at line " + std::to_string(hasSource ? targetLines.number() : sourceLines.number()) +
                                    " but the other file goes on; line N of each file forms pair N");
    }
    if (!hasSource) break;
    const std::string line = std::to_string(sourceLines.number());
    builder.add(e, f, sourcePath + ":" + line, targetPath + ":" + line);
    if (progress && sourceLines.number() % 100000 == 0) progress(sourceLines.number());
  }
  return builder.finish();
}

}  // namespace attnviz::aligner
