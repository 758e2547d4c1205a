#include "ui/export/data_export.h"

#include <QIODevice>
#include <array>
#include <charconv>
#include <cmath>

namespace attnviz::ui {
namespace {

QByteArray number(float v) {
  if (std::isnan(v)) return QByteArrayLiteral("nan");
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  if (ec != std::errc()) return QByteArray::number(static_cast<double>(v), 'g', 9);
  return QByteArray(buf.data(), static_cast<int>(end - buf.data()));
}

}  // namespace

SaveResult writeBytes(const QString& path, const QByteArray& bytes) {
  return saveAtomically(path, [&](QIODevice& out, QString& error) {
    if (out.write(bytes) == bytes.size()) return true;
    error = out.errorString();
    return false;
  });
}

QString csvField(const QString& field) {
  const bool quote = field.contains(QLatin1Char(',')) || field.contains(QLatin1Char('"')) ||
                     field.contains(QLatin1Char('\n')) || field.contains(QLatin1Char('\r')) ||
                     (!field.isEmpty() && (field.front().isSpace() || field.back().isSpace()));
  if (!quote) return field;
  QString out = field;
  out.replace(QLatin1String("\""), QLatin1String("\"\""));
  return QLatin1Char('"') + out + QLatin1Char('"');
}

QByteArray matrixCsv(const HeatmapData& d) {
  QByteArray out;
  const QString corner = d.rowAxis.isEmpty() && d.colAxis.isEmpty() ? QString()
                                                                    : d.rowAxis + QStringLiteral(" \\ ") + d.colAxis;
  out += csvField(corner).toUtf8();
  for (int c = 0; c < d.cols; ++c) {
    out += ',';
    out += csvField(c < d.colLabels.size() ? d.colLabels[c] : QString::number(c)).toUtf8();
  }
  out += "\r\n";
  for (int r = 0; r < d.rows; ++r) {
    out += csvField(r < d.rowLabels.size() ? d.rowLabels[r] : QString::number(r)).toUtf8();
    for (int c = 0; c < d.cols; ++c) {
      out += ',';
      out += number(d.at(r, c));
    }
    out += "\r\n";
  }
  return out;
}

SaveResult writeMatrixCsv(const QString& path, const HeatmapData& data) {
  if (data.empty()) return {false, QStringLiteral("Could not write %1: there is no matrix to export").arg(path)};
  return writeBytes(path, matrixCsv(data));
}

SaveResult writeTraceJson(const QString& path, const attnviz::Trace& trace) {
  QByteArray bytes = QByteArray::fromStdString(attnviz::traceToJson(trace));
  bytes += '\n';
  return writeBytes(path, bytes);
}

}  // namespace attnviz::ui
