#include "ui/kinds/encoder/coreference_pointer.h"

#include <QObject>
#include <QRegularExpression>

namespace attnviz::ui {

std::vector<float> pointerMap(const attnviz::Trace& trace) {
  const std::size_t n = trace.sourceTokens.size();
  std::vector<float> map;
  for (const attnviz::CoreferenceLink& link : trace.prediction.coreference) {
    if (link.probabilities.size() != n || link.pronoun < 0 || static_cast<std::size_t>(link.pronoun) >= n) continue;
    if (map.empty()) map.assign(n * n, 0.0f);
    std::copy(link.probabilities.begin(), link.probabilities.end(), map.begin() + static_cast<std::ptrdiff_t>(link.pronoun * n));
  }
  return map;
}

QString coreferenceHeadNote(const attnviz::ModelInfo& info) {
  if (!info.coreferenceHead) return {};
  const auto [layer, head] = *info.coreferenceHead;
  const QString name = QObject::tr("layer %1, head %2 (config.json coreference_head)").arg(layer + 1).arg(head + 1);
  for (const auto& [key, value] : info.card) {
    if (key != "coreference head") continue;
    // The card names the head itself, often 0-based ("layer 2 head 3 (0-based): its attention …"): that prefix is
    // dropped, the UI's own 1-based name stands in front.
    static const QRegularExpression kPrefix(QStringLiteral(R"(^\s*layer\s+\d+\s*,?\s*head\s+\d+\s*(\([^)]*\))?\s*:\s*)"),
                                            QRegularExpression::CaseInsensitiveOption);
    QString words = QString::fromStdString(value);
    words.remove(kPrefix);
    return name + QStringLiteral(": ") + words;
  }
  return name + QObject::tr(": the model card gives no figure for how often its attention finds the antecedent");
}

}  // namespace attnviz::ui
