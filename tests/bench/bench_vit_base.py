#!/usr/bin/python3
"""Benchmark: a ViT-B/16 size Vision Transformer (224x224, patch 16, 12 layers, hidden 768, 12 heads, 1000 labels)
with random weights in the Hugging Face ViTForImageClassification layout, all 144 attention maps captured:
`attnviz bench --image` (f32, and --bf16 where the binary says it runs) against an eager PyTorch forward of the same
weights (models/reference/vit.py, torch.inference_mode, the image already preprocessed) and ONNX Runtime on an
export of them with every softmax a graph output (onnx_export.py, checked against PyTorch first; left out with a
note where node or onnxruntime-node cannot be had), in the same run, same threads, in both environments (see
bench_common.py for why). attnviz's time includes decoding and preprocessing the PNG; PyTorch and ONNX Runtime get
preprocessed pixels. The checkpoint (~350 MB) and the ONNX file are written to a temporary folder and removed
afterwards.

  /usr/bin/python3 tests/bench/bench_vit_base.py --attnviz build/release/app/attnviz [--threads 2] [--runs 10]
      [--no-ort] [--json-out FILE]
"""
import json
import os
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import compare, optional_ort, parse_args, time_forward  # noqa: E402

BASE = dict(image_size=224, patch_size=16, num_channels=3, hidden_size=768, num_hidden_layers=12,
            num_attention_heads=12, intermediate_size=3072, layer_norm_eps=1e-12, num_labels=1000)


def make_model_and_pixels():
    """The seeded random model and the pixels [3, 224, 224] drawn right after it (the same in every process)."""
    import torch
    from reference.vit import ViT
    torch.manual_seed(0)
    model = ViT(**BASE).eval()
    with torch.no_grad():  # the zero-initialised embeddings of a fresh module would make attention uniform
        model.vit.embeddings.cls_token.normal_(0, 0.02)
        model.vit.embeddings.position_embeddings.normal_(0, 0.02)
    return model, torch.randn(3, 224, 224)


def write_checkpoint(folder, model):
    from export import safetensors_bytes
    import torch
    from vit.png import write_png
    tensors = {k: torch.from_numpy(v) for k, v in model.hf_state_dict().items()}
    config = dict(BASE, model_type="vit", architectures=["ViTForImageClassification"], hidden_act="gelu",
                  id2label={str(i): f"class {i}" for i in range(BASE["num_labels"])})
    config.pop("num_labels")
    with open(os.path.join(folder, "config.json"), "w") as handle:
        json.dump(config, handle)
    with open(os.path.join(folder, "preprocessor_config.json"), "w") as handle:
        json.dump({"do_resize": True, "size": {"height": 224, "width": 224}, "do_rescale": True,
                   "rescale_factor": 1 / 255, "do_normalize": True, "image_mean": [0.5] * 3, "image_std": [0.5] * 3}, handle)
    with open(os.path.join(folder, "model.safetensors"), "wb") as handle:
        handle.write(safetensors_bytes(tensors))
    rng = np.random.default_rng(0)
    write_png(os.path.join(folder, "input.png"), rng.integers(0, 256, size=(224, 224, 3), dtype=np.uint8))


def pytorch_forward():
    model, pixels = make_model_and_pixels()
    return lambda: model(pixels)


def prepare(args, folder):
    """Writes the checkpoint and the PNG into `folder` and returns the checked ONNX Runtime column (or None); the
    model is freed on return."""
    from onnx_export import VitMaps, output_names, reference_outputs
    model, pixels = make_model_and_pixels()
    write_checkpoint(folder, model)
    return optional_ort(args, folder, VitMaps(model), pixels, "pixels",
                        output_names(BASE["num_hidden_layers"], True), reference_outputs(model, pixels))


def main():
    args = parse_args(__doc__.split("\n\n")[0])
    if args.pytorch_worker:
        time_forward(args.pytorch_worker, args.runs, pytorch_forward)
        return
    title = "ViT-B/16 random weights, 224x224 (197 tokens), all 144 attention maps kept"
    print(f"{title}, medians of {args.runs} runs", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        ort = prepare(args, folder)
        compare(args, __file__, folder, ["--image", os.path.join(folder, "input.png")], title, ort)


if __name__ == "__main__":
    main()
