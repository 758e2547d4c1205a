#include "ui/shell/token_spans.h"

#include <algorithm>

#include "ui/document/hypothesis_trace.h"

namespace attnviz::ui {
namespace {

struct Normalised {
  QString text;
  std::vector<int> origin;  // text[i] came from the original's character origin[i]
};

Normalised normalise(const QString& text) {
  Normalised n;
  auto put = [&n](const QString& s, int from) {
    for (QChar c : s) {
      n.text += c;
      n.origin.push_back(from);
    }
  };
  for (int i = 0; i < text.size(); ++i) {
    const QChar c = text[i];
    switch (c.unicode()) {
      case 0x2019: case 0x2018: case 0x02BC: put(QStringLiteral("'"), i); break;
      case 0x201C: case 0x201D: case 0x201E: put(QStringLiteral("\""), i); break;
      case 0x2026: put(QStringLiteral("..."), i); break;
      default: put(QString(c).toLower(), i); break;
    }
  }
  return n;
}

}  // namespace

std::vector<TokenSpan> tokenSpans(const QString& text, const std::vector<std::string>& tokens) {
  const Normalised n = normalise(text);
  std::vector<TokenSpan> spans(tokens.size());
  auto searchable = [&](std::size_t i) -> QString {
    QString t = QString::fromStdString(tokens[i]);
    if (isSpecialToken(t)) return {};
    if (t.startsWith(QLatin1String("##")) && t.size() > 2) t = t.mid(2);
    return t.toLower();
  };
  auto span = [&](qsizetype from, qsizetype to) {  // normalised [from, to) -> original text
    const int first = n.origin[static_cast<std::size_t>(from)];
    const int last = n.origin[static_cast<std::size_t>(to - 1)];
    return TokenSpan{first, last - first + 1};
  };
  qsizetype from = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i] == "<unk>") {
      // A piece the vocabulary did not know: the text from here to the next space or the next known token.
      while (from < n.text.size() && n.text[from].isSpace()) ++from;
      qsizetype end = from;
      while (end < n.text.size() && !n.text[end].isSpace()) ++end;
      for (std::size_t j = i + 1; j < tokens.size(); ++j) {
        const QString next = searchable(j);
        if (next.isEmpty()) continue;
        const qsizetype at = n.text.indexOf(next, from + 1);
        if (at >= 0) end = std::min(end, at);
        break;
      }
      if (end > from) {
        spans[i] = span(from, end);
        from = end;
      }
      continue;
    }
    const QString t = searchable(i);
    if (t.isEmpty()) continue;
    const qsizetype at = n.text.indexOf(t, from);
    if (at < 0) continue;
    spans[i] = span(at, at + t.size());
    from = at + t.size();
  }
  return spans;
}

int tokenAt(const std::vector<TokenSpan>& spans, int pos) {
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (spans[i].start >= 0 && pos >= spans[i].start && pos < spans[i].start + spans[i].length) return static_cast<int>(i);
  }
  return -1;
}

int coveredEnd(const std::vector<TokenSpan>& spans) {
  int end = 0;
  for (const TokenSpan& s : spans)
    if (s.start >= 0) end = std::max(end, s.start + s.length);
  return end;
}

}  // namespace attnviz::ui
