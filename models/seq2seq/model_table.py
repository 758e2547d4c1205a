#!/usr/bin/python3
"""Prints the Markdown table of the shipped seq2seq models for models/README.md, read from each package's
attnviz.json card (so the README shows exactly what the cards, and `attnviz info`, say).

  /usr/bin/python3 models/seq2seq/model_table.py
"""
import glob
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ORDER = ("bahdanau", "luong-dot", "luong-general", "luong-concat", "scaled-dot", "local-p")


def main():
    rows = []
    for manifest in glob.glob(os.path.join(ROOT, "models", "seq2seq-*", "attnviz.json")):
        with open(manifest, encoding="utf-8") as handle:
            m = json.load(handle)
        card, training, metrics = m["card"], m["card"]["training"], m["card"]["metrics"]
        rows.append((ORDER.index(m["variant"]) if m["variant"] in ORDER else 99, m["variant"],
                     os.path.basename(os.path.dirname(manifest)), card["parameters"], training["minutes"],
                     training["steps"], training["epochs"], training["stopped_by"], training["best_validation_loss"],
                     metrics["test_bleu"], metrics["hansards_aer"], metrics["hansards_diagonal_aer"]))
    print("| variant | package | parameters | training | steps (epochs) | stopped by | best val. loss | test BLEU | Hansards AER | diagonal AER |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for _, variant, package, params, minutes, steps, epochs, stopped, loss, bleu, aer, diagonal in sorted(rows):
        print(f"| {variant} | `models/{package}` | {params:,} | {minutes} min | {steps} ({epochs}) | {stopped} | "
              f"{loss} | {bleu} | {aer} | {diagonal} |")


if __name__ == "__main__":
    main()
