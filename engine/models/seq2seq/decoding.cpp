#include "engine/models/seq2seq/decoding.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "engine/core/error.h"

namespace attnviz::seq2seq {

namespace {

// Index of the first largest value (torch.argmax's choice on ties).
std::int64_t argmax(const float* values, std::int64_t n) {
  return std::max_element(values, values + n) - values;
}

// Rows [T][n] stacked into a [T, n] tensor.
Tensor stack(const std::vector<float>& rows, std::int64_t n) {
  return Tensor({static_cast<std::int64_t>(rows.size()) / n, n}, rows);
}

// Row b of x: [B, n] appended to out.
void appendRow(std::vector<float>& out, const Tensor& x, std::int64_t b) {
  const std::int64_t n = x.dim(1);
  out.insert(out.end(), x.data() + b * n, x.data() + (b + 1) * n);
}

// Rows `parents` of x: [B, n] -> [parents.size(), n]
Tensor gatherRows(const Tensor& x, const std::vector<std::int64_t>& parents) {
  const std::int64_t n = x.dim(1);
  Tensor out({static_cast<std::int64_t>(parents.size()), n});
  for (std::size_t r = 0; r < parents.size(); ++r)
    std::copy_n(x.data() + parents[r] * n, n, out.data() + static_cast<std::int64_t>(r) * n);
  return out;
}

struct Hypothesis {
  std::vector<std::int64_t> ids;
  std::vector<float> attention;  // [T][S], row-major
  double logProbability = 0.0;
};

struct Proposal {
  double logProbability;  // of the extended hypothesis
  std::int64_t parent;    // live hypothesis index
  std::int64_t id;        // next token
};

Decoded toDecoded(Hypothesis h, std::int64_t attentionWidth, bool finished) {
  Decoded d;
  if (attentionWidth > 0) d.attention = stack(h.attention, attentionWidth);
  d.ids = std::move(h.ids);
  d.finished = finished;
  d.logProbability = h.logProbability;
  d.score = static_cast<float>(h.logProbability / static_cast<double>(std::max<std::size_t>(d.ids.size(), 1)));
  return d;
}

}  // namespace

RnnSteps::RnnSteps(const Network& net, const Encoded& encoded)
    : net_(net), encoded_(encoded), state_(net.start(encoded, 1)) {}

Tensor RnnSteps::step(std::span<const std::int64_t> previous, Tensor& attention) {
  last_ = net_.step(encoded_, state_, previous);
  attention = last_.weights;
  return net_.logits(last_.attentional);
}

void RnnSteps::keep(std::span<const std::int64_t> parents) {
  const std::vector<std::int64_t> rows(parents.begin(), parents.end());
  state_ = {gatherRows(last_.state, rows), gatherRows(last_.attentional, rows)};
}

Decoded greedy(StepDecoder& decoder, std::int64_t maxLength) {
  const std::int64_t vocab = decoder.vocabSize(), eos = decoder.eosId(), width = decoder.attentionWidth();
  std::int64_t previous = decoder.startId();
  std::vector<float> attention, logits;
  Decoded out;
  const std::int64_t first = 0;
  for (std::int64_t t = 0; t < maxLength; ++t) {
    Tensor weights;
    const Tensor l = decoder.step(std::span<const std::int64_t>(&previous, 1), weights);  // [1, V]
    previous = argmax(l.data(), vocab);
    out.ids.push_back(previous);
    if (width > 0) appendRow(attention, weights, 0);
    appendRow(logits, l, 0);
    if (previous == eos) {
      out.finished = true;
      break;
    }
    decoder.keep(std::span<const std::int64_t>(&first, 1));
  }
  if (width > 0) out.attention = stack(attention, width);
  out.logits = stack(logits, vocab);
  return out;
}

Decoded greedy(const Network& net, const Encoded& encoded, std::int64_t maxLength) {
  RnnSteps steps(net, encoded);
  return greedy(steps, maxLength);
}

Decoded forced(const Network& net, const Encoded& encoded, std::span<const std::int64_t> targetIds) {
  const std::int64_t s = encoded.sourceLength(), d = net.config().decoderHidden;
  const auto steps = static_cast<std::int64_t>(targetIds.size());
  if (steps < 1 || targetIds.back() != net.config().eosId)
    throw InternalError("seq2seq::forced", "the target must end with <eos>");
  DecoderState state = net.start(encoded, 1);
  std::vector<float> attention, attentionals;  // [T][S], [T][D]
  for (std::int64_t t = 0; t < steps; ++t) {
    const std::int64_t previous = t == 0 ? net.config().sosId : targetIds[static_cast<std::size_t>(t - 1)];
    const StepResult r = net.step(encoded, state, std::span<const std::int64_t>(&previous, 1));
    appendRow(attention, r.weights, 0);
    appendRow(attentionals, r.attentional, 0);
    state = r.next();
  }
  Decoded out;
  out.ids.assign(targetIds.begin(), targetIds.end());
  out.attention = stack(attention, s);
  out.logits = net.logits(stack(attentionals, d));  // one [T, D] x [D, V] product, as model.py forward
  out.finished = true;
  return out;
}

std::vector<Decoded> beamSearch(StepDecoder& decoder, int width, std::int64_t maxLength) {
  if (width < 1) throw InternalError("seq2seq::beamSearch", "width must be at least 1, got " + std::to_string(width));
  const std::int64_t vocab = decoder.vocabSize(), eos = decoder.eosId(), attentionWidth = decoder.attentionWidth();
  const auto keep = static_cast<std::size_t>(width);
  const auto perParent = std::min<std::int64_t>(width + 1, vocab);  // enough for `width` non-<eos> proposals

  std::vector<Hypothesis> live(1), finished;
  std::vector<std::int64_t> previous{decoder.startId()};
  std::vector<std::int64_t> order(static_cast<std::size_t>(vocab));
  for (std::int64_t t = 0; t < maxLength && !live.empty() && finished.size() < keep; ++t) {
    Tensor weights;
    const Tensor logits = decoder.step(previous, weights);  // [B, V]

    std::vector<Proposal> proposals;
    for (std::size_t b = 0; b < live.size(); ++b) {
      const float* row = logits.data() + static_cast<std::int64_t>(b) * vocab;
      const double top = *std::max_element(row, row + vocab);
      double sum = 0.0;
      for (std::int64_t v = 0; v < vocab; ++v) sum += std::exp(static_cast<double>(row[v]) - top);
      const double logSum = top + std::log(sum);  // log-softmax(v) = row[v] - logSum
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + perParent, order.end(),
                        [&](std::int64_t a, std::int64_t c) { return row[a] > row[c] || (row[a] == row[c] && a < c); });
      for (std::int64_t k = 0; k < perParent; ++k) {
        const std::int64_t id = order[static_cast<std::size_t>(k)];
        proposals.push_back({live[b].logProbability + (static_cast<double>(row[id]) - logSum),
                             static_cast<std::int64_t>(b), id});
      }
    }
    std::stable_sort(proposals.begin(), proposals.end(),
                     [](const Proposal& a, const Proposal& c) { return a.logProbability > c.logProbability; });

    std::vector<Hypothesis> next;
    std::vector<std::int64_t> parents;
    previous.clear();
    for (std::size_t rank = 0; rank < proposals.size() && next.size() < keep; ++rank) {
      const Proposal& p = proposals[rank];
      if (p.id == eos && rank >= keep) continue;
      Hypothesis h = live[static_cast<std::size_t>(p.parent)];
      h.ids.push_back(p.id);
      if (attentionWidth > 0) appendRow(h.attention, weights, p.parent);
      h.logProbability = p.logProbability;
      if (p.id == eos) {
        finished.push_back(std::move(h));
      } else {
        next.push_back(std::move(h));
        parents.push_back(p.parent);
        previous.push_back(p.id);
      }
    }
    live = std::move(next);
    if (!live.empty()) decoder.keep(parents);
  }

  std::vector<Decoded> out;
  for (auto& h : finished) out.push_back(toDecoded(std::move(h), attentionWidth, true));
  for (auto& h : live)
    if (out.size() < keep) out.push_back(toDecoded(std::move(h), attentionWidth, false));
  std::stable_sort(out.begin(), out.end(), [](const Decoded& a, const Decoded& b) { return a.score > b.score; });
  if (out.size() > keep) out.resize(keep);
  return out;
}

std::vector<Decoded> beamSearch(const Network& net, const Encoded& encoded, int width, std::int64_t maxLength) {
  RnnSteps steps(net, encoded);
  return beamSearch(steps, width, maxLength);
}

}  // namespace attnviz::seq2seq
