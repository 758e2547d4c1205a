#include "ui/export/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <cmath>

#include "ui/export/confirm_replace.h"
#include "ui/panels/panel.h"

namespace attnviz::ui {
namespace {

constexpr double kMinSide = 16;    // logical pixels
constexpr double kMaxSide = 8000;
constexpr int kMinDpi = 48;
constexpr int kMaxDpi = 1200;
constexpr int kDefaultDpi = 300;
constexpr int kPreviewWidth = 420;
constexpr int kPreviewHeight = 320;
constexpr int kPreviewDelayMs = 80;
const char* const kPresetsKey = "figure/presets";
const char* const kLastKey = "figure/last";
const char* const kEnabledTipProperty = "attnvizEnabledToolTip";

struct Preset {
  const char* name;
  const char* json;  // unit, optional width in that unit, dpi, style (figure_style.h)
};

// Built-in presets. Widths are the usual column and slide widths; text sizes are those of a caption.
const Preset kBuiltIn[] = {
    {QT_TRANSLATE_NOOP("ExportDialog", "As on screen"), R"({"unit": "px", "dpi": 300, "style": {}})"},
    {QT_TRANSLATE_NOOP("ExportDialog", "Paper, one column (8.5 cm)"),
     R"({"unit": "cm", "width": 8.5, "dpi": 600, "style": {"fontPoints": 7}})"},
    {QT_TRANSLATE_NOOP("ExportDialog", "Paper, two columns (17.8 cm)"),
     R"({"unit": "cm", "width": 17.8, "dpi": 600, "style": {"fontPoints": 8}})"},
    {QT_TRANSLATE_NOOP("ExportDialog", "Slide, dark (25.4 cm)"),
     R"({"unit": "cm", "width": 25.4, "dpi": 200, "style": {"fontPoints": 14, "dark": true}})"},
};

const char* unitKey(ExportDialog::Unit u) {
  switch (u) {
    case ExportDialog::Unit::Centimetres: return "cm";
    case ExportDialog::Unit::Inches: return "in";
    case ExportDialog::Unit::Pixels: break;
  }
  return "px";
}

// The settings of the last export, offered as the first preset so that "As on screen" always means the screen.
QJsonObject lastSettings() {
  return QJsonDocument::fromJson(QSettings().value(QLatin1String(kLastKey)).toByteArray()).object();
}

QString lastUsedName() { return ExportDialog::tr("Last used"); }

QJsonObject userPresets() {
  return QJsonDocument::fromJson(QSettings().value(QLatin1String(kPresetsKey)).toByteArray()).object();
}

QString disabledTip() { return ExportDialog::tr("This panel's figure does not offer it"); }

}  // namespace

ExportDialog::ExportDialog(const std::vector<const Panel*>& panels, int current, const QString& defaultPath, QWidget* parent)
    : QDialog(parent), panels_(panels) {
  QStringList titles;
  for (const Panel* p : panels) {
    titles << p->panelTitle();
    defaultSizes_.push_back(p->figureSize());
  }
  const int index = std::clamp(current, 0, std::max(0, static_cast<int>(panels.size()) - 1));
  build(titles, defaultSizes_.empty() ? QSizeF(640, 480) : defaultSizes_[static_cast<std::size_t>(index)], defaultPath);
  setPanelIndex(index);
}

ExportDialog::ExportDialog(const QStringList& panelTitles, QSizeF defaultSize, const QString& defaultPath, QWidget* parent)
    : QDialog(parent) {
  build(panelTitles, defaultSize, defaultPath);
}

void ExportDialog::build(const QStringList& titles, QSizeF defaultSize, const QString& defaultPath) {
  setWindowTitle(tr("Export figure"));
  preset_ = new QComboBox(this);
  preset_->setToolTip(tr("Settings for a kind of figure; the last ones used come back next time"));
  auto* savePresetButton = new QPushButton(tr("Save Preset…"), this);
  savePresetButton->setToolTip(tr("Remember the current size unit, width, resolution and style under a name"));
  auto* deletePreset = new QPushButton(tr("Delete"), this);
  deletePreset->setToolTip(tr("Forget the selected preset of yours (built-in ones stay)"));
  auto* presetRow = new QHBoxLayout;
  presetRow->addWidget(preset_, 1);
  presetRow->addWidget(savePresetButton);
  presetRow->addWidget(deletePreset);

  panel_ = new QComboBox(this);
  panel_->addItems(titles);
  panel_->setToolTip(tr("Which panel to export"));
  format_ = new QComboBox(this);
  format_->addItem(tr("PNG image"), static_cast<int>(FigureFormat::Png));
  format_->addItem(tr("SVG vector graphics"), static_cast<int>(FigureFormat::Svg));
  format_->addItem(tr("PDF document"), static_cast<int>(FigureFormat::Pdf));
  format_->setCurrentIndex(format_->findData(static_cast<int>(figureFormatFor(defaultPath))));
  format_->setToolTip(tr("PNG for slides and the web; SVG or PDF stay sharp at any size in a paper"));

  width_ = new QDoubleSpinBox(this);
  height_ = new QDoubleSpinBox(this);
  for (QDoubleSpinBox* s : {width_, height_}) {
    s->setDecimals(2);
    s->setToolTip(tr("Figure size; text keeps its point size, so a smaller figure has relatively larger text"));
  }
  unit_ = new QComboBox(this);
  unit_->addItem(tr("px"), static_cast<int>(Unit::Pixels));
  unit_->addItem(tr("cm"), static_cast<int>(Unit::Centimetres));
  unit_->addItem(tr("in"), static_cast<int>(Unit::Inches));
  unit_->setToolTip(tr("Unit of the size: screen pixels (1/96 inch), centimetres or inches"));
  keepAspect_ = new QCheckBox(tr("Keep proportions"), this);
  keepAspect_->setChecked(true);
  keepAspect_->setToolTip(tr("Changing one side changes the other in proportion"));
  auto* sizeRow = new QHBoxLayout;
  sizeRow->addWidget(width_);
  sizeRow->addWidget(new QLabel(QStringLiteral("×"), this));
  sizeRow->addWidget(height_);
  sizeRow->addWidget(unit_);
  sizeRow->addWidget(keepAspect_);
  sizeRow->addStretch(1);
  dpi_ = new QSpinBox(this);
  dpi_->setRange(kMinDpi, kMaxDpi);
  dpi_->setValue(kDefaultDpi);
  dpi_->setSuffix(tr(" dpi"));
  dpi_->setToolTip(tr("PNG: pixels per inch (96 = as on screen, 300 or 600 for print). PDF: resolution of raster parts"));

  title_ = new QLineEdit(this);
  title_->setToolTip(tr("The figure's title; empty: the panel's own"));
  showTitle_ = new QCheckBox(tr("Show"), this);
  showTitle_->setChecked(true);
  showTitle_->setToolTip(tr("Draw a title above the figure"));
  auto* titleRow = new QHBoxLayout;
  titleRow->addWidget(title_, 1);
  titleRow->addWidget(showTitle_);
  font_ = new QFontComboBox(this);
  font_->setToolTip(tr("Font family of the figure's text (match your paper's)"));
  fontSize_ = new QDoubleSpinBox(this);
  fontSize_->setRange(FigureStyle::kScreenFontPoints, 48);
  fontSize_->setDecimals(1);
  fontSize_->setSuffix(tr(" pt"));
  fontSize_->setSpecialValueText(tr("as on screen"));  // at the minimum: each panel's own text size
  fontSize_->setToolTip(tr("Size of labels and ticks in points at the figure's size (lowest: as on screen)"));
  auto* fontRow = new QHBoxLayout;
  fontRow->addWidget(font_, 1);
  fontRow->addWidget(fontSize_);
  colormap_ = new QComboBox(this);
  colormap_->setObjectName(QStringLiteral("figureColormap"));
  colormap_->addItem(tr("As on screen"));
  for (ColormapId id : Colormap::all()) colormap_->addItem(Colormap::byId(id).name(), static_cast<int>(id));
  colormap_->setToolTip(tr("Colour map of the figure (greys prints well in black and white)"));
  colorBar_ = new QCheckBox(tr("Show"), this);
  colorBar_->setChecked(true);
  colorBar_->setToolTip(tr("Draw the colour bar with its scale"));
  colorBarLabel_ = new QLineEdit(this);
  colorBarLabel_->setPlaceholderText(tr("label, e.g. attention weight"));
  colorBarLabel_->setToolTip(tr("Text along the colour bar"));
  auto* barRow = new QHBoxLayout;
  barRow->addWidget(colorBar_);
  barRow->addWidget(colorBarLabel_, 1);
  tokenLabels_ = new QCheckBox(tr("Token labels"), this);
  tokenLabels_->setChecked(true);
  tokenLabels_->setToolTip(tr("Write the tokens along the axes (off: only the map, e.g. for long inputs)"));
  selection_ = new QCheckBox(tr("Selection highlight"), this);
  selection_->setToolTip(tr("Outline the pinned token's row and column as on screen (off: a clean figure)"));
  background_ = new QComboBox(this);
  background_->addItem(tr("Light"));
  background_->addItem(tr("Dark"));
  background_->setToolTip(tr("Light background with dark text, or dark with light text (slides)"));

  path_ = new QLineEdit(defaultPath, this);
  path_->setObjectName(QStringLiteral("figurePath"));
  path_->setToolTip(tr("The file to write: a typed .png, .svg or .pdf picks the format; without a suffix the format's is added"));
  auto* browse = new QPushButton(tr("Browse…"), this);
  browse->setToolTip(tr("Choose the file in a file dialog"));
  auto* pathRow = new QHBoxLayout;
  pathRow->addWidget(path_, 1);
  pathRow->addWidget(browse);

  auto* form = new QFormLayout;
  // Rows whose field is a layout need their label made by hand, so its mnemonic has a buddy.
  const auto labelFor = [this](const QString& text, QWidget* buddy) {
    auto* label = new QLabel(text, this);
    label->setBuddy(buddy);
    return label;
  };
  form->addRow(labelFor(tr("Pr&eset:"), preset_), presetRow);
  if (titles.size() > 1) form->addRow(tr("&Panel:"), panel_);
  else panel_->hide();
  form->addRow(tr("&Format:"), format_);
  form->addRow(labelFor(tr("&Size:"), width_), sizeRow);
  form->addRow(tr("&Resolution:"), dpi_);
  form->addRow(labelFor(tr("&Title:"), title_), titleRow);
  form->addRow(labelFor(tr("F&ont:"), font_), fontRow);
  form->addRow(tr("&Colour map:"), colormap_);
  form->addRow(labelFor(tr("Colour &bar:"), colorBar_), barRow);
  auto* labelsRow = new QHBoxLayout;
  labelsRow->addWidget(tokenLabels_);
  labelsRow->addWidget(selection_);
  labelsRow->addStretch(1);
  form->addRow(QString(), labelsRow);
  form->addRow(tr("Bac&kground:"), background_);
  form->addRow(labelFor(tr("F&ile:"), path_), pathRow);
  fileNote_ = new QLabel(this);
  fileNote_->setObjectName(QStringLiteral("fileNote"));
  fileNote_->setWordWrap(true);
  form->addRow(QString(), fileNote_);

  preview_ = new QLabel(this);
  preview_->setObjectName(QStringLiteral("figurePreview"));
  preview_->setFixedSize(kPreviewWidth, kPreviewHeight);
  preview_->setAlignment(Qt::AlignCenter);
  preview_->setStyleSheet(QStringLiteral("QLabel { background: #8a8a8a; border: 1px solid #707070; }"));
  preview_->setToolTip(tr("Preview of the figure, scaled to fit"));
  figureNote_ = new QLabel(this);
  figureNote_->setObjectName(QStringLiteral("figureNote"));
  figureNote_->setWordWrap(true);
  figureNote_->setFixedWidth(kPreviewWidth);
  figureNote_->setStyleSheet(QStringLiteral("color: #a04000;"));
  figureNote_->hide();
  if (panels_.empty()) preview_->hide();

  auto* body = new QHBoxLayout;
  body->addLayout(form, 1);
  auto* previewColumn = new QVBoxLayout;
  previewColumn->addWidget(preview_);
  previewColumn->addWidget(figureNote_);
  previewColumn->addStretch(1);
  body->addLayout(previewColumn);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(body);
  layout->addWidget(buttons);

  setStyle(FigureStyle{});
  setUnit(Unit::Pixels);
  setLogicalSize(defaultSize);
  rebuildPresets();
  const QJsonObject last = lastSettings();
  if (!last.isEmpty()) {
    applySettings(last);
    preset_->setCurrentIndex(preset_->findText(lastUsedName()));
  }
  setLogicalSize(defaultSize);  // in the unit now shown
  previewTimer_.setSingleShot(true);
  previewTimer_.setInterval(kPreviewDelayMs);
  connect(&previewTimer_, &QTimer::timeout, this, &ExportDialog::renderPreview);
  const auto later = [this] { previewTimer_.start(); };
  for (QLineEdit* e : {title_, colorBarLabel_}) connect(e, &QLineEdit::textChanged, this, later);
  for (QCheckBox* c : {showTitle_, colorBar_, tokenLabels_, selection_}) connect(c, &QCheckBox::toggled, this, later);
  for (QComboBox* c : {colormap_, background_}) connect(c, &QComboBox::currentIndexChanged, this, later);
  connect(font_, &QFontComboBox::currentFontChanged, this, later);
  connect(fontSize_, &QDoubleSpinBox::valueChanged, this, later);
  connect(width_, &QDoubleSpinBox::valueChanged, this, &ExportDialog::onWidthEdited);
  connect(height_, &QDoubleSpinBox::valueChanged, this, &ExportDialog::onHeightEdited);
  connect(unit_, &QComboBox::currentIndexChanged, this, [this] {
    const QSizeF size = options().size;  // in the unit shown before the change
    setUnit(static_cast<Unit>(unit_->currentData().toInt()));
    setLogicalSize(size);
  });
  connect(panel_, &QComboBox::currentIndexChanged, this, &ExportDialog::onPanelChanged);
  connect(preset_, &QComboBox::activated, this, [this](int index) { applyPreset(preset_->itemText(index)); });
  connect(savePresetButton, &QPushButton::clicked, this, [this] {
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save preset"), tr("Name of the preset:"), QLineEdit::Normal, {}, &ok).trimmed();
    if (ok && !name.isEmpty()) savePreset(name);
  });
  connect(deletePreset, &QPushButton::clicked, this, [this] {
    QJsonObject presets = userPresets();
    presets.remove(preset_->currentText());
    QSettings().setValue(QLatin1String(kPresetsKey), QJsonDocument(presets).toJson(QJsonDocument::Compact));
    rebuildPresets();
  });
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
  connect(format_, &QComboBox::currentIndexChanged, this, &ExportDialog::syncSuffix);
  connect(path_, &QLineEdit::textChanged, this, &ExportDialog::followSuffix);
  followSuffix();
  updateFeatures();
  renderPreview();
}

double ExportDialog::unitPixels() const {
  switch (static_cast<Unit>(unit_->currentData().toInt())) {
    case Unit::Centimetres: return 96.0 / 2.54;
    case Unit::Inches: return 96.0;
    case Unit::Pixels: break;
  }
  return 1.0;
}

void ExportDialog::setUnit(Unit unit) {
  const QSignalBlocker block(unit_);
  unit_->setCurrentIndex(unit_->findData(static_cast<int>(unit)));
  const double perUnit = unitPixels();
  const int decimals = unit == Unit::Pixels ? 0 : 3;
  for (QDoubleSpinBox* s : {width_, height_}) {
    const QSignalBlocker blockSide(s);
    s->setDecimals(decimals);
    s->setRange(kMinSide / perUnit, kMaxSide / perUnit);
    s->setSingleStep(unit == Unit::Pixels ? 10 : 0.1);
    s->setSuffix(QLatin1Char(' ') + QLatin1String(unitKey(unit)));
  }
}

void ExportDialog::setLogicalSize(QSizeF size) {
  const double perUnit = unitPixels();
  {
    const QSignalBlocker bw(width_), bh(height_);
    width_->setValue(size.width() / perUnit);
    height_->setValue(size.height() / perUnit);
  }
  if (size.width() > 0) aspect_ = size.height() / size.width();
  previewTimer_.start();
}

void ExportDialog::onWidthEdited() {
  if (keepAspect_->isChecked()) {
    const QSignalBlocker block(height_);
    height_->setValue(width_->value() * aspect_);
  } else if (width_->value() > 0) {
    aspect_ = height_->value() / width_->value();
  }
  previewTimer_.start();
}

void ExportDialog::onHeightEdited() {
  if (keepAspect_->isChecked() && aspect_ > 0) {
    const QSignalBlocker block(width_);
    width_->setValue(height_->value() / aspect_);
  } else if (width_->value() > 0) {
    aspect_ = height_->value() / width_->value();
  }
  previewTimer_.start();
}

void ExportDialog::onPanelChanged() {
  const int i = panelIndex();
  if (i < static_cast<int>(defaultSizes_.size())) {
    const QSizeF natural = defaultSizes_[static_cast<std::size_t>(i)];
    // Same width in the unit shown (a paper preset's column), height in the new panel's proportions.
    setLogicalSize(QSizeF(options().size.width(), options().size.width() * natural.height() / std::max(1.0, natural.width())));
  }
  updateFeatures();
  previewTimer_.start();
}

// Controls of style parts the panel cannot draw are disabled, saying so.
void ExportDialog::updateFeatures() {
  const int i = panelIndex();
  const FigureFeatures f = i < static_cast<int>(panels_.size()) ? panels_[static_cast<std::size_t>(i)]->figureFeatures() : FigureFeatures();
  // The tooltip build() gave a control is kept as a property while the control says why it is disabled.
  const auto offer = [](QWidget* w, bool on) {
    if (!w->property(kEnabledTipProperty).isValid()) w->setProperty(kEnabledTipProperty, w->toolTip());
    w->setEnabled(on);
    w->setToolTip(on ? w->property(kEnabledTipProperty).toString() : disabledTip());
  };
  offer(font_, f.testFlag(FigureFeature::Font));
  offer(fontSize_, f.testFlag(FigureFeature::Font));
  offer(colormap_, f.testFlag(FigureFeature::Colormap));
  offer(colorBar_, f.testFlag(FigureFeature::ColorBar));
  offer(colorBarLabel_, f.testFlag(FigureFeature::ColorBar));
  offer(tokenLabels_, f.testFlag(FigureFeature::TokenLabels));
  offer(background_, f.testFlag(FigureFeature::Dark));
  offer(selection_, f.testFlag(FigureFeature::Selection));
  if (i < static_cast<int>(panels_.size())) title_->setPlaceholderText(panels_[static_cast<std::size_t>(i)]->panelTitle());
}

void ExportDialog::renderPreview() {
  const int i = panelIndex();
  if (i >= static_cast<int>(panels_.size())) return;
  const QSizeF size = options().size;
  const double scale = std::min(kPreviewWidth / size.width(), kPreviewHeight / size.height());
  const qreal dpr = devicePixelRatioF();
  QImage image(QSize(static_cast<int>(size.width() * scale * dpr), static_cast<int>(size.height() * scale * dpr)),
               QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(dpr);
  image.fill(Qt::white);
  {
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.scale(scale, scale);
    paintFigureWithStyle(*panels_[static_cast<std::size_t>(i)], p, QRectF(QPointF(), size), style());
  }
  preview_->setPixmap(QPixmap::fromImage(image));
  const QString note = panels_[static_cast<std::size_t>(i)]->figureNote(size, style());
  figureNote_->setText(note);
  figureNote_->setVisible(!note.isEmpty());
}

void ExportDialog::setStyle(const FigureStyle& s) {
  title_->setText(s.title);
  showTitle_->setChecked(s.showTitle);
  if (!s.fontFamily.isEmpty()) font_->setCurrentFont(QFont(s.fontFamily));
  else font_->setCurrentFont(QFont());
  fontSize_->setValue(s.fontPoints);
  colormap_->setCurrentIndex(s.colormap ? colormap_->findData(static_cast<int>(*s.colormap)) : 0);
  colorBar_->setChecked(s.showColorBar);
  colorBarLabel_->setText(s.colorBarLabel);
  tokenLabels_->setChecked(s.showTokenLabels);
  background_->setCurrentIndex(s.dark ? 1 : 0);
  selection_->setChecked(s.showSelection);
}

FigureStyle ExportDialog::style() const {
  FigureStyle s;
  s.title = title_->text().trimmed();
  s.showTitle = showTitle_->isChecked();
  // The application font's family means "default": a session opened elsewhere keeps that machine's default.
  s.fontFamily = font_->currentFont().family() == QFont().family() ? QString() : font_->currentFont().family();
  s.fontPoints = fontSize_->value() > FigureStyle::kScreenFontPoints ? std::max(4.0, fontSize_->value()) : FigureStyle::kScreenFontPoints;
  if (colormap_->currentIndex() > 0) s.colormap = static_cast<ColormapId>(colormap_->currentData().toInt());
  s.showColorBar = colorBar_->isChecked();
  s.colorBarLabel = colorBarLabel_->text().trimmed();
  s.showTokenLabels = tokenLabels_->isChecked();
  s.dark = background_->currentIndex() == 1;
  s.showSelection = selection_->isChecked();
  return s;
}

void ExportDialog::rebuildPresets() {
  const QSignalBlocker block(preset_);
  const QString current = preset_->currentText();
  preset_->clear();
  if (!lastSettings().isEmpty()) preset_->addItem(lastUsedName());
  for (const Preset& p : kBuiltIn) preset_->addItem(tr(p.name));
  const QJsonObject user = userPresets();
  for (auto it = user.begin(); it != user.end(); ++it) preset_->addItem(it.key());
  preset_->setCurrentIndex(std::max(0, preset_->findText(current)));
}

QStringList ExportDialog::presetNames() const {
  QStringList names;
  for (int i = 0; i < preset_->count(); ++i) names << preset_->itemText(i);
  return names;
}

bool ExportDialog::applyPreset(const QString& name) {
  QJsonObject preset;
  for (const Preset& p : kBuiltIn) {
    if (tr(p.name) == name) preset = QJsonDocument::fromJson(p.json).object();
  }
  if (preset.isEmpty()) preset = name == lastUsedName() ? lastSettings() : userPresets().value(name).toObject();
  if (preset.isEmpty()) return false;
  const QSizeF before = options().size;
  applySettings(preset);
  const double width = preset.value(QStringLiteral("width")).toDouble(0) * unitPixels();
  const int i = panelIndex();
  const QSizeF natural = i < static_cast<int>(defaultSizes_.size()) ? defaultSizes_[static_cast<std::size_t>(i)] : before;
  if (width > 0) setLogicalSize(QSizeF(width, width * natural.height() / std::max(1.0, natural.width())));
  else setLogicalSize(name == tr(kBuiltIn[0].name) ? natural : before);
  preset_->setCurrentIndex(std::max(0, preset_->findText(name)));
  previewTimer_.start();
  return true;
}

// Unit, DPI and style (without the title, which belongs to one figure); the width only in cm or inches, where a
// preset means a column or slide width.
QJsonObject ExportDialog::settingsJson(bool withWidth) const {
  QJsonObject style = this->style().toJson();
  style.remove(QStringLiteral("title"));
  const auto unit = static_cast<Unit>(unit_->currentData().toInt());
  QJsonObject settings{{"unit", unitKey(unit)}, {"dpi", dpi_->value()}, {"style", style}};
  if (withWidth && unit != Unit::Pixels) settings.insert(QStringLiteral("width"), width_->value());
  return settings;
}

// The unit (sizes are re-set by the caller), DPI and style of a preset or of the last settings; the title stays.
void ExportDialog::applySettings(const QJsonObject& settings) {
  const QString unit = settings.value(QStringLiteral("unit")).toString();
  setUnit(unit == QLatin1String("cm") ? Unit::Centimetres : unit == QLatin1String("in") ? Unit::Inches : Unit::Pixels);
  dpi_->setValue(std::clamp(settings.value(QStringLiteral("dpi")).toInt(kDefaultDpi), kMinDpi, kMaxDpi));
  const QString title = title_->text();
  setStyle(FigureStyle::fromJson(settings.value(QStringLiteral("style")).toObject()));
  title_->setText(title);
}

void ExportDialog::savePreset(const QString& name) {
  QJsonObject presets = userPresets();
  presets.insert(name, settingsJson(true));
  QSettings().setValue(QLatin1String(kPresetsKey), QJsonDocument(presets).toJson(QJsonDocument::Compact));
  rebuildPresets();
  preset_->setCurrentIndex(preset_->findText(name));
}

void ExportDialog::syncSuffix() {
  const QString suffix = figureSuffix(static_cast<FigureFormat>(format_->currentData().toInt()));
  QString p = path_->text();
  const QString old = QFileInfo(p).suffix();
  // A format's suffix is replaced; anything else stays part of the name ("run-0.5" + ".png").
  if (figureSuffixes().contains(old.toLower())) p = p.left(p.size() - old.size()) + suffix;
  else p += QLatin1Char('.') + suffix;
  path_->setText(p);
}

// The typed name's suffix picks the format (file_suffix.h's rule); the note under the name says what will be
// written, or why nothing can be.
void ExportDialog::followSuffix() {
  const FigurePath target = figurePath(path_->text().trimmed(), static_cast<FigureFormat>(format_->currentData().toInt()));
  if (!target.file) {
    fileNote_->setStyleSheet(QStringLiteral("color: #c0392b;"));
    fileNote_->setText(target.file.error);
    return;
  }
  if (target.file.fromName) {
    const QSignalBlocker block(format_);  // the name already has the format's suffix
    format_->setCurrentIndex(format_->findData(static_cast<int>(target.format)));
  }
  fileNote_->setStyleSheet(QString());
  fileNote_->setText(tr("Writes %1 as %2").arg(QFileInfo(target.file.path).fileName(), figureFormatName(target.format)));
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
  const FigurePath target = figurePath(path().trimmed(), static_cast<FigureFormat>(format_->currentData().toInt()));
  if (path().trimmed().isEmpty() || !target.file) {
    path_->setFocus();
    return;
  }
  if (target.file.path != path()) path_->setText(target.file.path);  // the format's suffix added
  if (path() != confirmedPath_ && !confirmReplace(this, path())) return;
  QSettings().setValue(QLatin1String(kLastKey), QJsonDocument(settingsJson(false)).toJson(QJsonDocument::Compact));
  QDialog::accept();
}

QString ExportDialog::path() const { return path_->text(); }
QString ExportDialog::fileNote() const { return fileNote_->text(); }
QString ExportDialog::figureNote() const {
  const int i = panelIndex();
  return i < static_cast<int>(panels_.size()) ? panels_[static_cast<std::size_t>(i)]->figureNote(options().size, style()) : QString();
}
int ExportDialog::panelIndex() const { return std::max(0, panel_->currentIndex()); }
void ExportDialog::setPanelIndex(int index) { panel_->setCurrentIndex(index); }

FigureOptions ExportDialog::options() const {
  FigureOptions o;
  o.format = static_cast<FigureFormat>(format_->currentData().toInt());
  const double perUnit = unitPixels();
  o.size = QSizeF(std::clamp(width_->value() * perUnit, kMinSide, kMaxSide), std::clamp(height_->value() * perUnit, kMinSide, kMaxSide));
  o.dpi = dpi_->value();
  o.title = style().title;
  return o;
}

}  // namespace attnviz::ui
