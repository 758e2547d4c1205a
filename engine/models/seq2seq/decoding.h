// Decoding strategies: greedy (model.py Seq2Seq.greedy), forced (teacher forcing of a given target, model.py
// Seq2Seq.forward) and beam search. Greedy and beam search run over any StepDecoder (a decoder fed one token per
// hypothesis per step: the RNN Network through RnnSteps, the transformer through TransformerSteps in
// transformer_decoding.h); the RNN forms below wrap them. All stop at <eos> or after maxLength steps.
//
// Beam score: the sum of the token log-probabilities (log-softmax of the logits, <eos> included) divided by
// the number of tokens (<eos> included): the mean log-probability per token, so longer and shorter hypotheses
// compare fairly. The search keeps `width` live hypotheses; at each step every live hypothesis proposes its
// width + 1 best next tokens, all proposals are ranked by their summed log-probability (ties: earlier
// hypothesis, then lower id), an <eos> proposal ranked within the first `width` finishes its hypothesis, and
// the best `width` other proposals stay live. The search ends when `width` hypotheses have finished, none is
// live, or after maxLength steps (live hypotheses then fill the n-best list unfinished). Width 1 is exactly
// greedy decoding (same tokens, same attention).
//
//   Encoded e = net.encode(sourceIds);
//   Decoded g = greedy(net, e, 2 * S + 10);                       // g.ids end with <eos> when g.finished
//   Decoded f = forced(net, e, targetIds);                        // targetIds end with <eos>
//   std::vector<Decoded> nBest = beamSearch(net, e, 5, 2 * S + 10);   // best first
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/models/seq2seq/seq2seq_network.h"

namespace attnviz::seq2seq {

struct Decoded {
  std::vector<std::int64_t> ids;  // target ids, T of them; the last is <eos> when finished
  Tensor attention;               // [T, S], rows sum to 1
  Tensor logits;                  // [T, target vocab] (greedy and forced; empty for beam hypotheses)
  bool finished = false;          // ended with <eos> (forced: always)
  double logProbability = 0.0;    // beam: sum of the log-probabilities of ids
  float score = 0.0f;             // beam: logProbability / T
};

// One decoder fed a token per live hypothesis per step.
class StepDecoder {
 public:
  virtual ~StepDecoder() = default;
  virtual std::int64_t startId() const = 0;
  virtual std::int64_t eosId() const = 0;
  virtual std::int64_t vocabSize() const = 0;
  // Floats of attention a step gives per hypothesis (the RNN: S; 0 when the decoder gives none).
  virtual std::int64_t attentionWidth() const = 0;
  // previous: B ids (the start id at the first step). -> logits [B, vocab]; attention [B, width] when width > 0.
  virtual Tensor step(std::span<const std::int64_t> previous, Tensor& attention) = 0;
  // The hypotheses continuing, as indices into the last step's batch, in their new order.
  virtual void keep(std::span<const std::int64_t> parents) = 0;
};

// The RNN Network as a StepDecoder.
class RnnSteps final : public StepDecoder {
 public:
  RnnSteps(const Network& net, const Encoded& encoded);
  std::int64_t startId() const override { return net_.config().sosId; }
  std::int64_t eosId() const override { return net_.config().eosId; }
  std::int64_t vocabSize() const override { return net_.config().targetVocabSize; }
  std::int64_t attentionWidth() const override { return encoded_.sourceLength(); }
  Tensor step(std::span<const std::int64_t> previous, Tensor& attention) override;
  void keep(std::span<const std::int64_t> parents) override;

 private:
  const Network& net_;
  const Encoded& encoded_;
  DecoderState state_;
  StepResult last_;
};

// Decoded::attention is [T, attentionWidth] (empty for width 0).
Decoded greedy(StepDecoder& decoder, std::int64_t maxLength);
std::vector<Decoded> beamSearch(StepDecoder& decoder, int width, std::int64_t maxLength);

Decoded greedy(const Network& net, const Encoded& encoded, std::int64_t maxLength);
// targetIds: the target, ending with <eos>, fed back token by token (teacher forcing).
Decoded forced(const Network& net, const Encoded& encoded, std::span<const std::int64_t> targetIds);
// The n-best list (at most width hypotheses), best score first. width >= 1.
std::vector<Decoded> beamSearch(const Network& net, const Encoded& encoded, int width, std::int64_t maxLength);

}  // namespace attnviz::seq2seq
