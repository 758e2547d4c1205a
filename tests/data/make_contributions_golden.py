#!/usr/bin/env python3
"""Writes tests/data/contributions-golden/: value-norm (Kobayashi et al. 2020) and ALTI (Ferrando et al. 2022)
golden arrays from models/reference/contributions.py (float64 numpy), for four models:

- bert_seqcls.npz: ../shared/real-checkpoints/bert_seqcls (written by transformers), its 3 oracle id sequences;
- tiny_hf_bert.npz: tests/data/tiny-hf-bert, 3 id sequences picked here;
- coref_bert.npz: models/coref-bert, TEXT tokenised by models/reference/wordpiece.py;
- tiny_hf_vit.npz: tests/data/tiny-hf-vit (pre-LN), the pixels of tests/data/tiny-hf-vit-golden/rgb-32x32.npz.

Per case k (BERT): ids_k, types_k int64 [N]; value_norm_k [L, H, N, N]; value_norm_sum_k, alti_k [L, N, N];
alti_rollout_k [N, N]; ln1_out_k [L, N, D]. ViT: pixels float32 [C, H, W] and the same keys for k = 0 (ln1_out_0 is
layernorm_before's output there) plus attn_residual_out_0 [L, N, D]. numpy.savez, float64, no pickles.

  /usr/bin/python3 tests/data/make_contributions_golden.py        # from the repository root
"""
import json
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
from reference import contributions as ref  # noqa: E402
from reference.wordpiece import WordPiece  # noqa: E402

OUT = os.path.join(ROOT, "tests/data/contributions-golden")
TEXT = "The animal didn't cross the street because it was too tired."
# tiny-hf-bert ids (vocab.txt: 1 [UNK], 2 [CLS], 3 [SEP]): a sentence; a pair with [UNK], ## pieces and token
# types 0/1; the shortest (N = 5).
TINY_CASES = [
    ([2, 5, 6, 14, 16, 18, 3], [0] * 7),                          # the animal was tired .
    ([2, 13, 14, 15, 17, 3, 12, 22, 11, 1, 29, 30, 24, 20, 3],    # it was too wide [SEP] because a street [UNK]
     [0] * 6 + [1] * 9),                                          # play ##er ##s !
    ([2, 32, 31, 28, 3], [0] * 5),                                # quick ##ly walk
]
VIT_GOLDEN = "tests/data/tiny-hf-vit-golden/rgb-32x32.npz"


def bert_cases(folder, cases):
    """[(ids, types)] -> npz arrays for every case, invariants checked (alti() asserts resultant == LN output)."""
    model = ref.load(folder, "bert.")
    arrays = {}
    for k, (ids, types) in enumerate(cases):
        layers, _ = ref.bert_forward(model, ids, types)
        case = ref.case_arrays(layers, post_ln=True)
        ref.check_invariants(case, f"{os.path.basename(folder)} case {k}")
        arrays[f"ids_{k}"], arrays[f"types_{k}"] = np.array(ids, np.int64), np.array(types, np.int64)
        arrays.update({f"{key}_{k}": value for key, value in case.items()})
    return arrays


def oracle_cases():
    with open(os.path.join(ref.ORACLE, "_provenance", "tiny_bert_seqcls_logits.json"), encoding="utf-8") as f:
        oracle = json.load(f)
    return list(zip(oracle["sequences"], oracle["token_types"]))


def coref_case():
    folder = os.path.join(ROOT, "models/coref-bert")
    with open(os.path.join(folder, "vocab.txt"), encoding="utf-8") as f:
        vocab = [line.rstrip("\n") for line in f]
    tokens, ids = WordPiece(vocab).encode(TEXT, 512)
    print("coref-bert tokens:", " ".join(tokens))
    return [(ids, [0] * len(ids))]


def vit_case():
    """The ViT arrays, and the forward checked against the golden's own (float32 PyTorch) outputs."""
    golden = np.load(os.path.join(ROOT, VIT_GOLDEN))
    model = ref.load(os.path.join(ROOT, "tests/data/tiny-hf-vit"), "vit.")
    layers, hidden, probabilities = ref.vit_forward(model, golden["pixels"])
    attention = np.stack([layer["probs"] for layer in layers])
    for key, ours in (("attention", attention), ("hidden", hidden), ("probabilities", probabilities)):
        diff = np.abs(ours - golden[key]).max()
        print(f"tiny-hf-vit {key} vs {os.path.basename(VIT_GOLDEN)}: max |diff| = {diff:.3e}")
        assert diff < 1e-4, f"the ViT forward does not match the golden {key}"
    case = ref.case_arrays(layers, post_ln=False)
    ref.check_invariants(case, "tiny-hf-vit")
    return dict(pixels=golden["pixels"].astype(np.float32), **{f"{key}_0": value for key, value in case.items()})


def describe(name, arrays):
    print(f"{name}: {os.path.getsize(os.path.join(OUT, name))} bytes")
    for key, value in arrays.items():
        print(f"  {key} {value.dtype} {list(value.shape)}" + (f" {value.tolist()}" if key.startswith("ids") else ""))


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {
        "bert_seqcls.npz": bert_cases(ref.ORACLE, oracle_cases()),
        "tiny_hf_bert.npz": bert_cases(os.path.join(ROOT, "tests/data/tiny-hf-bert"), TINY_CASES),
        "coref_bert.npz": bert_cases(os.path.join(ROOT, "models/coref-bert"), coref_case()),
        "tiny_hf_vit.npz": vit_case(),
    }
    for name, arrays in files.items():
        np.savez(os.path.join(OUT, name), **arrays)
        describe(name, arrays)


if __name__ == "__main__":
    main()
