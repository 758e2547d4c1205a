#include "ui/document/limit_settings.h"

#include <QSettings>
#include <algorithm>

namespace attnviz::ui {

namespace {

std::int64_t clampTo(const LimitRange& range, std::int64_t value) { return std::clamp(value, range.min, range.max); }

QString key(const LimitRange& range) { return QStringLiteral("limits/") + QLatin1String(range.option + 2); }  // "--max-tokens" -> "limits/max-tokens"

std::int64_t read(const QSettings& settings, const LimitRange& range) {
  bool ok = false;
  const qlonglong v = settings.value(key(range)).toLongLong(&ok);
  return ok ? clampTo(range, v) : range.defaultValue;
}

}  // namespace

LimitSettings LimitSettings::load() {
  const QSettings settings;
  LimitSettings s;
  s.maxTokens = read(settings, kMaxTokensLimit);
  s.maxImagePixels = read(settings, kMaxImagePixelsLimit);
  s.maxModelFileBytes = read(settings, kMaxModelFileBytesLimit);
  s.fullDetailCells = read(settings, kFullDetailCellsLimit);
  return s;
}

void LimitSettings::save() const {
  QSettings settings;
  settings.setValue(key(kMaxTokensLimit), qlonglong{maxTokens});
  settings.setValue(key(kMaxImagePixelsLimit), qlonglong{maxImagePixels});
  settings.setValue(key(kMaxModelFileBytesLimit), qlonglong{maxModelFileBytes});
  settings.setValue(key(kFullDetailCellsLimit), qlonglong{fullDetailCells});
}

LimitSettings LimitSettings::clamped() const {
  return {clampTo(kMaxTokensLimit, maxTokens), clampTo(kMaxImagePixelsLimit, maxImagePixels),
          clampTo(kMaxModelFileBytesLimit, maxModelFileBytes), clampTo(kFullDetailCellsLimit, fullDetailCells)};
}

}  // namespace attnviz::ui
