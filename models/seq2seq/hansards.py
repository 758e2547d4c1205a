"""WPT 2003 English-French Hansards training data for the seq2seq models: read train.{e,f}.xz in place (never
copied into the repository), tokenize, filter, de-duplicate, split with a fixed seed, build word vocabularies
and keep the result as a cache of id arrays outside the repository.

  corpus = load_corpus("../shared/data/hansards-wpt03-training", cache="/work/train-h20/cache")
  corpus.splits["train"].pair(i)          # (english ids, french ids), each ending with <eos>
  corpus.source_vocab, corpus.target_vocab, corpus.stats

Tokens: the corpus is already tokenised like the WPT gold files (words split on spaces, punctuation split,
French contractions split as "de le"). Every line still goes through the models' own tokenizer (text.py, which
engine/models/seq2seq/seq2seq_tokenizer.cpp implements identically): it lowercases ("Bill", "I", "Mr." were kept
capitalised by the corpus) and splits the few words with inner punctuation or apostrophes ("aujourd'" ->
"aujourd" "'", "250,000" -> "250" "," "000"). Most words stay one token, and `attnviz align` maps gold words to
these tokens as it already does for the Tatoeba models (engine/align/word_alignment.h), so the packages keep the
"tatoeba-en-fr" tokenizer and the engine needs no new one. Subwords were not chosen: word tokens make the
attention rows and columns the gold's own words, and a 1M-pair parliamentary corpus has a small, repetitive
vocabulary (see VOCAB_SIZE).

Filter (pair_filter.py, shared with the aligner's reference): at most MAX_TOKENS tokens on both sides, neither
side empty, length ratio max/min <= MAX_RATIO (drops most misaligned ISI pairs). Exact duplicate pairs are kept
once (stock phrases like "agreed ." would otherwise weigh thousands of times).

Split: unique English sentences are shuffled with SEED; pairs sharing an English sentence stay in one split, the
first VALIDATION_SIZE pairs form validation, the next TEST_SIZE test (for BLEU), the rest training. The WPT trial
set (hansards-wpt03-en-fr, 37 pairs) is the AER set; the corpus release already removed every pair matching a
trial or test sentence.

Vocabulary: the VOCAB_SIZE most frequent tokens of the training split per side (ties by the token), after the
specials <pad> <unk> <sos> <eos> (ids 0-3, as data.py). Coverage on the validation split is in stats.
"""
import collections
import hashlib
import json
import lzma
import os
import random
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import EOS, SPECIALS, UNK  # noqa: E402
# The filter, standard library only (shared with the aligner's reference); re-exported for this module's users.
from pair_filter import MAX_RATIO, MAX_TOKENS, LineTokenizer, keep_pair, read_pairs  # noqa: E402,F401
from text import tokenize  # noqa: E402
SEED = 20261206
VALIDATION_SIZE = 2000
TEST_SIZE = 2000
VOCAB_SIZE = 30000   # per side, without the 4 specials
CACHE_VERSION = 1    # bump when any rule above changes: the cache name includes it


class Split:
    """Pairs as flat int32 id arrays with offsets: pair i's English ids are source[source_offsets[i]:
    source_offsets[i + 1]] (ending with <eos>); the same for French. Compact: 1M pairs as Python lists would take
    gigabytes per training process."""

    def __init__(self, source, source_offsets, target, target_offsets):
        self.source, self.source_offsets = source, source_offsets
        self.target, self.target_offsets = target, target_offsets

    def __len__(self):
        return len(self.source_offsets) - 1

    def pair(self, i):
        s0, s1 = self.source_offsets[i], self.source_offsets[i + 1]
        t0, t1 = self.target_offsets[i], self.target_offsets[i + 1]
        return self.source[s0:s1].tolist(), self.target[t0:t1].tolist()

    def source_lengths(self):
        return np.diff(self.source_offsets)

    def target_lengths(self):
        return np.diff(self.target_offsets)


class Corpus:
    def __init__(self, splits, source_vocab, target_vocab, stats):
        self.splits, self.source_vocab, self.target_vocab, self.stats = splits, source_vocab, target_vocab, stats


def split_pairs(pairs, seed=SEED, validation_size=VALIDATION_SIZE, test_size=TEST_SIZE):
    """{"validation", "test", "train"} -> lists of pair indices. Grouped by English sentence, seeded shuffle."""
    by_source = collections.defaultdict(list)
    for i, (en, _) in enumerate(pairs):
        by_source[" ".join(en)].append(i)
    sources = sorted(by_source)
    random.Random(seed).shuffle(sources)
    splits = {"validation": [], "test": [], "train": []}
    for source in sources:
        name = ("validation" if len(splits["validation"]) < validation_size else
                "test" if len(splits["test"]) < test_size else "train")
        splits[name].extend(by_source[source])
    return splits


def build_vocab(sentences, size=VOCAB_SIZE):
    counts = collections.Counter(t for s in sentences for t in s)
    words = sorted(counts, key=lambda w: (-counts[w], w))[:size]
    return SPECIALS + words


