"""Float64 numpy reference of three attention "contribution" methods, for attnviz's C++ engine to match
(tests/data/make_contributions_golden.py writes the golden fixtures from it).

Sources (read, not copied):
  - Kobayashi, Kuribayashi, Yokoi, Inui 2020, "Attention is Not Only a Weight: Analyzing Transformers with Vector
    Norms" (EMNLP), and their code gorokoba560/norm-analysis-of-transformer
    (transformers/src/transformers/modeling_bert.py, the "weighted_norm" output).
  - Ferrando, Gallego, Costa-jussa 2022, "Measuring the Mixing of Contextual Information in the Transformer"
    (ALTI, EMNLP), and their code mt-upc/transformer-contributions: src/contributions.py at commit
    d0f1468c99d0359054f0168b4346652b574c29dc (ModelWrapper.get_contributions) and src/utils_contributions.py
    (normalize_contributions with scaling="min_sum" and resultant_norm = the L1 norm of the resultants;
    compute_joint_attention).

Conventions (one layer; N tokens, D = hidden, H heads of d = D / H; head h owns columns h*d .. h*d+d-1):
  x        [N, D]  the residual stream entering the layer
  values   [N, D]  x W_V^T + b_V (post-LN, BERT) or LN_before(x) W_V^T + b_V (pre-LN, ViT)
  probs    [H, N, N]  softmax over keys (row = query i, column = key j)
  W_O      [D, D]  attention.output.dense.weight, torch Linear layout [out, in]; b_O [D]
  F[h, j]  = values[j, head h] @ W_O[:, head h]^T   [H, N, D]   (b_V included via values, b_O excluded)
  value_norm[h, i, j] = probs[h, i, j] * ||F[h, j]||_2 (raw, not normalised); value_norm_sum = sum over heads
  ALTI:
    S[i, j] = sum_h probs[h, i, j] F[h, j] + (i == j) x_i   [N, N, D]
    post-LN (BERT): L(v) = gamma1 * (v - mean(v)); sigma_i = std(pre_ln1[i]) (population, no eps);
                    T[i, j] = L(S[i, j]) / sigma_i; y_i = (sum_j L(S[i, j]) + L(b_O)) / sigma_i + beta1 (= ln1_out)
    pre-LN (ViT):   T[i, j] = S[i, j];               y_i = sum_j S[i, j] + b_O             (= attn_residual_out)
    importance[i, j] = -sum_k |T[i, j, k] - y_i[k] + 1e-6|   (torch pairwise_distance, p=1, eps=1e-6)
    c[i, j] = max(0, importance[i, j] + ||y_i||_1);  alti[i, j] = c[i, j] / sum_k c[i, k]
  alti_rollout = C^{L-1} @ ... @ C^1 @ C^0 (no identity added)

    /usr/bin/python3 models/reference/contributions.py --check    # outside oracle + invariants
"""
import argparse
import glob
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from reference.vit import read_safetensors  # noqa: E402  (the reader imports torch; the math here is numpy)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ORACLE = os.path.join(ROOT, "..", "shared", "real-checkpoints", "bert_seqcls")
GOLDEN_DIR = os.path.join(ROOT, "tests", "data", "contributions-golden")
PAIRWISE_EPS = 1e-6  # torch.nn.functional.pairwise_distance's default eps


# ---------------------------------------------------------------------------------------------------------
# Forward passes (float64)
# ---------------------------------------------------------------------------------------------------------

def load(folder, prefix):
    """config.json and model.safetensors -> (config, name -> float64 array), `prefix` ("bert." / "vit.") stripped."""
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    weights = read_safetensors(os.path.join(folder, "model.safetensors"))
    return config, {(k[len(prefix):] if k.startswith(prefix) else k): v.astype(np.float64) for k, v in weights.items()}


def layer_norm(x, gamma, beta, eps):  # x: [N, D] -> [N, D]
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * gamma + beta


def gelu(x):  # exact erf GELU, elementwise
    return 0.5 * x * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))


def linear(x, w, name):  # x: [N, in], w[name.weight]: [out, in] -> [N, out]
    return x @ w[name + ".weight"].T + w[name + ".bias"]


def self_attention(q_in, v_in, w, prefix, heads, blocked=None):
    """q_in (query/key input), v_in (value input): [N, D] -> probs [H, N, N], values [N, D], context [N, D].
    blocked: None or a boolean [N, N] of attention edges (query i, key j) whose score is set to -inf before the
    softmax in every head (attention knockout, Geva et al. 2023), so the row renormalises over the other keys."""
    n, dim = q_in.shape
    d = dim // heads

    def split(t):  # [N, D] -> [H, N, d]
        return t.reshape(n, heads, d).transpose(1, 0, 2)
    q, k = split(linear(q_in, w, prefix + "query")), split(linear(q_in, w, prefix + "key"))
    values = linear(v_in, w, prefix + "value")  # [N, D]
    scores = q @ k.transpose(0, 2, 1) / math.sqrt(d)  # [H, N, N]
    if blocked is not None:
        scores = np.where(blocked[None, :, :], -np.inf, scores)
    probs = np.exp(scores - scores.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)
    context = (probs @ split(values)).transpose(1, 0, 2).reshape(n, dim)  # [N, D]
    return probs, values, context


