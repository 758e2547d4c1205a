#!/usr/bin/env python3
"""Writes the loader test files: tests/data/loader/valid/ (files every reader must accept, with known values)
and tests/data/loader/broken/ (deliberately damaged or hostile files each reader must refuse with a clear
message and no crash). tests/loader/*.cpp hold the expected values and messages.

  python3 tests/data/loader/make_loader_data.py      # from anywhere; needs numpy only (Debian: python3-numpy)

Everything is written byte for byte (fixed zip timestamps, no randomness), so re-running it changes nothing.
Safetensors files are written directly (8-byte little-endian header length, JSON header, raw data) rather
than through models/export.py, so that broken variants can be made by changing one field.
"""
import io
import json
import os
import shutil
import struct
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
VALID = os.path.join(HERE, "valid")
BROKEN = os.path.join(HERE, "broken")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Values the C++ tests compare against exactly.
A = np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5 - 1.0   # [[-1, -0.5, 0], [0.5, 1, 1.5]]
B = np.array([3.0, -4.0, 1e-3, 7.25], dtype=np.float32)
F16_VALUES = [1.0, -2.5, 0.5, 65504.0, 6.103515625e-05, 5.960464477539063e-08, 0.0, -0.0]  # max, min normal, min subnormal
BF16_VALUES = [1.0, -2.5, 3.140625, -0.001953125, 3.3895313892515355e+38, 0.0]  # exact in bfloat16; 3.39e38 is its max


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def npy_bytes(array, version=None):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asarray(array), version=version, allow_pickle=False)
    return buffer.getvalue()


def npy_with_header(header_text, data=b"", version=1):
    """An .npy with a hand-written header dict, padded the way numpy pads (to 64 bytes, ending in '\\n')."""
    text = header_text.encode("latin1")
    prefix = 10 if version == 1 else 12
    text += b" " * ((64 - (prefix + len(text) + 1) % 64) % 64) + b"\n"
    length = struct.pack("<H", len(text)) if version == 1 else struct.pack("<I", len(text))
    return b"\x93NUMPY" + bytes([version, 0]) + length + text + data


