#!/usr/bin/python3
"""Trial-set AER of a shipped seq2seq model by every extraction method, measured by the engine itself
(`attnviz align --json`), with the diagonal and the statistical aligner beside it, written into the model's card
(attnviz.json "card" of a package, config.json "attnviz_card" of a Hugging Face Marian folder) under
metrics.trial_aer. The numbers are the ones a user reproduces with the printed commands.

  /usr/bin/python3 models/seq2seq/measure_alignment.py --attnviz build/release/app/attnviz \
      --data ../shared/data --model models/seq2seq-hansards-bahdanau [--layer 1 --head 0] [--dry-run]

For a transformer (cross-attention per layer and head) each method is measured on the mean of all heads and, with
--layer/--head, on that head; the AER of every layer and head (argmax) is added as per_head.
"""
import argparse
import json
import os
import subprocess

METHODS = ["argmax", "shift-att", "threshold:0.5", "threshold:0.3", "threshold:0.2", "shift-att+threshold:0.3"]
ALIGNER_METHODS = ["argmax", "threshold:0.7", "threshold:0.5", "threshold:0.3"]
ALIGNER = "models/aligner-hansards-ibm1-fastalign"


def align(attnviz, model, wpt, method, extra=()):
    command = [attnviz, "align", "--model", model, "--source", os.path.join(wpt, "dev.e"), "--target",
               os.path.join(wpt, "dev.f"), "--gold", os.path.join(wpt, "dev.wa.nonullalign"), "--method", method,
               *extra, "--json"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"measure_alignment: {' '.join(command)} exited {result.returncode}: {result.stderr}")
    return json.loads(result.stdout)


def card_file(model):
    """-> (path, key of the card inside it): an attnviz package or a Hugging Face folder."""
    if os.path.exists(os.path.join(model, "attnviz.json")):
        return os.path.join(model, "attnviz.json"), "card"
    return os.path.join(model, "config.json"), "attnviz_card"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--layer", type=int)
    parser.add_argument("--head", type=int)
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the card")
    args = parser.parse_args()
    wpt = os.path.join(args.data, "hansards-wpt03-en-fr")
    probe = align(args.attnviz, args.model, wpt, "argmax")
    layered = "map" in probe  # transformers name the map they scored
    maps = {"": ()}
    if layered:
        maps = {"mean of all heads": ()}
        if args.layer is not None:
            head = () if args.head is None else ("--head", str(args.head))
            name = f"layer {args.layer}" + ("" if args.head is None else f" head {args.head}") + " (0-based)"
            maps[name] = ("--layer", str(args.layer), *head)
    results = {}
    for map_name, extra in maps.items():
        scores = {m: round(align(args.attnviz, args.model, wpt, m, extra)["total"]["model"]["aer"], 4) for m in METHODS}
        if map_name:
            results[map_name] = scores
        else:
            results.update(scores)
    trial = {"set": "WPT 2003 English-French trial set, 37 pairs (dev.e, dev.f, dev.wa.nonullalign)",
             "by_method": results, "diagonal": round(probe["total"]["diagonal"]["aer"], 4),
             ALIGNER.split("/")[-1]: {m: round(align(args.attnviz, ALIGNER, wpt, m)["total"]["model"]["aer"], 4)
                                      for m in ALIGNER_METHODS},
             "command": f"attnviz align --model {args.model} --source {wpt}/dev.e --target {wpt}/dev.f "
                        f"--gold {wpt}/dev.wa.nonullalign --method METHOD [--layer L --head H]",
             "measured_by": "models/seq2seq/measure_alignment.py (attnviz align --json)"}
    if layered:
        grid = align(args.attnviz, args.model, wpt, "argmax", ("--per-head",))
        trial["per_head_argmax"] = [[round(a, 4) for a in row] for row in grid["per_head"]]
        trial["per_layer_mean_of_heads_argmax"] = [round(a, 4) for a in grid["per_layer_mean_of_heads"]]
    print(json.dumps(trial, indent=1))
    if args.dry_run:
        return
    path, key = card_file(args.model)
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    document[key].setdefault("metrics", {})["trial_aer"] = trial
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=1, ensure_ascii=False)
        handle.write("\n")
    os.replace(path + ".tmp", path)
    print(f"wrote metrics.trial_aer into {path}")


if __name__ == "__main__":
    main()
