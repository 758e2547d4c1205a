// vocab.json of a Hugging Face checkpoint ({"token": id, ...}, as MarianTokenizer and GPT-2's tokenizer save it)
// read into an id -> token table.
//
//   std::vector<std::string> tokens = attnviz::readVocabJson(files.readText("vocab.json"), files.label("vocab.json"), 58101);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace attnviz {

// Every id must be in [0, size) and appear once; ids no token names stay "" (callers show them by number).
// ModelFileError(where) on invalid JSON, a non-integer id, an id out of range or used twice.
std::vector<std::string> readVocabJson(const std::string& json, const std::string& where, std::int64_t size);

}  // namespace attnviz
