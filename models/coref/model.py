"""PyTorch reference of the coreference model: a post-layer-norm BERT encoder (Hugging Face BertModel weight
names, erf GELU, absolute positions, token type 0) and a pointer head that, for each pronoun token, points
to its antecedent token. The C++ engine runs the same computation from models/coref-bert/
(tests/data/coref-golden holds its expected outputs, written by golden.py).

    model, tok, config = load("models/coref-bert")
    model.predict("The animal didn't cross the street because it was too tired.", tok)
    # [{'pronoun': 8, 'antecedent': 2, 'pronoun_text': 'it', 'antecedent_text': 'animal', 'score': 0.9}]

Pointer head, for a pronoun token i of the last hidden states h [N, hidden]:
    q = Wq h_i + bq            k_j = Wk h_j + bk              (both [D])
    score_j = q . k_j / sqrt(D) over candidates j = every token except [CLS], [SEP] and i
    p = softmax(score) over the candidates; antecedent = argmax p; its score = max p
A pronoun token is one whose basic word has exactly one wordpiece that, lowercased, is in PRONOUNS.
"""

import json
import math
import os
import struct
import sys
import unicodedata

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from reference.wordpiece import WordPiece, clean  # noqa: E402

PRONOUNS = ["he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself",
            "they", "them", "their", "theirs", "themselves"]


class SelfAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)

    def forward(self, x, key_mask=None):  # x: [batch, tokens, hidden]; key_mask: [batch, tokens] True = real
        b, n, hidden = x.shape
        d = hidden // self.heads

        def split(t):  # [batch, tokens, hidden] -> [batch, heads, tokens, d]
            return t.view(b, n, self.heads, d).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(d)  # [batch, heads, tokens, tokens]
        if key_mask is not None:
            scores = scores.masked_fill(~key_mask[:, None, None, :], float("-inf"))
        probs = torch.softmax(scores, dim=-1)
        context = (probs @ v).transpose(1, 2).reshape(b, n, hidden)
        return context, probs


class Layer(nn.Module):
    def __init__(self, hidden, heads, intermediate, eps, dropout):
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
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, key_mask=None):
        context, probs = self.attention.self(x, key_mask)
        a = self.attention.output.LayerNorm(self.dropout(self.attention.output.dense(context)) + x)
        h = nn.functional.gelu(self.intermediate.dense(a))  # erf GELU
        return self.output.LayerNorm(self.dropout(self.output.dense(h)) + a), probs


