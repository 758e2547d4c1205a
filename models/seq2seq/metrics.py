"""Corpus BLEU and alignment error rate, plain Python.

BLEU: corpus-level BLEU-4 (Papineni et al. 2002) over tokenized, lowercased text as the tokenizer makes it:
clipped n-gram precisions for n = 1..4 summed over the corpus, geometric mean, brevity penalty from the
corpus lengths; one reference per sentence; no smoothing. Reported x100.

AER (Och & Ney 2003): with A the predicted links, S the sure and P the possible gold links (S is a subset
of P), AER = 1 - (|A & S| + |A & P|) / (|A| + |S|).
"""
import collections
import math


def ngrams(tokens, n):
    return collections.Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def corpus_bleu(hypotheses, references, max_n=4):
    matches, totals = [0] * max_n, [0] * max_n
    hyp_length = ref_length = 0
    for hyp, ref in zip(hypotheses, references):
        hyp_length += len(hyp)
        ref_length += len(ref)
        for n in range(1, max_n + 1):
            h, r = ngrams(hyp, n), ngrams(ref, n)
            matches[n - 1] += sum(min(c, r[g]) for g, c in h.items())
            totals[n - 1] += max(len(hyp) - n + 1, 0)
    if min(matches) == 0:
        return 0.0
    log_precision = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_n
    brevity = 1.0 if hyp_length > ref_length else math.exp(1 - ref_length / max(hyp_length, 1))
    return 100.0 * brevity * math.exp(log_precision)


def read_wpt_alignments(path):
    """WPT 2003 gold file: lines 'sentence source target S|P' (1-based). -> {sentence: (sure, possible)}
    with possible including the sure links."""
    gold = collections.defaultdict(lambda: (set(), set()))
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if not fields:
                continue
            sentence, source, target = int(fields[0]), int(fields[1]), int(fields[2])
            label = fields[3] if len(fields) > 3 else "S"
            sure, possible = gold[sentence]
            possible.add((source, target))
            if label == "S":
                sure.add((source, target))
    return dict(gold)


def aer_counts(predicted, sure, possible):
    return len(predicted & sure), len(predicted & possible), len(predicted), len(sure)


def aer(counts):
    a_s, a_p, a, s = (sum(c[i] for c in counts) for i in range(4))
    return 1.0 - (a_s + a_p) / (a + s) if a + s else 0.0
