// LimitSettings: the GUI's resource limits (engine/core/limits.h: defaults, ranges and what each does), kept in
// QSettings under "limits/". Values read back are clamped into their ranges, so a hand-edited settings file
// cannot set an impossible limit.
//
//   LimitSettings limits = LimitSettings::load();   // defaults where nothing is saved
//   limits.maxTokens = 512;
//   limits.save();
//   workspace.setLimits(limits);
#pragma once

#include <cstdint>

#include "engine/core/limits.h"
#include "engine/api/model.h"

namespace attnviz::ui {

struct LimitSettings {
  std::int64_t maxTokens = kMaxTokensLimit.defaultValue;
  std::int64_t maxImagePixels = kMaxImagePixelsLimit.defaultValue;
  std::int64_t maxModelFileBytes = kMaxModelFileBytesLimit.defaultValue;
  std::int64_t fullDetailCells = kFullDetailCellsLimit.defaultValue;

  static LimitSettings load();  // QSettings() of the application
  void save() const;
  LimitSettings clamped() const;  // every value moved into its range

  attnviz::LoadOptions loadOptions() const { return {maxModelFileBytes}; }
  bool operator==(const LimitSettings&) const = default;
};

}  // namespace attnviz::ui
