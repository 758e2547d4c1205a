#!/usr/bin/env python3
"""Writes the aligner's toy parallel corpus, tests/data/aligner/toy.{en,fr}: made-up English-French sentence pairs
from a small hand-written lexicon and templates (adjectives after the noun in French, "de le" as the Hansards
files write it, negation "ne ... pas", a few capitals for the lowercasing), then a few pairs the filter must drop
(an empty side, a length ratio over 2, 51 tokens) and exact duplicates. Deterministic (fixed seed).

  /usr/bin/python3 models/aligner/make_toy_corpus.py      # rewrites the two files
"""
import os
import random

SEED = 20
PAIRS = 300
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "data", "aligner")

# English noun -> (French noun, gender)
NOUNS = {"cat": ("chat", "m"), "dog": ("chien", "m"), "house": ("maison", "f"), "car": ("voiture", "f"),
         "book": ("livre", "m"), "table": ("table", "f"), "child": ("enfant", "m"), "woman": ("femme", "f"),
         "man": ("homme", "m"), "city": ("ville", "f"), "tree": ("arbre", "m"), "bird": ("oiseau", "m"),
         "apple": ("pomme", "f"), "door": ("porte", "f"), "river": ("rivière", "f"), "minister": ("ministre", "m"),
         "bill": ("projet", "m"), "member": ("député", "m")}
# English adjective -> (masculine, feminine), placed after the noun in French
ADJECTIVES = {"red": ("rouge", "rouge"), "green": ("vert", "verte"), "blue": ("bleu", "bleue"),
              "black": ("noir", "noire"), "new": ("nouveau", "nouvelle"), "important": ("important", "importante")}
VERBS = {"sees": "voit", "eats": "mange", "likes": "aime", "has": "a", "takes": "prend", "opens": "ouvre",
         "watches": "regarde", "supports": "appuie"}


def det(gender, definite=True):
    return ("le" if gender == "m" else "la") if definite else ("un" if gender == "m" else "une")


def noun_phrase(rng, definite=True, adjective=None):
    english, (french, gender) = rng.choice(sorted(NOUNS.items()))
    en, fr = ["the" if definite else "a"], [det(gender, definite)]
    if adjective is None:
        adjective = rng.random() < 0.4
    if adjective:
        adj, forms = rng.choice(sorted(ADJECTIVES.items()))
        en += [adj, english]
        fr += [french, forms[0] if gender == "m" else forms[1]]
    else:
        en.append(english)
        fr.append(french)
    return en, fr


def sentence(rng):
    kind = rng.randrange(5)
    s_en, s_fr = noun_phrase(rng)
    verb, verbe = rng.choice(sorted(VERBS.items()))
    o_en, o_fr = noun_phrase(rng, definite=rng.random() < 0.5)
    if kind == 0:    # S V O .
        en, fr = s_en + [verb] + o_en + ["."], s_fr + [verbe] + o_fr + ["."]
    elif kind == 1:  # S of the N V O .
        n_en, n_fr = noun_phrase(rng, adjective=False)
        en = s_en + ["of"] + n_en + [verb] + o_en + ["."]
        fr = s_fr + ["de"] + n_fr + [verbe] + o_fr + ["."]
    elif kind == 2:  # S does not V O .
        base = {"sees": "see", "eats": "eat", "likes": "like", "has": "have", "takes": "take", "opens": "open",
                "watches": "watch", "supports": "support"}[verb]
        en = s_en + ["does", "not", base] + o_en + ["."]
        fr = s_fr + ["ne", verbe, "pas"] + o_fr + ["."]
    elif kind == 3:  # Mr. Speaker , S V O .
        en = ["Mr.", "Speaker", ","] + s_en + [verb] + o_en + ["."]
        fr = ["Monsieur", "le", "Président", ","] + s_fr + [verbe] + o_fr + ["."]
    else:            # S is ADJ .
        adj, forms = rng.choice(sorted(ADJECTIVES.items()))
        gender = "f" if s_fr[0] == "la" else "m"
        en = s_en + ["is", adj, "."]
        fr = s_fr + ["est", forms[0] if gender == "m" else forms[1], "."]
    if rng.random() < 0.2:
        en[0], fr[0] = en[0].capitalize(), fr[0].capitalize()
    return " ".join(en), " ".join(fr)


def main():
    rng = random.Random(SEED)
    pairs = [sentence(rng) for _ in range(PAIRS)]
    # What the filter drops: an empty side, a ratio over 2, over 50 tokens; and exact duplicates (kept once).
    pairs.insert(7, ("the cat .", ""))
    pairs.insert(19, ("yes .", "oui , monsieur le président , tout à fait ."))
    pairs.insert(23, (" ".join(["the", "cat"] * 26), " ".join(["le", "chat"] * 26)))
    pairs.insert(31, pairs[3])
    pairs.insert(40, pairs[10])
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "toy.en"), "w", encoding="utf-8") as en, \
            open(os.path.join(OUT, "toy.fr"), "w", encoding="utf-8") as fr:
        for e, f in pairs:
            en.write(e + "\n")
            fr.write(f + "\n")
    print(f"wrote {len(pairs)} pairs to {OUT}/toy.{{en,fr}}")


if __name__ == "__main__":
    main()
