// followPalette: a view's colours from its palette (Base behind, Text on it), now and on every palette change, so a
// dark desktop theme (or a dark palette set on the window) gives every panel a dark background with light text.
//
//   followPalette(this, [this](const QColor& base, const QColor& text) { style_.background = base; style_.foreground = text; update(); });
#pragma once

#include <QColor>
#include <QWidget>
#include <functional>

namespace attnviz::ui {

// Calls apply(base, text) at once and whenever `widget`'s palette changes (for as long as the widget lives).
void followPalette(QWidget* widget, std::function<void(const QColor& base, const QColor& text)> apply);

}  // namespace attnviz::ui
