// Golden parity with an outside oracle: the BERT and DistilBERT checkpoints in ../shared/real-checkpoints were
// written by transformers in other projects, with reference outputs transformers itself computed in float64
// (<folder>/_provenance/*.json; the scripts beside them give the input convention). Each is run from its token ids
// (and segment ids) with hiddenStates on, and compared within 1e-4, the largest difference printed:
//   bert_seqcls         BertForSequenceClassification, segments 0/1   logits, predicted labels
//   distilbert          DistilBertModel                               last hidden state
//   distilbert_seqcls   DistilBertForSequenceClassification           logits, predicted labels
//   distilbert_qa       DistilBertForQuestionAnswering                start and end logits
//   e5                  BertModel without pooler, run on 16 ids padded with 0 (no attention mask, as the script
//                       does), mean-pooled over the real tokens and L2-normalised
// lmbuddy-bert-tiniest (BertLMHeadModel, the real bert-base-uncased vocabulary, no oracle) must run on text. Every
// folder there must either open or, for a model type attnviz does not run, be described with its problem.
// The folder is required: a missing ../shared fails these tests instead of skipping them.
#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/api/model.h"

using attnviz::Tensor;
namespace fs = std::filesystem;

namespace {

constexpr double kTolerance = 1e-4;

fs::path realCheckpoints() { return fs::path(ATTNVIZ_SOURCE_DIR).parent_path() / "shared/real-checkpoints"; }

std::string folder(const std::string& name) {
  const fs::path dir = realCheckpoints() / name;
  EXPECT_TRUE(fs::is_directory(dir)) << "missing " << dir << " (../shared/real-checkpoints beside the repository)";
  return dir.string();
}

// The one reference file in <folder>/_provenance.
QJsonObject oracle(const std::string& name) {
  const fs::path dir = realCheckpoints() / name / "_provenance";
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    QFile file(QString::fromStdString(entry.path().string()));
    EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << entry.path();
    return QJsonDocument::fromJson(file.readAll()).object();
  }
  ADD_FAILURE() << "no reference .json in " << dir;
  return {};
}

std::vector<std::int64_t> ints(const QJsonValue& v) {
  std::vector<std::int64_t> out;
  for (const QJsonValue& x : v.toArray()) out.push_back(x.toInteger());
  return out;
}

// Every number of a nested JSON array, in row-major order.
void flatten(const QJsonValue& v, std::vector<double>& out) {
  if (v.isArray()) {
    for (const QJsonValue& x : v.toArray()) flatten(x, out);
  } else {
    out.push_back(v.toDouble());
  }
}

// Largest |got - expected| over a tensor and the same values as nested JSON arrays; fails on a count mismatch.
double maxDiff(const Tensor& got, const QJsonValue& expected) {
  std::vector<double> want;
  flatten(expected, want);
  EXPECT_EQ(static_cast<std::size_t>(got.numel()), want.size());
  double worst = 0;
  for (std::size_t i = 0; i < want.size() && i < static_cast<std::size_t>(got.numel()); ++i)
    worst = std::max(worst, std::fabs(double(got.data()[i]) - want[i]));
  return worst;
}

attnviz::Trace runIds(const attnviz::Model& model, const QJsonObject& o, qsizetype k) {
  attnviz::RunOptions options;
  options.hiddenStates = true;
  std::vector<std::int64_t> types;
  if (o.contains("token_types")) types = ints(o["token_types"].toArray()[k]);
  return model.run(attnviz::Input::fromTokenIds(ints(o["sequences"].toArray()[k]), types), options);
}

void expectRowsSumToOne(const attnviz::Trace& t) {
  const Tensor& self = t.attention.at("self");
  const std::int64_t n = self.dim(-1);
  double worst = 0;
  for (std::int64_t row = 0; row < self.numel() / n; ++row) {
    double sum = 0;
    for (std::int64_t j = 0; j < n; ++j) sum += self.data()[row * n + j];
    worst = std::max(worst, std::fabs(sum - 1.0));
  }
  EXPECT_LT(worst, 1e-5) << "attention rows must sum to 1";
}

// Compares output `name` of every sequence with the oracle's `key`; prints the max difference.
void compareOutput(const std::string& checkpoint, const std::string& name, const std::string& key) {
  const auto model = attnviz::loadModel(folder(checkpoint));
  const QJsonObject o = oracle(checkpoint);
  const QJsonArray expected = o[QString::fromStdString(key)].toArray();
  ASSERT_EQ(expected.size(), o["sequences"].toArray().size());
  double worst = 0;
  for (qsizetype k = 0; k < expected.size(); ++k) {
    const attnviz::Trace t = runIds(*model, o, k);
    ASSERT_TRUE(t.outputs.count(name)) << checkpoint << " gave no \"" << name << "\"";
    worst = std::max(worst, maxDiff(t.outputs.at(name), expected[k]));
    expectRowsSumToOne(t);
  }
  std::printf("%s %s: %lld sequences OK, maxdiff = %e\n", checkpoint.c_str(), name.c_str(),
              static_cast<long long>(expected.size()), worst);
  EXPECT_LT(worst, kTolerance) << checkpoint << " " << name;
}