def zip_bytes(entries, method=zipfile.ZIP_DEFLATED):
    """entries: [(name, bytes)] in order; a fixed timestamp keeps the archive reproducible."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = method
            archive.writestr(info, data)
    return buffer.getvalue()


def safetensors_bytes(tensors, align=8, metadata=True, header_override=None, misalign=False):
    """tensors: [(name, dtype, shape, raw bytes)]. The JSON is padded with spaces so the data starts on an
    8-byte boundary, or (misalign) at 1 past a multiple of 4, to test data that cannot be viewed as floats."""
    header, chunks, offset = {}, [], 0
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = {"format": "pt", "note": "made by make_loader_data.py"}
    if header_override:
        header_override(header)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((align - (8 + len(text)) % align) % align)
    if misalign:
        text += b" " * ((1 - (8 + len(text))) % 4)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def f32(name, array):
    array = np.ascontiguousarray(array, dtype="<f4")
    return (name, "F32", array.shape, array.tobytes())


def bf16_raw(values):
    bits = np.asarray(values, dtype="<f4").view("<u4")
    assert np.all(bits & 0xFFFF == 0), "BF16 test values must be exact"
    return (bits >> 16).astype("<u2").tobytes()


def package_files(manifest_changes=None, files=None, weights=None):
    """The files of a small valid package (name -> bytes); manifest_changes edits the manifest dict."""
    manifest = {
        "format": "attnviz-model",
        "format_version": 1,
        "kind": "encoder",
        "name": "loader-test",
        "variant": "tiny",
        "architecture": {"hidden_size": 4, "num_layers": 2, "layer_norm_eps": 1e-12, "act": "gelu",
                         "lowercase": True, "ratio": 0.5, "sizes": [1, 2, 3], "big": 4294967296},
        "files": {"weights": "model.safetensors", "vocab": "vocab.txt", "labels": "labels.txt"},
        "card": {"description": "Loader test package.", "metrics": {"bleu": 31.2, "accuracy": 0.875},
                 "datasets": ["wmt14", "iwslt"], "epochs": 3, "public": False},
    }
    if manifest_changes:
        manifest_changes(manifest)
    out = {
        "attnviz.json": (json.dumps(manifest, indent=2) + "\n").encode("utf-8"),
        "model.safetensors": weights if weights is not None else safetensors_bytes([f32("a", A), f32("b", B)]),
        # CRLF line ends and non-ASCII text: readLines must strip '\r' and keep UTF-8 intact.
        "vocab.txt": "[PAD]\r\n[UNK]\r\nthe\r\nstraße\r\n日本\r\n".encode("utf-8"),
        "labels.txt": b"negative\npositive\n",
    }
    out.update(files or {})
    return out


def write_folder(path, files):
    shutil.rmtree(path, ignore_errors=True)
    for name, data in files.items():
        write(os.path.join(path, name), data)


def make_valid():
    write(os.path.join(VALID, "f32.npy"), npy_bytes(A))
    write(os.path.join(VALID, "f32_v2.npy"), npy_bytes(A, version=(2, 0)))
    write(os.path.join(VALID, "f32_v3.npy"), npy_bytes(A, version=(3, 0)))
    write(os.path.join(VALID, "f16.npy"), npy_bytes(np.array(F16_VALUES, dtype="<f2")))
    write(os.path.join(VALID, "f64.npy"), npy_bytes(A.astype("<f8")))
    write(os.path.join(VALID, "i4.npy"), npy_bytes(np.array([[-3, 0], [7, 2**24]], dtype="<i4")))
    write(os.path.join(VALID, "i8.npy"), npy_bytes(np.array([-(2**40), 5], dtype="<i8")))
    write(os.path.join(VALID, "u1.npy"), npy_bytes(np.array([0, 1, 255], dtype="|u1")))
    write(os.path.join(VALID, "bool.npy"), npy_bytes(np.array([True, False, True])))
    write(os.path.join(VALID, "scalar.npy"), npy_bytes(np.float32(2.5)))
    write(os.path.join(VALID, "empty.npy"), npy_bytes(np.zeros((0, 3), dtype="<f4")))

    entries = [("a.npy", npy_bytes(A)), ("b.npy", npy_bytes(B)), ("enc/w.npy", npy_bytes(A.T.copy()))]
    write(os.path.join(VALID, "stored.npz"), zip_bytes(entries, zipfile.ZIP_STORED))
    write(os.path.join(VALID, "deflated.npz"), zip_bytes(entries, zipfile.ZIP_DEFLATED))

    write(os.path.join(VALID, "f32.safetensors"), safetensors_bytes([f32("a", A), f32("b", B)]))
    # Data at an address that is not a multiple of 4: copied, not viewed.
    unaligned = safetensors_bytes([f32("a", A), f32("b", B)], metadata=False, misalign=True)
    assert (8 + struct.unpack("<Q", unaligned[:8])[0]) % 4 != 0, "the unaligned case must really be unaligned"
    write(os.path.join(VALID, "f32_unaligned.safetensors"), unaligned)
    write(os.path.join(VALID, "f16.safetensors"),
          safetensors_bytes([("h", "F16", [2, 4], np.array(F16_VALUES, dtype="<f2").tobytes())]))
    write(os.path.join(VALID, "bf16.safetensors"),
          safetensors_bytes([("g", "BF16", [len(BF16_VALUES)], bf16_raw(BF16_VALUES)), f32("b", B)]))

    files = package_files()
    write_folder(os.path.join(VALID, "package"), files)
    write(os.path.join(VALID, "package.zip"), zip_bytes(sorted(files.items())))
    # The layout "zip the folder" gives: everything inside one top-level folder, with a folder entry.
    nested = [("loader-test/", b"")] + [("loader-test/" + name, data) for name, data in sorted(files.items())]
    write(os.path.join(VALID, "package_nested.zip"), zip_bytes(nested))
    npz_files = package_files(lambda m: m["files"].update(weights="model.npz"))
    del npz_files["model.safetensors"]
    npz_files["model.npz"] = zip_bytes([("a.npy", npy_bytes(A)), ("b.npy", npy_bytes(B))])
    write_folder(os.path.join(VALID, "package_npz"), npz_files)

    # A Hugging Face-style checkpoint: config.json, a safetensors file with an I64 buffer (counted, not loaded).
    config = {"model_type": "bert", "architectures": ["BertForMaskedLM"], "hidden_size": 4,
              "num_hidden_layers": 2, "layer_norm_eps": 1e-12, "torch_dtype": "float32",
              "id2label": {"0": "NEG", "1": "POS"}, "is_decoder": False}
    hf = {
        "config.json": json.dumps(config, indent=2).encode("utf-8"),
        "model.safetensors": safetensors_bytes([f32("bert.embeddings.word_embeddings.weight", A), f32("bias", B),
                                                ("position_ids", "I64", [1, 3], np.arange(3, dtype="<i8").tobytes())]),
        "vocab.txt": b"[PAD]\n[UNK]\nthe\n",
        "tokenizer_config.json": b"{}",
    }
    write_folder(os.path.join(VALID, "hf_bert"), hf)
    write(os.path.join(VALID, "hf_bert.zip"), zip_bytes([("bert/" + n, d) for n, d in sorted(hf.items())]))
    write_folder(os.path.join(VALID, "hf_pickle"), {"config.json": json.dumps({"model_type": "gpt2"}).encode(),
                                                    "pytorch_model.bin": b"PK\x03\x04 not really a checkpoint"})


def make_broken_tensor_files():
    good = safetensors_bytes([f32("encoder.w", A), f32("b", B)])
    write(os.path.join(BROKEN, "truncated.safetensors"), good[:-10])
    write(os.path.join(BROKEN, "tiny.safetensors"), good[:5])
    header_too_large = struct.pack("<Q", 1000000) + good[8:]
    write(os.path.join(BROKEN, "header_too_large.safetensors"), header_too_large[:120])
    write(os.path.join(BROKEN, "not_json.safetensors"), struct.pack("<Q", 16) + b"{\"a\": [1, 2,,]} " + b"\0" * 8)
    write(os.path.join(BROKEN, "json_array.safetensors"), struct.pack("<Q", 8) + b"[1, 2]  ")

    def set_field(name, key, value):
        return lambda header: header[name].__setitem__(key, value)

    write(os.path.join(BROKEN, "reversed_offsets.safetensors"),
          safetensors_bytes([f32("encoder.w", A)], header_override=set_field("encoder.w", "data_offsets", [24, 0])))
    write(os.path.join(BROKEN, "wrong_byte_size.safetensors"),
          safetensors_bytes([f32("encoder.w", A)], header_override=set_field("encoder.w", "shape", [2, 2])))
    write(os.path.join(BROKEN, "shape_overflow.safetensors"),
          safetensors_bytes([f32("encoder.w", A)],
                            header_override=set_field("encoder.w", "shape", [2**31, 2**31, 2**31])))
    write(os.path.join(BROKEN, "negative_dim.safetensors"),
          safetensors_bytes([f32("encoder.w", A)], header_override=set_field("encoder.w", "shape", [-2, -3])))
    write(os.path.join(BROKEN, "i64.safetensors"),
          safetensors_bytes([f32("encoder.w", A), ("position_ids", "I64", [3], np.arange(3, dtype="<i8").tobytes())]))
    write(os.path.join(BROKEN, "unknown_dtype.safetensors"),
          safetensors_bytes([("encoder.w", "F128", [1], b"\0" * 16)]))
    write(os.path.join(BROKEN, "entry_not_object.safetensors"),
          safetensors_bytes([f32("encoder.w", A)], header_override=lambda h: h.__setitem__("encoder.w", [1, 2])))

    npy = npy_bytes(A)
    write(os.path.join(BROKEN, "bad_magic.npy"), b"\x93NUMPX" + npy[6:])
    write(os.path.join(BROKEN, "truncated.npy"), npy[:-4])
    write(os.path.join(BROKEN, "trailing.npy"), npy + b"\0\0\0\0")
    write(os.path.join(BROKEN, "header_too_large.npy"), npy[:8] + struct.pack("<H", 60000) + npy[10:])
    write(os.path.join(BROKEN, "version9.npy"), npy[:6] + b"\x09\x00" + npy[8:])
    write(os.path.join(BROKEN, "fortran.npy"), npy_bytes(np.asfortranarray(A)))
    write(os.path.join(BROKEN, "big_endian.npy"), npy_bytes(A.astype(">f4")))
    write(os.path.join(BROKEN, "complex.npy"), npy_bytes(np.array([1 + 2j], dtype="<c8")))
    write(os.path.join(BROKEN, "structured.npy"), npy_bytes(np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")])))
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"payload": "never unpickled"}, None], dtype=object), allow_pickle=True)
    write(os.path.join(BROKEN, "object.npy"), buffer.getvalue())
    # A header that would run code if anyone eval()'d it; the literal parser must stop at the first name.
    write(os.path.join(BROKEN, "code_in_header.npy"),
          npy_with_header("{'descr': __import__('os').system('true'), 'fortran_order': False, 'shape': (1,), }",
                          b"\0" * 4))
    write(os.path.join(BROKEN, "missing_key.npy"), npy_with_header("{'descr': '<f4', 'fortran_order': False, }"))
    write(os.path.join(BROKEN, "shape_overflow.npy"),
          npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }"))

    write(os.path.join(BROKEN, "not_a_zip.npz"), b"this is not a zip archive at all" * 4)
    good_npz = zip_bytes([("a.npy", npy_bytes(A)), ("b.npy", npy_bytes(B))], zipfile.ZIP_STORED)
    write(os.path.join(BROKEN, "truncated.npz"), good_npz[: len(good_npz) // 2])
    corrupt = bytearray(good_npz)
    data_at = corrupt.index(npy_bytes(A)) + len(npy_bytes(A)) - 1  # the last value byte of a.npy
    corrupt[data_at] ^= 0xFF
    write(os.path.join(BROKEN, "crc_mismatch.npz"), bytes(corrupt))
    write(os.path.join(BROKEN, "dotdot_entry.npz"), zip_bytes([("../../x.npy", npy_bytes(A))]))
    write(os.path.join(BROKEN, "not_npy_entry.npz"), zip_bytes([("a.npy", npy_bytes(A)), ("notes.txt", b"hi")]))
    write(os.path.join(BROKEN, "bad_npy_entry.npz"), zip_bytes([("a.npy", npy_bytes(A)), ("b.npy", b"\x89PNG\r\n\x1a\n not an array")]))
    write(os.path.join(BROKEN, "bzip2.npz"), zip_bytes([("a.npy", npy_bytes(A))], zipfile.ZIP_BZIP2))
    write(os.path.join(BROKEN, "claims_huge.npz"), claim_size(zip_bytes([("a.npy", npy_bytes(A))]), 3_000_000_000))


def claim_size(archive, size):
    """Rewrites the uncompressed size of the first entry (local and central headers): a zip bomb's lie."""
    data = bytearray(archive)
    local = data.index(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, size)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, size)
    return bytes(data)


