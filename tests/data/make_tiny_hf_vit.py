#!/usr/bin/env python3
"""Writes a random-weight Hugging Face ViTForImageClassification checkpoint for the ViT loading and parity tests,
and its PyTorch golden outputs (models/reference/vit.py; the C++ engine must match within 1e-4):

- tests/data/tiny-hf-vit/: config.json (image 32, patch 8, 3 channels, hidden 16, 2 layers, 2 heads,
  intermediate 32, 3 labels), preprocessor_config.json (resize to 32x32 bilinear, rescale 1/255, normalise
  0.5/0.5), model.safetensors (F32, names as models/reference/vit.py's docstring; no pooler);
- tests/data/tiny-hf-vit-golden/: PNG inputs of several kinds, one <stem>.npz per input and cases.tsv
  (see README.md there for every array and the preprocessing rules).

Weights are random (seed 20261121): attention and predictions mean nothing.

  /usr/bin/python3 tests/data/make_tiny_hf_vit.py        # from the repository root
"""
import json
import os
import sys

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
from export import safetensors_bytes  # noqa: E402
from reference.vit import ViT, attention_flow, discard_margin, preprocess, rollout  # noqa: E402
from vit.png import write_png  # noqa: E402

MODEL_DIR = os.path.join(ROOT, "tests/data/tiny-hf-vit")
GOLDEN_DIR = os.path.join(ROOT, "tests/data/tiny-hf-vit-golden")
LABELS = ["circle", "stripes", "noise"]
CONFIG = {
    "model_type": "vit",
    "architectures": ["ViTForImageClassification"],
    "image_size": 32,
    "patch_size": 8,
    "num_channels": 3,
    "hidden_size": 16,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "intermediate_size": 32,
    "hidden_act": "gelu",
    "layer_norm_eps": 1e-12,
    "qkv_bias": True,
    "hidden_dropout_prob": 0.0,
    "attention_probs_dropout_prob": 0.0,
    "initializer_range": 0.02,
    "encoder_stride": 8,
    "id2label": {str(i): name for i, name in enumerate(LABELS)},
    "label2id": {name: i for i, name in enumerate(LABELS)},
    "torch_dtype": "float32",
}
PREPROCESSOR = {
    "image_processor_type": "ViTImageProcessor",
    "do_resize": True,
    "size": {"height": 32, "width": 32},
    "resample": 2,
    "do_rescale": True,
    "rescale_factor": 1 / 255,
    "do_normalize": True,
    "image_mean": [0.5, 0.5, 0.5],
    "image_std": [0.5, 0.5, 0.5],
}


def randomise(model):
    """Random weights that make visible maps: big embeddings and patch projection, non-trivial layer norms, sharper
    attention and classifiers than the default init (so maps are not uniform). Works on ViT and DeiT."""
    with torch.no_grad():
        e = model.vit.embeddings
        for token in model.special_tokens():
            token.normal_(0, 0.5)
        e.position_embeddings.normal_(0, 0.5)
        e.patch_embeddings.projection.weight.mul_(3.0)  # pixels then move the hidden states visibly
        for module in model.modules():  # layer norms with non-trivial parameters, so both must be read
            if isinstance(module, torch.nn.LayerNorm):
                module.weight.copy_(1 + 0.2 * torch.randn_like(module.weight))
                module.bias.normal_(0, 0.2)
        for layer in model.vit.encoder.layer:
            layer.attention.attention.query.weight.mul_(4.0)
            layer.attention.attention.key.weight.mul_(4.0)
        for name in ("classifier", "cls_classifier", "distillation_classifier"):
            if hasattr(model, name):
                getattr(model, name).weight.mul_(4.0)
    return model


def make_model():
    torch.manual_seed(20261121)
    return randomise(ViT.from_config(CONFIG).eval())


