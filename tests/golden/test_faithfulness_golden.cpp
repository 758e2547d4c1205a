// Faithfulness of token rankings (engine/analysis/faithfulness.h) against tests/data/make_faithfulness_golden.py,
// which applies models/reference/faithfulness.py (ERASER's AOPC comprehensiveness and sufficiency, Kendall's tau-b
// against leave-one-out occlusion, as read from g8a9/ferret) to models/reference/contributions.py's float64 forwards
// (the BERT one matches transformers' logits to 1e-16): the transformers-written bert_seqcls (deletion: it has no
// vocabulary), tiny-hf-bert ([MASK] and deletion) and the pre-LN tiny ViT (zero-pixel masking and deletion), every
// method. Within 1e-4: the reference probability, leave-one-out, every method's scores (of their largest),
// comprehensiveness and sufficiency per kept fraction, AOPC, tau. The generator picks inputs whose scores have no
// near-ties, so the rankings are the same in float32.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "engine/analysis/faithfulness.h"
#include "engine/api/model.h"
#include "engine/core/error.h"
#include "tests/golden/golden_util.h"

using attnviz::Tensor;
namespace fs = std::filesystem;

namespace {

constexpr double kTolerance = 1e-4;

const std::map<std::string, Tensor>& goldenArrays() {
  static const auto g = golden::load(std::string(ATTNVIZ_TEST_DATA) + "/contributions-golden/faithfulness.npz");
  return g;
}

std::vector<double> doubles(const Tensor& t) { return std::vector<double>(t.values().begin(), t.values().end()); }

double maxDiff(const std::vector<double>& got, const std::vector<double>& want) {
  EXPECT_EQ(got.size(), want.size());
  double worst = 0;
  for (std::size_t i = 0; i < std::min(got.size(), want.size()); ++i) worst = std::max(worst, std::fabs(got[i] - want[i]));
  return worst;
}

std::vector<std::string> allMethods() { return {std::begin(attnviz::kFaithfulnessMethods), std::end(attnviz::kFaithfulnessMethods)}; }

// Runs the case with every method and one removal, and compares all the golden has for it.
void expectCase(const attnviz::Model& model, const attnviz::Input& input, const std::string& c, attnviz::TokenRemoval::How how) {
  const std::map<std::string, Tensor>& g = goldenArrays();
  const std::string removal = attnviz::removalName(how);
  attnviz::RunOptions options;
  options.faithfulness = {allMethods(), how};
  const attnviz::Trace t = model.run(input, options);
  ASSERT_TRUE(t.faithfulness);
  const attnviz::Faithfulness& f = *t.faithfulness;
  EXPECT_EQ(f.removal, removal);
  EXPECT_EQ(f.row, 0);
  ASSERT_FALSE(f.units.empty());
  EXPECT_EQ(f.units.front(), 1);
  EXPECT_EQ(f.units.size(), f.leaveOneOut.size());
  const double dReference = std::fabs(f.reference - g.at(c + "_reference").data()[0]);
  const double dLoo = maxDiff(std::vector<double>(f.leaveOneOut.begin(), f.leaveOneOut.end()), doubles(g.at(c + "_" + removal + "_loo")));
  std::printf("%s %s: %s %.4f (%.1e), leave-one-out %.1e\n", c.c_str(), removal.c_str(), f.scored.c_str(), f.reference, dReference, dLoo);
  EXPECT_LT(dReference, kTolerance) << c;
  EXPECT_LT(dLoo, kTolerance) << c << " " << removal;
  ASSERT_EQ(f.methods.size(), allMethods().size());
  for (const attnviz::RankingFaithfulness& m : f.methods) {
    std::string key = m.method;
    std::replace(key.begin(), key.end(), '-', '_');
    const std::string name = c + "_" + removal + "_" + key;
    const Tensor& wantScores = g.at(c + "_" + key + "_scores");
    double top = 0, dScores = 0;
    for (std::int64_t u = 0; u < wantScores.numel(); ++u) top = std::max(top, std::fabs(double(wantScores.data()[u])));
    ASSERT_EQ(static_cast<std::int64_t>(m.scores.size()), wantScores.numel()) << name;
    for (std::int64_t u = 0; u < wantScores.numel(); ++u)
      dScores = std::max(dScores, std::fabs(m.scores[static_cast<std::size_t>(u)] - double(wantScores.data()[u])) / top);
    EXPECT_LT(maxDiff(m.fractions, doubles(g.at(name + "_kept"))), 1e-7) << name;  // stored as float32
    const double dComp = maxDiff(m.comprehensiveness, doubles(g.at(name + "_comprehensiveness")));
    const double dSuff = maxDiff(m.sufficiency, doubles(g.at(name + "_sufficiency")));
    const Tensor& aopc = g.at(name + "_aopc");
    const double dAopc = std::max(std::fabs(m.aopcComprehensiveness - aopc.data()[0]), std::fabs(m.aopcSufficiency - aopc.data()[1]));
    const double dTau = std::fabs(m.tau - g.at(name + "_tau").data()[0]);
    std::printf("  %-13s AOPC comp %+.4f suff %+.4f tau %+.3f: scores %.1e (of max), comp %.1e, suff %.1e, aopc %.1e, tau %.1e\n",
                m.method.c_str(), m.aopcComprehensiveness, m.aopcSufficiency, m.tau, dScores, dComp, dSuff, dAopc, dTau);
    EXPECT_LT(dScores, kTolerance) << name;
    EXPECT_LT(dComp, kTolerance) << name;
    EXPECT_LT(dSuff, kTolerance) << name;
    EXPECT_LT(dAopc, kTolerance) << name;
    EXPECT_LT(dTau, kTolerance) << name;
  }
}

attnviz::Input tokenIdsOf(const std::string& c) {
  return attnviz::Input::fromTokenIds(golden::ints(goldenArrays().at(c + "_ids")), golden::ints(goldenArrays().at(c + "_types")));
}

}  // namespace

