#!/usr/bin/env python3
"""Writes tests/data/tiny-encoder/ and tiny-encoder-npz.zip (an attnviz package of kind "encoder" with RANDOM weights, for tests
and demos of the pipeline; it has learned nothing) and tests/data/tiny-encoder-golden/ (PyTorch outputs
the C++ engine must match within 1e-4: token ids, self-attention, rollout, probabilities, hidden states).

  python3 tests/data/make_tiny_encoder.py        # from the repository root
"""
import os
import sys

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
from export import write_package  # noqa: E402
from reference.encoder import Encoder, basic_tokenize, rollout  # noqa: E402

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = """the a an animal street cat dog man woman it he she they was is were be been too tired wide
didn't didn ' t because cross crossed sat on mat developer designer argued with did not like design
movie film good bad great terrible boring plot acting actor story and but or so very really quite
of to in for at by from this that these those i you we me him her them his its their my your our
love hate enjoyed loved hated fun funny sad long short best worst ever never always well poorly
house car tree river bank money water fire red green blue black white big small old new young
run ran walk walked see saw look looked think thought know knew say said go went come came
time day night year week morning evening today tomorrow yesterday""".split()
PUNCTUATION = list(".,!?;:'\"()-")
LABELS = ["negative", "positive"]
ARCHITECTURE = dict(vocab_size=0, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                    intermediate_size=32, max_position_embeddings=24, type_vocab_size=2, layer_norm_eps=1e-12)
CASES = [
    "The animal didn't cross the street because it was too tired.",
    "hello",  # not in the vocabulary: [UNK]
    "",  # empty: [CLS] [SEP]
    "A GOOD movie , really ; but the plot ... was BORING !!",
    # longer than max_position_embeddings: truncated to 22 words + [CLS] [SEP]
    "the cat sat on the mat and the dog sat on the mat too and it was a good day for the cat and the dog",
]


def ids_for(text, vocab, max_positions):
    words = basic_tokenize(text)[: max_positions - 2]
    tokens = ["[CLS]"] + [w if w in vocab else "[UNK]" for w in words] + ["[SEP]"]
    return tokens, torch.tensor([vocab[t] for t in tokens])


def main():
    torch.manual_seed(20261121)
    vocab_list = SPECIALS + sorted(set(WORDS + PUNCTUATION))
    vocab = {t: i for i, t in enumerate(vocab_list)}
    arch = dict(ARCHITECTURE, vocab_size=len(vocab_list))
    model = Encoder(**arch, num_labels=len(LABELS)).eval()
    with torch.no_grad():  # sharper attention than the default init, so maps are not uniform
        for layer in model.encoder.layer:
            layer.attention.self.query.weight.mul_(3.0)
            layer.attention.self.key.weight.mul_(3.0)

    package = dict(kind="encoder", name="tiny-encoder", variant="random",
                   architecture=dict(arch, hidden_act="gelu", tokenizer="basic", lowercase=True),
                   tensors=model.state_dict(),
                   texts={"vocab": ("vocab.txt", vocab_list), "labels": ("labels.txt", LABELS)},
                   card={"description": "Random weights for tests and pipeline demos. It has learned nothing: "
                                        "its attention and predictions are meaningless.",
                         "training_data": "none",
                         "provenance": "tests/data/make_tiny_encoder.py (torch.manual_seed 20261121)"})
    write_package(os.path.join(ROOT, "tests/data/tiny-encoder"), **package)
    # The same model as a zip with .npz weights: both containers and both weight formats load alike.
    write_package(os.path.join(ROOT, "tests/data/tiny-encoder-npz.zip"), weights_format="npz", **package)

    golden_dir = os.path.join(ROOT, "tests/data/tiny-encoder-golden")
    os.makedirs(golden_dir, exist_ok=True)
    arrays, lines = {}, []
    with torch.no_grad():
        for i, text in enumerate(CASES):
            tokens, ids = ids_for(text, vocab, arch["max_position_embeddings"])
            hidden, attention, probabilities = model(ids)
            arrays[f"case{i}_ids"] = ids.numpy().astype(np.float32)
            arrays[f"case{i}_hidden"] = hidden.numpy()
            arrays[f"case{i}_self"] = attention.numpy()
            arrays[f"case{i}_probabilities"] = probabilities.numpy()
            for fusion in ("mean", "max", "min"):
                arrays[f"case{i}_rollout_{fusion}"] = rollout(attention, fusion).numpy()
            lines.append(text + "\t" + " ".join(tokens))
    np.savez(os.path.join(golden_dir, "golden.npz"), **arrays)
    with open(os.path.join(golden_dir, "cases.tsv"), "w", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))
    print(f"wrote tiny-encoder ({len(vocab_list)} tokens) and {len(CASES)} golden cases")


if __name__ == "__main__":
    main()
