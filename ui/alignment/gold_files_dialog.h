// GoldFilesDialog: asks for the three files of a gold alignment set — the WPT alignment file and its
// source and target sentence files — and fills in the sentence files beside a picked alignment file
// by the WPT naming ("dev.wa.nonullalign" -> "dev.e", "dev.f").
//
//   GoldFilesDialog d(lastDir, this);
//   if (d.exec() == QDialog::Accepted) ws.gold().load(d.alignmentPath(), d.sourcePath(), d.targetPath());
#pragma once

#include <QDialog>

class QLineEdit;

namespace attnviz::ui {

class GoldFilesDialog : public QDialog {
  Q_OBJECT

 public:
  explicit GoldFilesDialog(const QString& startDir, QWidget* parent = nullptr);

  QString alignmentPath() const;
  QString sourcePath() const;
  QString targetPath() const;

  // The sentence files beside an alignment file, by the WPT naming; empty strings where none exists.
  static std::pair<QString, QString> guessSentenceFiles(const QString& alignmentPath);

 private:
  void browse(QLineEdit* edit, const QString& caption);

  QString dir_;
  QLineEdit* alignment_ = nullptr;
  QLineEdit* source_ = nullptr;
  QLineEdit* target_ = nullptr;
};

}  // namespace attnviz::ui
