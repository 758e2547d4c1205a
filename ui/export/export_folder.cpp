#include "ui/export/export_folder.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryFile>

namespace attnviz::ui {
namespace {

const char* const kFolderKey = "export/folder";

}  // namespace

bool folderTakesFiles(const QString& folder) {
  if (folder.isEmpty() || !QFileInfo(folder).isDir()) return false;
  // isWritable() trusts permission bits; a read-only mount or an ACL says no only when a file is tried.
  QTemporaryFile probe(QDir(folder).filePath(QStringLiteral(".attnviz-probe-XXXXXX")));
  return probe.open();
}

QString exportFolder() {
  const QString last = QSettings().value(QLatin1String(kFolderKey)).toString();
  if (folderTakesFiles(last)) return last;
  const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
  if (folderTakesFiles(documents)) return documents;
  if (folderTakesFiles(QDir::homePath())) return QDir::homePath();
  return QDir::tempPath();
}

void rememberExportFolder(const QString& writtenFile) {
  QSettings().setValue(QLatin1String(kFolderKey), QFileInfo(writtenFile).absolutePath());
}

}  // namespace attnviz::ui
