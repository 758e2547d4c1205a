// MessageBar: an inline strip above the panels for errors and warnings — no modal dialogs. Each
// message has a key; showing a key again replaces its text, clearing it removes it, so a run error
// updates while the user types and disappears on the next good run.
//
//   bar->showMessage("run", MessageBar::Error, "input error: editor: the input is empty");
//   bar->clearMessage("run");
//   bar->addButton("recover", "Restore", [this] { restore(); });  // a button in that message's row
#pragma once

#include <QFrame>
#include <QMap>
#include <QString>
#include <functional>

class QHBoxLayout;
class QLabel;
class QVBoxLayout;

namespace attnviz::ui {

class MessageBar : public QFrame {
  Q_OBJECT

 public:
  enum Level { Info, Warning, Error };

  explicit MessageBar(QWidget* parent = nullptr);

  void showMessage(const QString& key, Level level, const QString& text);
  void clearMessage(const QString& key);
  // A push button in the message's row (none: nothing happens); clicking runs onClick and then clears the message.
  void addButton(const QString& key, const QString& text, std::function<void()> onClick);
  bool hasMessage(const QString& key) const { return rows_.contains(key); }
  QString text(const QString& key) const;  // empty when there is none
  int count() const { return static_cast<int>(rows_.size()); }

 signals:
  void dismissed(const QString& key);

 private:
  struct Row {
    QWidget* widget = nullptr;
    QLabel* label = nullptr;
    QHBoxLayout* buttons = nullptr;
  };
  QVBoxLayout* layout_ = nullptr;
  QMap<QString, Row> rows_;
};

}  // namespace attnviz::ui
