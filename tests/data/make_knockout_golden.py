#!/usr/bin/env python3
"""Writes tests/data/contributions-golden/knockout.npz: head knockout (Michel et al. 2019) computed by
models/reference/contributions.py's float64 numpy forwards with the head's context columns zeroed before the
output projection, for

- bert_seqcls: ../shared/real-checkpoints/bert_seqcls (BertForSequenceClassification written by transformers),
  its first oracle id sequence: the probability of the label the unmodified run predicts;
- tiny_hf_vit: tests/data/tiny-hf-vit on the pixels of tests/data/tiny-hf-vit-golden/rgb-32x32.npz: the same.

Arrays (float64): <model>_reference [] (that probability), <model>_one [L, H] (reference - probability with head
(l, h) zeroed), <model>_all_but_one [L, H] (reference - probability with every other head of layer l zeroed);
bert_seqcls_ids, bert_seqcls_types int64 [N]; tiny_hf_vit_pixels float32 [C, H, W]. numpy.savez, no pickles.

  /usr/bin/python3 tests/data/make_knockout_golden.py        # from the repository root
"""
import json
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
from reference import contributions as ref  # noqa: E402

OUT = os.path.join(ROOT, "tests/data/contributions-golden/knockout.npz")


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def grids(probability, layers, heads):
    """probability(knocked_out) -> (reference, one [L, H], all_but_one [L, H]) for the label the plain run predicts."""
    plain = probability(())
    label = int(np.argmax(plain))
    one, rest = np.zeros((layers, heads)), np.zeros((layers, heads))
    for layer in range(layers):
        for head in range(heads):
            one[layer, head] = plain[label] - probability(((layer, head),))[label]
            others = tuple((layer, h) for h in range(heads) if h != head)
            rest[layer, head] = plain[label] - probability(others)[label]
    return plain[label], one, rest


def main():
    arrays = {}
    model = ref.load(ref.ORACLE, "bert.")
    with open(os.path.join(ref.ORACLE, "_provenance", "tiny_bert_seqcls_logits.json"), encoding="utf-8") as f:
        oracle = json.load(f)
    ids, types = oracle["sequences"][0], oracle["token_types"][0]
    config = model[0]

    def bert_probability(knocked):
        _, hidden = ref.bert_forward(model, ids, types, knocked)
        return softmax(ref.bert_logits(model, hidden))
    arrays["bert_seqcls_reference"], arrays["bert_seqcls_one"], arrays["bert_seqcls_all_but_one"] = grids(
        bert_probability, config["num_hidden_layers"], config["num_attention_heads"])
    arrays["bert_seqcls_ids"], arrays["bert_seqcls_types"] = np.array(ids, np.int64), np.array(types, np.int64)

    vit = ref.load(os.path.join(ROOT, "tests/data/tiny-hf-vit"), "vit.")
    pixels = np.load(os.path.join(ROOT, "tests/data/tiny-hf-vit-golden/rgb-32x32.npz"))["pixels"]

    def vit_probability(knocked):
        return ref.vit_forward(vit, pixels, knocked)[2]
    arrays["tiny_hf_vit_reference"], arrays["tiny_hf_vit_one"], arrays["tiny_hf_vit_all_but_one"] = grids(
        vit_probability, vit[0]["num_hidden_layers"], vit[0]["num_attention_heads"])
    arrays["tiny_hf_vit_pixels"] = pixels.astype(np.float32)
    np.savez(OUT, **arrays)
    for key in sorted(arrays):
        print(key, np.round(arrays[key], 5).tolist() if arrays[key].size < 20 else arrays[key].shape)


if __name__ == "__main__":
    main()
