// WhenShown: the work a panel does for what it shows (a trace's thumbnails, one layer's merged words), run at once
// while the panel is on screen and otherwise held back until it is shown (PanelArea brings its tab to the front)
// or until someone reads the result off screen (a figure or CSV export of a hidden tab, `attnviz export`, a test).
// So a tab that is not shown computes nothing, and several changes while it is hidden cost one run when it is.
//
//   WhenShown rebuild_{this, [this] { rebuildNow(); }};  // a member of the panel, declared after what it uses
//   rebuild_.request();        // on shownTraceChanged: runs now when visible, else when the panel is next shown
//   rebuild_.flush();          // before reading the result (paintFigure, shownMatrix, an accessor)
//
// flush() is const so that const accessors can call it: the work fills what the panel shows, a cache of the
// Workspace's state, as mutable state would.
#pragma once

#include <QEvent>
#include <QObject>
#include <QWidget>
#include <functional>
#include <utility>

namespace attnviz::ui {

class WhenShown : public QObject {
 public:
  WhenShown(QWidget* widget, std::function<void()> work) : QObject(widget), widget_(widget), work_(std::move(work)) {
    widget_->installEventFilter(this);
  }

  // Runs the work now when the widget is visible (its window shown, its tab current); otherwise marks it pending.
  void request() {
    pending_ = true;
    if (widget_->isVisible()) flush();
  }
  // Runs pending work now, visible or not. A request made by the work itself (re-entry) is run by the outer call.
  void flush() const {
    while (pending_ && !running_) {
      pending_ = false;
      running_ = true;
      ++runs_;
      work_();
      running_ = false;
    }
  }
  bool pending() const { return pending_; }
  int runs() const { return runs_; }  // how often the work ran, for tests (hidden tabs must not run it)

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (watched == widget_ && event->type() == QEvent::Show) flush();
    return QObject::eventFilter(watched, event);
  }

 private:
  QWidget* widget_;
  std::function<void()> work_;
  mutable bool pending_ = false;
  mutable bool running_ = false;
  mutable int runs_ = 0;
};

}  // namespace attnviz::ui
