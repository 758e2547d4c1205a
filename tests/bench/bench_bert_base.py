#!/usr/bin/python3
"""Benchmark: a BERT-base-size encoder (12 layers, hidden 768, 12 heads, intermediate 3072, vocabulary 30,522)
with random weights in the Hugging Face BertModel layout, at 128 tokens with all 144 attention maps captured:
`attnviz bench` (f32, and --bf16 where the binary says it runs) against an eager PyTorch forward of the same weights
(models/reference/encoder.py, torch.inference_mode) on the same machine in the same run, same thread count.
Prints the medians and the ratios. The checkpoint (~440 MB) is written to a temporary folder and removed
afterwards; nothing is committed.
Threads and OpenMP environments: see bench_common.py.

  /usr/bin/python3 tests/bench/bench_bert_base.py --attnviz build/release/app/attnviz [--threads 2] [--runs 10]
"""
import json
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_common import compare, parse_args, time_forward  # noqa: E402

BASE = dict(vocab_size=30522, hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
            max_position_embeddings=512, type_vocab_size=2, layer_norm_eps=1e-12)
TOKENS = 128


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


def pytorch_forward():
    import torch
    model = make_model()
    ids = torch.tensor([2] + [5 + i for i in range(TOKENS - 2)] + [3])
    return lambda: model(ids)


def main():
    args = parse_args(__doc__.split("\n\n")[0])
    if args.pytorch_worker:
        time_forward(args.pytorch_worker, args.runs, pytorch_forward)
        return
    import torch
    text = " ".join(f"w{i}" for i in range(TOKENS - 2))  # 126 words in the vocabulary + [CLS] [SEP]
    print(f"BERT-base random weights, {TOKENS} tokens, all 144 attention maps kept, torch {torch.__version__}, "
          f"medians of {args.runs} runs")
    with tempfile.TemporaryDirectory() as folder:
        write_checkpoint(folder)
        compare(args, __file__, folder, ["--text", text])


if __name__ == "__main__":
    main()
