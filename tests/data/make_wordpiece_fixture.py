"""Writes the fixtures of tests/unit/test_wordpiece.cpp and tests/unit/test_unicode.cpp from the Python
references (models/reference/wordpiece.py and Python's own unicodedata / str.lower()):

- tests/data/wordpiece/vocab.txt: a vocabulary built from the cases below: some words whole, some only as
  pieces, some characters left out so that [UNK] happens.
- tests/data/wordpiece/cases.tsv: `options <TAB> escaped text <TAB> pieces joined by U+0020`, for ~400 texts
  (hand-written + random mixes of accents, CJK, emoji, punctuation runs, control characters, very long words)
  under five option sets.
- tests/data/wordpiece/unicode.tsv: `input <TAB> NFC <TAB> NFD <TAB> lower`, code points in hex, for random
  strings rich in combining marks, Hangul, decomposable letters and Greek capital sigma.

    /usr/bin/python3 tests/data/make_wordpiece_fixture.py
"""

import os
import random
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
from models.reference.wordpiece import WordPiece  # noqa: E402

OPTIONS = {  # name -> WordPiece keyword arguments
    "lower": dict(lowercase=True),
    "cased": dict(lowercase=False),
    "lower-keep-accents": dict(lowercase=True, strip_accents=False),
    "cased-strip-accents": dict(lowercase=False, strip_accents=True),
    "lower-no-cjk": dict(lowercase=True, tokenize_chinese_chars=False),
}

HAND = [
    "The animal didn't cross the street because it was too tired.",
    "The animal didn't cross the street because it was too wide.",
    "Hello, World!!! ... ?!?! --- (really) [maybe] {no} <yes> @home #tag $5 %20 ^_^ ~ | \\ / ` \"quoted\"",
    "Café naïve résumé Ångström façade Øresund São Paulo Zürich Ελληνικά ΟΔΟΣ ΣΑΣ Σ όσος",
    "e\u0301 a\u0308 o\u0302\u0323 \u212b \u2126 K\u030a \u1e9b\u0323 \u0041\u030a\u0301",
    "İstanbul ıI DŽ ǅ ǆ ẞ ß ﬁ ﬀ Ⅻ ⓐ Ⓐ 𐐀𐐨 Ꭰ ꭰ",
    "中文字符测试，日本語のテキスト、한국어 텍스트。𠀀𪜀 豈",
    "Emoji: 😀😃 👨‍👩‍👧 👍🏽 🇫🇷 ❤️ ☕",
    "supercalifragilisticexpialidocious " + "a" * 99 + " " + "b" * 100 + " " + "c" * 101,
    "tabs\tand\nnewlines\r\nand\u00a0non-breaking\u2003em\u3000ideographic\u2028line\u2029para spaces",
    "control\x00chars\x01here\x7f\x85and\ufffdreplacement\u200bzero\u200dwidth\ufeffbom",
    "[CLS] already [SEP] and [MASK] and [UNK] [PAD] [cls] [MASK][MASK]x[SEP]",
    "مرحبا بالعالم שלום עולם हिन्दी भाषा ภาษาไทย",
    "Numbers 3.14159 1,000,000 ½ ² ³ ١٢٣ ۴۵۶",
    "Punctuation runs: !!!???...,,,;;;:::---___***&&&",
    "Quotes ‘single’ “double” «guillemets» „low“ ‹angle› 「kagi」 — – ‐ … • · ¡¿",
    "\u1fef\u037e\u0387 Greek oddities: ΐ ΰ ᾼ ᾳ ᾷ",
    "ᄀ\u1161 \u1100\u1161\u11a8 \uac00\u11a8 한글",
    "",
    "   ",
    "a",
    ".",
    "Mr. O'Neil's dog—a 'good boy'—barked.",
    "ﬀiﬁ ＡＢＣ ｆｕｌｌｗｉｄｔｈ ｶﾀｶﾅ",
    "Σ Σa aΣ aΣa aΣ. a.Σ ΑΣ' ΑΣ'Α",
]

