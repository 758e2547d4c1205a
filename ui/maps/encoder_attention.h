// encoder_attention: an encoder trace's self-attention as the encoder panels (arcs, all heads, head entropy, the
// maps of one trace) read it, and the two reductions they share: grouping wordpieces into words (and leaving out
// [CLS]/[SEP]) and the mean row entropy of every head. An EncoderAttention copies no attention: it views the
// trace's own [L, H, N, N] tensor (a Tensor copy shares storage and keeps it alive), so the four panels that read
// one trace hold one 151 MB BERT-base map at 512 tokens between them, not four.
//
//   EncoderAttention a = EncoderAttention::fromTrace(*trace);     // empty when the trace has no "self"
//   const float* m = a.map(layer, head);                          // [N, N], rows = query, columns = key
//   std::vector<TokenGroup> g = groupTokens(a.tokens, {.mergeWordpieces = true, .hideSpecial = true});
//   std::vector<float> w = mergeMap(m, a.n, g);                   // [g.size(), g.size()]
//   std::vector<double> e = headEntropies(a);                     // [layers * heads], bits
//
// Merging wordpieces (a piece starting with "##" continues the word before it): attention FROM a word is the
// mean of its pieces' rows (each piece is one query; the mean keeps a row summing to 1), attention TO a word is
// the sum over its pieces as keys (the word receives what all its pieces receive). So a merged row still sums to
// 1 over all words. Hiding special tokens drops their rows and columns without renormalising: the weights stay
// the model's, and what a row lacks of 1 went to [CLS]/[SEP].
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

#include "engine/api/model.h"
#include "engine/api/trace.h"

namespace attnviz::ui {

struct EncoderAttention {
  QStringList tokens;       // tokens.source, special tokens included
  int layers = 0;
  int heads = 0;
  int n = 0;                // tokens
  attnviz::Tensor self;     // [layers, heads, n, n]: the trace's attention.self itself (shared storage, no copy)

  bool empty() const { return layers <= 0 || heads <= 0 || n <= 0; }
  // [n, n] of one head, inside self; valid while this EncoderAttention (or the trace) lives.
  const float* map(int layer, int head) const {
    return self.data() + (static_cast<std::size_t>(layer) * heads + head) * static_cast<std::size_t>(n) * n;
  }
  static EncoderAttention fromTrace(const attnviz::Trace& trace);
};

// One shown unit: a token, or a word made of consecutive wordpieces.
struct TokenGroup {
  QString text;             // "playing" for "play ##ing"
  std::vector<int> tokens;  // trace token indices, ascending; tokens.front() stands for the group in the Selection
};

struct GroupOptions {
  bool mergeWordpieces = false;
  bool hideSpecial = false;  // leave out [CLS], [SEP] (and [PAD])
};

// [CLS], [SEP], [PAD]: the frame around the text ([UNK] stands for a word and stays).
bool isFrameToken(const QString& token);
std::vector<TokenGroup> groupTokens(const QStringList& tokens, const GroupOptions& options);
// map: [n, n] row-major; returns [groups, groups]: row = mean over the group's query rows, column = sum over
// the group's key columns.
std::vector<float> mergeMap(const float* map, int n, const std::vector<TokenGroup>& groups);
// Index of the group holding trace token `token`, -1 if none (hidden).
int groupOf(const std::vector<TokenGroup>& groups, int token);

// Mean over query rows of -sum_j p_ij log2 p_ij, per head: [layers * heads], layer-major.
std::vector<double> headEntropies(const EncoderAttention& attention);

// A (layer, head) pair, 0-based as PyTorch indexes them; invalid when either is negative.
struct LayerHead {
  int layer = -1;
  int head = -1;
  bool valid() const { return layer >= 0 && head >= 0; }
};
// The model's coreference head (ModelInfo::coreferenceHead, config.json "coreference_head"), if any.
LayerHead coreferenceHeadOf(const attnviz::ModelInfo& info);

}  // namespace attnviz::ui
