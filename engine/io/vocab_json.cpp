#include "engine/io/vocab_json.h"

#include <QJsonObject>
#include <QJsonValue>

#include "engine/core/error.h"
#include "engine/io/json_util.h"

namespace attnviz {

std::vector<std::string> readVocabJson(const std::string& json, const std::string& where, std::int64_t size) {
  const std::string fix = "the file must map each token to its id, as transformers' tokenizers save it";
  const QJsonObject object = io::parseJsonObject(json.data(), json.size(), where, fix);
  std::vector<std::string> tokens(static_cast<std::size_t>(size));
  std::vector<bool> seen(static_cast<std::size_t>(size), false);
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string token = it.key().toStdString();
    std::int64_t id = -1;
    if (!io::jsonToInt64(it.value(), id))
      throw ModelFileError(where, "token \"" + token + "\" maps to " + io::jsonQuoted(it.value()) + ", not an integer id; " + fix);
    if (id < 0 || id >= size)
      throw ModelFileError(where, "token \"" + token + "\" has id " + std::to_string(id) + ", outside the model's " +
                                      std::to_string(size) + " embeddings (config.json vocab_size); the vocabulary "
                                      "belongs to another model");
    if (seen[static_cast<std::size_t>(id)])
      throw ModelFileError(where, "id " + std::to_string(id) + " is given to two tokens (\"" +
                                      tokens[static_cast<std::size_t>(id)] + "\" and \"" + token + "\"); " + fix);
    seen[static_cast<std::size_t>(id)] = true;
    tokens[static_cast<std::size_t>(id)] = token;
  }
  return tokens;
}

}  // namespace attnviz
