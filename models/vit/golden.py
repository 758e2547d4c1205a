#!/usr/bin/env python3
"""Writes the golden fixtures of the shipped Fashion-MNIST ViT for the C++ parity test into
tests/data/vit-fashion-golden/, from models/vit-fashion-mnist as saved (config.json, preprocessor_config.json and
model.safetensors read back), through models/reference/vit.py:

    cd models/vit && /usr/bin/python3 golden.py

Inputs: four test-set images (never training images) as 28x28 8-bit grey PNGs, named NNNN-class.png by their
test index, and one RGB case: test image 9 tinted (R = v, G = (3 v) // 4, B = v // 2) and enlarged to 40x40 by
nearest neighbour, which exercises RGB -> grey ((299 R + 587 G + 114 B + 500) // 1000) and the bilinear resize
(40 -> 28, no antialiasing) on the real model.

cases.tsv, no header, tab-separated: PNG file, true label index, true label name, token count.
<stem>.npz (numpy.savez, float32, no pickles), T = 1 + (28 / patch)^2 tokens:
    pixels         [1, 28, 28]            preprocessed input
    attention      [layers, heads, T, T]  softmax(q k^T / sqrt(d)); row = query token, column = key token
    rollout_mean   [T, T]                 rollout, heads fused by mean, no discard
    flow_cls       [T]                    attention flow from [CLS] after the last layer to every input token
                                          (models/reference/vit.py attention_flow, row 0; sums to 1)
    probabilities  [10]                   softmax of the classifier, labels in id2label order
"""
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import data  # noqa: E402
from png import write_png  # noqa: E402
from reference.vit import ViT, attention_flow, preprocess, rollout  # noqa: E402
from samples import slug  # noqa: E402

MODEL = os.path.join(HERE, "..", "vit-fashion-mnist")
OUT = os.path.join(ROOT, "tests", "data", "vit-fashion-golden")
GREY_CASES = (0, 1, 2, 4)  # Ankle boot, Pullover, Trouser, Shirt
TINTED = 9  # Sneaker


def main():
    torch.set_num_threads(1)
    model = ViT.load(MODEL)
    images, labels = data.load("t10k")
    os.makedirs(OUT, exist_ok=True)
    cases = [(f"{i:04d}-{slug(data.LABELS[labels[i]])}.png", images[i], int(labels[i])) for i in GREY_CASES]
    v = images[TINTED].astype(np.int64)
    tinted = np.stack([v, (3 * v) // 4, v // 2], -1).astype(np.uint8)
    index = (np.arange(40) * 28) // 40  # nearest neighbour 28 -> 40
    cases.append((f"{TINTED:04d}-{slug(data.LABELS[labels[TINTED]])}-tinted-rgb-40x40.png",
                  tinted[index][:, index], int(labels[TINTED])))
    lines = []
    for name, image, label in cases:
        write_png(os.path.join(OUT, name), image)
        pixels = preprocess(image, model.preprocessor, channels=model.num_channels)
        with torch.no_grad():
            _, attention, probabilities = model(pixels)
        att = attention.numpy()
        np.savez(os.path.join(OUT, name[:-4] + ".npz"),
                 pixels=pixels.numpy().astype(np.float32),
                 attention=att.astype(np.float32),
                 rollout_mean=rollout(att, "mean").astype(np.float32),
                 flow_cls=attention_flow(att, rows=[0])[0].astype(np.float32),
                 probabilities=probabilities.numpy().astype(np.float32))
        p = probabilities.numpy()
        lines.append(f"{name}\t{label}\t{data.LABELS[label]}\t{att.shape[-1]}")
        print(f"{name}: true {data.LABELS[label]}, predicted {data.LABELS[int(p.argmax())]} ({p.max():.3f})", flush=True)
    with open(os.path.join(OUT, "cases.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
