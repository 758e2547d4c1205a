"""Float64 numpy reference of GlobEnc token attribution, for attnviz's C++ engine to match
(tests/data/make_globenc_vz_golden.py writes the golden fixtures from it; the forward passes and head_vectors() are
models/reference/contributions.py's).

Sources (read, not copied):
  - Modarressi, Fayyaz, Yaghoobzadeh, Pilehvar 2022, "GlobEnc: Quantifying Global Token Attribution by Incorporating
    the Whole Encoder Layer in Transformers" (NAACL), and their code mohsenfayyaz/GlobEnc:
      src/modeling/modeling_bert.py @ 0b94b57b867cf7f26fae2dff81bebd5607de31eb: BertNormOutput.forward (Kobayashi et
        al. 2021's attention + residual + LN1 decomposition, "post_ln_layer") and BertLayer.forward (the LN2 step,
        "post_ln2_norm", returned as norms[layer][4] = "N-Enc");
      the same file @ c24fdff071050ff524f9eaea81f4c220564a1ccc (output_globenc: the same per-layer N-Enc, rolled out
        inside BertEncoder.forward with no normalisation; the normalising lines are commented out);
      src/attention_rollout.py @ c8bd603a6acadfc9d2a323f0eabc7d17d5b62878 (and @ 00a74d07): compute_joint_attention;
      src/attention_flow_abstract.py @ 00a74d07acd4a30e86a09df2e6e4a8f3e41e95d3: pre_process returns its input
        unchanged (the normalisation is commented out);
      GlobEnc_Demo.ipynb @ 230b18cdb4031ecdbf33e4677dddc2be2c6d75ea: norms[i][4] for every layer -> AttentionRollout;
        the only normalisation there is a divide-by-row-max of the [CLS] row, for the plot.
  - hmohebbi/context_mixing_toolkit (Mohebbi et al.'s re-implementation): main.py @ 663c5c42 and src/utils.py @
    32a32ab3, where GlobEnc = rollout(normalize(N-Enc), res=False), i.e. rows normalised to sum 1 BEFORE the rollout.
    That differs from the GlobEnc repository; it is written as the extra `globenc_rownorm_rollout` (see below).
  The paper's full text was not available to this search; the definitions below follow the code.

Conventions (one layer; N tokens, D hidden, H heads; record keys of contributions.bert_forward / vit_forward):
  F [H, N, D]  = head_vectors(layer): F[h, j] = values[j, head h] W_O[:, head h]^T  (b_V in, b_O out), as the repo's
               einsum of value_layer with dense.weight viewed [D, H, d]
  S[i, j]      = sum_h probs[h, i, j] F[h, j] + (i == j) x_i            [N, N, D]  (attention + first residual)
  C(v)         = v - mean(v) over the last axis (D);  sigma(p_i) = sqrt(var(p_i) + eps), var population (ddof 0),
               eps = config layer_norm_eps INSIDE the sqrt, as the repo's (var + ln_eps) ** (1 / 2)
  post-LN (BERT):
    T1[i, j]   = gamma1 * C(S[i, j]) / sigma(pre_ln1_i)                 (LN1 as a linear map with LN1's real sigma)
    T2[i, j]   = gamma2 * C(T1[i, j]) / sigma(pre_ln2_i)                (LN2 likewise; pre_ln2 = FFN(ln1_out) + ln1_out,
                                                                          the REAL LN2 input, FFN included in sigma)
    The second residual carries ln1_out = sum_j T1[i, j] + bias, so with the FFN's output (which belongs to no token)
    left out, LN2's input is exactly the T1 decomposition: no extra residual term.  beta1, beta2 and b_O belong to no
    token: they are not in T1/T2 (the repo has no bias term at all).
    globenc[i, j] = ||T2[i, j]||_2                                      (torch.norm over D)
  pre-LN (ViT; no repository implements GlobEnc for pre-LN, this is derived): the layer is
    r = x + Attn(LN_before(x)),  out = r + FFN(LN_after(r)).  LN_before sits inside the value branch (its effect is
    in `values`, as for value-norm and ALTI in contributions.py); LN_after only feeds the FFN, so with the FFN left out
    the layer's output is r and no LayerNorm is on the path:  globenc[i, j] = ||S[i, j]||_2.
  globenc [L, N, N]: the per-layer matrices, NOT normalised (the repository does not normalise: see above).
  globenc_rollout [N, N] = G^{L-1} @ ... @ G^1 @ G^0 over all L layers (no identity added: the residual is already
    in S), the last matrix of compute_joint_attention; rows do not sum to 1.
  globenc_rownorm_rollout [N, N]: the same product of the row-normalised G^l / sum_k G^l[i, k] (the toolkit's
    variant); rows sum to 1.
  No attention mask (no padding), as the forward passes; with padding the repo's output_globenc path zeroes the rows
  of padded query tokens (norms * exp(extended mask)) before its rollout.

Invariants asserted for every layer (within 1e-9, absolute):
  post-LN:  sum_j T1[i, j] + gamma1 * C(b_O) / sigma(pre_ln1_i) + beta1                       = ln1_out_i (exact: the
            same sigma, eps included, as LayerNorm);
            sum_j T2[i, j] + c2_i = gamma2 * C(ln1_out_i) / sigma(pre_ln2_i) + beta2, with
            c2_i = gamma2 * C(gamma1 * C(b_O) / sigma(pre_ln1_i) + beta1) / sigma(pre_ln2_i) + beta2: the decomposition
            plus its bias term is LN2 applied, as the linear map with the real sigma, to LN2's input without the FFN;
            adding gamma2 * C(ffn_out_i) / sigma(pre_ln2_i) gives the layer's real output (= out_i).
  pre-LN:   sum_j S[i, j] + b_O = attn_residual_out_i;  + ffn_out_i = out_i.

    /usr/bin/python3 models/reference/globenc.py --check    # invariants + a PyTorch re-implementation + the goldens
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from reference import contributions as ref  # noqa: E402

INVARIANT_TOL = 1e-9


def centre(v):  # subtract the mean over the last axis
    return v - v.mean(-1, keepdims=True)


def sigma(p, eps):  # p [N, D] -> [N]: sqrt(population variance + eps), LayerNorm's denominator
    return np.sqrt(((p - p.mean(-1, keepdims=True)) ** 2).mean(-1) + eps)


def attention_residual(layer):
    """S [N, N, D]: S[i, j] = sum_h probs[h, i, j] F[h, j] + (i == j) x_i."""
    s = np.einsum("hij,hjd->ijd", layer["probs"], ref.head_vectors(layer))
    n = s.shape[0]
    s[np.arange(n), np.arange(n)] += layer["x"]
    return s


def _assert_close(name, got, expected):
    gap = float(np.abs(got - expected).max())
    assert gap <= INVARIANT_TOL, f"GlobEnc invariant {name}: off by {gap:.3e} (> {INVARIANT_TOL:g})"
    return gap


def decomposition(layer, post_ln):
    """The per-token vectors of one layer -> (T [N, N, D], worst invariant gap). post_ln: BERT (True) / ViT (False).
    Records from a forward without knocked-out heads."""
    s = attention_residual(layer)
    if not post_ln:
        resultant = s.sum(1) + layer["b_O"]
        gaps = [_assert_close("sum_j S + b_O == attn_residual_out", resultant, layer["attn_residual_out"]),
                _assert_close("sum_j S + b_O + ffn_out == out", resultant + layer["ffn_out"], layer["out"])]
        return s, max(gaps)
    eps = layer["eps"]
    sigma1, sigma2 = sigma(layer["pre_ln1"], eps), sigma(layer["pre_ln2"], eps)  # [N] each
    gamma1, gamma2 = layer["gamma1"], layer["gamma2"]
    t1 = gamma1 * centre(s) / sigma1[:, None, None]  # [N, N, D]
    t2 = gamma2 * centre(t1) / sigma2[:, None, None]  # [N, N, D]
    c1 = gamma1 * centre(layer["b_O"])[None, :] / sigma1[:, None] + layer["beta1"]  # [N, D]: LN1's bias term
    c2 = gamma2 * centre(c1) / sigma2[:, None] + layer["beta2"]  # [N, D]: LN2's bias term
    ln2_no_ffn = gamma2 * centre(layer["ln1_out"]) / sigma2[:, None] + layer["beta2"]
    gaps = [_assert_close("sum_j T1 + c1 == ln1_out", t1.sum(1) + c1, layer["ln1_out"]),
            _assert_close("sum_j T2 + c2 == LN2-map(ln1_out)", t2.sum(1) + c2, ln2_no_ffn),
            _assert_close("sum_j T2 + c2 + LN2-map(ffn_out) == out",
                          t2.sum(1) + c2 + gamma2 * centre(layer["ffn_out"]) / sigma2[:, None], layer["out"])]
    return t2, max(gaps)


def globenc_layer(layer, post_ln):  # -> [N, N]: ||T[i, j]||_2, not normalised
    t, _ = decomposition(layer, post_ln)
    return np.linalg.norm(t, axis=-1)


def normalise_rows(m):  # [..., N, N] -> rows divided by their sums (no guard: rows of norms are > 0)
    return m / m.sum(-1, keepdims=True)


def case_arrays(layers, post_ln):
    """Per-layer records -> dict(globenc [L, N, N], globenc_rollout [N, N], globenc_rownorm_rollout [N, N]),
    and the worst invariant gap."""
    per_layer, worst = [], 0.0
    for layer in layers:
        t, gap = decomposition(layer, post_ln)
        per_layer.append(np.linalg.norm(t, axis=-1))
        worst = max(worst, gap)
    g = np.stack(per_layer)
    return dict(globenc=g, globenc_rollout=ref.rollout(g), globenc_rownorm_rollout=ref.rollout(normalise_rows(g))), worst


def check_arrays(arrays, name):
    """Entries >= 0; the rollouts are the products of the per-layer matrices; the row-normalised rollout's rows sum
    to 1. -> worst deviation."""
    g = arrays["globenc"]
    assert (g >= 0).all(), f"{name}: negative GlobEnc"
    a = np.abs(ref.rollout(g) - arrays["globenc_rollout"]).max() / max(1.0, np.abs(arrays["globenc_rollout"]).max())
    b = np.abs(ref.rollout(normalise_rows(g)) - arrays["globenc_rownorm_rollout"]).max()
    c = np.abs(arrays["globenc_rownorm_rollout"].sum(-1) - 1).max()
    assert max(a, b, c) < 1e-12, f"{name}: rollout {a:.1e}, row-normalised rollout {b:.1e}, its row sums {c:.1e}"
    return max(a, b, c)


# ---------------------------------------------------------------------------------------------------------
# --check
# ---------------------------------------------------------------------------------------------------------

def torch_globenc(encoder, hidden_states):
    """GlobEnc recomputed in torch from a TorchEncoder's own intermediates (value rows, probabilities, the real LN
    inputs), written after the structure of the repo's BertNormOutput / BertLayer code: [L, N, N] float64 tensor."""
    import torch
    out = []
    for index, layer in enumerate(encoder.layers):
        with torch.no_grad():
            rec = layer(hidden_states[index])[1]
        n, dim = rec["x"].shape
        heads = layer.heads
        value_layer = rec["value"].view(n, heads, dim // heads).transpose(0, 1)  # [H, N, d]
        dense = layer.dense.weight.detach().view(dim, heads, dim // heads)  # [D, H, d]
        transformed = torch.einsum("hsv,dhv->hsd", value_layer, dense)  # [H, N, D]
        weighted = torch.einsum("hks,hsd->hksd", rec["probs"], transformed)  # [H, N, N, D]
        mixed = weighted.sum(0) + torch.einsum("sk,sd->skd", torch.eye(n, dtype=torch.float64), rec["x"])
        if layer.post_ln:
            for pre, norm in ((rec["pre_ln1"], layer.ln1), (rec["pre_ln2"], layer.ln2)):
                var = pre.var(-1, unbiased=False)[:, None, None]
                mixed = (mixed - mixed.mean(-1, keepdim=True)) / torch.sqrt(var + norm.eps) * norm.weight.detach()
        out.append(mixed.norm(dim=-1))
    return torch.stack(out)


def check_torch(name, encoder, hidden_states, arrays):
    """The numpy arrays against torch_globenc and a torch rollout; asserts 1e-12."""
    g = torch_globenc(encoder, hidden_states)
    joint = g[0]
    for m in g[1:]:
        joint = m @ joint
    d1 = float(np.abs(g.numpy() - arrays["globenc"]).max())
    d2 = float(np.abs(joint.numpy() - arrays["globenc_rollout"]).max() / np.abs(arrays["globenc_rollout"]).max())
    print(f"{name}: GlobEnc vs torch re-implementation: max |diff| {d1:.3e} (per layer), {d2:.3e} (rollout, relative)")
    assert d1 < 1e-12 and d2 < 1e-12, f"{name}: GlobEnc differs from the torch re-implementation"


def check_models():
    from reference import value_zeroing as vz  # the torch encoder lives there
    worst = 0.0
    model = ref.load(ref.ORACLE, "bert.")
    for k, (ids, types, logits) in enumerate(vz.oracle_sequences()):
        layers, hidden = ref.bert_forward(model, ids, types)
        arrays, gap = case_arrays(layers, post_ln=True)
        worst = max(worst, gap)
        check_arrays(arrays, f"bert_seqcls case {k}")
        encoder = vz.TorchEncoder(model, post_ln=True)
        states = encoder.hidden_states(ids=ids, types=types)
        check_torch(f"bert_seqcls case {k}", encoder, states, arrays)
    model = ref.load(vz.VIT_FOLDER, "vit.")
    pixels = vz.vit_pixels()
    layers, _, _ = ref.vit_forward(model, pixels)
    arrays, gap = case_arrays(layers, post_ln=False)
    worst = max(worst, gap)
    check_arrays(arrays, "tiny-hf-vit")
    encoder = vz.TorchEncoder(model, post_ln=False)
    check_torch("tiny-hf-vit", encoder, encoder.hidden_states(pixels=pixels), arrays)
    print(f"decomposition invariants (LN1 output, LN2 map without the FFN, layer output): worst gap {worst:.3e}")


if __name__ == "__main__":
    ref.check_main(__doc__, "invariants, a torch re-implementation, the goldens", check_models,
                   lambda folder: ref.check_golden(folder, "globenc_vz_*.npz",
                                                   ("globenc", "globenc_rownorm_rollout", "globenc_rollout"),
                                                   check_arrays, "GlobEnc arrays consistent"))
