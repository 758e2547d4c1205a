// The one rule that keeps an exported file's name and its format in agreement, for every export: figures (the
// Export Figure dialog, layout figures, `attnviz export`) and data (CSV, JSON, LaTeX).
//   - a typed suffix that names a known format is followed, whatever format was chosen (the caller says which
//     format was written: `fromName`);
//   - no suffix: the chosen format's suffix is added;
//   - any other suffix is refused with one line naming the known ones (nothing is written).
//
//   SuffixedPath p = applySuffixRule("out/vit-flow.svg", {"png", "svg", "pdf"}, "png");   // p.suffix == "svg"
//   if (!p) return showError(p.error);
#pragma once

#include <QString>
#include <QStringList>

namespace attnviz::ui {

struct SuffixedPath {
  QString path;           // the file to write, with its suffix
  QString suffix;         // lower case, one of the known ones ("svg")
  QString error;          // non-empty: refused ("“a.jpg”: unknown suffix “.jpg”; use .png, .svg or .pdf")
  bool fromName = false;  // the suffix came from the name and differs from the chosen format's
  explicit operator bool() const { return error.isEmpty(); }
};

// `known`: lower-case suffixes without the dot; `chosen`: one of them.
SuffixedPath applySuffixRule(const QString& path, const QStringList& known, const QString& chosen);

}  // namespace attnviz::ui
