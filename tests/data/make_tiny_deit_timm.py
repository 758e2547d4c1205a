#!/usr/bin/env python3
"""Writes two more random-weight Vision Transformers in the layouts people have, and their PyTorch golden outputs
(models/reference/vit.py; the C++ engine must match within 1e-4):

- tests/data/tiny-hf-deit/: a Hugging Face DeiTForImageClassificationWithTeacher folder (model_type "deit":
  [CLS] and [DIST] tokens, cls_classifier and distillation_classifier averaged), image 32, patch 8, hidden 16,
  2 layers, 2 heads, 3 labels, with DeiT's kind of preprocessor_config.json: size 40 (a number: a square), bicubic
  (resample 3), do_center_crop to crop_size 32, ImageNet mean/std;
- tests/data/tiny-timm-vit.safetensors: a ViT with the original timm/DINO names (cls_token, pos_embed,
  patch_embed.proj, blocks.N.attn.qkv, norm1, mlp.fc1, norm, head) and no config, as the engine infers it: image 32
  from pos_embed, patch 8, hidden 64 so heads = 64 / 64 = 1, layer norm eps 1e-6, ImageNet mean/std, bilinear
  resize. Stored in F16 to stay small (the golden uses the F16-rounded weights).
- tests/data/tiny-deit-timm-golden/<model>-<image>.npz: pixels, attention, rollout_mean, probabilities for three
  PNGs of tests/data/tiny-hf-vit-golden (45x30, 100x75 and 20x20 grey: resized up and down, cropped).

  /usr/bin/python3 tests/data/make_tiny_deit_timm.py        # from the repository root; needs python3-pil to read PNGs
"""
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import safetensors_bytes  # noqa: E402
from make_tiny_hf_vit import LABELS, randomise  # noqa: E402
from reference.vit import DeiT, ViT, preprocess, read_safetensors, rollout  # noqa: E402

