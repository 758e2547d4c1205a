#!/usr/bin/env python3
"""Plain reference of attnviz's statistical word aligner (engine/models/aligner/), in numpy, written from the
definitions, and the writer of its golden file (tests/data/aligner/toy_expected.json).

Read for it:
  - Brown, Della Pietra, Della Pietra & Mercer 1993, "The Mathematics of Statistical Machine Translation", IBM
    Model 1: p(a_j = i) = 1 / (m + 1) over the m source words and NULL; EM counts c(e, f) += p(a_j = i | e, f) and
    t(f | e) = c(e, f) / sum_f c(e, f).
  - Dyer, Chahuneau & Smith 2013, "A Simple, Fast, and Effective Reparameterization of IBM Model 2", section 2:
    h(i, j, m, n) = -|i/m - j/n|; p(a_j = 0) = p0; p(a_j = i) = (1 - p0) exp(lambda h) / Z for 1 <= i <= m;
    the tension lambda fitted to the expected log-likelihood (its gradient: observed minus expected h).
  - models/seq2seq/hansards.py for the corpus rules (tokens, 1..50 a side, ratio <= 2, duplicates once), which
    models/seq2seq/pair_filter.py holds.
Plain on purpose: Z is summed term by term here (the C++ sums two geometric series), the table is a dense matrix
(the C++ keeps co-occurring pairs in compressed rows), and every probability is float64 (the C++ stores t as float).
The tension's M-step is the same bisection as the C++ (diagonal_prior.h): 40 halvings of [0, 32] on the gradient.
fast_align's -v (variational Bayes, Dirichlet prior alpha on each t(. | e); Dyer et al. 2013, section 3.2) is the
second golden case, with torch.digamma (float64) as the outside digamma.

  /usr/bin/python3 models/aligner/reference.py               # rewrites tests/data/aligner/toy_expected.json
  /usr/bin/python3 models/aligner/reference.py --check       # compares with it instead
"""
import argparse
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "seq2seq"))
from pair_filter import read_pairs  # noqa: E402  (hansards.py's filter)
NULL_PROBABILITY = 0.08
INITIAL_TENSION = 4.0
MAX_TENSION = 32.0
BISECTION_STEPS = 40
MODEL1_ITERATIONS = 5
DIAGONAL_ITERATIONS = 5
DATA = os.path.join(HERE, "..", "..", "tests", "data", "aligner")


def feature(i, j, m, n):
    return -abs(i / m - j / n)


def prior_matrix(m, n, diagonal, tension, p0):
    """[n][m + 1]: p(a_j = i), row j - 1 for target position j, column 0 NULL. Z summed term by term."""
    if not diagonal:
        return np.full((n, m + 1), 1.0 / (m + 1))
    p = np.empty((n, m + 1))
    for j in range(1, n + 1):
        u = np.array([math.exp(tension * feature(i, j, m, n)) for i in range(1, m + 1)])
        p[j - 1, 0] = p0
        p[j - 1, 1:] = (1 - p0) * u / u.sum()
    return p


def expected_feature(j, m, n, tension):
    h = np.array([feature(i, j, m, n) for i in range(1, m + 1)])
    u = np.exp(tension * h)
    return float((h * u).sum() / u.sum())


def optimal_tension(feature_sum, weights):
    """argmax of Q(lambda) on [0, MAX_TENSION]: the root of H - sum w_j E_lambda[h | j, m, n], by bisection."""
    def gradient(lam):
        return feature_sum - sum(w * expected_feature(j, m, n, lam) for (m, n, j), w in weights.items())
    low, high = 0.0, MAX_TENSION
    if gradient(low) <= 0:
        return low
    if gradient(high) >= 0:
        return high
    for _ in range(BISECTION_STEPS):
        mid = 0.5 * (low + high)
        if gradient(mid) > 0:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


VB_ALPHA = 0.01  # fast_align's -v concentration


def digamma(x):
    import torch  # only for the variational Bayes case
    return torch.digamma(torch.as_tensor(x, dtype=torch.float64)).numpy()


