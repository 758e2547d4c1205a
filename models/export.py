#!/usr/bin/env python3
"""Turn a PyTorch state dict plus hyper-parameters into an attnviz model package.

The package format is documented in models/README.md. This module is used two ways:

  from export import write_package                      # from a training script
  write_package("out/my-model", kind="encoder", name="my-model", architecture={...},
                tensors=model.state_dict(), texts={"vocab": ("vocab.txt", vocab)}, card={...})

  python3 models/export.py --state-dict weights.npz --kind encoder --name my-model \
      --architecture arch.json --file vocab=vocab.txt --card card.json --out my-model.zip

Only numpy is required; torch is used when the state dict holds torch tensors or is a .pt file
(loaded with weights_only=True: never unpickle arbitrary objects).
"""
import argparse
import io
import json
import os
import struct
import sys
import tempfile
import zipfile

import numpy as np

FORMAT = "attnviz-model"
FORMAT_VERSION = 1
KINDS = ("seq2seq", "han", "encoder", "vit")


def to_numpy(value):
    """A torch tensor or array-like as a C-ordered float32 numpy array."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.ascontiguousarray(np.asarray(value, dtype=np.float32))


def safetensors_bytes(tensors, dtype="F32"):
    """Serialise name -> array in the safetensors layout (8-byte LE header size, JSON, data), stored as F32
    or F16 (half the size; attnviz converts F16 to f32 at load)."""
    numpy_dtype = {"F32": "<f4", "F16": "<f2"}[dtype]
    header, chunks, offset = {}, [], 0
    for name, array in tensors.items():
        data = to_numpy(array).astype(numpy_dtype).tobytes()
        header[name] = {"dtype": dtype, "shape": list(np.shape(array)), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # keep the data 8-byte aligned so readers can map it in place
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def npz_bytes(tensors):
    buffer = io.BytesIO()
    np.savez(buffer, **{name: to_numpy(array) for name, array in tensors.items()})
    return buffer.getvalue()


def manifest(kind, name, variant, architecture, files, card):
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not name:
        raise ValueError("a package needs a name")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "name": name,
        "variant": variant,
        "architecture": architecture,
        "files": files,
        "card": card or {},
    }


def package_files(*, kind, name, variant="", architecture, tensors, texts=None, card=None, weights_format="safetensors",
                  weights_dtype="F32"):
    """All files of a package as {file name: bytes}. weights_dtype F16 halves a safetensors file."""
    if weights_format not in ("safetensors", "npz"):
        raise ValueError("weights_format must be safetensors or npz")
    weights_name = "model." + weights_format
    if weights_format == "npz" and weights_dtype != "F32":
        raise ValueError("npz weights are written as float32")
    out = {weights_name: safetensors_bytes(tensors, weights_dtype) if weights_format == "safetensors" else npz_bytes(tensors)}
    files = {"weights": weights_name}
    for role, (file_name, lines) in (texts or {}).items():
        if "/" in file_name or "\\" in file_name or file_name.startswith("."):
            raise ValueError(f"text file name {file_name!r} must be a plain file name")
        out[file_name] = "".join(f"{line}\n" for line in lines).encode("utf-8")
        files[role] = file_name
    text = json.dumps(manifest(kind, name, variant, architecture, files, card), indent=2, ensure_ascii=False)
    out["attnviz.json"] = (text + "\n").encode("utf-8")
    return out


def write_package(out, as_zip=None, **fields):
    """Write a package folder, or a .zip when out ends in .zip (or as_zip). Written to a temporary
    name first and renamed, so a failed export never leaves half a package."""
    files = package_files(**fields)
    as_zip = out.endswith(".zip") if as_zip is None else as_zip
    parent = os.path.dirname(os.path.abspath(out))
    os.makedirs(parent, exist_ok=True)
    if as_zip:
        fd, tmp = tempfile.mkstemp(dir=parent, suffix=".zip.tmp")
        with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            for file_name, data in sorted(files.items()):
                # A fixed timestamp keeps the zip byte-for-byte reproducible.
                entry = zipfile.ZipInfo(file_name, date_time=(1980, 1, 1, 0, 0, 0))
                entry.external_attr = 0o644 << 16
                archive.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
        return out
    tmp = tempfile.mkdtemp(dir=parent, prefix=".attnviz-export-")
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; a package is meant to be shared
    for file_name, data in files.items():
        with open(os.path.join(tmp, file_name), "wb") as handle:
            handle.write(data)
    if os.path.isdir(out):
        old = out + ".old"
        os.replace(out, old)
        os.replace(tmp, out)
        for name in os.listdir(old):
            os.remove(os.path.join(old, name))
        os.rmdir(old)
    else:
        os.replace(tmp, out)
    return out


def load_state_dict(path):
    """name -> array from .npz, .safetensors (F32) or a torch .pt/.bin file (weights_only)."""
    if path.endswith(".npz"):
        with np.load(path, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    if path.endswith(".safetensors"):
        with open(path, "rb") as handle:
            blob = handle.read()
        (size,) = struct.unpack("<Q", blob[:8])
        header = json.loads(blob[8:8 + size])
        base = 8 + size
        out = {}
        for name, info in header.items():
            if name == "__metadata__":
                continue
            if info["dtype"] not in ("F32", "F16"):
                raise ValueError(f"{path}: tensor {name}: dtype {info['dtype']} (only F32 and F16 here)")
            begin, end = info["data_offsets"]
            dtype = "<f4" if info["dtype"] == "F32" else "<f2"
            out[name] = np.frombuffer(blob[base + begin:base + end], dtype=dtype).astype(np.float32).reshape(info["shape"])
        return out
    import torch  # optional dependency, only for .pt/.bin

    state = torch.load(path, map_location="cpu", weights_only=True)
    if "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    return {name: to_numpy(value) for name, value in state.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--state-dict", required=True, help=".npz, .safetensors or torch .pt/.bin (weights only)")
    parser.add_argument("--kind", required=True, choices=KINDS)
    parser.add_argument("--name", required=True)
    parser.add_argument("--variant", default="")
    parser.add_argument("--architecture", required=True, help="JSON file with the hyper-parameters")
    parser.add_argument("--file", action="append", default=[], metavar="ROLE=PATH",
                        help="a text file of the package, e.g. vocab=vocab.txt (repeatable)")
    parser.add_argument("--card", help="JSON file with the model card (data, metrics, provenance)")
    parser.add_argument("--weights-format", default="safetensors", choices=("safetensors", "npz"))
    parser.add_argument("--out", required=True, help="folder, or a path ending in .zip")
    args = parser.parse_args(argv)

    with open(args.architecture, encoding="utf-8") as handle:
        architecture = json.load(handle)
    card = None
    if args.card:
        with open(args.card, encoding="utf-8") as handle:
            card = json.load(handle)
    texts = {}
    for item in args.file:
        role, _, path = item.partition("=")
        if not role or not path:
            parser.error(f"--file wants ROLE=PATH, got {item!r}")
        with open(path, encoding="utf-8") as handle:
            texts[role] = (os.path.basename(path), handle.read().splitlines())
    out = write_package(args.out, kind=args.kind, name=args.name, variant=args.variant,
                        architecture=architecture, tensors=load_state_dict(args.state_dict), texts=texts,
                        card=card, weights_format=args.weights_format)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