FRAGMENTS = [
    "the", "The", "ANIMAL", "animal", "animals", "street", "tired", "wide", "it", "because", "didn't", "can't",
    "crossed", "crossing", "unbelievable", "antidisestablishmentarianism", "naïve", "NAÏVE", "café", "CAFÉ",
    "Ωmega", "σοφία", "ΣΟΦΙΑ", "İ", "ǅ", "Ⅳ", "ﬁne", "中", "文", "日本", "한국", "😀", "👨‍👩‍👧", "\u0301",
    "e\u0301", "\u00e9", "...", "!?", "--", "(", ")", "\"", "'", ",", ".", "-", "/", "\\", "$100", "3.5",
    "\t", "\n", "\u00a0", "\u3000", "\x00", "\x07", "\u200b", "\ufffd", "[MASK]", "[SEP]", "x" * 120,
    "ab" * 51, "Zürich", "ÅNGSTRÖM", "Øre", "straße", "STRASSE", "ﬀ", "مرحبا", "שלום", "हिन्दी", "\u1fef",
    "𝐇𝐞𝐥𝐥𝐨", "Ⓐ", "½", "¡Hola!", "¿Qué?", "«oui»", "a\u0323\u0307", "\u1e0b\u0323", "\u212b", "Σ", "ΑΣ",
]


def escape(text):
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch.isprintable() and ch != "\t":
            out.append(ch)
        else:
            out.append("\\u{%X}" % ord(ch))
    return "".join(out)


def texts():
    rng = random.Random(20261121)
    out = list(HAND)
    for _ in range(375):
        parts = [rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 12))]
        sep = rng.choice(["", " ", " ", " ", "  "])
        out.append(sep.join(parts))
    return out


def build_vocab(all_texts):
    """Whole words for two thirds of the word types, pieces for the rest; characters seen in 'skip' words
    are left out of the vocabulary so that some words cannot be spelled ([UNK])."""
    rng = random.Random(7)
    words = set()
    for options in OPTIONS.values():
        tok = WordPiece(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], **options)
        for text in all_texts:
            words.update(tok.basic_words(text))
    words -= {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    seen = set(vocab)

    def add(piece):
        if piece not in seen:
            seen.add(piece)
            vocab.append(piece)

    for word in sorted(words):
        r = rng.random()
        if r < 0.6:
            add(word)
        elif r < 0.9:
            add(word[:max(1, len(word) // 2)])
            for i in range(max(1, len(word) // 2), len(word), 2):
                add("##" + word[i:i + 2])
                add("##" + word[i:i + 1])
        # else: only reachable through other words' pieces, often [UNK]
    return vocab


def unicode_cases():
    rng = random.Random(11)
    interesting = [cp for cp in range(0x3000) if unicodedata.combining(chr(cp)) or unicodedata.decomposition(chr(cp))]
    interesting += [0x03A3, 0x03A3, 0x03A3, 0x0130, 0x1E9E, 0x2126, 0x212B, 0x1100, 0x1161, 0x11A8, 0xAC00, 0xD7A3,
                    0x0B47, 0x0B3E, 0x0B57, 0x1025, 0x102E, 0x0027, 0x002E, 0x0020, 0x0041, 0x0061, 0x00AD, 0x10400]
    letters = [0x41, 0x61, 0x3A3, 0x3B1, 0x391, 0x65, 0x301, 0x308, 0x323, 0x1100, 0x1161, 0x11A8, 0x27, 0x20]
    cases = []
    for i in range(600):
        pool = interesting if i % 2 == 0 else letters
        s = "".join(chr(rng.choice(pool)) for _ in range(rng.randint(1, 12)))
        cases.append(s)
    for cp in range(0, 0x30000, 97):  # a sweep over the planes in use
        if not 0xD800 <= cp <= 0xDFFF:
            cases.append("".join(chr(c) for c in range(cp, cp + 5) if not 0xD800 <= c <= 0xDFFF))
    return cases


def hexes(text):
    return " ".join("%X" % ord(ch) for ch in text)


def main():
    out_dir = os.path.join(ROOT, "tests/data/wordpiece")
    os.makedirs(out_dir, exist_ok=True)
    all_texts = texts()
    vocab = build_vocab(all_texts)
    with open(os.path.join(out_dir, "vocab.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(vocab) + "\n")
    lines = 0
    with open(os.path.join(out_dir, "cases.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for name, options in OPTIONS.items():
            tok = WordPiece(vocab, **options)
            for text in all_texts:
                f.write("%s\t%s\t%s\n" % (name, escape(text), " ".join(tok.tokenize(text))))
                lines += 1
    with open(os.path.join(out_dir, "unicode.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for s in unicode_cases():
            f.write("\t".join(hexes(x) for x in (s, unicodedata.normalize("NFC", s), unicodedata.normalize("NFD", s),
                                                 s.lower())) + "\n")
    print("wrote %d tokenizer cases, %d vocabulary pieces to %s" % (lines, len(vocab), out_dir))


if __name__ == "__main__":
    main()
