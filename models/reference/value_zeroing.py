"""Float64 numpy reference of Value Zeroing context mixing, for attnviz's C++ engine to match
(tests/data/make_globenc_vz_golden.py writes the golden fixtures from it; the forward passes are
models/reference/contributions.py's).

Sources (read, not copied):
  - Mohebbi, Zuidema, Chrupala, Alishahi 2023, "Quantifying Context Mixing in Transformers" (EACL), and their code
    hmohebbi/ValueZeroing:
      scoring/value_zeroing.py @ 3634c168aa90dac473eb7ad8127bdec28ab7e31e and demo.py @
        aba459686522edf7b7eb3238ecd6f4d4edab1b45 (the layer loop, the distance, the normalisation, the rollout;
        scoring/zeroing/value_zeroing.py @ 6ee216ec804d0c9b1f560c1dd43708d039f5f12d computes the same);
      modeling/customized_modeling_bert.py @ 422e54ae18d1a9528a24cbb1794edae366cc8b33 (BertSelfAttention.forward:
        value_layer[:, :, zero_value_index] = 0 after the value projection, all heads, before probs @ values).
  - hmohebbi/context_mixing_toolkit src/modeling_gpt2.py @ 2c2e27d91bec4d3bc9a357edad264629c85351a4 (the same
    authors' value zeroing for a pre-LN block: the value rows of c_attn(ln_1(x)) zeroed, the distance taken on the
    whole block's output, residual + MLP included): the model for the pre-LN (ViT) branch here.

Conventions (one layer l; N tokens, D hidden, H heads of d = D / H; record keys of contributions.bert_forward /
vit_forward; x = the layer's ORIGINAL input, the previous layer's original output, for every zeroing):
  values    [N, D]  x W_V^T + b_V (BERT) or LN_before(x) W_V^T + b_V (ViT); b_V included
  values^j  = values with row j set to 0 (every head's columns)  -- the repo's zero_value_index = j
  probs     unchanged (queries and keys are not touched)
  post-LN (BERT):  a = (probs @ values^j) W_O^T + b_O;  h = LN1(a + x);  out^j = LN2(FFN(h) + h)
  pre-LN (ViT):    r = x + (probs @ values^j) W_O^T + b_O;  out^j = r + FFN(LN_after(r))  (the whole pre-LN layer,
                   before the model's final layernorm)
  FFN(v) = GELU_erf(v W_1^T + b_1) W_2^T + b_2; LayerNorms with the config eps inside the sqrt, as the model.
  distance[l, i, j] = cosine distance between out_i (the original layer-l output of token i) and out^j_i, as
    sklearn.metrics.pairwise.cosine_distances(...).diagonal() in the repo: each row divided by its L2 norm (a zero
    norm is replaced by 1, sklearn's normalize; no eps), d = clip(1 - <a/|a|, b/|b|>, 0, 2).
  value_zeroing[l, i, j] = distance[l, i, j] / sum_k distance[l, i, k]   (rows sum to 1; no guard, as the repo)
  value_zeroing_rollout = V^{L-1} @ ... @ V^1 @ V^0 over all L layers  (the repo's compute_joint_attention with
    res=False: no identity added, no renormalisation; its last matrix); rows sum to 1.
  Zeroing nothing reproduces out exactly (asserted: distance 0).
  No attention mask (no padding), as the forward passes; the repo passes the usual extended mask to every layer call.

Numerics: these tiny random models mix very little (distances from 0 to ~6e-2, medians down to ~4e-8), so 1 - cos
  cancels: a float32 implementation of 1 - cos is off by up to ~1e-3 after the row normalisation, while the same
  distance written ||a/|a| - b/|b|||^2 / 2 (identical in exact arithmetic; within ~3e-12 of this reference in float64)
  keeps a float32 implementation within ~3e-6.  This reference keeps the repo's 1 - cos form.

    /usr/bin/python3 models/reference/value_zeroing.py --check   # identity + PyTorch hook re-implementation + goldens
"""
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from reference import contributions as ref  # noqa: E402

ROOT = ref.ROOT
VIT_FOLDER = os.path.join(ROOT, "tests", "data", "tiny-hf-vit")
VIT_GOLDEN = os.path.join(ROOT, "tests", "data", "tiny-hf-vit-golden", "rgb-32x32.npz")


