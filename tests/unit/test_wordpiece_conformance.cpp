// WordPiece conformance with implementations nobody here wrote: the two real WordPiece tokenizer.json files of
// ../shared/real-checkpoints/tokenizers, read through readHfWordPiece as the Hugging Face encoder loader reads
// them (so with the Rust tokenizers library's rules, WordPieceRules::RustFast), must encode every line of
// tests/data/wordpiece-conformance/*.tsv to the ids and tokens the Rust library gives (make_expected.mjs there wrote
// them). transformers.js is the second oracle: the lines where it differs from Rust are recorded as its deviations
// (README.md in that folder explains them) and attnviz is held to Rust there too. The same lines are also encoded
// with Python's rules (WordPieceRules::Python, the slow BertTokenizer): every line where that differs from Rust must
// be explained by one of the three known differences (final sigma, U+2B820-U+2B91F, NFC). Hansards and movie-review
// lines are stored as references (file, line, FNV-1a hash) and read from ../shared/data at run time: without that
// folder the test fails, saying so.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "engine/core/unicode.h"
#include "engine/core/utf8.h"
#include "tests/unit/fixture_escape.h"
#include "engine/io/hf_files.h"
#include "engine/io/hf_wordpiece_files.h"
#include "engine/models/encoder/wordpiece_tokenizer.h"

namespace fs = std::filesystem;
using attnviz::WordPieceTokenizer;

namespace {

const fs::path kFixtures = fs::path(ATTNVIZ_TEST_DATA) / "wordpiece-conformance";
const fs::path kShared = fs::path(ATTNVIZ_SOURCE_DIR).parent_path() / "shared";
constexpr std::int64_t kNoLimit = 1 << 20;  // attnviz truncates at the model's positions; compare whole encodings
constexpr int kMismatchesShown = 20;

struct NamedTokenizer {
  std::string name, file;
};
// The fixture's columns hold these two in this order (make_expected.mjs's TOKENIZERS).
const std::vector<NamedTokenizer> kTokenizers = {
    {"bert-base-uncased", "wordpiece.bert-base-uncased.via-bert-tiny.lmbuddy.tokenizer.json"},
    {"all-MiniLM-L6-v2", "wordpiece.all-MiniLM-L6-v2.with-truncation-padding.tokenizer.json"},
};

std::string fnv64(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

using attnviz::test::unescapeFixture;

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, separator)) out.push_back(item);
  if (!text.empty() && text.back() == separator) out.emplace_back();
  return out;
}

std::vector<std::int64_t> parseIds(const std::string& text) {
  std::vector<std::int64_t> ids;
  for (const std::string& s : split(text, ',')) ids.push_back(std::stoll(s));
  return ids;
}

std::vector<std::string> parseTokens(const std::string& text) {
  std::vector<std::string> tokens;
  for (const std::string& s : split(text, ' ')) tokens.push_back(unescapeFixture(s));
  return tokens;
}

template <typename T>
std::string joined(const std::vector<T>& items) {
  std::ostringstream out;
  for (std::size_t i = 0; i < items.size(); ++i) out << (i ? " " : "") << items[i];
  return out.str();
}

