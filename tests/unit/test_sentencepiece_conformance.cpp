// SentencePiece conformance with python3-sentencepiece 0.1.97 (Debian's): the fixture models of
// tests/data/sentencepiece must encode every line of their expected files to the ids, pieces and byte spans the
// Python package gives (make_spm_fixture.py in that folder trained the models and wrote the rows):
//  - hansards-unigram.model (unigram, nmt_nfkc, 4,000 pieces, three user-defined symbols), expected.tsv: 2,000
//    Hansards English and French lines the model never saw and 600 synthetic and edge-case lines;
//  - bytes-identity.model (400 pieces with byte fallback, identity normaliser, no dummy prefix, spaces kept),
//    expected-bytes-identity.tsv: 200 of those Hansards lines and the same 600;
//  - suffix-identity.model (300 pieces, identity normaliser, treat_whitespace_as_suffix, one user-defined symbol),
//    expected-suffix-identity.tsv: 100 Hansards lines and the first 200 synthetic ones.
//  - hansards-unigram.model with its charsmap replaced by T5's (from the real tokenizer.json of
//    ../shared/real-checkpoints/tokenizers, built by an older SentencePiece; 45 of the 600 synthetic lines normalise
//    differently with it), t5-charsmap.tsv: a hash of Python's ids, pieces and spans per line.
// decode.tsv: decode(ids) and decode_pieces(pieces) of random sequences and of the synthetic lines' encodings, for
// each model, must give Python's text.
// Hansards lines are stored as references (file, line, FNV-1a hash) and read from ../shared/data at run time:
// without that folder the test fails, saying so. The others are stored escaped.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/models/seq2seq/sentencepiece.h"
#include "tests/unit/fixture_escape.h"

namespace fs = std::filesystem;
using attnviz::seq2seq::SentencePiece;

namespace {

const fs::path kFixtures = fs::path(ATTNVIZ_TEST_DATA) / "sentencepiece";
const fs::path kSharedData = fs::path(ATTNVIZ_SOURCE_DIR).parent_path() / "shared" / "data";
constexpr int kMismatchesShown = 10;

std::string fnv64(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, separator)) out.push_back(item);
  if (!text.empty() && text.back() == separator) out.emplace_back();
  return out;
}

// The first `count` lines of an .xz file of ../shared/data.
std::vector<std::string> sharedLines(const std::string& file, std::size_t count) {
  const fs::path path = kSharedData / file;
  if (!fs::exists(path)) {
    ADD_FAILURE() << "the shared data file " << path << " is missing: the conformance test reads its lines from "
                  << "../shared/data beside the repository; it never skips";
    return {};
  }
  const std::string command = "xz -dc '" + path.string() + "' | head -n " + std::to_string(count);
  std::FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    ADD_FAILURE() << "cannot run " << command;
    return {};
  }
  std::string text;
  char buffer[1 << 16];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, n);
  pclose(pipe);  // head closing the pipe early makes xz fail: the line count below is the check
  std::vector<std::string> lines = split(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

struct Row {
  std::string ref, hash, unknownPieces, spans;
  std::vector<std::int64_t> ids;
};

std::vector<Row> readRows(const std::string& name) {
  std::ifstream in(kFixtures / name);
  std::vector<Row> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> c = split(line, '\t');
    if (c.size() != 5) {
      ADD_FAILURE() << name << ": a row with " << c.size() << " columns, expected 5: " << line.substr(0, 200);
      continue;
    }
    Row r{c[0], c[1], c[3], c[4], {}};
    for (const std::string& id : split(c[2], ',')) r.ids.push_back(std::stoll(id));
    rows.push_back(std::move(r));
  }
  return rows;
}

// The expected pieces: each id's piece, the unknown ones from the row's list in order.
std::vector<std::string> expectedPieces(const Row& row, const SentencePiece& spm) {
  std::vector<std::string> unknown;
  for (const std::string& p : split(row.unknownPieces, ' '))
    if (!p.empty()) unknown.push_back(attnviz::test::unescapeFixture(p));
  std::vector<std::string> pieces;
  std::size_t next = 0;
  for (std::int64_t id : row.ids)
    pieces.push_back(id == spm.unkId() ? (next < unknown.size() ? unknown[next++] : "<missing>") : spm.piece(id));
  return pieces;
}

std::vector<attnviz::seq2seq::ByteSpan> expectedSpans(const Row& row) {
  std::vector<attnviz::seq2seq::ByteSpan> spans;
  if (row.spans.empty()) return spans;
  const std::size_t colon = row.spans.find(':');
  std::size_t at = std::stoul(row.spans.substr(0, colon));
  for (const std::string& length : split(row.spans.substr(colon + 1), ',')) {
    spans.push_back({at, at + std::stoul(length)});
    at += std::stoul(length);
  }
  return spans;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : " ") + s;
  return out;
}

