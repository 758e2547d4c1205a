#!/usr/bin/env python3
"""Writes tests/data/contributions-golden/edge_knockout.npz: attention-edge knockout (Geva, Bastings, Filippova,
Globerson 2023, "Dissecting Recall of Factual Associations in Auto-Regressive Language Models", section 5: the
attention from query positions F to key positions J is blocked by setting its score to -inf before the softmax, in
every head of a window of layers, and the change of the prediction is measured), computed by
models/reference/contributions.py's float64 numpy forwards, for the engine's edge knockout to match.

Definition (what the engine implements): for each layer l, the window is the k layers centred on l, cut at the
model's ends: layers max(0, l - (k - 1) // 2) .. min(L - 1, l + k // 2); every edge (i, j), i in F, j in J, is
blocked in every head of those layers; drops[l] = p(label) of the plain run - p(label) of the blocked run, label the
one the plain run predicts. A query row whose every key is blocked has no softmax: such requests are refused, never
computed.

Cases (arrays float64 unless said):
- bert_seqcls (../shared/real-checkpoints/bert_seqcls, written by transformers; its first oracle id sequence):
  cls_to_1_k1: F = {0}, J = {1}, k = 1; cls_to_1_2_k2: F = {0}, J = {1, 2}, k = 2; all_to_last_k3: F = every
  position but the last, J = {the last}, k = 3.
- tiny_hf_vit (tests/data/tiny-hf-vit on tests/data/tiny-hf-vit-golden/rgb-32x32.npz): cls_to_patches_k1:
  F = {0}, J = {1, 2, 3, 4}, k = 1.
Keys: <model>_reference [] (the plain probability), <model>_<case>_from, _to (int64), _window (int64 []),
_drops [L]; bert_seqcls_ids, bert_seqcls_types (int64 [N]); tiny_hf_vit_pixels (float32 [C, H, W]).

  /usr/bin/python3 tests/data/make_edge_knockout_golden.py        # from the repository root
"""
import json
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
from reference import contributions as ref  # noqa: E402

OUT = os.path.join(ROOT, "tests/data/contributions-golden/edge_knockout.npz")


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def window(layer, k, layers):
    """The k layers centred on `layer`, cut at the model's ends."""
    return range(max(0, layer - (k - 1) // 2), min(layers - 1, layer + k // 2) + 1)


def drops(probability, layers, sources, targets, k):
    """probability(blocked_edges) -> [L]: the plain run's predicted-label probability minus the blocked run's."""
    plain = probability(())
    label = int(np.argmax(plain))
    out = np.zeros(layers)
    for layer in range(layers):
        edges = tuple((l, i, j) for l in window(layer, k, layers) for i in sources for j in targets)
        out[layer] = plain[label] - probability(edges)[label]
    return plain[label], out


def add_case(arrays, model, case, probability, layers, sources, targets, k):
    reference, arrays[f"{model}_{case}_drops"] = drops(probability, layers, sources, targets, k)
    arrays[f"{model}_reference"] = np.array(reference)
    arrays[f"{model}_{case}_from"] = np.array(sources, np.int64)
    arrays[f"{model}_{case}_to"] = np.array(targets, np.int64)
    arrays[f"{model}_{case}_window"] = np.array(k, np.int64)


def main():
    arrays = {}
    model = ref.load(ref.ORACLE, "bert.")
    with open(os.path.join(ref.ORACLE, "_provenance", "tiny_bert_seqcls_logits.json"), encoding="utf-8") as f:
        oracle = json.load(f)
    ids, types = oracle["sequences"][0], oracle["token_types"][0]
    layers = model[0]["num_hidden_layers"]

    def bert_probability(blocked):
        _, hidden = ref.bert_forward(model, ids, types, blocked_edges=blocked)
        return softmax(ref.bert_logits(model, hidden))
    n = len(ids)
    add_case(arrays, "bert_seqcls", "cls_to_1_k1", bert_probability, layers, [0], [1], 1)
    add_case(arrays, "bert_seqcls", "cls_to_1_2_k2", bert_probability, layers, [0], [1, 2], 2)
    add_case(arrays, "bert_seqcls", "all_to_last_k3", bert_probability, layers, list(range(n - 1)), [n - 1], 3)
    arrays["bert_seqcls_ids"], arrays["bert_seqcls_types"] = np.array(ids, np.int64), np.array(types, np.int64)

    vit = ref.load(os.path.join(ROOT, "tests/data/tiny-hf-vit"), "vit.")
    pixels = np.load(os.path.join(ROOT, "tests/data/tiny-hf-vit-golden/rgb-32x32.npz"))["pixels"]

    def vit_probability(blocked):
        return ref.vit_forward(vit, pixels, blocked_edges=blocked)[2]
    add_case(arrays, "tiny_hf_vit", "cls_to_patches_k1", vit_probability, vit[0]["num_hidden_layers"], [0],
             [1, 2, 3, 4], 1)
    arrays["tiny_hf_vit_pixels"] = pixels.astype(np.float32)
    np.savez(OUT, **arrays)
    for key in sorted(arrays):
        print(key, np.round(arrays[key], 6).tolist() if arrays[key].size < 20 else arrays[key].shape)


if __name__ == "__main__":
    main()
