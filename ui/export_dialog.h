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
  void setPath(const QString& path);

  // Save: asks before replacing an existing file (unless the file dialog of Browse… already asked about this
  // very path); stays open when the user says no or the name is empty.
  void accept() override;

 private:
  void syncSuffix();
  void browse();

  QComboBox* panel_ = nullptr;
  QComboBox* format_ = nullptr;
  QSpinBox* width_ = nullptr;
  QSpinBox* height_ = nullptr;
  QSpinBox* dpi_ = nullptr;
  QLineEdit* path_ = nullptr;
  QString confirmedPath_;  // chosen in the file dialog, which asked about replacing it
};

}  // namespace attnviz::ui
