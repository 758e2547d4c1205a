"""The aligner's corpus rules, standard library only (shared by reference.py and tests/cli/test_cli_aligner.py):
models/seq2seq/hansards.py's read_pairs, which engine/models/aligner/parallel_corpus.cpp implements in C++ —
every line through the seq2seq tokenizer (models/seq2seq/text.py), 1..MAX_TOKENS tokens a side, max/min length
<= MAX_RATIO, exact duplicate pairs (by tokens) kept once.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "seq2seq"))
from text import tokenize  # noqa: E402

MAX_TOKENS = 50
MAX_RATIO = 2.0


def read_pairs(english_lines, french_lines):
    """-> (pairs of token lists in corpus order, counts)."""
    pairs, seen = [], set()
    counts = {"read": 0, "kept": 0, "dropped_length_or_ratio": 0, "dropped_duplicate": 0}
    for e_line, f_line in zip(english_lines, french_lines):
        counts["read"] += 1
        e, f = tokenize(e_line.rstrip("\n")), tokenize(f_line.rstrip("\n"))
        a, b = len(e), len(f)
        if a == 0 or b == 0 or a > MAX_TOKENS or b > MAX_TOKENS or max(a, b) > MAX_RATIO * min(a, b):
            counts["dropped_length_or_ratio"] += 1
            continue
        key = (" ".join(e), " ".join(f))
        if key in seen:
            counts["dropped_duplicate"] += 1
            continue
        seen.add(key)
        pairs.append((e, f))
    counts["kept"] = len(pairs)
    return pairs, counts