// The tokenizer exactly as loadHfEncoder (engine/models/encoder/hf_encoder.cpp) builds it from a checkpoint folder
// holding this tokenizer.json and make_expected.mjs's tokenizer_config.json; `rules` replaces the rules
// readHfWordPiece chose (which must be RustFast: the folder has a tokenizer.json) when given.
std::unique_ptr<WordPieceTokenizer> loadTokenizer(const NamedTokenizer& t,
                                                  std::optional<attnviz::WordPieceRules> rules = std::nullopt) {
  const fs::path json = kShared / "real-checkpoints/tokenizers" / t.file;
  if (!fs::exists(json)) {
    ADD_FAILURE() << "missing " << json << " (../shared/real-checkpoints beside the repository)";
    return nullptr;
  }
  // Per process: ctest runs each TEST of this file as its own process, several at once.
  const fs::path dir = fs::temp_directory_path() / ("attnviz-wp-conformance-" + t.name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(json, dir / "tokenizer.json");
  fs::copy_file(kFixtures / "tokenizer_config.json", dir / "tokenizer_config.json");
  attnviz::HfWordPieceFiles files = attnviz::readHfWordPiece(attnviz::HfFiles(dir.string()));
  fs::remove_all(dir);
  EXPECT_EQ(files.rules, attnviz::WordPieceRules::RustFast) << t.name << ": a checkpoint with a tokenizer.json";
  attnviz::WordPieceOptions options;
  options.lowercase = files.lowercase;
  options.stripAccents = files.stripAccents;
  options.tokenizeChineseChars = files.tokenizeChineseChars;
  options.unk = files.unk;
  options.cls = files.cls;
  options.sep = files.sep;
  options.maxCharsPerWord = files.maxCharsPerWord;
  options.rules = rules.value_or(files.rules);
  return std::make_unique<WordPieceTokenizer>(std::move(files.vocab), options, files.vocabLabel);
}

// Whether Python's and Rust's rules may tokenize `text` differently: it has a capital sigma (final sigma), a code
// point in U+2B820-U+2B91F (CJK spacing) or a code point NFC changes (NFC).
bool rulesMayDiffer(const std::string& text) {
  const std::u32string s = attnviz::decodeUtf8(text);
  for (char32_t c : s)
    if (c == 0x03A3 || (c >= 0x2B820 && c <= 0x2B91F)) return true;
  return attnviz::unicode::nfc(s) != s;
}

// The lines of a file of ../shared/data, read once: "x.xz" through xz, "x.tar.gz!member" through tar.
class SharedLines {
 public:
  // The 1-based line `number` of `file`; nullptr (and a failure) when it cannot be read.
  // lastLine: the last line any row needs (an .xz file is read only that far).
  const std::string* line(const std::string& file, std::size_t number, std::size_t lastLine) {
    auto it = cache_.find(file);
    if (it == cache_.end()) it = cache_.emplace(file, read(file, lastLine)).first;
    if (number == 0 || number > it->second.size()) return nullptr;
    return &it->second[number - 1];
  }

 private:
  static std::vector<std::string> read(const std::string& file, std::size_t lastLine) {
    const fs::path data = kShared / "data";
    const std::size_t bang = file.find('!');
    const fs::path archive = data / file.substr(0, bang);
    if (!fs::exists(archive)) {
      ADD_FAILURE() << "the shared data file " << archive << " is missing: the conformance test reads its lines from "
                    << "../shared/data beside the repository (see ../shared/data/README.md); it never skips";
      return {};
    }
    const std::string command = bang == std::string::npos
                                    ? "xz -dc '" + archive.string() + "' | head -n " + std::to_string(lastLine)
                                    : "tar -xzOf '" + archive.string() + "' '" + file.substr(bang + 1) + "'";
    std::FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) {
      ADD_FAILURE() << "cannot run " << command;
      return {};
    }
    std::string text;
    char buffer[1 << 16];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, n);
    const int status = pclose(pipe);
    if (status != 0) ADD_FAILURE() << command << " failed (status " << status << ")";
    std::vector<std::string> lines = split(text, '\n');
    if (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
  }
  std::map<std::string, std::vector<std::string>> cache_;
};

struct Row {
  std::string ref, hash;
  std::vector<std::int64_t> ids[2];      // the Rust library's, per tokenizer
  std::vector<std::string> tokens[2];
  std::string jsIds[2];                  // transformers.js's: "=" (as Rust) or ids
  std::string note;                      // "transformers.js deviation: ..." or empty
};

