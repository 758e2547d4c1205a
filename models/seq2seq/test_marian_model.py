#!/usr/bin/python3
"""marian_model.MarianLike against transformers' own float64 outputs for tiny random MarianMTModel and
BartForConditionalGeneration checkpoints (../shared/real-checkpoints/{marian,bart}, written by transformers in
another project): encoder hidden states and logits by token ids, within 1e-4. Seconds; run from the repo root."""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import export  # noqa: E402
from marian_model import MarianLike, config_from_hf  # noqa: E402

SHARED = os.path.join(os.path.dirname(os.path.dirname(HERE)), "..", "shared", "real-checkpoints")


def check(name, oracle):
    folder = os.path.join(SHARED, name)
    with open(os.path.join(folder, "config.json")) as handle:
        config = config_from_hf(json.load(handle))
    model = MarianLike(config).double().eval()
    tensors = {k: torch.from_numpy(v).double() for k, v in
               export.load_state_dict(os.path.join(folder, "model.safetensors")).items()}
    model.load_hf_state_dict(tensors)
    with open(os.path.join(folder, "_provenance", oracle)) as handle:
        expected = json.load(handle)
    worst = 0.0
    with torch.no_grad():
        for enc, dec, hidden, logits in zip(expected["enc_sequences"], expected["dec_sequences"],
                                            expected["enc_hidden"], expected["logits"]):
            source, target = torch.tensor([enc]), torch.tensor([dec])
            memory, attentions = model.encode(source)
            got_logits, crosses = model(source, target)
            worst = max(worst, float(np.abs(memory[0].numpy() - np.array(hidden)).max()),
                        float(np.abs(got_logits[0].numpy() - np.array(logits)).max()))
            for probs in attentions + crosses:
                assert torch.allclose(probs.sum(-1), torch.ones(()).double()), "attention rows must sum to 1"
    assert worst < 1e-4, f"{name}: max |difference| {worst:.3g} from transformers' float64 outputs"
    print(f"{name}: max |difference| {worst:.2e} (encoder hidden states and logits)")


if __name__ == "__main__":
    check("marian", "tiny_marian_logits.json")
    check("bart", "tiny_bart_logits.json")
