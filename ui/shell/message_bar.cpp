#include "ui/shell/message_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace attnviz::ui {
namespace {

struct LevelLook {
  const char* background;
  const char* border;
  QStyle::StandardPixmap icon;
};

LevelLook lookOf(MessageBar::Level level) {
  switch (level) {
    case MessageBar::Error: return {"#fdecea", "#e0a9a3", QStyle::SP_MessageBoxCritical};
    case MessageBar::Warning: return {"#fff6e0", "#e5c77f", QStyle::SP_MessageBoxWarning};
    case MessageBar::Info: break;
  }
  return {"#e8f1fb", "#a9c4e3", QStyle::SP_MessageBoxInformation};
}

}  // namespace

MessageBar::MessageBar(QWidget* parent) : QFrame(parent) {
  setObjectName(QStringLiteral("messageBar"));
  layout_ = new QVBoxLayout(this);
  layout_->setContentsMargins(0, 0, 0, 0);
  layout_->setSpacing(2);
  setVisible(false);
}

void MessageBar::showMessage(const QString& key, Level level, const QString& text) {
  Row& row = rows_[key];
  if (!row.widget) {
    row.widget = new QFrame(this);
    auto* h = new QHBoxLayout(row.widget);
    h->setContentsMargins(8, 4, 4, 4);
    auto* icon = new QLabel(row.widget);
    icon->setObjectName(QStringLiteral("icon"));
    row.label = new QLabel(row.widget);
    row.label->setWordWrap(true);
    row.label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* close = new QToolButton(row.widget);
    close->setAutoRaise(true);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setToolTip(tr("Dismiss this message"));
    h->addWidget(icon);
    h->addWidget(row.label, 1);
    row.buttons = new QHBoxLayout;
    h->addLayout(row.buttons);
    h->addWidget(close, 0, Qt::AlignTop);
    connect(close, &QToolButton::clicked, this, [this, key] {
      clearMessage(key);
      emit dismissed(key);
    });
    layout_->addWidget(row.widget);
  }
  const LevelLook look = lookOf(level);
  row.widget->setStyleSheet(QStringLiteral("QFrame { background: %1; border: 1px solid %2; border-radius: 3px; }"
                                           "QLabel, QToolButton { border: none; background: transparent; color: #202020; }")
                                .arg(QLatin1String(look.background), QLatin1String(look.border)));
  const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
  row.widget->findChild<QLabel*>(QStringLiteral("icon"))->setPixmap(style()->standardIcon(look.icon).pixmap(iconSize, iconSize));
  row.label->setText(text);
  setVisible(true);
}

void MessageBar::clearMessage(const QString& key) {
  const auto it = rows_.find(key);
  if (it == rows_.end()) return;
  it->widget->deleteLater();
  it->widget->hide();
  rows_.erase(it);
  setVisible(!rows_.isEmpty());
}

void MessageBar::addButton(const QString& key, const QString& text, std::function<void()> onClick) {
  const auto it = rows_.find(key);
  if (it == rows_.end()) return;
  auto* button = new QPushButton(text, it->widget);
  button->setStyleSheet(QStringLiteral("QPushButton { border: 1px solid #8a8a8a; border-radius: 3px; padding: 2px 10px; "
                                       "background: #fafafa; color: #202020; }"));
  it->buttons->addWidget(button);
  connect(button, &QPushButton::clicked, this, [this, key, onClick = std::move(onClick)] {
    clearMessage(key);
    onClick();
  });
}

QString MessageBar::text(const QString& key) const {
  const auto it = rows_.find(key);
  return it == rows_.end() ? QString() : it->label->text();
}

}  // namespace attnviz::ui