std::vector<Row> readFixture(const std::string& name) {
  std::ifstream in(kFixtures / name);
  std::vector<Row> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> c = split(line, '\t');
    if (c.size() != 9) {
      ADD_FAILURE() << name << ": a row with " << c.size() << " columns, expected 9: " << line.substr(0, 200);
      continue;
    }
    Row r;
    r.ref = c[0];
    r.hash = c[1];
    r.ids[0] = parseIds(c[2]);
    r.tokens[0] = parseTokens(c[3]);
    r.ids[1] = c[4] == "=" ? r.ids[0] : parseIds(c[4]);
    r.tokens[1] = c[5] == "=" ? r.tokens[0] : parseTokens(c[5]);
    r.jsIds[0] = c[6];
    r.jsIds[1] = c[7];
    r.note = c[8];
    rows.push_back(std::move(r));
  }
  return rows;
}

// Compares every row of fixture `name`; `minRows` guards against a truncated fixture.
void checkFixture(const std::string& name, std::size_t minRows) {
  const std::vector<Row> rows = readFixture(name);
  ASSERT_GE(rows.size(), minRows) << "tests/data/wordpiece-conformance/" << name << " is missing or short";
  SharedLines shared;
  std::map<std::string, std::size_t> lastLine;  // per shared file
  for (const Row& row : rows)
    if (row.ref.rfind("text:", 0) != 0) {
      const std::size_t colon = row.ref.rfind(':');
      std::size_t& last = lastLine[row.ref.substr(0, colon)];
      last = std::max<std::size_t>(last, std::stoul(row.ref.substr(colon + 1)));
    }
  for (std::size_t k = 0; k < kTokenizers.size(); ++k) {
    const std::unique_ptr<WordPieceTokenizer> tok = loadTokenizer(kTokenizers[k]);
    const std::unique_ptr<WordPieceTokenizer> python = loadTokenizer(kTokenizers[k], attnviz::WordPieceRules::Python);
    ASSERT_TRUE(tok && python);
    int compared = 0, mismatches = 0, jsDeviations = 0, asJs = 0, pythonDiffers = 0, pythonUnexplained = 0;
    for (const Row& row : rows) {
      std::string text;
      if (row.ref.rfind("text:", 0) == 0) {
        text = unescapeFixture(row.ref.substr(5));
      } else {
        const std::size_t colon = row.ref.rfind(':');
        const std::string file = row.ref.substr(0, colon);
        const std::string* line = shared.line(file, std::stoul(row.ref.substr(colon + 1)), lastLine[file]);
        if (!line) {
          if (++mismatches <= kMismatchesShown) ADD_FAILURE() << row.ref << ": no such line in ../shared/data";
          continue;
        }
        text = *line;
      }
      if (fnv64(text) != row.hash) {
        if (++mismatches <= kMismatchesShown)
          ADD_FAILURE() << row.ref << ": the line's hash is " << fnv64(text) << ", the fixture has " << row.hash
                        << " (the shared data changed: rerun make_expected.mjs)";
        continue;
      }
      ++compared;
      const attnviz::TokenizedText got = tok->encode(text, kNoLimit, row.ref);
      if (row.jsIds[k] != "=") {
        // transformers.js differs from Rust here (the note says why); attnviz is held to Rust all the same.
        ++jsDeviations;
        if (got.ids == parseIds(row.jsIds[k])) ++asJs;
      }
      if (!(got.ids == row.ids[k] && got.tokens == row.tokens[k]) && ++mismatches <= kMismatchesShown)
        ADD_FAILURE() << kTokenizers[k].name << " | " << row.ref.substr(0, 300) << "\n text:     " << text.substr(0, 300)
                      << "\n Rust:     " << joined(row.tokens[k]) << "\n          (" << joined(row.ids[k]) << ")"
                      << "\n attnviz:  " << joined(got.tokens) << "\n          (" << joined(got.ids) << ")";
      // Python's rules: any difference from Rust must come from one of the three known differences.
      const attnviz::TokenizedText slow = python->encode(text, kNoLimit, row.ref);
      if (slow.ids == row.ids[k]) continue;
      ++pythonDiffers;
      if (!rulesMayDiffer(text) && ++pythonUnexplained <= kMismatchesShown)
        ADD_FAILURE() << kTokenizers[k].name << " | " << row.ref.substr(0, 300)
                      << ": with Python's rules attnviz differs from Rust on a line without a capital sigma, "
                         "U+2B820-U+2B91F or a code point NFC changes\n Rust:           "
                      << joined(row.tokens[k]) << "\n Python's rules: " << joined(slow.tokens);
    }
    std::cout << name << " / " << kTokenizers[k].name << ": " << compared << " lines against Rust tokenizers, "
              << mismatches << " mismatches; transformers.js deviates from Rust on " << jsDeviations
              << " (attnviz with Rust rules matches it on " << asJs << "); with Python's rules attnviz differs from "
              << "Rust on " << pythonDiffers << ", " << pythonUnexplained << " unexplained\n";
    EXPECT_EQ(mismatches, 0) << name << " / " << kTokenizers[k].name;
    EXPECT_EQ(pythonUnexplained, 0) << name << " / " << kTokenizers[k].name;
  }
}

}  // namespace

