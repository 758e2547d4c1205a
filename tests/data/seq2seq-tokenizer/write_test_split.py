#!/usr/bin/env python3
"""Writes the raw English and French sentences of the seq2seq test split (models/seq2seq/data.py, the split the
models are evaluated on) with the tokens and display text models/seq2seq/text.py gives them and the normalised
sentence the display text should read as, for the C++ tokenizer parity test (tests/unit/test_seq2seq_tokenizer_split.cpp). Standard library only.

  python3 tests/data/seq2seq-tokenizer/write_test_split.py --data ../shared/data --out build/tests/seq2seq-tokenizer-test-split.tsv

Output, UTF-8, one sentence per line after a header line:
  # attnviz seq2seq tokenizer test split: <N> sentences
  <en|fr> TAB <raw sentence> TAB <tokens joined by a space> TAB <detokenize(tokens, language)>
    TAB <normalise(raw sentence) with runs of spaces made one and no space at either end>
The file is written under a temporary name and renamed, so it is complete or absent.
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "models", "seq2seq"))
import data as D  # noqa: E402
from text import detokenize, normalise, tokenize  # noqa: E402

ZIP = "tatoeba-eng-fra/fra-eng.zip"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="the shared data folder (holds tatoeba-eng-fra/fra-eng.zip)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    zip_path = os.path.join(args.data, ZIP)
    if not os.path.isfile(zip_path):
        sys.exit(f"write_test_split.py: {zip_path} does not exist: the tokenizer parity test needs the shared data "
                 f"folder beside the repository (../shared/data, see its README), or configure with "
                 f"-DATTNVIZ_SHARED_DATA=<folder>")
    splits = D.split_pairs(D.load_pairs(zip_path))
    lines = []
    for en_tokens, fr_tokens, en, fr in splits["test"]:
        for language, raw in (("en", en), ("fr", fr)):
            if any(c in raw for c in "\t\n\r"):
                sys.exit(f"write_test_split.py: a test sentence holds a tab or line break: {raw!r}")
            tokens = tokenize(raw)
            if any(" " in t or "\t" in t for t in tokens):
                sys.exit(f"write_test_split.py: a token holds a space or tab: {tokens!r}")
            normalised = " ".join(w for w in normalise(raw).split(" ") if w)
            lines.append(f"{language}\t{raw}\t{' '.join(tokens)}\t{detokenize(tokens, language)}\t{normalised}\n")
        assert tokenize(en) == en_tokens and tokenize(fr) == fr_tokens
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(f"# attnviz seq2seq tokenizer test split: {len(lines)} sentences\n")
        handle.writelines(lines)
    os.replace(tmp, args.out)
    print(f"wrote {len(lines)} sentences ({len(splits['test'])} pairs) to {args.out}")


if __name__ == "__main__":
    main()
