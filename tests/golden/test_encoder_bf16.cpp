// The bf16 mode of encoders (RunOptions::bf16: oneDNN bfloat16 matrix products) against f32 on the shipped
// coreference model and a random Hugging Face BERT: the attention difference is printed (the figure the README
// quotes) and bounded, rows still sum to 1, and the coreference links agree on the classic sentences.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "engine/core/error.h"
#include "engine/api/model.h"
#include "engine/ops/cpu_capabilities.h"

namespace {

// unit_test_cpu_capabilities checks that these skips happen exactly where oneDNN has no bf16 kernel, and
// NoBf16IsOneClearError what a run asking for bf16 gets there.
#define SKIP_WITHOUT_BF16()                                                                                     \
  if (const auto& cpu = attnviz::ops::cpuCapabilities(); !cpu.bf16) GTEST_SKIP() << "no bfloat16 on this CPU: " \
                                                                                 << cpu.bf16Reason

struct Difference {
  double maxAttention = 0, meanAttention = 0;
};

Difference compare(const attnviz::Model& model, const std::string& text) {
  attnviz::RunOptions f32, bf16;
  bf16.bf16 = true;
  const attnviz::Trace a = model.run(attnviz::Input::fromText(text, "t"), f32);
  const attnviz::Trace b = model.run(attnviz::Input::fromText(text, "t"), bf16);
  EXPECT_EQ(a.sourceTokens, b.sourceTokens);
  const attnviz::Tensor& x = a.attention.at("self");
  const attnviz::Tensor& y = b.attention.at("self");
  EXPECT_EQ(x.shape(), y.shape());
  Difference d;
  for (std::int64_t i = 0; i < x.numel(); ++i) {
    const double diff = std::fabs(double(x.data()[i]) - y.data()[i]);
    d.maxAttention = std::max(d.maxAttention, diff);
    d.meanAttention += diff / static_cast<double>(x.numel());
  }
  const std::int64_t n = y.dim(3);
  for (std::int64_t row = 0; row < y.numel() / n; ++row) {
    double sum = 0;
    for (std::int64_t j = 0; j < n; ++j) sum += y.data()[row * n + j];
    EXPECT_NEAR(sum, 1.0, 1e-5) << "bf16 row " << row;
  }
  return d;
}

}  // namespace

TEST(EncoderBf16, ShippedCoreferenceModelStaysCloseToF32) {
  SKIP_WITHOUT_BF16();
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_SOURCE_DIR) + "/models/coref-bert");
  for (const char* text : {"The animal didn't cross the street because it was too tired.",
                           "The animal didn't cross the street because it was too wide."}) {
    const Difference d = compare(*model, text);
    std::printf("coref-bert bf16 vs f32: attention max |diff| %.2e, mean %.2e (%s)\n", d.maxAttention, d.meanAttention, text);
    EXPECT_GT(d.maxAttention, 0.0) << "bf16 gave exactly f32's attention: not computed in bf16?";
    EXPECT_LT(d.maxAttention, 0.05);
    EXPECT_LT(d.meanAttention, 2e-3);
    attnviz::RunOptions bf16;
    bf16.bf16 = true;
    const auto a = model->run(attnviz::Input::fromText(text, "t"), {}).prediction.coreference;
    const auto b = model->run(attnviz::Input::fromText(text, "t"), bf16).prediction.coreference;
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) EXPECT_EQ(a[k].antecedent, b[k].antecedent) << text;
  }
}

TEST(EncoderBf16, RandomHuggingFaceBert) {
  SKIP_WITHOUT_BF16();
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-bert");
  const Difference d = compare(*model, "The animal didn't cross the street because it was too tired.");
  std::printf("tiny-hf-bert bf16 vs f32: attention max |diff| %.2e, mean %.2e\n", d.maxAttention, d.meanAttention);
  EXPECT_LT(d.maxAttention, 0.05);
}

// Where bf16 cannot run, a run asking for it fails with one BackendError naming the missing feature (the CLI's exit
// 5) and the model still runs in f32 afterwards; where it can, a second bf16 run reuses the converted layers.
TEST(EncoderBf16, NoBf16IsOneClearError) {
  const auto& cpu = attnviz::ops::cpuCapabilities();
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-bert");
  attnviz::RunOptions bf16;
  bf16.bf16 = true;
  const auto input = attnviz::Input::fromText("it was too tired", "t");
  if (cpu.bf16) {
    EXPECT_NO_THROW(model->run(input, bf16));
    EXPECT_NO_THROW(model->run(input, bf16));
    return;
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      model->run(input, bf16);
      ADD_FAILURE() << "a bf16 run succeeded where the capability says no";
    } catch (const attnviz::Error& e) {
      EXPECT_EQ(e.kind(), attnviz::ErrorKind::Backend);
      EXPECT_EQ(e.where(), "--bf16");
      EXPECT_EQ(std::string(e.what()), cpu.bf16Reason);
    }
  }
  EXPECT_NO_THROW(model->run(input, {}));
}
