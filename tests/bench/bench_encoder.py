#!/usr/bin/python3
"""Benchmark: attnviz's encoder against the same model in PyTorch, same shapes, same run, same threads.

Builds a random BERT-style encoder (models/reference/encoder.py) of the given size, exports it as an
attnviz package, then times `attnviz bench` and the PyTorch forward on the same input and prints the ratio.
Absolute times drift on shared machines; the ratio is the number to compare.

  /usr/bin/python3 tests/bench/bench_encoder.py --attnviz build/release/app/attnviz [--tokens 12 128] [--threads 2]
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
from export import write_package  # noqa: E402
from reference.encoder import Encoder, basic_tokenize  # noqa: E402

SIZES = {  # name -> BertConfig-style hyper-parameters
    "small": dict(hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=1024),
    "base": dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072),
}


def torch_median_ms(model, ids, runs):
    with torch.inference_mode():
        for _ in range(3):
            model(ids)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            model(ids)
            times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--tokens", type=int, nargs="+", default=[12, 128], help="words per input")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    words = [f"w{i}" for i in range(2000)]
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"] + words
    arch = dict(SIZES[args.size], vocab_size=len(vocab), max_position_embeddings=512, type_vocab_size=2,
                layer_norm_eps=1e-12)
    model = Encoder(**arch, num_labels=2).eval()
    env = dict(os.environ)  # the same OpenMP settings as this (PyTorch) process: a fair comparison
    print(f"encoder {args.size}: {json.dumps(SIZES[args.size])}, {args.threads} threads, "
          f"torch {torch.__version__} ({torch.get_num_threads()} threads)")
    with tempfile.TemporaryDirectory() as folder:
        package = os.path.join(folder, "bench-encoder")
        write_package(package, kind="encoder", name=f"bench-{args.size}", variant="random",
                      architecture=dict(arch, hidden_act="gelu", tokenizer="basic", lowercase=True),
                      tensors=model.state_dict(), texts={"vocab": ("vocab.txt", vocab), "labels": ("labels.txt", ["a", "b"])})
        print(f"{'tokens':>7} {'attnviz ms':>11} {'pytorch ms':>11} {'speed-up':>9}")
        for n in args.tokens:
            text = " ".join(words[(i * 7) % len(words)] for i in range(n))
            tokens = ["[CLS]"] + basic_tokenize(text) + ["[SEP]"]
            ids = torch.tensor([vocab.index(t) for t in tokens])
            result = subprocess.run([args.attnviz, "bench", "--model", package, "--text", text, "--runs", str(args.runs),
                                     "--threads", str(args.threads), "--json"],
                                    capture_output=True, text=True, env=env, check=True)
            ours = json.loads(result.stdout)["median_ms"]
            theirs = torch_median_ms(model, ids, args.runs)
            print(f"{len(tokens):>7} {ours:>11.3f} {theirs:>11.3f} {theirs / ours:>8.2f}x")


if __name__ == "__main__":
    main()
