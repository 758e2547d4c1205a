"""The parallel-corpus filter every Hansards consumer shares, standard library only (the aligner's reference and
tests run under a python3 without numpy): every line through the seq2seq tokenizer (text.py), 1..MAX_TOKENS tokens
a side, max/min length <= MAX_RATIO, exact duplicate pairs (by tokens) kept once.
engine/models/aligner/parallel_corpus.cpp implements the same rules in C++.

  pairs, counts = read_pairs(english_lines, french_lines)   # [(english tokens, french tokens)], {"read": ...}
"""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from text import tokenize  # noqa: E402

MAX_TOKENS = 50
MAX_RATIO = 2.0


def keep_pair(english, french):
    """The length and ratio filter on token lists."""
    a, b = len(english), len(french)
    if a == 0 or b == 0 or a > MAX_TOKENS or b > MAX_TOKENS:
        return False
    return max(a, b) <= MAX_RATIO * min(a, b)


class LineTokenizer:
    """text.tokenize of a whole line, memoised per space-separated piece. Exact: tokenize() normalises
    character by character and splits on " ", so tokenize("a b") == tokenize("a") + tokenize("b")."""

    def __init__(self):
        self.memo = {}

    def __call__(self, line):
        out = []
        for piece in line.split(" "):
            tokens = self.memo.get(piece)
            if tokens is None:
                tokens = self.memo[piece] = tokenize(piece)
            out.extend(tokens)
        return out


def read_pairs(english_lines, french_lines, lines=None):
    """-> (unique filtered pairs [(english tokens, french tokens)] in corpus order, counts of what was dropped).
    lines, a list, receives each kept pair's corpus lines (english, french) without the newline."""
    tok = LineTokenizer()
    pairs, seen = [], set()
    stats = collections.Counter()
    for en_line, fr_line in zip(english_lines, french_lines):
        stats["read"] += 1
        en, fr = tok(en_line.rstrip("\n")), tok(fr_line.rstrip("\n"))
        if not keep_pair(en, fr):
            stats["dropped_length_or_ratio"] += 1
            continue
        key = (" ".join(en), " ".join(fr))
        if key in seen:
            stats["dropped_duplicate"] += 1
            continue
        seen.add(key)
        pairs.append((en, fr))
        if lines is not None:
            lines.append((en_line.rstrip("\n"), fr_line.rstrip("\n")))
    stats["kept"] = len(pairs)
    return pairs, dict(stats)
