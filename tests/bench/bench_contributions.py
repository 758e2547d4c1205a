#!/usr/bin/python3
"""Benchmark: value norm and ALTI (engine/analysis/contributions.h) on a BERT-base-size encoder (bench_bert_base.py's
random weights) at --tokens tokens (default 128). The goal: `attnviz run --method value-norm,alti` in at most 2x a
plain run. Rows: `attnviz bench` plain, with --method value-norm, --method alti and both; beside them, PyTorch
(eager, float32, torch.inference_mode) running the same forward and the same methods as mt-upc/transformer-contributions
computes them (einsum over the [N, N, hidden] tensor of weighted value vectors; written here from
models/reference/contributions.py's definitions, not copied), same machine, same run, same thread count.

  /usr/bin/python3 tests/bench/bench_contributions.py --attnviz build/release/app/attnviz [--tokens 128] [--threads 2]
      [--runs 10]
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_bert_base import BASE, make_ids, make_model, make_text, write_checkpoint  # noqa: E402
from bench_common import (ENVIRONMENTS, attnviz_bench, cpu_name, environment, parse_args, pytorch_environment,  # noqa: E402
                          time_forward)

METHODS = ["", "value-norm", "alti", "value-norm,alti"]


def forward_with_methods(model, ids, methods):
    """One forward of reference.encoder.Encoder keeping what the methods need, then the methods: value_norm
    [L, H, N, N], alti [L, N, N] and its rollout, as float32 tensors."""
    import torch
    e = model.embeddings
    x = e.word_embeddings(ids) + e.position_embeddings(torch.arange(len(ids))) + e.token_type_embeddings.weight[0]
    x = e.LayerNorm(x)
    heads = BASE["num_attention_heads"]
    n, hidden = x.shape
    d = hidden // heads
    out = {"value_norm": [], "alti": []}
    for layer in model.encoder.layer:
        attention = layer.attention.self
        context, probs = attention(x)
        values = attention.value(x).view(n, heads, d).transpose(0, 1)  # [H, N, d]
        dense = layer.attention.output.dense
        pre_ln = dense(context) + x
        a = layer.attention.output.LayerNorm(pre_ln)
        if methods:
            f = torch.einsum("hsv,dhv->hsd", values, dense.weight.view(hidden, heads, d))  # [H, N, hidden]
            if "value-norm" in methods:
                out["value_norm"].append(probs * f.norm(dim=-1)[:, None, :])
            if "alti" in methods:
                weighted = torch.einsum("hks,hsd->ksd", probs, f) + torch.diag_embed(x.T).permute(1, 2, 0)  # [N, N, D]
                gamma, beta = layer.attention.output.LayerNorm.weight, layer.attention.output.LayerNorm.bias
                sigma = pre_ln.std(-1, unbiased=False)[:, None, None]
                t = (weighted - weighted.mean(-1, keepdim=True)) * gamma / sigma
                bias = (dense.bias - dense.bias.mean()) * gamma / sigma[:, 0]
                y = t.sum(1) + bias + beta  # [N, D]
                c = (y.abs().sum(-1, keepdim=True) - (t - y[:, None, :] + 1e-6).abs().sum(-1)).clamp(min=0)
                out["alti"].append(c / c.sum(-1, keepdim=True))
        x = layer.output.LayerNorm(layer.output.dense(torch.nn.functional.gelu(layer.intermediate.dense(a))) + a)
    if out["alti"]:
        joint = out["alti"][0]
        for c in out["alti"][1:]:
            joint = c @ joint
        out["alti_rollout"] = joint
    return out


def pytorch_forward(tokens, methods):
    model, ids = make_model(), make_ids(tokens)
    return lambda: forward_with_methods(model, ids, methods)


def pytorch_median(args, threads, env, methods):
    result = subprocess.run([sys.executable, os.path.abspath(__file__), "--pytorch-worker", str(threads), "--runs",
                             str(args.runs), "--tokens", str(args.tokens), "--methods", methods],
                            capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"PyTorch worker failed (exit {result.returncode}): {result.stderr.strip()}")
    return float(result.stdout.strip())


def add_options(parser):
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--methods", default="", help="(PyTorch worker) the methods, comma-separated")


def main():
    args = parse_args(__doc__.split("\n\n")[0], add_options)
    if args.pytorch_worker:
        time_forward(args.pytorch_worker, args.runs, lambda: pytorch_forward(args.tokens, args.methods.split(",")
                                                                            if args.methods else []))
        return
    print(f"BERT-base random weights, {args.tokens} tokens, medians of {args.runs} runs; CPU: {cpu_name()}, "
          f"{os.cpu_count()} logical cores; PyTorch: {pytorch_environment()}")
    print(f"{'threads':>7}  {'environment':<24} {'--method':<16} {'attnviz ms':>10} {'x plain':>8} {'PyTorch ms':>10} "
          f"{'x plain':>8} {'attnviz/PT':>10}")
    with tempfile.TemporaryDirectory() as folder:
        write_checkpoint(folder)
        for threads in args.threads:
            for name, extra_env in ENVIRONMENTS.items():
                env = environment(threads, extra_env)
                plain = pt_plain = None
                for methods in METHODS:
                    extra = ["--method", methods] if methods else []
                    ours = attnviz_bench(args, folder, ["--text", make_text(args.tokens), *extra], threads, env,
                                         "f32")["median_ms"]
                    theirs = pytorch_median(args, threads, env, methods)
                    plain, pt_plain = (ours, theirs) if not methods else (plain, pt_plain)
                    print(f"{threads:>7}  {name:<24} {methods or '(none)':<16} {ours:>10.1f} {ours / plain:>8.2f} "
                          f"{theirs:>10.1f} {theirs / pt_plain:>8.2f} {ours / theirs:>10.2f}", flush=True)


if __name__ == "__main__":
    main()
