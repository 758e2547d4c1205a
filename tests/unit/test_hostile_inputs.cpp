// Every text model kind (basic-tokenizer encoder, WordPiece BERT, han, seq2seq) on text that breaks naive
// tokenizers, and the vit on the smallest images: each input gives a trace whose attention rows sum to 1, or an
// InputError with a message naming the input, never anything else.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/error.h"
#include "engine/api/model.h"

using attnviz::Input;
using attnviz::RunOptions;
using attnviz::Trace;

namespace {

const std::string kData = ATTNVIZ_TEST_DATA;

std::vector<std::pair<std::string, std::string>> hostileTexts() {
  std::string megabyte;
  while (megabyte.size() < (1u << 20)) megabyte += "the cat sat on the mat. it was tired.\n";
  return {
      {"empty", ""},
      {"whitespace only", " \t\n\r\n   \n"},
      {"invalid UTF-8", "good \xff\xfe bad \xc3"},
      {"overlong UTF-8", "\xc0\xaf"},
      {"control characters", std::string("a\x01\x02\x1f b\x7f c\0d", 12)},
      {"right-to-left", "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 \xe2\x80\x8fmark"},
      {"combining marks", "e\xcc\x81\xcc\x82\xcc\x83 n\xcc\x83 a\xcd\xa2"},
      {"emoji", "\xf0\x9f\x98\x80 \xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb great \xf0\x9f\x87\xab\xf0\x9f\x87\xb7"},
      {"mixed CJK", "\xe4\xb8\xad\xe6\x96\x87 text \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xed\x95\x9c\xea\xb5\xad\xec\x96\xb4."},
      {"100,000-character word", "a " + std::string(100'000, 'x') + " b"},
      {"1 MB of text", megabyte},
  };
}

// Every row of every attention map of the trace sums to 1 (ragged han word rows included).
void expectRowsSumToOne(const Trace& t, const std::string& what) {
  for (const auto& [name, map] : t.attention) {
    if (map.numel() == 0) continue;
    const std::int64_t cols = map.dim(map.rank() - 1);
    for (std::int64_t r = 0; r < map.numel() / cols; ++r) {
      double sum = 0;
      for (std::int64_t c = 0; c < cols; ++c) sum += map.data()[r * cols + c];
      ASSERT_NEAR(sum, 1.0, 1e-4) << what << ": " << name << " row " << r;
    }
  }
  for (const auto& [name, rows] : t.raggedAttention)
    for (const auto& row : rows) {
      double sum = 0;
      for (float v : row.values()) sum += v;
      ASSERT_NEAR(sum, 1.0, 1e-4) << what << ": " << name;
    }
}

void expectTraceOrInputError(const attnviz::Model& model, const Input& input, const RunOptions& options,
                             const std::string& what) {
  try {
    const Trace t = model.run(input, options);
    EXPECT_FALSE(t.sourceTokens.empty()) << what;
    expectRowsSumToOne(t, what);
  } catch (const attnviz::InputError& e) {
    EXPECT_EQ(e.where(), input.origin) << what << ": " << e.message();
    EXPECT_GT(std::string(e.what()).size(), 10u) << what;
  }
}

class HostileText : public ::testing::TestWithParam<const char*> {};

TEST_P(HostileText, GivesATraceOrAClearInputError) {
  const auto model = attnviz::loadModel(kData + "/" + GetParam());
  for (const auto& [what, text] : hostileTexts()) {
    SCOPED_TRACE(what);
    expectTraceOrInputError(*model, Input::fromText(text, "input: " + what), {}, what);
  }
  // Blank text: an encoder runs [CLS] [SEP] and a seq2seq model <eos>, as their PyTorch originals do; a han model,
  // which needs a sentence, refuses it.
  const std::string kind = model->info().identity.kind;
  if (kind == "han") EXPECT_THROW(model->run(Input::fromText(" \n\t ", "blank"), {}), attnviz::InputError);
  else EXPECT_EQ(model->run(Input::fromText(" \n\t ", "blank"), {}).sourceTokens.size(), kind == "encoder" ? 2u : 1u);
}

INSTANTIATE_TEST_SUITE_P(Models, HostileText,
                         ::testing::Values("tiny-encoder", "tiny-hf-bert", "tiny-han", "tiny-seq2seq-luong-dot"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

TEST(HostileImages, SmallestAndOddImagesRunOrAreRefusedClearly) {
  const auto model = attnviz::loadModel(kData + "/tiny-hf-vit");
  for (const char* name : {"rgb-1x1.png", "grey-2x2.png", "grey16-2x1.png", "rgba-2x1.png", "palette-2x1.png", "rgb-2x2.bmp"}) {
    const Trace t = model->run(Input::fromImage(kData + "/images/" + name), {});
    EXPECT_EQ(t.sourceTokens.size(), 17u) << name;
    expectRowsSumToOne(t, name);
  }
  for (const char* name : {"truncated.png", "not-an-image.png", "huge-header.png"}) {
    const std::string path = kData + "/images/" + name;
    try {
      model->run(Input::fromImage(path), {});
      ADD_FAILURE() << name << " ran";
    } catch (const attnviz::InputError& e) {
      EXPECT_EQ(e.where(), path);
    }
  }
}

}  // namespace