// The text of a row: stored escaped, or read from ../shared/data (files read once, as far as the rows need).
class RowTexts {
 public:
  explicit RowTexts(const std::vector<std::string>& refs) {
    std::map<std::string, std::size_t> lastLine;
    for (const std::string& ref : refs)
      if (ref.rfind("text:", 0) != 0) {
        const std::size_t colon = ref.rfind(':');
        std::size_t& last = lastLine[ref.substr(0, colon)];
        last = std::max<std::size_t>(last, std::stoul(ref.substr(colon + 1)));
      }
    for (const auto& [file, last] : lastLine) {
      lines_[file] = sharedLines(file, last);
      EXPECT_EQ(lines_[file].size(), last) << file << " has fewer lines than the fixture needs";
    }
  }
  std::string text(const std::string& ref) {
    if (ref.rfind("text:", 0) == 0) return attnviz::test::unescapeFixture(ref.substr(5));
    const std::size_t colon = ref.rfind(':');
    const auto& lines = lines_[ref.substr(0, colon)];
    const std::size_t number = std::stoul(ref.substr(colon + 1));
    return number <= lines.size() ? lines[number - 1] : std::string();
  }

 private:
  std::map<std::string, std::vector<std::string>> lines_;
};

void checkFixture(const std::string& model, std::int64_t pieces, const std::string& expected,
                  std::size_t expectedRows) {
  const SentencePiece spm = SentencePiece::fromFile((kFixtures / model).string());
  ASSERT_EQ(spm.size(), pieces);
  const std::vector<Row> rows = readRows(expected);
  ASSERT_EQ(rows.size(), expectedRows) << "tests/data/sentencepiece/" << expected << " is missing or short";

  std::vector<std::string> refs;
  for (const Row& row : rows) refs.push_back(row.ref);
  RowTexts texts(refs);
  int same = 0, mismatches = 0, shared = 0;
  for (const Row& row : rows) {
    const std::string text = texts.text(row.ref);
    if (row.ref.rfind("text:", 0) != 0) ++shared;
    ASSERT_EQ(fnv64(text), row.hash) << row.ref << ": the line changed since the fixture was written";
    const attnviz::seq2seq::Pieces got = spm.encode(text, row.ref);
    const std::vector<std::string> pieces = expectedPieces(row, spm);
    const auto spans = expectedSpans(row);
    const bool ok = got.pieceIds == row.ids && got.pieces == pieces && got.byteOffsets == spans;
    if (ok) {
      ++same;
    } else if (++mismatches <= kMismatchesShown) {
      std::string gotSpans, wantSpans;
      for (const auto& s : got.byteOffsets) gotSpans += std::to_string(s.begin) + ":" + std::to_string(s.end) + " ";
      for (const auto& s : spans) wantSpans += std::to_string(s.begin) + ":" + std::to_string(s.end) + " ";
      ADD_FAILURE() << row.ref << "\n  python:  " << joined(pieces) << "\n  attnviz: " << joined(got.pieces)
                    << "\n  python spans:  " << wantSpans << "\n  attnviz spans: " << gotSpans;
    }
  }
  std::cout << model << " conformance: " << same << " of " << rows.size() << " lines identical (ids, pieces, "
            << "spans); " << shared << " from ../shared/data\n";
  EXPECT_EQ(same, static_cast<int>(rows.size()));
}
std::string base64Decode(const std::string& text) {
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '+' ? 62 : c == '/' ? 63 : -1;
    if (v < 0) continue;  // '=' padding
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    if ((count += 6) >= 8) out += static_cast<char>((bits >> (count -= 8)) & 0xff);
  }
  return out;
}