def coverage(sentences, index):
    """Share of tokens (without <eos>) the vocabulary knows, and share of sentences with no <unk>."""
    tokens = known = clean = 0
    for s in sentences:
        hits = sum(t in index for t in s)
        tokens += len(s)
        known += hits
        clean += hits == len(s)
    return {"token_coverage": round(known / max(tokens, 1), 4), "sentences_without_unk": round(clean / max(len(sentences), 1), 4)}


def encode_split(pairs, indices, source_index, target_index):
    source, target, source_offsets, target_offsets = [], [], [0], [0]
    for i in indices:
        en, fr = pairs[i]
        source.extend(source_index.get(t, UNK) for t in en)
        source.append(EOS)
        target.extend(target_index.get(t, UNK) for t in fr)
        target.append(EOS)
        source_offsets.append(len(source))
        target_offsets.append(len(target))
    return Split(np.array(source, dtype=np.int32), np.array(source_offsets, dtype=np.int64),
                 np.array(target, dtype=np.int32), np.array(target_offsets, dtype=np.int64))


def build_corpus(english_lines, french_lines, vocab_size=VOCAB_SIZE, seed=SEED, validation_size=VALIDATION_SIZE,
                 test_size=TEST_SIZE):
    pairs, stats = read_pairs(english_lines, french_lines)
    indices = split_pairs(pairs, seed, validation_size, test_size)
    source_vocab = build_vocab((pairs[i][0] for i in indices["train"]), vocab_size)
    target_vocab = build_vocab((pairs[i][1] for i in indices["train"]), vocab_size)
    source_index = {w: i for i, w in enumerate(source_vocab)}
    target_index = {w: i for i, w in enumerate(target_vocab)}
    splits = {name: encode_split(pairs, ix, source_index, target_index) for name, ix in indices.items()}
    stats["split_sizes"] = {name: len(ix) for name, ix in indices.items()}
    stats["vocab_sizes"] = {"english": len(source_vocab), "french": len(target_vocab)}
    stats["train_tokens"] = {"english": int(splits["train"].source_lengths().sum() - len(splits["train"])),
                             "french": int(splits["train"].target_lengths().sum() - len(splits["train"]))}
    stats["validation_coverage"] = {
        "english": coverage([pairs[i][0] for i in indices["validation"]], source_index),
        "french": coverage([pairs[i][1] for i in indices["validation"]], target_index)}
    stats["rules"] = {"max_tokens": MAX_TOKENS, "max_ratio": MAX_RATIO, "seed": seed, "vocab_size": vocab_size,
                      "tokenizer": "models/seq2seq/text.py (tatoeba-en-fr)", "cache_version": CACHE_VERSION}
    return Corpus(splits, source_vocab, target_vocab, stats)


def _xz_lines(path):
    if not os.path.exists(path):
        raise SystemExit(f"hansards: {path} not found; pass --data pointing at the shared data folder that holds "
                         "hansards-wpt03-training/")
    return lzma.open(path, "rt", encoding="utf-8")


def load_corpus(folder, cache):
    """The corpus from folder/train.{e,f}.xz, through a cache folder (outside the repository): the first call
    builds it (a few minutes on one core), later calls read the arrays. The cache name carries the rules'
    version and the source files' sizes, so a changed rule or file rebuilds it."""
    e_path, f_path = os.path.join(folder, "train.e.xz"), os.path.join(folder, "train.f.xz")
    with _xz_lines(e_path), _xz_lines(f_path):
        pass
    key = hashlib.sha1(json.dumps([CACHE_VERSION, MAX_TOKENS, MAX_RATIO, SEED, VALIDATION_SIZE, TEST_SIZE, VOCAB_SIZE,
                                   os.path.getsize(e_path), os.path.getsize(f_path)]).encode()).hexdigest()[:12]
    base = os.path.join(cache, f"hansards-{key}")
    if not os.path.exists(base + ".npz"):
        with _xz_lines(e_path) as e, _xz_lines(f_path) as f:
            corpus = build_corpus(e, f)
        os.makedirs(cache, exist_ok=True)
        arrays = {}
        for name, s in corpus.splits.items():
            arrays.update({f"{name}_source": s.source, f"{name}_source_offsets": s.source_offsets,
                           f"{name}_target": s.target, f"{name}_target_offsets": s.target_offsets})
        with open(base + ".json.tmp", "w", encoding="utf-8") as handle:
            json.dump({"stats": corpus.stats, "source_vocab": corpus.source_vocab,
                       "target_vocab": corpus.target_vocab}, handle, ensure_ascii=False)
        np.savez(base + ".tmp.npz", **arrays)
        os.replace(base + ".json.tmp", base + ".json")
        os.replace(base + ".tmp.npz", base + ".npz")  # last: its presence means the cache is complete
        return corpus
    with open(base + ".json", encoding="utf-8") as handle:
        meta = json.load(handle)
    arrays = np.load(base + ".npz")
    splits = {name: Split(arrays[f"{name}_source"], arrays[f"{name}_source_offsets"], arrays[f"{name}_target"],
                          arrays[f"{name}_target_offsets"]) for name in ("validation", "test", "train")}
    return Corpus(splits, meta["source_vocab"], meta["target_vocab"], meta["stats"])


