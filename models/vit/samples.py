#!/usr/bin/env python3
"""Writes the Fashion-MNIST sample images shipped with attnviz: resources/samples/fashion-mnist/NNNN-class.png,
12 images from the TEST set (never training images): the first test image of every class, plus the second
Shirt and the second Coat (the classes the model confuses most). NNNN is the index in the test files
(t10k-images-idx3-ubyte, 0-based). 28x28 8-bit greyscale PNGs with the dataset's values as they are
(bright garment on a black background).

    cd models/vit && /usr/bin/python3 samples.py
"""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data  # noqa: E402
from png import write_png  # noqa: E402

OUT = os.path.join(HERE, "..", "..", "resources", "samples", "fashion-mnist")
SECOND = (6, 4)  # Shirt, Coat


def slug(label):
    return label.lower().replace("/", "-").replace(" ", "-")


def chosen(labels):
    """Test indexes, in index order."""
    picks = [int(np.nonzero(labels == c)[0][0]) for c in range(len(data.LABELS))]
    picks += [int(np.nonzero(labels == c)[0][1]) for c in SECOND]
    return sorted(picks)


def main():
    images, labels = data.load("t10k")
    os.makedirs(OUT, exist_ok=True)
    for i in chosen(labels):
        name = f"{i:04d}-{slug(data.LABELS[labels[i]])}.png"
        write_png(os.path.join(OUT, name), images[i])
        print(name)


if __name__ == "__main__":
    main()