TEST(WordPieceConformance, MultilingualTestText) { checkFixture("multilingual.tsv", 390); }
TEST(WordPieceConformance, HardCases) { checkFixture("hard-cases.tsv", 30); }
TEST(WordPieceConformance, HansardsEnglishAndFrench) { checkFixture("hansards.tsv", 1200); }
TEST(WordPieceConformance, MovieReviews) { checkFixture("movie-reviews.tsv", 1200); }

// The bug the conformance run found: cleaning dropped unassigned code points (category Cn) with the controls, so
// "a\u0378b" became "ab" and a character newer than attnviz's Unicode 14 tables (U+1F6DC, Unicode 15) vanished.
// The Rust tokenizers library and transformers.js drop only Cc, Cf and Co, and the word becomes [UNK].
TEST(WordPieceConformance, KeepsUnassignedCodePointsAsUnknown) {
  const WordPieceTokenizer tok({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "ab", "a", "##b", "x"}, {}, "vocab");
  using Pieces = std::vector<std::string>;
  EXPECT_EQ(tok.tokenize("a\xCD\xB8" "b", "t"), (Pieces{"[UNK]"}));                  // U+0378 unassigned
  EXPECT_EQ(tok.tokenize("x \xF0\x9F\x9B\x9C", "t"), (Pieces{"x", "[UNK]"}));        // U+1F6DC (Unicode 15)
  EXPECT_EQ(tok.tokenize("a\xEF\xBF\xBE" "b \xF4\x8F\xBF\xBF", "t"), (Pieces{"[UNK]", "[UNK]"}));  // noncharacters
  EXPECT_EQ(tok.tokenize("a\xEE\x80\x80" "b", "t"), (Pieces{"ab"}));                 // U+E000 private use: dropped
  EXPECT_EQ(tok.tokenize("a\xE2\x80\x8B" "b a\x01" "b", "t"), (Pieces{"ab", "ab"}));  // Cf and Cc: dropped
}

// readHfWordPiece picks the rules AutoTokenizer / BertTokenizer would run: the Rust library's whenever the checkpoint
// has a tokenizer.json (even beside a vocab.txt), Python's slow BertTokenizer's for a vocab.txt alone.
TEST(WordPieceConformance, RulesFollowTheCheckpointFiles) {
  const fs::path dir = fs::temp_directory_path() / ("attnviz-wp-rules-" + std::to_string(::getpid()));
  const std::string vocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n";
  const std::string json = R"({"model": {"type": "WordPiece", "unk_token": "[UNK]",
      "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4}}})";
  auto rulesOf = [&](bool withVocab, bool withJson) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    if (withVocab) std::ofstream(dir / "vocab.txt") << vocab;
    if (withJson) std::ofstream(dir / "tokenizer.json") << json;
    const attnviz::WordPieceRules rules = attnviz::readHfWordPiece(attnviz::HfFiles(dir.string())).rules;
    fs::remove_all(dir);
    return rules;
  };
  EXPECT_EQ(rulesOf(true, false), attnviz::WordPieceRules::Python);
  EXPECT_EQ(rulesOf(false, true), attnviz::WordPieceRules::RustFast);
  EXPECT_EQ(rulesOf(true, true), attnviz::WordPieceRules::RustFast);
}
