#!/usr/bin/python3
"""Benchmark: a BERT-base-size encoder (12 layers, hidden 768, 12 heads, intermediate 3072, vocabulary 30,522)
with random weights in the Hugging Face BertModel layout, at 128 tokens with all 144 attention maps captured:
`attnviz bench` against an eager PyTorch forward of the same weights (models/reference/encoder.py) in the same
run, same thread count. Prints both medians and the ratio. The checkpoint (~440 MB) is written to a temporary
folder and removed afterwards; nothing is committed.

  /usr/bin/python3 tests/bench/bench_bert_base.py --attnviz build/release/app/attnviz [--threads 2] [--runs 10]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
from export import safetensors_bytes  # noqa: E402
from reference.encoder import Encoder  # noqa: E402

BASE = dict(vocab_size=30522, hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
            max_position_embeddings=512, type_vocab_size=2, layer_norm_eps=1e-12)
TOKENS = 128


def write_checkpoint(folder, model):
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"w{i}" for i in range(BASE["vocab_size"] - 5)]
    tensors = {"bert." + k: v for k, v in model.state_dict().items()}
    config = dict(BASE, model_type="bert", architectures=["BertModel"], hidden_act="gelu",
                  position_embedding_type="absolute")
    with open(os.path.join(folder, "config.json"), "w") as handle:
        json.dump(config, handle)
    with open(os.path.join(folder, "vocab.txt"), "w") as handle:
        handle.write("".join(t + "\n" for t in vocab))
    with open(os.path.join(folder, "model.safetensors"), "wb") as handle:
        handle.write(safetensors_bytes(tensors))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--threads", type=int, nargs="+", default=[2])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    torch.manual_seed(0)
    model = Encoder(**BASE).eval()
    text = " ".join(f"w{i}" for i in range(TOKENS - 2))  # 126 words in the vocabulary + [CLS] [SEP]
    ids = torch.tensor([2] + [5 + i for i in range(TOKENS - 2)] + [3])
    print(f"BERT-base random weights, {TOKENS} tokens, all 144 attention maps kept, torch {torch.__version__}, "
          f"medians of {args.runs} runs")
    print(f"{'threads':>7} {'attnviz ms':>11} {'pytorch ms':>11} {'speed-up':>9}")
    with tempfile.TemporaryDirectory() as folder:
        write_checkpoint(folder, model)
        for threads in args.threads:
            result = subprocess.run([args.attnviz, "bench", "--model", folder, "--text", text, "--runs", str(args.runs),
                                     "--threads", str(threads), "--json"], capture_output=True, text=True, check=True)
            ours = json.loads(result.stdout)["median_ms"]
            torch.set_num_threads(threads)
            with torch.inference_mode():
                model(ids)
                times = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    model(ids)
                    times.append((time.perf_counter() - start) * 1000.0)
            theirs = statistics.median(times)
            print(f"{threads:>7} {ours:>11.1f} {theirs:>11.1f} {theirs / ours:>8.2f}x", flush=True)


if __name__ == "__main__":
    main()
