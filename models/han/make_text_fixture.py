"""Writes tests/data/han-text/cases.txt: raw texts and how models/han/text.py cuts them into sentences and
tokens, for the C++ port's test (tests/unit/test_han_text.cpp). Hand-written edge cases plus a few hundred
texts assembled at random (fixed seed) from fragments with abbreviations, initials, quotes, brackets,
ellipses, dashes, apostrophes, accents, CJK, emoji and line breaks.

Format, one case per line: TEXT <TAB> MODE <TAB> SENTENCES, where TEXT escapes \\ \n \t \r as \\\\ \\n \\t \\r,
MODE is auto, lines or split, and SENTENCES joins sentences with U+001E and tokens with U+001F.

  /usr/bin/python3 models/han/make_text_fixture.py
"""

import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import text as T  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
HAND = [
    "Mr. Smith went to Washington. He saw J. R. R. Tolkien's \"The Hobbit.\" It was great!! Wasn't it?",
    "Yes... and no. The '80s were fun -- really. E.g. this one.",
    "I don't like 'em, said the sci-fi fan -- 8/10 ``great'' film's ending...",
    "the movie was bad .\ni hated it .\nreally .",
    "First paragraph, wrapped\nover two lines. Second sentence.\n\nNew paragraph here",
    "\u201cSmart quotes\u201d and \u2018single ones\u2019 \u2014 and an ellipsis\u2026 Then more.",
    "", "   ", "\n\n", "!!!", "...", "'", "--", "- -", "a-", "-a", "a--b", "'tis 'twas 'cause 'em 'n' 'til",
    "Élan vital. Über alles. ÀÉÎÕÜ ŸES Ĳ Œuvre", "日本語の文。 English too. 😀 emoji! ok?",
    "Dr. No (1962) is the 1st Bond film; St. Louis, etc. Fine.", "He said \"Stop!\" She left.",
    "Tab\tseparated\u00a0nbsp\u202fnarrow\u200bzero width", "U.S. forces. A. Lincoln.", "(Parenthetical.) Next.",
    "Rated 3.5/4 -- see www.example.com or mail me@example.com.", "Is it? no. Is it? Yes.",
    "actors' union; the students' 'best' work", "x \u00d7 y \u00f7 z", "line one\r\nline two\r\n",
    "rock'n'roll o'clock ma'am y'all", "#hashtag @user $5 100% <b>bold</b> a|b ~ ^ \\ back",
]
FRAGMENTS = [
    "The film", "Mr. Jones", "Dr. Evil", "it was", "a triumph", "a mess", "\"honestly\"", "'really'", "(sort of)",
    "--", "...", "!", "?", ".", ",", ";", ":", "don't", "isn't", "film's", "the '80s", "sci-fi", "8/10", "J. K.",
    "etc.", "U.S.", "e.g.", "i.e.", "Oscar-winning", "\u2014", "\u2026", "caf\u00e9", "na\u00efve", "\u00c9TOILE",
    "\u4e2d\u6587", "\U0001F3AC", "\n", "\n\n", "Then", "then", "And", "and", "I", "you", "St. Louis", "No. 5",
]


def escape(text):
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def encode(sentences):
    return "\x1e".join("\x1f".join(s) for s in sentences)


def main():
    rng = random.Random(20261121)
    texts = list(HAND)
    for _ in range(300):
        texts.append(" ".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 25))))
    out = os.path.join(ROOT, "tests/data/han-text/cases.txt")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as handle:
        for text in texts:
            for mode in ("auto", "lines", "split"):
                handle.write(f"{escape(text)}\t{mode}\t{encode(T.split_sentences(text, mode))}\n")
    print(f"wrote {len(texts) * 3} cases to {out}")


if __name__ == "__main__":
    main()
