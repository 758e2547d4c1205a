#!/usr/bin/env python3
"""Writes tests/data/pil-resample.npz: images and what Pillow's Image.resize makes of them with each of its six
filters (resample 0 NEAREST, 1 LANCZOS, 2 BILINEAR, 3 BICUBIC, 4 BOX, 5 HAMMING), the reference for every filter of
the C++ resize of ViT preprocessing (engine/models/vit/image_input.cpp), which must be identical: Hugging Face image
processors resize through PIL, with the filter preprocessor_config.json's "resample" names. Per filter 9 cases: random
and smooth RGB images, 1-24 pixels a side, up- and downscaled (to 4x), and a 53x37 -> 11x9 shrink.
(tests/data/pil-resize.npz, of make_pil_resize_fixture.py, covers bilinear and bicubic on larger images.)

Arrays per case i (uint8): in_i [H, W, 3], out_i [h, w, 3], resample_i [1].
Needs Pillow (Debian python3-pil) only to regenerate.

  /usr/bin/python3 tests/data/make_pil_resample_fixture.py      # from the repository root
"""
import os

import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pil-resample.npz")


def image(rng, h, w, smooth):
    if not smooth:
        return rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
    # gradients with a bright disc, where the rounding of each pass and the filters' negative lobes show
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([(x * 255 // max(w - 1, 1)), (y * 255 // max(h - 1, 1)),
                     255 * ((y - h / 2) ** 2 + (x - w / 2) ** 2 < (min(h, w) / 3) ** 2)], axis=2).astype(np.uint8)


def main():
    rng = np.random.default_rng(20260616)
    arrays = {}
    i = 0
    for resample in range(6):
        sizes = [tuple(int(v) for v in rng.integers(1, 25, size=4)) for _ in range(8)] + [(37, 53, 9, 11)]
        for k, (h, w, oh, ow) in enumerate(sizes):
            img = image(rng, h, w, smooth=k % 2 == 0)
            out = np.asarray(Image.fromarray(img, "RGB").resize((ow, oh), resample=resample))
            arrays[f"in_{i}"] = img
            arrays[f"out_{i}"] = out
            arrays[f"resample_{i}"] = np.array([resample], dtype=np.uint8)
            i += 1
    np.savez_compressed(OUT, **arrays)
    print(f"{OUT}: {i} cases, Pillow {Image.__version__}")


if __name__ == "__main__":
    main()