void expectLabels(const std::string& checkpoint) {
  const auto model = attnviz::loadModel(folder(checkpoint));
  const QJsonObject o = oracle(checkpoint);
  const QJsonArray labels = o["labels"].toArray();
  for (qsizetype k = 0; k < labels.size(); ++k) {
    const attnviz::Trace t = runIds(*model, o, k);
    ASSERT_TRUE(t.prediction.label);
    EXPECT_EQ(*t.prediction.label, labels[k].toString().toStdString()) << checkpoint << " sequence " << k;
    double total = 0;
    for (const auto& [label, p] : t.prediction.probabilities) total += p;
    EXPECT_NEAR(total, 1.0, 1e-5);
  }
}

TEST(HfRealCheckpoints, BertSequenceClassificationLogits) {
  compareOutput("bert_seqcls", "logits", "logits");
  expectLabels("bert_seqcls");
}

TEST(HfRealCheckpoints, DistilBertLastHiddenState) { compareOutput("distilbert", "hidden", "hidden"); }

TEST(HfRealCheckpoints, DistilBertSequenceClassificationLogits) {
  compareOutput("distilbert_seqcls", "logits", "logits");
  expectLabels("distilbert_seqcls");
}

TEST(HfRealCheckpoints, DistilBertQuestionAnsweringStartAndEndLogits) {
  compareOutput("distilbert_qa", "start_logits", "start_logits");
  compareOutput("distilbert_qa", "end_logits", "end_logits");
  const auto model = attnviz::loadModel(folder("distilbert_qa"));
  const attnviz::Trace t = runIds(*model, oracle("distilbert_qa"), 0);
  ASSERT_TRUE(t.prediction.answer);
  EXPECT_LE(t.prediction.answer->start, t.prediction.answer->end);
  EXPECT_EQ(t.prediction.startProbabilities.size(), t.sourceTokens.size());
}

TEST(HfRealCheckpoints, E5MeanPooledEmbeddings) {
  const auto model = attnviz::loadModel(folder("e5"));
  const QJsonObject o = oracle("e5");
  const QJsonArray embeddings = o["embeddings"].toArray();
  const std::vector<std::int64_t> real = ints(o["real_tokens"]);
  double worst = 0;
  for (qsizetype k = 0; k < embeddings.size(); ++k) {
    const attnviz::Trace t = runIds(*model, o, k);
    EXPECT_FALSE(t.outputs.count("pooled")) << "e5 is saved without its pooler";
    const Tensor& h = t.outputs.at("hidden");  // [16, hidden]
    const std::int64_t d = h.dim(1);
    Tensor pooled({d});
    for (std::int64_t i = 0; i < real[static_cast<std::size_t>(k)]; ++i)
      for (std::int64_t j = 0; j < d; ++j) pooled.data()[j] += h.data()[i * d + j] / float(real[static_cast<std::size_t>(k)]);
    double norm = 0;
    for (float v : pooled.values()) norm += double(v) * v;
    for (float& v : pooled.values()) v = static_cast<float>(v / std::sqrt(norm));
    worst = std::max(worst, maxDiff(pooled, embeddings[k]));
  }
  std::printf("e5 mean-pooled embeddings: maxdiff = %e\n", worst);
  EXPECT_LT(worst, kTolerance);
}

TEST(HfRealCheckpoints, LmBuddyBertLmHeadModelRunsOnText) {
  const auto model = attnviz::loadModel(folder("lmbuddy-bert-tiniest"));
  const attnviz::Trace t = model->run(attnviz::Input::fromText("The animal didn't cross the street because it was too tired."), {});
  EXPECT_EQ(t.sourceTokens, (std::vector<std::string>{"[CLS]", "the", "animal", "didn", "'", "t", "cross", "the", "street",
                                                      "because", "it", "was", "too", "tired", ".", "[SEP]"}));
  expectRowsSumToOne(t);
  bool listed = false;
  for (const auto& [key, value] : model->info().card)
    if (key == "heads not run") listed = value.find("cls.predictions.bias") != std::string::npos;
  EXPECT_TRUE(listed) << "the masked-LM head's tensors are listed in the model card";
}

// Every folder opens, or (a model type attnviz does not run) is described with its problem instead of an exception.
TEST(HfRealCheckpoints, EveryFolderOpensOrIsDescribed) {
  int opened = 0;
  for (const auto& entry : fs::directory_iterator(realCheckpoints())) {
    if (!fs::exists(entry.path() / "config.json")) continue;
    const std::string path = entry.path().string();
    const attnviz::ModelInfo info = attnviz::describeModel(path);
    const std::string type = info.identity.variant;
    const bool supported = type == "bert" || type == "distilbert" || type == "vit" || type == "marian" || type == "bart";
    if (supported) {
      EXPECT_TRUE(info.runnable()) << path << ": " << info.problemWhere << ": " << info.problem;
      opened += info.runnable();
    } else {
      EXPECT_FALSE(info.runnable()) << path << " (model_type " << type << ")";
      EXPECT_NE(info.problem.find(type), std::string::npos) << info.problem;
    }
  }
  EXPECT_GE(opened, 9);  // bert_seqcls, distilbert, distilbert_seqcls, distilbert_qa, e5, lmbuddy-bert-tiniest, vit,
                        // marian, bart
}

}  // namespace
