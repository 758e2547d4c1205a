// TransformerNetwork: the weights of a MarianMT / BART encoder-decoder (transformer_config.h) and its three
// computations, as transformers' modeling_marian.py / modeling_bart.py compute them (post-layer-norm blocks;
// q, k, v, out projections biased; FFN fc2(act(fc1(x))); logits = h . shared^T + final_logits_bias):
//   encode()  the source, once per input;
//   forced()  the decoder over a whole given target prefix at once (teacher forcing; causal self-attention);
//   step()    one decoder token for B hypotheses, keys and values of earlier tokens kept in a DecoderCache.
// forced() and step() share one attention loop (attendRows), so a greedy decoding's logits are forced()'s on the
// ids it chose (tests/golden/test_hf_seq2seq_golden.cpp checks within 1e-5).
//
//   TransformerNetwork net(config, weights, "model.");        // takes every tensor; weights.finish() after
//   TransformerEncoded e = net.encode(sourceIds);             // ids as given (Marian: ... </s>)
//   ForcedPass f = net.forced(e, decoderInputs);              // inputs start with decoder_start_token_id
//   DecoderCache c = net.startCache(1);
//   Tensor logits = net.step(e, c, {config.decoderStartId}); // [1, vocab]
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/models/seq2seq/transformer_config.h"
#include "engine/ops/ops.h"

namespace attnviz {
class WeightSet;
}

namespace attnviz::seq2seq {

struct TransformerEncoded {
  Tensor memory;         // [S, d]: the encoder's last hidden state
  Tensor selfAttention;  // [encoder layers, heads, S, S]
  std::vector<Tensor> crossKv;  // per decoder layer [S, 2d]: k | v projections of memory, computed once
  std::int64_t sourceLength() const { return memory.dim(0); }
};

// The self-attention keys and values of the tokens fed so far, for B hypotheses.
struct DecoderCache {
  std::int64_t length = 0;  // tokens fed per hypothesis
  // keys[layer][hypothesis], values[...]: length * d floats, token-major
  std::vector<std::vector<std::vector<float>>> keys, values;
  std::int64_t batch() const { return keys.empty() ? 0 : static_cast<std::int64_t>(keys.front().size()); }
};

struct ForcedPass {
  Tensor logits;        // [T, vocab]
  Tensor selfAttention; // [decoder layers, heads, T, T], zero above the diagonal
  Tensor cross;         // [decoder layers, heads, T, S]
};

class TransformerNetwork {
 public:
  TransformerNetwork() = default;
  // prefix: "model." (…ForConditionalGeneration / MarianMTModel) or "" (BartModel / MarianModel).
  TransformerNetwork(const TransformerConfig& config, WeightSet& weights, const std::string& prefix);

  TransformerEncoded encode(std::span<const std::int64_t> sourceIds) const;
  // decoderInputs: T ids (the start id, then the target without its last token).
  ForcedPass forced(const TransformerEncoded& encoded, std::span<const std::int64_t> decoderInputs) const;

  DecoderCache startCache(std::int64_t batch) const;
  // previous: B ids at position cache.length; -> logits [B, vocab]. cross, when given, gets the step's
  // cross-attention [B, decoder layers, heads, S].
  Tensor step(const TransformerEncoded& encoded, DecoderCache& cache, std::span<const std::int64_t> previous,
              std::vector<float>* cross = nullptr) const;
  // Keeps hypotheses `parents` (indices into the cache's batch), in that order.
  static void reorder(DecoderCache& cache, std::span<const std::int64_t> parents);

  const TransformerConfig& config() const { return config_; }

 private:
  struct Layer {
    ops::Linear selfQkv;              // [d -> 3d]: q | k | v
    ops::Linear selfOut;              // [d -> d]
    Tensor selfGamma, selfBeta;       // self_attn_layer_norm
    ops::Linear crossQuery;           // decoder layers: [d -> d]
    ops::Linear crossKv;              // decoder layers: [d -> 2d], k | v of the memory
    ops::Linear crossOut;             // decoder layers: [d -> d]
    Tensor crossGamma, crossBeta;     // decoder layers: encoder_attn_layer_norm
    ops::Linear fc1, fc2;             // [d -> ffn], [ffn -> d]
    Tensor finalGamma, finalBeta;     // final_layer_norm
  };
  // Token embeddings (scaled) plus the rows of `positions` (and BART's embedding layer norm): [ids, d].
  Tensor embed(std::span<const std::int64_t> ids, std::span<const std::int64_t> positions, bool decoder) const;
  // x + FFN(x), then final_layer_norm.
  Tensor feedForward(const Layer& layer, const Tensor& x) const;
  Tensor norm(const Tensor& x, const Tensor& gamma, const Tensor& beta) const;

  TransformerConfig config_;
  Tensor shared_;                                      // [vocab, d]
  Tensor encoderPositions_, decoderPositions_;         // [positions (+2 for BART), d]
  Tensor encoderEmbedGamma_, encoderEmbedBeta_, decoderEmbedGamma_, decoderEmbedBeta_;  // BART layernorm_embedding
  std::vector<Layer> encoderLayers_, decoderLayers_;
  ops::Linear lmHead_;                                 // shared [vocab, d] + final_logits_bias [vocab]
};

// The Marian sinusoid table [positions, dim]: row p, column c < dim/2 is sin(p / 10000^(2c/dim)), column
// dim/2 + c the cos (an odd dim leaves the last column 0, as transformers does).
Tensor marianSinusoids(std::int64_t positions, std::int64_t dim);

}  // namespace attnviz::seq2seq
