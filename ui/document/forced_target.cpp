#include "ui/document/forced_target.h"

#include "engine/api/model.h"

namespace attnviz::ui {

QString ForcedTarget::vocabularyOf(const attnviz::ModelInfo& info) {
  for (const auto& [name, size] : info.vocabSizes)
    if (name == "target") return QStringLiteral("target %1").arg(size);
  return {};
}

QString ForcedTarget::quoted(const QString& text, int maxChars) {
  const QString s = text.simplified();
  return QStringLiteral("“%1”").arg(s.size() > maxChars ? s.left(maxChars - 1) + QStringLiteral("…") : s);
}

}  // namespace attnviz::ui