def images(rng):
    """(file name, what it tests, array to write, palette or None, decoded array as an image reader returns it)."""
    y, x = np.mgrid[0:32, 0:32]
    rgb32 = np.stack([x * 8, y * 8, ((x - 16) ** 2 + (y - 16) ** 2 < 100) * 200 + 30], -1)
    rgb32 = np.clip(rgb32 + rng.integers(0, 40, rgb32.shape), 0, 255).astype(np.uint8)

    y, x = np.mgrid[0:30, 0:45]  # width 45, height 30: both axes resized (down in x, up in y)
    rgb45 = np.stack([(x * 5.7) % 256, (np.sin(y / 3.0) + 1) * 127, ((x // 5 + y // 5) % 2) * 255], -1)
    rgb45 = rgb45.astype(np.uint8)

    grey20 = rng.integers(0, 256, (20, 20)).astype(np.uint8)  # upscaled, repeated into 3 channels

    rgba = rng.integers(0, 256, (32, 32, 4)).astype(np.uint8)
    rgba[:8, :, 3] = 0  # fully transparent but coloured: alpha is ignored, the colour is used as stored
    rgba[8:16, :, 3] = 255

    grey_alpha = np.stack([rng.integers(0, 256, (32, 32)), rng.integers(0, 256, (32, 32))], -1).astype(np.uint8)

    grey16 = rng.integers(0, 65536, (24, 24)).astype(np.uint16)
    grey16[0, :8] = [0, 128, 129, 385, 386, 65407, 65408, 65535]  # around the (v + 128) // 257 boundaries

    palette = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255], [250, 250, 250], [20, 20, 20], [128, 64, 0]],
                       dtype=np.uint8)
    indices = (np.add.outer(np.arange(16) // 4, np.arange(16) // 3) % len(palette)).astype(np.uint8)

    y, x = np.mgrid[0:75, 0:100]  # a 3x downscale with fine detail: antialiasing matters here
    big = np.stack([((x + y) % 4) * 80, (x % 7) * 36, ((x // 10 + y // 10) % 2) * 255], -1).astype(np.uint8)

    return [
        ("rgb-32x32.png", "RGB at the model's size (no resize)", rgb32, None, rgb32),
        ("rgb-45x30.png", "RGB 45 wide, 30 high: PIL bilinear resize, down in x, up in y", rgb45, None, rgb45),
        ("grey-20x20.png", "8-bit grey, upscaled; grey repeated into R, G, B", grey20, None, grey20),
        ("rgba-32x32.png", "RGBA: alpha ignored (rows 0-7 have alpha 0 and random colour)", rgba, None, rgba),
        ("grey-alpha-32x32.png", "grey + alpha (colour type 4): alpha ignored", grey_alpha, None, grey_alpha),
        ("grey16-24x24.png", "16-bit grey: (v + 128) // 257, then as 8-bit grey", grey16, None, grey16),
        ("palette-16x16.png", "palette (colour type 3), expanded to RGB", indices, palette, palette[indices]),
        ("rgb-100x75.png", "RGB 100x75: a 3x downscale (PIL's filter widened 3x: antialiased)", big, None, big),
    ]


def main():
    model = make_model()
    os.makedirs(MODEL_DIR, exist_ok=True)
    with open(os.path.join(MODEL_DIR, "config.json"), "w", encoding="utf-8") as f:
        json.dump(CONFIG, f, indent=2)
        f.write("\n")
    with open(os.path.join(MODEL_DIR, "preprocessor_config.json"), "w", encoding="utf-8") as f:
        json.dump(PREPROCESSOR, f, indent=2)
        f.write("\n")
    with open(os.path.join(MODEL_DIR, "model.safetensors"), "wb") as f:
        f.write(safetensors_bytes(model.hf_state_dict()))

    # Read the checkpoint back the way a user's folder would be read, and compute everything from that.
    model = ViT.load(MODEL_DIR)
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    rng = np.random.default_rng(20261121)
    lines = []
    cases = images(rng)
    rgb45, big = cases[1][4], cases[7][4]
    for name, what, array, palette, decoded in cases:
        write_png(os.path.join(GOLDEN_DIR, name), array, palette)
        pixels = preprocess(decoded, model.preprocessor, channels=CONFIG["num_channels"])
        with torch.no_grad():
            hidden, attention, probabilities = model(pixels)
        att = attention.numpy()
        np.savez(os.path.join(GOLDEN_DIR, name[:-4] + ".npz"),
                 pixels=pixels.numpy().astype(np.float32),
                 hidden=hidden.numpy().astype(np.float32),
                 attention=att.astype(np.float32),
                 rollout_mean=rollout(att, "mean").astype(np.float32),
                 flow=attention_flow(att).astype(np.float32),
                 probabilities=probabilities.numpy().astype(np.float32),
                 **{"rollout_max_discard_0.5": rollout(att, "max", 0.5).astype(np.float32)})
        tokens = att.shape[-1]
        h, w = decoded.shape[:2]
        lines.append(f"{name}\t{tokens}\t{w}\t{h}\t{what}")
        print(f"{name}: {w}x{h}, {tokens} tokens, p = {np.round(probabilities.numpy(), 4).tolist()}, "
              f"discard-0.5 margin {discard_margin(att, 'max', 0.5):.2e}")
    with open(os.path.join(GOLDEN_DIR, "cases.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")

    # The same PNGs run at their own size: no resize, position embeddings interpolated (bicubic, as DINO).
    native = []
    for name, decoded in (("rgb-45x30.png", rgb45), ("rgb-100x75.png", big)):
        pixels = preprocess(decoded, model.preprocessor, channels=CONFIG["num_channels"], keep_size=True)
        with torch.no_grad():
            hidden, attention, probabilities = model(pixels, interpolate_pos_encoding=True)
        att = attention.numpy()
        stem = name[:-4] + "-native"
        rows, columns = pixels.shape[1] // CONFIG["patch_size"], pixels.shape[2] // CONFIG["patch_size"]
        np.savez(os.path.join(GOLDEN_DIR, stem + ".npz"),
                 pixels=pixels.numpy().astype(np.float32),
                 hidden=hidden.numpy().astype(np.float32),
                 attention=att.astype(np.float32),
                 rollout_mean=rollout(att, "mean").astype(np.float32),
                 probabilities=probabilities.numpy().astype(np.float32))
        native.append(f"{stem}\t{name}\t{att.shape[-1]}\t{rows}\t{columns}")
        print(f"{stem}: {rows}x{columns} patches, {att.shape[-1]} tokens")
    with open(os.path.join(GOLDEN_DIR, "native.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(native) + "\n")


if __name__ == "__main__":
    main()
