// One handler for QEvent::ToolTip, shared by every canvas that shows a tooltip for the point under the
// pointer: the text, or no tooltip (and the event ignored) where there is nothing to say.
//
//   bool MyCanvas::event(QEvent* e) {
//     if (handleToolTipEvent(this, e, [this](const QPoint& p) { return toolTipAt(p); })) return true;
//     return QWidget::event(e);
//   }
#pragma once

#include <QPoint>
#include <QString>
#include <functional>

class QEvent;
class QWidget;

namespace attnviz::ui {

// True when `event` was a tooltip request (handled); false for any other event.
bool handleToolTipEvent(QWidget* widget, QEvent* event, const std::function<QString(const QPoint&)>& textAt);

}  // namespace attnviz::ui
