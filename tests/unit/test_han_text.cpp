// The han sentence splitter and tokenizer (engine/models/han/han_text.h) against models/han/text.py:
// hand-written cases here, and every case of tests/data/han-text/cases.txt (models/han/make_text_fixture.py).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/models/han/han_text.h"

using attnviz::SentenceMode;
using attnviz::han::splitSentences;
using attnviz::han::tokenize;
using Sentences = std::vector<std::vector<std::string>>;

namespace {

std::vector<std::string> splitOn(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i)
    if (i == text.size() || text[i] == separator) {
      out.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

std::string unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char c = text[++i];
    out += c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
  }
  return out;
}

std::string show(const Sentences& sentences) {
  std::string out;
  for (const auto& s : sentences) {
    out += "[";
    for (const auto& t : s) out += t + " ";
    out += "] ";
  }
  return out;
}

}  // namespace

TEST(HanText, TokenizesLikeTheTrainingData) {
  EXPECT_EQ(tokenize("I don't like 'em, said the sci-fi fan -- 8/10 ``great'' film's ending...", "t"),
            (std::vector<std::string>{"i", "don't", "like", "'em", ",", "said", "the", "sci-fi", "fan", "--", "8/10",
                                      "\"", "great", "\"", "film's", "ending", ".", ".", "."}));
  EXPECT_EQ(tokenize("the '80s, actors' \u201cbest\u201d \u2014 \u00c9LAN \u0178", "t"),
            (std::vector<std::string>{"the", "'80s", ",", "actors", "'", "\"", "best", "\"", "--", "\u00e9lan", "\u00ff"}));
  // Idempotent on text already in the training data's form.
  const std::string line = "for starters , it was created by alan moore ( and eddie campbell ) , who brought the medium";
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string w; in >> w;) words.push_back(w);
  EXPECT_EQ(tokenize(line, "t"), words);
}

TEST(HanText, SplitsSentencesWithAbbreviationsInitialsAndQuotes) {
  const Sentences s = splitSentences(
      "Mr. Smith went to Washington. He saw J. R. R. Tolkien's \"The Hobbit.\" It was great!! Wasn't it? "
      "Yes... and no. The end",
      SentenceMode::Auto, "t");
  ASSERT_EQ(s.size(), 6u) << show(s);
  EXPECT_EQ(s[0], (std::vector<std::string>{"mr", ".", "smith", "went", "to", "washington", "."}));
  EXPECT_EQ(s[1].back(), "\"");  // the closing quote stays with its sentence
  EXPECT_EQ(s[2], (std::vector<std::string>{"it", "was", "great", "!", "!"}));
  EXPECT_EQ(s[4], (std::vector<std::string>{"yes", ".", ".", ".", "and", "no", "."}));  // no capital after "..."
}

TEST(HanText, OneSentencePerLineIsTakenAsIs) {
  // The training data's form: lowercased, one sentence per line (a line may lack a final period).
  const Sentences s = splitSentences("the film is bad .\nwhich followed the island of dr . morneau\ni left .\n",
                                     SentenceMode::Auto, "t");
  ASSERT_EQ(s.size(), 3u) << show(s);
  EXPECT_EQ(s[1].back(), "morneau");
  // Hard-wrapped paragraphs are joined and split by punctuation instead.
  const Sentences wrapped =
      splitSentences("It was long. It was\nboring. I left early.\n\nNext paragraph", SentenceMode::Auto, "t");
  ASSERT_EQ(wrapped.size(), 4u) << show(wrapped);
  EXPECT_EQ(wrapped[1], (std::vector<std::string>{"it", "was", "boring", "."}));
  // Forced modes.
  EXPECT_EQ(splitSentences("One. Two.", SentenceMode::Lines, "t").size(), 1u);
  EXPECT_EQ(splitSentences("one\ntwo", SentenceMode::Split, "t").size(), 1u);
}

TEST(HanText, EmptyAndInvalidText) {
  EXPECT_TRUE(splitSentences("", SentenceMode::Auto, "t").empty());
  EXPECT_TRUE(splitSentences(" \n\t\n  \u200b", SentenceMode::Auto, "t").empty());
  try {
    splitSentences("ok \xff bad", SentenceMode::Auto, "review.txt");
    FAIL() << "invalid UTF-8 accepted";
  } catch (const attnviz::InputError& e) {
    EXPECT_EQ(e.where(), "review.txt");
    EXPECT_NE(std::string(e.what()).find("byte 3"), std::string::npos) << e.what();
  }
}

TEST(HanText, MatchesThePythonOnEveryFixtureCase) {
  std::ifstream in(std::string(ATTNVIZ_TEST_DATA) + "/han-text/cases.txt", std::ios::binary);
  ASSERT_TRUE(in) << "missing tests/data/han-text/cases.txt (models/han/make_text_fixture.py writes it)";
  int cases = 0, failures = 0;
  for (std::string line; std::getline(in, line);) {
    const std::vector<std::string> fields = splitOn(line, '\t');
    ASSERT_EQ(fields.size(), 3u) << "malformed fixture line " << cases + 1;
    const std::string text = unescape(fields[0]);
    const SentenceMode mode = fields[1] == "lines" ? SentenceMode::Lines
                              : fields[1] == "split" ? SentenceMode::Split
                                                     : SentenceMode::Auto;
    Sentences expected;
    if (!fields[2].empty())
      for (const std::string& sentence : splitOn(fields[2], '\x1e')) expected.push_back(splitOn(sentence, '\x1f'));
    const Sentences got = splitSentences(text, mode, "fixture");
    ++cases;
    if (got != expected && ++failures <= 5)
      ADD_FAILURE() << "case " << cases << " (" << fields[1] << "): " << fields[0] << "\n  python: " << show(expected)
                    << "\n  c++:    " << show(got);
  }
  EXPECT_GT(cases, 900);
  EXPECT_EQ(failures, 0) << failures << " of " << cases << " cases differ";
  std::printf("han text: %d fixture cases, %d differ\n", cases, failures);
}
