#!/usr/bin/env python3
"""Writes tests/data/contributions-golden/globenc_vz_<case>.npz: GlobEnc (Modarressi et al. 2022) and Value Zeroing
(Mohebbi et al. 2023) golden arrays from models/reference/globenc.py and models/reference/value_zeroing.py (float64
numpy; their docstrings state every convention), for the four cases of make_contributions_golden.py (imported, not
modified): bert_seqcls (3 oracle id sequences), tiny_hf_bert (3), coref_bert (1), tiny_hf_vit (1, pre-LN).

Per case k (BERT): ids_k, types_k int64 [N]; globenc_k, value_zeroing_k float64 [L, N, N]; globenc_rollout_k,
globenc_rownorm_rollout_k, value_zeroing_rollout_k float64 [N, N]. ViT: pixels float32 [C, H, W] and the same keys
for k = 0. numpy.savez, no pickles.

Every case is checked as it is written: the GlobEnc decomposition invariants (globenc.decomposition), value zeroing's
identity (zeroing nothing reproduces each layer output), and both methods against the float64 PyTorch
re-implementations of --check (a forward hook zeroing value rows; GlobEnc from the torch layer's own intermediates).

  /usr/bin/python3 tests/data/make_globenc_vz_golden.py        # from the repository root
"""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_contributions_golden as cases  # noqa: E402  (its case builders; it puts models/ on sys.path)
from reference import contributions as ref  # noqa: E402
from reference import globenc  # noqa: E402
from reference import value_zeroing as vz  # noqa: E402

OUT = cases.OUT


def one_case(name, model, layers, post_ln, **inputs):
    """Records of one input -> its golden arrays, after every check."""
    g, gap = globenc.case_arrays(layers, post_ln)
    globenc.check_arrays(g, name)
    z, raw = vz.case_arrays(layers, post_ln)
    vz.check_arrays(z, name)
    encoder, states = vz.cross_check(name, model, layers, z, raw, post_ln, **inputs)
    globenc.check_torch(name, encoder, states, g)
    print(f"{name}: GlobEnc invariants within {gap:.1e}")
    return {**g, **z}


def bert_file(folder, inputs):
    model = ref.load(folder, "bert.")
    arrays = {}
    for k, (ids, types) in enumerate(inputs):
        layers, _ = ref.bert_forward(model, ids, types)
        case = one_case(f"{os.path.basename(folder)} case {k}", model, layers, True, ids=ids, types=types)
        arrays[f"ids_{k}"], arrays[f"types_{k}"] = np.array(ids, np.int64), np.array(types, np.int64)
        arrays.update({f"{key}_{k}": value for key, value in case.items()})
    return arrays


def vit_file():
    model = ref.load(os.path.join(cases.ROOT, "tests/data/tiny-hf-vit"), "vit.")
    pixels = np.load(os.path.join(cases.ROOT, cases.VIT_GOLDEN))["pixels"]
    layers, _, _ = ref.vit_forward(model, pixels)
    case = one_case("tiny-hf-vit", model, layers, False, pixels=pixels)
    return dict(pixels=pixels.astype(np.float32), **{f"{key}_0": value for key, value in case.items()})


def main():
    files = {
        "globenc_vz_bert_seqcls.npz": bert_file(ref.ORACLE, cases.oracle_cases()),
        "globenc_vz_tiny_hf_bert.npz": bert_file(os.path.join(cases.ROOT, "tests/data/tiny-hf-bert"), cases.TINY_CASES),
        "globenc_vz_coref_bert.npz": bert_file(os.path.join(cases.ROOT, "models/coref-bert"), cases.coref_case()),
        "globenc_vz_tiny_hf_vit.npz": vit_file(),
    }
    os.makedirs(OUT, exist_ok=True)
    for name, arrays in files.items():
        np.savez(os.path.join(OUT, name), **arrays)
        cases.describe(name, arrays)


if __name__ == "__main__":
    main()
