"""Float64 numpy reference of faithfulness scores for token attributions, for attnviz's C++ engine to match
(engine/analysis/faithfulness.h; tests/data/make_faithfulness_golden.py writes its goldens from this file).

Sources (read, not copied):
  - DeYoung et al. 2020, "ERASER: A Benchmark to Evaluate Rationalized NLP Models" (ACL): comprehensiveness and
    sufficiency, and their area over the perturbation curve (AOPC) over rationale sizes.
  - g8a9/ferret (Attanasio et al. 2023), ferret/evaluators/faithfulness_measures.py @ 19b2231221bf33c97db7a887a5a81e5bee9a7cd3
    (AOPC_Comprehensiveness_Evaluation, AOPC_Sufficiency_Evaluation, TauLOO_Evaluation) and
    ferret/evaluators/utils_from_soft_to_discrete.py @ 02f8788402686ca4312de2cb6725846689dde31d
    (_get_id_tokens_percentage, _get_id_tokens_top_k).

Conventions (one input of N tokens; p(x) the probability of the label the unmodified run predicted, the "target"):
  units       the tokens that can be removed: every token but the first and the last ([CLS] and the final [SEP]),
              as ferret's remove_first_last; M = N - 2 of them. scores[u] is the method's attribution of unit u
              (for a sequence classifier: the [CLS] row of the method's map, columns 1 .. N-2).
  top(k)      the v = floor(k * M) units with the highest scores (ferret's int(percentage * len)); none when v = 0.
              Order: numpy's stable argsort ascending, then reversed, so among equal scores the LATER unit ranks
              first (ferret's argsort()[-v:][::-1]).
  k           0.1, 0.2, 0.3, 0.4, 0.5; a k whose top(k) is the same set as the previous kept k's is skipped (ferret).
  removal     "mask": the unit's id replaced by the replacement id ([MASK] when the vocabulary has it, else [UNK]);
              "delete": the unit dropped (positions shift, as ferret's remove_tokens re-tokenises the shorter text;
              here the ids are dropped directly, with their token types).
  comprehensiveness(k) = p(x) - p(x with top(k) removed)
  sufficiency(k)       = p(x) - p(x with every unit NOT in top(k) removed)   (for "mask": the others masked; ferret's
              mask branch masks top(k) in both measures, an evident slip there; this follows ERASER's definition)
  AOPC        the mean over the kept k (NaN when none is kept, e.g. M < 10).
  tau         Kendall's tau-b (scipy.stats.kendalltau's default) between scores and the leave-one-out occlusion
              loo[u] = p(x) - p(x with unit u removed), over the M units (ferret's TauLOO: -(p(x\\u) - p(x))).

    /usr/bin/python3 models/reference/faithfulness.py --check    # the definitions on hand-made scorers and a BERT
"""
import argparse
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from reference import contributions as ref  # noqa: E402

FRACTIONS = (0.1, 0.2, 0.3, 0.4, 0.5)


def top_units(scores, fraction):
    """Indices (into the units) of the floor(fraction * M) highest scores, highest first; None when that is 0."""
    v = int(fraction * len(scores))
    if v <= 0:
        return None
    return [int(i) for i in np.argsort(np.asarray(scores, dtype=np.float64), kind="stable")[-v:][::-1]]


def perturbed(ids, types, removed_units, removal, replacement):
    """ids/types with the given units (token positions 1 .. N-2) masked or deleted -> (ids, types)."""
    positions = {u + 1 for u in removed_units}
    if removal == "mask":
        return [replacement if i in positions else t for i, t in enumerate(ids)], list(types)
    keep = [i for i in range(len(ids)) if i not in positions]
    return [ids[i] for i in keep], [types[i] for i in keep]


def faithfulness(ids, types, scores, probability, removal, replacement):
    """A text: scores [M = N - 2]; probability(ids, types) -> p(target). -> as faithfulness_of_units."""
    assert len(scores) == len(ids) - 2, (len(scores), len(ids))
    return faithfulness_of_units(
        scores, lambda units: probability(*perturbed(ids, types, units, removal, replacement)))


