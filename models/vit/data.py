"""Fashion-MNIST from Debian's dataset-fashion-mnist (gzipped IDX files in /usr/share/datasets/fashion-mnist/).

    train, validation, test = splits()        # each (images uint8 [N, 28, 28], labels int64 [N])

Split: the 60,000 training images are shuffled with seed 20261121 into 55,000 train and 5,000 validation;
test is the official 10,000 test images, in file order (index i = the i-th test image).
"""
import gzip
import os
import struct

import numpy as np

DATA_DIR = "/usr/share/datasets/fashion-mnist"
LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
SEED = 20261121
VALIDATION = 5000


def read_idx(path):
    """A gzipped IDX file -> numpy array (uint8 data: magic 0x00000801 labels, 0x00000803 images)."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, dims = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    array = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims)
    if array.size != int(np.prod(shape)):
        raise ValueError(f"{path}: {array.size} values, header says {shape}")
    return array.reshape(shape)


def load(kind, data_dir=DATA_DIR):
    """kind "train" or "t10k" -> (images uint8 [N, 28, 28], labels int64 [N])."""
    images = read_idx(os.path.join(data_dir, f"{kind}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{kind}-labels-idx1-ubyte.gz")).astype(np.int64)
    return images, labels


def splits(data_dir=DATA_DIR):
    """(train, validation, test) as (images, labels) pairs; see the module docstring."""
    images, labels = load("train", data_dir)
    order = np.random.default_rng(SEED).permutation(len(images))
    val, train = order[:VALIDATION], order[VALIDATION:]
    return (images[train], labels[train]), (images[val], labels[val]), load("t10k", data_dir)
