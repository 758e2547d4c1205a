#!/usr/bin/env python3
"""Writes random-weight Hugging Face checkpoints for the HF loading tests, and their PyTorch golden outputs:

- tests/data/tiny-hf-bert/: BertForSequenceClassification layout ("bert." prefix, pooler, classifier,
  id2label) plus an unused masked-LM tensor ("cls.predictions.bias"), config.json, vocab.txt,
  tokenizer_config.json;
- tests/data/tiny-hf-distilbert.zip: DistilBertForSequenceClassification layout ("distilbert.transformer...",
  "pre_classifier" with ReLU, no token types) with tokenizer.json instead of vocab.txt;
- tests/data/tiny-hf-golden/: bert.npz / distilbert.npz (self-attention and probabilities per case) and
  cases.tsv (text, wordpieces).

- tests/data/tiny-hf-coref/ and tiny-hf-golden/coref.tsv: a BertModel with attnviz's coreference pointer head
  and the links it gives (write_coref).

Tokenization: models/reference/wordpiece.py (tested on its own by tests/unit/test_wordpiece.cpp). Weights are
random: attention and predictions mean nothing.

  /usr/bin/python3 tests/data/make_tiny_hf_bert.py        # from the repository root
"""
import io
import json
import os
import re
import sys
import zipfile

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
from export import safetensors_bytes  # noqa: E402
from reference.encoder import Encoder  # noqa: E402
from reference.wordpiece import WordPiece  # noqa: E402

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PIECES = """the animal didn ' t cross street because it was too tired wide . , ! ? a
##ing ##s ##ed ##d tire walk play ##er ##ly quick quiet""".split()
CONFIG = dict(vocab_size=0, hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32,
              max_position_embeddings=24, type_vocab_size=2, layer_norm_eps=1e-12)
LABELS = ["NEGATIVE", "POSITIVE"]
COREF_CASES = [
    "the animal didn't cross the street because it was too tired.",
    "Quickly walking players played because it was tired and it walked.",
    "it",
]
CASES = [
    "The animal didn't cross the street because it was too tired.",
    "Crossing streets tires animals!",  # ## pieces and [UNK]
    "quickly walking players played quietly , playing walkers walked " * 3,  # truncated to 24 tokens
]


def wordpiece(text, vocab, max_tokens):
    tokens, ids = WordPiece(list(vocab)).encode(text, max_tokens)
    return tokens, torch.tensor(ids)


