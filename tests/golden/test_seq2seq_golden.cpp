// Golden parity: the C++ seq2seq engine against PyTorch (models/seq2seq/model.py), data-driven over
//   tests/data/tiny-seq2seq-golden/<variant>.json/.npz   tiny fitted models (tests/data/make_tiny_seq2seq.py),
//                                                        packages tests/data/tiny-seq2seq-<variant>/
//   tests/data/seq2seq-golden/<variant>.json/.npz        trained models (models/seq2seq/train.py golden()),
//                                                        packages models/seq2seq-<variant>/
// for all six variants. A trained variant without a golden is skipped (not trained yet); a golden without its
// package fails. Per case: source and target token ids exactly, greedy ids exactly, greedy and forced
// attention and the logits at the golden's logit_ids within 1e-4 (max diffs printed), every attention row
// summing to 1, and Model::run() giving the same tokens and attention as the decoder calls.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/io/package.h"
#include "engine/io/tensor_files.h"
#include "engine/models/seq2seq/decoding.h"
#include "engine/models/seq2seq/seq2seq_model.h"
#include "engine/models/seq2seq/seq2seq_tokenizer.h"

namespace fs = std::filesystem;
using attnviz::Tensor;
namespace s2s = attnviz::seq2seq;

namespace {

constexpr double kTolerance = 1e-4;
const std::vector<std::string> kVariants = {"bahdanau",     "luong-dot",  "luong-general",
                                            "luong-concat", "scaled-dot", "local-p"};
const std::string kTinyGolden = std::string(ATTNVIZ_TEST_DATA) + "/tiny-seq2seq-golden";
const std::string kTrainedGolden = std::string(ATTNVIZ_TEST_DATA) + "/seq2seq-golden";

// --- The golden .json: {"variant": ..., "cases": [{"source": "...", "target": "...", "source_tokens": [...], ...}]}.
// A minimal reader for what json.dump writes (objects, arrays, strings with escapes, numbers, literals).
struct Json {
  enum class Type { Null, Bool, Number, String, Array, Object } type = Type::Null;
  std::string text;  // String
  double number = 0;
  std::vector<Json> items;                            // Array
  std::vector<std::pair<std::string, Json>> members;  // Object
  const Json& operator[](const std::string& key) const {
    for (const auto& [k, v] : members)
      if (k == key) return v;
    throw std::runtime_error("golden json: no key " + key);
  }
  std::vector<std::string> strings() const {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.text);
    return out;
  }
};

class JsonReader {
 public:
  explicit JsonReader(std::string text) : s_(std::move(text)) {}
  Json parse() {
    Json v = value();
    skip();
    if (i_ != s_.size()) fail("trailing characters");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) { throw std::runtime_error("golden json at byte " + std::to_string(i_) + ": " + what); }
  void skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  void expect(char c) {
    skip();
    if (i_ >= s_.size() || s_[i_] != c) fail(std::string("expected ") + c);
    ++i_;
  }
  static void appendUtf8(std::string& out, unsigned c) {
    if (c < 0x80) out += static_cast<char>(c);
    else if (c < 0x800) out += static_cast<char>(0xC0 | (c >> 6)), out += static_cast<char>(0x80 | (c & 0x3F));
    else if (c < 0x10000)
      out += static_cast<char>(0xE0 | (c >> 12)), out += static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
          out += static_cast<char>(0x80 | (c & 0x3F));
    else
      out += static_cast<char>(0xF0 | (c >> 18)), out += static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
          out += static_cast<char>(0x80 | ((c >> 6) & 0x3F)), out += static_cast<char>(0x80 | (c & 0x3F));
  }
  unsigned hex4() {
    if (i_ + 4 > s_.size()) fail("short \\u escape");
    const unsigned v = static_cast<unsigned>(std::stoul(s_.substr(i_, 4), nullptr, 16));
    i_ += 4;
    return v;
  }
  std::string string() {
    expect('"');
    std::string out;
    while (i_ < s_.size() && s_[i_] != '"') {
      char c = s_[i_++];
      if (c != '\\') { out += c; continue; }
      c = s_[i_++];
      switch (c) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && s_.compare(i_, 2, "\\u") == 0) {  // surrogate pair
            i_ += 2;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4() - 0xDC00);
          }
          appendUtf8(out, cp);
          break;
        }
        default: out += c;  // " \ /
      }
    }
    expect('"');
    return out;
  }
  Json value() {
    skip();
    if (i_ >= s_.size()) fail("unexpected end");
    Json v;
    const char c = s_[i_];
    if (c == '"') {
      v.type = Json::Type::String;
      v.text = string();
    } else if (c == '[') {
      v.type = Json::Type::Array;
      ++i_;
      skip();
      if (s_[i_] == ']') return ++i_, v;
      for (;;) {
        v.items.push_back(value());
        skip();
        if (s_[i_++] == ']') break;
      }
    } else if (c == '{') {
      v.type = Json::Type::Object;
      ++i_;
      skip();
      if (s_[i_] == '}') return ++i_, v;
      for (;;) {
        std::string key = string();
        expect(':');
        v.members.emplace_back(std::move(key), value());
        skip();
        if (s_[i_++] == '}') break;
      }
    } else if (s_.compare(i_, 4, "true") == 0 || s_.compare(i_, 5, "false") == 0 || s_.compare(i_, 4, "null") == 0) {
      v.type = c == 'n' ? Json::Type::Null : Json::Type::Bool;
      i_ += c == 'f' ? 5 : 4;
    } else {
      v.type = Json::Type::Number;
      std::size_t used = 0;
      v.number = std::stod(s_.substr(i_), &used);
      i_ += used;
    }
    return v;
  }
  std::string s_;
  std::size_t i_ = 0;
};

