// Every BERT head layout transformers writes, built from tests/data/tiny-hf-bert's tensors renamed and reshaped as
// save_pretrained names them: BertModel with and without its pooler, bert-base-uncased as published (BertForMaskedLM
// config, "bert." prefix, pooler, cls.predictions.*, cls.seq_relationship.*), sequence classification without id2label,
// with num_labels 1 (a regression score) and multi-label, token classification and question answering. Each head's
// outputs are checked against the same linear algebra done here from the file's tensors on the encoder's hidden
// state (itself checked against transformers in golden_test_hf_real_checkpoints). Contradictions are refused by key.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/io/tensor_files.h"
#include "engine/api/model.h"
#include "tests/loader/loader_test_util.h"

namespace fs = std::filesystem;
using attnviz::Tensor;
using Tensors = std::vector<std::pair<std::string, Tensor>>;

namespace {

const fs::path kBert = fs::path(ATTNVIZ_TEST_DATA) / "tiny-hf-bert";
constexpr std::int64_t kHidden = 16;
const std::string kText = "the animal didn't cross the street because it was too tired.";

std::string readText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// tiny-hf-bert's tensors, owned, without the "bert." prefix or the heads (classifier, cls.predictions).
Tensors body() {
  Tensors out;
  for (auto& [name, t] : attnviz::readSafetensors((kBert / "model.safetensors").string()).tensors)
    if (name.rfind("bert.", 0) == 0 && name.find("pooler") == std::string::npos) out.emplace_back(name.substr(5), t.clone());
  return out;
}

Tensors pooler() {
  Tensors out;
  for (auto& [name, t] : attnviz::readSafetensors((kBert / "model.safetensors").string()).tensors)
    if (name.rfind("bert.pooler.", 0) == 0) out.emplace_back(name.substr(5), t.clone());
  return out;
}

// A deterministic [rows, cols] tensor (values in [-0.5, 0.5)).
Tensor filled(std::vector<std::int64_t> shape, int seed) {
  Tensor t(attnviz::Shape(shape.begin(), shape.end()));
  for (std::int64_t i = 0; i < t.numel(); ++i) t.data()[i] = static_cast<float>(((i * 37 + seed * 11) % 101) / 101.0 - 0.5);
  return t;
}

Tensors prefixed(Tensors in, const std::string& prefix) {
  for (auto& [name, t] : in) name = prefix + name;
  return in;
}

Tensors operator+(Tensors a, const Tensors& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// tiny-hf-bert's config with its architectures, id2label and label2id replaced by `extra` (a JSON fragment).
std::string configWith(const std::string& extra) {
  std::string c = readText(kBert / "config.json");
  c = std::regex_replace(c, std::regex(R"(,\s*"architectures": \[[^\]]*\])"), "");
  c = std::regex_replace(c, std::regex(R"(,\s*"id2label": \{[^}]*\})"), "");
  c = std::regex_replace(c, std::regex(R"(,\s*"label2id": \{[^}]*\})"), "");
  return c.substr(0, c.rfind('}')) + (extra.empty() ? "" : ", " + extra) + "}";
}

// A checkpoint folder: config.json, model.safetensors and tiny-hf-bert's vocabulary.
std::string checkpoint(const std::string& name, const std::string& config, const Tensors& tensors) {
  const fs::path dir = fs::temp_directory_path() / ("attnviz-heads-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "config.json") << config;
  fs::copy_file(kBert / "vocab.txt", dir / "vocab.txt");
  fs::copy_file(kBert / "tokenizer_config.json", dir / "tokenizer_config.json");
  attnviz::test::writeSafetensors((dir / "model.safetensors").string(), tensors);
  return dir.string();
}

attnviz::Trace run(const std::string& dir, const attnviz::Input& input = attnviz::Input::fromText(kText)) {
  attnviz::RunOptions options;
  options.hiddenStates = true;
  return attnviz::loadModel(dir)->run(input, options);
}

// y = W x + b for one row x [in]; W [out, in].
std::vector<double> linear(const Tensor& w, const Tensor& b, const float* x) {
  std::vector<double> y(static_cast<std::size_t>(w.dim(0)));
  for (std::int64_t o = 0; o < w.dim(0); ++o) {
    double s = b.data()[o];
    for (std::int64_t i = 0; i < w.dim(1); ++i) s += double(w.data()[o * w.dim(1) + i]) * x[i];
    y[static_cast<std::size_t>(o)] = s;
  }
  return y;
}

std::string cardValue(const std::string& dir, const std::string& key) {
  const auto model = attnviz::loadModel(dir);
  for (const auto& [k, v] : model->info().card)
    if (k == key) return v;
  return "";
}

::testing::AssertionResult refused(const std::string& dir, const std::vector<std::string>& parts) {
  return attnviz::test::failsWith([&] { attnviz::loadModel(dir); }, parts);
}

}  // namespace

TEST(HfHeads, BertModelWithAndWithoutPoolerOpens) {
  const std::string withPooler = checkpoint("model-pooler", configWith(R"("architectures": ["BertModel"])"), body() + pooler());
  const attnviz::Trace t = run(withPooler);
  ASSERT_TRUE(t.outputs.count("pooled"));
  EXPECT_EQ(t.outputs.at("pooled").shape(), attnviz::Shape({kHidden}));
  EXPECT_TRUE(t.prediction.empty());
  // pooled = tanh(W h[CLS] + b), from the file's tensors.
  const Tensors p = pooler();
  const std::vector<double> z = linear(p[0].first == "pooler.dense.weight" ? p[0].second : p[1].second,
                                       p[0].first == "pooler.dense.bias" ? p[0].second : p[1].second, t.outputs.at("hidden").data());
  for (std::int64_t i = 0; i < kHidden; ++i) EXPECT_NEAR(t.outputs.at("pooled").data()[i], std::tanh(z[static_cast<std::size_t>(i)]), 1e-5);

  const std::string without = checkpoint("model", configWith(""), body());
  EXPECT_FALSE(run(without).outputs.count("pooled"));
  EXPECT_NE(cardValue(without, "head").find("BertModel"), std::string::npos);
}

TEST(HfHeads, BertBaseUncasedAsPublishedOpensWithItsPretrainingHeadsListed) {
  const Tensors heads = {{"cls.predictions.bias", filled({34}, 1)},
                         {"cls.predictions.transform.dense.weight", filled({kHidden, kHidden}, 2)},
                         {"cls.predictions.transform.dense.bias", filled({kHidden}, 3)},
                         {"cls.predictions.transform.LayerNorm.weight", filled({kHidden}, 4)},
                         {"cls.predictions.transform.LayerNorm.bias", filled({kHidden}, 5)},
                         {"cls.predictions.decoder.weight", filled({34, kHidden}, 6)},
                         {"cls.seq_relationship.weight", filled({2, kHidden}, 7)},
                         {"cls.seq_relationship.bias", filled({2}, 8)},
                         {"bert.embeddings.position_ids", filled({1, 24}, 9)}};
  const std::string dir =
      checkpoint("published", configWith(R"("architectures": ["BertForMaskedLM"])"), prefixed(body() + pooler(), "bert.") + heads);
  const attnviz::Trace t = run(dir);
  EXPECT_EQ(t.sourceTokens.front(), "[CLS]");
  EXPECT_TRUE(t.outputs.count("pooled"));
  const std::string notRun = cardValue(dir, "heads not run");
  EXPECT_NE(notRun.find("8 ("), std::string::npos) << notRun;
  EXPECT_NE(notRun.find("cls.predictions.bias"), std::string::npos) << notRun;
  EXPECT_NE(cardValue(dir, "buffers ignored").find("position_ids"), std::string::npos);
  EXPECT_NE(cardValue(dir, "head").find("BertForMaskedLM"), std::string::npos);
}

TEST(HfHeads, SequenceClassifierWithoutId2labelGetsTransformersDefaultLabels) {
  const Tensors classifier = {{"classifier.weight", filled({2, kHidden}, 1)}, {"classifier.bias", filled({2}, 2)}};
  const std::string dir = checkpoint("seqcls-default", configWith(R"("architectures": ["BertForSequenceClassification"])"),
                                     prefixed(body() + pooler(), "bert.") + classifier);
  EXPECT_EQ(attnviz::loadModel(dir)->info().labels, (std::vector<std::string>{"LABEL_0", "LABEL_1"}));
  const attnviz::Trace t = run(dir);
  ASSERT_EQ(t.prediction.probabilities.size(), 2u);
  const std::vector<double> z = linear(classifier[0].second, classifier[1].second, t.outputs.at("pooled").data());
  const double p1 = 1.0 / (1.0 + std::exp(z[0] - z[1]));
  EXPECT_NEAR(t.prediction.probabilities[1].second, p1, 1e-5);
  EXPECT_EQ(*t.prediction.label, p1 > 0.5 ? "LABEL_1" : "LABEL_0");
  EXPECT_NEAR(t.outputs.at("logits").data()[0], z[0], 1e-5);
}

TEST(HfHeads, OneLabelIsARegressionScoreNotAProbability) {
  const Tensors classifier = {{"classifier.weight", filled({1, kHidden}, 3)}, {"classifier.bias", filled({1}, 4)}};
  const std::string dir = checkpoint("regression", configWith(R"("architectures": ["BertForSequenceClassification"])"),
                                     prefixed(body() + pooler(), "bert.") + classifier);
  const attnviz::Trace t = run(dir);
  EXPECT_TRUE(t.prediction.probabilities.empty());
  EXPECT_FALSE(t.prediction.label);
  ASSERT_EQ(t.prediction.scores.size(), 1u);
  const std::vector<double> z = linear(classifier[0].second, classifier[1].second, t.outputs.at("pooled").data());
  EXPECT_NEAR(t.prediction.scores[0].second, z[0], 1e-5);
  EXPECT_NE(attnviz::traceToJson(t).find("\"scores\":{\"LABEL_0\":"), std::string::npos);
  EXPECT_NE(cardValue(dir, "head").find("regression"), std::string::npos);
}

TEST(HfHeads, ProblemTypeIsRespected) {
  const Tensors classifier = {{"classifier.weight", filled({3, kHidden}, 5)}, {"classifier.bias", filled({3}, 6)}};
  const Tensors tensors = prefixed(body() + pooler(), "bert.") + classifier;
  const std::string multi = checkpoint("multilabel", configWith(R"("problem_type": "multi_label_classification")"), tensors);
  const attnviz::Trace t = run(multi);
  EXPECT_TRUE(t.prediction.multiLabel);
  const std::vector<double> z = linear(classifier[0].second, classifier[1].second, t.outputs.at("pooled").data());
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NEAR(t.prediction.probabilities[i].second, 1.0 / (1.0 + std::exp(-z[i])), 1e-5);

  const std::string regression = checkpoint("regression3", configWith(R"("problem_type": "regression")"), tensors);
  EXPECT_EQ(run(regression).prediction.scores.size(), 3u);
  EXPECT_TRUE(refused(checkpoint("badproblem", configWith(R"("problem_type": "ranking")"), tensors),
                      {"config.json", "problem_type", "ranking"}));
}

TEST(HfHeads, TokenClassifierLabelsEveryToken) {
  const Tensors classifier = {{"classifier.weight", filled({3, kHidden}, 7)}, {"classifier.bias", filled({3}, 8)}};
  const std::string dir =
      checkpoint("tokcls", configWith(R"("architectures": ["BertForTokenClassification"], "id2label": {"0": "O", "1": "B-PER", "2": "I-PER"})"),
                 prefixed(body(), "bert.") + classifier);
  const attnviz::Trace t = run(dir);
  ASSERT_EQ(t.prediction.tokenLabels.size(), t.sourceTokens.size());
  const Tensor& h = t.outputs.at("hidden");
  const char* names[] = {"O", "B-PER", "I-PER"};
  for (std::int64_t i = 0; i < h.dim(0); ++i) {
    const std::vector<double> z = linear(classifier[0].second, classifier[1].second, h.data() + i * kHidden);
    const auto best = std::max_element(z.begin(), z.end()) - z.begin();
    EXPECT_EQ(t.prediction.tokenLabels[static_cast<std::size_t>(i)], names[best]) << "token " << i;
    EXPECT_NEAR(t.outputs.at("logits").data()[i * 3 + 2], z[2], 1e-5);
  }
  EXPECT_NE(attnviz::traceToJson(t).find("\"token_labels\":["), std::string::npos);
}

TEST(HfHeads, QuestionAnsweringGivesStartAndEndScoresAndASpanInTheContext) {
  const Tensors qa = {{"qa_outputs.weight", filled({2, kHidden}, 9)}, {"qa_outputs.bias", filled({2}, 10)}};
  const std::string dir =
      checkpoint("qa", configWith(R"("architectures": ["BertForQuestionAnswering"])"), prefixed(body(), "bert.") + qa);
  const attnviz::Trace t = run(dir, attnviz::Input::fromTextPair("why was it tired?", "the animal was too tired."));
  const Tensor& h = t.outputs.at("hidden");
  for (std::int64_t i = 0; i < h.dim(0); ++i) {
    const std::vector<double> z = linear(qa[0].second, qa[1].second, h.data() + i * kHidden);
    EXPECT_NEAR(t.outputs.at("start_logits").data()[i], z[0], 1e-5);
    EXPECT_NEAR(t.outputs.at("end_logits").data()[i], z[1], 1e-5);
  }
  ASSERT_TRUE(t.prediction.answer);
  const auto firstContext = std::find(t.sourceTokens.begin(), t.sourceTokens.end(), "[SEP]") - t.sourceTokens.begin() + 1;
  EXPECT_GE(t.prediction.answer->start, firstContext) << "the answer lies in the second text";
  EXPECT_LE(t.prediction.answer->start, t.prediction.answer->end);
  EXPECT_LT(t.prediction.answer->end, static_cast<std::int64_t>(t.sourceTokens.size()) - 1);
  EXPECT_FALSE(t.prediction.answer->text.empty());
  EXPECT_NE(std::string("the animal was too tired.").find(t.prediction.answer->text), std::string::npos);
}

TEST(HfHeads, TextPairsAreTokenisedAsBertTokenizerPairsThem) {
  const std::string dir = checkpoint("pair", configWith(""), body());
  const attnviz::Trace t = run(dir, attnviz::Input::fromTextPair("the animal", "it was tired"));
  EXPECT_EQ(t.sourceTokens, (std::vector<std::string>{"[CLS]", "the", "animal", "[SEP]", "it", "was", "tired", "[SEP]"}));
  // Segment ids: the same pair as token ids with segments 0 0 0 0 1 1 1 1 gives the same hidden state.
  const std::vector<std::int64_t> ids = {2, 5, 6, 3, 13, 14, 16, 3};
  const attnviz::Trace same = run(dir, attnviz::Input::fromTokenIds(ids, {0, 0, 0, 0, 1, 1, 1, 1}));
  EXPECT_EQ(same.sourceTokens, t.sourceTokens);
  for (std::int64_t i = 0; i < t.outputs.at("hidden").numel(); ++i)
    ASSERT_NEAR(same.outputs.at("hidden").data()[i], t.outputs.at("hidden").data()[i], 1e-6);
  // Too long: pieces go from the end of the longer text first, a tie cuts the second (transformers' longest_first).
  attnviz::RunOptions six;
  six.maxTokens = 6;
  const auto model = attnviz::loadModel(dir);
  const attnviz::Trace cut = model->run(attnviz::Input::fromTextPair("the animal", "it was too tired"), six);
  EXPECT_EQ(cut.sourceTokens, (std::vector<std::string>{"[CLS]", "the", "animal", "[SEP]", "it", "[SEP]"}));
  ASSERT_EQ(cut.warnings.size(), 1u);
  EXPECT_NE(cut.warnings[0].find("3 tokens were left out, from the end of the longer text first"), std::string::npos)
      << cut.warnings[0];
  six.maxTokens = 2;
  EXPECT_THROW(model->run(attnviz::Input::fromTextPair("a", "b"), six), attnviz::InputError);
  const attnviz::Trace zeros = run(dir, attnviz::Input::fromTokenIds(ids));
  EXPECT_GT(std::fabs(zeros.outputs.at("hidden").data()[5 * kHidden] - t.outputs.at("hidden").data()[5 * kHidden]), 1e-4)
      << "segment ids must change the embedding";
}

TEST(HfHeads, BadTokenIdsAreInputErrors) {
  const std::string dir = checkpoint("ids", configWith(""), body());
  const auto model = attnviz::loadModel(dir);
  auto inputError = [&](const attnviz::Input& in, const std::string& part) {
    try {
      model->run(in, {});
      ADD_FAILURE() << "ran";
    } catch (const attnviz::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  inputError(attnviz::Input::fromTokenIds({2, 34, 3}), "outside the vocabulary of 34");
  inputError(attnviz::Input::fromTokenIds({2, 5, 3}, {0, 2, 0}), "segment id 2");
  inputError(attnviz::Input::fromTokenIds(std::vector<std::int64_t>(25, 5)), "max_position_embeddings");
  inputError(attnviz::Input::fromImage("x.png"), "not an image");
}

TEST(HfHeads, TensorsThatContradictConfigAreRefusedByKey) {
  Tensors extraLayer = body();
  extraLayer.emplace_back("encoder.layer.2.output.dense.bias", filled({kHidden}, 1));
  EXPECT_TRUE(refused(checkpoint("extra-layer", configWith(""), extraLayer),
                      {"encoder.layer.2.output.dense.bias", "layer 2", "num_hidden_layers 2"}));
  const Tensors classifier = {{"classifier.weight", filled({3, kHidden}, 1)}, {"classifier.bias", filled({3}, 2)}};
  EXPECT_TRUE(refused(checkpoint("id2label", configWith(R"("id2label": {"0": "A", "1": "B"})"), body() + pooler() + classifier),
                      {"config.json", "id2label", "2 labels", "3 rows"}));
  EXPECT_TRUE(refused(checkpoint("arch", configWith(R"("architectures": ["BertForTokenClassification"])"),
                                 body() + pooler() + classifier),
                      {"architectures", "BertForTokenClassification", "sequence classifier"}));
  Tensors unknown = body();
  unknown.emplace_back("adapter.down.weight", filled({4, kHidden}, 3));
  EXPECT_TRUE(refused(checkpoint("unknown", configWith(""), unknown), {"adapter.down.weight", "no layout transformers writes"}));
  Tensors wrongSize = body();
  for (auto& [name, t] : wrongSize)
    if (name == "embeddings.LayerNorm.bias") t = filled({kHidden + 1}, 4);
  EXPECT_TRUE(refused(checkpoint("size", configWith(""), wrongSize), {"embeddings.LayerNorm.bias", "[16]", "[17]"}));
}

TEST(HfHeads, CheckpointWithoutTokenizerTakesTokenIdsOnly) {
  const std::string dir = checkpoint("no-tokenizer", configWith(""), body());
  fs::remove(fs::path(dir) / "vocab.txt");
  const auto model = attnviz::loadModel(dir);
  try {
    model->run(attnviz::Input::fromText("the animal"), {});
    ADD_FAILURE() << "a text ran without a tokenizer";
  } catch (const attnviz::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--token-ids"), std::string::npos) << e.what();
  }
  EXPECT_EQ(model->run(attnviz::Input::fromTokenIds({2, 5, 3}), {}).sourceTokens,
            (std::vector<std::string>{"#2", "#5", "#3"}));
}