def make_broken_packages():
    def folder(name, manifest_changes=None, **kwargs):
        write_folder(os.path.join(BROKEN, "packages", name), package_files(manifest_changes, **kwargs))

    folder("bad_kind", lambda m: m.update(kind="gpt"))
    folder("bad_format", lambda m: m.update(format="something-else"))
    folder("format_version_2", lambda m: m.update(format_version=2))
    folder("no_name", lambda m: m.update(name=""))
    folder("no_weights_role", lambda m: m["files"].pop("weights"))
    folder("weights_file_missing", lambda m: m["files"].update(weights="missing.safetensors"))
    folder("weights_not_tensors", lambda m: m["files"].update(weights="vocab.txt"))
    folder("dotdot_name", lambda m: m["files"].update(vocab="../vocab.txt"))
    folder("absolute_name", lambda m: m["files"].update(vocab="/etc/passwd"))
    folder("backslash_name", lambda m: m["files"].update(vocab="sub\\vocab.txt"))
    folder("card_not_object", lambda m: m.update(card=["not", "an", "object"]))
    folder("bad_utf8_vocab", files={"vocab.txt": b"[PAD]\n[UNK]\ncaf\xe9\n"})
    folder("bad_weights", weights=safetensors_bytes([f32("a", A)])[:-3])
    write_folder(os.path.join(BROKEN, "packages", "not_json"), {"attnviz.json": b"{\"format\": \"attnviz-model\",,}"})
    write_folder(os.path.join(BROKEN, "packages", "no_manifest"), {"model.safetensors": b""})

    files = package_files()
    write(os.path.join(BROKEN, "packages", "dotdot_entry.zip"),
          zip_bytes(sorted(files.items()) + [("../../x", b"escaped?")]))
    write(os.path.join(BROKEN, "packages", "absolute_entry.zip"),
          zip_bytes(sorted(files.items()) + [("/tmp/x", b"escaped?")]))
    write(os.path.join(BROKEN, "packages", "two_folders.zip"),
          zip_bytes([("one/" + n, d) for n, d in sorted(files.items())] + [("two/readme.txt", b"hello")]))
    write(os.path.join(BROKEN, "packages", "no_manifest.zip"), zip_bytes([("model.safetensors", files["model.safetensors"])]))
    write(os.path.join(BROKEN, "packages", "bad.zip"), b"PK\x03\x04" + b"\0" * 60)


def main():
    shutil.rmtree(VALID, ignore_errors=True)
    shutil.rmtree(BROKEN, ignore_errors=True)
    make_valid()
    make_broken_tensor_files()
    make_broken_packages()
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(HERE) for f in fs)
    print(f"wrote {VALID} and {BROKEN} ({total} bytes in tests/data/loader)")


if __name__ == "__main__":
    main()
