#!/usr/bin/env python3
"""What the shipped Fashion-MNIST ViT's attention looks like, measured on the 10,000 test images (for the
model card): per layer, the entropy of [CLS]'s attention row (mean over heads and images; log(T) would be
uniform), how much of it lands on [CLS] itself, and how much on background patches (patches whose 4x4 / 7x7 pixels
are all 0 in the raw image) compared with the share of such patches; the same for [CLS]'s rollout row
(mean fusion) and attention flow on a few images.

    cd models/vit && /usr/bin/python3 attention_stats.py [--model ../vit-fashion-mnist]
"""
import argparse
import math
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import data  # noqa: E402
from reference.vit import ViT, attention_flow, rollout  # noqa: E402
from train import normalise  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=os.path.join(HERE, "..", "vit-fashion-mnist"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--flow-images", type=int, default=20)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    model = ViT.load(args.model)
    images, labels = data.load("t10k")
    p = model.patch_size
    g = 28 // p
    background = (images.reshape(-1, g, p, g, p).max(axis=(2, 4)) == 0).reshape(len(images), g * g)  # [N, P]
    x = normalise(images)
    maps = []
    with torch.no_grad():
        for i in range(0, len(x), 500):
            maps.append(model.encode(x[i:i + 500])[1][:, :, :, 0].numpy())  # [B, L, heads, T] CLS rows
    cls_rows = np.concatenate(maps)  # [N, L, H, T]
    n, layers, heads, t = cls_rows.shape
    print(f"{n} test images, {t} tokens, background patches: {background.mean():.1%} of all patches")
    for l in range(layers):
        a = cls_rows[:, l]  # [N, H, T]
        entropy = -(a * np.log(np.clip(a, 1e-12, None))).sum(-1).mean()
        on_cls = a[:, :, 0].mean()
        on_bg = (a[:, :, 1:] * background[:, None]).sum(-1).mean()
        per_head = (a[:, :, 1:] * background[:, None]).sum(-1).mean(0)
        print(f"layer {l}: [CLS] row entropy {entropy:.2f} (uniform {math.log(t):.2f}), on [CLS] {on_cls:.3f}, "
              f"on background patches {on_bg:.3f} (per head {np.round(per_head.astype(float), 3).tolist()})")
    with torch.no_grad():
        full = [model(x[i])[1].numpy() for i in range(args.flow_images)]
    bg_roll, bg_flow, share = [], [], []
    for i, att in enumerate(full):
        r = rollout(att, "mean")[0, 1:]
        f = attention_flow(att, rows=[0])[0, 1:]
        bg_roll.append((r * background[i]).sum() / r.sum())
        bg_flow.append((f * background[i]).sum() / f.sum())
        share.append(background[i].mean())
    print(f"first {args.flow_images} test images: share of [CLS]'s patch mass on background patches: rollout "
          f"{np.mean(bg_roll):.3f}, flow {np.mean(bg_flow):.3f}, background share of patches {np.mean(share):.3f}")


if __name__ == "__main__":
    main()
