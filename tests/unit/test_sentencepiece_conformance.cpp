// SentencePiece conformance with python3-sentencepiece 0.1.97 (Debian's): the fixture models of
// tests/data/sentencepiece must encode every line of their expected files to the ids, pieces and byte spans the
// Python package gives (make_spm_fixture.py in that folder trained the models and wrote the rows):
//  - hansards-unigram.model (unigram, nmt_nfkc, 4,000 pieces, three user-defined symbols), expected.tsv: 2,000
//    Hansards English and French lines the model never saw and 600 synthetic and edge-case lines;
//  - bytes-identity.model (400 pieces with byte fallback, identity normaliser, no dummy prefix, spaces kept),
//    expected-bytes-identity.tsv: 200 of those Hansards lines and the same 600;
//  - suffix-identity.model (300 pieces, identity normaliser, treat_whitespace_as_suffix, one user-defined symbol),
//    expected-suffix-identity.tsv: 100 Hansards lines and the first 200 synthetic ones.
// Hansards lines are stored as references (file, line, FNV-1a hash) and read from ../shared/data at run time:
// without that folder the test fails, saying so. The others are stored escaped.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
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

void checkFixture(const std::string& model, std::int64_t pieces, const std::string& expected,
                  std::size_t expectedRows) {
  const SentencePiece spm = SentencePiece::fromFile((kFixtures / model).string());
  ASSERT_EQ(spm.size(), pieces);
  const std::vector<Row> rows = readRows(expected);
  ASSERT_EQ(rows.size(), expectedRows) << "tests/data/sentencepiece/" << expected << " is missing or short";

  // Shared-data lines: every row names its file and line; each file is read once, as far as needed.
  std::map<std::string, std::size_t> lastLine;
  for (const Row& row : rows)
    if (row.ref.rfind("text:", 0) != 0) {
      const std::size_t colon = row.ref.rfind(':');
      std::size_t& last = lastLine[row.ref.substr(0, colon)];
      last = std::max<std::size_t>(last, std::stoul(row.ref.substr(colon + 1)));
    }
  std::map<std::string, std::vector<std::string>> lines;
  for (const auto& [file, last] : lastLine) {
    lines[file] = sharedLines(file, last);
    ASSERT_EQ(lines[file].size(), last) << file << " has fewer lines than the fixture needs";
  }

  int same = 0, mismatches = 0, shared = 0;
  for (const Row& row : rows) {
    std::string text;
    if (row.ref.rfind("text:", 0) == 0) {
      text = attnviz::test::unescapeFixture(row.ref.substr(5));
    } else {
      const std::size_t colon = row.ref.rfind(':');
      text = lines[row.ref.substr(0, colon)][std::stoul(row.ref.substr(colon + 1)) - 1];
      ++shared;
    }
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