DATA = os.path.join(ROOT, "tests/data")
DEIT_DIR = os.path.join(DATA, "tiny-hf-deit")
TIMM_FILE = os.path.join(DATA, "tiny-timm-vit.safetensors")
GOLDEN_DIR = os.path.join(DATA, "tiny-deit-timm-golden")
IMAGES = ["rgb-45x30.png", "rgb-100x75.png", "grey-20x20.png"]
IMAGENET = {"image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225]}

DEIT_ARCH = dict(image_size=32, patch_size=8, num_channels=3, hidden_size=16, num_hidden_layers=2,
                 num_attention_heads=2, intermediate_size=32, layer_norm_eps=1e-12)
DEIT_CONFIG = dict(DEIT_ARCH, model_type="deit", architectures=["DeiTForImageClassificationWithTeacher"],
                   hidden_act="gelu", qkv_bias=True, encoder_stride=8,
                   id2label={str(i): name for i, name in enumerate(LABELS)},
                   label2id={name: i for i, name in enumerate(LABELS)})
DEIT_PREPROCESSOR = dict({"image_processor_type": "DeiTImageProcessor", "do_resize": True, "size": 40, "resample": 3,
                          "do_center_crop": True, "crop_size": 32, "do_rescale": True, "rescale_factor": 1 / 255,
                          "do_normalize": True}, **IMAGENET)

TIMM_ARCH = dict(image_size=32, patch_size=8, num_channels=3, hidden_size=64, num_hidden_layers=2,
                 num_attention_heads=1, intermediate_size=64, layer_norm_eps=1e-6, num_labels=3)
TIMM_PREPROCESSOR = dict({"do_resize": True, "size": {"height": 32, "width": 32}, "resample": 2, "do_rescale": True,
                          "rescale_factor": 1 / 255, "do_normalize": True}, **IMAGENET)


def timm_state(model):
    """HF ViT names -> timm/DINO names, query/key/value stacked into qkv."""
    hf = {k[4:] if k.startswith("vit.") else k: v for k, v in model.hf_state_dict().items()}
    out = {"cls_token": hf.pop("embeddings.cls_token"), "pos_embed": hf.pop("embeddings.position_embeddings"),
           "patch_embed.proj.weight": hf.pop("embeddings.patch_embeddings.projection.weight"),
           "patch_embed.proj.bias": hf.pop("embeddings.patch_embeddings.projection.bias"),
           "norm.weight": hf.pop("layernorm.weight"), "norm.bias": hf.pop("layernorm.bias"),
           "head.weight": hf.pop("classifier.weight"), "head.bias": hf.pop("classifier.bias")}
    for n in range(TIMM_ARCH["num_hidden_layers"]):
        p, b = f"encoder.layer.{n}.", f"blocks.{n}."
        for kind in ("weight", "bias"):
            out[b + "attn.qkv." + kind] = np.concatenate(
                [hf.pop(p + f"attention.attention.{part}.{kind}") for part in ("query", "key", "value")])
            for hf_name, timm_name in (("layernorm_before", "norm1"), ("attention.output.dense", "attn.proj"),
                                       ("layernorm_after", "norm2"), ("intermediate.dense", "mlp.fc1"),
                                       ("output.dense", "mlp.fc2")):
                out[b + timm_name + "." + kind] = hf.pop(p + hf_name + "." + kind)
    assert not hf, hf
    return out


def timm_to_hf(state):
    """The inverse of timm_state (float32), to load the reference from what the file holds."""
    s = {k: v.astype(np.float32) for k, v in state.items()}
    hf = {"vit.embeddings.cls_token": s["cls_token"], "vit.embeddings.position_embeddings": s["pos_embed"],
          "vit.embeddings.patch_embeddings.projection.weight": s["patch_embed.proj.weight"],
          "vit.embeddings.patch_embeddings.projection.bias": s["patch_embed.proj.bias"],
          "vit.layernorm.weight": s["norm.weight"], "vit.layernorm.bias": s["norm.bias"],
          "classifier.weight": s["head.weight"], "classifier.bias": s["head.bias"]}
    d = TIMM_ARCH["hidden_size"]
    for n in range(TIMM_ARCH["num_hidden_layers"]):
        p, b = f"vit.encoder.layer.{n}.", f"blocks.{n}."
        for kind in ("weight", "bias"):
            qkv = s[b + "attn.qkv." + kind]
            for i, part in enumerate(("query", "key", "value")):
                hf[p + f"attention.attention.{part}.{kind}"] = qkv[i * d:(i + 1) * d]
            for hf_name, timm_name in (("layernorm_before", "norm1"), ("attention.output.dense", "attn.proj"),
                                       ("layernorm_after", "norm2"), ("intermediate.dense", "mlp.fc1"),
                                       ("output.dense", "mlp.fc2")):
                hf[p + hf_name + "." + kind] = s[b + timm_name + "." + kind]
    return {k: torch.from_numpy(v) for k, v in hf.items()}


def golden(model, preprocessor, prefix):
    for name in IMAGES:
        decoded = np.asarray(Image.open(os.path.join(DATA, "tiny-hf-vit-golden", name)))
        pixels = preprocess(decoded, preprocessor, channels=3)
        with torch.no_grad():
            _, attention, probabilities = model(pixels)
        att = attention.numpy()
        stem = f"{prefix}-{name[:-4]}"
        np.savez(os.path.join(GOLDEN_DIR, stem + ".npz"), pixels=pixels.numpy().astype(np.float32),
                 attention=att.astype(np.float32), rollout_mean=rollout(att, "mean").astype(np.float32),
                 probabilities=probabilities.numpy().astype(np.float32))
        print(f"{stem}: {decoded.shape[1]}x{decoded.shape[0]} -> {list(pixels.shape)}, {att.shape[-1]} tokens, "
              f"p = {np.round(probabilities.numpy(), 4).tolist()}")


def main():
    os.makedirs(DEIT_DIR, exist_ok=True)
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    torch.manual_seed(20261122)
    deit = randomise(DeiT(num_labels=len(LABELS), **DEIT_ARCH).eval())
    with open(os.path.join(DEIT_DIR, "config.json"), "w", encoding="utf-8") as f:
        json.dump(DEIT_CONFIG, f, indent=2)
        f.write("\n")
    with open(os.path.join(DEIT_DIR, "preprocessor_config.json"), "w", encoding="utf-8") as f:
        json.dump(DEIT_PREPROCESSOR, f, indent=2)
        f.write("\n")
    with open(os.path.join(DEIT_DIR, "model.safetensors"), "wb") as f:
        f.write(safetensors_bytes(deit.hf_state_dict()))
    # Everything below from what the files hold.
    back = DeiT(num_labels=len(LABELS), **DEIT_ARCH).eval()
    stored = read_safetensors(os.path.join(DEIT_DIR, "model.safetensors"))
    back.load_state_dict({("vit." + k[5:] if k.startswith("deit.") else k): torch.from_numpy(v) for k, v in stored.items()})
    golden(back, DEIT_PREPROCESSOR, "deit")

    torch.manual_seed(20261123)
    timm = randomise(ViT(**TIMM_ARCH).eval())
    with open(TIMM_FILE, "wb") as f:
        f.write(safetensors_bytes(timm_state(timm), dtype="F16"))
    back = ViT(**TIMM_ARCH).eval()
    back.load_state_dict(timm_to_hf(read_safetensors(TIMM_FILE)))
    golden(back, TIMM_PREPROCESSOR, "timm")


if __name__ == "__main__":
    main()
