#include "ui/session/autosave.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QIODevice>
#include <QRegularExpression>
#include <QStandardPaths>
#include <algorithm>
#include <cerrno>
#include <csignal>

#include "ui/export/save_file.h"

namespace attnviz::ui {
namespace {

const char* const kPattern = R"(^autosave-(\d+)\.attnviz$)";

bool processRunning(qint64 pid) {
  if (pid <= 0 || pid > 0x7fffffff) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;  // EPERM: alive, another user's
}

int intervalMs() {
  bool ok = false;
  const int ms = qEnvironmentVariableIntValue("ATTNVIZ_AUTOSAVE_MS", &ok);
  return ok && ms > 0 ? ms : Autosave::kDefaultIntervalMs;
}

}  // namespace

Autosave::Autosave(Snapshot snapshot, const QString& dir, QObject* parent) : QObject(parent), snapshot_(std::move(snapshot)) {
  const QString d = dir.isEmpty() ? defaultDir() : dir;
  path_ = QDir(d).filePath(QStringLiteral("autosave-%1.attnviz").arg(QCoreApplication::applicationPid()));
  timer_.setInterval(intervalMs());
  connect(&timer_, &QTimer::timeout, this, &Autosave::saveNow);
}

Autosave::~Autosave() = default;

void Autosave::start() { timer_.start(); }

bool Autosave::saveNow() {
  const QByteArray bytes = snapshot_();
  if (bytes == last_) return true;
  if (bytes.isEmpty()) {  // nothing worth restoring (no model, no input)
    QFile::remove(path_);
    last_.clear();
    return true;
  }
  if (!QDir().mkpath(QFileInfo(path_).absolutePath())) {
    lastError_ = tr("Could not create the autosave folder %1").arg(QFileInfo(path_).absolutePath());
    return false;
  }
  const SaveResult r = saveAtomically(path_, [&](QIODevice& out, QString&) { return out.write(bytes) == bytes.size(); });
  lastError_ = r.error;
  if (!r) return false;
  last_ = bytes;
  emit saved(path_);
  return true;
}

void Autosave::discard() {
  timer_.stop();
  QFile::remove(path_);
  last_.clear();
}

QString Autosave::defaultDir() {
  return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath(QStringLiteral("autosave"));
}

QStringList Autosave::orphans(const QString& dir) {
  static const QRegularExpression pattern{QString::fromLatin1(kPattern)};
  QFileInfoList files = QDir(dir).entryInfoList({QStringLiteral("autosave-*.attnviz")}, QDir::Files);
  std::sort(files.begin(), files.end(), [](const QFileInfo& a, const QFileInfo& b) { return a.lastModified() > b.lastModified(); });
  QStringList out;
  for (const QFileInfo& f : files) {
    const auto match = pattern.match(f.fileName());
    if (match.hasMatch() && !processRunning(match.captured(1).toLongLong())) out << f.absoluteFilePath();
  }
  return out;
}

}  // namespace attnviz::ui