class CorefBert(nn.Module):
    """BertModel (no pooler) + pointer head `coreference.{query,key}`; an MLM head for pretraining only
    (`mlm.*`, never saved)."""

    def __init__(self, config):
        super().__init__()
        c = self.config = dict(config)
        hidden, eps = c["hidden_size"], c["layer_norm_eps"]
        self.embeddings = nn.Module()
        self.embeddings.word_embeddings = nn.Embedding(c["vocab_size"], hidden)
        self.embeddings.position_embeddings = nn.Embedding(c["max_position_embeddings"], hidden)
        self.embeddings.token_type_embeddings = nn.Embedding(c["type_vocab_size"], hidden)
        self.embeddings.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList(
            Layer(hidden, c["num_attention_heads"], c["intermediate_size"], eps, c["hidden_dropout_prob"])
            for _ in range(c["num_hidden_layers"]))
        size = c["coreference_pointer"]["size"]
        self.coreference = nn.Module()
        self.coreference.query = nn.Linear(hidden, size)
        self.coreference.key = nn.Linear(hidden, size)
        self.mlm = nn.Module()  # BertLMPredictionHead: dense + GELU + LayerNorm, decoder tied to the embeddings
        self.mlm.dense = nn.Linear(hidden, hidden)
        self.mlm.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.mlm.bias = nn.Parameter(torch.zeros(c["vocab_size"]))
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])
        std = c["initializer_range"]
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=std)
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def encode(self, ids, key_mask=None):
        """ids: [batch, tokens] -> hidden [batch, tokens, hidden], attention [layers, batch, heads, N, N]."""
        e = self.embeddings
        positions = torch.arange(ids.shape[1])
        x = e.word_embeddings(ids) + e.position_embeddings(positions)[None] + e.token_type_embeddings.weight[0]
        x = self.dropout(e.LayerNorm(x))
        maps = []
        for layer in self.encoder.layer:
            x, probs = layer(x, key_mask)
            maps.append(probs)
        return x, torch.stack(maps)

    def mlm_logits(self, h):  # h: [..., hidden] -> [..., vocab]
        t = self.mlm.LayerNorm(nn.functional.gelu(self.mlm.dense(h)))
        return t @ self.embeddings.word_embeddings.weight.T + self.mlm.bias

    def pointer_log_probs(self, h, pronoun, candidate_mask):
        """h: [batch, N, hidden]; pronoun: [batch] token index; candidate_mask: [batch, N] True = candidate
        -> log p [batch, N] (-inf off the candidates)."""
        rows = torch.arange(h.shape[0])
        q = self.coreference.query(h[rows, pronoun])  # [batch, D]
        k = self.coreference.key(h)  # [batch, N, D]
        scores = (k @ q[:, :, None])[:, :, 0] / math.sqrt(q.shape[-1])
        scores = scores.masked_fill(~candidate_mask, float("-inf"))
        return torch.log_softmax(scores, dim=-1)

    def saved_state(self):
        """The tensors written to model.safetensors: BertModel names without a prefix + coreference.*."""
        return {k: v.detach().float().contiguous() for k, v in self.state_dict().items() if not k.startswith("mlm.")}

    @torch.no_grad()
    def run(self, ids):
        """One unpadded sequence. ids: list of ints -> hidden [N, hidden], attention [layers, heads, N, N],
        pointer {pronoun token index: probabilities [N] (0 off the candidates)} for the given pronoun indexes."""
        was = self.training
        self.eval()
        x = torch.tensor([ids])
        h, att = self.encode(x)
        self.train(was)
        return h[0], att[:, 0]

    @torch.no_grad()
    def pointer(self, h, i, candidates=None):
        """h: [N, hidden] -> p [N] for the pronoun at token i over the candidate tokens (a [N] bool mask;
        default every token but [CLS], [SEP]); 0 elsewhere and at i."""
        n = h.shape[0]
        mask = torch.ones(1, n, dtype=torch.bool) if candidates is None else candidates.clone()[None]
        mask[0, 0] = mask[0, n - 1] = mask[0, i] = False
        return self.pointer_log_probs(h[None], torch.tensor([i]), mask)[0].exp()

    @torch.no_grad()
    def predict(self, text, tok, max_tokens=512):
        """Every pronoun of text -> [{pronoun, antecedent (token indexes, [CLS] = 0), pronoun_text,
        antecedent_text (the antecedent token's whole basic word as written in text), score}]."""
        tokens, ids, word_of, words = encode_words(tok, text, max_tokens)
        h, _ = self.run(ids)
        spans = word_spans(text, words, tok)
        candidates = mention_tokens(tokens, word_of, words, [written(text, spans, w, words) for w in range(len(words))], tok)
        out = []
        for i in pronoun_tokens(tok, tokens, word_of, words):
            if not any(candidates[j] for j in range(len(ids)) if j != i):  # no mention to point to: no link
                continue
            p = self.pointer(h, i, candidates)
            j = int(p.argmax())
            out.append({"pronoun": i, "antecedent": j, "pronoun_text": written(text, spans, word_of[i], words),
                        "antecedent_text": written(text, spans, word_of[j], words), "score": float(p[j])})
        return out


def encode_words(tok, text, max_tokens=512):
    """-> tokens ([CLS] ... [SEP]), ids, word_of (token index -> basic word index, -1 for [CLS]/[SEP]),
    words [(basic word, pieces)]; cut to max_tokens as WordPiece.encode does."""
    words = tok.word_pieces(text)
    tokens, word_of = [tok.cls], [-1]
    for w, (_, pieces) in enumerate(words):
        for p in pieces:
            tokens.append(p)
            word_of.append(w)
    tokens, word_of = tokens[:max_tokens - 1] + [tok.sep], word_of[:max_tokens - 1] + [-1]
    return tokens, [tok.ids[t] for t in tokens], word_of, words


