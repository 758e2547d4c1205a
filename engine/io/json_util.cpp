#include "engine/io/json_util.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QString>
#include <charconv>
#include <cmath>

#include "engine/core/error.h"

namespace attnviz::io {

namespace {
constexpr std::size_t kMaxQuotedLength = 60;
}

QJsonObject parseJsonObject(const char* data, std::size_t size, const std::string& where, const std::string& fixHint,
                            const std::string& subject) {
  const std::string lead = subject.empty() ? "" : subject + " ";
  // fromRawData: the text is parsed in place, not copied (it may be a multi-megabyte safetensors header).
  const QByteArray text = QByteArray::fromRawData(data, static_cast<qsizetype>(size));
  QJsonParseError error{};
  const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
  if (error.error != QJsonParseError::NoError) {
    const std::size_t offset = std::min<std::size_t>(static_cast<std::size_t>(std::max(0, error.offset)), size);
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
      if (data[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw ModelFileError(where, lead + "is not valid JSON: " + error.errorString().toStdString() + " at line " +
                                    std::to_string(line) + ", column " + std::to_string(column) + "; " + fixHint);
  }
  if (!doc.isObject())
    throw ModelFileError(where, lead + (doc.isArray() ? "holds a JSON array" : "holds no JSON value") +
                                    ", expected a JSON object { ... }; " + fixHint);
  return doc.object();
}

std::string jsonTypeName(const QJsonValue& value) {
  switch (value.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return "a boolean";
    case QJsonValue::Double: return "a number";
    case QJsonValue::String: return "a string";
    case QJsonValue::Array: return "an array";
    case QJsonValue::Object: return "an object";
    case QJsonValue::Undefined: return "nothing";
  }
  return "something else";
}

std::string numberText(double value) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);  // shortest round-trip form
  return std::string(buf, r.ptr);
}

std::string jsonText(const QJsonValue& value) {
  switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined: return "";
    case QJsonValue::Bool: return value.toBool() ? "true" : "false";
    case QJsonValue::Double: {
      std::int64_t i = 0;
      if (jsonToInt64(value, i)) return std::to_string(i);
      return numberText(value.toDouble());
    }
    case QJsonValue::String: return value.toString().toStdString();
    case QJsonValue::Array: return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact).toStdString();
    case QJsonValue::Object: return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact).toStdString();
  }
  return "";
}

std::string jsonQuoted(const QJsonValue& value) {
  std::string text = jsonText(value);
  if (text.size() > kMaxQuotedLength) text = text.substr(0, kMaxQuotedLength) + "...";
  if (value.isString()) return jsonTypeName(value) + " \"" + text + "\"";
  if (value.isNull()) return "null";
  return jsonTypeName(value) + " " + text;
}

bool jsonToInt64(const QJsonValue& value, std::int64_t& out) {
  if (!value.isDouble()) return false;
  // Qt 6 keeps integer literals exact as qint64; toInteger returns the default for anything that is not a whole
  // number in range, so asking with two different defaults tells "not integral" apart from a real value.
  const qint64 a = value.toInteger(0);
  const qint64 b = value.toInteger(1);
  if (a != b) return false;
  out = a;
  return true;
}

}  // namespace attnviz::io
