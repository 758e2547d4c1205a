"""Tatoeba English->French pairs for the seq2seq models: read fra-eng.zip directly, tokenize (text.py),
keep pairs up to MAX_TOKENS tokens on both sides, de-duplicate, split train/validation/test with a fixed seed
and build word vocabularies from the training split.

  pairs = load_pairs("../shared/data/tatoeba-eng-fra/fra-eng.zip")
  splits = split_pairs(pairs)               # {"train": [...], "validation": [...], "test": [...]}
"""
import collections
import random
import zipfile

from text import tokenize

MAX_TOKENS = 16      # covers most of Tatoeba (see models/README.md) and keeps training within its budget
SEED = 20261121
VALIDATION_SIZE = 3000
TEST_SIZE = 3000
MIN_FREQUENCY = 5    # a word seen fewer times in the training split is <unk> (keeps the softmax at ~7k words)
SPECIALS = ["<pad>", "<unk>", "<sos>", "<eos>"]
PAD, UNK, SOS, EOS = range(4)


def load_pairs(zip_path):
    """[(english tokens, french tokens, english text, french text)] in file order, filtered by length."""
    with zipfile.ZipFile(zip_path) as archive:
        text = archive.read("fra.txt").decode("utf-8")
    pairs, seen = [], set()
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        en, fr = tokenize(fields[0]), tokenize(fields[1])
        if not en or not fr or len(en) > MAX_TOKENS or len(fr) > MAX_TOKENS:
            continue
        key = (tuple(en), tuple(fr))
        if key in seen:
            continue
        seen.add(key)
        pairs.append((en, fr, fields[0], fields[1]))
    return pairs


def split_pairs(pairs):
    """Fixed split by a seeded shuffle. Pairs sharing an English sentence stay in one split, so the test
    split never holds a source sentence seen in training."""
    by_source = collections.defaultdict(list)
    for p in pairs:
        by_source[tuple(p[0])].append(p)
    sources = sorted(by_source)
    random.Random(SEED).shuffle(sources)
    splits = {"validation": [], "test": [], "train": []}
    for source in sources:
        name = ("validation" if len(splits["validation"]) < VALIDATION_SIZE else
                "test" if len(splits["test"]) < TEST_SIZE else "train")
        splits[name].extend(by_source[source])
    return splits


def build_vocab(sentences, min_frequency=MIN_FREQUENCY):
    counts = collections.Counter(t for s in sentences for t in s)
    words = sorted((w for w, c in counts.items() if c >= min_frequency), key=lambda w: (-counts[w], w))
    return SPECIALS + words


def encode(tokens, index):
    return [index.get(t, UNK) for t in tokens] + [EOS]
