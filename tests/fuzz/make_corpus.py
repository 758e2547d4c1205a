#!/usr/bin/env python3
"""Writes the seed corpora of the libFuzzer harnesses into tests/fuzz/corpus/<harness>/ from the test data: valid and
broken files of every reader, with the selector byte(s) each harness reads first. Small files only (each seed
under 48 KB). Regenerate after adding test data; libFuzzer's own findings go into tests/fuzz/regressions/.

  /usr/bin/python3 tests/fuzz/make_corpus.py        # from the repository root
"""
import glob
import os
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data")
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")
MAX_SEED = 48 * 1024


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(harness, name, content):
    if len(content) > MAX_SEED:
        return
    folder = os.path.join(OUT, harness)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(content)


def files(*patterns):
    out = []
    for pattern in patterns:
        out += sorted(glob.glob(os.path.join(DATA, pattern), recursive=True))
    return [p for p in out if os.path.isfile(p)]


def _varint(v):
    out = b""
    while True:
        out += bytes([(v & 0x7F) | (0x80 if v > 0x7F else 0)])
        v >>= 7
        if not v:
            return out


def _field(number, payload):
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _piece(text, score, kind):
    import struct
    return _field(1, _field(1, text.encode()) + _varint(2 << 3 | 5) + struct.pack("<f", score) + _varint(3 << 3) +
                  _varint(kind))


