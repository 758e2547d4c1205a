#!/usr/bin/python3
"""Benchmark: attnviz's HAN against the same model in PyTorch (models/han/model.py), same documents, same
run, same thread count; prints the ratios. Two jobs:

- inference: one document, attention and prediction. PyTorch runs the whole document as one packed batch
  (its fastest form); attnviz runs one oneDNN GRU per sentence.
- occlusion: leave-one-word-out and leave-one-sentence-out for every unit. Both sides use the same algorithm
  (re-encode only the changed sentence, reuse the other sentence vectors, re-run the sentence level), so the
  ratio compares engines, not algorithms; model.py's occlusion() (the whole document re-run per unit, as the
  golden fixtures use) is timed too for reference.

The documents are validation reviews of the shipped model (../shared/data needed): a typical one and the
208-sentence golden case. Absolute times drift on shared machines; the ratio is the number to compare.

  /usr/bin/python3 tests/bench/bench_han.py --attnviz build/release/app/attnviz [--threads 1 2] [--runs 20]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models", "han"))
sys.path.insert(0, os.path.join(ROOT, "models"))
import data as D  # noqa: E402
import golden  # noqa: E402
from model import occlusion  # noqa: E402

PACKAGE = os.path.join(ROOT, "models", "han-movie-reviews")
GOLDEN = os.path.join(ROOT, "tests", "data", "han-golden")


def median_ms(function, runs):
    function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def torch_occlusion(model, document, label):
    """The engine's algorithm in PyTorch: encode each changed sentence alone, reuse the rest."""
    def encode(sentence):
        return model.encode_sentences(torch.tensor([sentence]), torch.tensor([len(sentence)]))[1][0]

    def p(vectors):
        return torch.softmax(model.classify(vectors.unsqueeze(0), torch.tensor([len(vectors)]))[1][0], 0)[label]

    vectors = torch.stack([encode(s) for s in document])
    full = p(vectors)
    effects = []
    for i, sentence in enumerate(document):
        rest = torch.cat([vectors[:i], vectors[i + 1:]])
        effects.append(full - p(rest) if len(rest) else None)
        for j in range(len(sentence)):
            shorter = sentence[:j] + sentence[j + 1:]
            if shorter:
                changed = vectors.clone()
                changed[i] = encode(shorter)
                effects.append(full - p(changed))
    return effects


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--cases", nargs="+", default=["case3", "case1"], help="golden documents (han-golden/<case>.txt)")
    args = parser.parse_args()
    model, index, _ = golden.load_package(PACKAGE)
    env = dict(os.environ)
    print(f"HAN {PACKAGE}, torch {torch.__version__}, medians of {args.runs} runs (occlusion: of 3)")
    print(f"{'document':<22} {'job':<10} {'threads':>7} {'attnviz ms':>11} {'pytorch ms':>11} {'speed-up':>9}")
    for case in args.cases:
        path = os.path.join(GOLDEN, case + ".txt")
        with open(path, encoding="utf-8") as handle:
            sentences = [line.split() for line in handle if line.strip()]
        ids = D.encode(sentences, index)
        words = sum(len(s) for s in sentences)
        name = f"{case} ({len(sentences)}s/{words}w)"
        for threads in args.threads:
            torch.set_num_threads(threads)
            for job, extra, runs in (("inference", [], args.runs), ("occlusion", ["--occlusion"], 3)):
                result = subprocess.run([args.attnviz, "bench", "--model", PACKAGE, "--text-file", path, "--sentences",
                                         "lines", "--runs", str(runs), "--threads", str(threads), "--json", *extra],
                                        capture_output=True, text=True, env=env, check=True)
                ours = json.loads(result.stdout)["median_ms"]
                with torch.inference_mode():
                    label = int(model([ids])[0][0].argmax())
                    if job == "inference":
                        theirs = median_ms(lambda: model([ids]), runs)
                    else:
                        theirs = median_ms(lambda: torch_occlusion(model, ids, label), runs)
                print(f"{name:<22} {job:<10} {threads:>7} {ours:>11.2f} {theirs:>11.2f} {theirs / ours:>8.2f}x", flush=True)
        if len(sentences) < 50:
            torch.set_num_threads(1)
            with torch.inference_mode():
                label = int(model([ids])[0][0].argmax())
                naive = median_ms(lambda: occlusion(model, ids, label), 1)
            print(f"{name:<22} (model.py occlusion(), whole document per unit, 1 thread: {naive:.0f} ms)")


if __name__ == "__main__":
    main()
