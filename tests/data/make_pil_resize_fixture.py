#!/usr/bin/env python3
"""Writes tests/data/pil-resize.npz: images and what Pillow's Image.resize makes of them, the reference for the C++
resize of ViT preprocessing (engine/models/vit/image_input.cpp), which must be identical (Hugging Face image
processors resize through PIL). 48 cases: random and smooth RGB images, 1-40 pixels a side, up- and downscaled
(to 3x), bilinear (resample 2) and bicubic (3); plus a 97x61 -> 16x16 shrink.

Arrays per case i (uint8): in_i [H, W, 3], out_i [h, w, 3], resample_i [1].
Needs Pillow (Debian python3-pil) only to regenerate.

  /usr/bin/python3 tests/data/make_pil_resize_fixture.py      # from the repository root
"""
import os

import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pil-resize.npz")


def main():
    rng = np.random.default_rng(20261121)
    arrays = {}
    sizes = [(int(a), int(b), int(c), int(d)) for a, b, c, d in rng.integers(1, 41, size=(47, 4))] + [(61, 97, 16, 16)]
    for i, (h, w, oh, ow) in enumerate(sizes):
        if i % 2:
            img = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
        else:  # smooth: gradients with a bright spot, where rounding of the passes shows
            y, x = np.mgrid[0:h, 0:w]
            img = np.stack([(x * 255 // max(w - 1, 1)), (y * 255 // max(h - 1, 1)),
                            255 * ((y - h / 2) ** 2 + (x - w / 2) ** 2 < (min(h, w) / 3) ** 2)], axis=2).astype(np.uint8)
        resample = 2 if i % 4 < 2 else 3
        out = np.asarray(Image.fromarray(img, "RGB").resize((ow, oh), resample=resample))
        arrays[f"in_{i}"] = img
        arrays[f"out_{i}"] = out
        arrays[f"resample_{i}"] = np.array([resample], dtype=np.uint8)
    np.savez(OUT, **arrays)
    print(f"{OUT}: {len(sizes)} cases, Pillow {Image.__version__}")


if __name__ == "__main__":
    main()