def knock_out(context, heads, layer, knocked_out):
    """Zeroes the context columns [N, D] of every (layer, head) of knocked_out that is in this layer (head knockout,
    Michel et al. 2019: the head's output removed before the output projection)."""
    d = context.shape[1] // heads
    context = context.copy()
    for knocked_layer, head in knocked_out:
        if knocked_layer == layer:
            context[:, head * d:(head + 1) * d] = 0.0
    return context


def ffn_weights(w, p):
    """The feed-forward weights of layer prefix p (torch Linear layout): W_1 [I, D], b_1 [I], W_2 [D, I], b_2 [D]."""
    return dict(W_1=w[p + "intermediate.dense.weight"], b_1=w[p + "intermediate.dense.bias"],
                W_2=w[p + "output.dense.weight"], b_2=w[p + "output.dense.bias"])


def blocked_mask(n, layer, blocked_edges):
    """(layer, i, j) triples -> the boolean [N, N] of this layer's blocked edges, or None when it has none."""
    mask = np.zeros((n, n), dtype=bool)
    for edge_layer, i, j in blocked_edges:
        if edge_layer == layer:
            mask[i, j] = True
    return mask if mask.any() else None


def bert_forward(model, ids, types, knocked_out=(), blocked_edges=()):
    """Post-LN BERT encoder. model = load(folder, "bert."); ids, types: [N] ints; knocked_out: (layer, head) pairs
    whose output is zeroed; blocked_edges: (layer, i, j) attention edges blocked in every head of that layer.
    -> (per-layer records, final hidden [N, D])."""
    config, w = model
    eps, heads = config.get("layer_norm_eps", 1e-12), config["num_attention_heads"]
    ids, types = np.asarray(ids), np.asarray(types)
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:len(ids)]
         + w["embeddings.token_type_embeddings.weight"][types])
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    layers = []
    for index in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{index}."
        probs, values, context = self_attention(x, x, w, p + "attention.self.", heads,
                                                blocked_mask(len(x), index, blocked_edges))
        context = knock_out(context, heads, index, knocked_out)
        pre_ln1 = linear(context, w, p + "attention.output.dense") + x  # [N, D]
        gamma1, beta1 = w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]
        ln1_out = layer_norm(pre_ln1, gamma1, beta1, eps)
        h = gelu(linear(ln1_out, w, p + "intermediate.dense"))  # [N, I]
        ffn_out = linear(h, w, p + "output.dense")  # [N, D]
        gamma2, beta2 = w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
        out = layer_norm(ffn_out + ln1_out, gamma2, beta2, eps)
        layers.append(dict(x=x, values=values, probs=probs, pre_ln1=pre_ln1, ln1_out=ln1_out,
                           W_O=w[p + "attention.output.dense.weight"], b_O=w[p + "attention.output.dense.bias"],
                           gamma1=gamma1, beta1=beta1, eps=eps,
                           # for globenc.py and value_zeroing.py (keys added; the ones above are unchanged)
                           ffn_out=ffn_out, pre_ln2=ffn_out + ln1_out, gamma2=gamma2, beta2=beta2, out=out,
                           ffn=ffn_weights(w, p), index=index, knocked_out=tuple(knocked_out)))
        x = out
    return layers, x


def bert_logits(model, hidden):  # hidden [N, D] -> [labels]: classifier(tanh(pooler.dense(hidden[0])))
    w = model[1]
    return linear(np.tanh(linear(hidden[:1], w, "pooler.dense")), w, "classifier")[0]


def vit_embed(config, w, pixels):  # pixels [C, H, W] -> [1 + P, D]: [CLS], then patches row-major
    p = config["patch_size"]
    c, height, width = pixels.shape
    rows, cols = height // p, width // p
    patches = pixels[:, :rows * p, :cols * p].reshape(c, rows, p, cols, p).transpose(1, 3, 0, 2, 4)
    kernel = w["embeddings.patch_embeddings.projection.weight"]  # [D, C, p, p]
    tokens = patches.reshape(rows * cols, -1) @ kernel.reshape(kernel.shape[0], -1).T
    tokens += w["embeddings.patch_embeddings.projection.bias"]
    x = np.concatenate([w["embeddings.cls_token"][0], tokens], axis=0)
    return x + w["embeddings.position_embeddings"][0]


