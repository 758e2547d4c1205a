#include "ui/shell/limits_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

namespace attnviz::ui {

namespace {

constexpr std::int64_t kMi = std::int64_t{1} << 20;

// A spin box over [min, max] / unit with the limit's meaning as its tooltip.
QSpinBox* limitBox(const LimitRange& range, std::int64_t unit, const QString& suffix, const QString& tip, QWidget* parent) {
  auto* box = new QSpinBox(parent);
  // A minimum below one unit (1 pixel, 1 byte) becomes one unit: the smallest value the box can show.
  box->setRange(static_cast<int>(std::max<std::int64_t>(range.min / unit, range.min > 0 ? 1 : 0)),
                static_cast<int>(range.max / unit));
  box->setSuffix(suffix);
  box->setGroupSeparatorShown(true);
  const QString byDefault = QString::fromStdString(limitText(range, range.defaultValue));
  box->setToolTip(&range == &kFullDetailCellsLimit  // drawing is the GUI's own: no command-line flag
                      ? tip + QObject::tr("\nDefault %1.").arg(byDefault)
                      : tip + QObject::tr("\nDefault %1; the command line's %2 sets the same limit.")
                                  .arg(byDefault, QLatin1String(range.option)));
  box->setMinimumWidth(160);
  return box;
}

}  // namespace

LimitsDialog::LimitsDialog(const LimitSettings& current, QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Limits"));
  tokens_ = limitBox(kMaxTokensLimit, 1, tr(" tokens"),
                     tr("Tokens of one input (words for HAN documents; [CLS], [SEP] and <eos> count). A longer text is "
                        "cut there and the status bar says how much was left out. A model's own maximum "
                        "(e.g. 512 positions for BERT) applies as well."),
                     this);
  megapixels_ = limitBox(kMaxImagePixelsLimit, kMi, tr(" M pixels"),
                         tr("Pixels (width x height, in units of 1,048,576) of an image opened, dropped or pasted. "
                            "A larger image is refused from its header, before it is decoded."),
                         this);
  modelMiB_ = limitBox(kMaxModelFileBytesLimit, kMi, tr(" MiB"),
                       tr("Size of one model file (the weights, or an entry inflated from a zip). A larger file is "
                          "refused when the model is opened."),
                       this);
  cells_ = limitBox(kFullDetailCellsLimit, 1, tr(" cells"),
                    tr("Cells of an attention map drawn one by one (crisp vector cells in SVG and PDF, values inside "
                       "where they fit). A larger map is drawn as an image, one pixel per cell, and the panel says so."),
                    this);

  auto* form = new QFormLayout;
  form->addRow(tr("&Tokens per input:"), tokens_);
  form->addRow(tr("&Image size:"), megapixels_);
  form->addRow(tr("&Model file size:"), modelMiB_);
  form->addRow(tr("Map cells at full &detail:"), cells_);
  auto* note = new QLabel(tr("Over a limit, a text is cut (and the status bar says so), an image or model file is "
                             "refused with a message naming it, and a large map is drawn at image detail. "
                             "Changes apply to the next run; a model already open keeps its files."),
                          this);
  note->setWordWrap(true);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] { setLimits({}); });

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(note);
  layout->addWidget(buttons);
  setLimits(current);
  resize(520, sizeHint().height());
}

void LimitsDialog::setLimits(const LimitSettings& limits) {
  const LimitSettings l = limits.clamped();
  tokens_->setValue(static_cast<int>(l.maxTokens));
  megapixels_->setValue(static_cast<int>(l.maxImagePixels / kMi));
  modelMiB_->setValue(static_cast<int>(l.maxModelFileBytes / kMi));
  cells_->setValue(static_cast<int>(l.fullDetailCells));
}

LimitSettings LimitsDialog::limits() const {
  LimitSettings l;
  l.maxTokens = tokens_->value();
  l.maxImagePixels = megapixels_->value() * kMi;
  l.maxModelFileBytes = modelMiB_->value() * kMi;
  l.fullDetailCells = cells_->value();
  return l.clamped();
}

}  // namespace attnviz::ui
