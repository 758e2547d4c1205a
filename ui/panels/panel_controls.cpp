#include "ui/panels/panel_controls.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSlider>
#include <QSpinBox>
#include <QVariant>
#include <algorithm>

namespace attnviz::ui {
namespace {

const char* const kKeyProperty = "attnvizSessionKey";

QString keyOf(const QWidget* w) { return w->property(kKeyProperty).toString(); }

}  // namespace

void rememberControl(QWidget* control, const char* key) { control->setProperty(kKeyProperty, QString::fromLatin1(key)); }

QJsonObject captureControls(const QWidget* panel) {
  QJsonObject out;
  for (const QWidget* w : panel->findChildren<QWidget*>()) {
    const QString key = keyOf(w);
    if (key.isEmpty()) continue;
    if (const auto* combo = qobject_cast<const QComboBox*>(w)) {
      if (combo->currentIndex() >= 0) out.insert(key, combo->currentText());
    } else if (const auto* button = qobject_cast<const QAbstractButton*>(w)) {
      out.insert(key, button->isChecked());
    } else if (const auto* spin = qobject_cast<const QSpinBox*>(w)) {
      out.insert(key, spin->value());
    } else if (const auto* real = qobject_cast<const QDoubleSpinBox*>(w)) {
      out.insert(key, real->value());
    } else if (const auto* slider = qobject_cast<const QSlider*>(w)) {
      out.insert(key, slider->value());
    }
  }
  return out;
}

void restoreControls(QWidget* panel, const QJsonObject& saved) {
  for (QWidget* w : panel->findChildren<QWidget*>()) {
    const QJsonValue v = saved.value(keyOf(w));
    if (keyOf(w).isEmpty() || v.isUndefined()) continue;
    if (auto* combo = qobject_cast<QComboBox*>(w)) {
      const int index = v.isString() ? combo->findText(v.toString()) : -1;
      if (index >= 0) combo->setCurrentIndex(index);
    } else if (auto* button = qobject_cast<QAbstractButton*>(w)) {
      if (v.isBool() && button->isCheckable() && button->isEnabled()) button->setChecked(v.toBool());
    } else if (auto* spin = qobject_cast<QSpinBox*>(w)) {
      if (v.isDouble()) spin->setValue(static_cast<int>(std::clamp(v.toDouble(), -1e9, 1e9)));
    } else if (auto* real = qobject_cast<QDoubleSpinBox*>(w)) {
      if (v.isDouble()) real->setValue(v.toDouble());
    } else if (auto* slider = qobject_cast<QSlider*>(w)) {
      if (v.isDouble()) slider->setValue(static_cast<int>(std::clamp(v.toDouble(), -1e9, 1e9)));
    }
  }
}

}  // namespace attnviz::ui
