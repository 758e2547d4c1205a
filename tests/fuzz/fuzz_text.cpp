// Fuzzes every text path a user's typing reaches: the WordPiece tokenizer (options from the first byte, the
// vocabulary of tests/data/tiny-hf-bert), the seq2seq tokenizer and detokenizer, the han word tokenizer and the
// sentence splitter in its three modes. Invalid UTF-8 must be an InputError, never a crash; spans must stay inside
// the text. Seeds: tests/fuzz/corpus/text.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <map>

#include "engine/api/model.h"
#include "engine/models/encoder/wordpiece_tokenizer.h"
#include "engine/models/han/han_text.h"
#include "engine/models/seq2seq/seq2seq_tokenizer.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

std::vector<std::string> bertVocab() {
  std::vector<std::string> vocab;
  std::ifstream in(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-bert/vocab.txt");
  for (std::string line; std::getline(in, line);) vocab.push_back(line);
  return vocab;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const std::vector<std::string> vocab = bertVocab();
  const std::uint8_t flags = data[0];
  const std::string text = fuzz::text(data + 1, size - 1);
  fuzz::expectResultOrError([&] {
    attnviz::WordPieceOptions options;
    options.lowercase = flags & 1;
    if (flags & 2) options.stripAccents = (flags & 4) != 0;
    options.tokenizeChineseChars = flags & 8;
    options.maxCharsPerWord = 1 + (flags >> 4) * 8;
    static std::map<std::uint8_t, attnviz::WordPieceTokenizer> tokenizers;  // one per flags byte: building is slow
    const auto it = tokenizers.try_emplace(flags, vocab, options, "vocab.txt").first;
    const attnviz::TokenizedText t = it->second.encode(text, 2 + (flags >> 3), "text");
    for (const attnviz::TokenizedText::Span& span : t.spans)
      if (span.begin > span.end || span.end > text.size()) std::abort();  // a span outside the text
  });
  fuzz::expectResultOrError([&] { (void)attnviz::seq2seq::detokenize(attnviz::seq2seq::tokenize(text, "text"), attnviz::seq2seq::Language::French); });
  fuzz::expectResultOrError([&] { (void)attnviz::han::tokenize(text, "text"); });
  for (const auto mode : {attnviz::SentenceMode::Auto, attnviz::SentenceMode::Lines, attnviz::SentenceMode::Split})
    fuzz::expectResultOrError([&] { (void)attnviz::han::splitSentences(text, mode, "text"); });
  return 0;
}