# Mention detection for the pointer (config.json coreference_pointer.candidates = "mentions"): a basic word can be
# an antecedent when it is alphabetic, neither a pronoun nor a determiner, and follows a determiner ("the
# animal") or is written with a capital letter and does not start a sentence ("Kathleen Nott"); words the
# tokenizer made [UNK] cannot. engine/models/encoder/encoder_model.cpp implements the same rule.
DETERMINERS = ["the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "my", "your", "our"]
SENTENCE_ENDS = {".", "!", "?"}


def mention_words(words, written_forms, unk="[UNK]"):
    """words: [(basic word, pieces)]; written_forms: each word as written -> set of word indexes."""
    out = set()
    for k, (w, pieces) in enumerate(words):
        if not w.isalpha() or w in PRONOUNS or w in DETERMINERS or pieces == [unk]:
            continue
        previous = words[k - 1][0] if k > 0 else None
        capital = written_forms[k][:1] != "" and unicodedata.category(written_forms[k][0]) == "Lu"
        if previous in DETERMINERS or (capital and previous is not None and previous not in SENTENCE_ENDS):
            out.add(k)
    return out


def mention_tokens(tokens, word_of, words, written_forms, tok):
    """[N] bool mask: the tokens of mention words."""
    mentions = mention_words(words, written_forms, tok.unk)
    return torch.tensor([w >= 0 and w in mentions for w in word_of], dtype=torch.bool)


def text_mentions(tok, text, max_tokens=512):
    """-> tokens, [N] bool mask of mention tokens, for a whole text."""
    tokens, _, word_of, words = encode_words(tok, text, max_tokens)
    spans = word_spans(text, words, tok)
    return tokens, mention_tokens(tokens, word_of, words, [written(text, spans, w, words) for w in range(len(words))], tok)


def pronoun_tokens(tok, tokens, word_of, words):
    return [i for i, w in enumerate(word_of)
            if w >= 0 and len(words[w][1]) == 1 and tokens[i].lower() in PRONOUNS]


def _normal(s, tok):
    """What basic tokenization makes of a piece of the original text (lowercase, accents stripped, NFC)."""
    s = unicodedata.normalize("NFC", clean(s))
    if tok.lowercase:
        s = s.lower()
        if tok.strip_accents is not False:
            s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    elif tok.strip_accents:
        s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    return s.replace(" ", "")


def word_spans(text, words, tok):
    """Character span in text of each basic word (None where it cannot be aligned)."""
    spans, pos = [], 0
    for word, _ in words:
        while pos < len(text) and (text[pos].isspace() or _normal(text[pos], tok) == ""):
            pos += 1
        found = None
        for length in range(1, len(word) + 8):
            if pos + length > len(text):
                break
            if _normal(text[pos:pos + length], tok) == word:
                found = (pos, pos + length)
                break
        spans.append(found)
        if found:
            pos = found[1]
    return spans


def written(text, spans, w, words):
    return text[spans[w][0]:spans[w][1]] if spans[w] else words[w][0]


# ---- safetensors, written and read with numpy only (no pickle) ----

def write_safetensors(path, tensors):
    """tensors: {name: float array} -> F32 safetensors (8-byte little-endian header length, JSON, data)."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(np.asarray(tensors[name], dtype="<f4"))
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        blobs.append(a.tobytes())
        offset += a.nbytes
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", (name, info["dtype"])
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(data[8 + n + start:8 + n + end], dtype="<f4").reshape(info["shape"]).copy()
    return out


def load(folder):
    """models/coref-bert -> (model in eval mode, WordPiece tokenizer, config dict)."""
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    with open(os.path.join(folder, "vocab.txt"), encoding="utf-8") as f:
        vocab = f.read().split("\n")
    if vocab and vocab[-1] == "":
        vocab.pop()
    model = CorefBert(config)
    tensors = read_safetensors(os.path.join(folder, "model.safetensors"))
    state = model.state_dict()
    missing = [k for k in state if not k.startswith("mlm.") and k not in tensors]
    extra = [k for k in tensors if k not in state]
    if missing or extra:
        raise ValueError(f"{folder}/model.safetensors: missing {missing}, unexpected {extra}")
    model.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()}, strict=False)
    model.eval()
    return model, WordPiece(vocab, lowercase=True), config