Json readJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return JsonReader(text.str()).parse();
}

// --- Comparisons.
std::vector<std::int64_t> idsOf(const Tensor& t) {
  std::vector<std::int64_t> out;
  for (float v : t.values()) out.push_back(static_cast<std::int64_t>(std::lround(v)));
  return out;
}

// Columns `ids` of logits [T, V] -> [T, ids.size()]
Tensor columns(const Tensor& logits, const std::vector<std::int64_t>& ids) {
  const std::int64_t t = logits.dim(0), v = logits.dim(1), n = static_cast<std::int64_t>(ids.size());
  Tensor out({t, n});
  for (std::int64_t r = 0; r < t; ++r)
    for (std::int64_t k = 0; k < n; ++k) out.data()[r * n + k] = logits.data()[r * v + ids[static_cast<std::size_t>(k)]];
  return out;
}

double maxDiff(const Tensor& got, const Tensor& expected, const std::string& what) {
  EXPECT_EQ(attnviz::shapeString(got.shape()), attnviz::shapeString(expected.shape())) << what;
  if (got.shape() != expected.shape()) return INFINITY;
  double diff = 0;
  for (std::int64_t i = 0; i < got.numel(); ++i)
    diff = std::max(diff, static_cast<double>(std::abs(got.data()[i] - expected.data()[i])));
  std::printf("%-44s %s maxdiff = %.3e\n", what.c_str(), diff <= kTolerance ? "TENSOR OK," : "TENSOR NOT OK,", diff);
  return diff;
}

void expectRowsSumToOne(const Tensor& map, const std::string& what) {
  ASSERT_EQ(map.rank(), 2) << what;
  const std::int64_t n = map.dim(1);
  for (std::int64_t r = 0; r < map.dim(0); ++r) {
    double sum = 0;
    for (std::int64_t j = 0; j < n; ++j) sum += map.data()[r * n + j];
    ASSERT_NEAR(sum, 1.0, 1e-5) << what << " row " << r;
  }
}

// --- The parameter: one (golden folder, package) pair.
struct GoldenSet {
  std::string label;  // "tiny" | "trained"
  std::string variant;
  std::string goldenDir;
  std::string packageDir;
};

std::vector<GoldenSet> goldenSets() {
  std::vector<GoldenSet> out;
  for (const auto& v : kVariants)
    out.push_back({"tiny", v, kTinyGolden, std::string(ATTNVIZ_TEST_DATA) + "/tiny-seq2seq-" + v});
  for (const auto& v : kVariants)
    out.push_back({"trained", v, kTrainedGolden, std::string(ATTNVIZ_SOURCE_DIR) + "/models/seq2seq-" + v});
  return out;
}

class Seq2seqGolden : public ::testing::TestWithParam<GoldenSet> {};

