"""Pang & Lee movie review polarity v2.0 for the HAN: reads review_polarity_cv000-899.tar.gz directly,
tokenizes each line with text.py (one sentence per line), and splits by the cvNNN prefix so the reviews
of one prefix never sit on both sides of a split.

Splits (seed SEED): the 900 prefixes are shuffled and cut into FOLDS folds. Fold VALIDATION_FOLD is the
validation set (reported, never used for choices); of the rest, DEV_FRACTION of the prefixes form a
development set for early stopping; everything else is the training set.
"""

import random
import re
import tarfile
from collections import Counter

import text as T

SEED = 20261121
FOLDS = 5
VALIDATION_FOLD = 0
DEV_FRACTION = 0.1
PAD, UNK = 0, 1
SPECIALS = ["<pad>", "<unk>"]
MIN_FREQUENCY = 2
LABELS = ["negative", "positive"]
NAME = re.compile(r"txt_sentoken/(pos|neg)/cv(\d{3})_\d+\.txt$")


def load_reviews(tar_path):
    """[(prefix int, label index, [[token]] sentences, file name)] in file-name order."""
    reviews = []
    with tarfile.open(tar_path, "r:gz") as archive:
        for member in archive.getmembers():
            match = NAME.search(member.name)
            if not member.isfile() or not match:
                continue
            raw = archive.extractfile(member).read().decode("utf-8")
            sentences = [T.tokenize(line) for line in raw.split("\n")]
            sentences = [s for s in sentences if s]
            label = LABELS.index("positive" if match.group(1) == "pos" else "negative")
            reviews.append((int(match.group(2)), label, sentences, member.name))
    reviews.sort(key=lambda r: r[3])
    if len(reviews) != 1800:
        raise SystemExit(f"{tar_path}: expected 1800 reviews, found {len(reviews)}")
    return reviews


def fold_of_prefix():
    prefixes = list(range(900))
    random.Random(SEED).shuffle(prefixes)
    return {p: i % FOLDS for i, p in enumerate(prefixes)}


def split_reviews(reviews):
    folds = fold_of_prefix()
    rest = sorted({p for p, f in folds.items() if f != VALIDATION_FOLD})
    random.Random(SEED + 1).shuffle(rest)
    dev = set(rest[:int(len(rest) * DEV_FRACTION)])
    splits = {"train": [], "dev": [], "validation": []}
    for review in reviews:
        prefix = review[0]
        name = "validation" if folds[prefix] == VALIDATION_FOLD else "dev" if prefix in dev else "train"
        splits[name].append(review)
    return splits


def build_vocab(reviews):
    counts = Counter(w for r in reviews for s in r[2] for w in s)
    words = sorted((w for w, c in counts.items() if c >= MIN_FREQUENCY), key=lambda w: (-counts[w], w))
    return SPECIALS + words


def encode(sentences, index):
    return [[index.get(w, UNK) for w in s] for s in sentences]
