// Fuzzes the plain-text files `attnviz align` and the packages read: WPT 2003 gold alignments ("sentence source
// target S|P" lines), pre-tokenised sentence files, and vocabulary files (one token per line) as text files of the
// size limits in force. The first byte picks the reader. Seeds: tests/fuzz/corpus/alignment_files.
#include <cstddef>
#include <cstdint>

#include "engine/align/alignment.h"
#include "engine/core/text_file.h"
#include "engine/models/seq2seq/vocabulary.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const int reader = data[0] % 3;
  const std::string text = fuzz::text(data + 1, size - 1);
  fuzz::expectResultOrError([&] {
    if (reader == 0) {
      for (const auto& [sentence, gold] : attnviz::parseWptAlignments(text, "gold.wa"))
        attnviz::checkGoldWithin(gold, 50, 50, "gold.wa");
    } else if (reader == 1) {
      (void)attnviz::parseSentences(text, "source.txt");
    } else {
      const std::string path = fuzz::writeFile("vocab.txt", text);
      const std::string content = attnviz::readTextFile(path, 1u << 20, "vocabulary files");
      std::vector<std::string> lines = fuzz::split(content, '\n', 1u << 16);
      const attnviz::seq2seq::Vocabulary v(std::move(lines), path);
      (void)v.id("maison", 0);
    }
  });
  return 0;
}
