// The WordPiece tokenizer of a Hugging Face checkpoint as its files describe it: vocab.txt (one piece per line,
// id = line) or tokenizer.json with a "WordPiece" model, plus tokenizer_config.json / the tokenizer.json
// normalizer for lowercasing, accent stripping and CJK spacing. Anything but WordPiece is refused naming
// the file and the type found. `rules` says whose WordPiece the checkpoint's files imply: the Rust tokenizers
// library's when there is a tokenizer.json, Python's slow BertTokenizer's otherwise (see readHfWordPiece).
//
//   attnviz::HfWordPieceFiles t = attnviz::readHfWordPiece(attnviz::HfFiles(path));
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/models/encoder/wordpiece_tokenizer.h"  // WordPieceRules

namespace attnviz {

class HfFiles;

struct HfWordPieceFiles {
  std::vector<std::string> vocab;  // id = index
  std::string vocabLabel;          // the file it came from, for messages
  bool lowercase = true;           // do_lower_case / normalizer.lowercase
  std::optional<bool> stripAccents;  // strip_accents (null: follows lowercase)
  bool tokenizeChineseChars = true;  // tokenize_chinese_chars / handle_chinese_chars
  std::string unk = "[UNK]", cls = "[CLS]", sep = "[SEP]";
  int maxCharsPerWord = 100;
  WordPieceRules rules = WordPieceRules::Python;  // RustFast when the checkpoint has a tokenizer.json
};

HfWordPieceFiles readHfWordPiece(const HfFiles& files);

}  // namespace attnviz
