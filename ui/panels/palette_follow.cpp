#include "ui/panels/palette_follow.h"

#include <QEvent>
#include <QObject>
#include <QPalette>

namespace attnviz::ui {
namespace {

class PaletteFollower : public QObject {
 public:
  PaletteFollower(QWidget* widget, std::function<void(const QColor&, const QColor&)> apply)
      : QObject(widget), widget_(widget), apply_(std::move(apply)) {
    widget->installEventFilter(this);
    applyNow();
  }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (watched == widget_ && event->type() == QEvent::PaletteChange) applyNow();
    return false;
  }

 private:
  void applyNow() { apply_(widget_->palette().color(QPalette::Base), widget_->palette().color(QPalette::Text)); }

  QWidget* widget_;
  std::function<void(const QColor&, const QColor&)> apply_;
};

}  // namespace

void followPalette(QWidget* widget, std::function<void(const QColor& base, const QColor& text)> apply) {
  new PaletteFollower(widget, std::move(apply));  // a child of the widget: lives as long as it
}

}  // namespace attnviz::ui
