// ExportDialog: asks where and how to write a figure — panel (when there are several), format, size in px,
// cm or inches, DPI, and the figure's style (figure_style.h: title, font, colour map, colour bar and its label,
// token labels, light or dark background) — with a live preview, and proposes a file name. Presets: built-in
// ones for a screen figure, a one- or two-column paper figure and a slide, the user's own (Save Preset…), and
// the last settings used, all remembered in QSettings ("figure/…"). The writing is figure_export's job.
//
//   ExportDialog d(panels, current, "fig.pdf", this);   // preview and style from the panels
//   if (d.exec() == QDialog::Accepted) exportFigure(d.path(), d.options(), ...paintFigureWithStyle(*panels[d.panelIndex()], ..., d.style())...);
//   ExportDialog plain(titles, QSizeF(640, 480), "fig.png");   // titles only: no preview, title band only
#pragma once

#include <QDialog>
#include <QJsonObject>
#include <QTimer>
#include <vector>

#include "ui/export/figure_export.h"
#include "ui/export/figure_style.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFontComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace attnviz::ui {

class Panel;

class ExportDialog : public QDialog {
  Q_OBJECT

 public:
  ExportDialog(const std::vector<const Panel*>& panels, int current, const QString& defaultPath, QWidget* parent = nullptr);
  ExportDialog(const QStringList& panelTitles, QSizeF defaultSize, const QString& defaultPath, QWidget* parent = nullptr);

  QString path() const;
  FigureOptions options() const;  // size in logical pixels whatever the unit shown
  FigureStyle style() const;
  int panelIndex() const;
  void setPanelIndex(int index);
  void setPath(const QString& path);

  enum class Unit { Pixels, Centimetres, Inches };
  void setUnit(Unit unit);  // converts the shown size
  void setLogicalSize(QSizeF size);
  QStringList presetNames() const;  // built-in first, then the user's
  bool applyPreset(const QString& name);
  void savePreset(const QString& name);  // the current settings under a user preset name
  QLabel* preview() const { return preview_; }
  QString fileNote() const;    // what the note under the file name says
  QString figureNote() const;  // what the figure leaves out now (Panel::figureNote), shown under the preview

  // Save: refuses an unknown suffix (the note says why), adds the format's suffix to a name without one, and asks
  // before replacing an existing file (unless the file dialog of Browse… already asked about this
  // very path); stays open when the user says no or the name is empty. Remembers the settings as "last used".
  void accept() override;

 private:
  void build(const QStringList& titles, QSizeF defaultSize, const QString& defaultPath);
  void syncSuffix();
  void followSuffix();
  void browse();
  void onPanelChanged();
  void onWidthEdited();
  void onHeightEdited();
  void updateFeatures();
  void renderPreview();
  void setStyle(const FigureStyle& style);
  QJsonObject settingsJson(bool withWidth) const;
  void applySettings(const QJsonObject& settings);
  double unitPixels() const;  // logical pixels per shown unit
  void rebuildPresets();

  std::vector<const Panel*> panels_;
  std::vector<QSizeF> defaultSizes_;
  double aspect_ = 0.75;  // height / width, kept while a side is edited
  bool editing_ = false;

  QComboBox* preset_ = nullptr;
  QComboBox* panel_ = nullptr;
  QComboBox* format_ = nullptr;
  QDoubleSpinBox* width_ = nullptr;
  QDoubleSpinBox* height_ = nullptr;
  QComboBox* unit_ = nullptr;
  QCheckBox* keepAspect_ = nullptr;
  QSpinBox* dpi_ = nullptr;
  QLineEdit* title_ = nullptr;
  QCheckBox* showTitle_ = nullptr;
  QFontComboBox* font_ = nullptr;
  QDoubleSpinBox* fontSize_ = nullptr;
  QComboBox* colormap_ = nullptr;
  QCheckBox* colorBar_ = nullptr;
  QLineEdit* colorBarLabel_ = nullptr;
  QCheckBox* tokenLabels_ = nullptr;
  QCheckBox* selection_ = nullptr;
  QComboBox* background_ = nullptr;
  QLabel* preview_ = nullptr;
  QLabel* figureNote_ = nullptr;
  QLineEdit* path_ = nullptr;
  QLabel* fileNote_ = nullptr;  // what will be written ("Writes fig.svg as SVG"), or why nothing can be
  QString confirmedPath_;  // chosen in the file dialog, which asked about replacing it
  QTimer previewTimer_;
};

}  // namespace attnviz::ui
