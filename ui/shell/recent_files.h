// RecentFiles: paths opened lately (models, sessions), newest first, kept in QSettings under one key.
//
//   RecentFiles recent("recentModels");  // QSettings() of the application's organisation/name
//   recent.add("/data/bert-sst2");       // moves it to the front; at most kMax kept
//   for (const QString& p : recent.paths()) ...
#pragma once

#include <QObject>
#include <QStringList>

namespace attnviz::ui {

class RecentFiles : public QObject {
  Q_OBJECT

 public:
  static constexpr int kMax = 10;

  explicit RecentFiles(const QString& settingsKey, QObject* parent = nullptr);

  QStringList paths() const { return paths_; }
  void add(const QString& path);
  void remove(const QString& path);
  void clear();

 signals:
  void changed();

 private:
  void save();
  QString key_;
  QStringList paths_;
};

}  // namespace attnviz::ui
