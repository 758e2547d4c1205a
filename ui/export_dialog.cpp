#include "ui/export_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include "ui/confirm_replace.h"

namespace attnviz::ui {
namespace {

constexpr int kMinSide = 16;
constexpr int kMaxSide = 8000;
constexpr int kMinDpi = 48;
constexpr int kMaxDpi = 1200;
constexpr int kDefaultDpi = 300;

}  // namespace

ExportDialog::ExportDialog(const QStringList& panelTitles, QSizeF defaultSize, const QString& defaultPath,
                           QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Export figure"));
  panel_ = new QComboBox(this);
  panel_->addItems(panelTitles);
  panel_->setToolTip(tr("Which panel to export"));
  format_ = new QComboBox(this);
  format_->addItem(tr("PNG image"), static_cast<int>(FigureFormat::Png));
  format_->addItem(tr("SVG vector graphics"), static_cast<int>(FigureFormat::Svg));
  format_->addItem(tr("PDF document"), static_cast<int>(FigureFormat::Pdf));
  format_->setCurrentIndex(format_->findData(static_cast<int>(figureFormatFor(defaultPath))));
  width_ = new QSpinBox(this);
  height_ = new QSpinBox(this);
  for (QSpinBox* s : {width_, height_}) {
    s->setRange(kMinSide, kMaxSide);
    s->setSuffix(tr(" px"));
    s->setToolTip(tr("Figure size in screen pixels (1/96 inch); text keeps its on-screen size"));
  }
  width_->setValue(static_cast<int>(defaultSize.width()));
  height_->setValue(static_cast<int>(defaultSize.height()));
  dpi_ = new QSpinBox(this);
  dpi_->setRange(kMinDpi, kMaxDpi);
  dpi_->setValue(kDefaultDpi);
  dpi_->setSuffix(tr(" dpi"));
  dpi_->setToolTip(tr("PNG: pixels per inch (96 = as on screen, 300 for print). PDF: resolution of raster parts"));
  path_ = new QLineEdit(defaultPath, this);
  auto* browse = new QPushButton(tr("Browse…"), this);
  auto* pathRow = new QHBoxLayout;
  pathRow->addWidget(path_, 1);
  pathRow->addWidget(browse);

  auto* form = new QFormLayout;
  if (panelTitles.size() > 1) form->addRow(tr("&Panel:"), panel_);
  else panel_->hide();
  form->addRow(tr("&Format:"), format_);
  form->addRow(tr("&Width:"), width_);
  form->addRow(tr("&Height:"), height_);
  form->addRow(tr("&Resolution:"), dpi_);
  form->addRow(tr("&File:"), pathRow);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons);

  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
  connect(format_, &QComboBox::currentIndexChanged, this, &ExportDialog::syncSuffix);
}

void ExportDialog::syncSuffix() {
  const QString suffix = figureSuffix(static_cast<FigureFormat>(format_->currentData().toInt()));
  QString p = path_->text();
  const QFileInfo fi(p);
  if (fi.suffix().isEmpty()) p += QLatin1Char('.') + suffix;
  else p = p.left(p.size() - fi.suffix().size()) + suffix;
  path_->setText(p);
}

void ExportDialog::browse() {
  const QString p = QFileDialog::getSaveFileName(this, tr("Export figure"), path_->text(),
                                                 tr("Images (*.png *.svg *.pdf);;All files (*)"));
  if (p.isEmpty()) return;
  path_->setText(p);
  format_->setCurrentIndex(format_->findData(static_cast<int>(figureFormatFor(p, FigureFormat::Png))));
  confirmedPath_ = path_->text();
}

void ExportDialog::setPath(const QString& path) { path_->setText(path); }

void ExportDialog::accept() {
  if (path().trimmed().isEmpty()) {
    path_->setFocus();
    return;
  }
  if (path() != confirmedPath_ && !confirmReplace(this, path())) return;
  QDialog::accept();
}

QString ExportDialog::path() const { return path_->text(); }
int ExportDialog::panelIndex() const { return std::max(0, panel_->currentIndex()); }
void ExportDialog::setPanelIndex(int index) { panel_->setCurrentIndex(index); }

FigureOptions ExportDialog::options() const {
  FigureOptions o;
  o.format = static_cast<FigureFormat>(format_->currentData().toInt());
  o.size = QSizeF(width_->value(), height_->value());
  o.dpi = dpi_->value();
  return o;
}

}  // namespace attnviz::ui
