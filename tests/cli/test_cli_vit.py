#!/usr/bin/python3
"""Command-line tests of the vit kind on tests/data/tiny-hf-vit (random weights, Hugging Face layout): `attnviz run
--image` traces (tokens, attention.self, --rollout, --flow, --native-size, prediction), info, and clear errors for
broken images and for text given to an image model; checkpoints as transformers writes them (copies of tiny-hf-vit
edited in a temporary folder): "resample" false/0/..., do_resize false with an image of another size, id2label left
out, null config values, a ViTModel pooler; --pixels FILE.npy and --hidden-states. Standard library only.

  python3 tests/cli/test_cli_vit.py --attnviz build/release/app/attnviz --data tests/data
"""
import argparse
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zipfile

ATTNVIZ = None
DATA = None


def attnviz(*args):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([ATTNVIZ, *args], capture_output=True, text=True, env=env, timeout=120)


def model():
    return os.path.join(DATA, "tiny-hf-vit")


def image(name):
    return os.path.join(DATA, "tiny-hf-vit-golden", name)


class Run(unittest.TestCase):
    def test_trace_with_rollout_and_flow(self):
        r = attnviz("run", "--model", model(), "--image", image("rgb-32x32.png"), "--rollout", "max",
                    "--discard-ratio", "0.5", "--flow", "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        t = json.loads(r.stdout)
        self.assertEqual(t["model"]["kind"], "vit")
        tokens = t["tokens"]["source"]
        self.assertEqual(tokens[:2], ["[CLS]", "patch 0,0"])
        self.assertEqual(len(tokens), 17)
        self.assertEqual(len(t["attention"]["self"]), 2)  # layers
        self.assertEqual(len(t["attention"]["rollout"]), 17)
        for row in t["attention"]["rollout"]:
            self.assertAlmostEqual(sum(row), 1.0, places=5)
        [flow] = t["attention"]["flow"]
        self.assertAlmostEqual(sum(flow), 1.0, places=5)
        self.assertEqual(len(t["prediction"]["probabilities"]), 3)

    def test_bf16_trace_is_close_to_f32(self):
        args = ("run", "--model", model(), "--image", image("rgb-32x32.png"), "--out", "-")
        f32 = attnviz(*args)
        bf16 = attnviz(*args, "--bf16")
        self.assertEqual(f32.returncode, 0, f32.stderr)
        cpu = json.loads(attnviz("info", model(), "--json").stdout)["cpu"]
        if not cpu["bf16"]:  # test_cli_bf16.py checks the error there
            self.skipTest("no bfloat16 on this CPU: " + cpu["bf16_reason"])
        self.assertEqual(bf16.returncode, 0, bf16.stderr)
        a, b = json.loads(f32.stdout)["attention"]["self"], json.loads(bf16.stdout)["attention"]["self"]
        flat = lambda t: [v for layer in t for head in layer for row in head for v in row]  # noqa: E731
        self.assertEqual(len(flat(a)), len(flat(b)))
        self.assertLess(max(abs(x - y) for x, y in zip(flat(a), flat(b))), 2e-2)
        self.assertGreater(max(abs(x - y) for x, y in zip(flat(a), flat(b))), 0.0)  # bf16 really ran

    def test_resize_is_said_and_native_size_keeps_the_grid(self):
        r = attnviz("run", "--model", model(), "--image", image("rgb-100x75.png"), "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("resized from 100x75", r.stderr)
        r = attnviz("run", "--model", model(), "--image", image("rgb-100x75.png"), "--native-size", "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        tokens = json.loads(r.stdout)["tokens"]["source"]
        self.assertEqual(len(tokens), 1 + 9 * 12)
        self.assertEqual(tokens[-1], "patch 8,11")

    def test_broken_image_and_text_input_are_input_errors(self):
        r = attnviz("run", "--model", model(), "--image", os.path.join(DATA, "images", "truncated.png"), "--out", "-")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("truncated.png", r.stderr)
        r = attnviz("run", "--model", model(), "--text", "a cat", "--out", "-")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("image", r.stderr)

    def test_info(self):
        r = attnviz("info", model(), "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        info = json.loads(r.stdout)
        self.assertEqual((info["kind"], info["variant"]), ("vit", "vit"))
        self.assertEqual(len(info["labels"]), 3)


def copy_model(tmp, edit_config=None, edit_preprocessor=None):
    """tiny-hf-vit copied into tmp, its config.json / preprocessor_config.json passed through the edit functions."""
    dst = os.path.join(tmp, "model")
    shutil.copytree(model(), dst)
    for name, edit in (("config.json", edit_config), ("preprocessor_config.json", edit_preprocessor)):
        if edit:
            path = os.path.join(dst, name)
            with open(path) as f:
                d = json.load(f)
            edit(d)
            with open(path, "w") as f:
                json.dump(d, f)
    return dst


def write_npy(path, values, shape, descr="<f4"):
    """A .npy v1 file; values flat, in C order."""
    fmt = {"<f4": "f", "<f8": "d", "|u1": "B"}[descr]
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (descr, "".join("%d, " % d for d in shape))
    header = header.ljust(117) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack("<%d%s" % (len(values), fmt), *values))


def golden_pixels(tmp, stem):
    """The preprocessed pixels [3, 32, 32] (float32) that models/reference/vit.py made of a golden image, as a .npy."""
    path = os.path.join(tmp, stem + "-pixels.npy")
    with zipfile.ZipFile(image(stem + ".npz")) as z, open(path, "wb") as f:
        f.write(z.read("pixels.npy"))
    return path


def flat(t):
    return [v for layer in t for head in layer for row in head for v in row]


def run_trace(*args):
    r = attnviz("run", *args, "--out", "-")
    return r, (json.loads(r.stdout) if r.returncode == 0 else None)


class HuggingFaceFiles(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="attnviz-cli-vit-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_resample_as_transformers_reads_it(self):
        shrink = image("rgb-100x75.png")
        r, bilinear = run_trace("--model", model(), "--image", shrink)
        self.assertEqual(r.returncode, 0, r.stderr)
        attention = {}
        for value in (False, 0, True, 1, 3, 4, 5, None):
            m = copy_model(os.path.join(self.tmp, str(value)), edit_preprocessor=lambda d: d.update(resample=value))
            r, t = run_trace("--model", m, "--image", shrink)
            self.assertEqual(r.returncode, 0, "resample %r: %s" % (value, r.stderr))
            attention[value] = flat(t["attention"]["self"])
        self.assertEqual(attention[False], attention[0])  # false is NEAREST (0), as Python's False == 0
        self.assertEqual(attention[True], attention[1])   # true is LANCZOS (1)
        self.assertEqual(attention[None], flat(bilinear["attention"]["self"]))  # null: transformers' default, bilinear
        self.assertNotEqual(attention[0], attention[None])  # nearest really differs from bilinear
        for bad in (6, "bilinear", 2.5):
            m = copy_model(os.path.join(self.tmp, "bad-" + str(bad)), edit_preprocessor=lambda d: d.update(resample=bad))
            r = attnviz("run", "--model", m, "--image", shrink, "--out", "-")
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertIn("preprocessor_config.json: key 'resample' is", r.stderr)
            self.assertIn("2 BILINEAR", r.stderr)
            self.assertNotIn("fix config.json", r.stderr)
        m = copy_model(os.path.join(self.tmp, "bad-resize"), edit_preprocessor=lambda d: d.update(do_resize="yes"))
        r = attnviz("info", m)
        self.assertIn("preprocessor_config.json: key 'do_resize'", r.stdout + r.stderr)
        self.assertNotIn("fix config.json", r.stdout + r.stderr)

    def test_image_of_another_size_without_resize_is_refused(self):
        m = copy_model(self.tmp, edit_preprocessor=lambda d: d.update(do_resize=False))
        r = attnviz("run", "--model", m, "--image", image("rgb-100x75.png"), "--out", "-")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        for part in ("rgb-100x75.png", "100x75", "32x32", "do_resize false", "resize it to 32x32", "--native-size"):
            self.assertIn(part, r.stderr)
        r = attnviz("run", "--model", m, "--image", image("rgb-100x75.png"), "--native-size", "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = attnviz("run", "--model", m, "--image", image("rgb-32x32.png"), "--out", "-")  # its own size fits
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_labels_default_and_null_config_values(self):
        def edit(d):
            del d["id2label"], d["label2id"]
            d.update(architectures=None, problem_type=None, dtype=None, torch_dtype=None, transformers_version="5.11.0")
        m = copy_model(self.tmp, edit_config=edit)
        r = attnviz("info", m, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        info = json.loads(r.stdout)
        self.assertEqual(info["labels"], ["LABEL_0", "LABEL_1", "LABEL_2"])
        r, t = run_trace("--model", m, "--image", image("rgb-32x32.png"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([k for k, _ in t["prediction"]["probabilities"].items()], ["LABEL_0", "LABEL_1", "LABEL_2"])


class Pixels(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="attnviz-cli-vit-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_pixels_run_as_the_preprocessed_image(self):
        npy = golden_pixels(self.tmp, "rgb-32x32")
        r, from_pixels = run_trace("--model", model(), "--pixels", npy)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(from_pixels["input"], npy)
        self.assertEqual(len(from_pixels["tokens"]["source"]), 17)
        r, from_image = run_trace("--model", model(), "--image", image("rgb-32x32.png"))
        a, b = flat(from_pixels["attention"]["self"]), flat(from_image["attention"]["self"])
        self.assertLess(max(abs(x - y) for x, y in zip(a, b)), 1e-4)
        for row in from_pixels["attention"]["self"][1][0]:
            self.assertAlmostEqual(sum(row), 1.0, places=5)

    def test_pixel_layouts_and_dtypes(self):
        values = [((i * 7) % 23 - 11) / 11.0 for i in range(3 * 32 * 32)]
        traces = []
        for name, shape, descr in (("a", (3, 32, 32), "<f4"), ("b", (1, 3, 32, 32), "<f4"), ("c", (3, 32, 32), "<f8")):
            path = os.path.join(self.tmp, name + ".npy")
            write_npy(path, values, shape, descr)
            r, t = run_trace("--model", model(), "--pixels", path)
            self.assertEqual(r.returncode, 0, "%s: %s" % (name, r.stderr))
            traces.append(flat(t["attention"]["self"]))
        self.assertEqual(traces[0], traces[1])
        self.assertLess(max(abs(x - y) for x, y in zip(traces[0], traces[2])), 1e-6)

    def test_bad_pixels_are_one_line_input_errors(self):
        cases = [("uint8", [0] * (3 * 32 * 32), (3, 32, 32), "|u1", ["'|u1'", "--image"]),
                 ("grey", [0.0] * (32 * 32), (32, 32), "<f4", ["[3, H, W]", "[32, 32]"]),
                 ("batch2", [0.0] * (2 * 3 * 8 * 8), (2, 3, 8, 8), "<f4", ["[1, 3, H, W]", "[2, 3, 8, 8]"]),
                 ("small", [0.0] * (3 * 16 * 16), (3, 16, 16), "<f4", ["16x16", "32x32", "--native-size"]),
                 ("nan", [float("nan")] * (3 * 32 * 32), (3, 32, 32), "<f4", ["NaN"])]
        for name, values, shape, descr, parts in cases:
            path = os.path.join(self.tmp, name + ".npy")
            write_npy(path, values, shape, descr)
            r = attnviz("run", "--model", model(), "--pixels", path, "--out", "-")
            self.assertEqual(r.returncode, 4, "%s: %s" % (name, r.stderr))
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertTrue(r.stderr.startswith("attnviz: " + path + ": "), r.stderr)
            for part in parts:
                self.assertIn(part, r.stderr, name)
        with open(os.path.join(self.tmp, "junk.npy"), "wb") as f:
            f.write(b"not a numpy file")
        r = attnviz("run", "--model", model(), "--pixels", os.path.join(self.tmp, "junk.npy"), "--out", "-")
        self.assertEqual(r.returncode, 4, r.stderr)

    def test_pixels_trace_reaches_the_panels(self):
        # The patch panels draw the attention without an image under it (a .npy is not one); nothing may fail.
        npy = golden_pixels(self.tmp, "rgb-32x32")
        for view in ("patches", "heatmap", "grid"):
            out = os.path.join(self.tmp, view)
            r = attnviz("export", "--model", model(), "--pixels", npy, "--view", view, "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(os.listdir(out), ["rgb-32x32-pixels.png"])

    def test_native_size_pixels(self):
        path = os.path.join(self.tmp, "small.npy")
        write_npy(path, [0.25] * (3 * 16 * 24), (3, 16, 24))
        r, t = run_trace("--model", model(), "--pixels", path, "--native-size")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(t["tokens"]["source"][-1], "patch 1,2")


def add_pooler(src_dir, dst_dir, hidden):
    """A copy of the checkpoint whose model.safetensors also holds ViTModel's pooler.dense (weights known here)."""
    shutil.copytree(src_dir, dst_dir)
    path = os.path.join(dst_dir, "model.safetensors")
    with open(path, "rb") as f:
        blob = f.read()
    n = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + n])
    data = bytearray(blob[8 + n:])
    weight = [((i * 5) % 13 - 6) / 20.0 for i in range(hidden * hidden)]
    bias = [((i * 3) % 7 - 3) / 10.0 for i in range(hidden)]
    for name, values, shape in (("vit.pooler.dense.weight", weight, [hidden, hidden]), ("vit.pooler.dense.bias", bias, [hidden])):
        start = len(data)
        data += struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [start, len(data)]}
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + bytes(data))
    return weight, bias


class HiddenStates(unittest.TestCase):
    def test_hidden_logits_and_no_pooler(self):
        r, t = run_trace("--model", model(), "--image", image("rgb-32x32.png"), "--hidden-states")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual((len(t["hidden"]), len(t["hidden"][0])), (17, 16))
        self.assertEqual(len(t["logits"]), 3)
        self.assertNotIn("pooled", t)  # ViTForImageClassification has no pooler
        e = [math.exp(v - max(t["logits"])) for v in t["logits"]]
        probabilities = list(t["prediction"]["probabilities"].values())
        for p, q in zip(probabilities, [v / sum(e) for v in e]):
            self.assertAlmostEqual(p, q, places=5)
        r, plain = run_trace("--model", model(), "--image", image("rgb-32x32.png"))
        self.assertNotIn("hidden", plain)

    def test_pooled_is_tanh_of_the_pooler_on_cls(self):
        tmp = tempfile.mkdtemp(prefix="attnviz-cli-vit-")
        try:
            m = os.path.join(tmp, "pooled")
            weight, bias = add_pooler(model(), m, 16)
            info = json.loads(attnviz("info", m, "--json").stdout)
            self.assertTrue(any("pooler" in str(v) for v in info.values()), info)
            r, t = run_trace("--model", m, "--image", image("rgb-32x32.png"), "--hidden-states")
            self.assertEqual(r.returncode, 0, r.stderr)
            cls = t["hidden"][0]
            expected = [math.tanh(bias[o] + sum(weight[o * 16 + i] * cls[i] for i in range(16))) for o in range(16)]
            self.assertEqual(len(t["pooled"]), 16)
            self.assertLess(max(abs(a - b) for a, b in zip(t["pooled"], expected)), 1e-5)
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--data", required=True)
    args, rest = parser.parse_known_args()
    ATTNVIZ, DATA = os.path.abspath(args.attnviz), os.path.abspath(args.data)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
