// RecentModels: the model paths opened lately, newest first, kept in QSettings ("recentModels").
//
//   RecentModels recent;          // QSettings() of the application's organisation/name
//   recent.add("/data/bert-sst2"); // moves it to the front; at most kMax kept
//   for (const QString& p : recent.paths()) ...
#pragma once

#include <QObject>
#include <QStringList>

namespace attnviz::ui {

class RecentModels : public QObject {
  Q_OBJECT

 public:
  static constexpr int kMax = 10;

  explicit RecentModels(QObject* parent = nullptr);

  QStringList paths() const { return paths_; }
  void add(const QString& path);
  void remove(const QString& path);
  void clear();

 signals:
  void changed();

 private:
  void save();
  QStringList paths_;
};

}  // namespace attnviz::ui
