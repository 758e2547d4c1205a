"""What the comparison benchmarks share (bench_bert_base.py, bench_vit_base.py): the command line, the two OpenMP
environments, `attnviz bench` in f32 and bf16 (bf16 skipped with a note where the binary says this CPU cannot)
against a PyTorch forward in a child process and, optionally, ONNX Runtime (ort_column.py), and the table.

Threads: --threads N for attnviz; torch.set_num_threads(N) plus OPENBLAS_NUM_THREADS=N and OMP_NUM_THREADS=N for
PyTorch (OpenBLAS keeps its own threads otherwise); intraOpNumThreads=N for ONNX Runtime. Every side runs in two
environments, because on a 2-core machine Debian's PyTorch (OpenMP + OpenBLAS threads) depends heavily on it:
"default" (nothing set, how PyTorch is usually run) and "OMP_WAIT_POLICY=PASSIVE" (what the attnviz GUI sets).
ONNX Runtime ignores OpenMP variables; in the PASSIVE rows it gets session.intra_op.allow_spinning = "0", its
equivalent. Each side runs in its own process.

Ratios are attnviz / peer: below 1 means attnviz is faster.
"""
import argparse
import ctypes
import json
import os
import platform
import statistics
import subprocess
import sys
import time

ENVIRONMENTS = {"default": {}, "OMP_WAIT_POLICY=PASSIVE": {"OMP_WAIT_POLICY": "PASSIVE"}}


