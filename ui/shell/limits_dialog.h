// LimitsDialog (Run > Limits…): the four resource limits with their ranges and defaults, what happens over
// each, and Restore Defaults. The caller applies and saves what it returns.
//
//   LimitsDialog d(workspace->limits(), this);
//   if (d.exec() == QDialog::Accepted) { d.limits().save(); workspace->setLimits(d.limits()); }
#pragma once

#include <QDialog>

#include "ui/document/limit_settings.h"

class QSpinBox;

namespace attnviz::ui {

class LimitsDialog : public QDialog {
  Q_OBJECT

 public:
  explicit LimitsDialog(const LimitSettings& current, QWidget* parent = nullptr);
  LimitSettings limits() const;
  void setLimits(const LimitSettings& limits);  // shown in the fields (clamped)

  QSpinBox* tokensBox() const { return tokens_; }  // tests
  QSpinBox* modelSizeBox() const { return modelMiB_; }
  QSpinBox* cellsBox() const { return cells_; }

 private:
  QSpinBox* tokens_;
  QSpinBox* megapixels_;  // image pixels in units of 2^20
  QSpinBox* modelMiB_;    // model file size in MiB
  QSpinBox* cells_;
};

}  // namespace attnviz::ui
