// traceToJson: the `attnviz run` JSON Lines format (README.md, "Trace format").
#include "engine/api/model_kind.h"
#include "engine/api/json_writer.h"
#include "engine/api/trace.h"

namespace attnviz {

std::string traceToJson(const Trace& trace) {
  JsonWriter w;
  w.beginObject();
  w.key("model");
  w.beginObject();
  w.key("name"); w.string(trace.model.name);
  w.key("kind"); w.string(trace.model.kind);
  w.key("variant"); w.string(trace.model.variant);
  w.endObject();

  w.key("input"); w.string(trace.input);

  w.key("tokens");
  w.beginObject();
  w.key("source"); w.strings(trace.sourceTokens);
  const ModelKind* kind = findModelKind(trace.model.kind);
  if ((kind && takesTarget(*kind)) || !trace.targetTokens.empty()) {
    w.key("target"); w.strings(trace.targetTokens);
  }
  if ((kind && kind->can.sentences) || !trace.sentences.empty()) {
    w.key("sentences");
    w.beginArray();
    for (const auto& sentence : trace.sentences) w.strings(sentence);
    w.endArray();
  }
  w.endObject();

  w.key("prediction");
  w.beginObject();
  const Prediction& p = trace.prediction;
  if (p.label) { w.key("label"); w.string(*p.label); }
  if (!p.probabilities.empty()) {
    w.key("probabilities");
    w.beginObject();
    for (const auto& [label, prob] : p.probabilities) { w.key(label); w.number(prob); }
    w.endObject();
  }
  if (p.multiLabel) { w.key("multi_label"); w.boolean(true); }
  if (!p.scores.empty()) {
    w.key("scores");
    w.beginObject();
    for (const auto& [label, score] : p.scores) { w.key(label); w.number(score); }
    w.endObject();
  }
  if (p.translation) { w.key("translation"); w.string(*p.translation); }
  if (p.forced) { w.key("forced"); w.boolean(true); }
  if (!p.tokenLabels.empty()) {
    w.key("token_labels"); w.strings(p.tokenLabels);
    w.key("token_label_probabilities"); w.numbers(p.tokenLabelProbabilities);
  }
  if (!p.startProbabilities.empty()) {
    w.key("start_probabilities"); w.numbers(p.startProbabilities);
    w.key("end_probabilities"); w.numbers(p.endProbabilities);
  }
  if (p.answer) {
    w.key("answer");
    w.beginObject();
    w.key("start"); w.number(p.answer->start);
    w.key("end"); w.number(p.answer->end);
    w.key("text"); w.string(p.answer->text);
    w.key("score"); w.number(p.answer->score);
    w.endObject();
  }
  if (!p.coreference.empty()) {
    w.key("coreference");
    w.beginArray();
    for (const CoreferenceLink& c : p.coreference) {
      w.beginObject();
      w.key("pronoun"); w.number(c.pronoun);
      w.key("antecedent"); w.number(c.antecedent);
      w.key("pronoun_text"); w.string(c.pronounText);
      w.key("antecedent_text"); w.string(c.antecedentText);
      w.key("score"); w.number(c.score);
      w.key("probabilities");  // the pointer's distribution over tokens.source
      w.numbers(c.probabilities);
      w.endObject();
    }
    w.endArray();
  }
  w.endObject();

  w.key("attention");
  w.beginObject();
  for (const auto& [name, map] : trace.attention) { w.key(name); w.tensor(map); }
  for (const auto& [name, groups] : trace.raggedAttention) {
    w.key(name);
    w.beginArray();
    for (const Tensor& g : groups) w.tensor(g);
    w.endArray();
  }
  w.endObject();

  if (!trace.hypotheses.empty()) {
    w.key("hypotheses");
    w.beginArray();
    for (const Hypothesis& h : trace.hypotheses) {
      w.beginObject();
      w.key("tokens"); w.strings(h.tokens);
      w.key("score"); w.number(h.score);
      w.key("cross"); w.tensor(h.cross);
      w.endObject();
    }
    w.endArray();
  }

  if (trace.headKnockout) {
    const HeadKnockout& k = *trace.headKnockout;
    w.key("head_knockout");
    w.beginObject();
    w.key("mode"); w.string(k.mode);
    w.key("scored"); w.string(k.scored);
    w.key("reference"); w.number(k.reference);
    w.key("drop"); w.tensor(k.drop);
    w.endObject();
  }
  if (trace.edgeKnockout) {
    const EdgeKnockout& k = *trace.edgeKnockout;
    const auto positions = [&w](const std::vector<int>& values) {
      w.beginArray();
      for (const int v : values) w.number(static_cast<std::int64_t>(v));
      w.endArray();
    };
    w.key("edge_knockout");
    w.beginObject();
    w.key("from"); positions(k.from);
    w.key("to"); positions(k.to);
    w.key("window"); w.number(static_cast<std::int64_t>(k.window));
    w.key("scored"); w.string(k.scored);
    w.key("reference"); w.number(k.reference);
    w.key("drop"); w.numbers(k.drop);
    w.endObject();
  }
  if (trace.faithfulness) {
    const Faithfulness& f = *trace.faithfulness;
    const auto doubles = [&w](const std::vector<double>& values) {
      w.beginArray();
      for (const double v : values) w.number(v);
      w.endArray();
    };
    w.key("faithfulness");
    w.beginObject();
    w.key("scored"); w.string(f.scored);
    w.key("reference"); w.number(f.reference);
    w.key("removal"); w.string(f.removal);
    if (!f.maskToken.empty()) { w.key("mask_token"); w.string(f.maskToken); }
    w.key("row"); w.number(static_cast<std::int64_t>(f.row));
    w.key("units");
    w.beginArray();
    for (const int t : f.units) w.number(static_cast<std::int64_t>(t));
    w.endArray();
    w.key("leave_one_out"); w.numbers(f.leaveOneOut);
    w.key("methods");
    w.beginObject();
    for (const RankingFaithfulness& m : f.methods) {
      w.key(m.method);
      w.beginObject();
      w.key("scores"); w.numbers(m.scores);
      w.key("fractions"); doubles(m.fractions);
      w.key("comprehensiveness"); doubles(m.comprehensiveness);
      w.key("sufficiency"); doubles(m.sufficiency);
      w.key("aopc_comprehensiveness"); w.number(m.aopcComprehensiveness);
      w.key("aopc_sufficiency"); w.number(m.aopcSufficiency);
      w.key("kendall_tau"); w.number(m.tau);
      w.endObject();
    }
    w.endObject();
    w.endObject();
  }
  if (trace.occlusion) {
    const Occlusion& o = *trace.occlusion;
    w.key("occlusion");
    w.beginObject();
    w.key("label"); w.string(o.label);
    w.key("word");
    w.beginArray();
    for (const auto& row : o.word) {
      w.beginArray();
      for (float x : row) w.number(x);
      w.endArray();
    }
    w.endArray();
    w.key("sentence");
    w.beginArray();
    for (float x : o.sentence) w.number(x);
    w.endArray();
    w.endObject();
    w.key("kendall_tau");
    w.beginObject();
    w.key("word"); w.number(o.kendallTauWord);
    w.key("sentence"); w.number(o.kendallTauSentence);
    w.endObject();
  }

  for (const auto& [name, tensor] : trace.outputs) { w.key(name); w.tensor(tensor); }

  if (!trace.warnings.empty()) { w.key("warnings"); w.strings(trace.warnings); }

  w.key("timing_ms");
  w.beginObject();
  w.key("inference"); w.number(trace.inferenceMs);
  w.endObject();
  w.key("threads"); w.number(static_cast<std::int64_t>(trace.threads));
  w.key("product_flops"); w.number(trace.productFlops);
  w.endObject();
  return w.str();
}

}  // namespace attnviz
