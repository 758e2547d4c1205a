#!/usr/bin/python3
"""Benchmark: a BERT-base-size encoder (12 layers, hidden 768, 12 heads, intermediate 3072, vocabulary 30,522)
with random weights in the Hugging Face BertModel layout, at --tokens tokens (default 128, at most 512) with all 144
attention maps captured: `attnviz bench` (f32, and --bf16 where the binary says it runs) against an eager PyTorch
forward of the same weights (models/reference/encoder.py, torch.inference_mode) and ONNX Runtime on an export of
them with every softmax a graph output (onnx_export.py, checked against PyTorch first; the column is left out with a
note where node or onnxruntime-node cannot be had), on the same machine in the same run, same thread count.
Prints the medians and the ratios. The checkpoint (~440 MB) and the ONNX file (~430 MB) are written to a temporary
folder and removed afterwards; nothing is committed.
Threads, environments and ONNX Runtime's session options: see bench_common.py and ort_runner.mjs.

  /usr/bin/python3 tests/bench/bench_bert_base.py --attnviz build/release/app/attnviz [--tokens 128] [--threads 2]
      [--runs 10] [--no-ort] [--json-out FILE]
"""
import json
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import compare, optional_ort, parse_args, time_forward  # noqa: E402

BASE = dict(vocab_size=30522, hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
            max_position_embeddings=512, type_vocab_size=2, layer_norm_eps=1e-12)


def add_tokens(parser):
    parser.add_argument("--tokens", type=int, default=128,
                        help=f"sequence length with [CLS] and [SEP], 3..{BASE['max_position_embeddings']}")


def make_model():
    import torch
    from reference.encoder import Encoder
    torch.manual_seed(0)
    return Encoder(**BASE).eval()


def make_ids(tokens):
    """[tokens] int64: [CLS], the words w0 .. w(tokens-3) (ids 5 ..), [SEP], as attnviz tokenizes make_text."""
    import torch
    return torch.tensor([2] + [5 + i for i in range(tokens - 2)] + [3])


def make_text(tokens):
    return " ".join(f"w{i}" for i in range(tokens - 2))


def write_checkpoint(folder, model=None):
    """config.json, vocab.txt and model.safetensors of `model` (default make_model()) into `folder` (also used by
    gui_memory_512.sh)."""
    from export import safetensors_bytes
    model = make_model() if model is None else model
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


def pytorch_forward(tokens):
    model, ids = make_model(), make_ids(tokens)
    return lambda: model(ids)


def prepare(args, folder):
    """Writes the checkpoint into `folder` and returns the checked ONNX Runtime column (or None); the model is
    freed on return."""
    from onnx_export import BertMaps, output_names, reference_outputs
    model = make_model()
    write_checkpoint(folder, model)
    ids = make_ids(args.tokens)
    return optional_ort(args, folder, BertMaps(model), ids, "ids", output_names(BASE["num_hidden_layers"], False),
                        reference_outputs(model, ids))


def main():
    args = parse_args(__doc__.split("\n\n")[0], add_tokens)
    if not 3 <= args.tokens <= BASE["max_position_embeddings"]:
        sys.exit(f"bench_bert_base.py: --tokens {args.tokens} is out of range (3..{BASE['max_position_embeddings']})")
    if args.pytorch_worker:
        time_forward(args.pytorch_worker, args.runs, lambda: pytorch_forward(args.tokens))
        return
    title = f"BERT-base random weights, {args.tokens} tokens, all 144 attention maps kept"
    print(f"{title}, medians of {args.runs} runs", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        ort = prepare(args, folder)
        compare(args, __file__, folder, ["--text", make_text(args.tokens)], title, ort, ["--tokens", str(args.tokens)])


if __name__ == "__main__":
    main()
