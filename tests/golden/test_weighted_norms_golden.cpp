// Golden parity of the RNN models' value norm analogue a_j ‖h_j‖ (engine/models/rnn/weighted_norms.h) against the
// PyTorch references (tests/data/make_weighted_norms_golden.py, contributions-golden/weighted_norms.npz): the six tiny
// seq2seq packages force-decoding their golden cases (attention.cross_norm [T, S], and attention.cross itself), and
// the shipped han on its golden documents (raggedAttention.word_norm, attention.sentence_norm). Within 1e-4 of each
// map's largest entry (the norms reach a few units); every entry non-negative. Without --method the maps are absent,
// and a model without weighted norms or attention blocks refuses --method value-norm.
#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <filesystem>

#include "engine/api/model.h"
#include "engine/core/error.h"
#include "tests/golden/golden_util.h"

namespace fs = std::filesystem;
using attnviz::Tensor;

namespace {

constexpr double kTolerance = 1e-4;  // of the map's largest entry
const std::string kData = ATTNVIZ_TEST_DATA;
const auto kGolden = golden::load(kData + "/contributions-golden/weighted_norms.npz");

double relativeDiff(const Tensor& ours, const Tensor& theirs) {
  double top = 0;
  for (float v : theirs.values()) top = std::max(top, std::fabs(double(v)));
  return golden::maxDiff(ours, theirs) / std::max(top, 1e-12);
}

void expectNonNegative(const Tensor& t, const std::string& what) {
  for (float v : t.values()) ASSERT_GE(v, 0.0f) << what;
}

// Every part of a ragged map, one after another.
Tensor flattened(const std::vector<Tensor>& parts) {
  std::vector<float> all;
  for (const Tensor& p : parts) all.insert(all.end(), p.values().begin(), p.values().end());
  return Tensor({static_cast<std::int64_t>(all.size())}, all);
}

std::string readText(const std::string& path) {
  QFile f(QString::fromStdString(path));
  EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path;
  return f.readAll().toStdString();
}

}  // namespace

TEST(WeightedNormsGolden, Seq2seqCrossAttentionNorms) {
  int compared = 0;
  for (const char* variant : {"bahdanau", "luong-dot", "luong-general", "luong-concat", "scaled-dot", "local-p"}) {
    const auto model = attnviz::loadModel(kData + "/tiny-seq2seq-" + variant);
    ASSERT_TRUE(model->info().weightedNorms);
    const QJsonArray cases =
        QJsonDocument::fromJson(QByteArray::fromStdString(readText(kData + "/tiny-seq2seq-golden/" + variant + ".json")))
            .object()["cases"].toArray();
    ASSERT_FALSE(cases.isEmpty()) << variant;
    for (int k = 0; k < cases.size(); ++k) {
      const std::string key = std::string(variant) + "/case" + std::to_string(k);
      attnviz::RunOptions options;
      options.target = cases[k].toObject()["target"].toString().toStdString();
      options.contributions.valueNorm = true;
      const attnviz::Trace t =
          model->run(attnviz::Input::fromText(cases[k].toObject()["source"].toString().toStdString(), key), options);
      const double cross = golden::maxDiff(t.attention.at("cross"), kGolden.at(key + "/cross"));
      const double norms = relativeDiff(t.attention.at("cross_norm"), kGolden.at(key + "/cross_norm"));
      std::printf("%s: cross %.2e, cross_norm %.2e (of its max)\n", key.c_str(), cross, norms);
      EXPECT_LT(cross, kTolerance) << key;
      EXPECT_LT(norms, kTolerance) << key;
      expectNonNegative(t.attention.at("cross_norm"), key);
      ++compared;
    }
    attnviz::RunOptions plain;
    plain.target = cases[0].toObject()["target"].toString().toStdString();
    EXPECT_FALSE(model->run(attnviz::Input::fromText(cases[0].toObject()["source"].toString().toStdString()), plain)
                     .attention.contains("cross_norm"));
  }
  EXPECT_GE(compared, 12);
}

TEST(WeightedNormsGolden, HanWordAndSentenceNorms) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_SOURCE_DIR) + "/models/han-movie-reviews");
  attnviz::RunOptions options;
  options.sentences = attnviz::SentenceMode::Lines;
  options.contributions.valueNorm = true;
  int cases = 0;
  for (int k = 0; fs::exists(kData + "/han-golden/case" + std::to_string(k) + ".txt"); ++k, ++cases) {
    const std::string key = "han/case" + std::to_string(k);
    const attnviz::Trace t =
        model->run(attnviz::Input::fromText(readText(kData + "/han-golden/case" + std::to_string(k) + ".txt"), key), options);
    const double words = relativeDiff(flattened(t.raggedAttention.at("word_norm")), kGolden.at(key + "/word_norm"));
    const double sentences = relativeDiff(t.attention.at("sentence_norm"), kGolden.at(key + "/sentence_norm"));
    std::printf("%s: word_norm %.2e, sentence_norm %.2e (of their max)\n", key.c_str(), words, sentences);
    EXPECT_LT(words, kTolerance) << key;
    EXPECT_LT(sentences, kTolerance) << key;
    expectNonNegative(t.attention.at("sentence_norm"), key);
    ASSERT_EQ(t.raggedAttention.at("word_norm").size(), t.raggedAttention.at("word").size()) << key;
  }
  EXPECT_GE(cases, 3);
}

TEST(WeightedNormsGolden, OtherMethodsAndOtherModelsAreRefused) {
  const auto seq2seq = attnviz::loadModel(kData + "/tiny-seq2seq-bahdanau");
  attnviz::RunOptions alti;
  alti.contributions.alti = true;
  EXPECT_THROW(seq2seq->run(attnviz::Input::fromText("Tom is tired."), alti), attnviz::UsageError);
  const auto aligner = attnviz::loadModel(kData + "/tiny-aligner");
  EXPECT_FALSE(aligner->info().weightedNorms);
  attnviz::RunOptions norms;
  norms.contributions.valueNorm = true;
  norms.target = "le chat";
  try {
    aligner->run(attnviz::Input::fromText("the cat"), norms);
    ADD_FAILURE() << "an aligner ran --method value-norm";
  } catch (const attnviz::UsageError& e) {
    EXPECT_EQ(e.where(), "--method") << e.message();
  }
}
