// Loading seq2seq packages: every architecture key, vocabulary and tensor is checked and a problem is a
// ModelFileError naming the file and the key or tensor with what was expected and found; bad inputs and options
// are InputError / UsageError; decoding that stops without <eos> warns. Packages are copies of the tiny ones
// (tests/data/tiny-seq2seq-<variant>) edited in a temporary folder.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "engine/core/error.h"
#include "engine/io/package.h"
#include "engine/io/tensor_files.h"
#include "engine/io/weight_set.h"
#include "engine/api/model.h"
#include "engine/models/seq2seq/seq2seq_network.h"
#include "tests/loader/loader_test_util.h"

namespace fs = std::filesystem;
using attnviz::Tensor;

namespace {

std::string tiny(const std::string& variant) { return std::string(ATTNVIZ_TEST_DATA) + "/tiny-seq2seq-" + variant; }

class Seq2seqLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("attnviz-seq2seq-load-" + std::to_string(getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // A copy of the tiny package of `variant`, with `from` replaced by `to` in its attnviz.json.
  std::string copy(const std::string& variant, const std::string& from = "", const std::string& to = "") {
    const fs::path dir = root_ / variant;
    fs::copy(tiny(variant), dir, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    if (!from.empty()) {
      const fs::path manifest = dir / "attnviz.json";
      std::ifstream in(manifest);
      std::stringstream text;
      text << in.rdbuf();
      std::string json = text.str();
      const auto at = json.find(from);
      EXPECT_NE(at, std::string::npos) << from;
      if (at != std::string::npos) json.replace(at, from.size(), to);
      std::ofstream(manifest, std::ios::trunc) << json;
    }
    return dir.string();
  }

  fs::path root_;
};

// The ModelFileError message (where: what) of loading `path`, or a failure.
::testing::AssertionResult refused(const std::string& path, const std::vector<std::string>& parts) {
  try {
    attnviz::loadModel(path);
  } catch (const attnviz::ModelFileError& e) {
    for (const auto& part : parts)
      if (e.message().find(part) == std::string::npos)
        return ::testing::AssertionFailure() << "message lacks \"" << part << "\": " << e.message();
    return ::testing::AssertionSuccess() << e.message();
  } catch (const attnviz::Error& e) {
    return ::testing::AssertionFailure() << "not a model file error: " << e.message();
  }
  return ::testing::AssertionFailure() << "loaded";
}

// The tiny package's tensors, changed by `edit`, written back into the copy at `dir`.
void editWeights(const std::string& dir, const std::function<void(std::vector<std::pair<std::string, Tensor>>&)>& edit) {
  auto tensors = attnviz::readSafetensors(dir + "/model.safetensors").tensors;
  for (auto& [name, t] : tensors) t = t.clone();  // owned, so the file can be replaced
  edit(tensors);
  attnviz::test::writeSafetensors(dir + "/model.safetensors", tensors);
}

}  // namespace

TEST_F(Seq2seqLoad, EveryTinyVariantLoads) {
  for (const char* v : {"bahdanau", "luong-dot", "luong-general", "luong-concat", "scaled-dot", "local-p"}) {
    const auto model = attnviz::loadModel(tiny(v));
    EXPECT_EQ(model->info().identity.kind, "seq2seq");
    EXPECT_EQ(model->info().identity.variant, v);
    EXPECT_EQ(model->info().vocabSizes.size(), 2u);
    EXPECT_GT(model->info().parameterCount, 1000);
  }
}

TEST_F(Seq2seqLoad, ArchitectureValuesAreChecked) {
  EXPECT_TRUE(refused(copy("luong-dot", "\"attention\": \"luong-dot\"", "\"attention\": \"luong-cosine\""),
                      {"attnviz.json", "attention", "luong-cosine", "bahdanau, luong-dot"}));
  EXPECT_TRUE(refused(copy("bahdanau", "\"tokenizer\": \"tatoeba-en-fr\"", "\"tokenizer\": \"basic\""),
                      {"attnviz.json", "tokenizer", "basic", "tatoeba-en-fr"}));
  EXPECT_TRUE(refused(copy("bahdanau", "\"window\": 3.0,", "\"window\": 3.0, \"num_layers\": 2,"),
                      {"attnviz.json", "num_layers", "2"}));
  EXPECT_TRUE(refused(copy("bahdanau", "\"window\": 3.0,", "\"window\": -1,"), {"window"}));
  EXPECT_TRUE(refused(copy("bahdanau", "\"embedding_size\": 12,", ""), {"embedding_size"}));
  EXPECT_TRUE(refused(copy("luong-dot", "\"decoder_hidden\": 16", "\"decoder_hidden\": 12"),
                      {"decoder_hidden (12) must equal 2 * encoder_hidden (16)"}));
  EXPECT_TRUE(refused(copy("bahdanau", "\"variant\": \"bahdanau\"", "\"variant\": \"local-p\""),
                      {"variant \"local-p\" disagrees with architecture attention \"bahdanau\""}));
  EXPECT_TRUE(refused(copy("bahdanau", "\"eos_id\": 3", "\"eos_id\": 2"), {"four different ids"}));
}

TEST_F(Seq2seqLoad, VocabulariesAreChecked) {
  EXPECT_TRUE(refused(copy("bahdanau", "\"source_vocab_size\": 73", "\"source_vocab_size\": 74"),
                      {"source_vocab.txt", "73 tokens", "source_vocab_size 74"}));
  EXPECT_TRUE(refused(copy("bahdanau", "\"eos_id\": 3", "\"eos_id\": 4"), {"eos_id 4", "line 5 must be \"<eos>\""}));
  EXPECT_TRUE(refused(copy("bahdanau", "\"target_vocab\": \"target_vocab.txt\"", "\"french\": \"target_vocab.txt\""),
                      {"target_vocab"}));
  EXPECT_TRUE(refused(copy("bahdanau", "\"weights\": \"model.safetensors\",",
                           "\"weights\": \"model.safetensors\", \"labels\": \"target_vocab.txt\","),
                      {"attnviz.json", "labels", "target_vocab.txt"}));
}

TEST_F(Seq2seqLoad, EveryTensorIsCheckedAndExtrasAreRefused) {
  const std::string missing = copy("luong-general");
  editWeights(missing, [](auto& t) { std::erase_if(t, [](const auto& p) { return p.first == "attention.key.weight"; }); });
  EXPECT_TRUE(refused(missing, {"model.safetensors", "attention.key.weight"}));

  const std::string extra = copy("luong-dot");
  editWeights(extra, [](auto& t) { t.emplace_back("attention.key.weight", Tensor({16, 16})); });
  EXPECT_TRUE(refused(extra, {"model.safetensors", "attention.key.weight"}));

  const std::string shape = copy("local-p");
  editWeights(shape, [](auto& t) {
    for (auto& [name, tensor] : t)
      if (name == "attention.position_v.weight") tensor = Tensor({2, 10});
  });
  EXPECT_TRUE(refused(shape, {"model.safetensors", "attention.position_v.weight", "[1, 10]", "[2, 10]"}));

  const std::string encoder = copy("bahdanau");
  editWeights(encoder, [](auto& t) { std::erase_if(t, [](const auto& p) { return p.first == "encoder.bias_hh_l0_reverse"; }); });
  EXPECT_TRUE(refused(encoder, {"encoder.bias_hh_l0_reverse"}));
}

TEST_F(Seq2seqLoad, BadInputsAndOptions) {
  const auto model = attnviz::loadModel(tiny("bahdanau"));
  EXPECT_THROW(model->run(attnviz::Input::fromImage("cat.png"), {}), attnviz::InputError);
  try {
    model->run(attnviz::Input::fromText("bad \xFF", "--text #3"), {});
    ADD_FAILURE() << "no error";
  } catch (const attnviz::InputError& e) {
    EXPECT_EQ(e.where(), "--text #3");
  }
  attnviz::RunOptions badTarget;
  badTarget.target = "mauvais \xC3";
  try {
    model->run(attnviz::Input::fromText("Tom is tired.", "--text #1"), badTarget);
    ADD_FAILURE() << "no error";
  } catch (const attnviz::InputError& e) {
    EXPECT_EQ(e.where(), "--text #1 (target)");
  }
  attnviz::RunOptions rollout;
  rollout.rollout = attnviz::RolloutFusion::Mean;
  EXPECT_THROW(model->run(attnviz::Input::fromText("Tom"), rollout), attnviz::UsageError);
}

TEST_F(Seq2seqLoad, EmptyInputAndForcedEmptyTarget) {
  const auto model = attnviz::loadModel(tiny("luong-concat"));
  attnviz::RunOptions options;
  options.target = "";
  const attnviz::Trace t = model->run(attnviz::Input::fromText(""), options);
  EXPECT_EQ(t.sourceTokens, std::vector<std::string>{"<eos>"});
  EXPECT_EQ(t.targetTokens, std::vector<std::string>{"<eos>"});
  EXPECT_EQ(t.attention.at("cross").shape(), (attnviz::Shape{1, 1}));
  EXPECT_EQ(t.prediction.translation, "");
}

TEST_F(Seq2seqLoad, DecodingWithoutEosWarnsAndStopsAt2SPlus10) {
  const std::string dir = copy("scaled-dot");
  editWeights(dir, [](auto& t) {
    for (auto& [name, tensor] : t)
      if (name == "output.bias") tensor.data()[3] = -1e4f;  // <eos> never wins
  });
  const auto model = attnviz::loadModel(dir);
  for (int beam : {1, 3}) {
    attnviz::RunOptions options;
    options.beam = beam;
    const attnviz::Trace t = model->run(attnviz::Input::fromText("Tom is tired."), options);  // S = 5
    EXPECT_EQ(t.targetTokens.size(), 20u) << "beam " << beam;
    EXPECT_NE(t.targetTokens.back(), "<eos>");
    ASSERT_EQ(t.warnings.size(), 1u);
    EXPECT_NE(t.warnings[0].find("without <eos>"), std::string::npos) << t.warnings[0];
  }
}

TEST_F(Seq2seqLoad, LongInputIsTruncatedWithAWarning) {
  const auto model = attnviz::loadModel(tiny("local-p"));  // max_source_tokens 12
  const attnviz::Trace t = model->run(attnviz::Input::fromText("a b c d e f g h i j k l m n"), {});
  EXPECT_EQ(t.sourceTokens.size(), 12u);
  EXPECT_EQ(t.sourceTokens.back(), "<eos>");
  ASSERT_EQ(t.warnings.size(), 1u);
  EXPECT_NE(t.warnings[0].find("truncated to 12 tokens"), std::string::npos) << t.warnings[0];
  EXPECT_NE(t.warnings[0].find("3 tokens were left out"), std::string::npos) << t.warnings[0];
}
