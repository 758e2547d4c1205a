#!/usr/bin/python3
"""Benchmark: `attnviz export` over N inputs (default 1,000) on the shipped models, one figure per input: inputs per
second, CPU utilisation ((user + sys) / wall: 2.0 = both cores busy all the time) and peak RSS, each run measured in
a child process of its own through resource.getrusage(RUSAGE_CHILDREN). Every model runs at N/10 and at N inputs: the
peak RSS of the two shows whether memory grows with the number of inputs (it must not: traces are let go once
drawn). `attnviz run` on the same inputs (JSON Lines to /dev/null, no figures) is the inference-only reference.

Inputs, written to a temporary folder: sentences of WinoBias (coref-bert, a --lines file), English sentences of
Tatoeba (seq2seq-bahdanau, a --lines file), movie reviews of Pang & Lee (han-movie-reviews, a --text-dir folder of
.txt files; fewer than N when the archive holds fewer), test images of Fashion-MNIST as PNG (vit-fashion-mnist, one
--image each), all from ../shared/data or Debian's dataset-fashion-mnist.

  /usr/bin/python3 tests/bench/bench_export.py --attnviz build/release/app/attnviz [--inputs 1000] [--format png]
                   [--models coref-bert han-movie-reviews seq2seq-bahdanau vit-fashion-mnist]
"""
import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data")
sys.path.insert(0, os.path.join(ROOT, "models"))
MODELS = ["coref-bert", "han-movie-reviews", "seq2seq-bahdanau", "vit-fashion-mnist"]


def winobias_lines(count):
    """WinoBias sentences without their brackets and numbers, repeated when there are fewer than count."""
    folder = os.path.join(SHARED, "winobias")
    sentences = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".dev"):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                sentences += [line.split(" ", 1)[1].replace("[", "").replace("]", "").strip() for line in handle if line.strip()]
    return [sentences[i % len(sentences)] for i in range(count)]


def tatoeba_lines(count):
    with zipfile.ZipFile(os.path.join(SHARED, "tatoeba-eng-fra", "fra-eng.zip")) as archive:
        text = archive.read("fra.txt").decode("utf-8")
    english = [line.split("\t")[0] for line in text.splitlines() if "\t" in line]
    step = max(1, len(english) // count)  # short to long: the file is sorted by length
    return english[::step][:count]


def write_reviews(folder, count):
    os.makedirs(folder)
    with tarfile.open(os.path.join(SHARED, "movie-review-polarity", "review_polarity_cv000-899.tar.gz")) as archive:
        members = sorted((m for m in archive.getmembers() if m.isfile() and m.name.endswith(".txt")), key=lambda m: m.name)
        for member in members[:count]:
            with open(os.path.join(folder, os.path.basename(member.name)), "wb") as handle:
                handle.write(archive.extractfile(member).read())
    return min(count, len(members))


def write_images(folder, count):
    from vit.data import load
    from vit.png import write_png
    os.makedirs(folder)
    images, _ = load("t10k")
    paths = []
    for i in range(count):
        paths.append(os.path.join(folder, f"test-{i:05d}.png"))
        write_png(paths[-1], images[i])
    return paths


def inputs_for(model, folder, count):
    """The INPUT arguments for `count` inputs of the model's kind, and how many inputs they make."""
    if model == "han-movie-reviews":
        reviews = os.path.join(folder, f"reviews-{count}")
        return ["--text-dir", reviews], write_reviews(reviews, count)
    if model == "vit-fashion-mnist":
        arguments = []
        for path in write_images(os.path.join(folder, f"images-{count}"), count):
            arguments += ["--image", path]
        return arguments, count
    lines = winobias_lines(count) if model == "coref-bert" else tatoeba_lines(count)
    path = os.path.join(folder, f"{model}-{count}.txt")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return ["--lines", path], len(lines)


def measure(command):
    """Runs command in a child process that reports its own child's rusage: (wall s, user + sys s, peak RSS MiB)."""
    worker = subprocess.run([sys.executable, os.path.abspath(__file__), "--measure-worker", json.dumps(command)],
                            capture_output=True, text=True, check=True)
    result = json.loads(worker.stdout)
    if result["returncode"] != 0:
        raise RuntimeError(f"{' '.join(command[:4])} ... exited {result['returncode']}: {result['stderr'][-2000:]}")
    return result["wall"], result["cpu"], result["maxrss_kib"] / 1024.0


def measure_worker(command):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    r = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # this process's only child: the attnviz run above
    print(json.dumps({"returncode": r.returncode, "stderr": r.stderr, "wall": wall,
                      "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kib": usage.ru_maxrss}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attnviz")
    parser.add_argument("--inputs", type=int, default=1000)
    parser.add_argument("--format", default="png", choices=["png", "svg", "pdf"])
    parser.add_argument("--models", nargs="+", default=MODELS)
    parser.add_argument("--measure-worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_worker:
        measure_worker(json.loads(args.measure_worker))
        return
    print(f"attnviz export, {args.format}, {os.cpu_count()} cores; run = attnviz run --out /dev/null (no figures)")
    print(f"{'model':<20} {'inputs':>6} {'command':<7} {'wall s':>7} {'inputs/s':>9} {'CPU':>5} {'peak RSS MiB':>12}")
    with tempfile.TemporaryDirectory() as folder:
        for model in args.models:
            path = os.path.join(ROOT, "models", model)
            for count in (max(1, args.inputs // 10), args.inputs):
                inputs, made = inputs_for(model, folder, count)
                out = os.path.join(folder, f"figures-{model}-{count}")
                commands = {"export": [args.attnviz, "export", "--model", path, *inputs, "--format", args.format, "--out", out],
                            "run": [args.attnviz, "run", "--model", path, *inputs, "--out", os.devnull]}
                for name, command in commands.items():
                    wall, cpu, rss = measure(command)
                    if name == "export" and len(os.listdir(out)) != made:
                        raise RuntimeError(f"{model}: {len(os.listdir(out))} figures for {made} inputs")
                    print(f"{model:<20} {made:>6} {name:<7} {wall:>7.1f} {made / wall:>9.1f} {cpu / wall:>5.2f} {rss:>12.0f}",
                          flush=True)


if __name__ == "__main__":
    main()
