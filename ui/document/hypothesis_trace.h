// hypothesis_trace: the trace as it looks when the user picks beam hypothesis k of a seq2seq n-best
// list — tokens.target, attention.cross and the translation replaced by hypothesis k's — so every
// panel that shows a trace shows the picked hypothesis without knowing about beams.
//
//   TracePtr shown = traceForHypothesis(ws.trace(), ws.selection().hypothesis());
//   QString text = hypothesisText(trace->hypotheses[2].tokens);     // "le chat dort-il ?"
#pragma once

#include <QString>
#include <string>
#include <vector>

#include "ui/document/model_ptr.h"

namespace attnviz::ui {

// `trace` itself for k = 0, a missing trace, or a k out of range; otherwise a copy showing hypothesis k.
TracePtr traceForHypothesis(const TracePtr& trace, int k);

// The text of a hypothesis' target tokens, as the beam rows show it: attnviz::seq2seq::translationText (the final
// <eos> dropped, French spacing, "peut-être", every other token kept, <unk> included), the same text the model gives
// hypothesis 0 as its translation (the header; `attnviz run`'s prediction.translation).
QString hypothesisText(const std::vector<std::string>& tokens);

// True for tokens such as "<eos>", "<s>", "[CLS]", "[SEP]": not words of the sentence.
bool isSpecialToken(const QString& token);

}  // namespace attnviz::ui
