#include "ui/recent_models.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace attnviz::ui {
namespace {

const char* const kKey = "recentModels";

QString normalised(const QString& path) { return QDir::cleanPath(QFileInfo(path).absoluteFilePath()); }

}  // namespace

RecentModels::RecentModels(QObject* parent) : QObject(parent) {
  paths_ = QSettings().value(QLatin1String(kKey)).toStringList();
  paths_.removeDuplicates();
  while (paths_.size() > kMax) paths_.removeLast();
}

void RecentModels::add(const QString& path) {
  const QString p = normalised(path);
  if (!paths_.isEmpty() && paths_.front() == p) return;
  paths_.removeAll(p);
  paths_.prepend(p);
  while (paths_.size() > kMax) paths_.removeLast();
  save();
}

void RecentModels::remove(const QString& path) {
  if (paths_.removeAll(normalised(path)) > 0) save();
}

void RecentModels::clear() {
  if (paths_.isEmpty()) return;
  paths_.clear();
  save();
}

void RecentModels::save() {
  QSettings().setValue(QLatin1String(kKey), paths_);
  emit changed();
}

}  // namespace attnviz::ui
