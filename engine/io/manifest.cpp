// attnviz.json: parseManifest checks the package manifest field by field; Params gives typed, range-checked
// access to its "architecture" object. Format: models/README.md (written by models/export.py).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <algorithm>
#include <filesystem>
#include <cmath>
#include <array>

#include "engine/api/model_kind.h"
#include "engine/core/error.h"
#include "engine/io/json_util.h"
#include "engine/io/package.h"
#include "engine/io/zip_archive.h"

namespace attnviz {

namespace {

constexpr const char* kFormat = "attnviz-model";
constexpr int kFormatVersion = 1;
constexpr const char* kFixHint = "fix attnviz.json or re-export with models/export.py";

// What to do about a bad key: Params also reads Hugging Face config.json files.
// The remedy for a JSON file of a Hugging Face checkpoint names that file (config.json, preprocessor_config.json,
// tokenizer_config.json, ...); anything else is an attnviz package's attnviz.json.
// where: "folder/config.json", "x.zip!config.json", possibly followed by " (key)" for a nested object.
std::string fixHintFor(const std::string& where) {
  const std::string path = where.substr(0, where.find(".json (") == std::string::npos ? where.size() : where.find(".json (") + 5);
  const std::string file = std::filesystem::path(path.substr(path.find_last_of("/!") + 1)).filename().string();
  if (file == "preprocessor_config.json")
    return "fix preprocessor_config.json or save the image processor again with save_pretrained";
  if (file.size() > 5 && file.ends_with(".json") && file != "attnviz.json")
    return "fix " + file + " or save the checkpoint again with save_pretrained";
  return kFixHint;
}

// Params keeps its object as text so that package.h stays free of Qt; objects are small, parsing is cheap.
QJsonObject paramsObject(const std::string& where, const std::string& json) {
  if (json.empty()) return {};
  return io::parseJsonObject(json.data(), json.size(), where, fixHintFor(where));
}

[[noreturn]] void keyError(const std::string& where, const std::string& key, const std::string& expected,
                           const QJsonValue& found) {
  const std::string what = found.isUndefined() ? "is missing" : "is " + io::jsonQuoted(found);
  throw ModelFileError(where, "key '" + key + "' " + what + ", expected " + expected + "; " + fixHintFor(where));
}

std::string rangeText(std::int64_t min, std::int64_t max) {
  return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

std::int64_t checkedInt(const std::string& where, const std::string& key, const QJsonValue& v, std::int64_t min,
                        std::int64_t max) {
  std::int64_t i = 0;
  if (!io::jsonToInt64(v, i) || i < min || i > max) keyError(where, key, rangeText(min, max), v);
  return i;
}

// "metrics": {"bleu": 31.2} -> ("metrics.bleu", "31.2"); arrays of scalars are joined with ", ", arrays
// holding containers are numbered ("runs.0.seed").
void flatten(const std::string& prefix, const QJsonValue& value, std::vector<std::pair<std::string, std::string>>& out) {
  if (value.isObject()) {
    const QJsonObject o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
      flatten(prefix.empty() ? it.key().toStdString() : prefix + "." + it.key().toStdString(), it.value(), out);
    return;
  }
  if (value.isArray()) {
    const QJsonArray a = value.toArray();
    const bool scalars = std::none_of(a.begin(), a.end(), [](const QJsonValue& v) { return v.isArray() || v.isObject(); });
    if (scalars) {
      std::string joined;
      for (const QJsonValue v : a) joined += (joined.empty() ? "" : ", ") + io::jsonText(v);
      out.emplace_back(prefix, joined);
    } else {
      for (qsizetype i = 0; i < a.size(); ++i) flatten(prefix + "." + std::to_string(i), a.at(i), out);
    }
    return;
  }
  out.emplace_back(prefix, io::jsonText(value));
}

std::string requireString(const QJsonObject& root, const char* key, const std::string& where) {
  const QJsonValue v = root.value(QLatin1String(key));
  if (!v.isString()) keyError(where, key, "a string", v);
  return v.toString().toStdString();
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::map<std::string, std::string> parseFiles(const QJsonObject& root, const std::string& where) {
  const QJsonValue files = root.value(QLatin1String("files"));
  if (!files.isObject()) keyError(where, "files", "an object of role -> file name, with at least \"weights\"", files);
  std::map<std::string, std::string> out;
  const QJsonObject o = files.toObject();
  for (auto it = o.begin(); it != o.end(); ++it) {
    const std::string role = it.key().toStdString();
    const std::string key = "files." + role;
    if (!it.value().isString() || it.value().toString().isEmpty())
      keyError(where, key, "a file name", it.value());
    const std::string name = it.value().toString().toStdString();
    // Names are looked up inside the package only, but a manifest asking for "../x" or "/etc/x" is hostile
    // or broken either way: refuse it rather than hope every reader is careful.
    if (!io::isSafeRelativeName(name) || endsWith(name, "/"))
      throw ModelFileError(where, "key '" + key + "' names '" + name +
                                      "', which is not a plain relative file name inside the package (no '..', no "
                                      "leading '/', no backslash); " + kFixHint);
    out.emplace(role, name);
  }
  const auto weights = out.find("weights");
  if (weights == out.end())
    throw ModelFileError(where, "\"files\" lacks \"weights\", the weight file of the model (model.safetensors or "
                                "model.npz); " + std::string(kFixHint));
  if (!endsWith(weights->second, ".safetensors") && !endsWith(weights->second, ".npz"))
    throw ModelFileError(where, "key 'files.weights' names '" + weights->second +
                                    "', expected a .safetensors or .npz file; " + kFixHint);
  return out;
}

}  // namespace

Params::Params(std::string where, std::string objectJson) : where_(std::move(where)), json_(std::move(objectJson)) {
  paramsObject(where_, json_);  // refuse anything but an object now, not at the first getter
}

// A key set to null counts as absent: transformers writes "problem_type": null, "architectures": null, ... for
// settings left at their default.
bool Params::has(const std::string& key) const {
  const QJsonValue v = paramsObject(where_, json_).value(QString::fromStdString(key));
  return !v.isUndefined() && !v.isNull();
}

bool Params::isObject(const std::string& key) const {
  return paramsObject(where_, json_).value(QString::fromStdString(key)).isObject();
}

std::int64_t Params::getInt(const std::string& key, std::int64_t min, std::int64_t max) const {
  return checkedInt(where_, key, paramsObject(where_, json_).value(QString::fromStdString(key)), min, max);
}

std::int64_t Params::getInt(const std::string& key, std::int64_t min, std::int64_t max, std::int64_t fallback) const {
  const QJsonValue v = paramsObject(where_, json_).value(QString::fromStdString(key));
  return (v.isUndefined() || v.isNull()) ? fallback : checkedInt(where_, key, v, min, max);
}

double Params::getNumber(const std::string& key) const {
  const QJsonValue v = paramsObject(where_, json_).value(QString::fromStdString(key));
  if (!v.isDouble()) keyError(where_, key, "a number", v);
  return v.toDouble();
}

double Params::getNumber(const std::string& key, double fallback) const {
  return has(key) ? getNumber(key) : fallback;
}

std::string Params::getString(const std::string& key) const {
  const QJsonValue v = paramsObject(where_, json_).value(QString::fromStdString(key));
  if (!v.isString()) keyError(where_, key, "a string", v);
  return v.toString().toStdString();
}

std::string Params::getString(const std::string& key, const std::string& fallback) const {
  return has(key) ? getString(key) : fallback;
}

bool Params::getBool(const std::string& key, bool fallback) const {
  const QJsonValue v = paramsObject(where_, json_).value(QString::fromStdString(key));
  if (v.isUndefined() || v.isNull()) return fallback;
  if (!v.isBool()) keyError(where_, key, "true or false", v);
  return v.toBool();
}

std::vector<std::pair<std::string, std::string>> Params::getStringMap(const std::string& key) const {
  const QJsonValue v = paramsObject(where_, json_).value(QString::fromStdString(key));
  std::vector<std::pair<std::string, std::string>> out;
  if (v.isUndefined() || v.isNull()) return out;
  if (!v.isObject()) keyError(where_, key, "an object of strings", v);
  const QJsonObject o = v.toObject();
  for (auto it = o.begin(); it != o.end(); ++it) {
    if (!it.value().isString()) keyError(where_, key + "." + it.key().toStdString(), "a string", it.value());
    out.emplace_back(it.key().toStdString(), it.value().toString().toStdString());
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Params::getFlattened(const std::string& key) const {
  const QJsonValue v = paramsObject(where_, json_).value(QString::fromStdString(key));
  std::vector<std::pair<std::string, std::string>> out;
  if (v.isUndefined() || v.isNull()) return out;
  if (!v.isObject()) keyError(where_, key, "an object", v);
  flatten("", v, out);
  return out;
}

std::vector<std::int64_t> Params::getIntList(const std::string& key, std::int64_t min, std::int64_t max) const {
  const QJsonValue v = paramsObject(where_, json_).value(QString::fromStdString(key));
  std::vector<std::int64_t> out;
  if (v.isUndefined() || v.isNull()) return out;
  if (!v.isArray()) keyError(where_, key, "an array of integers", v);
  const QJsonArray a = v.toArray();
  for (qsizetype i = 0; i < a.size(); ++i) out.push_back(checkedInt(where_, key + "[" + std::to_string(i) + "]", a[i], min, max));
  return out;
}

std::vector<std::string> Params::getStringList(const std::string& key) const {
  const QJsonValue v = paramsObject(where_, json_).value(QString::fromStdString(key));
  std::vector<std::string> out;
  if (v.isUndefined() || v.isNull()) return out;
  if (!v.isArray()) keyError(where_, key, "an array of strings", v);
  const QJsonArray a = v.toArray();
  for (qsizetype i = 0; i < a.size(); ++i) {
    if (!a[i].isString()) keyError(where_, key + "[" + std::to_string(i) + "]", "a string", a[i]);
    out.push_back(a[i].toString().toStdString());
  }
  return out;
}

std::vector<double> Params::getNumberList(const std::string& key) const {
  const QJsonValue v = paramsObject(where_, json_).value(QString::fromStdString(key));
  std::vector<double> out;
  if (v.isUndefined() || v.isNull()) return out;
  if (!v.isArray()) keyError(where_, key, "an array of numbers", v);
  const QJsonArray a = v.toArray();
  for (qsizetype i = 0; i < a.size(); ++i) {
    if (!a[i].isDouble() || !std::isfinite(a[i].toDouble()))
      keyError(where_, key + "[" + std::to_string(i) + "]", "a finite number", a[i]);
    out.push_back(a[i].toDouble());
  }
  return out;
}

Params Params::getObject(const std::string& key) const {
  const QJsonValue v = paramsObject(where_, json_).value(QString::fromStdString(key));
  if (v.isUndefined() || v.isNull()) return Params(where_, "{}");
  if (!v.isObject()) keyError(where_, key, "an object", v);
  return Params(where_ + " (" + key + ")", QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact).toStdString());
}

std::vector<std::pair<std::string, std::string>> Params::asText() const {
  std::vector<std::pair<std::string, std::string>> out;
  const QJsonObject o = paramsObject(where_, json_);
  for (auto it = o.begin(); it != o.end(); ++it) out.emplace_back(it.key().toStdString(), io::jsonText(it.value()));
  return out;
}

Manifest parseManifest(const std::string& json, const std::string& where) {
  const QJsonObject root = io::parseJsonObject(json.data(), json.size(), where, kFixHint);
  Manifest m;

  const QJsonValue format = root.value(QLatin1String("format"));
  if (format.toString() != QLatin1String(kFormat))
    throw ModelFileError(where, "key 'format' " + (format.isUndefined() ? std::string("is missing") : "is " + io::jsonQuoted(format)) +
                                    ", expected \"" + kFormat + "\": this is not an attnviz model manifest");

  const QJsonValue version = root.value(QLatin1String("format_version"));
  std::int64_t v = 0;
  if (!io::jsonToInt64(version, v) || v < 1) keyError(where, "format_version", "the integer 1", version);
  if (v > kFormatVersion)
    throw ModelFileError(where, "format_version " + std::to_string(v) +
                                    ": the package was written by a newer attnviz (this one reads version " +
                                    std::to_string(kFormatVersion) + "); update attnviz, or re-export the model "
                                    "with this version's models/export.py");
  m.formatVersion = static_cast<int>(v);

  m.kind = requireString(root, "kind", where);
  if (!findModelKind(m.kind))
    throw ModelFileError(where, "key 'kind' is \"" + m.kind + "\", expected one of " + modelKindNames() + "; " + kFixHint);

  m.name = requireString(root, "name", where);
  if (m.name.empty()) keyError(where, "name", "a non-empty string", root.value(QLatin1String("name")));
  if (root.contains(QLatin1String("variant"))) m.variant = requireString(root, "variant", where);

  const QJsonValue architecture = root.value(QLatin1String("architecture"));
  if (!architecture.isObject()) keyError(where, "architecture", "an object of hyper-parameters", architecture);
  m.architecture = Params(where, QJsonDocument(architecture.toObject()).toJson(QJsonDocument::Compact).toStdString());

  m.files = parseFiles(root, where);

  const QJsonValue card = root.value(QLatin1String("card"));
  if (!card.isUndefined() && !card.isNull()) {
    if (!card.isObject()) keyError(where, "card", "an object (description, training data, metrics, ...)", card);
    flatten("", card, m.card);
  }
  return m;
}

}  // namespace attnviz