def parse_args(description, extend=None):
    """The shared options; extend(parser) adds a script's own (bench_bert_base.py's --tokens)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--attnviz")
    parser.add_argument("--threads", type=int, nargs="+", default=[2])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-ort", action="store_true", help="leave the ONNX Runtime column out")
    parser.add_argument("--json-out", metavar="FILE", help="also write the header and all rows as JSON to FILE")
    parser.add_argument("--pytorch-worker", type=int, help=argparse.SUPPRESS)
    if extend:
        extend(parser)
    args = parser.parse_args()
    if not args.pytorch_worker and not args.attnviz:
        parser.error("--attnviz is required (the attnviz binary, e.g. build/release/app/attnviz)")
    return args


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


def cpu_name():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def pytorch_environment():
    """One line: torch's version, its parallel backend and the BLAS library it calls (OpenBLAS's own config string
    where the loaded library is OpenBLAS)."""
    import torch
    torch.ones(8, 8) @ torch.ones(8, 8)  # loads the BLAS library
    blas = "BLAS unknown"
    try:
        with open("/proc/self/maps", encoding="utf-8") as handle:
            libraries = sorted({line.split()[-1] for line in handle if "blas" in line.split()[-1]})
        for path in libraries:
            try:
                config = ctypes.CDLL(path).openblas_get_config
            except (OSError, AttributeError):
                continue
            config.restype = ctypes.c_char_p
            blas = f"{config().decode()} ({os.path.realpath(path)})"
            break
    except OSError:
        pass
    backend = next((line.split(":", 1)[1].strip() for line in torch.__config__.parallel_info().splitlines()
                    if line.startswith("ATen parallel backend")), "unknown")
    return (f"torch {torch.__version__}, {backend} backend, {blas}; threads: torch.set_num_threads(N), "
            f"OPENBLAS_NUM_THREADS=N, OMP_NUM_THREADS=N")


def bf16_support(attnviz, model):
    """(True, "") when this CPU runs attnviz's bf16 products, else (False, why): asked of the binary (`info --json`,
    its "cpu" object), which also honours ONEDNN_MAX_CPU_ISA."""
    result = subprocess.run([attnviz, "info", model, "--json"], capture_output=True, text=True, check=True)
    cpu = json.loads(result.stdout).get("cpu", {})
    return bool(cpu.get("bf16")), cpu.get("bf16_reason", "this attnviz does not say")


def attnviz_bench(args, model, input_args, threads, env, precision):
    """`attnviz bench --json` as a dict (median_ms, and page_faults_per_run, system_ms_per_run, products_only_ms
    where the binary reports them)."""
    command = [args.attnviz, "bench", "--model", model, *input_args, "--runs", str(args.runs),
               "--threads", str(threads), "--json"] + (["--bf16"] if precision == "bf16" else [])
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"attnviz bench failed (exit {result.returncode}): {result.stderr.strip()}")
    return json.loads(result.stdout)


def pytorch_median(args, script, threads, env, worker_args):
    result = subprocess.run([sys.executable, os.path.abspath(script), "--pytorch-worker", str(threads),
                             "--runs", str(args.runs), *worker_args], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"PyTorch worker failed (exit {result.returncode}): {result.stderr.strip()}")
    return float(result.stdout.strip())


def cell(value, width, form="{:.1f}"):
    return f"{'-' if value is None else form.format(value):>{width}}"


def ratio(ours, theirs):
    return None if ours is None or theirs is None else ours / theirs


COLUMNS = [("attnviz f32", 11, "{:.1f}", "attnviz_f32_ms"), ("bf16", 7, "{:.1f}", "attnviz_bf16_ms"),
           ("PyTorch", 8, "{:.1f}", "pytorch_ms"), ("ORT", 7, "{:.1f}", "ort_ms"),
           ("f32/PT", 6, "{:.2f}", "f32_over_pytorch"), ("f32/ORT", 7, "{:.2f}", "f32_over_ort"),
           ("bf16/PT", 7, "{:.2f}", "bf16_over_pytorch"), ("bf16/ORT", 8, "{:.2f}", "bf16_over_ort"),
           ("faults/run", 10, "{:.0f}", "page_faults_per_run"), ("sys ms/run", 10, "{:.1f}", "system_ms_per_run"),
           ("x in-run", 8, "{:.2f}", "x_products_in_run"), ("x gemm-bound", 12, "{:.2f}", "x_gemm_bound"),
           ("threads used", 12, "{:.0f}", "threads_used")]


def compare(args, script, model, input_args, title, ort=None, worker_args=()):
    """Prints one row per thread count and environment: attnviz f32 and bf16 on `model` with `input_args`
    (["--text", ...] or ["--image", ...]) against `script --pytorch-worker N [worker_args]` (its printed median) and
    `ort` (an ort_column.OrtColumn, or None: "-"). The bf16 columns show "-" (with a note first) on a CPU without
    bf16 products; the attnviz extras (page faults, system time, the products-only time) show "-" where the binary
    does not report them. Writes args.json_out when given."""
    bf16, why = bf16_support(args.attnviz, model)
    if not bf16:
        print(f"note: bf16 columns skipped: {why}", flush=True)
    header = {"workload": title, "cpu": cpu_name(), "pytorch": pytorch_environment(),
              "onnxruntime": f"onnxruntime-node {ort.version} (npm)" if ort else None, "runs": args.runs}
    print(f"CPU: {header['cpu']}, {os.cpu_count()} logical cores")
    print(f"PyTorch: {header['pytorch']}")
    if ort:
        print(f"ONNX Runtime: {header['onnxruntime']}, CPU provider, intraOpNumThreads=N, interOpNumThreads=1, "
              f"graphOptimizationLevel all; PASSIVE rows: session.intra_op.allow_spinning=0 (ORT's PASSIVE)")
    print("ms per forward (medians); ratios attnviz/peer, below 1 = attnviz faster; x in-run = attnviz f32 median / "
          "its matrix products' time in a forward; x gemm-bound = attnviz f32 median / the same products timed alone "
          "(best of 5)", flush=True)
    print(f"{'threads':>7}  {'environment':<24} " + " ".join(f"{name:>{width}}" for name, width, _, _ in COLUMNS))
    rows = []
    for threads in args.threads:
        for name, extra in ENVIRONMENTS.items():
            env = environment(threads, extra)
            f32 = attnviz_bench(args, model, input_args, threads, env, "f32")
            bf16_ms = attnviz_bench(args, model, input_args, threads, env, "bf16")["median_ms"] if bf16 else None
            pytorch = pytorch_median(args, script, threads, env, worker_args)
            ort_report = ort.run(threads, args.runs, passive=bool(extra), env=env) if ort else None
            ort_ms = ort_report["median_ms"] if ort_report else None
            products = f32.get("products_only_ms")
            row = {"threads": threads, "environment": name, "attnviz_f32_ms": f32["median_ms"],
                   "attnviz_bf16_ms": bf16_ms, "pytorch_ms": pytorch, "ort_ms": ort_ms,
                   "f32_over_pytorch": ratio(f32["median_ms"], pytorch),
                   "f32_over_ort": ratio(f32["median_ms"], ort_ms),
                   "bf16_over_pytorch": ratio(bf16_ms, pytorch), "bf16_over_ort": ratio(bf16_ms, ort_ms),
                   "page_faults_per_run": f32.get("page_faults_per_run"),
                   "system_ms_per_run": f32.get("system_ms_per_run"), "products_only_ms": products,
                   "x_gemm_bound": ratio(f32["median_ms"], products),
                   "products_in_run_ms": f32.get("products_in_run_ms"),
                   "x_products_in_run": ratio(f32["median_ms"], f32.get("products_in_run_ms")),
                   "threads_used": f32.get("threads_used"),
                   "ort_cpu_ms_per_run": ort_report["cpu_ms_per_run"] if ort_report else None,
                   "ort_session_options": ort_report["session_options"] if ort_report else None}
            rows.append(row)
            print(f"{threads:>7}  {name:<24} "
                  + " ".join(cell(row[key], width, form) for _, width, form, key in COLUMNS), flush=True)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as handle:
            json.dump({"header": header, "rows": rows}, handle, indent=1)
        print(f"wrote {args.json_out}")


def optional_ort(args, work, wrapper, example, input_name, names, reference):
    """The checked ONNX Runtime column (ort_column.prepare) or None after one note line: --no-ort, or node or
    onnxruntime-node not to be had. A failed export check ends the benchmark (SystemExit)."""
    import ort_column
    if args.no_ort:
        print("note: ONNX Runtime column left out (--no-ort)", flush=True)
        return None
    column, why = ort_column.prepare(work, wrapper, example, input_name, names, reference, environment(1, {}))
    if column is None:
        print(f"note: ONNX Runtime column skipped: {why}", flush=True)
    return column