# A SentencePiece model by hand (sentencepiece_model.proto): <unk>, a few pieces of each type, a trainer_spec with
# model_type UNIGRAM and byte_fallback, a normalizer_spec without charsmap.
HAND_MADE_SPM_MODEL = (_piece("<unk>", 0, 2) + _piece("<s>", 0, 3) + _piece("\u2581", -1, 1) + _piece("a", -2, 1) +
                       _piece("\u2581ab", -3, 1) + _piece("<x>", 0, 4) + _piece("c", -1, 5) + _piece("<0x41>", 0, 6) +
                       _field(2, _varint(3 << 3) + _varint(1) + _varint(35 << 3) + _varint(1)) +
                       _field(3, _field(1, b"identity") + _varint(3 << 3) + _varint(1)))


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    # tensor_files: byte 0 = 0 npy, 1 npz, 2 safetensors.
    for selector, ext in ((0, ".npy"), (1, ".npz"), (2, ".safetensors")):
        for path in files(f"loader/**/*{ext}", f"tiny-han/*{ext}", f"tiny-encoder-golden/*{ext}"):
            write("tensor_files", f"{ext[1:]}-{os.path.basename(os.path.dirname(path))}-{os.path.basename(path)}",
                  bytes([selector]) + read(path))
    # json_configs: byte 0 = 0 manifest, 1 vit (+ as a preprocessor), 2 deit, 3 bert, 4 distilbert, 5 seq2seq, 6 han.
    for path in files("tiny-*/attnviz.json", "loader/**/attnviz.json"):
        selector = 5 if "seq2seq" in path else 6 if "han" in path else 0
        name = os.path.relpath(os.path.dirname(path), DATA).replace(os.sep, "-")
        write("json_configs", f"manifest-{name}", bytes([0]) + read(path))
        write("json_configs", f"arch-{name}", bytes([selector]) + read(path))
    for path in files("tiny-hf-*/config.json", "tiny-hf-*/preprocessor_config.json", "loader/valid/hf_bert/config.json"):
        for selector in (1, 2, 3, 4):
            write("json_configs", f"{selector}-{os.path.basename(os.path.dirname(path))}-{os.path.basename(path)}",
                  bytes([selector]) + read(path))
    # model_folder: byte 0 = kind, then the files joined by NUL (see fuzz_model_folder.cpp).
    kinds = [("tiny-hf-bert", ["config.json", "tokenizer_config.json", "vocab.txt"]),
             ("tiny-hf-coref", ["config.json", "tokenizer_config.json", "tokenizer.json"]),
             ("tiny-hf-vit", ["config.json", "preprocessor_config.json"]),
             ("tiny-han", ["attnviz.json", "vocab.txt", "labels.txt"]),
             ("tiny-seq2seq-luong-dot", ["attnviz.json", "source_vocab.txt", "target_vocab.txt"])]
    for selector, (folder, names) in enumerate(kinds):
        parts = [read(os.path.join(DATA, folder, n)) if os.path.exists(os.path.join(DATA, folder, n)) else b"" for n in names]
        write("model_folder", f"{selector}-{folder}", bytes([selector]) + b"\0".join(parts))
    # aligner_package: byte 0 = which file of tests/data/tiny-aligner the rest replaces (see fuzz_aligner_package.cpp).
    for selector, name in enumerate(["ttable.safetensors", "attnviz.json", "source_vocab.txt", "target_vocab.txt"]):
        write("aligner_package", f"{selector}-{name}", bytes([selector]) + read(os.path.join(DATA, "tiny-aligner", name)))
    # model_zip: the zips of the tests.
    for path in files("*.zip", "loader/**/*.zip"):
        write("model_zip", os.path.basename(path), read(path))
    # text: byte 0 = tokenizer flags, then text.
    texts = [b"The animal didn't cross the street because it was too tired.", "Caf\u00e9 \u4e2d\u6587 na\u00efve \U0001f600!".encode(),
             b"Line one.\nLine two? Yes!\n\nA third paragraph...", b"\xff\xfe broken \xc3", b"[CLS] x [SEP] [UNK]",
             "\u05e9\u05dc\u05d5\u05dd e\u0301\u0301 \u200d".encode(), b"a" * 150, b"   \t\n  "]
    for i, t in enumerate(texts):
        write("text", f"text-{i}", bytes([i * 37 % 256]) + t)
    for path in files("han-text/*.txt", "wordpiece/*.tsv"):
        write("text", "file-" + os.path.basename(path), bytes([1]) + read(path)[:4096])
    # sentencepiece: byte 0 even = a .model file, odd = a text for a fixture model (bit 1 picks which).
    for path in files("sentencepiece/*.model"):
        write("sentencepiece", "model-" + os.path.basename(path), bytes([0]) + read(path))
    write("sentencepiece", "tiny-model-hand-made", bytes([0]) + HAND_MADE_SPM_MODEL)
    for i, t in enumerate(texts + ["  l’été Ａﬁ ① <sep> 　 x 🇨🇦".encode()]):
        write("sentencepiece", f"text-{i}", bytes([1 + 2 * (i % 2)]) + t)
    # alignment_files: byte 0 = 0 WPT gold, 1 sentences, 2 vocabulary.
    for path in files("align/*.wa"):
        write("alignment_files", os.path.basename(path), bytes([0]) + read(path))
    for path in files("align/*.en", "align/*.fr"):
        write("alignment_files", os.path.basename(path), bytes([1]) + read(path))
    for path in files("tiny-*/*vocab*.txt"):
        write("alignment_files", f"vocab-{os.path.basename(os.path.dirname(path))}", bytes([2]) + read(path))
    # image: 4 option bytes, then the image file.
    for i, path in enumerate(files("images/*", "tiny-hf-vit-golden/*.png")):
        write("image", os.path.basename(path), bytes([20 + i, 17 + 3 * i, i % 32, 7 * i % 256]) + read(path))
    # cli_args: NUL-separated arguments.
    lines = [["run", "--model", "m", "--text", "hi", "--out", "-"], ["info", "m", "--json"],
             ["bench", "--model", "m", "--image", "x.png", "--runs", "3", "--threads", "2", "--bf16", "--json"],
             ["run", "--model", "m", "--text-dir", "d", "--rollout", "max", "--discard-ratio", "0.5", "--flow"],
             ["align", "--model", "m", "--source", "s", "--target", "t", "--gold", "g"], ["--version"], ["--help"],
             ["run", "--model", "m", "--image", "a.png", "--native-size", "--beam", "4", "--occlusion", "--sentences", "split"],
             ["run", "--model", "m", "--token-ids", "101 7592,102", "--token-type-ids", "0 0 1", "--text", "a",
              "--text-pair", "b", "--hidden-states", "--out", "-"],
             ["export", "--model", "m", "--pixels", "p.npy", "--token-ids", "5", "--out", "d"]]
    for i, args in enumerate(lines):
        write("cli_args", f"args-{i}", b"\0".join(a.encode() for a in args))
    for harness in sorted(os.listdir(OUT)):
        print(f"{harness}: {len(os.listdir(os.path.join(OUT, harness)))} seeds")


if __name__ == "__main__":
    main()
