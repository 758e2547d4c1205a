// Model::run's work count and thread choice (model.h): the FLOPs of a run's matrix products are counted exactly
// (the tiny encoder's, worked out by hand below), and a run that small takes one thread even when more are allowed.
#include <gtest/gtest.h>

#include "engine/api/model.h"
#include "engine/ops/cpu_capabilities.h"

namespace {

TEST(RunThreads, ProductFlopsAreCountedExactlyAndASmallRunTakesOneThread) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-encoder");
  attnviz::ops::setThreadCount(2);
  const attnviz::Trace trace = model->run(attnviz::Input::fromText("the cat sat"), {});
  const std::int64_t n = static_cast<std::int64_t>(trace.sourceTokens.size());  // [CLS] the cat sat [SEP]
  ASSERT_EQ(n, 5);
  // tiny-encoder: hidden 16, 2 heads of 8, intermediate 32, 2 layers, a classifier over the pooled [CLS] row.
  const std::int64_t hidden = 16, heads = 2, d = 8, inter = 32, layers = 2;
  const std::int64_t perLayer = 2 * n * hidden * 3 * hidden      // q, k, v
                                + 2 * heads * n * n * d * 2       // q k^T and probs v
                                + 2 * n * hidden * hidden         // attention output
                                + 2 * n * hidden * inter * 2;     // feed-forward, both products
  const std::int64_t labels = static_cast<std::int64_t>(model->info().labels.size());
  const std::int64_t headProducts = 2 * hidden * hidden + 2 * hidden * labels;  // pooler and classifier on one row
  EXPECT_EQ(trace.productFlops, layers * perLayer + headProducts);
  EXPECT_LT(trace.productFlops, attnviz::Model::kOneThreadBelowFlops);
  EXPECT_EQ(trace.threads, 1);
  EXPECT_EQ(model->run(attnviz::Input::fromText("the cat sat"), {}).threads, 1);  // the measured count agrees
  attnviz::ops::setThreadCount(0);
}

}  // namespace