def write_coref(vocab_list, golden_dir):
    """tests/data/tiny-hf-coref/: a BertModel (no prefix, no classifier) with attnviz's coreference pointer head
    (config "coreference_pointer", "coreference_head", "attnviz_card"; tensors coreference.query/key), and
    golden links in tiny-hf-golden/coref.tsv: text, then per pronoun "pronoun antecedent score pronoun_text
    antecedent_text" (tab-separated groups). The pointer: q = Wq h_i + bq, k_j = Wk h_j + bk,
    p = softmax_j(q.k_j / sqrt(size)) over every token but [CLS], [SEP] and i; antecedent = argmax."""
    torch.manual_seed(20261123)
    arch = dict(CONFIG, vocab_size=len(vocab_list))
    model = Encoder(**arch).eval()
    size = 8
    query, key = torch.nn.Linear(arch["hidden_size"], size), torch.nn.Linear(arch["hidden_size"], size)
    pronouns = ["it", "its", "he", "she", "they"]
    tensors = {k: v.detach() for k, v in model.state_dict().items()}
    for name, linear in (("query", query), ("key", key)):
        tensors[f"coreference.{name}.weight"] = linear.weight.detach()
        tensors[f"coreference.{name}.bias"] = linear.bias.detach()
    config = dict(arch, model_type="bert", architectures=["BertModel"], hidden_act="gelu",
                  position_embedding_type="absolute", coreference_head=[1, 0],
                  coreference_pointer={"size": size, "pronouns": pronouns},
                  attnviz_card={"task": "random weights for tests", "data": "none"})
    out_dir = os.path.join(ROOT, "tests/data/tiny-hf-coref")
    os.makedirs(out_dir, exist_ok=True)
    files = {"config.json": json.dumps(config, indent=2).encode(), "model.safetensors": safetensors_bytes(tensors),
             "vocab.txt": "".join(t + "\n" for t in vocab_list).encode()}
    for name, data in files.items():
        with open(os.path.join(out_dir, name), "wb") as handle:
            handle.write(data)
    tok = WordPiece(vocab_list)
    lines = []
    with torch.no_grad():
        for text in COREF_CASES:
            words = tok.word_pieces(text)
            tokens, ids = tok.encode(text, arch["max_position_embeddings"])
            word_of = [-1] + [w for w, (_, pieces) in enumerate(words) for _ in pieces] + [-1]
            hidden, _, _ = model(torch.tensor(ids))
            q, k = query(hidden), key(hidden)
            fields = [text]
            for i, t in enumerate(tokens):
                single = i not in (0, len(tokens) - 1) and word_of.count(word_of[i]) == 1
                if not single or t not in pronouns:
                    continue
                candidates = [j for j in range(1, len(tokens) - 1) if j != i]
                if not candidates:  # the pronoun alone: nothing to point to, no link
                    continue
                p = torch.softmax(torch.stack([q[i] @ k[j] for j in candidates]) / size ** 0.5, 0)
                best = int(p.argmax())
                j = candidates[best]
                antecedent = "".join(x[2:] if x.startswith("##") else x
                                     for x, w in zip(tokens, word_of) if w == word_of[j])
                fields.append(f"{i} {j} {float(p[best]):.7f} {t} {antecedent}")
            lines.append("\t".join(fields))
    with open(os.path.join(golden_dir, "coref.tsv"), "w", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))


def distil_names(state):
    out = {}
    for name, value in state.items():
        if name.startswith("embeddings.token_type") or name.startswith("pooler."):
            continue
        m = re.match(r"encoder\.layer\.(\d+)\.(.*)", name)
        if m:
            rest = {"attention.self.query": "attention.q_lin", "attention.self.key": "attention.k_lin",
                    "attention.self.value": "attention.v_lin", "attention.output.dense": "attention.out_lin",
                    "attention.output.LayerNorm": "sa_layer_norm", "intermediate.dense": "ffn.lin1",
                    "output.dense": "ffn.lin2", "output.LayerNorm": "output_layer_norm"}
            for bert, distil in rest.items():
                if m.group(2).startswith(bert + "."):
                    name = f"transformer.layer.{m.group(1)}.{distil}" + m.group(2)[len(bert):]
                    break
            out["distilbert." + name] = value
        elif name.startswith("embeddings."):
            out["distilbert." + name] = value
        elif name == "classifier.weight" or name == "classifier.bias":
            out[name] = value
    return out


