#include "ui/document/hypothesis_trace.h"

#include "engine/models/seq2seq/seq2seq_tokenizer.h"

namespace attnviz::ui {

bool isSpecialToken(const QString& token) {
  return token.size() > 2 && ((token.startsWith(QLatin1Char('<')) && token.endsWith(QLatin1Char('>'))) ||
                              (token.startsWith(QLatin1Char('[')) && token.endsWith(QLatin1Char(']'))));
}

QString hypothesisText(const std::vector<std::string>& tokens) {
  return QString::fromStdString(attnviz::seq2seq::translationText(tokens));
}

TracePtr traceForHypothesis(const TracePtr& trace, int k) {
  if (!trace || k <= 0 || k >= static_cast<int>(trace->hypotheses.size())) return trace;
  auto copy = std::make_shared<attnviz::Trace>(*trace);
  const attnviz::Hypothesis& h = trace->hypotheses[static_cast<std::size_t>(k)];
  copy->targetTokens = h.tokens;
  copy->attention["cross"] = h.cross;
  copy->attention.erase("cross_norm");  // the engine weighs the best hypothesis's attention only
  copy->prediction.translation = attnviz::seq2seq::translationText(h.tokens);  // as the model wrote hypothesis 0's
  return copy;
}

}  // namespace attnviz::ui
