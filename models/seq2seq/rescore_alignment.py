#!/usr/bin/python3
"""Recomputes the Hansards AER of trained seq2seq packages (train.py's alignment_error, same rule as
`attnviz align`) from their saved weights and writes it into each package's attnviz.json card.
Used when the AER method changed after training; nothing is retrained.

  /usr/bin/python3 models/seq2seq/rescore_alignment.py --data ../shared/data models/seq2seq-*
"""
import argparse
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
from export import load_state_dict  # noqa: E402
from model import Seq2Seq  # noqa: E402
from train import AER_METHOD, ARCHITECTURE, alignment_error  # noqa: E402


def read_lines(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read().splitlines()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("packages", nargs="+")
    args = parser.parse_args()
    torch.set_num_threads(1)
    for package in args.packages:
        manifest_path = os.path.join(package, "attnviz.json")
        with open(manifest_path, encoding="utf-8") as handle:
            manifest = json.load(handle)
        arch = manifest["architecture"]
        source_vocab = read_lines(os.path.join(package, manifest["files"]["source_vocab"]))
        target_vocab = read_lines(os.path.join(package, manifest["files"]["target_vocab"]))
        model = Seq2Seq(arch["attention"], len(source_vocab), len(target_vocab),
                        **{k: arch[k] for k in ARCHITECTURE})
        state = {k: torch.from_numpy(v.copy()) for k, v in load_state_dict(os.path.join(package, "model.safetensors")).items()}
        model.load_state_dict(state)
        model.eval()
        result = alignment_error(model, os.path.join(args.data, "hansards-wpt03-en-fr"),
                                 {w: i for i, w in enumerate(source_vocab)}, {w: i for i, w in enumerate(target_vocab)})
        metrics = manifest["card"]["metrics"]
        old = metrics.get("hansards_aer")
        metrics.pop("hansards_unknown_word_rate", None)
        metrics.update(hansards_aer=result["aer"], hansards_diagonal_aer=result["diagonal_aer"],
                       hansards_unknown_token_rate=result["unknown_token_rate"], aer_method=AER_METHOD)
        tmp = manifest_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        os.replace(tmp, manifest_path)
        print(f"{manifest['variant']}: AER {old} -> {result['aer']} (diagonal {result['diagonal_aer']})")


if __name__ == "__main__":
    main()
