#!/usr/bin/env python3
"""Prunes an aligner package further (attnviz train-aligner writes it; format: models/README.md, "Kind aligner"):
keeps the t-table entries with t(f|e) >= THRESHOLD and the words they use, and writes a new package folder (it must
not exist). Training once with a low --prune and pruning the result to several sizes measures what pruning costs.

  /usr/bin/python3 models/aligner/prune_package.py IN_PACKAGE OUT_PACKAGE THRESHOLD [--card KEY=JSON ...]
"""
import argparse
import json
import os
import struct

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as handle:
        data = handle.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    start = 8 + length
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", (name, entry["dtype"])
        a, b = entry["data_offsets"]
        out[name] = np.frombuffer(data[start + a:start + b], dtype="<f4").reshape(entry["shape"])
    return out


def write_safetensors(path, tensors):
    header, chunks, offset = {}, [], 0
    for name, array in tensors.items():
        raw = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "attnviz-aligner"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as handle:
        handle.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def lines(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read().split("\n")[:-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source")
    parser.add_argument("out")
    parser.add_argument("threshold", type=float)
    parser.add_argument("--card", action="append", default=[], help="KEY=JSON: set a card entry")
    args = parser.parse_args()
    with open(os.path.join(args.source, "attnviz.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    files = manifest["files"]
    t = read_safetensors(os.path.join(args.source, files["weights"]))
    rows, targets, probs = (t["ttable.row_start"].astype(np.int64), t["ttable.target"].astype(np.int64),
                            t["ttable.probability"])
    source_words = lines(os.path.join(args.source, files["source_vocab"]))
    target_words = lines(os.path.join(args.source, files["target_vocab"]))
    row_of = np.repeat(np.arange(len(source_words)), np.diff(rows))
    keep = probs >= args.threshold
    kept_sources = np.unique(np.concatenate([[0], row_of[keep]]))  # <null> always stays first
    kept_targets = np.unique(targets[keep])
    new_source = np.full(len(source_words), -1)
    new_source[kept_sources] = np.arange(len(kept_sources))
    new_target = np.full(len(target_words), -1)
    new_target[kept_targets] = np.arange(len(kept_targets))
    counts = np.bincount(new_source[row_of[keep]], minlength=len(kept_sources))
    row_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.float32)
    os.makedirs(args.out)
    write_safetensors(os.path.join(args.out, files["weights"]), {
        "ttable.row_start": row_start, "ttable.target": new_target[targets[keep]].astype(np.float32),
        "ttable.probability": probs[keep].astype(np.float32)})
    for role, words, kept in (("source_vocab", source_words, kept_sources), ("target_vocab", target_words, kept_targets)):
        with open(os.path.join(args.out, files[role]), "w", encoding="utf-8") as handle:
            handle.writelines(words[i] + "\n" for i in kept)
    arch = manifest["architecture"]
    arch.update({"prune_below": args.threshold, "source_vocab_size": int(len(kept_sources)),
                 "target_vocab_size": int(len(kept_targets)), "table_entries": int(keep.sum())})
    for item in args.card:
        key, value = item.split("=", 1)
        manifest["card"][key] = json.loads(value)
    with open(os.path.join(args.out, "attnviz.json"), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    size = sum(os.path.getsize(os.path.join(args.out, f)) for f in os.listdir(args.out))
    print(f"{args.out}: {int(keep.sum())} of {len(probs)} entries, {len(kept_sources)} source and {len(kept_targets)} "
          f"target words, {size} bytes")


if __name__ == "__main__":
    main()
