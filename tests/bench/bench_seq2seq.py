#!/usr/bin/python3
"""Benchmark: attnviz's seq2seq (encoder + greedy decoding) against the same model in PyTorch
(models/seq2seq/model.py Seq2Seq.greedy), same sentence, same run, same thread count; prints the ratio.

The model is a trained package (models/seq2seq-<variant>, loaded into PyTorch from its safetensors) when one
exists, else a random-weight model of train.py's architecture and vocabulary sizes exported to a temporary
package (random weights rarely emit <eos>, so it decodes the full 2 * S + 10 steps: a worst case). Absolute
times drift on shared machines; the ratio is the number to compare.

OpenMP's wait policy matters for 2 threads: a greedy decode runs ~60 small oneDNN primitives, each an OpenMP
parallel region, and OMP_WAIT_POLICY=PASSIVE puts the worker to sleep after each one. On the 2-core Debian VM
(trained bahdanau, 12-word sentence, 2 threads): PASSIVE ~7.5 ms, libgomp's default or GOMP_SPINCOUNT=20000
(a short spin, then sleep) ~1.8 ms; 1 thread ~2.8 ms either way. The environment is passed on unchanged.

  /usr/bin/python3 tests/bench/bench_seq2seq.py --attnviz build/release/app/attnviz [--variants bahdanau local-p]
      [--threads 1 2] [--runs 50] [--random]
"""
import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models", "seq2seq"))
sys.path.insert(0, os.path.join(ROOT, "models"))
import data as D  # noqa: E402
from export import write_package  # noqa: E402
from model import VARIANTS, Seq2Seq  # noqa: E402
from text import tokenize  # noqa: E402

SENTENCE = "Tom said that he would come back to the office tomorrow morning."  # 12 words (+ "." + <eos>)
ARCHITECTURE_KEYS = ("embedding_size", "encoder_hidden", "decoder_hidden", "attention_size", "window")
RANDOM_VOCAB = (5294, 7430)  # train.py's vocabulary sizes (en, fr)


def read_safetensors(path):
    """name -> float32 tensor from an F32/F16 safetensors file."""
    with open(path, "rb") as handle:
        blob = handle.read()
    (size,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + size])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = {"F32": "<f4", "F16": "<f2"}[info["dtype"]]
        array = np.frombuffer(blob[8 + size + begin:8 + size + end], dtype=dtype).astype(np.float32)
        out[name] = torch.from_numpy(array.reshape(info["shape"]).copy())
    return out


def load_package(folder):
    with open(os.path.join(folder, "attnviz.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    a = manifest["architecture"]
    model = Seq2Seq(a["attention"], a["source_vocab_size"], a["target_vocab_size"], dropout=0.0,
                    **{k: a[k] for k in ARCHITECTURE_KEYS})
    model.load_state_dict(read_safetensors(os.path.join(folder, manifest["files"]["weights"])))
    with open(os.path.join(folder, manifest["files"]["source_vocab"]), encoding="utf-8") as handle:
        vocab = handle.read().splitlines()
    return model.eval(), vocab


def random_package(variant, folder):
    torch.manual_seed(0)
    arch = dict(embedding_size=128, encoder_hidden=128, decoder_hidden=256, attention_size=128, window=4.0)
    model = Seq2Seq(variant, *RANDOM_VOCAB, dropout=0.0, **arch).eval()
    vocab = D.SPECIALS + tokenize(SENTENCE) + [f"w{i}" for i in range(RANDOM_VOCAB[0])]
    vocab = list(dict.fromkeys(vocab))[:RANDOM_VOCAB[0]]
    target = D.SPECIALS + [f"m{i}" for i in range(RANDOM_VOCAB[1] - 4)]
    path = os.path.join(folder, f"bench-{variant}")
    write_package(path, kind="seq2seq", name=f"bench-{variant}", variant=variant,
                  architecture=dict(arch, attention=variant, source_vocab_size=RANDOM_VOCAB[0],
                                    target_vocab_size=RANDOM_VOCAB[1], max_source_tokens=64,
                                    tokenizer="tatoeba-en-fr", pad_id=0, unk_id=1, sos_id=2, eos_id=3),
                  tensors=model.state_dict(), texts={"source_vocab": ("source_vocab.txt", vocab),
                                                      "target_vocab": ("target_vocab.txt", target)})
    return path, model, vocab


def torch_median_ms(model, ids, runs):
    for _ in range(3):
        out = model.greedy(ids, 2 * len(ids) + 10, D.EOS, D.SOS)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        model.greedy(ids, 2 * len(ids) + 10, D.EOS, D.SOS)
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times), len(out[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--random", action="store_true", help="random weights even where a trained package exists")
    args = parser.parse_args()

    env = dict(os.environ)  # the same OpenMP settings for both
    print(f"seq2seq greedy, \"{SENTENCE}\" ({len(tokenize(SENTENCE))} tokens + <eos>), torch {torch.__version__}, "
          f"{args.runs} runs, medians")
    print(f"{'variant':<14} {'weights':<8} {'threads':>7} {'steps':>5} {'attnviz ms':>11} {'pytorch ms':>11} {'speed-up':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for variant in args.variants:
            trained = os.path.join(ROOT, "models", f"seq2seq-{variant}")
            if os.path.isdir(trained) and not args.random:
                package, (model, vocab), weights = trained, load_package(trained), "trained"
            else:
                (package, model, vocab), weights = random_package(variant, folder), "random"
            index = {w: i for i, w in enumerate(vocab)}
            ids = D.encode(tokenize(SENTENCE), index)
            for threads in args.threads:
                torch.set_num_threads(threads)
                result = subprocess.run([args.attnviz, "bench", "--model", package, "--text", SENTENCE, "--runs",
                                         str(args.runs), "--threads", str(threads), "--json"],
                                        capture_output=True, text=True, env=env, check=True)
                ours = json.loads(result.stdout)["median_ms"]
                with torch.inference_mode():
                    theirs, steps = torch_median_ms(model, ids, args.runs)
                print(f"{variant:<14} {weights:<8} {threads:>7} {steps:>5} {ours:>11.3f} {theirs:>11.3f} {theirs / ours:>8.2f}x",
                      flush=True)


if __name__ == "__main__":
    main()
