// The bf16 mode of encoders (RunOptions::bf16: oneDNN bfloat16 matrix products) against f32 on the shipped
// coreference model and a random Hugging Face BERT: the attention difference is printed (the figure the README
// quotes) and bounded, rows still sum to 1, and the coreference links agree on the classic sentences.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "engine/model/model.h"

namespace {

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
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-bert");
  const Difference d = compare(*model, "The animal didn't cross the street because it was too tired.");
  std::printf("tiny-hf-bert bf16 vs f32: attention max |diff| %.2e, mean %.2e\n", d.maxAttention, d.meanAttention);
  EXPECT_LT(d.maxAttention, 0.05);
}