TEST(FaithfulnessGolden, RealBertCheckpointWrittenByTransformersByDeletion) {
  const auto model = attnviz::loadModel((fs::path(ATTNVIZ_SOURCE_DIR).parent_path() / "shared/real-checkpoints/bert_seqcls").string());
  expectCase(*model, tokenIdsOf("bert_seqcls"), "bert_seqcls", attnviz::TokenRemoval::How::Delete);
  // Without a vocabulary there is no [MASK] or [UNK] to mask with: refused, naming the way out.
  attnviz::RunOptions options;
  options.faithfulness = {{"attention"}, attnviz::TokenRemoval::How::Mask};
  try {
    model->run(tokenIdsOf("bert_seqcls"), options);
    FAIL() << "masking without a vocabulary ran";
  } catch (const attnviz::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--removal delete"), std::string::npos) << e.what();
  }
}

TEST(FaithfulnessGolden, TinyHfBertMaskedAndDeleted) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-bert");
  expectCase(*model, tokenIdsOf("tiny_hf_bert"), "tiny_hf_bert", attnviz::TokenRemoval::How::Mask);
  expectCase(*model, tokenIdsOf("tiny_hf_bert"), "tiny_hf_bert", attnviz::TokenRemoval::How::Delete);
}

TEST(FaithfulnessGolden, PreLayerNormVitPatchesZeroedAndDeleted) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-vit");
  const golden::PixelsNpy pixels(goldenArrays().at("tiny_hf_vit_pixels"));
  expectCase(*model, attnviz::Input::fromPixels(pixels.path()), "tiny_hf_vit", attnviz::TokenRemoval::How::Mask);
  expectCase(*model, attnviz::Input::fromPixels(pixels.path()), "tiny_hf_vit", attnviz::TokenRemoval::How::Delete);
}
