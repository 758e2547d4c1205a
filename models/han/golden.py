"""Golden fixtures for the C++ parity test (tests/golden/test_han_golden.cpp), computed by PyTorch from a
han package exactly as shipped (F16 weights read back), so the fixtures always describe the shipped model.

  /usr/bin/python3 models/han/golden.py --package models/han-movie-reviews --data ../shared/data \
      --out tests/data/han-golden

Writes case<k>.txt (one sentence per line, tokens separated by spaces: what `attnviz run --sentences lines`
reads as is) and han.npz: case<k>_probabilities [classes], case<k>_sentence_attention [S],
case<k>_word_attention [all words], and occlusion_words / occlusion_sentences for case OCCLUSION_CASE.
Cases: a one-sentence review, a 100+ sentence document (the two longest validation reviews joined), a
document with unknown words and one-word sentences, and five validation reviews.
"""

import argparse
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import data as D  # noqa: E402
from export import load_state_dict  # noqa: E402
from model import HAN, occlusion  # noqa: E402

OCCLUSION_CASE = 2
ARCHITECTURE_KEYS = ("embedding_size", "word_hidden", "sentence_hidden", "word_attention", "sentence_attention")


def load_package(folder):
    """(HAN in eval mode, word -> id, labels) from a han package folder."""
    with open(os.path.join(folder, "attnviz.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    a = manifest["architecture"]
    files = manifest["files"]
    with open(os.path.join(folder, files["vocab"]), encoding="utf-8") as handle:
        vocab = handle.read().split("\n")[:-1]
    with open(os.path.join(folder, files["labels"]), encoding="utf-8") as handle:
        labels = handle.read().split("\n")[:-1]
    model = HAN(a["vocab_size"], classes=a["classes"], **{k: a[k] for k in ARCHITECTURE_KEYS})
    state = {k: torch.from_numpy(np.array(v)) for k, v in load_state_dict(os.path.join(folder, files["weights"])).items()}
    model.load_state_dict(state)
    model.eval()
    return model, {w: i for i, w in enumerate(vocab)}, labels


def documents(data_dir):
    reviews = D.load_reviews(os.path.join(data_dir, "movie-review-polarity/review_polarity_cv000-899.tar.gz"))
    validation = D.split_reviews(reviews)["validation"]
    longest = sorted(validation, key=lambda r: (-len(r[2]), r[3]))
    return [
        [validation[0][2][0]],
        longest[0][2] + longest[1][2],
        [["this", "zorblaxian", "film", "is", "a", "qwertyuiopian", "masterpiece", "."], ["wow", "."], ["!"],
         ["the", "acting", "is", "dreadful", "and", "the", "plot", "makes", "no", "sense", "."]],
    ] + [r[2] for r in validation[1:6]]


def write(model, index, docs, out):
    os.makedirs(out, exist_ok=True)
    arrays = {}
    with torch.no_grad():
        for k, sentences in enumerate(docs):
            ids = D.encode(sentences, index)
            logits, sentence_weights, word_weights = model([ids])
            arrays[f"case{k}_probabilities"] = torch.softmax(logits[0], 0).numpy()
            arrays[f"case{k}_sentence_attention"] = sentence_weights[0].numpy()
            arrays[f"case{k}_word_attention"] = torch.cat(word_weights[0]).numpy()
            with open(os.path.join(out, f"case{k}.txt"), "w", encoding="utf-8") as handle:
                handle.write("".join(" ".join(s) + "\n" for s in sentences))
        ids = D.encode(docs[OCCLUSION_CASE], index)
        label = int(model([ids])[0][0].argmax())
    words, sentences = occlusion(model, ids, label)
    arrays["occlusion_words"] = np.array([w for row in words for w in row], dtype=np.float32)
    arrays["occlusion_sentences"] = np.array(sentences, dtype=np.float32)
    np.savez(os.path.join(out, "han.npz"), **arrays)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package", required=True)
    parser.add_argument("--data", required=True, help="the shared data folder (holds movie-review-polarity/)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.set_num_threads(1)
    model, index, _ = load_package(args.package)
    docs = documents(args.data)
    write(model, index, docs, args.out)
    print(f"wrote {len(docs)} cases to {args.out} (documents of {', '.join(str(len(d)) for d in docs)} sentences)")


if __name__ == "__main__":
    main()