TEST_P(Seq2seqGolden, MatchesPyTorch) {
  const GoldenSet& set = GetParam();
  const std::string json = set.goldenDir + "/" + set.variant + ".json";
  const std::string npz = set.goldenDir + "/" + set.variant + ".npz";
  if (set.label == "trained" && !fs::exists(json) && !fs::exists(npz))
    GTEST_SKIP() << "no golden for " << set.variant << " yet (models/seq2seq/train.py writes " << json << ")";
  ASSERT_TRUE(fs::exists(json) && fs::exists(npz)) << "golden " << json << " or " << npz << " is missing";
  ASSERT_TRUE(fs::exists(set.packageDir / fs::path("attnviz.json")))
      << "golden " << json << " exists but its package " << set.packageDir << " does not: the trained package "
      << "must be committed with its golden (models/seq2seq/train.py writes both)";

  const s2s::Seq2seqModel model(attnviz::Package::open(set.packageDir));
  const s2s::Network& net = model.network();
  std::map<std::string, Tensor> golden;
  for (auto& [name, tensor] : attnviz::readNpz(npz).tensors) golden[name] = tensor;
  const Json doc = readJson(json);
  ASSERT_EQ(doc["variant"].text, set.variant);
  const std::vector<std::int64_t> logitIds = idsOf(golden.at("logit_ids"));
  const auto& cases = doc["cases"].items;
  ASSERT_FALSE(cases.empty());

  double worst = 0;
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const std::string p = "case" + std::to_string(k);
    const std::string label = set.label + " " + set.variant + " " + p;
    const Json& c = cases[k];
    SCOPED_TRACE(label + ": " + c["source"].text);

    // Tokens and ids.
    const s2s::TokenIds source = model.sourceIds(c["source"].text, p);
    const s2s::TokenIds target = model.targetIds(c["target"].text, p);
    std::vector<std::string> sourceTokens = s2s::tokenize(c["source"].text, p);
    sourceTokens.resize(std::min<std::size_t>(sourceTokens.size(), static_cast<std::size_t>(model.config().maxSourceTokens - 1)));
    EXPECT_EQ(sourceTokens, c["source_tokens"].strings());
    EXPECT_EQ(s2s::tokenize(c["target"].text, p), c["target_tokens"].strings());
    EXPECT_EQ(source.ids, idsOf(golden.at(p + "_source_ids")));
    EXPECT_EQ(target.ids, idsOf(golden.at(p + "_target_ids")));

    // Greedy.
    const s2s::Encoded encoded = net.encode(source.ids);
    const s2s::Decoded g = s2s::greedy(net, encoded, s2s::Seq2seqModel::maxDecodeLength(source));
    EXPECT_EQ(g.ids, idsOf(golden.at(p + "_greedy_ids")));
    std::vector<std::string> greedyTokens;
    for (auto id : g.ids) greedyTokens.push_back(model.targetVocabulary().token(id));
    EXPECT_EQ(greedyTokens, c["greedy_tokens"].strings());
    worst = std::max(worst, maxDiff(g.attention, golden.at(p + "_greedy_attention"), label + " greedy attention"));
    worst = std::max(worst, maxDiff(columns(g.logits, logitIds), golden.at(p + "_greedy_logits"), label + " greedy logits"));
    expectRowsSumToOne(g.attention, label + " greedy attention");

    // Forced.
    const s2s::Decoded f = s2s::forced(net, encoded, target.ids);
    worst = std::max(worst, maxDiff(f.attention, golden.at(p + "_forced_attention"), label + " forced attention"));
    worst = std::max(worst, maxDiff(columns(f.logits, logitIds), golden.at(p + "_forced_logits"), label + " forced logits"));
    expectRowsSumToOne(f.attention, label + " forced attention");

    // The Model interface gives the same.
    const attnviz::Trace t = model.run(attnviz::Input::fromText(c["source"].text, p), {});
    EXPECT_EQ(t.targetTokens, greedyTokens);
    EXPECT_EQ(t.sourceTokens, source.tokens);
    EXPECT_EQ(t.sourceTokens.back(), "<eos>");
    EXPECT_EQ(t.attention.at("cross").values().size(), g.attention.values().size());
    // Within float rounding, not bit for bit: run() picks its own thread count (model.h), and with it the product
    // path timed fastest for that count, so its sums may be ordered differently.
    EXPECT_LE(maxDiff(t.attention.at("cross"), g.attention, label + " run() greedy == greedy()"), 1e-5);
    attnviz::RunOptions forcedOptions;
    forcedOptions.target = c["target"].text;
    const attnviz::Trace ft = model.run(attnviz::Input::fromText(c["source"].text, p), forcedOptions);
    EXPECT_EQ(ft.targetTokens, target.tokens);
    EXPECT_LE(maxDiff(ft.attention.at("cross"), f.attention, label + " run() forced == forced()"), 1e-5);
    EXPECT_EQ(t.warnings.empty(), source.droppedTokens == 0) << "a truncation warning exactly when truncated";
  }
  std::printf("%s %s: %zu cases, max diff over all compared tensors %.3e\n", set.label.c_str(), set.variant.c_str(),
              cases.size(), worst);
  EXPECT_LE(worst, kTolerance);
}

INSTANTIATE_TEST_SUITE_P(Variants, Seq2seqGolden, ::testing::ValuesIn(goldenSets()), [](const auto& info) {
  std::string name = info.param.label + "_" + info.param.variant;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
});

// Every golden file in the folders names one of the six variants, so each one is covered above.
TEST(Seq2seqGoldenFolders, EveryGoldenIsCovered) {
  for (const std::string& dir : {kTinyGolden, kTrainedGolden}) {
    if (!fs::exists(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string stem = entry.path().stem().string();
      const std::string ext = entry.path().extension().string();
      if (ext != ".json" && ext != ".npz") continue;
      EXPECT_NE(std::find(kVariants.begin(), kVariants.end(), stem), kVariants.end())
          << entry.path() << " is a golden of no known variant";
    }
  }
}

}  // namespace
