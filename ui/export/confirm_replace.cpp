#include "ui/export/confirm_replace.h"

#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>

namespace attnviz::ui {

bool confirmReplace(QWidget* parent, const QString& path) {
  const QFileInfo fi(path);
  if (!fi.exists()) return true;
  const QString name = fi.fileName();
  const QString folder = QDir::toNativeSeparators(fi.absolutePath());
  if (fi.isDir()) {
    QMessageBox::warning(parent, QObject::tr("Export"),
                         QObject::tr("“%1” in %2 is a folder; choose a file name.").arg(name, folder));
    return false;
  }
  QMessageBox box(QMessageBox::Warning, QObject::tr("Replace file?"),
                  QObject::tr("“%1” already exists in %2.\nReplace it?").arg(name, folder), QMessageBox::Cancel, parent);
  QPushButton* replace = box.addButton(QObject::tr("&Replace"), QMessageBox::AcceptRole);
  box.setDefaultButton(QMessageBox::Cancel);
  box.exec();
  return box.clickedButton() == replace;
}

}  // namespace attnviz::ui
