// Beam search (engine/models/seq2seq/decoding.h) on the tiny packages of all six variants: width 1 is exactly
// greedy; the n-best list is sorted by score; each hypothesis's score, log-probability and attention agree with
// teacher-forcing its own tokens (so the search carried every hypothesis's state correctly); rows sum to 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "engine/core/error.h"
#include "engine/io/package.h"
#include "engine/models/seq2seq/decoding.h"
#include "engine/models/seq2seq/seq2seq_model.h"

namespace s2s = attnviz::seq2seq;
using attnviz::Tensor;

namespace {

const std::vector<std::string> kSentences = {
    "Tom is tired.", "I don't know what she wants.", "Where is the zebra's purple umbrella?",
    "The cat loves quantum tea!", "", "cold cold cold water house brother tomorrow umbrella"};

void expectRowsSumToOne(const Tensor& map, const std::string& what) {
  ASSERT_EQ(map.rank(), 2) << what;
  for (std::int64_t r = 0; r < map.dim(0); ++r) {
    double sum = 0;
    for (std::int64_t j = 0; j < map.dim(1); ++j) sum += map.data()[r * map.dim(1) + j];
    ASSERT_NEAR(sum, 1.0, 1e-5) << what << " row " << r;
  }
}

// Sum over t of log-softmax(logits[t])[ids[t]].
double logProbabilityOf(const Tensor& logits, const std::vector<std::int64_t>& ids) {
  const std::int64_t v = logits.dim(1);
  double total = 0;
  for (std::size_t t = 0; t < ids.size(); ++t) {
    const float* row = logits.data() + static_cast<std::int64_t>(t) * v;
    const double top = *std::max_element(row, row + v);
    double sum = 0;
    for (std::int64_t k = 0; k < v; ++k) sum += std::exp(row[k] - top);
    total += row[ids[t]] - top - std::log(sum);
  }
  return total;
}

class Seq2seqBeam : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    model_ = std::make_unique<s2s::Seq2seqModel>(
        attnviz::Package::open(std::string(ATTNVIZ_TEST_DATA) + "/tiny-seq2seq-" + GetParam()));
  }
  std::unique_ptr<s2s::Seq2seqModel> model_;
};

TEST_P(Seq2seqBeam, WidthOneIsExactlyGreedy) {
  const s2s::Network& net = model_->network();
  for (const std::string& text : kSentences) {
    const s2s::TokenIds source = model_->sourceIds(text, "test");
    const s2s::Encoded e = net.encode(source.ids);
    for (std::int64_t limit : {s2s::Seq2seqModel::maxDecodeLength(source), std::int64_t{2}}) {  // 2: stops early
      const s2s::Decoded g = s2s::greedy(net, e, limit);
      const std::vector<s2s::Decoded> b = s2s::beamSearch(net, e, 1, limit);
      ASSERT_EQ(b.size(), 1u) << text;
      EXPECT_EQ(b[0].ids, g.ids) << text << ", limit " << limit;
      EXPECT_EQ(b[0].finished, g.finished) << text;
      ASSERT_EQ(b[0].attention.shape(), g.attention.shape()) << text;
      EXPECT_TRUE(std::equal(g.attention.values().begin(), g.attention.values().end(), b[0].attention.values().begin()))
          << text << ": the attention must be bit-identical";
    }
  }
}

TEST_P(Seq2seqBeam, NBestSortedAndConsistentWithForcedDecoding) {
  const s2s::Network& net = model_->network();
  const std::int64_t eos = model_->config().eosId;
  for (const std::string& text : kSentences) {
    const s2s::TokenIds source = model_->sourceIds(text, "test");
    const s2s::Encoded e = net.encode(source.ids);
    for (int width : {2, 3, 5}) {
      const std::vector<s2s::Decoded> nBest = s2s::beamSearch(net, e, width, s2s::Seq2seqModel::maxDecodeLength(source));
      ASSERT_FALSE(nBest.empty());
      ASSERT_LE(nBest.size(), static_cast<std::size_t>(width));
      std::set<std::vector<std::int64_t>> distinct;
      for (std::size_t i = 0; i < nBest.size(); ++i) {
        const s2s::Decoded& h = nBest[i];
        const std::string what = text + " width " + std::to_string(width) + " hypothesis " + std::to_string(i);
        distinct.insert(h.ids);
        if (i) EXPECT_GE(nBest[i - 1].score, h.score) << what << ": not sorted best first";
        EXPECT_NEAR(h.score, h.logProbability / static_cast<double>(h.ids.size()), 1e-5) << what;
        ASSERT_EQ(h.attention.dim(0), static_cast<std::int64_t>(h.ids.size())) << what;
        ASSERT_EQ(h.attention.dim(1), e.sourceLength()) << what;
        expectRowsSumToOne(h.attention, what);
        if (!h.finished) continue;
        ASSERT_EQ(h.ids.back(), eos) << what;
        EXPECT_EQ(std::count(h.ids.begin(), h.ids.end(), eos), 1) << what;
        const s2s::Decoded f = s2s::forced(net, e, h.ids);
        EXPECT_NEAR(logProbabilityOf(f.logits, h.ids), h.logProbability, 1e-3) << what;
        for (std::int64_t k = 0; k < f.attention.numel(); ++k)
          ASSERT_NEAR(f.attention.data()[k], h.attention.data()[k], 1e-5) << what << " attention value " << k;
      }
      EXPECT_EQ(distinct.size(), nBest.size()) << text << ": hypotheses must differ";
    }
  }
}

TEST_P(Seq2seqBeam, RunFillsHypothesesBestFirst) {
  attnviz::RunOptions options;
  options.beam = 3;
  const attnviz::Trace t = model_->run(attnviz::Input::fromText("Where is the cat?", "test"), options);
  ASSERT_FALSE(t.hypotheses.empty());
  EXPECT_LE(t.hypotheses.size(), 3u);
  EXPECT_EQ(t.hypotheses[0].tokens, t.targetTokens);
  const Tensor& cross = t.attention.at("cross");
  EXPECT_TRUE(std::equal(cross.values().begin(), cross.values().end(), t.hypotheses[0].cross.values().begin()));
  for (std::size_t i = 0; i < t.hypotheses.size(); ++i) {
    if (i) EXPECT_GE(t.hypotheses[i - 1].score, t.hypotheses[i].score);
    EXPECT_EQ(t.hypotheses[i].cross.dim(0), static_cast<std::int64_t>(t.hypotheses[i].tokens.size()));
    EXPECT_EQ(t.hypotheses[i].cross.dim(1), static_cast<std::int64_t>(t.sourceTokens.size()));
    expectRowsSumToOne(t.hypotheses[i].cross, "hypothesis " + std::to_string(i));
  }
  EXPECT_EQ(t.targetTokens.back(), "<eos>");
  EXPECT_TRUE(model_->run(attnviz::Input::fromText("Where is the cat?", "test"), {}).hypotheses.empty())
      << "greedy decoding has no n-best list";
}

TEST_P(Seq2seqBeam, BeamWithTargetIsAUsageError) {
  attnviz::RunOptions options;
  options.beam = 3;
  options.target = "Où est le chat ?";
  EXPECT_THROW(model_->run(attnviz::Input::fromText("Where is the cat?", "test"), options), attnviz::UsageError);
}

INSTANTIATE_TEST_SUITE_P(Variants, Seq2seqBeam,
                         ::testing::Values("bahdanau", "luong-dot", "luong-general", "luong-concat", "scaled-dot", "local-p"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
