// Token contributions beyond raw attention weights, computed from the attention blocks a run kept
// (RunOptions::keepAttentionBlocks, attention_block.h) and attention.self:
//
//   value_norm   [L, H, N, N]  α^h_ij · ‖f^h(x_j)‖₂, f^h(x) = v^h(x) · W_O[:, head h]^T (value bias in, b_O out);
//                              raw norms (Kobayashi et al. 2020, "Attention is Not Only a Weight")
//   value_norm_sum [L, N, N]   the same summed over heads: ‖α_ij f(x_j)‖ per head, added
//   alti         [L, N, N]     ALTI (Ferrando et al. 2022): the block's output y_i decomposed into one vector
//                              T_i(x_j) per input token (residual and LayerNorm included), contribution
//                              c_ij = max(0, ‖y_i‖₁ − ‖T_i(x_j) − y_i‖₁), rows normalised to sum 1
//   alti_rollout [N, N]        C^{L-1} ⋯ C^1 C^0, no identity added (the residual is inside T_i(x_i))
//   globenc      [L, N, N]     GlobEnc (Modarressi et al. 2022): ‖T2_i(x_j)‖₂, the LN1 decomposition carried through
//                              the second residual and LN2 with the feed-forward block left out; post-LN:
//                              T2 = γ₂ ⊙ center(T_i(x_j)) / σ2_i, σ2_i = sqrt(var(LN2's real input) + eps); pre-LN:
//                              ‖T_i(x_j)‖₂ (LN_after only feeds the FFN). Raw norms, not normalised, as
//                              mohsenfayyaz/GlobEnc (src/modeling/modeling_bert.py, output_globenc) computes them
//   globenc_rollout [N, N]     G^{L-1} ⋯ G^0 of the raw norms (that repository's rollout: no normalising, no identity)
//
// Definitions as mt-upc/transformer-contributions computes them (src/contributions.py ModelWrapper.get_contributions,
// src/utils_contributions.py normalize_contributions 'min_sum' and compute_joint_attention; read, not copied):
//   post-LN: T_i(x_j) = γ₁ ⊙ center(Σ_h α^h_ij f^h(x_j) + [i=j] x_i) / σ_i, σ_i the population std of LN1's input
//            (no eps), y_i = Σ_j T_i(x_j) + γ₁ ⊙ center(b_O)/σ_i + β₁ (= LN1's output);
//   pre-LN:  T_i(x_j) = Σ_h α^h_ij f^h(x_j) + [i=j] x_i, y_i = Σ_j T_i(x_j) + b_O (= the block's residual sum);
//   ‖T − y‖₁ as torch's pairwise_distance computes it: Σ_k |T_k − y_k + 1e-6|.
// The plain reference is models/reference/contributions.py; tests/golden/test_contributions_golden.cpp compares.
//
//   ContributionSet want{.valueNorm = true, .alti = true};
//   Contributions c = tokenContributions(trace.attentionBlocks, trace.attention.at("self"), want);
//   trace.attention["alti"] = c.alti;
#pragma once

#include <string>
#include <vector>

#include "engine/api/attention_block.h"
#include "engine/api/model.h"
#include "engine/core/tensor.h"

namespace attnviz {

struct Contributions {
  Tensor valueNorm;     // [L, H, N, N]
  Tensor valueNormSum;  // [L, N, N]
  Tensor alti;          // [L, N, N]
  Tensor altiRollout;   // [N, N]
  Tensor globenc;       // [L, N, N]
  Tensor globencRollout;  // [N, N]
};

// blocks: one per layer; self: [L, H, N, N] (the run's attention). InternalError on mismatched shapes. Parallel over
// output tokens on the calling thread's OpenMP threads (a run's).
Contributions tokenContributions(const std::vector<AttentionBlockParts>& blocks, const Tensor& self,
                                 const ContributionSet& want);

// The block's output rebuilt from its decomposition, Σ_j T_i(x_j) + the bias term [N, hidden]: LN1's output (post-LN,
// up to LayerNorm's eps) or the residual sum (pre-LN). probs: the layer's attention [H, N, N]. For tests.
Tensor decomposedBlockOutput(const AttentionBlockParts& block, const Tensor& probs);

// Per-layer contribution maps [L, N, N] -> C^{L-1} ⋯ C^0 [N, N].
Tensor contributionRollout(const Tensor& perLayer);

// "value-norm,alti" -> the set; UsageError naming `option` for an unknown name (kContributionMethodNames).
ContributionSet parseContributionMethods(const std::string& list, const std::string& option);
extern const char* const kContributionMethodNames;  // "value-norm, alti, globenc, value-zeroing"

}  // namespace attnviz