def vit_forward(model, pixels, knocked_out=(), dropped=(), blocked_edges=()):
    """Pre-LN ViT (HF ViTModel). model = load(folder, "vit."); pixels [C, H, W] at the model's size; dropped: token
    positions left out after the position embeddings are added (faithfulness's deletion); blocked_edges as
    bert_forward's.
    -> (per-layer records, hidden [N, D] after vit.layernorm, class probabilities or None)."""
    config, w = model
    eps, heads = config.get("layer_norm_eps", 1e-12), config["num_attention_heads"]
    x = vit_embed(config, w, np.asarray(pixels, dtype=np.float64))
    if len(dropped):
        x = np.delete(x, list(dropped), axis=0)
    layers = []
    for index in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{index}."
        gamma1, beta1 = w[p + "layernorm_before.weight"], w[p + "layernorm_before.bias"]
        ln1_out = layer_norm(x, gamma1, beta1, eps)  # the value projection's input
        probs, values, context = self_attention(ln1_out, ln1_out, w, p + "attention.attention.", heads,
                                                blocked_mask(len(x), index, blocked_edges))
        context = knock_out(context, heads, index, knocked_out)
        attn_residual_out = x + linear(context, w, p + "attention.output.dense")  # layernorm_after's input
        gamma2, beta2 = w[p + "layernorm_after.weight"], w[p + "layernorm_after.bias"]
        h = gelu(linear(layer_norm(attn_residual_out, gamma2, beta2, eps), w, p + "intermediate.dense"))
        ffn_out = linear(h, w, p + "output.dense")  # [N, D]
        layers.append(dict(x=x, values=values, probs=probs, ln1_out=ln1_out, attn_residual_out=attn_residual_out,
                           W_O=w[p + "attention.output.dense.weight"], b_O=w[p + "attention.output.dense.bias"],
                           gamma1=gamma1, beta1=beta1, eps=eps,
                           # for globenc.py and value_zeroing.py (keys added; the ones above are unchanged)
                           ffn_out=ffn_out, gamma2=gamma2, beta2=beta2, out=attn_residual_out + ffn_out,
                           ffn=ffn_weights(w, p), index=index, knocked_out=tuple(knocked_out)))
        x = attn_residual_out + ffn_out
    hidden = layer_norm(x, w["layernorm.weight"], w["layernorm.bias"], eps)
    probabilities = None
    if "classifier.weight" in w:
        logits = linear(hidden[:1], w, "classifier")[0]
        probabilities = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    return layers, hidden, probabilities


# ---------------------------------------------------------------------------------------------------------
# Contributions
# ---------------------------------------------------------------------------------------------------------

def head_vectors(layer):
    """F [H, N, D]: F[h, j] = values[j, head h columns] @ W_O[:, head h columns]^T (b_O excluded)."""
    heads = layer["probs"].shape[0]
    n, dim = layer["values"].shape
    d = dim // heads
    v = layer["values"].reshape(n, heads, d).transpose(1, 0, 2)  # [H, N, d]
    w_o = layer["W_O"].reshape(dim, heads, d).transpose(1, 2, 0)  # [H, d, D]: W_O[:, head h]^T
    return v @ w_o


def value_norm(layer):  # -> [H, N, N]: probs[h, i, j] * ||F[h, j]||_2
    return layer["probs"] * np.linalg.norm(head_vectors(layer), axis=-1)[:, None, :]


def value_norm_sum(layer):  # -> [N, N]
    return value_norm(layer).sum(0)


def alti(layer, post_ln):
    """ALTI contributions of one layer -> [N, N], rows sum to 1. post_ln: BERT (True) or ViT (False)."""
    x = layer["x"]  # [N, D]
    n = x.shape[0]
    s = np.einsum("hij,hjd->ijd", layer["probs"], head_vectors(layer))  # [N, N, D]
    s[np.arange(n), np.arange(n)] += x
    if post_ln:
        def l_transform(v):  # centre, then scale by gamma1; over the last axis
            return (v - v.mean(-1, keepdims=True)) * layer["gamma1"]
        sigma = layer["pre_ln1"].std(-1)  # [N], ddof 0, no eps
        t = l_transform(s) / sigma[:, None, None]  # [N, N, D]
        y = (l_transform(s).sum(1) + l_transform(layer["b_O"])) / sigma[:, None] + layer["beta1"]  # [N, D]
        expected = layer["ln1_out"]
        # LayerNorm divides by sqrt(var + eps), y by sqrt(var): allow for that gap.
        tol = 1e-9 * (1 + np.abs(expected).max()) + np.abs(y - layer["beta1"]).max() * layer["eps"] / sigma.min() ** 2
    else:
        t = s
        y = s.sum(1) + layer["b_O"]
        expected = layer["attn_residual_out"]
        tol = 1e-9 * (1 + np.abs(expected).max())
    gap = np.abs(y - expected).max()
    assert gap <= tol, f"resultant differs from the layer's output by {gap:.3e} (> {tol:.3e})"
    importance = -np.abs(t - y[:, None, :] + PAIRWISE_EPS).sum(-1)  # [N, N]
    c = np.maximum(0.0, importance + np.abs(y).sum(-1)[:, None])
    return c / c.sum(-1, keepdims=True)