def main():
    torch.manual_seed(20261122)
    vocab_list = SPECIALS + PIECES
    vocab = {t: i for i, t in enumerate(vocab_list)}
    arch = dict(CONFIG, vocab_size=len(vocab_list))
    model = Encoder(**arch, num_labels=len(LABELS)).eval()
    with torch.no_grad():
        for layer in model.encoder.layer:  # sharper attention than the default init
            layer.attention.self.query.weight.mul_(3.0)
            layer.attention.self.key.weight.mul_(3.0)
    state = {k: v.detach() for k, v in model.state_dict().items()}
    id2label = {str(i): l for i, l in enumerate(LABELS)}

    # BERT folder.
    bert_dir = os.path.join(ROOT, "tests/data/tiny-hf-bert")
    os.makedirs(bert_dir, exist_ok=True)
    tensors = {("bert." + k if not k.startswith("classifier") else k): v for k, v in state.items()}
    tensors["cls.predictions.bias"] = torch.zeros(len(vocab_list))  # an MLM head tensor attnviz leaves unused
    config = dict(arch, model_type="bert", architectures=["BertForSequenceClassification"], hidden_act="gelu",
                  position_embedding_type="absolute", id2label=id2label, label2id={l: i for i, l in enumerate(LABELS)})
    files = {"config.json": json.dumps(config, indent=2).encode(), "model.safetensors": safetensors_bytes(tensors),
             "vocab.txt": "".join(t + "\n" for t in vocab_list).encode(),
             "tokenizer_config.json": json.dumps({"do_lower_case": True, "tokenizer_class": "BertTokenizer"}).encode()}
    for name, data in files.items():
        with open(os.path.join(bert_dir, name), "wb") as handle:
            handle.write(data)

    # DistilBERT zip: same layers, no token types, pre_classifier + ReLU head, tokenizer.json.
    pre = torch.nn.Linear(arch["hidden_size"], arch["hidden_size"])
    distil_state = distil_names(state)
    distil_state["pre_classifier.weight"] = pre.weight.detach()
    distil_state["pre_classifier.bias"] = pre.bias.detach()
    distil_config = dict(model_type="distilbert", architectures=["DistilBertForSequenceClassification"],
                         vocab_size=len(vocab_list), dim=arch["hidden_size"], n_layers=arch["num_hidden_layers"],
                         n_heads=arch["num_attention_heads"], hidden_dim=arch["intermediate_size"],
                         max_position_embeddings=arch["max_position_embeddings"], activation="gelu",
                         sinusoidal_pos_embds=False, id2label=id2label)
    tokenizer_json = {"version": "1.0", "normalizer": {"type": "BertNormalizer", "lowercase": True, "strip_accents": None,
                                                      "handle_chinese_chars": True, "clean_text": True},
                      "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                                "max_input_chars_per_word": 100, "vocab": vocab}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("config.json", json.dumps(distil_config, indent=2).encode()),
                           ("model.safetensors", safetensors_bytes(distil_state)),
                           ("tokenizer.json", json.dumps(tokenizer_json).encode())):
            entry = zipfile.ZipInfo("tiny-hf-distilbert/" + name, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    with open(os.path.join(ROOT, "tests/data/tiny-hf-distilbert.zip"), "wb") as handle:
        handle.write(buffer.getvalue())

    golden_dir = os.path.join(ROOT, "tests/data/tiny-hf-golden")
    os.makedirs(golden_dir, exist_ok=True)
    bert, distil, lines = {}, {}, []
    with torch.no_grad():
        for i, text in enumerate(CASES):
            tokens, ids = wordpiece(text, vocab, arch["max_position_embeddings"])
            _, attention, probabilities = model(ids)
            bert[f"case{i}_self"], bert[f"case{i}_probabilities"] = attention.numpy(), probabilities.numpy()
            # DistilBERT: no token type row added; head = classifier(relu(pre_classifier(x[CLS]))).
            saved = model.embeddings.token_type_embeddings.weight.clone()
            model.embeddings.token_type_embeddings.weight.zero_()
            hidden, attention, _ = model(ids)
            model.embeddings.token_type_embeddings.weight.copy_(saved)
            logits = model.classifier(torch.relu(pre(hidden[0])))
            distil[f"case{i}_self"], distil[f"case{i}_probabilities"] = attention.numpy(), torch.softmax(logits, -1).numpy()
            lines.append(text + "\t" + " ".join(tokens))
    np.savez(os.path.join(golden_dir, "bert.npz"), **bert)
    np.savez(os.path.join(golden_dir, "distilbert.npz"), **distil)
    with open(os.path.join(golden_dir, "cases.tsv"), "w", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))
    write_coref(vocab_list, golden_dir)
    print(f"wrote tiny-hf-bert, tiny-hf-distilbert.zip, tiny-hf-coref and {len(CASES)} + {len(COREF_CASES)} golden cases")


if __name__ == "__main__":
    main()
