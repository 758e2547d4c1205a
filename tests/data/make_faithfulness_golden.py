#!/usr/bin/env python3
"""Writes tests/data/contributions-golden/faithfulness.npz: the faithfulness of every method's token ranking
(models/reference/faithfulness.py: AOPC comprehensiveness and sufficiency as ERASER defines them, Kendall's tau-b
against leave-one-out occlusion), on models/reference/contributions.py's float64 forwards, for

- bert_seqcls: ../shared/real-checkpoints/bert_seqcls (written by transformers; no vocabulary, so deletion only),
  its first oracle id sequence (16 tokens, two segments);
- tiny_hf_bert: tests/data/tiny-hf-bert on 14 hand-picked ids, removal by [MASK] (id 4) and by deletion;
- tiny_hf_vit: tests/data/tiny-hf-vit (pre-LN) on the pixels of the contributions golden, patches masked by zero
  pixels and deleted after the position embeddings.

Each method ranks the units by one row ([CLS]) of its map, as engine/analysis/faithfulness.h defines:
  attention      the last layer's attention, the mean of its heads
  rollout        attention rollout: per layer the heads' mean plus the identity, rows renormalised, multiplied from
                 the first layer up (Abnar & Zuidema 2020; engine/analysis/rollout.h)
  value-norm     value_norm_sum of the last layer (contributions.py)
  alti, globenc, value-zeroing   their rollouts (contributions.py, globenc.py, value_zeroing.py)
The prediction scored is the probability of the label the unmodified run predicts.

Arrays (float64 unless said): <case>_ids, <case>_types int64 [N] (text cases), tiny_hf_vit_pixels float32 [C, H, W];
per case: <case>_reference [], and per removal R (mask, delete) <case>_<R>_loo [M]; per method (its name with
'-' as '_') <case>_<method>_scores [M] and, per removal, <case>_<R>_<method>_kept [K] (the kept fractions),
_comprehensiveness [K], _sufficiency [K], _aopc [2] (comprehensiveness, sufficiency; NaN when none kept) and
_tau []. Each case's input is the first of its candidates on which no two scores of any method, and no two
leave-one-out values, come close: scores within 1e-5 of the largest, leave-one-out values within 2e-6: a float32 engine could rank a closer pair the other way, and
the golden would then test the tie, not the code. numpy.savez, no pickles.

  /usr/bin/python3 tests/data/make_faithfulness_golden.py        # from the repository root
"""
import json
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
from reference import contributions as ref  # noqa: E402
from reference import faithfulness as faith  # noqa: E402
from reference import globenc  # noqa: E402
from reference import value_zeroing  # noqa: E402

OUT = os.path.join(ROOT, "tests/data/contributions-golden/faithfulness.npz")
METHODS = ("attention", "rollout", "value-norm", "alti", "globenc", "value-zeroing")


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def attention_rollout(layers):  # [N, N]: heads averaged, identity added, rows renormalised, first layer first
    mats = []
    for layer in layers:
        a = layer["probs"].mean(0) + np.eye(layer["probs"].shape[-1])
        mats.append(a / a.sum(-1, keepdims=True))
    return ref.rollout(np.stack(mats))


def method_maps(layers, post_ln):
    """Every method's [N, N] map of one run."""
    return {"attention": layers[-1]["probs"].mean(0),
            "rollout": attention_rollout(layers),
            "value-norm": ref.value_norm_sum(layers[-1]),
            "alti": ref.rollout(np.stack([ref.alti(layer, post_ln) for layer in layers])),
            "globenc": globenc.case_arrays(layers, post_ln)[0]["globenc_rollout"],
            "value-zeroing": value_zeroing.case_arrays(layers, post_ln)[0]["value_zeroing_rollout"]}


def closest_tie(scores):  # the smallest gap between two values, over the largest |value|
    s = np.sort(np.asarray(scores))
    return float(np.min(np.diff(s)) / max(np.abs(s).max(), 1e-300)) if len(s) > 1 else np.inf


MIN_GAP = 1e-5  # relative to the largest score
MIN_LOO_GAP = 2e-6  # absolute: differences of float32 probabilities


def clear_of_ties(maps, first, units, probabilities):
    """No method's scores within MIN_GAP (of the largest) of a tie, no two leave-one-out values within MIN_LOO_GAP.
    -> (clear, the smallest relative score gap, the smallest leave-one-out gap)."""
    gaps = [closest_tie(maps[m][0, first:first + units]) for m in METHODS]
    loo_gaps = []
    for probability in probabilities.values():
        base = probability([])
        loo = np.sort([base - probability([u]) for u in range(units)])
        loo_gaps.append(float(np.min(np.diff(loo))))
    return min(gaps) >= MIN_GAP and min(loo_gaps) >= MIN_LOO_GAP, min(gaps), min(loo_gaps)


def write_case(out, case, maps, first, units, probabilities):
    """maps: method -> [N, N]; units: tokens first .. first + units - 1; probabilities: removal -> (removed units ->
    p(target))."""
    for method in METHODS:
        out[f"{case}_{method.replace('-', '_')}_scores"] = maps[method][0, first:first + units]
    for removal, probability in probabilities.items():
        out[f"{case}_reference"] = np.array(probability([]))
        loo = None
        for method in METHODS:
            r = faith.faithfulness_of_units(list(maps[method][0, first:first + units]), probability)
            name = f"{case}_{removal}_{method.replace('-', '_')}"
            out[name + "_kept"] = np.array(r["kept"], dtype=np.float64)
            out[name + "_comprehensiveness"] = np.array(r["comprehensiveness"])
            out[name + "_sufficiency"] = np.array(r["sufficiency"])
            out[name + "_aopc"] = np.array([r["aopc_comprehensiveness"], r["aopc_sufficiency"]])
            out[name + "_tau"] = np.array(r["tau"])
            loo = r["loo"]
            print(f"  {case} {removal:6s} {method:13s} AOPC comp {r['aopc_comprehensiveness']:+.4f} "
                  f"suff {r['aopc_sufficiency']:+.4f} tau {r['tau']:+.3f} (kept {r['kept']})")
        out[f"{case}_{removal}_loo"] = np.array(loo)