class Aligner:
    def __init__(self, pairs, alpha=0.0):
        self.source_words, self.target_words = ["<null>"], []
        s_index, t_index = {"<null>": 0}, {}
        self.ids = []
        for e, f in pairs:
            for w in e:
                if w not in s_index:
                    s_index[w] = len(self.source_words)
                    self.source_words.append(w)
            for w in f:
                if w not in t_index:
                    t_index[w] = len(self.target_words)
                    self.target_words.append(w)
            self.ids.append((np.array([0] + [s_index[w] for w in e]), np.array([t_index[w] for w in f])))
        self.cooccur = np.zeros((len(self.source_words), len(self.target_words)), dtype=bool)
        for e, f in self.ids:
            self.cooccur[np.ix_(e, f)] = True
        self.t = np.where(self.cooccur, 1.0 / len(self.target_words), 0.0)
        self.tension, self.p0, self.alpha = INITIAL_TENSION, NULL_PROBABILITY, alpha
        self.history = []

    def posteriors(self, k, diagonal=True):
        """[n][m + 1] for pair k (column 0 NULL), and the summed log-likelihood of its target words."""
        e, f = self.ids[k]
        m, n = len(e) - 1, len(f)
        joint = prior_matrix(m, n, diagonal, self.tension, self.p0) * self.t[np.ix_(e, f)].T
        sums = joint.sum(axis=1, keepdims=True)
        return joint / sums, float(np.log(sums).sum())

    def iterate(self, diagonal):
        counts = np.zeros_like(self.t)
        feature_sum, weights, log_likelihood = 0.0, {}, 0.0
        for k, (e, f) in enumerate(self.ids):
            q, ll = self.posteriors(k, diagonal)
            log_likelihood += ll
            np.add.at(counts, (e[None, :].repeat(len(f), 0), f[:, None].repeat(len(e), 1)), q)
            if diagonal:
                m, n = len(e) - 1, len(f)
                for j in range(1, n + 1):
                    feature_sum += sum(q[j - 1, i] * feature(i, j, m, n) for i in range(1, m + 1))
                    weights[(m, n, j)] = weights.get((m, n, j), 0.0) + float(q[j - 1, 1:].sum())
        if self.alpha > 0:  # exp(psi(c + alpha) - psi(sum over the row's co-occurring f of (c + alpha)))
            totals = np.where(self.cooccur, counts + self.alpha, 0.0).sum(axis=1, keepdims=True)
            vb = np.exp(digamma(counts + self.alpha) - digamma(np.maximum(totals, 1e-300)))
            self.t = np.where(self.cooccur & (totals > 0), vb, self.t)
        else:
            totals = counts.sum(axis=1, keepdims=True)
            self.t = np.where(totals > 0, counts / np.where(totals > 0, totals, 1.0), self.t)
        if diagonal:
            self.tension = optimal_tension(feature_sum, weights)
        words = sum(len(f) for _, f in self.ids)
        model = "diagonal" if diagonal else "model1"
        self.history.append({"model": model, "iteration": 1 + sum(h["model"] == model for h in self.history),
                             "log_likelihood_per_word": log_likelihood / words, "tension": self.tension})

    def train(self, model1_iterations=MODEL1_ITERATIONS, diagonal_iterations=DIAGONAL_ITERATIONS):
        for _ in range(model1_iterations):
            self.iterate(False)
        for _ in range(diagonal_iterations):
            self.iterate(True)


def golden(aligner, counts):
    table = [[aligner.source_words[e], aligner.target_words[f], float(aligner.t[e, f])]
             for e, f in zip(*np.nonzero(aligner.cooccur))]
    posteriors = []
    for k in range(len(aligner.ids)):
        q, _ = aligner.posteriors(k)
        posteriors.append(np.round(q, 12).tolist())
    return {
        "generated_by": "models/aligner/reference.py",
        "corpus": "tests/data/aligner/toy.{en,fr}",
        "options": {"model1_iterations": MODEL1_ITERATIONS, "diagonal_iterations": DIAGONAL_ITERATIONS,
                    "null_probability": NULL_PROBABILITY, "initial_tension": INITIAL_TENSION},
        "counts": counts,
        "source_words": aligner.source_words,
        "target_words": aligner.target_words,
        "tension": aligner.tension,
        "history": aligner.history,
        "table": table,  # every co-occurring pair: [english, french, t(french | english)]
        "posteriors": posteriors,  # per kept pair: [n][m + 1], column 0 NULL
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the golden file instead of writing it")
    args = parser.parse_args()
    with open(os.path.join(DATA, "toy.en"), encoding="utf-8") as e, open(os.path.join(DATA, "toy.fr"), encoding="utf-8") as f:
        pairs, counts = read_pairs(e, f)
    aligner = Aligner(pairs)
    aligner.train()
    out = golden(aligner, counts)
    vb = Aligner(pairs, VB_ALPHA)
    vb.train()
    vb_out = golden(vb, counts)
    out["variational_bayes"] = {"alpha": VB_ALPHA, "tension": vb.tension, "table": vb_out["table"],
                                "posteriors": vb_out["posteriors"][:20]}
    path = os.path.join(DATA, "toy_expected.json")
    if args.check:
        with open(path, encoding="utf-8") as handle:
            old = json.load(handle)
        same = [a[:2] for a in old["table"]] == [b[:2] for b in out["table"]]
        worst = max(abs(a[2] - b[2]) for a, b in zip(old["table"], out["table"]))
        print(f"table max diff {worst:.3e}, tension {old['tension']} vs {out['tension']}")
        if not same or worst > 1e-12 or abs(old["tension"] - out["tension"]) > 1e-12:
            sys.exit("reference.py: the golden file differs from what this reference computes; regenerate it")
        return
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(out, handle, ensure_ascii=False, separators=(",", ":"))
        handle.write("\n")
    print(f"{counts}; tension {aligner.tension:.6f}; {len(out['table'])} table entries; wrote {path}")
    for h in aligner.history:
        print(h)


if __name__ == "__main__":
    main()
