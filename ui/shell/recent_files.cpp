#include "ui/shell/recent_files.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace attnviz::ui {
namespace {

QString normalised(const QString& path) { return QDir::cleanPath(QFileInfo(path).absoluteFilePath()); }

}  // namespace

RecentFiles::RecentFiles(const QString& settingsKey, QObject* parent) : QObject(parent), key_(settingsKey) {
  paths_ = QSettings().value(key_).toStringList();
  paths_.removeDuplicates();
  while (paths_.size() > kMax) paths_.removeLast();
}

void RecentFiles::add(const QString& path) {
  const QString p = normalised(path);
  if (!paths_.isEmpty() && paths_.front() == p) return;
  paths_.removeAll(p);
  paths_.prepend(p);
  while (paths_.size() > kMax) paths_.removeLast();
  save();
}

void RecentFiles::remove(const QString& path) {
  if (paths_.removeAll(normalised(path)) > 0) save();
}

void RecentFiles::clear() {
  if (paths_.isEmpty()) return;
  paths_.clear();
  save();
}

void RecentFiles::save() {
  QSettings().setValue(key_, paths_);
  emit changed();
}

}  // namespace attnviz::ui
