// ExportDialog: asks where and how to write a figure — panel (when there are several), format,
// size in logical pixels, DPI — and proposes a file name. The writing is figure_export's job.
//
//   ExportDialog d(panelTitles, QSizeF(640, 480), this);
//   if (d.exec() == QDialog::Accepted) exportFigure(d.path(), d.options(), ...panel d.panelIndex()...);
#pragma once

#include <QDialog>

#include "ui/figure_export.h"

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace attnviz::ui {

class ExportDialog : public QDialog {
  Q_OBJECT

 public:
  ExportDialog(const QStringList& panelTitles, QSizeF defaultSize, const QString& defaultPath,
               QWidget* parent = nullptr);

  QString path() const;
  FigureOptions options() const;
  int panelIndex() const;
  void setPanelIndex(int index);

 private:
  void syncSuffix();
  void browse();

  QComboBox* panel_ = nullptr;
  QComboBox* format_ = nullptr;
  QSpinBox* width_ = nullptr;
  QSpinBox* height_ = nullptr;
  QSpinBox* dpi_ = nullptr;
  QLineEdit* path_ = nullptr;
};

}  // namespace attnviz::ui
