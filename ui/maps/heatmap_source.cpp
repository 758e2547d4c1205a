#include "ui/maps/heatmap_source.h"

#include <algorithm>
#include <limits>

#include "engine/core/error.h"

namespace attnviz::ui {
namespace {

constexpr int kSentencePreviewWords = 6;  // han row labels: "3 · the acting was superb and ..."

int orderOf(const std::string& name) {
  if (name == "self") return 0;
  if (name == "rollout") return 1;
  if (name == "cross" || name == "cross_norm") return 2;
  if (name == "word") return 3;  // han: the word map before the sentence vector
  return 4;
}

// A ragged map (one 1-D tensor per group, e.g. han "word": one [words_i] per sentence) that pads into a
// [groups, longest] heatmap: it needs at least one group and every group 1-D.
bool paddable(const std::vector<Tensor>& groups) {
  if (groups.empty()) return false;
  return std::all_of(groups.begin(), groups.end(), [](const Tensor& t) { return t.rank() == 1; });
}

// han "word": rows are sentences, column c is word c of each sentence; cells past a sentence's end are NaN.
HeatmapData extractRagged(const attnviz::Trace& trace, const std::string& name, const std::vector<Tensor>& groups) {
  HeatmapData d;
  d.rows = static_cast<int>(groups.size());
  for (const Tensor& g : groups) d.cols = std::max(d.cols, static_cast<int>(g.dim(0)));
  d.values.assign(static_cast<std::size_t>(d.rows) * d.cols, std::numeric_limits<float>::quiet_NaN());
  const bool words = trace.sentences.size() == groups.size();
  for (int r = 0; r < d.rows; ++r) {
    const Tensor& g = groups[static_cast<std::size_t>(r)];
    std::copy(g.data(), g.data() + g.dim(0), d.values.begin() + static_cast<std::ptrdiff_t>(r) * d.cols);
    QString label = QString::number(r + 1);
    if (words) {
      const auto& sentence = trace.sentences[static_cast<std::size_t>(r)];
      QStringList preview;
      for (std::size_t w = 0; w < sentence.size() && w < kSentencePreviewWords; ++w) preview << QString::fromStdString(sentence[w]);
      label += QStringLiteral(" · ") + preview.join(QLatin1Char(' ')) + (sentence.size() > kSentencePreviewWords ? QStringLiteral(" …") : QString());
    }
    d.rowLabels << label;
  }
  for (int c = 0; c < d.cols; ++c) d.colLabels << QString::number(c + 1);
  if (words) {
    d.labelsInCells = true;  // the columns are positions: the words go into the cells
    d.cellLabels.reserve(static_cast<qsizetype>(d.values.size()));
    for (int r = 0; r < d.rows; ++r) {
      const auto& sentence = trace.sentences[static_cast<std::size_t>(r)];
      for (int c = 0; c < d.cols; ++c)
        d.cellLabels << (c < static_cast<int>(sentence.size()) ? QString::fromStdString(sentence[static_cast<std::size_t>(c)]) : QString());
    }
  }
  d.rowAxis = QStringLiteral("sentence");
  d.colAxis = QStringLiteral("word in sentence");
  d.title = QString::fromStdString(name) + QStringLiteral(" attention · sentences × words");
  return d;
}

QStringList toLabels(const std::vector<std::string>& tokens) {
  QStringList out;
  out.reserve(static_cast<qsizetype>(tokens.size()));
  for (const std::string& t : tokens) out << QString::fromStdString(t);
  return out;
}

QStringList indexLabels(std::int64_t n) {
  QStringList out;
  for (std::int64_t i = 0; i < n; ++i) out << QString::number(i);
  return out;
}

// Token labels when they match the axis length, indices otherwise (a model that reports extra rows).
QStringList labelsFor(const std::vector<std::string>& tokens, std::int64_t n) {
  return static_cast<std::int64_t>(tokens.size()) == n ? toLabels(tokens) : indexLabels(n);
}

QString prettyName(const QString& name) {
  if (name == QLatin1String("self")) return QStringLiteral("self-attention");
  // Contribution maps: names no longer than "attention rollout", so the Map list keeps its width.
  if (name == QLatin1String("value_norm")) return QStringLiteral("value norm");
  if (name == QLatin1String("value_norm_sum")) return QStringLiteral("summed value norm");
  if (name == QLatin1String("alti")) return QStringLiteral("ALTI");
  if (name == QLatin1String("alti_rollout")) return QStringLiteral("ALTI rollout");
  if (name == QLatin1String("globenc")) return QStringLiteral("GlobEnc");
  if (name == QLatin1String("globenc_rollout")) return QStringLiteral("GlobEnc rollout");
  if (name == QLatin1String("value_zeroing")) return QStringLiteral("value zeroing");
  if (name == QLatin1String("value_zeroing_rollout")) return QStringLiteral("value zeroing rollout");
  if (name == QLatin1String("cross")) return QStringLiteral("cross-attention");
  if (name == QLatin1String("cross_norm")) return QStringLiteral("cross-attention · a‖h‖");
  if (name == QLatin1String("word_norm")) return QStringLiteral("word attention · a‖h‖");
  if (name == QLatin1String("sentence_norm")) return QStringLiteral("sentence attention · a‖h‖");
  if (name == QLatin1String("rollout")) return QStringLiteral("attention rollout");
  return name + QStringLiteral(" attention");
}

}  // namespace

const char* const kContributionMapNames[6] = {"value_norm", "value_norm_sum", "alti", "alti_rollout", "globenc",
                                              "globenc_rollout"};

const char* const kWeightedNormMapNames[3] = {"cross_norm", "word_norm", "sentence_norm"};

std::vector<QString> weightedNormMapsOf(const attnviz::Trace& trace) {
  std::vector<QString> names;
  if (const auto cross = trace.attention.find("cross"); cross != trace.attention.end() && cross->second.rank() == 2)
    names.push_back(QString::fromLatin1(kWeightedNormMapNames[0]));
  if (trace.raggedAttention.contains("word")) names.push_back(QString::fromLatin1(kWeightedNormMapNames[1]));
  if (trace.attention.contains("sentence")) names.push_back(QString::fromLatin1(kWeightedNormMapNames[2]));
  return names;
}

bool isContributionMap(const QString& name) {
  const auto named = [&](const char* n) { return name == QLatin1String(n); };
  return std::any_of(std::begin(kContributionMapNames), std::end(kContributionMapNames), named) ||
         std::any_of(std::begin(kWeightedNormMapNames), std::end(kWeightedNormMapNames), named);
}

const char* const kValueZeroingMapNames[2] = {"value_zeroing", "value_zeroing_rollout"};

bool isValueZeroingMap(const QString& name) {
  return name == QLatin1String(kValueZeroingMapNames[0]) || name == QLatin1String(kValueZeroingMapNames[1]);
}

MapInfo valueZeroingMapInfo(const QString& name, const attnviz::ValueZeroing& v) {
  MapInfo info{name};
  if (name == QLatin1String(kValueZeroingMapNames[0])) {
    info.layered = true;
    info.layers = static_cast<int>(v.perLayer.dim(0));
    info.heads = 1;
  }
  return info;
}

HeatmapData valueZeroingMap(const attnviz::Trace& trace, const attnviz::ValueZeroing& v, const MapKey& key) {
  attnviz::Trace shell;  // extractMap's labels and title, as for a trace that carries the maps
  shell.sourceTokens = trace.sourceTokens;
  shell.attention.emplace(kValueZeroingMapNames[0], v.perLayer);
  shell.attention.emplace(kValueZeroingMapNames[1], v.rollout);
  return extractMap(shell, key);
}

attnviz::ContributionSet withMethodOf(const QString& name, attnviz::ContributionSet methods) {
  if (name.startsWith(QLatin1String("value_norm")) || name.endsWith(QLatin1String("_norm"))) methods.valueNorm = true;
  else if (name.startsWith(QLatin1String("alti"))) methods.alti = true;
  else if (name.startsWith(QLatin1String("globenc"))) methods.globenc = true;
  return methods;
}

HeatmapData HeatmapData::fromValues(int rows, int cols, std::vector<float> values, QStringList rowLabels,
                                    QStringList colLabels, QString title) {
  HeatmapData d;
  d.rows = rows;
  d.cols = cols;
  d.values = std::move(values);
  d.rowLabels = std::move(rowLabels);
  d.colLabels = std::move(colLabels);
  d.title = std::move(title);
  return d;
}

std::vector<MapInfo> availableMaps(const attnviz::Trace& trace) {
  std::vector<std::pair<std::string, const Tensor*>> names;
  for (const auto& [name, tensor] : trace.attention) {
    if (tensor.rank() >= 1 && tensor.rank() <= 4) names.emplace_back(name, &tensor);
  }
  for (const auto& [name, groups] : trace.raggedAttention) {
    if (paddable(groups) && !trace.attention.count(name)) names.emplace_back(name, &groups.front());
  }
  std::stable_sort(names.begin(), names.end(),
                   [](const auto& a, const auto& b) { return orderOf(a.first) < orderOf(b.first); });
  std::vector<MapInfo> out;
  for (const auto& [name, tensor] : names) {
    MapInfo info;
    info.name = QString::fromStdString(name);
    info.layered = tensor->rank() >= 3;  // ragged maps come as their first group (rank 1): not layered
    info.perHead = tensor->rank() == 4;
    if (info.layered) {
      info.layers = static_cast<int>(tensor->dim(0));
      info.heads = info.perHead ? static_cast<int>(tensor->dim(1)) : 1;
    }
    out.push_back(info);
  }
  return out;
}

QString mapTitle(const MapInfo& info, const MapKey& key) {
  QString t = prettyName(info.name);
  if (info.layered) t += QStringLiteral(" · layer %1/%2").arg(key.layer + 1).arg(info.layers);
  if (info.perHead) t += QStringLiteral(" · head %1/%2").arg(key.head + 1).arg(info.heads);
  return t;
}

HeatmapData extractMap(const attnviz::Trace& trace, const MapKey& key) {
  const std::string name = key.name.toStdString();
  const auto it = trace.attention.find(name);
  if (it == trace.attention.end()) {
    const auto ragged = trace.raggedAttention.find(name);
    if (ragged != trace.raggedAttention.end() && paddable(ragged->second)) return extractRagged(trace, name, ragged->second);
    throw attnviz::InternalError("attention." + name, "the trace has no map of this name");
  }
  const Tensor& t = it->second;
  HeatmapData d;
  MapInfo info;
  info.name = key.name;
  MapKey used = key;
  const float* base = t.data();
  if (t.rank() == 4 || t.rank() == 3) {  // [layers, heads, rows, cols] or [layers, rows, cols]
    info.layered = true;
    info.perHead = t.rank() == 4;
    info.layers = static_cast<int>(t.dim(0));
    info.heads = info.perHead ? static_cast<int>(t.dim(1)) : 1;
    used.layer = std::clamp(key.layer, 0, std::max(info.layers - 1, 0));
    used.head = info.perHead ? std::clamp(key.head, 0, std::max(info.heads - 1, 0)) : 0;
    d.rows = static_cast<int>(t.dim(-2));
    d.cols = static_cast<int>(t.dim(-1));
    base += (static_cast<std::int64_t>(used.layer) * info.heads + used.head) * d.rows * d.cols;
  } else if (t.rank() == 2) {
    d.rows = static_cast<int>(t.dim(0));
    d.cols = static_cast<int>(t.dim(1));
  } else if (t.rank() == 1) {
    d.rows = 1;
    d.cols = static_cast<int>(t.dim(0));
  } else {
    throw attnviz::InternalError("attention." + name,
                                 "cannot show a map of shape " + shapeString(t.shape()) + " as a heatmap");
  }
  d.values.assign(base, base + static_cast<std::ptrdiff_t>(d.rows) * d.cols);
  if (name == "cross" || name == "cross_norm") {
    d.rowLabels = labelsFor(trace.targetTokens, d.rows);
    d.colLabels = labelsFor(trace.sourceTokens, d.cols);
    d.rowAxis = QStringLiteral("target token");
    d.colAxis = QStringLiteral("source token");
  } else if (t.rank() == 1) {
    d.rowLabels = QStringList{QString::fromStdString(name)};
    d.colLabels = indexLabels(d.cols);
    d.colAxis = QStringLiteral("item");
  } else {
    d.rowLabels = labelsFor(trace.sourceTokens, d.rows);
    d.colLabels = labelsFor(trace.sourceTokens, d.cols);
    const bool contribution = isContributionMap(key.name) || isValueZeroingMap(key.name);
    d.rowAxis = contribution ? QStringLiteral("output token") : QStringLiteral("query token");
    d.colAxis = contribution ? QStringLiteral("input token") : QStringLiteral("key token");
  }
  d.title = mapTitle(info, used);
  return d;
}

}  // namespace attnviz::ui
