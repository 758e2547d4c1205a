"""ONNX exports of the benchmark models for the ONNX Runtime column (torch 1.13's torch.onnx.export, opset 14; the
`onnx` Python package is not needed): every layer's softmax output is its own graph output, next to the last hidden
state, so ONNX Runtime keeps and returns all maps as attnviz does. No stacking (the reference models stack the maps;
these wrappers run the same submodules and return the maps one by one) and no fused attention (the graph is matmul,
scale, softmax, matmul as traced). Shapes are fixed at export (one file per token count): ids [N] int64 for BERT,
pixels [3, 224, 224] float32 for ViT.

Outputs, in this order:
  BertMaps: hidden [N, 768], map_0 .. map_11 [12, N, N]
  VitMaps:  hidden [197, 768] (after the final layer norm), map_0 .. map_11 [12, 197, 197], probabilities [1000]
"""
import warnings

import torch
from torch import nn

OPSET = 14


class BertMaps(nn.Module):
    """models/reference/encoder.py's Encoder.forward (no head) with the maps as separate outputs."""

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, ids):  # ids: [N] int64 -> hidden [N, D], then one [heads, N, N] per layer
        e = self.encoder.embeddings
        positions = torch.arange(ids.shape[0])
        x = e.word_embeddings(ids) + e.position_embeddings(positions) + e.token_type_embeddings.weight[0]
        x = e.LayerNorm(x)
        maps = []
        for layer in self.encoder.encoder.layer:
            x, probs = layer(x)
            maps.append(probs)
        return (x, *maps)


class VitMaps(nn.Module):
    """models/reference/vit.py's ViT.forward with the maps as separate outputs."""

    def __init__(self, vit):
        super().__init__()
        self.vit = vit

    def forward(self, pixels):  # pixels: [C, H, W] -> hidden [T, D], one [heads, T, T] per layer, probabilities
        x = self.vit.embed(pixels[None])
        maps = []
        for layer in self.vit.vit.encoder.layer:
            x, probs = layer(x)
            maps.append(probs[0])
        hidden = self.vit.vit.layernorm(x)
        outputs = [hidden[0], *maps]
        if self.vit.num_labels:
            outputs.append(torch.softmax(self.vit.classify(hidden), -1)[0])
        return tuple(outputs)


def output_names(layers, with_probabilities):
    return ["hidden"] + [f"map_{i}" for i in range(layers)] + (["probabilities"] if with_probabilities else [])


def export(wrapper, example, input_name, names, path):
    """Writes wrapper (BertMaps or VitMaps) traced on `example` to `path` as ONNX (weights inside the file)."""
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings: the shapes are fixed at export on purpose
        torch.onnx.export(wrapper.eval(), (example,), path, input_names=[input_name], output_names=names,
                          opset_version=OPSET, do_constant_folding=True)


def reference_outputs(model, example):
    """The reference model's own forward (stacked maps), split into the export's output order, as float32 numpy:
    the export is checked against this, not against the wrapper, so a wrapper that drifts from the model fails."""
    with torch.inference_mode():
        hidden, attention, probabilities = model(example)
    outputs = [hidden, *attention]
    if probabilities is not None:
        outputs.append(probabilities)
    return [t.float().numpy() for t in outputs]
