// The aligner's corpus reader (engine/models/aligner/parallel_corpus.h): hansards.py's filter and duplicate rule by
// hand-counted cases, word ids in order of first appearance, and hostile files (invalid UTF-8, a giant line, unequal
// files, xz) refused with one message naming file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "engine/core/error.h"
#include "engine/models/aligner/parallel_corpus.h"
#include "engine/models/aligner/translation_table.h"

namespace {

namespace fs = std::filesystem;
using namespace attnviz;
using namespace attnviz::aligner;

ParallelCorpus build(const std::vector<std::pair<std::string, std::string>>& lines) {
  CorpusBuilder b;
  for (std::size_t i = 0; i < lines.size(); ++i) b.add(lines[i].first, lines[i].second, "e:" + std::to_string(i + 1), "f:" + std::to_string(i + 1));
  return b.finish();
}

TEST(AlignerCorpus, FilterAndDuplicatesAsHansardsPy) {
  // hansards.py self_check's corpus: 8 read, 4 kept, 1 duplicate, 3 dropped by length or ratio.
  const std::string w51 = [] { std::string s; for (int i = 0; i < 51; ++i) s += "w "; return s; }();
  const ParallelCorpus c = build({{"the House met at 2 p.m. .", "la Chambre se réunit à 14 heures ."},
                                  {"agreed .", "d' accord ."}, {"agreed .", "d' accord ."}, {"a b c d e", "a"},
                                  {"", "x"}, {"Mr. Speaker , aujourd' hui", "Monsieur le Président , aujourd' hui"},
                                  {w51, w51}, {"I agree .", "je suis de accord ."}});
  EXPECT_EQ(c.counts.read, 8);
  EXPECT_EQ(c.counts.kept, 4);
  EXPECT_EQ(c.counts.droppedDuplicate, 1);
  EXPECT_EQ(c.counts.droppedLengthOrRatio, 3);
  ASSERT_EQ(c.pairs(), 4u);
  std::vector<std::string> first;
  for (std::uint32_t id : c.sourceOf(0)) first.push_back(c.sourceWords[id]);
  EXPECT_EQ(first, (std::vector<std::string>{"the", "house", "met", "at", "2", "p", ".", "m", ".", "."}));
  EXPECT_EQ(c.sourceWords[0], kNullWord);
  EXPECT_EQ(c.sourceWords[1], "the");  // ids by first appearance, NULL first
  EXPECT_TRUE(keepPair(4, 2) && !keepPair(5, 2) && keepPair(50, 50) && !keepPair(51, 50) && !keepPair(0, 1));
  // Duplicates are by tokens: case and spacing do not make a pair new.
  EXPECT_EQ(build({{"The cat", "le chat"}, {"the  cat", "Le chat"}}).counts.droppedDuplicate, 1);
}

TEST(AlignerCorpus, TheTableHoldsEveryCooccurringPairOnce) {
  const ParallelCorpus c = build({{"a b", "x y"}, {"b c", "y z"}, {"a", "x"}});
  const TranslationTable t = TranslationTable::cooccurrences(c);
  // NULL: x y z; a: x y; b: x y z; c: y z.
  EXPECT_EQ(t.entries(), 3u + 2u + 3u + 2u);
  const auto id = [&](const std::vector<std::string>& words, const std::string& w) {
    return static_cast<std::uint32_t>(std::find(words.begin(), words.end(), w) - words.begin());
  };
  EXPECT_GE(t.find(id(c.sourceWords, "c"), id(c.targetWords, "z")), 0);
  EXPECT_EQ(t.find(id(c.sourceWords, "c"), id(c.targetWords, "x")), -1);
  EXPECT_EQ(t.find(id(c.sourceWords, "a"), id(c.targetWords, "z")), -1);
}

class AlignerCorpusFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("attnviz-aligner-corpus-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return (dir_ / name).string();
  }
  std::string failure(const std::string& e, const std::string& f) {
    try {
      readParallelCorpus(e, f);
    } catch (const InputError& error) {
      return error.message();
    }
    return "no error";
  }
  fs::path dir_;
};

TEST_F(AlignerCorpusFiles, CrlfAndAMissingFinalNewlineReadAsHansardsPyReadsThem) {
  const ParallelCorpus c = readParallelCorpus(write("e", "the cat .\r\nthe dog ."), write("f", "le chat .\nle chien .\n"));
  EXPECT_EQ(c.counts.kept, 2);
  EXPECT_EQ(c.sourceOf(1).size(), 3u);
}

TEST_F(AlignerCorpusFiles, HostileFilesAreOneMessage) {
  const std::string f = write("f", "le chat .\nle chien .\n");
  EXPECT_NE(failure(write("bad", "the cat .\nthe \xff dog .\n"), f).find("bad:2"), std::string::npos);
  EXPECT_NE(failure(write("short", "the cat .\n"), f).find("ends at line 1"), std::string::npos);
  EXPECT_NE(failure(write("long", std::string(kMaxLineBytes + 10, 'a')), f).find("longer than"), std::string::npos);
  EXPECT_NE(failure(write("e.xz", std::string("\xFD" "7zXZ\0\0junk", 11)), f).find("xz -dk"), std::string::npos);
  EXPECT_NE(failure((dir_ / "missing").string(), f).find("cannot be opened"), std::string::npos);
}

}  // namespace
