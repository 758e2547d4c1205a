#include "ui/kinds/seq2seq/hypothesis_trace.h"

#include <QStringList>

namespace attnviz::ui {
namespace {

bool attachesLeft(const QString& t) {
  static const QStringList kClosing{QStringLiteral("."), QStringLiteral(","), QStringLiteral(")"), QStringLiteral("]"),
                                    QStringLiteral("}"), QStringLiteral("%"), QStringLiteral("..."),
                                    QStringLiteral("-")};  // hyphens join both sides: "peut - être" -> "peut-être"
  return kClosing.contains(t);
}

}  // namespace

bool isSpecialToken(const QString& token) {
  return token.size() > 2 && ((token.startsWith(QLatin1Char('<')) && token.endsWith(QLatin1Char('>'))) ||
                              (token.startsWith(QLatin1Char('[')) && token.endsWith(QLatin1Char(']'))));
}

QString detokenize(const std::vector<std::string>& tokens) {
  QString out;
  bool glue = true;  // no space before the next token
  for (const std::string& s : tokens) {
    const QString t = QString::fromStdString(s);
    if (isSpecialToken(t)) continue;
    if (!glue && !attachesLeft(t)) out += QLatin1Char(' ');
    out += t;
    glue = t.endsWith(QLatin1Char('\'')) || t == QLatin1String("(") || t == QLatin1String("-");
  }
  return out;
}

TracePtr traceForHypothesis(const TracePtr& trace, int k) {
  if (!trace || k <= 0 || k >= static_cast<int>(trace->hypotheses.size())) return trace;
  auto copy = std::make_shared<attnviz::Trace>(*trace);
  const attnviz::Hypothesis& h = trace->hypotheses[static_cast<std::size_t>(k)];
  copy->targetTokens = h.tokens;
  copy->attention["cross"] = h.cross;
  copy->prediction.translation = detokenize(h.tokens).toStdString();
  return copy;
}

}  // namespace attnviz::ui
