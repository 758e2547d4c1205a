"""The optional ONNX Runtime column of the PyTorch comparison benchmarks (bench_common.compare).

ONNX Runtime comes from npm (`onnxruntime-node`, version ORT_VERSION), installed once into a cache folder outside
the repository (~/.cache/attnviz-bench/npm/onnxruntime-node-<version>, or under $XDG_CACHE_HOME) with
`ONNXRUNTIME_NODE_INSTALL=skip npm install --ignore-scripts`: its install script otherwise tries to download GPU
files and fails; the CPU binaries are in the package itself. When node or the package cannot be had, `prepare`
returns None with one note line and the column shows "-"; the benchmark goes on.

The model is exported by onnx_export.py (every softmax a graph output) and checked before any timing: ONNX Runtime's
outputs on the benchmark input (with the benchmark's session options) against the reference PyTorch forward, every
output within TOLERANCE. A failed check ends the benchmark with a message naming the output and the difference.
Timing runs in tests/bench/ort_runner.mjs (its top says which session options are used), one process per row.
"""
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np

ORT_VERSION = "1.31.1"
TOLERANCE = 1e-4
RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ort_runner.mjs")


def cache_folder():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "attnviz-bench", "npm", f"onnxruntime-node-{ORT_VERSION}")


def install():
    """(folder holding node_modules/onnxruntime-node, "") or (None, why not)."""
    try:
        return install_or_raise()
    except OSError as error:
        return None, f"installing onnxruntime-node@{ORT_VERSION} into {cache_folder()} failed: {error}"


def install_or_raise():
    node = shutil.which("node")
    if not node:
        return None, "node is not on PATH (install Node.js >= 18)"
    folder = cache_folder()
    package = os.path.join(folder, "node_modules", "onnxruntime-node", "package.json")
    installed = None
    if os.path.exists(package):
        with open(package, encoding="utf-8") as handle:
            installed = json.load(handle).get("version")
    if installed != ORT_VERSION:
        npm = shutil.which("npm")
        if not npm:
            return None, "npm is not on PATH"
        os.makedirs(folder, exist_ok=True)
        env = dict(os.environ, ONNXRUNTIME_NODE_INSTALL="skip")
        try:
            result = subprocess.run([npm, "install", "--prefix", folder, "--ignore-scripts", "--no-audit", "--no-fund",
                                     "--fetch-retries=1",
                                     f"onnxruntime-node@{ORT_VERSION}"], capture_output=True, text=True, env=env,
                                    timeout=900)
        except subprocess.TimeoutExpired:
            return None, f"npm install onnxruntime-node@{ORT_VERSION} took over 15 minutes"
        if result.returncode != 0:
            lines = [line for line in result.stderr.splitlines() if line.startswith("npm error")
                     and "complete log" not in line] or result.stderr.strip().splitlines() or ["no message"]
            last = "; ".join(lines[:3])
            return None, f"npm install onnxruntime-node@{ORT_VERSION} into {folder} failed: {last}"
    probe = ("const r = require('node:module').createRequire(process.argv[1] + '/package.json');"
             "console.log(r('onnxruntime-node').env.versions.node)")
    result = subprocess.run([node, "-e", probe, folder], capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        return None, f"onnxruntime-node in {folder} does not load: {last} (remove the folder to reinstall)"
    return folder, ""


class OrtColumn:
    """A checked ONNX export of one workload and the means to time it. Made by `prepare`."""

    def __init__(self, folder, model_path, input_path, dtype, shape):
        self.folder, self.model_path, self.input_path = folder, model_path, input_path
        self.dtype, self.shape = dtype, shape
        self.version = "unknown"

    def run(self, threads, runs, passive, env, dump=None):
        """ort_runner.mjs's JSON line as a dict. A failing runner ends the benchmark (the export was checked)."""
        command = ["node", RUNNER, "--ort", self.folder, "--model", self.model_path, "--input", self.input_path,
                   "--dtype", self.dtype, "--shape", ",".join(map(str, self.shape)), "--threads", str(threads),
                   "--runs", str(runs)] + (["--passive"] if passive else []) + (["--dump", dump] if dump else [])
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise SystemExit(f"ONNX Runtime run failed ({' '.join(command)}): {result.stderr.strip()}")
        report = json.loads(result.stdout.strip().splitlines()[-1])
        self.version = report["ort_version"]
        return report


def prepare(work, wrapper, example, input_name, names, reference, env):
    """Exports `wrapper` (onnx_export.BertMaps/VitMaps) traced on `example` into the folder `work`, checks it against
    `reference` (float32 arrays in the order of `names`) and returns (OrtColumn, "") or (None, why ORT is absent).
    Prints the check's largest differences. Raises SystemExit when the check fails."""
    from onnx_export import export
    folder, why = install()
    if folder is None:
        return None, why
    model_path = os.path.join(work, "model.onnx")
    input_path = os.path.join(work, "input.bin")
    export(wrapper, example, input_name, names, model_path)
    data = example.numpy()
    dtype = {"int64": "int64", "float32": "float32"}.get(str(data.dtype))
    if dtype is None:
        raise SystemExit(f"onnx export: input dtype {data.dtype} is not supported by ort_runner.mjs (int64, float32)")
    data.astype(data.dtype.newbyteorder("<")).tofile(input_path)
    column = OrtColumn(folder, model_path, input_path, dtype, list(data.shape))
    with tempfile.TemporaryDirectory() as dump:
        column.run(threads=1, runs=1, passive=False, env=env, dump=dump)
        check(dump, names, reference, model_path)
    return column, ""


def check(dump, names, reference, model_path):
    """ORT's dumped outputs against the PyTorch reference: same names, shapes, every value within TOLERANCE."""
    with open(os.path.join(dump, "outputs.json"), encoding="utf-8") as handle:
        listing = json.load(handle)
    if [o["name"] for o in listing] != names:
        found = [o["name"] for o in listing]
        raise SystemExit(f"ONNX export check: {model_path} has outputs {found}, expected {names}")
    worst = {}
    for entry, expected in zip(listing, reference):
        got = np.fromfile(os.path.join(dump, entry["name"] + ".bin"), dtype="<f4").reshape(entry["dims"])
        if got.shape != expected.shape:
            raise SystemExit(f"ONNX export check: output {entry['name']} has shape {list(got.shape)}, PyTorch "
                             f"{list(expected.shape)} ({model_path})")
        diff = float(np.max(np.abs(got.astype(np.float64) - expected)))
        if not diff <= TOLERANCE:  # also catches NaN
            raise SystemExit(f"ONNX export check failed: output {entry['name']} differs from PyTorch by {diff:.3g} "
                             f"(tolerance {TOLERANCE:g}); tests/bench/onnx_export.py no longer matches the reference "
                             f"model, fix the export before timing ONNX Runtime")
        group = "maps" if entry["name"].startswith("map_") else entry["name"]
        worst[group] = max(worst.get(group, 0.0), diff)
    maps = sum(1 for n in names if n.startswith("map_"))
    print("ONNX export check against PyTorch (max abs diff, tolerance 1e-4): "
          + ", ".join(f"{g} {d:.2e}" + (f" (all {maps})" if g == "maps" else "") for g, d in worst.items()),
          flush=True)
