"""Float64 numpy reference of ALTI+ for a post-LN encoder-decoder in the Hugging Face MarianMT layout, for attnviz's
C++ engine to match (tests/data/make_alti_plus_golden.py writes the golden file from it; the C++ side is not built).

Sources (read, not copied):
  - Ferrando, Gallego, Alastruey, Escolano, Costa-jussa 2022, "Towards Opening the Black Box of Neural Machine
    Translation: Source and Target Contributions to the Model's Predictions" (ALTI+), and their code
    mt-upc/transformer-contributions-nmt, wrappers/transformer_wrapper.py @ 90e1ed9567c05b3841e4f001d9c7106e3140b755
    (FairseqTransformerHub; the ALTI+ parts are identical @ 1056730cc7decd685704bf2982be20ef20926e41), read for:
      __get_attn_weights_module     the attention weights: softmax of q.k (q as fairseq scales it), no padding mask,
                                    decoder self-attention: -1e9 above the diagonal (exactly 0 after the softmax)
      __get_contributions_module    the per-block decomposition: value vectors times W_O per head, weighted by the
                                    attention, summed over heads; self-attention: the residual x_i added to the i-th
                                    vector (einsum with an identity); cross-attention: the residual (the query input,
                                    i.e. the self-attention block's LayerNorm output) CONCATENATED as one more vector
                                    after the S encoder tokens; post-LN: l_transform (centre, times gamma) divided by
                                    `(out_q_pre_ln_th + eps_ln).std(-1)` (see sigma below); resultant = sum of the
                                    vectors + l_transform(b_O)/sigma + beta; contributions = -F.pairwise_distance(
                                    vectors, resultant, p=1); resultants_norm = L1 norm of the resultant
      normalize_contrib('min_sum')  c = clip(contribution + |resultant_norm|, min=0) / row sum
      get_contributions             one [layers, N_q, K] map per module 'encoder.self_attn', 'decoder.self_attn',
                                    'decoder.encoder_attn'; the commented-out tril masking of the decoder self map is
                                    NOT applied (see the quirk below)
      get_contribution_rollout      encoder rollout (compute_joint_attention, last layer), the joint self + cross map
                                    per decoder layer, and the nested rollout(C, C_enc_out) -> c_roll['total']
    and the notebooks' use of it (m2m_interpretability.ipynb / nmt_interpretability.ipynb, as find_string shows them):
    ALTI+ = c_roll['total'][-1]; the source contribution of a target token = its row summed over the first len(src)
    columns.
  - transformers src/transformers/models/marian/modeling_marian.py @ 00b676f8f0489b88652a31d70751cc540dd06305, read
    for the forward: MarianSinusoidalPositionalEmbedding._init_weight (half-split sin | cos table built in float64 by
    numpy and stored through torch.FloatTensor, i.e. rounded to float32, positions from 0), eager_attention_forward
    (scores = q k^T * head_dim^-0.5 + mask, softmax), MarianEncoderLayer / MarianDecoderLayer.forward (post-LN:
    self_attn_layer_norm(x + self_attn(x)), encoder_attn_layer_norm(h + encoder_attn(h, enc_out)),
    final_layer_norm(r + fc2(act(fc1(r))))), MarianEncoder / MarianDecoder.forward (embed_tokens * sqrt(d_model) when
    scale_embedding, + positions; no layernorm_embedding, no final stack LayerNorm), logits = lm_head(h) +
    final_logits_bias, lm_head tied to model.shared. nn.LayerNorm eps 1e-5 (sqrt(var_population + eps)).
  - From this repository, imported, not duplicated: models/reference/contributions.py (load, layer_norm, linear,
    head_vectors, rollout, PAIRWISE_EPS, and alti for the population-std cross-check of the encoder blocks) and
    models/reference/vit.py read_safetensors (through contributions.load).

Shapes: S source tokens (source ids as given, </s> included), T decoder positions (the decoder input ids as given:
decoder_start_token_id, then the forced target prefix; row t explains the prediction of target token t+1), D hidden,
H heads of d = D/H (head h owns columns h*d .. h*d+d-1), Le / Ld encoder / decoder layers.

One attention block (post-LN) of a layer: query-side residual x [Nq, D], key/value input m [Nk, D],
  probs [H, Nq, Nk], values = m W_V^T + b_V [Nk, D], W_O [D, D] (torch Linear [out, in]), b_O [D],
  F[h, j] = values[j, head h] W_O[:, head h]^T  [H, Nk, D]   (contributions.head_vectors: b_V in, b_O out)
  A[i, j] = sum_h probs[h, i, j] F[h, j]          [Nq, Nk, D]
  vectors V[i, k]:
    self-attention (encoder, decoder):  K = N,      V[i, j] = A[i, j] + [i == j] x_i
    cross-attention (decoder):          K = S + 1,  V[i, j] = A[i, j] for j < S;  V[i, S] = x_i  (the residual, which
                                                    is the decoder self-attention block's LayerNorm output)
  pre_i  = sum_k V[i, k] + b_O  (= the LayerNorm's real input, asserted)
  L(v)   = gamma * (v - mean(v))                  (mean over D)
  sigma_i = std(pre_i) with Bessel's correction: sqrt(sum_d (pre_id - mean)^2 / (D - 1)), NO eps. This is the
           implementation's `(out_q_pre_ln_th + eps_ln).std(-1)`: torch's std is unbiased by default, and eps_ln is
           added to every element, which a std ignores. NOT LayerNorm's sqrt(var_population + eps): the
           decomposition therefore sums to gamma * centre(pre_i) / sigma_i + beta, which differs from the LayerNorm
           output by the factor sqrt((D - 1) / D) on the gamma part (1 - 0.998 at D = 256, 1 - 0.935 at D = 8).
           (mt-upc/transformer-contributions, the encoder-only ALTI that contributions.py follows, later changed to
           unbiased=False; the ALTI+ code did not. std="population" here gives that variant; std="layernorm" gives
           LayerNorm's exact sigma, used only to assert the decomposition.)
  T[i, k] = L(V[i, k]) / sigma_i                  [Nq, K, D]
  y_i     = sum_k T[i, k] + L(b_O) / sigma_i + beta
  c[i, k] = max(0, ||y_i||_1 - sum_d |T[i, k, d] - y_i[d] + 1e-6|)   (torch pairwise_distance: eps 1e-6 added to the
           difference before the absolute value)
  C[i, k] = c[i, k] / sum_k c[i, k]               rows sum to 1 (min_sum with the resultant norm)
  FFN, the second residual and final_layer_norm are not decomposed (they act per token: identity for contributions).

ALTI+ (all maps rows sum to 1):
  encoder_alti      [Le, S, S]      C of each encoder self-attention block
  encoder_rollout   [S, S]          R = C_enc^{Le-1} ... C_enc^0 (contributions.rollout; no identity added)
  decoder_self      [Ld, T, T]      C of each decoder self-attention block (causal: see the quirk below)
  decoder_cross     [Ld, T, S + 1]  C of each cross-attention block; column S is the residual
  decoder_joint     [Ld, T, S + T]  J^l = [ cross^l[:, :S] | cross^l[:, S] (row-wise) * self^l ]: the cross block's
                                    residual share is split over the target tokens by the self-attention block's map
  alti_plus_layers  [Ld, T, S + T]  with Cs^l = J^l[:, :S] @ R (every decoder layer reads the encoder's LAST output,
                                    so each layer's source part goes through the full encoder rollout) and
                                    Ct^l = J^l[:, S:]:
                                    P^0 = [Cs^0 | Ct^0]  (not renormalised)
                                    P^l = rownorm([ Ct^l @ P^{l-1}[:, :S] + Cs^l | Ct^l @ P^{l-1}[:, S:] ]), l >= 1
                                    (the implementation's c_roll['total']; the renormalisation divides by the row sum,
                                    which is 1 up to rounding)
  alti_plus         [T, S + T]      P^{Ld-1}: columns 0..S-1 the source tokens, S..S+T-1 the decoder input tokens
  source_share      [T]             sum of alti_plus[t, :S]
No final LayerNorm is involved (Marian has none); no padding (no masks besides the causal one).

Quirk kept: decoder_self is not masked. For a future position j > i the attention is exactly 0, so T[i, j] = 0 and
c[i, j] = max(0, ||y_i||_1 - ||-y_i + 1e-6||_1) = max(0, 1e-6 * (#{d: y_id > 1e-6} - #{d: y_id < 0}) + ...), a tiny
positive number whenever y_i has more positive than negative components: future target tokens get ~1e-6 * D / ||y||_1
of the row, not 0, as in the implementation.

    /usr/bin/python3 models/reference/alti_plus.py --check   # forward vs transformers, invariants, torch path, golden
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from reference import contributions as ref  # noqa: E402

ROOT = ref.ROOT
MARIAN_ORACLE = os.path.join(ROOT, "..", "shared", "real-checkpoints", "marian")
GOLDEN = os.path.join(ref.GOLDEN_DIR, "alti_plus.npz")
# the golden file's cases are named <model>_<k>; the model folders they read:
GOLDEN_MODELS = {"marian": MARIAN_ORACLE, "hansards": os.path.join(ROOT, "models", "seq2seq-hansards-transformer")}
INVARIANT_TOL = 1e-9
STD_MODES = ("unbiased", "population", "layernorm")


# ---------------------------------------------------------------------------------------------------------
# Forward (float64): MarianMTModel as transformers computes it
# ---------------------------------------------------------------------------------------------------------

def load_marian(folder):
    """config.json and model.safetensors -> (config, name -> float64), "model." stripped ("encoder.layers.0...",
    "shared.weight", "final_logits_bias")."""
    config, w = ref.load(folder, "model.")
    assert config.get("model_type") == "marian", f"{folder}: not a marian checkpoint"
    assert not config.get("normalize_before", False) and not config.get("add_final_layer_norm", False), \
        "only the post-LN Marian layout (no final stack LayerNorm)"
    return config, w


def marian_sinusoids(positions, dim):
    """[positions, dim] float64 holding float32 values: column c < dim/2 sin(p / 10000^(2c/dim)), dim/2 + c the cos
    (transformers' _init_weight computes them in float64 and stores them through torch.FloatTensor)."""
    p = np.arange(positions, dtype=np.float64)[:, None]
    c = np.arange(dim // 2, dtype=np.float64)[None, :]
    angle = p / np.power(10000.0, 2 * c / dim)
    return np.concatenate([np.sin(angle), np.cos(angle)], axis=1).astype(np.float32).astype(np.float64)


def silu(x):
    return x / (1.0 + np.exp(-x))


ACTIVATIONS = {"swish": silu, "silu": silu, "relu": lambda x: np.maximum(x, 0.0), "gelu": ref.gelu}


def attention(q_in, kv_in, w, prefix, heads, causal):
    """q_in [Nq, D], kv_in [Nk, D] -> probs [H, Nq, Nk], values [Nk, D], context [Nq, D] (before out_proj)."""
    nq, dim = q_in.shape
    nk, d = kv_in.shape[0], dim // heads
    q = ref.linear(q_in, w, prefix + "q_proj").reshape(nq, heads, d).transpose(1, 0, 2)
    k = ref.linear(kv_in, w, prefix + "k_proj").reshape(nk, heads, d).transpose(1, 0, 2)
    values = ref.linear(kv_in, w, prefix + "v_proj")
    scores = q @ k.transpose(0, 2, 1) * d ** -0.5  # [H, Nq, Nk]
    if causal:
        scores = np.where(np.triu(np.ones((nq, nk), bool), 1)[None], -np.inf, scores)
    probs = np.exp(scores - scores.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)
    context = (probs @ values.reshape(nk, heads, d).transpose(1, 0, 2)).transpose(1, 0, 2).reshape(nq, dim)
    return probs, values, context


def attention_block(x, memory, w, p, heads, eps, kind):
    """One post-LN attention block: kind "self" (memory is x; causal in the decoder: kind "causal") or "cross".
    -> the record contributions.alti and decompose() read (keys as contributions.bert_forward's)."""
    module = "encoder_attn" if kind == "cross" else "self_attn"
    probs, values, context = attention(x, memory, w, f"{p}{module}.", heads, causal=kind == "causal")
    pre_ln1 = x + ref.linear(context, w, f"{p}{module}.out_proj")
    gamma1, beta1 = w[f"{p}{module}_layer_norm.weight"], w[f"{p}{module}_layer_norm.bias"]
    return dict(kind="cross" if kind == "cross" else "self", x=x, values=values, probs=probs, pre_ln1=pre_ln1,
                ln1_out=ref.layer_norm(pre_ln1, gamma1, beta1, eps), W_O=w[f"{p}{module}.out_proj.weight"],
                b_O=w[f"{p}{module}.out_proj.bias"], gamma1=gamma1, beta1=beta1, eps=eps)


def feed_forward(h, w, p, act, eps):  # final_layer_norm(h + fc2(act(fc1(h))))
    ffn = ref.linear(act(ref.linear(h, w, p + "fc1")), w, p + "fc2")
    return ref.layer_norm(h + ffn, w[p + "final_layer_norm.weight"], w[p + "final_layer_norm.bias"], eps)


def marian_forward(model, source_ids, decoder_ids, eps=1e-5):
    """source_ids [S], decoder_ids [T] (starting with decoder_start_token_id) -> dict(encoder: [Le] block records,
    decoder: [Ld] dicts {self, cross} of block records, encoder_out [S, D], decoder_out [T, D], logits [T, V])."""
    config, w = model
    dim = config["d_model"]
    act = ACTIVATIONS[config.get("activation_function", "gelu")]
    scale = np.sqrt(dim) if config.get("scale_embedding", False) else 1.0
    table = marian_sinusoids(config["max_position_embeddings"], dim)
    source_ids, decoder_ids = np.asarray(source_ids), np.asarray(decoder_ids)
    x = w["shared.weight"][source_ids] * scale + table[:len(source_ids)]
    encoder = []
    for index in range(config["encoder_layers"]):
        p = f"encoder.layers.{index}."
        block = attention_block(x, x, w, p, config["encoder_attention_heads"], eps, "self")
        encoder.append(block)
        x = feed_forward(block["ln1_out"], w, p, act, eps)
    encoder_out = x
    x = w["shared.weight"][decoder_ids] * scale + table[:len(decoder_ids)]
    decoder = []
    for index in range(config["decoder_layers"]):
        p = f"decoder.layers.{index}."
        heads = config["decoder_attention_heads"]
        self_block = attention_block(x, x, w, p, heads, eps, "causal")
        cross_block = attention_block(self_block["ln1_out"], encoder_out, w, p, heads, eps, "cross")
        decoder.append(dict(self=self_block, cross=cross_block))
        x = feed_forward(cross_block["ln1_out"], w, p, act, eps)
    logits = x @ w["shared.weight"].T + w["final_logits_bias"].reshape(-1)
    return dict(encoder=encoder, decoder=decoder, encoder_out=encoder_out, decoder_out=x, logits=logits)


# ---------------------------------------------------------------------------------------------------------
# ALTI+
# ---------------------------------------------------------------------------------------------------------

def block_vectors(block):
    """V [Nq, K, D]: the attention block's output before b_O and LayerNorm, one vector per input (docstring)."""
    a = np.einsum("hij,hjd->ijd", block["probs"], ref.head_vectors(block))  # [Nq, Nk, D]
    x = block["x"]
    if block["kind"] == "self":
        n = x.shape[0]
        a[np.arange(n), np.arange(n)] += x
        return a
    return np.concatenate([a, x[:, None, :]], axis=1)  # the residual as the last vector


def block_sigma(pre_ln, eps, std):
    """[Nq]: the divisor of the LayerNorm map. "unbiased" (ALTI+'s torch .std(-1)), "population" (contributions.py's,
    no eps) or "layernorm" (sqrt(population variance + eps), LayerNorm's own)."""
    centred = pre_ln - pre_ln.mean(-1, keepdims=True)
    dim = pre_ln.shape[-1]
    if std == "unbiased":
        return np.sqrt((centred ** 2).sum(-1) / (dim - 1))
    if std == "population":
        return np.sqrt((centred ** 2).mean(-1))
    if std == "layernorm":
        return np.sqrt((centred ** 2).mean(-1) + eps)
    raise ValueError(f"std must be one of {STD_MODES}")


def decompose(block, std="unbiased"):
    """-> T [Nq, K, D], y [Nq, D] (the resultant), sigma [Nq], V [Nq, K, D]."""
    v = block_vectors(block)
    sigma = block_sigma(block["pre_ln1"], block["eps"], std)

    def l_map(u):  # centre over D, times gamma
        return (u - u.mean(-1, keepdims=True)) * block["gamma1"]
    t = l_map(v) / sigma[:, None, None]
    y = t.sum(1) + l_map(block["b_O"])[None, :] / sigma[:, None] + block["beta1"]
    return t, y, sigma, v


def alti_block(block, std="unbiased"):
    """C [Nq, K]: the normalised ALTI contributions of one block (rows sum to 1)."""
    t, y, _, _ = decompose(block, std)
    importance = -np.abs(t - y[:, None, :] + ref.PAIRWISE_EPS).sum(-1)  # -pairwise_distance(T, y, p=1)
    c = np.maximum(0.0, importance + np.abs(y).sum(-1)[:, None])
    return c / c.sum(-1, keepdims=True)


def combine_layer(self_map, cross_map):
    """self [T, T], cross [T, S + 1] -> J [T, S + T] = [cross[:, :S] | cross[:, S, None] * self]."""
    return np.concatenate([cross_map[:, :-1], cross_map[:, -1:] * self_map], axis=1)


def decoder_rollout(joint, encoder_rollout):
    """joint [Ld, T, S + T], encoder_rollout [S, S] -> P [Ld, T, S + T] (the implementation's c_roll['total'])."""
    s = encoder_rollout.shape[0]
    out = []
    for layer, j in enumerate(joint):
        cs, ct = j[:, :s] @ encoder_rollout, j[:, s:]
        if layer == 0:
            p = np.concatenate([cs, ct], axis=1)
        else:
            prev = out[-1]
            p = np.concatenate([ct @ prev[:, :s] + cs, ct @ prev[:, s:]], axis=1)
            p = p / p.sum(-1, keepdims=True)
        out.append(p)
    return np.stack(out)


def alti_plus(fwd, std="unbiased"):
    """Forward record -> the ALTI+ arrays (names and shapes in the module docstring)."""
    out = dict(encoder_alti=np.stack([alti_block(b, std) for b in fwd["encoder"]]))
    out["encoder_rollout"] = ref.rollout(out["encoder_alti"])
    out["decoder_self"] = np.stack([alti_block(layer["self"], std) for layer in fwd["decoder"]])
    out["decoder_cross"] = np.stack([alti_block(layer["cross"], std) for layer in fwd["decoder"]])
    out["decoder_joint"] = np.stack([combine_layer(s, c) for s, c in zip(out["decoder_self"], out["decoder_cross"])])
    out["alti_plus_layers"] = decoder_rollout(out["decoder_joint"], out["encoder_rollout"])
    out["alti_plus"] = out["alti_plus_layers"][-1]
    out["source_share"] = out["alti_plus"][:, :out["encoder_rollout"].shape[0]].sum(-1)
    return out


def all_blocks(fwd):
    """[(name, block)] of every attention block, in order."""
    blocks = [(f"encoder {i} self", b) for i, b in enumerate(fwd["encoder"])]
    for i, layer in enumerate(fwd["decoder"]):
        blocks += [(f"decoder {i} self", layer["self"]), (f"decoder {i} cross", layer["cross"])]
    return blocks


def intermediates(fwd):
    """What the C++ side can compare before the maps: attention, LayerNorm outputs and the sigmas ALTI+ divides by."""
    enc, dec = fwd["encoder"], fwd["decoder"]
    return dict(encoder_attention=np.stack([b["probs"] for b in enc]),
                decoder_self_attention=np.stack([layer["self"]["probs"] for layer in dec]),
                decoder_cross_attention=np.stack([layer["cross"]["probs"] for layer in dec]),
                encoder_ln_out=np.stack([b["ln1_out"] for b in enc]),
                decoder_self_ln_out=np.stack([layer["self"]["ln1_out"] for layer in dec]),
                decoder_cross_ln_out=np.stack([layer["cross"]["ln1_out"] for layer in dec]),
                encoder_sigma=np.stack([block_sigma(b["pre_ln1"], b["eps"], "unbiased") for b in enc]),
                decoder_self_sigma=np.stack([block_sigma(layer["self"]["pre_ln1"], None, "unbiased") for layer in dec]),
                decoder_cross_sigma=np.stack([block_sigma(layer["cross"]["pre_ln1"], None, "unbiased")
                                              for layer in dec]),
                encoder_out=fwd["encoder_out"])


# ---------------------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------------------

ROW_KEYS = ("encoder_alti", "encoder_rollout", "decoder_self", "decoder_cross", "decoder_joint", "alti_plus_layers",
            "alti_plus")


def check_arrays(arrays, name):
    """Every map >= 0 with rows summing to 1 (1e-9); source_share = the source columns' sum, in [0, 1].
    -> worst row-sum deviation."""
    worst = 0.0
    for key in ROW_KEYS:
        a = arrays[key]
        assert (a >= 0).all(), f"{name}: negative entry in {key}"
        dev = float(np.abs(a.sum(-1) - 1).max())
        assert dev < 1e-9, f"{name}: {key} rows sum to 1 only within {dev:.1e}"
        worst = max(worst, dev)
    s = arrays["encoder_rollout"].shape[0]
    assert np.abs(arrays["source_share"] - arrays["alti_plus"][:, :s].sum(-1)).max() < 1e-15
    assert ((arrays["source_share"] >= 0) & (arrays["source_share"] <= 1 + 1e-12)).all()
    return worst


def check_decomposition(fwd, name):
    """Per block: sum_k V + b_O == the LayerNorm's input; with LayerNorm's own sigma the resultant == its output;
    ALTI+'s unbiased resultant differs from the output by the sqrt((D-1)/D) factor. Also whether the
    implementation's own assertion (torch.dist(LN output, resultant) < 1e-3 * numel) would hold.
    -> (worst pre-LN gap, worst LN-output gap, worst unbiased-resultant gap, assertion holds everywhere)."""
    worst_pre, worst_ln, worst_unbiased, asserts_hold = 0.0, 0.0, 0.0, True
    for block_name, block in all_blocks(fwd):
        v = block_vectors(block)
        gap_pre = float(np.abs(v.sum(1) + block["b_O"] - block["pre_ln1"]).max())
        _, y_ln, _, _ = decompose(block, "layernorm")
        gap_ln = float(np.abs(y_ln - block["ln1_out"]).max())
        assert gap_pre <= INVARIANT_TOL * (1 + np.abs(block["pre_ln1"]).max()), \
            f"{name} {block_name}: vectors + b_O differ from the LayerNorm input by {gap_pre:.3e}"
        assert gap_ln <= INVARIANT_TOL, f"{name} {block_name}: resultant differs from the LN output by {gap_ln:.3e}"
        _, y_u, _, _ = decompose(block, "unbiased")
        worst_unbiased = max(worst_unbiased, float(np.abs(y_u - block["ln1_out"]).max()))
        asserts_hold &= bool(np.linalg.norm(y_u - block["ln1_out"]) < 1e-3 * y_u.size)
        worst_pre, worst_ln = max(worst_pre, gap_pre), max(worst_ln, gap_ln)
    return worst_pre, worst_ln, worst_unbiased, asserts_hold


def check_population_against_contributions(fwd, name):
    """The encoder blocks with std="population" against contributions.alti (post-LN), which is that definition."""
    gap = max(float(np.abs(alti_block(b, "population") - ref.alti(b, post_ln=True)).max()) for b in fwd["encoder"])
    assert gap < 1e-12, f"{name}: encoder ALTI (population std) differs from contributions.alti by {gap:.3e}"
    return gap


def oracle_cases():
    """[(source ids, decoder ids, encoder hidden [S, D], logits [T, V])] of the marian checkpoint's oracle."""
    with open(os.path.join(MARIAN_ORACLE, "_provenance", "tiny_marian_logits.json"), encoding="utf-8") as f:
        o = json.load(f)
    return [(s, d, np.array(h), np.array(lg)) for s, d, h, lg in
            zip(o["enc_sequences"], o["dec_sequences"], o["enc_hidden"], o["logits"])]


def check_forward_oracle():
    """The numpy forward against transformers' float64 encoder hidden states and logits. -> max |diff|."""
    model = load_marian(MARIAN_ORACLE)
    worst = 0.0
    for source, target, hidden, logits in oracle_cases():
        fwd = marian_forward(model, source, target)
        worst = max(worst, float(np.abs(fwd["encoder_out"] - hidden).max()),
                    float(np.abs(fwd["logits"] - logits).max()))
    print(f"marian forward vs transformers (float64 encoder hidden states and logits): max |diff| = {worst:.3e}")
    assert worst < 1e-12, "the Marian forward does not match transformers"
    return worst


class TorchPath:
    """An independent float64 path: the PyTorch MarianLike of models/seq2seq/marian_model.py (checked against
    transformers by its own test) with forward hooks catching each block's inputs, attention and LayerNorm input, as the
    implementation does on fairseq; the contributions computed with torch's own defaults (Tensor.std, which is
    unbiased; F.pairwise_distance; torch.clip) and the rollout with einsum, laid out as c_roll['total']."""

    def __init__(self, folder):
        import torch
        sys.path.insert(0, os.path.join(ROOT, "models", "seq2seq"))
        from marian_model import MarianLike, config_from_hf
        with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
            self.model = MarianLike(config_from_hf(json.load(f))).double().eval()
        _, w = ref.load(folder, "")
        self.model.load_hf_state_dict({k: torch.from_numpy(v) for k, v in w.items()})
        self.torch = torch

    def contributions(self, source, target):
        torch, F = self.torch, self.torch.nn.functional
        caught = {}

        def hook(name):
            def save(module, inputs, output):
                caught[name] = (inputs, output)
            return save
        handles = []
        for side in ("encoder", "decoder"):
            for i, layer in enumerate(getattr(self.model, side).layers):
                for module in ("self_attn", "encoder_attn"):
                    if hasattr(layer, module):
                        m = getattr(layer, module)
                        handles += [m.register_forward_hook(hook(f"{side}.{i}.{module}")),
                                    m.v_proj.register_forward_hook(hook(f"{side}.{i}.{module}.v_proj")),
                                    getattr(layer, module + "_layer_norm").register_forward_hook(
                                        hook(f"{side}.{i}.{module}_layer_norm"))]
        with torch.no_grad():
            self.model(torch.tensor([source]), torch.tensor([target]))
        for h in handles:
            h.remove()

        def block(side, i, module):
            attn = getattr(getattr(self.model, side).layers[i], module)
            ln = getattr(getattr(self.model, side).layers[i], module + "_layer_norm")
            (q_in, _, _), (_, probs) = caught[f"{side}.{i}.{module}"]
            values = caught[f"{side}.{i}.{module}.v_proj"][1][0]  # [Nk, D]
            pre_ln = caught[f"{side}.{i}.{module}_layer_norm"][0][0][0]  # the LayerNorm's input [Nq, D]
            heads, x = attn.heads, q_in[0]
            d = x.shape[-1] // heads
            w_o = attn.out_proj.weight.view(-1, heads, d)  # [D_out, H, d]
            vec = torch.einsum("hqk,khe,fhe->qkf", probs[0], values.view(-1, heads, d), w_o)
            if module == "self_attn":
                vec = vec + torch.diag_embed(torch.ones(x.shape[0], dtype=x.dtype))[..., None] * x[:, None, :]
            else:
                vec = torch.cat([vec, x[:, None, :]], dim=1)
            centre = torch.eye(x.shape[-1], dtype=x.dtype) - 1.0 / x.shape[-1]
            inv_std = 1.0 / pre_ln.std(-1)[:, None, None]
            t = torch.einsum("qke,ef,f->qkf", vec, centre, ln.weight) * inv_std
            y = t.sum(1) + (torch.einsum("e,ef,f->f", attn.out_proj.bias, centre, ln.weight) * inv_std[:, 0]) + ln.bias
            c = -F.pairwise_distance(t, y[:, None, :].expand_as(t), p=1) + y.abs().sum(-1, keepdim=True)
            c = torch.clip(c, min=0)
            return c / c.sum(-1, keepdim=True)

        torch.set_grad_enabled(False)
        n_enc, n_dec = len(self.model.encoder.layers), len(self.model.decoder.layers)
        enc = torch.stack([block("encoder", i, "self_attn") for i in range(n_enc)])
        selfs = torch.stack([block("decoder", i, "self_attn") for i in range(n_dec)])
        cross = torch.stack([block("decoder", i, "encoder_attn") for i in range(n_dec)])
        roll = enc[0]
        for m in enc[1:]:
            roll = m @ roll
        s = roll.shape[0]
        joint = torch.cat([cross[:, :, :s], selfs * cross[:, :, s:]], dim=-1)
        c_src = torch.einsum("lts,sr->ltr", joint[:, :, :s], roll)
        total = [torch.cat([c_src[0], joint[0, :, s:]], dim=-1)]
        for layer in range(1, n_dec):
            ct = joint[layer, :, s:]
            new = torch.cat([ct @ total[-1][:, :s] + c_src[layer], ct @ total[-1][:, s:]], dim=-1)
            total.append(new / new.sum(-1, keepdim=True))
        return dict(encoder_alti=enc.numpy(), decoder_self=selfs.numpy(), decoder_cross=cross.numpy(),
                    alti_plus_layers=torch.stack(total).numpy())


def check_torch(path, source, target, arrays, name):
    """The numpy arrays against TorchPath. -> max |diff|."""
    other = path.contributions(source, target)
    gap = max(float(np.abs(other[k] - arrays[k]).max()) for k in other)
    print(f"{name}: ALTI+ vs the torch path (hooks on marian_model.MarianLike, torch defaults): max |diff| {gap:.3e}")
    assert gap < 1e-12, f"{name}: ALTI+ differs from the torch path"
    return gap


def check_case(model, source, target, name, torch_path=None):
    """Every check on one input; -> (the ALTI+ arrays, a dict of measured numbers)."""
    fwd = marian_forward(model, source, target)
    arrays = alti_plus(fwd)
    rows = check_arrays(arrays, name)
    pre, ln, unbiased, asserts_hold = check_decomposition(fwd, name)
    pop = check_population_against_contributions(fwd, name)
    s = len(source)
    future = max(float(np.triu(m, 1).max()) for m in arrays["decoder_self"])
    numbers = dict(rows=rows, pre_ln=pre, ln_out=ln, unbiased_resultant=unbiased, impl_assert_holds=asserts_hold,
                   population_vs_contributions=pop, future_self=future,
                   population_std_change=float(np.abs(alti_plus(fwd, "population")["alti_plus"]
                                                      - arrays["alti_plus"]).max()))
    if torch_path is not None:
        numbers["torch"] = check_torch(torch_path, source, target, arrays, name)
    print(f"{name}: S = {s}, T = {len(target)}; rows sum to 1 within {rows:.1e}; sum V + b_O = LN input within "
          f"{pre:.1e}; resultant (LayerNorm's sigma) = LN output within {ln:.1e}; ALTI+'s unbiased-std resultant is "
          f"off the LN output by {unbiased:.3e} (the implementation's own assert "
          f"{'holds' if asserts_hold else 'would FAIL'}); population-std encoder ALTI = contributions.alti within "
          f"{pop:.1e}; largest future-token entry of decoder_self {future:.2e}; alti_plus moves by "
          f"{numbers['population_std_change']:.3e} with the population std; source share "
          f"{np.round(arrays['source_share'], 4).tolist()}")
    return fwd, arrays, numbers


def check_golden(path=GOLDEN):
    """The golden file's arrays: recomputed from its own inputs and compared (1e-12), and their invariants."""
    if not os.path.exists(path):
        print(f"{path}: not written yet")
        return
    z = np.load(path)
    cases = sorted({key.split("/")[0] for key in z.files})
    for case in cases:
        folder = GOLDEN_MODELS[case.rsplit("_", 1)[0]]
        arrays = alti_plus(marian_forward(load_marian(folder), z[f"{case}/input_ids"], z[f"{case}/decoder_input_ids"]))
        check_arrays({k: z[f"{case}/{k}"] for k in arrays}, f"{os.path.basename(path)} {case}")
        gap = max(float(np.abs(z[f"{case}/{k}"] - v).max()) for k, v in arrays.items())
        assert gap < 1e-12, f"{case}: the golden differs from the reference by {gap:.3e}"
        print(f"{os.path.basename(path)} {case}: recomputed within {gap:.1e}, invariants hold")


def check_models():
    check_forward_oracle()
    model = load_marian(MARIAN_ORACLE)
    torch_path = TorchPath(MARIAN_ORACLE)
    for k, (source, target, _, _) in enumerate(oracle_cases()):
        check_case(model, source, target, f"marian case {k}", torch_path)


if __name__ == "__main__":
    ref.check_main(__doc__, "forward vs transformers, invariants, the torch path, the golden file", check_models,
                   lambda folder: check_golden(os.path.join(folder, "alti_plus.npz")))
