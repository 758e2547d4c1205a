// The limits a user can change (engine/core/limits.h): ranges and their messages, and what every model kind does
// over a limit. Texts are cut with a warning that names the limit and how to change it; images are refused.
#include <gtest/gtest.h>

#include <numeric>
#include <string>

#include "engine/core/error.h"
#include "engine/core/limits.h"
#include "engine/api/model.h"

using attnviz::Input;
using attnviz::RunOptions;
using attnviz::Trace;

namespace {

const std::string kData = ATTNVIZ_TEST_DATA;

std::string words(int n, const std::string& word = "the") {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? " " : "") + word;
  return s;
}

RunOptions withMaxTokens(std::int64_t n) {
  RunOptions o;
  o.maxTokens = n;
  return o;
}

bool anyWarningHas(const Trace& t, const std::string& part) {
  for (const auto& w : t.warnings)
    if (w.find(part) != std::string::npos) return true;
  return false;
}

template <typename F>
std::string messageOf(F&& f) {
  try {
    f();
  } catch (const attnviz::Error& e) {
    return e.message();
  }
  return "(nothing thrown)";
}

}  // namespace

TEST(Limits, RangesAreCheckedAndNamed) {
  EXPECT_EQ(attnviz::checkLimit(attnviz::kMaxTokensLimit, 100, "--max-tokens"), 100);
  EXPECT_THROW(attnviz::checkLimit(attnviz::kMaxTokensLimit, 1, "--max-tokens"), attnviz::UsageError);
  const std::string m = messageOf([] { attnviz::checkLimit(attnviz::kMaxModelFileBytesLimit, 1, "--max-model-size"); });
  EXPECT_NE(m.find("--max-model-size"), std::string::npos) << m;
  EXPECT_NE(m.find("from 1 MiB to 64 GiB, got 1 bytes"), std::string::npos) << m;
  EXPECT_EQ(attnviz::limitText(attnviz::kMaxModelFileBytesLimit, 8LL << 30), "8 GiB");
  EXPECT_EQ(attnviz::limitText(attnviz::kMaxModelFileBytesLimit, 1536), "1,536 bytes");
  EXPECT_EQ(attnviz::limitText(attnviz::kMaxImagePixelsLimit, 67108864), "67,108,864");
  EXPECT_EQ(attnviz::limitText(attnviz::kMaxTokensLimit, 4096), "4,096");
}

TEST(Limits, EncoderInputIsCutAtTheTokenLimitAndSaysSo) {
  const auto model = attnviz::loadModel(kData + "/tiny-encoder");
  const Trace whole = model->run(Input::fromText(words(20), "t"), {});
  EXPECT_TRUE(whole.warnings.empty());
  const Trace cut = model->run(Input::fromText(words(20), "t"), withMaxTokens(6));
  ASSERT_EQ(cut.sourceTokens.size(), 6u);  // [CLS] + 4 words + [SEP]
  EXPECT_EQ(cut.sourceTokens.back(), "[SEP]");
  EXPECT_TRUE(anyWarningHas(cut, "input truncated to 6 tokens")) << cut.warnings.front();
  EXPECT_TRUE(anyWarningHas(cut, "--max-tokens"));
  EXPECT_TRUE(anyWarningHas(cut, "16 tokens at the end were left out"));
  const attnviz::Tensor& self = cut.attention.at("self");
  ASSERT_EQ(self.dim(2), 6);
  for (std::int64_t row = 0; row < self.numel() / 6; ++row) {
    const float* r = self.data() + row * 6;
    EXPECT_NEAR(std::accumulate(r, r + 6, 0.0), 1.0, 1e-5);
  }
  EXPECT_THROW(model->run(Input::fromText("a", "t"), withMaxTokens(1)), attnviz::UsageError);
}

TEST(Limits, HanDocumentIsCutToTheFirstWords) {
  const auto model = attnviz::loadModel(kData + "/tiny-han");
  RunOptions o = withMaxTokens(7);
  o.sentences = attnviz::SentenceMode::Lines;
  const Trace t = model->run(Input::fromText("good good good good good\nbad bad bad bad bad\nthe movie", "t"), o);
  ASSERT_EQ(t.sentences.size(), 2u);
  EXPECT_EQ(t.sentences[0].size(), 5u);
  EXPECT_EQ(t.sentences[1].size(), 2u);
  EXPECT_EQ(t.sourceTokens.size(), 7u);
  EXPECT_TRUE(anyWarningHas(t, "document cut to its first 7 words"));
  EXPECT_TRUE(anyWarningHas(t, "5 words left out"));
  EXPECT_TRUE(anyWarningHas(t, "--max-tokens"));
  ASSERT_EQ(t.raggedAttention.at("word").size(), 2u);
}

TEST(Limits, Seq2seqSourceAndForcedTargetAreCut) {
  const auto model = attnviz::loadModel(kData + "/tiny-seq2seq-luong-dot");
  const Trace source = model->run(Input::fromText(words(10, "tom"), "t"), withMaxTokens(4));
  EXPECT_EQ(source.sourceTokens.size(), 4u);  // 3 words + <eos>
  EXPECT_TRUE(anyWarningHas(source, "input truncated to 4 tokens, <eos> included"));
  EXPECT_TRUE(anyWarningHas(source, "--max-tokens"));

  RunOptions forced = withMaxTokens(4);
  forced.target = words(10, "tom");
  const Trace t = model->run(Input::fromText("tom", "t"), forced);
  EXPECT_EQ(t.targetTokens.size(), 4u);
  EXPECT_TRUE(anyWarningHas(t, "target truncated to 4 tokens"));
  EXPECT_EQ(t.attention.at("cross").dim(0), 4);
}

TEST(Limits, VitRefusesAnImageOverThePixelLimit) {
  const auto model = attnviz::loadModel(kData + "/tiny-hf-vit");
  RunOptions o;
  EXPECT_NO_THROW(model->run(Input::fromImage(kData + "/images/rgb-3x2.png"), o));
  o.maxImagePixels = 5;  // the image has 6
  const std::string m = messageOf([&] { model->run(Input::fromImage(kData + "/images/rgb-3x2.png"), o); });
  EXPECT_NE(m.find("rgb-3x2.png"), std::string::npos) << m;
  EXPECT_NE(m.find("3x2 pixels, more than the limit of 5 pixels"), std::string::npos) << m;
  EXPECT_NE(m.find("--max-image-pixels"), std::string::npos) << m;
}

TEST(Limits, OptionsOutOfRangeAreUsageErrors) {
  const auto model = attnviz::loadModel(kData + "/tiny-hf-vit");
  RunOptions o;
  o.maxImagePixels = 0;
  EXPECT_THROW(model->run(Input::fromImage(kData + "/images/rgb-3x2.png"), o), attnviz::UsageError);
  EXPECT_THROW(attnviz::loadModel(kData + "/tiny-encoder", {.maxFileBytes = 10}), attnviz::UsageError);
}
