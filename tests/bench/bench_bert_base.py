#!/usr/bin/python3
"""Benchmark: a BERT-base-size encoder (12 layers, hidden 768, 12 heads, intermediate 3072, vocabulary 30,522)
with random weights in the Hugging Face BertModel layout, at 128 tokens with all 144 attention maps captured:
`attnviz bench` (f32 and --bf16) against an eager PyTorch forward of the same weights
(models/reference/encoder.py, torch.inference_mode) on the same machine in the same run, same thread count.
Prints the medians and the ratios. The checkpoint (~440 MB) is written to a temporary folder and removed
afterwards; nothing is committed.

Threads: --threads N for attnviz; torch.set_num_threads(N) plus OPENBLAS_NUM_THREADS=N and OMP_NUM_THREADS=N
for PyTorch (OpenBLAS keeps its own threads otherwise). Both sides run in two OpenMP environments, because on a 2-core machine Debian's PyTorch (OpenMP + OpenBLAS
threads) depends heavily on it: "default" (nothing set, how PyTorch is usually run) and
"OMP_WAIT_POLICY=PASSIVE" (what the attnviz GUI sets). Each side runs in its own process.

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

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))

BASE = dict(vocab_size=30522, hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
            max_position_embeddings=512, type_vocab_size=2, layer_norm_eps=1e-12)
TOKENS = 128
ENVIRONMENTS = {"default": {}, "OMP_WAIT_POLICY=PASSIVE": {"OMP_WAIT_POLICY": "PASSIVE"}}


def make_model():
    import torch
    from reference.encoder import Encoder
    torch.manual_seed(0)
    return Encoder(**BASE).eval()


def write_checkpoint(folder):
    from export import safetensors_bytes
    model = make_model()
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


def pytorch_worker(threads, runs):
    """Runs in a child process (so that its OpenMP environment applies); prints the median in ms."""
    import torch
    torch.set_num_threads(threads)
    model = make_model()
    ids = torch.tensor([2] + [5 + i for i in range(TOKENS - 2)] + [3])
    with torch.inference_mode():
        model(ids)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            model(ids)
            times.append((time.perf_counter() - start) * 1000.0)
    print(statistics.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attnviz")
    parser.add_argument("--threads", type=int, nargs="+", default=[2])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pytorch-worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pytorch_worker:
        pytorch_worker(args.pytorch_worker, args.runs)
        return
    import torch
    text = " ".join(f"w{i}" for i in range(TOKENS - 2))  # 126 words in the vocabulary + [CLS] [SEP]
    print(f"BERT-base random weights, {TOKENS} tokens, all 144 attention maps kept, torch {torch.__version__}, "
          f"medians of {args.runs} runs")
    print(f"{'threads':>7}  {'environment':<24} {'attnviz f32':>11} {'bf16':>7} {'pytorch':>8} {'f32 x':>6} {'bf16 x':>6}")
    with tempfile.TemporaryDirectory() as folder:
        write_checkpoint(folder)
        for threads in args.threads:
            for name, extra in ENVIRONMENTS.items():
                env = dict(os.environ)
                env.pop("OMP_WAIT_POLICY", None)
                env.update(extra)
                # torch.set_num_threads does not reach OpenBLAS's own thread pool: cap it too, or a "1 thread"
                # PyTorch run multiplies on every core.
                env.update(OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
                ours = {}
                for precision in ("f32", "bf16"):
                    command = [args.attnviz, "bench", "--model", folder, "--text", text, "--runs", str(args.runs),
                               "--threads", str(threads), "--json"] + (["--bf16"] if precision == "bf16" else [])
                    result = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
                    ours[precision] = json.loads(result.stdout)["median_ms"]
                result = subprocess.run([sys.executable, os.path.abspath(__file__), "--pytorch-worker", str(threads),
                                         "--runs", str(args.runs)], capture_output=True, text=True, check=True, env=env)
                theirs = float(result.stdout.strip())
                print(f"{threads:>7}  {name:<24} {ours['f32']:>11.1f} {ours['bf16']:>7.1f} {theirs:>8.1f} "
                      f"{theirs / ours['f32']:>5.2f}x {theirs / ours['bf16']:>5.2f}x", flush=True)


if __name__ == "__main__":
    main()