std::string varint(std::uint64_t v) {
  std::string out;
  do {
    out += static_cast<char>((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
    v >>= 7;
  } while (v);
  return out;
}

}  // namespace

TEST(SentencePieceConformance, HansardsUnigramNmtNfkc) {
  checkFixture("hansards-unigram.model", 4000, "expected.tsv", 2600);
}

TEST(SentencePieceConformance, ByteFallbackIdentityNormaliser) {
  checkFixture("bytes-identity.model", 400, "expected-bytes-identity.tsv", 800);
}

TEST(SentencePieceConformance, WhitespaceAsSuffixIdentityNormaliser) {
  checkFixture("suffix-identity.model", 300, "expected-suffix-identity.tsv", 300);
}

TEST(SentencePieceConformance, T5sRealCharsmap) {
  const fs::path json = kSharedData.parent_path() / "real-checkpoints/tokenizers/unigram.t5-tiny-random.basaran.tokenizer.json";
  std::ifstream jsonIn(json);
  ASSERT_TRUE(jsonIn) << "missing " << json << " (../shared/real-checkpoints beside the repository)";
  const std::string jsonText(std::istreambuf_iterator<char>(jsonIn), {});
  const std::string key = "\"precompiled_charsmap\":";
  const std::size_t at = jsonText.find(key);
  ASSERT_NE(at, std::string::npos);
  const std::size_t open = jsonText.find('"', at + key.size());
  const std::string charsmap = base64Decode(jsonText.substr(open + 1, jsonText.find('"', open + 1) - open - 1));
  ASSERT_GT(charsmap.size(), 100000u);
  // A second normalizer_spec (field 3) with precompiled_charsmap (field 2) merges into the model's first, as protobuf
  // merges (and python3-sentencepiece read it so in make_spm_fixture.py).
  std::ifstream modelIn(kFixtures / "hansards-unigram.model", std::ios::binary);
  std::string bytes(std::istreambuf_iterator<char>(modelIn), {});
  const std::string spec = "\x12" + varint(charsmap.size()) + charsmap;
  bytes += "\x1a" + varint(spec.size()) + spec;
  const SentencePiece spm = SentencePiece::fromBytes(bytes, "hansards-unigram.model + T5 charsmap");
  const SentencePiece nfkc = SentencePiece::fromFile((kFixtures / "hansards-unigram.model").string());

  std::ifstream in(kFixtures / "t5-charsmap.tsv");
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') rows.push_back(split(line, '\t'));
  ASSERT_EQ(rows.size(), 800u);
  std::vector<std::string> refs;
  for (const auto& r : rows) refs.push_back(r.at(0));
  RowTexts texts(refs);
  int same = 0, differsFromNmtNfkc = 0, mismatches = 0;
  for (const auto& r : rows) {
    const std::string text = texts.text(r[0]);
    ASSERT_EQ(fnv64(text), r[1]) << r[0] << ": the line changed since the fixture was written";
    const attnviz::seq2seq::Pieces p = spm.encode(text, r[0]);
    std::string ids, pieces, spans;
    for (std::size_t i = 0; i < p.pieces.size(); ++i) {
      ids += (i ? "," : "") + std::to_string(p.pieceIds[i]);
      pieces += (i ? "\x01" : "") + p.pieces[i];
      spans += (i ? "," : std::to_string(p.byteOffsets[0].begin) + ":") +
               std::to_string(p.byteOffsets[i].end - p.byteOffsets[i].begin);
    }
    if (fnv64(ids + "\t" + pieces + "\t" + spans) == r[2]) ++same;
    else if (++mismatches <= kMismatchesShown) ADD_FAILURE() << r[0] << ": attnviz gives " << ids << " | " << spans;
    if (nfkc.encode(text, r[0]).pieceIds != p.pieceIds) ++differsFromNmtNfkc;
  }
  std::cout << "T5 charsmap conformance: " << same << " of " << rows.size() << " lines identical; "
            << differsFromNmtNfkc << " of them encode differently with the fixture's own nmt_nfkc charsmap\n";
  EXPECT_EQ(same, static_cast<int>(rows.size()));
  EXPECT_GT(differsFromNmtNfkc, 0);  // the two charsmaps are really different rule sets
}

TEST(SentencePieceConformance, DecodeAsPython) {
  std::map<std::string, SentencePiece> models;
  std::ifstream in(kFixtures / "decode.tsv");
  int rows = 0, same = 0, mismatches = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> c = split(line, '\t');
    ASSERT_EQ(c.size(), 4u) << line;
    auto it = models.find(c[0]);
    if (it == models.end()) it = models.emplace(c[0], SentencePiece::fromFile((kFixtures / c[0]).string())).first;
    const std::string expected = attnviz::test::unescapeFixture(c[3]);
    std::string got;
    if (c[1] == "ids") {
      std::vector<std::int64_t> ids;
      for (const std::string& id : split(c[2], ',')) ids.push_back(std::stoll(id));
      got = it->second.decode(ids, "decode.tsv");
    } else {
      std::vector<std::string> pieces;
      for (const std::string& p : split(c[2], ' ')) pieces.push_back(attnviz::test::unescapeFixture(p));
      if (c[2].empty()) pieces.clear();
      got = it->second.decodePieces(pieces);
    }
    ++rows;
    if (got == expected) ++same;
    else if (++mismatches <= kMismatchesShown)
      ADD_FAILURE() << c[0] << " " << c[1] << " [" << c[2] << "]\n  python:  [" << expected << "]\n  attnviz: [" << got
                    << "]";
  }
  std::cout << "decode conformance: " << same << " of " << rows << " sequences identical\n";
  EXPECT_EQ(rows, 1200);
  EXPECT_EQ(same, rows);
}
