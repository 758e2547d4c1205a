// Network: the loaded weights of a seq2seq model and its two halves, encode() (once per input) and step()
// (one decoder step for a batch of hypotheses), exactly as models/seq2seq/model.py (Seq2Seq.encode, .step).
// Decoding strategies (greedy, forced, beam) live in decoding.h and only call these.
//
//   attnviz::seq2seq::Network net(config, weights);          // takes every tensor; weights.finish() after
//   Encoded e = net.encode(sourceIds);                       // ids end with <eos>
//   DecoderState s = net.start(e, 1);                        // s_0, o_0 = 0, one hypothesis
//   StepResult r = net.step(e, s, std::vector<std::int64_t>{config.sosId});
//   Tensor logits = net.logits(r.attentional);               // [1, target vocab]
#pragma once

#include <cstdint>
#include <span>

#include "engine/core/tensor.h"
#include "engine/models/seq2seq/attention_scorer.h"
#include "engine/models/seq2seq/gru_cell.h"
#include "engine/models/seq2seq/seq2seq_config.h"
#include "engine/ops/ops.h"

namespace attnviz {
class WeightSet;
}

namespace attnviz::seq2seq {

// One input, encoded.
struct Encoded {
  Tensor annotations;   // [S, 2H]: h_i = [forward_i ; backward_i]
  Tensor keys;          // [S, K]: the scorer's keys, precomputed once
  Tensor initialState;  // [1, D]: s_0 = tanh(W_init [forward_last ; backward_first] + b_init)
  std::int64_t sourceLength() const { return annotations.dim(0); }
};

// The recurrent state of B hypotheses.
struct DecoderState {
  Tensor state;  // [B, D]: s_{t-1}
  Tensor feed;   // [B, D]: o_{t-1} (input feeding, Luong variants; zeros at t = 0; unused by Bahdanau)
};

struct StepResult {
  Tensor attentional;  // [B, D]: o_t = tanh(W_c [c_t ; s_t])
  Tensor state;        // [B, D]: s_t
  Tensor weights;      // [B, S]: attention a_t, rows sum to 1
  DecoderState next() const { return {state, attentional}; }
};

class Network {
 public:
  Network() = default;
  // Takes every tensor of the model from `weights` (PyTorch state-dict names), checked against config.
  Network(const Config& config, WeightSet& weights);

  // sourceIds: S ids, the last one <eos>, S >= 1.
  Encoded encode(std::span<const std::int64_t> sourceIds) const;
  // The state before the first step, repeated for `batch` hypotheses.
  DecoderState start(const Encoded& encoded, std::int64_t batch) const;
  // previous: B ids (y_{t-1}, <sos> at t = 1).
  StepResult step(const Encoded& encoded, const DecoderState& state, std::span<const std::int64_t> previous) const;
  // attentional: [B, D] -> logits [B, target vocab]
  Tensor logits(const Tensor& attentional) const { return output_(attentional); }

  const Config& config() const { return config_; }

 private:
  Config config_;
  Tensor sourceEmbedding_;  // [source vocab, E]
  Tensor targetEmbedding_;  // [target vocab, E]
  ops::Rnn encoder_;        // bidirectional GRU, E -> 2 x H
  ops::Linear initState_;   // [2H -> D]
  GruCell decoder_;         // [E + (2H | D)] -> D
  AttentionScorer attention_;
  ops::Linear combine_;     // W_c: [2H + D -> D], no bias
  ops::Linear output_;      // [D -> target vocab]
};

}  // namespace attnviz::seq2seq
