"""Writes the golden fixtures of the coreference model for the C++ parity test into tests/data/coref-golden/,
from the shipped weights (models/coref-bert, read back from model.safetensors):

    /usr/bin/python3 models/coref/golden.py --data ../shared/data

cases.tsv, one line per case, tab-separated: name, input text, its wordpieces ([CLS] ... [SEP], separated by
single spaces), then one field per pronoun "i j score pronoun_text antecedent_text" (token indexes with
[CLS] = 0; antecedent_text is the antecedent token's whole word as written in the input).
<name>.npz (numpy.savez, plain numeric arrays, no pickles), N tokens, P pronouns:
    ids          int64   [N]                       token ids
    attention    float32 [layers, heads, N, N]     softmax(q k^T / sqrt(d)); row = query token, column = key
    hidden       float32 [N, hidden]               last layer's hidden states
    pronouns     int64   [P]                       pronoun token indexes, in token order
    pointer      float32 [P, N]                    pointer probabilities; 0 at [CLS], [SEP] and the pronoun
    antecedents  int64   [P]                       argmax of each pointer row
    scores       float32 [P]                       the probability at that argmax
"""

import argparse
import csv
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from evaluate import ANIMAL, TWO_PRONOUNS  # noqa: E402
from model import encode_words, load, pronoun_tokens, text_mentions  # noqa: E402

sys.path.insert(0, os.path.join(HERE, ".."))
from reference.encoder import Encoder  # noqa: E402 (the encoder kind's reference, which the C++ engine matches)


def reference_encoder(model, config):
    """models/reference/encoder.py's Encoder with the same weights: a cross-check of model.py's encoder."""
    keys = ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
            "max_position_embeddings", "type_vocab_size", "layer_norm_eps")
    ref = Encoder(**{k: config[k] for k in keys}).eval()
    state = {k: v for k, v in model.saved_state().items() if not k.startswith("coreference.")}
    ref.load_state_dict(state, strict=True)
    return ref

CASES = [
    ("animal-tired", ANIMAL[0]),
    ("animal-wide", ANIMAL[1]),
    ("two-pronouns", TWO_PRONOUNS),
    ("winobias-like", "The developer argued with the designer because he did not like the design."),
    ("they", "The players left the field early because they were exhausted."),
    ("no-pronoun", "Paris is the capital of France."),
    ("unicode", "Zoë told the café owner that her Straße was flooded, 日本 said it too."),
]


def gap_case(data_dir, tok, low=150, high=175):
    """The first GAP validation (test-split) paragraph of low..high tokens."""
    with open(f"{data_dir}/gap-coreference/gap-validation.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            n = len(tok.tokenize(row["Text"])) + 2
            if low <= n <= high:
                return ("gap-" + row["ID"], row["Text"])
    raise SystemExit(f"no GAP validation paragraph of {low}-{high} tokens")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "..", "shared", "data"))
    ap.add_argument("--model", default=os.path.join(HERE, "..", "coref-bert"))
    ap.add_argument("--out", default=os.path.join(HERE, "..", "..", "tests", "data", "coref-golden"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    model, tok, config = load(args.model)
    os.makedirs(args.out, exist_ok=True)
    ref = reference_encoder(model, config)
    lines, largest = [], 0.0
    for name, text in CASES[:2] + [gap_case(args.data, tok)] + CASES[2:]:
        tokens, ids, word_of, words = encode_words(tok, text, config["max_position_embeddings"])
        h, att = model.run(ids)
        with torch.no_grad():
            ref_h, ref_att, _ = ref(torch.tensor(ids))
        largest = max(largest, float((ref_h - h).abs().max()), float((ref_att - att).abs().max()))
        links = {p["pronoun"]: p for p in model.predict(text, tok)}
        pronouns = [i for i in pronoun_tokens(tok, tokens, word_of, words) if i in links]
        pointer = np.zeros((len(pronouns), len(ids)), dtype=np.float32)
        _, mentions = text_mentions(tok, text, config["max_position_embeddings"])
        for r, i in enumerate(pronouns):
            pointer[r] = model.pointer(h, i, mentions).numpy()
        antecedents = pointer.argmax(1) if pronouns else np.zeros(0, dtype=np.int64)
        assert all(int(antecedents[r]) == links[i]["antecedent"] for r, i in enumerate(pronouns))
        np.savez(os.path.join(args.out, name + ".npz"), ids=np.array(ids, dtype=np.int64),
                 attention=att.numpy().astype(np.float32), hidden=h.numpy().astype(np.float32),
                 pronouns=np.array(pronouns, dtype=np.int64), pointer=pointer,
                 antecedents=antecedents.astype(np.int64),
                 scores=pointer.max(1).astype(np.float32) if pronouns else np.zeros(0, dtype=np.float32))
        fields = [name, text, " ".join(tokens)]
        fields += [f"{i} {links[i]['antecedent']} {links[i]['score']:.7f} {links[i]['pronoun_text']} "
                   f"{links[i]['antecedent_text']}" for i in pronouns]
        assert all("\t" not in f and "\n" not in f for f in fields)
        lines.append("\t".join(fields))
        print(name, len(ids), "tokens:", "; ".join(fields[3:]) or "no pronoun")
    with open(os.path.join(args.out, "cases.tsv"), "w", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in lines))
    print(f"models/reference/encoder.py agrees with model.py: largest difference {largest:.2e}")
    assert largest < 1e-4, largest
    total = sum(os.path.getsize(os.path.join(args.out, n)) for n in os.listdir(args.out))
    print(f"wrote {len(lines)} cases to {args.out} ({total / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
