// Hyper-parameters of a han package: the "architecture" object of attnviz.json, with the keys
// models/han/train.py writes. Every key is required and range-checked and any other key is refused (an unknown
// key may change what the weights mean), all as ModelFileError naming the key and its value.
//
//   attnviz::han::Config c = attnviz::han::readConfig(package.manifest().architecture, where);
#pragma once

#include <cstdint>
#include <string>

namespace attnviz {
class Params;
}

namespace attnviz::han {

struct Config {
  std::int64_t embeddingSize = 0;      // E
  std::int64_t wordHidden = 0;         // per direction; sentence vectors are 2 * wordHidden
  std::int64_t sentenceHidden = 0;     // per direction; the document vector is 2 * sentenceHidden
  std::int64_t wordAttention = 0;      // size of u_w
  std::int64_t sentenceAttention = 0;  // size of u_s
  std::int64_t vocabSize = 0;
  std::int64_t classes = 0;
  std::int64_t padId = 0, unkId = 1;
  std::int64_t maxSentences = 1000;        // longer documents are cut, with a warning
  std::int64_t maxWordsPerSentence = 400;  // longer sentences are cut, with a warning
};

Config readConfig(const Params& architecture, const std::string& where);

}  // namespace attnviz::han
