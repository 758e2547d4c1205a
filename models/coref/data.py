"""Pronoun-resolution examples for the coreference model, read from ../shared/data:

- WinoBias (Zhao et al. 2018) `.dev` files, 396 sentences each, pro- and anti-stereotyped, types 1 and 2:
  `12 [The developer] argued with the designer because [she] did not like the design.` The first bracketed
  span is the antecedent, the second the pronoun (a few lines bracket a second pronoun of the same
  antecedent: `[she] needed to cut [her] hair`; the first pronoun is the example's). Known typos (`the [the chief]`) are kept as written.
- GAP (Webster et al. 2018) development (2,000 rows) and validation (454 rows): a Wikipedia paragraph, a pronoun
  and two candidate names A and B with character offsets and which of them (if any) the pronoun refers to.

Every example becomes Example(text, pronoun=(start, end), antecedent=(start, end) or None, candidates=[...],
source, group), character offsets into text. The split (SEED) keeps the pro/anti pair of a WinoBias sentence
(the same line number of the same type) on the same side; GAP development is train, GAP validation is test.
"""

import csv
import random
import re
from collections import namedtuple

SEED = 20261121
Example = namedtuple("Example", "text pronoun antecedent candidates source group")
BRACKETS = re.compile(r"\[([^\]]+)\]")


def read_winobias_line(line, source):
    """'12 [The developer] argued ... [she] did ...' -> Example with offsets into the text without brackets."""
    number, _, body = line.strip().partition(" ")
    spans, text, last = [], "", 0
    for match in BRACKETS.finditer(body):
        text += body[last:match.start()]
        spans.append((len(text), len(text) + len(match.group(1))))
        text += match.group(1)
        last = match.end()
    text += body[last:]
    if len(spans) < 2:
        raise ValueError(f"{source} line {number}: expected two bracketed spans, found {len(spans)}")
    antecedent, pronoun = spans[0], spans[1]  # a few lines bracket a second pronoun of the same antecedent
    return Example(text, pronoun, antecedent, [antecedent], source, int(number))


def winobias(data_dir):
    examples = []
    for stereotype in ("pro", "anti"):
        for kind in (1, 2):
            source = f"winobias-{stereotype}-type{kind}"
            with open(f"{data_dir}/winobias/{stereotype}_stereotyped_type{kind}.txt.dev", encoding="utf-8") as handle:
                examples.extend(read_winobias_line(line, source) for line in handle if line.strip())
    return examples


def gap(data_dir, name):
    examples = []
    with open(f"{data_dir}/gap-coreference/gap-{name}.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            text = row["Text"]
            spans = []
            for key in ("Pronoun", "A", "B"):
                start = int(row[f"{key}-offset"])
                end = start + len(row[key])
                if text[start:end] != row[key]:
                    raise ValueError(f"GAP {row['ID']}: {key} offset {start} does not hold {row[key]!r}")
                spans.append((start, end))
            pronoun, a, b = spans
            antecedent = a if row["A-coref"] == "TRUE" else b if row["B-coref"] == "TRUE" else None
            examples.append(Example(text, pronoun, antecedent, [a, b], f"gap-{name}", row["ID"]))
    return examples


def split(data_dir, test_fraction=0.25, validation_fraction=0.15):
    """{"train", "validation", "test"}: WinoBias by (type, line) pair with the seed, GAP development split into
    train/validation, GAP validation as test."""
    wino = winobias(data_dir)
    pairs = sorted({(e.source.split("-")[-1], e.group) for e in wino})
    random.Random(SEED).shuffle(pairs)
    n_test = int(len(pairs) * test_fraction)
    n_validation = int(len(pairs) * validation_fraction)
    side = {p: "test" if i < n_test else "validation" if i < n_test + n_validation else "train" for i, p in enumerate(pairs)}
    out = {"train": [], "validation": [], "test": []}
    for e in wino:
        out[side[(e.source.split("-")[-1], e.group)]].append(e)
    development = gap(data_dir, "development")
    random.Random(SEED + 1).shuffle(development)
    n_gap_validation = int(len(development) * validation_fraction)
    out["validation"].extend(development[:n_gap_validation])
    out["train"].extend(development[n_gap_validation:])
    out["test"].extend(gap(data_dir, "validation"))
    return out
