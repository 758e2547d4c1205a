"""A transformer encoder-decoder in the Hugging Face MarianMT / BART layout, plain PyTorch (no transformers
import), for training attnviz's Hansards transformer and as the second-best reference of the engine's
transformer seq2seq path. Checked against transformers' own float64 outputs for a tiny MarianMTModel and
BartForConditionalGeneration (../shared/real-checkpoints/{marian,bart}; test_marian_model.py).

Read for the layout (transformers, src/transformers/models/marian/modeling_marian.py and
models/bart/modeling_bart.py): post-LN blocks (LayerNorm after each residual add: self_attn_layer_norm,
encoder_attn_layer_norm, final_layer_norm); q/k/v/out projections all biased, q scaled by head_dim^-0.5 before
the product; FFN fc2(act(fc1(x))); token embeddings times sqrt(d_model) when scale_embedding; Marian's static
sinusoids in the half-split layout (sin in columns [0, d/2), cos in [d/2, d), positions from 0, not saved in
checkpoints); BART's learned positions read row p + 2 and a layernorm_embedding after embedding + position;
logits = decoder output . shared^T + final_logits_bias.

Shapes: batch first. source ids [B, S], decoder input ids [B, T] (starting with decoder_start_token_id).
"""
import math

import torch
from torch import nn

ACTIVATIONS = {"swish": nn.functional.silu, "silu": nn.functional.silu, "relu": nn.functional.relu,
               "gelu": nn.functional.gelu}


