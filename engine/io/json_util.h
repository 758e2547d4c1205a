// Internal to engine/io: the few JSON helpers the manifest, safetensors and Hugging Face readers share.
// Qt types are only forward-declared here so that no header of the engine includes Qt; callers are .cpp files
// of engine/io that include <QJsonObject> themselves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

class QJsonObject;
class QJsonValue;

namespace attnviz::io {

// Parses JSON text that must hold one object. Throws ModelFileError(where, "<subject> is not valid JSON: ... at
// line L, column C; fixHint"); subject names the part of the file that is JSON ("the header"), or "" for all of it.
QJsonObject parseJsonObject(const char* data, std::size_t size, const std::string& where, const std::string& fixHint,
                            const std::string& subject = "");

// "a string", "a number", "an array", ... for "expected X, found Y" messages.
std::string jsonTypeName(const QJsonValue& value);
// A scalar as plain text (strings unquoted, numbers in shortest form, null as ""), containers as compact JSON.
std::string jsonText(const QJsonValue& value);
// A value for a "found ..." message: strings quoted, long texts shortened.
std::string jsonQuoted(const QJsonValue& value);
// True and sets out when value is a number with an integral value that fits in int64.
bool jsonToInt64(const QJsonValue& value, std::int64_t& out);
// Shortest text that reads back as the same double ("31.2", "1e-05", "768").
std::string numberText(double value);

}  // namespace attnviz::io