def layer_output(layer, values, post_ln):
    """The layer's output [N, D] recomputed from its original input and probabilities with `values` [N, D] (same
    operations, in the same order, as contributions.bert_forward / vit_forward)."""
    probs, x = layer["probs"], layer["x"]
    heads, n, _ = probs.shape
    dim = values.shape[1]
    context = (probs @ values.reshape(n, heads, dim // heads).transpose(1, 0, 2)).transpose(1, 0, 2).reshape(n, dim)
    context = ref.knock_out(context, heads, layer["index"], layer["knocked_out"])
    attention = context @ layer["W_O"].T + layer["b_O"]
    ffn = layer["ffn"]

    def feed_forward(v):
        return ref.gelu(v @ ffn["W_1"].T + ffn["b_1"]) @ ffn["W_2"].T + ffn["b_2"]
    if post_ln:
        h = ref.layer_norm(attention + x, layer["gamma1"], layer["beta1"], layer["eps"])
        return ref.layer_norm(feed_forward(h) + h, layer["gamma2"], layer["beta2"], layer["eps"])
    r = x + attention
    return r + feed_forward(ref.layer_norm(r, layer["gamma2"], layer["beta2"], layer["eps"]))


def cosine_distance_rows(a, b):
    """[N, D], [N, D] -> [N]: clip(1 - <a_i/|a_i|, b_i/|b_i|>, 0, 2), zero norms replaced by 1 (sklearn)."""
    na, nb = np.linalg.norm(a, axis=-1), np.linalg.norm(b, axis=-1)
    na[na == 0.0], nb[nb == 0.0] = 1.0, 1.0
    return np.clip(1.0 - ((a / na[:, None]) * (b / nb[:, None])).sum(-1), 0.0, 2.0)


def distances(layer, post_ln):
    """[N, N]: distance[i, j] between token i's original layer output and its output with token j's values zeroed."""
    values = layer["values"]
    n = values.shape[0]
    out = np.empty((n, n))
    for j in range(n):
        zeroed = values.copy()
        zeroed[j] = 0.0
        out[:, j] = cosine_distance_rows(layer_output(layer, zeroed, post_ln), layer["out"])
    return out


def identity_gap(layer, post_ln):
    """Zeroing nothing: max |recomputed - out| and the largest distance (both must be ~0)."""
    again = layer_output(layer, layer["values"], post_ln)
    return float(np.abs(again - layer["out"]).max()), float(cosine_distance_rows(again, layer["out"]).max())


def case_arrays(layers, post_ln):
    """Per-layer records -> (dict(value_zeroing [L, N, N], value_zeroing_rollout [N, N]), raw distances [L, N, N]).
    Asserts that zeroing nothing reproduces every layer's output."""
    for layer in layers:
        gap, dist = identity_gap(layer, post_ln)
        assert gap < 1e-12 and dist < 1e-12, f"zeroing nothing: output off by {gap:.1e}, distance {dist:.1e}"
    raw = np.stack([distances(layer, post_ln) for layer in layers])
    vz = raw / raw.sum(-1, keepdims=True)
    return dict(value_zeroing=vz, value_zeroing_rollout=ref.rollout(vz)), raw


def check_arrays(arrays, name):
    """Entries >= 0, rows summing to 1, the rollout the product of the layers. -> worst deviation."""
    vz, roll = arrays["value_zeroing"], arrays["value_zeroing_rollout"]
    assert (vz >= 0).all(), f"{name}: negative value zeroing score"
    rows = max(np.abs(vz.sum(-1) - 1).max(), np.abs(roll.sum(-1) - 1).max())
    prod = np.abs(ref.rollout(vz) - roll).max()
    assert rows < 1e-12 and prod < 1e-12, f"{name}: row sums within {rows:.1e}, rollout within {prod:.1e}"
    return max(rows, prod)


# ---------------------------------------------------------------------------------------------------------
# An independent PyTorch encoder (float64) with a forward hook that zeroes value rows: the --check oracle
# ---------------------------------------------------------------------------------------------------------

def _torch_modules():
    import torch
    from torch import nn
    from torch.nn import functional as fn

    def linear(w, name):
        weight = torch.from_numpy(w[name + ".weight"])
        m = nn.Linear(weight.shape[1], weight.shape[0], dtype=torch.float64)
        with torch.no_grad():
            m.weight.copy_(weight)
            m.bias.copy_(torch.from_numpy(w[name + ".bias"]))
        return m

    def layer_norm(w, name, eps):
        m = nn.LayerNorm(w[name + ".weight"].shape[0], eps=eps, dtype=torch.float64)
        with torch.no_grad():
            m.weight.copy_(torch.from_numpy(w[name + ".weight"]))
            m.bias.copy_(torch.from_numpy(w[name + ".bias"]))
        return m

    class TorchLayer(nn.Module):
        """One HF BERT (post-LN) or ViT (pre-LN) layer; forward(x [N, D]) -> (output, intermediates)."""

        def __init__(self, w, p, heads, eps, post_ln):
            super().__init__()
            self.heads, self.post_ln = heads, post_ln
            a = p + ("attention.self." if post_ln else "attention.attention.")
            self.query, self.key, self.value = (linear(w, a + n) for n in ("query", "key", "value"))
            self.dense = linear(w, p + "attention.output.dense")
            self.intermediate, self.output = linear(w, p + "intermediate.dense"), linear(w, p + "output.dense")
            if post_ln:
                self.ln1 = layer_norm(w, p + "attention.output.LayerNorm", eps)
                self.ln2 = layer_norm(w, p + "output.LayerNorm", eps)
            else:
                self.ln_before = layer_norm(w, p + "layernorm_before", eps)
                self.ln_after = layer_norm(w, p + "layernorm_after", eps)

        def forward(self, x):
            n, dim = x.shape
            d = dim // self.heads
            a_in = x if self.post_ln else self.ln_before(x)
            q, k = (t.view(n, self.heads, d).transpose(0, 1) for t in (self.query(a_in), self.key(a_in)))
            v = self.value(a_in)  # a forward hook on self.value may replace this
            probs = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(d), dim=-1)
            context = (probs @ v.view(n, self.heads, d).transpose(0, 1)).transpose(0, 1).reshape(n, dim)
            attention = self.dense(context)
            rec = dict(x=x, value=v, probs=probs)
            if self.post_ln:
                rec["pre_ln1"] = attention + x
                h = self.ln1(rec["pre_ln1"])
                rec["pre_ln2"] = self.output(fn.gelu(self.intermediate(h))) + h
                out = self.ln2(rec["pre_ln2"])
            else:
                r = x + attention
                out = r + self.output(fn.gelu(self.intermediate(self.ln_after(r))))
            return out, rec

    return torch, nn, fn, TorchLayer, linear, layer_norm


class TorchEncoder:
    """A float64 torch re-implementation of HF BertModel / ViTModel from a contributions.load() model."""

    def __init__(self, model, post_ln):
        torch, nn, _, torch_layer, self._linear, self._layer_norm = _torch_modules()
        self.torch, self.config, self.w, self.post_ln = torch, model[0], model[1], post_ln
        eps, heads = self.config.get("layer_norm_eps", 1e-12), self.config["num_attention_heads"]
        self.eps = eps
        self.layers = [torch_layer(self.w, f"encoder.layer.{i}.", heads, eps, post_ln)
                       for i in range(self.config["num_hidden_layers"])]

    def embed(self, ids=None, types=None, pixels=None):
        torch, w = self.torch, self.w
        if self.post_ln:
            ids, types = torch.tensor(ids), torch.tensor(types)
            x = (torch.from_numpy(w["embeddings.word_embeddings.weight"])[ids]
                 + torch.from_numpy(w["embeddings.position_embeddings.weight"])[:len(ids)]
                 + torch.from_numpy(w["embeddings.token_type_embeddings.weight"])[types])
            return self._layer_norm(w, "embeddings.LayerNorm", self.eps)(x)
        kernel = torch.from_numpy(w["embeddings.patch_embeddings.projection.weight"])
        patches = torch.nn.functional.conv2d(torch.from_numpy(np.asarray(pixels, np.float64))[None], kernel,
                                             torch.from_numpy(w["embeddings.patch_embeddings.projection.bias"]),
                                             stride=self.config["patch_size"])[0]  # [D, rows, cols]
        tokens = patches.flatten(1).T  # [P, D], row-major patches
        x = torch.cat([torch.from_numpy(w["embeddings.cls_token"][0]), tokens])
        return x + torch.from_numpy(w["embeddings.position_embeddings"][0])

    def hidden_states(self, **inputs):  # -> [L + 1] tensors [N, D]: the embeddings, then every layer's output
        with self.torch.no_grad():
            states = [self.embed(**inputs)]
            for layer in self.layers:
                states.append(layer(states[-1])[0])
        return states

    def head(self, last):  # BERT: class logits (pooler + classifier); ViT: class probabilities
        torch, w = self.torch, self.w
        with torch.no_grad():
            if self.post_ln:
                pooled = torch.tanh(self._linear(w, "pooler.dense")(last[:1]))
                return self._linear(w, "classifier")(pooled)[0].numpy()
            hidden = self._layer_norm(w, "layernorm", self.eps)(last)
            return torch.softmax(self._linear(w, "classifier")(hidden[:1])[0], -1).numpy()

    def value_zeroing(self, states):
        """Raw distances [L, N, N] by zeroing value rows with a forward hook on each layer's value projection; the
        distance with torch's own cosine_similarity (then clamped to [0, 2])."""
        torch = self.torch
        n = states[0].shape[0]
        out = np.zeros((len(self.layers), n, n))
        for index, layer in enumerate(self.layers):
            for j in range(n):
                handle = layer.value.register_forward_hook(
                    lambda module, inputs, output, j=j: output.index_fill(0, torch.tensor([j]), 0.0))
                with torch.no_grad():
                    new = layer(states[index])[0]
                handle.remove()
                cos = torch.nn.functional.cosine_similarity(new, states[index + 1], dim=-1)
                out[index, :, j] = (1.0 - cos).clamp(0.0, 2.0).numpy()
        return out


def oracle_sequences():  # bert_seqcls's transformers oracle: [(ids, types, float64 logits)]
    with open(os.path.join(ref.ORACLE, "_provenance", "tiny_bert_seqcls_logits.json"), encoding="utf-8") as f:
        oracle = json.load(f)
    return list(zip(oracle["sequences"], oracle["token_types"], oracle["logits"]))


def vit_pixels():
    return np.load(VIT_GOLDEN)["pixels"]


def cross_check(name, model, layers, arrays, raw, post_ln, **inputs):
    """The numpy forward and value zeroing against TorchEncoder; asserts. -> (forward diff, normalised diff,
    rollout diff)."""
    encoder = TorchEncoder(model, post_ln)
    states = encoder.hidden_states(**inputs)
    forward = max(float(np.abs(states[i + 1].numpy() - layer["out"]).max()) for i, layer in enumerate(layers))
    raw_t = encoder.value_zeroing(states)
    vz_t = raw_t / raw_t.sum(-1, keepdims=True)
    d_raw = float(np.abs(raw_t - raw).max())
    d_vz = float(np.abs(vz_t - arrays["value_zeroing"]).max())
    d_roll = float(np.abs(ref.rollout(vz_t) - arrays["value_zeroing_rollout"]).max())
    print(f"{name}: torch vs numpy: layer outputs {forward:.1e}, distances {d_raw:.1e} (smallest distance "
          f"{raw.min():.2e}), value_zeroing {d_vz:.1e}, rollout {d_roll:.1e}")
    assert forward < 1e-12 and d_raw < 1e-12 and d_vz < 1e-9 and d_roll < 1e-9, f"{name}: torch cross-check failed"
    return encoder, states


def check_models():
    model = ref.load(ref.ORACLE, "bert.")
    for k, (ids, types, logits) in enumerate(oracle_sequences()):
        layers, _ = ref.bert_forward(model, ids, types)
        arrays, raw = case_arrays(layers, post_ln=True)
        check_arrays(arrays, f"bert_seqcls case {k}")
        encoder, states = cross_check(f"bert_seqcls case {k}", model, layers, arrays, raw, True, ids=ids, types=types)
        diff = float(np.abs(encoder.head(states[-1]) - np.array(logits)).max())
        print(f"bert_seqcls case {k}: torch encoder logits vs transformers (float64): max |diff| {diff:.1e}")
        assert diff < 1e-9, "the torch encoder does not match transformers"
    model = ref.load(VIT_FOLDER, "vit.")
    pixels = vit_pixels()
    layers, _, _ = ref.vit_forward(model, pixels)
    arrays, raw = case_arrays(layers, post_ln=False)
    check_arrays(arrays, "tiny-hf-vit")
    encoder, states = cross_check("tiny-hf-vit", model, layers, arrays, raw, False, pixels=pixels)
    diff = float(np.abs(encoder.head(states[-1]) - np.load(VIT_GOLDEN)["probabilities"]).max())
    print(f"tiny-hf-vit: torch encoder probabilities vs the float32 golden: max |diff| {diff:.1e}")
    assert diff < 1e-4
    print("zeroing nothing reproduces every layer output (distance 0): asserted for every case")


if __name__ == "__main__":
    ref.check_main(__doc__, "identity, torch hook re-implementation, the goldens", check_models,
                   lambda folder: ref.check_golden(folder, "globenc_vz_*.npz", ("value_zeroing", "value_zeroing_rollout"),
                                                   check_arrays, "value zeroing rows sum to 1"))
