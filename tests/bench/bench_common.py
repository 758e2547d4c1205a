"""What the PyTorch comparison benchmarks share (bench_bert_base.py, bench_vit_base.py): the command line, the two
OpenMP environments, `attnviz bench` in f32 and bf16 (bf16 skipped with a note where the binary says this CPU cannot)
against a PyTorch forward in a child process, and the table.

Threads: --threads N for attnviz; torch.set_num_threads(N) plus OPENBLAS_NUM_THREADS=N and OMP_NUM_THREADS=N for
PyTorch (OpenBLAS keeps its own threads otherwise). Both sides run in two OpenMP environments, because on a 2-core
machine Debian's PyTorch (OpenMP + OpenBLAS threads) depends heavily on it: "default" (nothing set, how PyTorch is
usually run) and "OMP_WAIT_POLICY=PASSIVE" (what the attnviz GUI sets). Each side runs in its own process.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ENVIRONMENTS = {"default": {}, "OMP_WAIT_POLICY=PASSIVE": {"OMP_WAIT_POLICY": "PASSIVE"}}


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--attnviz")
    parser.add_argument("--threads", type=int, nargs="+", default=[2])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pytorch-worker", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


def time_forward(threads, runs, make_forward):
    """In the child process: make_forward() -> a function running one forward; prints its median in ms."""
    import torch
    torch.set_num_threads(threads)
    forward = make_forward()
    with torch.inference_mode():
        forward()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            forward()
            times.append((time.perf_counter() - start) * 1000.0)
    print(statistics.median(times))


def environment(threads, extra):
    env = dict(os.environ)
    env.pop("OMP_WAIT_POLICY", None)
    env.update(extra)
    # torch.set_num_threads does not reach OpenBLAS's own thread pool: cap it too, or a "1 thread" PyTorch run
    # multiplies on every core.
    env.update(OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    return env


def bf16_support(attnviz, model):
    """(True, "") when this CPU runs attnviz's bf16 products, else (False, why): asked of the binary (`info --json`,
    its "cpu" object), which also honours ONEDNN_MAX_CPU_ISA."""
    result = subprocess.run([attnviz, "info", model, "--json"], capture_output=True, text=True, check=True)
    cpu = json.loads(result.stdout).get("cpu", {})
    return bool(cpu.get("bf16")), cpu.get("bf16_reason", "this attnviz does not say")


def compare(args, script, model, input_args):
    """Prints one row per thread count and environment: attnviz f32 and bf16 on `model` with `input_args`
    (["--text", ...] or ["--image", ...]) against `script --pytorch-worker N` (its printed median). The bf16 columns
    show "-" (with a note first) on a CPU without bf16 products."""
    bf16, why = bf16_support(args.attnviz, model)
    if not bf16:
        print(f"note: bf16 columns skipped: {why}", flush=True)
    precisions = ("f32", "bf16") if bf16 else ("f32",)
    print(f"{'threads':>7}  {'environment':<24} {'attnviz f32':>11} {'bf16':>7} {'pytorch':>8} {'f32 x':>6} {'bf16 x':>6}")
    for threads in args.threads:
        for name, extra in ENVIRONMENTS.items():
            env = environment(threads, extra)
            ours = {}
            for precision in precisions:
                command = [args.attnviz, "bench", "--model", model, *input_args, "--runs", str(args.runs),
                           "--threads", str(threads), "--json"] + (["--bf16"] if precision == "bf16" else [])
                result = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
                ours[precision] = json.loads(result.stdout)["median_ms"]
            result = subprocess.run([sys.executable, os.path.abspath(script), "--pytorch-worker", str(threads),
                                     "--runs", str(args.runs)], capture_output=True, text=True, check=True, env=env)
            theirs = float(result.stdout.strip())
            bf16_ms = f"{ours['bf16']:>7.1f}" if bf16 else f"{'-':>7}"
            bf16_x = f"{theirs / ours['bf16']:>5.2f}x" if bf16 else f"{'-':>6}"
            print(f"{threads:>7}  {name:<24} {ours['f32']:>11.1f} {bf16_ms} {theirs:>8.1f} "
                  f"{theirs / ours['f32']:>5.2f}x {bf16_x}", flush=True)
