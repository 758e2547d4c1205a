// coreference_pointer: what the encoder panels say about a coreference model's two heads. The POINTER head
// (prediction.coreference) makes the model's decision: a softmax over the candidate tokens for each pronoun, its
// whole distribution in CoreferenceLink::probabilities. The "coreference head" (config.json coreference_head) is an
// ordinary attention head named in the config; how often its attention lands on the antecedent is in the model card
// ("coreference head" entry of attnviz_card), which the UI quotes instead of implying it decides.
//
//   std::vector<float> p = pointerMap(trace);          // [N, N]: a pronoun's row is its pointer distribution
//   QString note = coreferenceHeadNote(model->info()); // "layer 3, head 4: its attention argmax … 44.5% …"
#pragma once

#include <QString>
#include <vector>

#include "engine/api/model.h"
#include "engine/api/trace.h"

namespace attnviz::ui {

// [N, N] over tokens.source, row-major: row i is the pointer's distribution for pronoun i (sums to 1), every other
// row 0. Empty when the trace has no coreference links with a distribution.
std::vector<float> pointerMap(const attnviz::Trace& trace);

// The coreference head named honestly, 1-based as the UI counts: "layer 3, head 4 (config.json coreference_head):
// <the model card's words on how often its attention finds the antecedent>", or that the card gives no figure.
// Empty when the model has no coreference head.
QString coreferenceHeadNote(const attnviz::ModelInfo& info);

}  // namespace attnviz::ui
