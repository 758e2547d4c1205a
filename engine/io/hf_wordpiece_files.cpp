#include "engine/io/hf_wordpiece_files.h"

#include <QJsonObject>
#include <QJsonValue>
#include <algorithm>
#include <limits>

#include "engine/core/error.h"
#include "engine/io/hf_files.h"
#include "engine/io/json_util.h"

namespace attnviz {

namespace {

constexpr const char* kFixHint = "the checkpoint's tokenizer files are damaged; save the tokenizer again";
constexpr std::int64_t kMaxVocab = 1 << 22;

QJsonObject readObject(const HfFiles& files, const std::string& name) {
  const std::string text = files.readText(name);
  return io::parseJsonObject(text.data(), text.size(), files.label(name), kFixHint);
}

std::string stringOr(const QJsonValue& v, const std::string& fallback) {
  // tokenizer_config.json writes special tokens as strings or as {"content": "[UNK]", ...}
  if (v.isString()) return v.toString().toStdString();
  if (v.isObject() && v.toObject().value(QLatin1String("content")).isString())
    return v.toObject().value(QLatin1String("content")).toString().toStdString();
  return fallback;
}

std::optional<bool> optionalBool(const QJsonValue& v, const std::string& where, const char* key) {
  if (v.isUndefined() || v.isNull()) return std::nullopt;
  if (!v.isBool()) throw ModelFileError(where, std::string("key '") + key + "' is " + io::jsonText(v) + ", expected true, false or null");
  return v.toBool();
}

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

// tokenizer.json: {"model": {"type": "WordPiece", "vocab": {"[PAD]": 0, ...}, "unk_token": "[UNK]",
// "max_input_chars_per_word": 100}, "normalizer": {"type": "BertNormalizer", "lowercase": true, ...}}
void readTokenizerJson(const HfFiles& files, HfWordPieceFiles& out) {
  const std::string where = files.label("tokenizer.json");
  const QJsonObject root = readObject(files, "tokenizer.json");
  const QJsonObject model = root.value(QLatin1String("model")).toObject();
  const std::string type = model.value(QLatin1String("type")).toString().toStdString();
  if (type != "WordPiece")
    throw ModelFileError(where, "model.type is \"" + type + "\"; attnviz runs BERT-family checkpoints with a WordPiece "
                                "tokenizer only (or a vocab.txt)");
  const QJsonObject vocab = model.value(QLatin1String("vocab")).toObject();
  if (vocab.isEmpty() || vocab.size() > kMaxVocab)
    throw ModelFileError(where, "model.vocab has " + std::to_string(vocab.size()) + " entries, expected 1 to " +
                                    std::to_string(kMaxVocab));
  out.vocab.assign(static_cast<std::size_t>(vocab.size()), std::string());
  std::vector<bool> seen(out.vocab.size(), false);
  for (auto it = vocab.begin(); it != vocab.end(); ++it) {
    const double id = it.value().toDouble(-1);
    if (!(id >= 0 && id < static_cast<double>(out.vocab.size())) || id != static_cast<double>(static_cast<std::int64_t>(id)) ||
        seen[static_cast<std::size_t>(id)])
      throw ModelFileError(where, "model.vocab gives '" + it.key().toStdString() + "' the id " + io::jsonText(it.value()) +
                                      "; ids must be 0 .. " + std::to_string(out.vocab.size() - 1) + ", each once");
    seen[static_cast<std::size_t>(id)] = true;
    out.vocab[static_cast<std::size_t>(id)] = it.key().toStdString();
  }
  out.vocabLabel = where + " (model.vocab)";
  out.unk = stringOr(model.value(QLatin1String("unk_token")), out.unk);
  const QJsonValue chars = model.value(QLatin1String("max_input_chars_per_word"));
  if (chars.isDouble()) out.maxCharsPerWord = static_cast<int>(std::clamp(chars.toDouble(), 1.0, 1e6));
  const QJsonObject normalizer = root.value(QLatin1String("normalizer")).toObject();
  if (normalizer.value(QLatin1String("type")).toString() == QLatin1String("BertNormalizer")) {
    out.lowercase = normalizer.value(QLatin1String("lowercase")).toBool(out.lowercase);
    out.stripAccents = optionalBool(normalizer.value(QLatin1String("strip_accents")), where, "normalizer.strip_accents");
    out.tokenizeChineseChars = normalizer.value(QLatin1String("handle_chinese_chars")).toBool(true);
  }
}

}  // namespace

HfWordPieceFiles readHfWordPiece(const HfFiles& files) {
  HfWordPieceFiles out;
  // Whose rules: AutoTokenizer.from_pretrained has use_fast=True by default (transformers' tokenization_auto.py:
  // "Use a fast Rust-based tokenizer if it is supported for a given model"), so a BERT checkpoint gives
  // BertTokenizerFast, and PreTrainedTokenizerFast.__init__ builds its Rust backend straight from tokenizer.json
  // whenever there is one (Tokenizer.from_file), even when vocab.txt is there too: the Rust library's rules.
  // Without tokenizer.json attnviz follows the slow BertTokenizer, the class that reads vocab.txt (and that
  // tokenizer_config.json's tokenizer_class names). Note that AutoTokenizer would still give a fast tokenizer
  // there, converted from vocab.txt (convert_slow_tokenizer), so with Rust rules too; BertTokenizer(vocab.txt), and
  // AutoTokenizer with use_fast=False, give Python's.
  out.rules = files.has("tokenizer.json") ? WordPieceRules::RustFast : WordPieceRules::Python;
  if (files.has("vocab.txt")) {
    out.vocab = linesOf(files.readText("vocab.txt"));
    out.vocabLabel = files.label("vocab.txt");
    if (out.vocab.empty() || static_cast<std::int64_t>(out.vocab.size()) > kMaxVocab)
      throw ModelFileError(out.vocabLabel, "has " + std::to_string(out.vocab.size()) + " lines, expected 1 to " +
                                               std::to_string(kMaxVocab));
  } else if (files.has("tokenizer.json")) {
    readTokenizerJson(files, out);
  } else {
    throw ModelFileError(files.path(), "has neither vocab.txt nor tokenizer.json, so its text cannot be tokenized");
  }
  if (files.has("tokenizer_config.json")) {
    const std::string where = files.label("tokenizer_config.json");
    const QJsonObject c = readObject(files, "tokenizer_config.json");
    out.lowercase = c.value(QLatin1String("do_lower_case")).toBool(out.lowercase);
    if (c.contains(QLatin1String("strip_accents")))
      out.stripAccents = optionalBool(c.value(QLatin1String("strip_accents")), where, "strip_accents");
    out.tokenizeChineseChars = c.value(QLatin1String("tokenize_chinese_chars")).toBool(out.tokenizeChineseChars);
    out.unk = stringOr(c.value(QLatin1String("unk_token")), out.unk);
    out.cls = stringOr(c.value(QLatin1String("cls_token")), out.cls);
    out.sep = stringOr(c.value(QLatin1String("sep_token")), out.sep);
  }
  return out;
}

}  // namespace attnviz