def marian_sinusoids(positions, dim):
    """[positions, dim]: row p column c < dim/2 is sin(p / 10000^(2c/dim)), column dim/2 + c the cos."""
    table = torch.zeros(positions, dim, dtype=torch.float64)
    p = torch.arange(positions, dtype=torch.float64)[:, None]
    c = torch.arange(dim // 2, dtype=torch.float64)[None, :]
    angle = p / torch.pow(10000.0, 2 * c / dim)
    table[:, :dim // 2] = torch.sin(angle)
    table[:, dim // 2:dim // 2 * 2] = torch.cos(angle)
    return table


class Attention(nn.Module):
    def __init__(self, d_model, heads):
        super().__init__()
        self.heads, self.head_dim = heads, d_model // heads
        self.q_proj, self.k_proj = nn.Linear(d_model, d_model), nn.Linear(d_model, d_model)
        self.v_proj, self.out_proj = nn.Linear(d_model, d_model), nn.Linear(d_model, d_model)

    def split(self, x):  # [B, N, D] -> [B, H, N, hd]
        return x.view(x.shape[0], x.shape[1], self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, memory, mask):
        """x [B, T, D] queries, memory [B, S, D] keys/values, mask additive [B or 1, 1, T or 1, S].
        -> (out [B, T, D], probabilities [B, H, T, S])."""
        q = self.split(self.q_proj(x) * self.head_dim ** -0.5)
        k, v = self.split(self.k_proj(memory)), self.split(self.v_proj(memory))
        scores = q @ k.transpose(-1, -2)
        if mask is not None:
            scores = scores + mask
        probs = torch.softmax(scores, dim=-1)
        out = (nn.functional.dropout(probs, self.attention_dropout, self.training) @ v)
        out = out.transpose(1, 2).reshape(x.shape[0], x.shape[1], -1)
        return self.out_proj(out), probs

    attention_dropout = 0.0


class Layer(nn.Module):
    """One post-LN block; with_cross adds encoder attention (a decoder layer)."""

    def __init__(self, d_model, heads, ffn, with_cross, activation, dropout):
        super().__init__()
        self.self_attn = Attention(d_model, heads)
        self.self_attn_layer_norm = nn.LayerNorm(d_model)
        if with_cross:
            self.encoder_attn = Attention(d_model, heads)
            self.encoder_attn_layer_norm = nn.LayerNorm(d_model)
        self.fc1, self.fc2 = nn.Linear(d_model, ffn), nn.Linear(ffn, d_model)
        self.final_layer_norm = nn.LayerNorm(d_model)
        self.activation, self.dropout = ACTIVATIONS[activation], dropout

    def forward(self, x, self_mask, memory=None, memory_mask=None):
        """-> (x, self-attention [B, H, N, N], cross-attention [B, H, T, S] or None)."""
        drop = lambda t: nn.functional.dropout(t, self.dropout, self.training)  # noqa: E731
        h, self_probs = self.self_attn(x, x, self_mask)
        x = self.self_attn_layer_norm(x + drop(h))
        cross_probs = None
        if memory is not None:
            h, cross_probs = self.encoder_attn(x, memory, memory_mask)
            x = self.encoder_attn_layer_norm(x + drop(h))
        h = self.fc2(drop(self.activation(self.fc1(x))))
        return self.final_layer_norm(x + drop(h)), self_probs, cross_probs


class Stack(nn.Module):
    def __init__(self, config, layers, ffn, with_cross, dropout):
        super().__init__()
        d = config["d_model"]
        self.layers = nn.ModuleList(Layer(d, config["heads"], ffn, with_cross, config["activation_function"], dropout)
                                    for _ in range(layers))
        self.learned_positions = config["model_type"] == "bart"
        if self.learned_positions:  # BART: learned rows, position p at row p + 2; LN after the sum
            self.embed_positions = nn.Embedding(config["max_position_embeddings"] + 2, d)
            self.layernorm_embedding = nn.LayerNorm(d)
        else:
            self.register_buffer("sinusoids", marian_sinusoids(config["max_position_embeddings"], d).float(),
                                 persistent=False)


class MarianLike(nn.Module):
    """config: model_type ("marian" or "bart"), vocab_size, d_model, encoder_layers, decoder_layers, heads,
    encoder_ffn_dim, decoder_ffn_dim, max_position_embeddings, activation_function, scale_embedding, pad_token_id,
    decoder_start_token_id; dropout for training."""

    def __init__(self, config, dropout=0.0):
        super().__init__()
        self.config = dict(config)
        d = config["d_model"]
        self.shared = nn.Embedding(config["vocab_size"], d)
        self.encoder = Stack(config, config["encoder_layers"], config["encoder_ffn_dim"], False, dropout)
        self.decoder = Stack(config, config["decoder_layers"], config["decoder_ffn_dim"], True, dropout)
        self.register_buffer("final_logits_bias", torch.zeros(1, config["vocab_size"]))
        self.embed_scale = math.sqrt(d) if config["scale_embedding"] else 1.0
        self.dropout = dropout

    def embed(self, stack, ids):
        x = self.shared(ids) * self.embed_scale
        n = ids.shape[1]
        if stack.learned_positions:
            x = stack.layernorm_embedding(x + stack.embed_positions(torch.arange(n) + 2)[None])
        else:
            if n > stack.sinusoids.shape[0]:
                raise ValueError(f"sequence of {n} tokens exceeds max_position_embeddings {stack.sinusoids.shape[0]}")
            x = x + stack.sinusoids[:n][None]
        return nn.functional.dropout(x, self.dropout, self.training)

    def padding_mask(self, ids):
        """additive [B, 1, 1, S]: -inf-like at padding."""
        return torch.where(ids == self.config["pad_token_id"], torch.finfo(torch.float32).min, 0.0)[:, None, None, :]

    def encode(self, source):
        """source [B, S] -> (memory [B, S, D], self-attention per layer [B, H, S, S])."""
        mask = self.padding_mask(source)
        x, attentions = self.embed(self.encoder, source), []
        for layer in self.encoder.layers:
            x, probs, _ = layer(x, mask)
            attentions.append(probs)
        return x, attentions

    def decode(self, target_in, memory, source):
        """-> (decoder output [B, T, D], self-attention per layer, cross-attention per layer [B, H, T, S])."""
        t = target_in.shape[1]
        causal = torch.triu(torch.full((t, t), torch.finfo(torch.float32).min), diagonal=1)[None, None]
        memory_mask = self.padding_mask(source)
        x, selfs, crosses = self.embed(self.decoder, target_in), [], []
        for layer in self.decoder.layers:
            x, self_probs, cross_probs = layer(x, causal, memory, memory_mask)
            selfs.append(self_probs)
            crosses.append(cross_probs)
        return x, selfs, crosses

    def logits(self, hidden):
        return hidden @ self.shared.weight.t() + self.final_logits_bias

    def forward(self, source, target_in):
        memory, _ = self.encode(source)
        hidden, _, crosses = self.decode(target_in, memory, source)
        return self.logits(hidden), crosses

    # --- the Hugging Face file layout -------------------------------------------------------------------------
    def hf_state_dict(self):
        """Tensor names as MarianMTModel / BartForConditionalGeneration save them (tied and static tables left out,
        as save_pretrained does for Marian)."""
        out = {"model.shared.weight": self.shared.weight, "final_logits_bias": self.final_logits_bias}
        for side in ("encoder", "decoder"):
            stack = getattr(self, side)
            if stack.learned_positions:
                out[f"model.{side}.embed_positions.weight"] = stack.embed_positions.weight
                out[f"model.{side}.layernorm_embedding.weight"] = stack.layernorm_embedding.weight
                out[f"model.{side}.layernorm_embedding.bias"] = stack.layernorm_embedding.bias
            for i, layer in enumerate(stack.layers):
                for name, tensor in layer.state_dict().items():
                    out[f"model.{side}.layers.{i}.{name}"] = tensor
        return {k: v.detach() for k, v in out.items()}

    def load_hf_state_dict(self, tensors):
        self.shared.weight.data.copy_(tensors["model.shared.weight"])
        self.final_logits_bias.data.copy_(tensors["final_logits_bias"].reshape(1, -1))
        for side in ("encoder", "decoder"):
            stack = getattr(self, side)
            if stack.learned_positions:
                stack.embed_positions.weight.data.copy_(tensors[f"model.{side}.embed_positions.weight"])
                stack.layernorm_embedding.weight.data.copy_(tensors[f"model.{side}.layernorm_embedding.weight"])
                stack.layernorm_embedding.bias.data.copy_(tensors[f"model.{side}.layernorm_embedding.bias"])
            for i, layer in enumerate(stack.layers):
                layer.load_state_dict({name: tensors[f"model.{side}.layers.{i}.{name}"]
                                       for name in layer.state_dict()})


def config_from_hf(hf):
    """Our config dict from a Hugging Face config.json (marian or bart)."""
    return {"model_type": hf["model_type"], "vocab_size": hf["vocab_size"], "d_model": hf["d_model"],
            "encoder_layers": hf["encoder_layers"], "decoder_layers": hf["decoder_layers"],
            "heads": hf["encoder_attention_heads"], "encoder_ffn_dim": hf["encoder_ffn_dim"],
            "decoder_ffn_dim": hf["decoder_ffn_dim"], "max_position_embeddings": hf["max_position_embeddings"],
            "activation_function": hf.get("activation_function", "gelu"),
            "scale_embedding": hf.get("scale_embedding", False), "pad_token_id": hf["pad_token_id"],
            "decoder_start_token_id": hf["decoder_start_token_id"]}
