// The "basic" tokenizer of encoder packages (mirrors models/reference/encoder.py basic_tokenize).
#include <gtest/gtest.h>

#include "engine/core/error.h"
#include "engine/models/encoder/basic_tokenizer.h"

using attnviz::BasicTokenizer;

namespace {
BasicTokenizer make() {
  return BasicTokenizer({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "cat", "didn", "'", "t", ".", "caf\xC3\xA9"}, true,
                        "vocab.txt");
}
}  // namespace

TEST(BasicTokenizer, SplitsPunctuationAndLowercasesAscii) {
  const auto t = make().encode("The CAT didn't.  ", 512, "test");
  EXPECT_EQ(t.tokens, (std::vector<std::string>{"[CLS]", "the", "cat", "didn", "'", "t", ".", "[SEP]"}));
  EXPECT_EQ(t.ids, (std::vector<std::int64_t>{2, 4, 5, 6, 7, 8, 9, 3}));
  EXPECT_EQ(t.droppedTokens, 0);
}

TEST(BasicTokenizer, UnknownWordsAndNonAsciiKeptByteForByte) {
  const auto t = make().encode("caf\xC3\xA9 CAF\xC3\x89 dog", 512, "test");  // É is not ASCII: kept
  EXPECT_EQ(t.tokens, (std::vector<std::string>{"[CLS]", "caf\xC3\xA9", "[UNK]", "[UNK]", "[SEP]"}));
}

TEST(BasicTokenizer, EmptyAndWhitespaceOnly) {
  EXPECT_EQ(make().encode("", 8, "t").tokens, (std::vector<std::string>{"[CLS]", "[SEP]"}));
  EXPECT_EQ(make().encode(" \t\r\n ", 8, "t").tokens, (std::vector<std::string>{"[CLS]", "[SEP]"}));
}

TEST(BasicTokenizer, TruncatesAndCountsDroppedWords) {
  const auto t = make().encode("the cat the cat the", 4, "t");
  EXPECT_EQ(t.tokens, (std::vector<std::string>{"[CLS]", "the", "cat", "[SEP]"}));
  EXPECT_EQ(t.droppedTokens, 3);
}

TEST(BasicTokenizer, InvalidUtf8IsAnInputErrorNamingTheOrigin) {
  try {
    make().encode("ok \xFF", 16, "reviews.txt:3");
    FAIL() << "no error";
  } catch (const attnviz::InputError& e) {
    EXPECT_EQ(e.where(), "reviews.txt:3");
    EXPECT_NE(std::string(e.what()).find("byte 3"), std::string::npos) << e.what();
  }
}

TEST(BasicTokenizer, VocabularyWithoutSpecialsIsRefused) {
  EXPECT_THROW(BasicTokenizer({"[CLS]", "[SEP]", "a"}, true, "vocab.txt"), attnviz::ModelFileError);
}
