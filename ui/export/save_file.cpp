#include "ui/export/save_file.h"

#include <QDir>
#include <QSaveFile>

namespace attnviz::ui {

SaveResult saveAtomically(const QString& path, const std::function<bool(QIODevice& out, QString& error)>& write) {
  const QString shown = QDir::toNativeSeparators(path);
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    return {false, QStringLiteral("Could not write %1: %2").arg(shown, file.errorString())};
  }
  QString error;
  bool ok = false;
  try {
    ok = write(file, error);
  } catch (const std::exception& e) {
    error = QString::fromUtf8(e.what());
  }
  if (!ok || file.error() != QFileDevice::NoError) {
    const QString why = !error.isEmpty() ? error : file.errorString();
    file.cancelWriting();
    return {false, QStringLiteral("Could not write %1: %2").arg(shown, why)};
  }
  if (!file.commit()) return {false, QStringLiteral("Could not write %1: %2").arg(shown, file.errorString())};
  return {true, {}};
}

}  // namespace attnviz::ui