def faithfulness_of_units(scores, probability):
    """scores [M]; probability(removed units, a list of 0 .. M-1) -> p(target), p with nothing removed for [].
    -> dict(comprehensiveness=[per kept k], sufficiency=[...], kept=[k], aopc_comprehensiveness, aopc_sufficiency,
    loo [M], tau). Units are whatever the caller removes: a text's tokens 1 .. N-2, an image's patches."""
    m = len(scores)
    base = probability([])
    out = dict(comprehensiveness=[], sufficiency=[], kept=[])
    previous = None
    for k in FRACTIONS:
        top = top_units(scores, k)
        if top is None or (previous is not None and set(top) == previous):
            continue
        previous = set(top)
        others = [u for u in range(m) if u not in previous]
        out["kept"].append(k)
        out["comprehensiveness"].append(base - probability(top))
        out["sufficiency"].append(base - probability(others))
    mean = lambda v: float(np.mean(v)) if v else math.nan  # noqa: E731
    out["aopc_comprehensiveness"] = mean(out["comprehensiveness"])
    out["aopc_sufficiency"] = mean(out["sufficiency"])
    out["loo"] = [base - probability([u]) for u in range(m)]
    out["tau"] = kendall_tau_b(scores, out["loo"])
    return out


def kendall_tau_b(a, b):
    """Kendall's tau-b, O(n^2), ties as scipy.stats.kendalltau (NaN when either list is constant)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    concordant = discordant = ties_a = ties_b = 0
    for i in range(len(a)):
        for j in range(i + 1, len(a)):
            da, db = np.sign(a[i] - a[j]), np.sign(b[i] - b[j])
            if da == 0 and db == 0:
                continue
            if da == 0:
                ties_a += 1
            elif db == 0:
                ties_b += 1
            elif da == db:
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_a) * (concordant + discordant + ties_b))
    return (concordant - discordant) / denominator if denominator > 0 else math.nan


def bert_probability(model, target):
    """p(target | ids, types) of a BERT sequence classifier (contributions.bert_forward + the pooler head)."""
    def probability(ids, types):
        _, hidden = ref.bert_forward(model, ids, types)
        logits = ref.bert_logits(model, hidden)
        e = np.exp(logits - logits.max())
        return float(e[target] / e.sum())
    return probability


def check():
    # Hand-made: a scorer that only reads unit 2 (position 3): comprehensiveness is the whole drop once unit 2 is in
    # top(k), sufficiency is 0 while it is kept; leave-one-out is non-zero for unit 2 only.
    ids, types = [2, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 3], [0] * 12
    probability = lambda i, t: 0.9 if 12 in i else 0.4  # noqa: E731
    scores = [0.0, 0.1, 0.9, 0.2, 0.3, 0.0, 0.05, 0.0, 0.0, 0.0]  # M = 10: k = 0.1 .. 0.5 keep 1 .. 5 units
    for removal in ("mask", "delete"):
        r = faithfulness(ids, types, scores, probability, removal, 4)
        assert r["kept"] == list(FRACTIONS), r["kept"]
        assert np.allclose(r["comprehensiveness"], 0.5) and np.allclose(r["sufficiency"], 0.0), r
        assert np.allclose(r["loo"], [0.5 if u == 2 else 0.0 for u in range(10)]), r["loo"]
    assert top_units([1.0, 1.0, 0.5], 0.5) == [1], "ties: the later unit first"
    assert top_units([1.0] * 9, 0.1) is None, "floor(0.1 * 9) = 0 units"
    r = faithfulness(ids[:8], types[:8], [0.3, 0.2, 0.9, 0.1, 0.0, 0.4], probability, "mask", 4)
    assert r["kept"] == [0.2, 0.4, 0.5], r["kept"]  # M = 6: v = 0, 1, 1 (same set: skipped), 2, 3
    assert abs(kendall_tau_b([1, 2, 3, 4], [1, 3, 2, 4]) - 2 / 3) < 1e-12
    # A real BERT: tiny-hf-bert (a random classifier with a [MASK] token): the numbers are finite and comprehensiveness
    # at the full-input size would be p(x) - p(all masked); printed for the record.
    model = ref.load(os.path.join(ref.ROOT, "tests", "data", "tiny-hf-bert"), "bert.")
    ids = [2, 5, 6, 14, 16, 18, 11, 12, 13, 3]
    types = [0] * len(ids)
    logits = ref.bert_logits(model, ref.bert_forward(model, ids, types)[1])
    p = bert_probability(model, int(np.argmax(logits)))
    layers, _ = ref.bert_forward(model, ids, types)
    alti = ref.rollout(np.stack([ref.alti(layer, post_ln=True) for layer in layers]))
    r = faithfulness(ids, types, list(alti[0, 1:-1]), p, "mask", 4)
    print("tiny-hf-bert, ALTI rollout [CLS] row, [MASK]:", {k: r[k] for k in ("kept", "aopc_comprehensiveness",
                                                                             "aopc_sufficiency", "tau")})
    assert all(math.isfinite(v) for v in r["comprehensiveness"] + r["sufficiency"] + r["loo"])
    print("check passed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    if parser.parse_args().check:
        check()


if __name__ == "__main__":
    main()
