"""A WordPiece vocabulary for the coreference model, learnt from the English text available on the machine
(never from the test examples): the most frequent words whole, then the most frequent word-initial and
"##" continuation pieces of the remaining words, then every character seen (alone and as "##c"), so that
Hugging Face's greedy longest-match WordPiece can spell any word and rarely needs [UNK].

Words are cut exactly as the tokenizer will cut them: WordPiece(...).basic_words with lowercase=True
(models/reference/wordpiece.py, the Hugging Face BertTokenizer algorithm the C++ app runs), so every
whole word in the vocabulary is one the tokenizer can actually produce.

    vocab = learn(texts, size=8000)    # ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', ...]
"""

import os
import re
import sys
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from reference.wordpiece import WordPiece  # noqa: E402

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]  # [PAD] must be id 0 (pad_token_id)
BASIC = WordPiece(SPECIALS, lowercase=True)  # only basic_words is used: no pieces needed


ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def basic_words(text):
    """BERT's basic tokenization (clean, CJK spacing, NFC, lowercase, accents stripped, punctuation split).
    Printable ASCII text takes a fast path that gives the same words (for ASCII, cleaning, CJK spacing, NFC
    and accent stripping do nothing); anything else goes through the reference."""
    if text.isascii() and not ASCII_CONTROL.search(text) and not any(s in text for s in SPECIALS):
        return [t for w in text.lower().split() for t in ASCII_PUNCTUATION.split(w) if t]
    return BASIC.basic_words(text)


def count_words(texts):
    return Counter(w for t in texts for w in basic_words(t))


def learn(texts, size=8000, whole_words=5000, max_piece=6, counts=None):
    """texts: iterable of strings (or counts: a Counter of basic words) -> list of pieces, SPECIALS first."""
    counts = counts if counts is not None else count_words(texts)
    for special in SPECIALS:
        counts.pop(special, None)
    vocab = list(SPECIALS)
    words = [w for w, _ in counts.most_common(whole_words)]
    vocab.extend(words)
    known = set(vocab)
    pieces = Counter()
    for w, c in counts.items():
        if w in known:
            continue
        for n in range(2, min(max_piece, len(w)) + 1):
            pieces[w[:n]] += c
            for i in range(1, len(w) - n + 1):
                pieces["##" + w[i:i + n]] += c
    characters = sorted({ch for w in counts for ch in w})
    room = size - len(vocab) - 2 * len(characters)
    for piece, _ in pieces.most_common():
        if room <= 0:
            break
        if piece not in known:
            vocab.append(piece)
            known.add(piece)
            room -= 1
    for ch in characters:
        for piece in (ch, "##" + ch):
            if piece not in known:
                vocab.append(piece)
                known.add(piece)
    return vocab
