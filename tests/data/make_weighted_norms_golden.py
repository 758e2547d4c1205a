#!/usr/bin/python3
"""Writes tests/data/contributions-golden/weighted_norms.npz: the RNN models' value norm analogue a_j ‖h_j‖
(engine/models/rnn/weighted_norms.h; Kobayashi et al. 2020 applied to a context c = sum_j a_j h_j) computed by the
PyTorch references, for tests/golden/test_weighted_norms_golden.cpp.

- seq2seq: every tests/data/tiny-seq2seq-<variant> package in models/seq2seq/model.py's Seq2Seq, the golden cases
  of tests/data/tiny-seq2seq-golden/<variant>.json force-decoded (train.py forced_attention): the attention a [T, S],
  the annotations h_j = [forward_j ; backward_j] from Seq2Seq.encode, and cross_norm[t, j] = a_tj ‖h_j‖₂.
  Keys: <variant>/case<k>/cross, <variant>/case<k>/cross_norm.
- han: the shipped models/han-movie-reviews package in models/han/model.py's HAN, the documents of
  tests/data/han-golden/case<k>.txt; model.masked_attention is wrapped to record each level's states and weights,
  so word_norm and sentence_norm are a_t ‖h_t‖ of exactly what the model pools. Keys: han/case<k>/word_norm (all
  words, sentence after sentence), han/case<k>/sentence_norm.

  /usr/bin/python3 tests/data/make_weighted_norms_golden.py
"""
import json
import os
import sys

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models", "seq2seq"))
sys.path.insert(0, os.path.join(ROOT, "models"))
import data as seq2seq_data  # noqa: E402
from export import load_state_dict  # noqa: E402
from model import VARIANTS, Seq2Seq  # noqa: E402
from text import tokenize  # noqa: E402
from train import ARCHITECTURE, forced_attention  # noqa: E402

DATA = os.path.join(ROOT, "tests", "data")
MAX_SOURCE_TOKENS = 12  # tests/data/make_tiny_seq2seq.py's: the source is cut as attnviz cuts it


def read_lines(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read().split("\n")[:-1]


def seq2seq_norms(arrays):
    for variant in VARIANTS:
        package = os.path.join(DATA, f"tiny-seq2seq-{variant}")
        with open(os.path.join(package, "attnviz.json"), encoding="utf-8") as handle:
            manifest = json.load(handle)
        arch = manifest["architecture"]
        source_vocab = read_lines(os.path.join(package, manifest["files"]["source_vocab"]))
        target_vocab = read_lines(os.path.join(package, manifest["files"]["target_vocab"]))
        model = Seq2Seq(arch["attention"], len(source_vocab), len(target_vocab), **{k: arch[k] for k in ARCHITECTURE})
        state = {k: torch.from_numpy(v.copy()).float() for k, v in load_state_dict(os.path.join(package, "model.safetensors")).items()}
        model.load_state_dict(state)
        model.eval()
        source_index = {w: i for i, w in enumerate(source_vocab)}
        target_index = {w: i for i, w in enumerate(target_vocab)}
        with open(os.path.join(DATA, "tiny-seq2seq-golden", f"{variant}.json"), encoding="utf-8") as handle:
            cases = json.load(handle)["cases"]
        for k, case in enumerate(cases):
            source_ids = seq2seq_data.encode(tokenize(case["source"])[:MAX_SOURCE_TOKENS - 1], source_index)
            target_ids = seq2seq_data.encode(tokenize(case["target"]), target_index)
            weights, _ = forced_attention(model, source_ids, target_ids)  # [T, S]
            with torch.no_grad():
                annotations = model.encode(torch.tensor(source_ids).unsqueeze(1), torch.tensor([len(source_ids)]))[0]
            norms = annotations[:, 0, :].norm(dim=-1)  # [S]
            arrays[f"{variant}/case{k}/cross"] = weights.numpy()
            arrays[f"{variant}/case{k}/cross_norm"] = (weights * norms[None, :]).numpy()


def han_norms(arrays):
    sys.path.insert(0, os.path.join(ROOT, "models", "han"))
    for name in ("data", "model"):
        sys.modules.pop(name, None)  # models/han's data.py and model.py, not seq2seq's
    import model as han_model  # noqa: E402
    from golden import load_package  # noqa: E402
    import data as han_data  # noqa: E402
    model, index, _ = load_package(os.path.join(ROOT, "models", "han-movie-reviews"))
    recorded = []
    original = han_model.masked_attention

    def recording(states, lengths, projection, context):
        weights, pooled = original(states, lengths, projection, context)
        recorded.append((states, lengths, weights))
        return weights, pooled

    han_model.masked_attention = recording
    k = 0
    while os.path.exists(os.path.join(DATA, "han-golden", f"case{k}.txt")):
        sentences = [line.split(" ") for line in read_lines(os.path.join(DATA, "han-golden", f"case{k}.txt"))]
        recorded.clear()
        with torch.no_grad():
            model([han_data.encode(sentences, index)])
        (word_states, word_lengths, word_weights), (sentence_states, counts, sentence_weights) = recorded
        words = [word_weights[i, :n] * word_states[i, :n].norm(dim=-1) for i, n in enumerate(word_lengths.tolist())]
        n = int(counts[0])
        arrays[f"han/case{k}/word_norm"] = torch.cat(words).numpy()
        arrays[f"han/case{k}/sentence_norm"] = (sentence_weights[0, :n] * sentence_states[0, :n].norm(dim=-1)).numpy()
        k += 1
    han_model.masked_attention = original


def main():
    torch.set_num_threads(1)
    arrays = {}
    seq2seq_norms(arrays)
    han_norms(arrays)
    out = os.path.join(DATA, "contributions-golden", "weighted_norms.npz")
    np.savez(out, **{k: v.astype(np.float32) for k, v in arrays.items()})
    print(f"{out}: {len(arrays)} arrays")


if __name__ == "__main__":
    main()
