#!/usr/bin/python3
"""Command-line tests of the vit kind on tests/data/tiny-hf-vit (random weights, Hugging Face layout): `attnviz run
--image` traces (tokens, attention.self, --rollout, --flow, --native-size, prediction), info, and clear errors for
broken images and for text given to an image model. Standard library only.

  python3 tests/cli/test_cli_vit.py --attnviz build/release/app/attnviz --data tests/data
"""
import argparse
import json
import os
import subprocess
import sys
import unittest

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
        if bf16.returncode == 2 and "cannot run oneDNN's bfloat16" in bf16.stderr:
            self.skipTest("this CPU has no bfloat16 products")
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


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--data", required=True)
    args, rest = parser.parse_known_args()
    ATTNVIZ, DATA = os.path.abspath(args.attnviz), os.path.abspath(args.data)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
