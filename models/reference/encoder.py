"""PyTorch reference of attnviz's `encoder` kind: a BERT-style post-layer-norm transformer encoder with
the Hugging Face BertModel weight names, an optional pooler + classifier head, and the "basic" tokenizer.
The C++ engine (engine/models/encoder/) must match it within 1e-4; tests/data/make_tiny_encoder.py
writes golden outputs from it.
"""
import math
import re

import torch
from torch import nn


def basic_tokenize(text, lowercase=True):
    """attnviz's "basic" tokenizer: ASCII-lowercase, split on ASCII whitespace, every ASCII punctuation
    character is its own token. Mirrors engine/models/encoder/basic_tokenizer.cpp."""
    if lowercase:
        text = "".join(c.lower() if "A" <= c <= "Z" else c for c in text)
    tokens = []
    for word in re.split(r"[ \t\n\r\x0b\x0c\x1c-\x1f]+", text):  # ASCII whitespace only, as the C++
        tokens.extend(t for t in re.split(r"([!-/:-@\[-`{-~])", word) if t)
    return tokens


class SelfAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)

    def forward(self, x):  # x: [tokens, hidden]
        n, hidden = x.shape
        d = hidden // self.heads

        def split(t):  # [tokens, hidden] -> [heads, tokens, d]
            return t.view(n, self.heads, d).transpose(0, 1)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        probs = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(d), dim=-1)  # [heads, tokens, tokens]
        context = (probs @ v).transpose(0, 1).reshape(n, hidden)
        return context, probs


class Layer(nn.Module):
    def __init__(self, hidden, heads, intermediate, eps):
        super().__init__()
        self.attention = nn.Module()
        self.attention.self = SelfAttention(hidden, heads)
        self.attention.output = nn.Module()
        self.attention.output.dense = nn.Linear(hidden, hidden)
        self.attention.output.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(hidden, intermediate)
        self.output = nn.Module()
        self.output.dense = nn.Linear(intermediate, hidden)
        self.output.LayerNorm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x):
        context, probs = self.attention.self(x)
        a = self.attention.output.LayerNorm(self.attention.output.dense(context) + x)
        h = nn.functional.gelu(self.intermediate.dense(a))
        return self.output.LayerNorm(self.output.dense(h) + a), probs


class Encoder(nn.Module):
    """Architecture keys as in Hugging Face's BertConfig."""

    def __init__(self, vocab_size, hidden_size, num_hidden_layers, num_attention_heads, intermediate_size,
                 max_position_embeddings, type_vocab_size=2, layer_norm_eps=1e-12, num_labels=0):
        super().__init__()
        self.embeddings = nn.Module()
        self.embeddings.word_embeddings = nn.Embedding(vocab_size, hidden_size)
        self.embeddings.position_embeddings = nn.Embedding(max_position_embeddings, hidden_size)
        self.embeddings.token_type_embeddings = nn.Embedding(type_vocab_size, hidden_size)
        self.embeddings.LayerNorm = nn.LayerNorm(hidden_size, eps=layer_norm_eps)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList(
            Layer(hidden_size, num_attention_heads, intermediate_size, layer_norm_eps) for _ in range(num_hidden_layers))
        self.num_labels = num_labels
        if num_labels:
            self.pooler = nn.Module()
            self.pooler.dense = nn.Linear(hidden_size, hidden_size)
            self.classifier = nn.Linear(hidden_size, num_labels)

    def forward(self, ids):  # ids: [tokens] -> hidden [tokens, hidden], attention [layers, heads, tokens, tokens], probs
        e = self.embeddings
        positions = torch.arange(len(ids))
        x = e.word_embeddings(ids) + e.position_embeddings(positions) + e.token_type_embeddings.weight[0]
        x = e.LayerNorm(x)
        maps = []
        for layer in self.encoder.layer:
            x, probs = layer(x)
            maps.append(probs)
        probabilities = None
        if self.num_labels:
            pooled = torch.tanh(self.pooler.dense(x[0]))
            probabilities = torch.softmax(self.classifier(pooled), dim=-1)
        return x, torch.stack(maps), probabilities


def rollout(attention, fusion="mean"):
    """Abnar & Zuidema 2020 attention rollout. attention: [layers, heads, N, N] -> [N, N].
    Fuse heads, add the identity (residual), renormalise rows, multiply from the first layer up."""
    fused = {"mean": attention.mean(1), "max": attention.max(1).values, "min": attention.min(1).values}[fusion]
    n = attention.shape[-1]
    result = torch.eye(n, dtype=attention.dtype)
    for layer_map in fused:
        a = layer_map + torch.eye(n, dtype=attention.dtype)
        a = a / a.sum(-1, keepdim=True)
        result = a @ result
    return result
