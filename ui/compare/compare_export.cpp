#include "ui/compare/compare_export.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "ui/export/data_export.h"

namespace attnviz::ui {
namespace {

// The float's shortest decimal form, as text and as the double JSON should print.
QByteArray shortest(float v) {
  if (std::isnan(v)) return QByteArrayLiteral("nan");
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  if (ec != std::errc()) return QByteArray::number(static_cast<double>(v), 'g', 9);
  return QByteArray(buf.data(), static_cast<int>(end - buf.data()));
}

QJsonValue jsonNumber(float v) {
  if (!std::isfinite(v)) return QJsonValue();
  return std::strtod(shortest(v).constData(), nullptr);
}

QJsonValue optional(const std::optional<double>& v) { return v ? QJsonValue(*v) : QJsonValue(); }

QJsonArray strings(const QStringList& list) {
  QJsonArray a;
  for (const QString& s : list) a.append(s);
  return a;
}

}  // namespace

QByteArray comparisonCsv(const Comparison& c) {
  QByteArray out = "variant,target_index,target_token,source_index,source_token,weight\r\n";
  for (const VariantRow& r : c.rows) {
    const HeatmapData& m = r.map;
    for (int i = 0; i < m.rows; ++i) {
      for (int j = 0; j < m.cols; ++j) {
        out += csvField(r.label).toUtf8() + ',' + QByteArray::number(i) + ',' + csvField(m.rowLabels.value(i)).toUtf8() + ',' +
               QByteArray::number(j) + ',' + csvField(m.colLabels.value(j)).toUtf8() + ',' + shortest(m.at(i, j)) + "\r\n";
      }
    }
  }
  return out;
}

QByteArray comparisonJson(const Comparison& c) {
  QJsonObject root;
  root.insert(QStringLiteral("map"), c.key.name);
  if (c.key.name != QLatin1String("cross")) {
    root.insert(QStringLiteral("layer"), c.key.layer);
    root.insert(QStringLiteral("head"), c.key.head);
  }
  root.insert(QStringLiteral("reference"), c.reference >= 0 ? QJsonValue(c.rows[static_cast<std::size_t>(c.reference)].label) : QJsonValue());
  root.insert(QStringLiteral("forced_target"), c.forcedTarget.isEmpty() ? QJsonValue() : QJsonValue(c.forcedTarget));
  root.insert(QStringLiteral("note"), c.note);
  QJsonArray variants;
  for (const VariantRow& r : c.rows) {
    QJsonObject v;
    v.insert(QStringLiteral("label"), r.label);
    v.insert(QStringLiteral("model"), r.trace ? QString::fromStdString(r.trace->model.name) : QString());
    v.insert(QStringLiteral("variant"), r.trace ? QString::fromStdString(r.trace->model.variant) : QString());
    v.insert(QStringLiteral("translation"), r.translation);
    v.insert(QStringLiteral("rows"), strings(r.map.rowLabels));
    v.insert(QStringLiteral("columns"), strings(r.map.colLabels));
    QJsonArray weights;
    for (int i = 0; i < r.map.rows; ++i) {
      QJsonArray line;
      for (int j = 0; j < r.map.cols; ++j) line.append(jsonNumber(r.map.at(i, j)));
      weights.append(line);
    }
    v.insert(QStringLiteral("weights"), weights);
    QJsonObject metrics;
    metrics.insert(QStringLiteral("mean_row_entropy_bits"), r.map.empty() ? QJsonValue() : QJsonValue(r.metrics.meanRowEntropyBits));
    metrics.insert(QStringLiteral("mean_max_weight"), r.map.empty() ? QJsonValue() : QJsonValue(r.metrics.meanMaxWeight));
    metrics.insert(QStringLiteral("js_to_reference"), optional(r.js));
    metrics.insert(QStringLiteral("aer_sentence"), optional(r.sentenceAer));
    metrics.insert(QStringLiteral("aer_set"), r.corpusAer ? QJsonValue(r.corpusAer->counts.aer()) : QJsonValue());
    v.insert(QStringLiteral("metrics"), metrics);
    if (r.faithfulness) {  // the Methods view: this map's ranking scored (engine/analysis/faithfulness.h)
      const auto finite = [](double x) { return std::isfinite(x) ? QJsonValue(x) : QJsonValue(); };
      QJsonObject f;
      f.insert(QStringLiteral("method"), r.faithfulnessMethod);
      f.insert(QStringLiteral("removal"), r.faithfulnessRemoval);
      f.insert(QStringLiteral("aopc_comprehensiveness"), finite(r.faithfulness->aopcComprehensiveness));
      f.insert(QStringLiteral("aopc_sufficiency"), finite(r.faithfulness->aopcSufficiency));
      f.insert(QStringLiteral("kendall_tau"), finite(r.faithfulness->tau));
      v.insert(QStringLiteral("faithfulness"), f);
    }
    variants.append(v);
  }
  root.insert(QStringLiteral("variants"), variants);
  return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

}  // namespace attnviz::ui