def load_text_splits(folder, cache):
    """The same filtered pairs and split as load_corpus, as the corpus's own lines (cased, tokenised like the WPT
    gold: words are split on spaces) for subword models: {split: (english lines, french lines)}, cached as
    text files cache/hansards-text-<key>/<split>.{en,fr}."""
    e_path, f_path = os.path.join(folder, "train.e.xz"), os.path.join(folder, "train.f.xz")
    with _xz_lines(e_path), _xz_lines(f_path):
        pass
    key = hashlib.sha1(json.dumps([CACHE_VERSION, MAX_TOKENS, MAX_RATIO, SEED, VALIDATION_SIZE, TEST_SIZE,
                                   os.path.getsize(e_path), os.path.getsize(f_path)]).encode()).hexdigest()[:12]
    base = os.path.join(cache, f"hansards-text-{key}")
    names = ("validation", "test", "train")
    if not os.path.exists(os.path.join(base, "complete")):
        lines = []
        with _xz_lines(e_path) as e, _xz_lines(f_path) as f:
            pairs, _ = read_pairs(e, f, lines)
        indices = split_pairs(pairs)
        os.makedirs(base, exist_ok=True)
        for name in names:
            for side, suffix in ((0, "en"), (1, "fr")):
                with open(os.path.join(base, f"{name}.{suffix}"), "w", encoding="utf-8") as handle:
                    handle.writelines(lines[i][side] + "\n" for i in indices[name])
        open(os.path.join(base, "complete"), "w").close()
    out = {}
    for name in names:
        with open(os.path.join(base, f"{name}.en"), encoding="utf-8") as en, \
                open(os.path.join(base, f"{name}.fr"), encoding="utf-8") as fr:
            out[name] = ([l.rstrip("\n") for l in en], [l.rstrip("\n") for l in fr])
    return out


def self_check():
    """Checks the rules on a tiny hand-made corpus against hand-computed answers (run: hansards.py --check)."""
    english = ["the House met at 2 p.m. .\n", "agreed .\n", "agreed .\n", "a b c d e\n", "\n",
               "Mr. Speaker , aujourd' hui\n", " ".join(["w"] * 51) + "\n", "I agree .\n"]
    french = ["la Chambre se réunit à 14 heures .\n", "d' accord .\n", "d' accord .\n", "a\n", "x\n",
              "Monsieur le Président , aujourd' hui\n", " ".join(["w"] * 51) + "\n", "je suis de accord .\n"]
    pairs, stats = read_pairs(english, french)
    assert stats == {"read": 8, "kept": 4, "dropped_duplicate": 1, "dropped_length_or_ratio": 3}, stats
    assert pairs[0][0] == ["the", "house", "met", "at", "2", "p", ".", "m", ".", "."], pairs[0][0]
    assert pairs[2] == (["mr", ".", "speaker", ",", "aujourd", "'", "hui"],
                        ["monsieur", "le", "président", ",", "aujourd", "'", "hui"]), pairs[2]
    tok = LineTokenizer()
    for line in english + french + ["l'homme  \u00a0 250,000\tpeut-être"]:
        assert tok(line) == tokenize(line), line
        assert tok(line) == tok(line)  # memo hit gives the same
    assert keep_pair(["a"] * 4, ["b"] * 2) and not keep_pair(["a"] * 5, ["b"] * 2)
    assert keep_pair(["a"] * 50, ["b"] * 50) and not keep_pair(["a"] * 51, ["b"] * 50)
    corpus = build_corpus(english, french, vocab_size=3, seed=1, validation_size=1, test_size=1)
    sizes = corpus.stats["split_sizes"]
    assert sizes == {"validation": 1, "test": 1, "train": 2}, sizes
    assert corpus.source_vocab[:4] == SPECIALS and len(corpus.source_vocab) == 7
    for split in corpus.splits.values():
        for i in range(len(split)):
            s, t = split.pair(i)
            assert s[-1] == EOS and t[-1] == EOS and EOS not in s[:-1] + t[:-1]
    # Same seed, same split; the split is by English sentence.
    again = split_pairs(pairs, seed=1, validation_size=1, test_size=1)
    assert again == split_pairs(pairs, seed=1, validation_size=1, test_size=1)
    assert coverage([["a", "b"], ["a"]], {"a": 0}) == {"token_coverage": round(2 / 3, 4), "sentences_without_unk": 0.5}
    print("hansards.py self-check passed")


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser(description="Build (or check) the Hansards training cache.")
    parser.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/data"))
    parser.add_argument("--cache", default="/work/train-h20/cache")
    parser.add_argument("--check", action="store_true", help="run the self-check on a tiny hand-made corpus only")
    args = parser.parse_args()
    self_check()
    if not args.check:
        c = load_corpus(os.path.join(args.data, "hansards-wpt03-training"), args.cache)
        print(json.dumps(c.stats, indent=1))