def rollout(mats):  # [L, N, N] -> [N, N] = M^{L-1} @ ... @ M^0: no identity added, no normalisation
    joint = mats[0]
    for m in mats[1:]:
        joint = m @ joint
    return joint


def case_arrays(layers, post_ln):
    """Per-layer records -> the golden arrays of one case (value_norm [L, H, N, N], value_norm_sum [L, N, N],
    alti [L, N, N], alti_rollout [N, N], ln1_out [L, N, D], and for pre-LN attn_residual_out [L, N, D])."""
    out = dict(value_norm=np.stack([value_norm(layer) for layer in layers]),
               value_norm_sum=np.stack([value_norm_sum(layer) for layer in layers]),
               alti=np.stack([alti(layer, post_ln) for layer in layers]),
               ln1_out=np.stack([layer["ln1_out"] for layer in layers]))
    out["alti_rollout"] = rollout(out["alti"])
    if not post_ln:
        out["attn_residual_out"] = np.stack([layer["attn_residual_out"] for layer in layers])
    return out


def check_invariants(arrays, name):
    """value_norm >= 0, sums over heads agree, alti >= 0 with rows summing to 1, rollout rows summing to 1."""
    assert (arrays["value_norm"] >= 0).all(), f"{name}: negative value norm"
    assert np.abs(arrays["value_norm"].sum(1) - arrays["value_norm_sum"]).max() < 1e-12, f"{name}: value_norm_sum"
    assert (arrays["alti"] >= 0).all(), f"{name}: negative ALTI"
    rows = np.abs(arrays["alti"].sum(-1) - 1).max()
    roll = np.abs(arrays["alti_rollout"].sum(-1) - 1).max()
    assert rows < 1e-9 and roll < 1e-9, f"{name}: rows sum to 1 within {rows:.1e} (alti), {roll:.1e} (rollout)"
    return max(rows, roll)


# ---------------------------------------------------------------------------------------------------------
# --check
# ---------------------------------------------------------------------------------------------------------

def check_oracle():
    """The BERT forward against transformers' float64 logits for bert_seqcls, and invariants on its cases."""
    model = load(ORACLE, "bert.")
    with open(os.path.join(ORACLE, "_provenance", "tiny_bert_seqcls_logits.json"), encoding="utf-8") as f:
        oracle = json.load(f)
    worst = 0.0
    for k, (ids, types, logits) in enumerate(zip(oracle["sequences"], oracle["token_types"], oracle["logits"])):
        layers, hidden = bert_forward(model, ids, types)
        worst = max(worst, np.abs(bert_logits(model, hidden) - np.array(logits)).max())
        check_invariants(case_arrays(layers, post_ln=True), f"bert_seqcls case {k}")
    print(f"bert_seqcls logits vs transformers (float64): max |diff| = {worst:.3e}")
    assert worst < 1e-9, "the BERT forward does not match transformers"


def check_golden(folder, pattern, keys, check, what):
    """check(arrays, name) -> worst deviation, on every case of the golden npz files folder/pattern; a case k is
    stored as the arrays KEY_k for KEY in keys. Prints one line a file, ending in `what`."""
    for path in sorted(glob.glob(os.path.join(folder, pattern))):
        z = np.load(path)
        cases = sorted({key.rsplit("_", 1)[1] for key in z.files if key.startswith(keys[-1] + "_")})
        if not cases:
            continue  # another method's file
        worst = 0.0
        for k in cases:
            arrays = {key: z[f"{key}_{k}"] for key in keys}
            worst = max(worst, check(arrays, f"{os.path.basename(path)} case {k}"))
        print(f"{os.path.basename(path)}: {len(cases)} case(s), {what} (within {worst:.1e})")


def check_main(doc, what, check_models, check_golden_files):
    """The command line every reference here has: --check runs check_models() then check_golden_files(folder)."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--check", action="store_true", help=what)
    ap.add_argument("--golden", default=GOLDEN_DIR, help="folder of golden npz files to check")
    args = ap.parse_args()
    if not args.check:
        ap.print_help()
        return
    check_models()
    check_golden_files(args.golden)
    print("check passed")


if __name__ == "__main__":
    check_main(__doc__, "check against transformers' logits and the goldens", check_oracle,
               lambda folder: check_golden(folder, "*.npz", ("value_norm", "value_norm_sum", "alti", "alti_rollout"),
                                           check_invariants, "invariants hold (row sums)"))
