#include "ui/panels/tool_tip_event.h"

#include <QHelpEvent>
#include <QToolTip>
#include <QWidget>

namespace attnviz::ui {

bool handleToolTipEvent(QWidget* widget, QEvent* event, const std::function<QString(const QPoint&)>& textAt) {
  if (event->type() != QEvent::ToolTip) return false;
  auto* help = static_cast<QHelpEvent*>(event);
  const QString text = textAt(help->pos());
  if (text.isEmpty()) {
    QToolTip::hideText();
    event->ignore();
  } else {
    QToolTip::showText(help->globalPos(), text, widget);
  }
  return true;
}

}  // namespace attnviz::ui
