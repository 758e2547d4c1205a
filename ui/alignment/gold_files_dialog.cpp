#include "ui/alignment/gold_files_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace attnviz::ui {

GoldFilesDialog::GoldFilesDialog(const QString& startDir, QWidget* parent) : QDialog(parent), dir_(startDir) {
  setWindowTitle(tr("Load gold alignments"));
  alignment_ = new QLineEdit(this);
  source_ = new QLineEdit(this);
  target_ = new QLineEdit(this);
  alignment_->setPlaceholderText(tr("e.g. dev.wa.nonullalign — lines \"sentence source target S|P\", 1-based"));
  source_->setPlaceholderText(tr("e.g. dev.e — one pre-tokenised source sentence per line"));
  target_->setPlaceholderText(tr("e.g. dev.f — one pre-tokenised target sentence per line"));
  auto row = [this](QLineEdit* edit, const QString& caption) {
    auto* l = new QHBoxLayout;
    auto* b = new QPushButton(tr("Browse…"), this);
    l->addWidget(edit, 1);
    l->addWidget(b);
    connect(b, &QPushButton::clicked, this, [this, edit, caption] { browse(edit, caption); });
    return l;
  };
  // QFormLayout gives a label its buddy only when the field is a widget; these fields are rows (edit + Browse…), so
  // each label is made here with its line edit as buddy: the mnemonic underlines instead of showing "&Alignments:".
  auto* form = new QFormLayout;
  auto label = [this](const QString& text, QLineEdit* buddy) {
    auto* l = new QLabel(text, this);
    l->setBuddy(buddy);
    return l;
  };
  form->addRow(label(tr("&Alignments:"), alignment_), row(alignment_, tr("Gold alignment file (WPT format)")));
  form->addRow(label(tr("&Source sentences:"), source_), row(source_, tr("Source sentences")));
  form->addRow(label(tr("&Target sentences:"), target_), row(target_, tr("Target sentences")));
  auto* note = new QLabel(tr("Sentence <i>n</i> of the alignment file is line <i>n</i> of both sentence files. "
                             "The source is what the model reads (English for the shipped models)."),
                          this);
  note->setWordWrap(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(note);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(alignment_, &QLineEdit::editingFinished, this, [this] {
    const auto [src, tgt] = guessSentenceFiles(alignment_->text());
    if (source_->text().isEmpty()) source_->setText(src);
    if (target_->text().isEmpty()) target_->setText(tgt);
  });
  resize(620, sizeHint().height());
}

QString GoldFilesDialog::alignmentPath() const { return alignment_->text().trimmed(); }
QString GoldFilesDialog::sourcePath() const { return source_->text().trimmed(); }
QString GoldFilesDialog::targetPath() const { return target_->text().trimmed(); }

void GoldFilesDialog::browse(QLineEdit* edit, const QString& caption) {
  const QString p = QFileDialog::getOpenFileName(this, caption, edit->text().isEmpty() ? dir_ : edit->text());
  if (p.isEmpty()) return;
  edit->setText(p);
  dir_ = QFileInfo(p).absolutePath();
  if (edit == alignment_) emit alignment_->editingFinished();
}

std::pair<QString, QString> GoldFilesDialog::guessSentenceFiles(const QString& alignmentPath) {
  const QFileInfo fi(alignmentPath);
  const QString stem = fi.fileName().section(QLatin1Char('.'), 0, 0);  // "dev" of dev.wa.nonullalign
  const QDir dir = fi.absoluteDir();
  auto existing = [&](const QString& name) { return dir.exists(name) ? dir.filePath(name) : QString(); };
  return {existing(stem + QStringLiteral(".e")), existing(stem + QStringLiteral(".f"))};
}

}  // namespace attnviz::ui