def text_case(out, case, model, candidates, removals):
    """candidates: (ids, types) pairs; the first clear of ties is written."""
    for number, (ids, types) in enumerate(candidates):
        layers, hidden = ref.bert_forward(model, ids, types)
        target = int(np.argmax(ref.bert_logits(model, hidden)))

        def probability_for(removal, replacement):
            def probability(units):
                i, t = faith.perturbed(ids, types, units, removal, replacement)
                return float(softmax(ref.bert_logits(model, ref.bert_forward(model, i, t)[1]))[target])
            return probability

        maps = method_maps(layers, post_ln=True)
        probabilities = {removal: probability_for(removal, replacement) for removal, replacement in removals}
        clear, gap, loo_gap = clear_of_ties(maps, 1, len(ids) - 2, probabilities)
        if not clear:
            continue
        print(f"  candidate {number}: {ids}, closest scores {gap:.1e} (of the largest), leave-one-out {loo_gap:.1e} apart")
        out[f"{case}_ids"] = np.array(ids, dtype=np.int64)
        out[f"{case}_types"] = np.array(types, dtype=np.int64)
        write_case(out, case, maps, 1, len(ids) - 2, probabilities)
        return
    raise SystemExit(f"{case}: no candidate clear of ties")


def vit_case(out, case, model, candidates):
    for number, pixels in enumerate(candidates):
        if vit_candidate(out, case, model, pixels, number):
            return
    raise SystemExit(f"{case}: no candidate clear of ties")


def vit_candidate(out, case, model, pixels, number):
    layers, _, probabilities = ref.vit_forward(model, pixels)
    target = int(np.argmax(probabilities))
    p = model[0]["patch_size"]
    cols = pixels.shape[2] // p

    def masked(units):  # the patches' pixels set to 0
        x = np.array(pixels, dtype=np.float64)
        for u in units:
            row, col = divmod(u, cols)
            x[:, row * p:(row + 1) * p, col * p:(col + 1) * p] = 0.0
        return float(ref.vit_forward(model, x)[2][target])

    def deleted(units):  # the patch tokens (1 + u) left out after the position embeddings
        return float(ref.vit_forward(model, pixels, dropped=[1 + u for u in units])[2][target])

    n = layers[0]["probs"].shape[-1]
    maps, probabilities = method_maps(layers, post_ln=False), {"mask": masked, "delete": deleted}
    clear, gap, loo_gap = clear_of_ties(maps, 1, n - 1, probabilities)
    if not clear:
        return False
    print(f"  candidate {number}: closest scores {gap:.1e} (of the largest), leave-one-out {loo_gap:.1e} apart")
    out[f"{case}_pixels"] = np.asarray(pixels, dtype=np.float32)
    write_case(out, case, maps, 1, n - 1, probabilities)
    return True


def main():
    out = {}
    with open(os.path.join(ref.ORACLE, "_provenance", "tiny_bert_seqcls_logits.json"), encoding="utf-8") as f:
        oracle = json.load(f)
    rng = np.random.default_rng(21)
    print("bert_seqcls: its oracle sequences, then random ones of 16 ids (vocabulary 0 .. 10, two segments)")
    candidates = list(zip(oracle["sequences"], oracle["token_types"]))
    candidates += [([int(i) for i in rng.integers(0, 11, 16)], [0] * 8 + [1] * 8) for _ in range(200)]
    text_case(out, "bert_seqcls", ref.load(ref.ORACLE, "bert."), candidates, [("delete", None)])
    print("tiny_hf_bert: [CLS], 12 random ids of 5 .. 33, [SEP] ([MASK] is id 4)")
    candidates = [([2] + [int(i) for i in rng.integers(5, 34, 12)] + [3], [0] * 14) for _ in range(200)]
    text_case(out, "tiny_hf_bert", ref.load(os.path.join(ROOT, "tests/data/tiny-hf-bert"), "bert."), candidates,
              [("mask", 4), ("delete", None)])
    print("tiny_hf_vit: the 32x32 pixels of tests/data/tiny-hf-vit-golden, by name, then random normal pixels")
    names = sorted(f for f in os.listdir(os.path.join(ROOT, "tests/data/tiny-hf-vit-golden")) if f.endswith(".npz"))
    candidates = [np.load(os.path.join(ROOT, "tests/data/tiny-hf-vit-golden", f))["pixels"].astype(np.float64)
                  for f in names]
    candidates = [c for c in candidates if c.shape == (3, 32, 32)]
    candidates += [rng.normal(0.0, 1.0, (3, 32, 32)) for _ in range(100)]
    vit_case(out, "tiny_hf_vit", ref.load(os.path.join(ROOT, "tests/data/tiny-hf-vit"), "vit."), candidates)
    np.savez(OUT, **out)
    print(f"wrote {OUT} ({len(out)} arrays)")


if __name__ == "__main__":
    main()
