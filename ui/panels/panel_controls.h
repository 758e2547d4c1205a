// Panel controls a session remembers: the view choices of a panel (colour map, scaling, argmax overlay,
// threshold, opacity, ...), saved and restored by name without each panel writing its own code.
//
//   colormapBox_ = new QComboBox(this);
//   rememberControl(colormapBox_, "colormap");             // in the panel's constructor
//   QJsonObject saved = captureControls(panel);          // {"colormap": "magma", "values": true}
//   restoreControls(panel, saved);                        // sets them as if the user had, signals and all
//
// Supported: QComboBox (by item text), QAbstractButton (checked), QSpinBox, QDoubleSpinBox, QSlider. State
// that lives in the Workspace (layer, head, rollout, sentence mode) is saved there instead, not here.
#pragma once

#include <QJsonObject>

class QWidget;

namespace attnviz::ui {

void rememberControl(QWidget* control, const char* key);
QJsonObject captureControls(const QWidget* panel);
// Values of the wrong type, combo texts the box no longer has and unknown keys are skipped; numbers are clamped
// by the control itself.
void restoreControls(QWidget* panel, const QJsonObject& saved);

}  // namespace attnviz::ui
