#include "ui/export/file_suffix.h"

#include <QFileInfo>
#include <QObject>

namespace attnviz::ui {
namespace {

// ".png, .svg or .pdf"
QString suffixList(const QStringList& known) {
  QStringList dotted;
  for (const QString& s : known) dotted << QLatin1Char('.') + s;
  if (dotted.size() < 2) return dotted.join(QString());
  const QString last = dotted.takeLast();
  return dotted.join(QStringLiteral(", ")) + QObject::tr(" or ") + last;
}

}  // namespace

SuffixedPath applySuffixRule(const QString& path, const QStringList& known, const QString& chosen) {
  SuffixedPath r;
  const QString name = QFileInfo(path).fileName();
  // QFileInfo::suffix() is what follows the last dot of the name; a name that is only a suffix (".png") has none.
  const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
  const QString suffix = dot > 0 ? name.mid(dot + 1) : QString();
  if (name.isEmpty()) {
    r.error = QObject::tr("“%1”: no file name").arg(path);
  } else if (suffix.isEmpty()) {
    r.path = path + QLatin1Char('.') + chosen;
    r.suffix = chosen;
  } else if (known.contains(suffix.toLower())) {
    r.path = path;
    r.suffix = suffix.toLower();
    r.fromName = r.suffix != chosen;
  } else {
    r.error = QObject::tr("“%1”: unknown suffix “.%2”; use %3").arg(name, suffix, suffixList(known));
  }
  return r;
}

}  // namespace attnviz::ui
