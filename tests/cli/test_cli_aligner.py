#!/usr/bin/python3
"""`attnviz train-aligner` end to end, and the aligner package it writes run by `attnviz run` and `attnviz align`:
the toy corpus (tests/data/aligner/toy.{en,fr}) trained by the CLI gives the posteriors of the numpy reference
(tests/data/aligner/toy_expected.json, written by models/aligner/reference.py) as cross-attention; bad inputs give
one stderr line and the documented exit code. Standard library only.

  python3 tests/cli/test_cli_aligner.py --attnviz build/release/app/attnviz --data tests/data \\
      --shared ../shared/data --models models
"""
import argparse
import json
import lzma
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "models", "seq2seq"))
from pair_filter import read_pairs  # noqa: E402  (standard library; hansards.py's filter)

ATTNVIZ = DATA = SHARED = MODELS = None


def attnviz(*args):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([ATTNVIZ, *args], capture_output=True, text=True, env=env, timeout=300)


class TrainAligner(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="attnviz-cli-aligner-")
        cls.en, cls.fr = os.path.join(DATA, "aligner", "toy.en"), os.path.join(DATA, "aligner", "toy.fr")
        cls.package = os.path.join(cls.tmp, "toy-aligner")
        cls.train = attnviz("train-aligner", "--source", cls.en, "--target", cls.fr, "--out", cls.package,
                            "--prune", "0", "--training-data", "toy corpus")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_trains_with_progress_and_a_card(self):
        self.assertEqual(self.train.returncode, 0, self.train.stderr)
        self.assertIn("297 kept", self.train.stderr)
        self.assertIn("diagonal iteration 5", self.train.stderr)
        with open(os.path.join(self.package, "attnviz.json"), encoding="utf-8") as handle:
            manifest = json.load(handle)
        self.assertEqual(manifest["kind"], "aligner")
        self.assertEqual(manifest["card"]["training_data"], "toy corpus")
        self.assertEqual(manifest["card"]["corpus"]["pairs_kept"], 297)
        self.assertEqual(len(manifest["card"]["iterations"]), 10)
        self.assertFalse([f for f in os.listdir(self.tmp) if "partial" in f], "a temporary folder was left behind")

    def test_the_package_is_the_same_whatever_the_thread_count(self):
        self.assertEqual(self.train.returncode, 0, self.train.stderr)
        out = os.path.join(self.tmp, "two-threads")
        env = dict(os.environ, OMP_NUM_THREADS="2")
        r = subprocess.run([ATTNVIZ, "train-aligner", "--source", self.en, "--target", self.fr, "--out", out, "--prune", "0",
                            "--training-data", "toy corpus"], capture_output=True, text=True, env=env, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        for name in ("ttable.safetensors", "source_vocab.txt", "target_vocab.txt"):
            with open(os.path.join(self.package, name), "rb") as a, open(os.path.join(out, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)

    def test_run_gives_the_reference_posteriors(self):
        self.assertEqual(self.train.returncode, 0, self.train.stderr)
        with open(self.en, encoding="utf-8") as e, open(self.fr, encoding="utf-8") as f:
            pairs, _ = read_pairs(e, f)
        with open(os.path.join(DATA, "aligner", "toy_expected.json"), encoding="utf-8") as handle:
            posteriors = json.load(handle)["posteriors"]
        lines = os.path.join(self.tmp, "pairs")
        for k in range(5):  # the first kept pairs, as token lines (the tokenizer gives them back unchanged)
            with open(lines + ".en", "a", encoding="utf-8") as e, open(lines + ".fr", "a", encoding="utf-8") as f:
                e.write(" ".join(pairs[k][0]) + "\n")
                f.write(" ".join(pairs[k][1]) + "\n")
        r = attnviz("run", "--model", self.package, "--lines", lines + ".en", "--target-lines", lines + ".fr", "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        worst = 0.0
        for k, line in enumerate(r.stdout.splitlines()):
            trace = json.loads(line)
            self.assertEqual(trace["tokens"]["source"], pairs[k][0] + ["<eos>"])
            cross = trace["attention"]["cross"]
            q = posteriors[k]
            m = len(pairs[k][0])
            for j, row in enumerate(q):
                got = cross[j][:m] + [cross[j][m]]
                want = list(row[1:]) + [row[0]]  # the <eos> column holds NULL's share
                worst = max(worst, max(abs(a - b) for a, b in zip(got, want)))
            self.assertEqual(cross[-1], [0.0] * m + [1.0])
        self.assertLess(worst, 1e-4)

    def test_align_scores_the_aligner(self):
        self.assertEqual(self.train.returncode, 0, self.train.stderr)
        r = attnviz("align", "--model", self.package, "--source", os.path.join(DATA, "aligner", "gold.en"),
                    "--target", os.path.join(DATA, "aligner", "gold.fr"), "--gold", os.path.join(DATA, "aligner", "gold.wa"),
                    "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        total = json.loads(r.stdout)["total"]
        self.assertEqual(total["model"]["aer"], 0.0)  # the toy corpus's own word order: every link found

    def test_the_shipped_aligner_scores_its_cards_trial_aer(self):
        package = os.path.join(MODELS, "aligner-hansards-ibm1-fastalign")
        trial = os.path.join(SHARED, "hansards-wpt03-en-fr")
        self.assertTrue(os.path.isdir(trial), f"{trial} is missing: the trial set is part of the shared data")
        with open(os.path.join(package, "attnviz.json"), encoding="utf-8") as handle:
            card = json.load(handle)["card"]
        r = attnviz("align", "--model", package, "--source", os.path.join(trial, "dev.e"), "--target",
                    os.path.join(trial, "dev.f"), "--gold", os.path.join(trial, "dev.wa.nonullalign"), "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        total = json.loads(r.stdout)["total"]
        self.assertAlmostEqual(total["model"]["aer"], card["metrics"]["trial_aer"], places=4)
        self.assertAlmostEqual(total["diagonal"]["aer"], card["metrics"]["trial_aer_diagonal"], places=4)

    def test_refusals_are_one_line_with_their_exit_code(self):
        r = attnviz("run", "--model", os.path.join(DATA, "tiny-aligner"), "--text", "the cat", "--out", "-")
        self.assertEqual((r.returncode, r.stderr.count("\n")), (2, 1), r.stderr)
        self.assertIn("--target", r.stderr)
        existing = attnviz("train-aligner", "--source", self.en, "--target", self.fr, "--out", self.tmp)
        self.assertEqual(existing.returncode, 2, existing.stderr)
        self.assertIn("exists already", existing.stderr)
        xz = os.path.join(self.tmp, "toy.en.xz")
        with open(self.en, "rb") as plain, lzma.open(xz, "wb") as packed:
            packed.write(plain.read())
        r = attnviz("train-aligner", "--source", xz, "--target", self.fr, "--out", os.path.join(self.tmp, "x"))
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("xz -dk", r.stderr)
        short = os.path.join(self.tmp, "short.fr")
        with open(short, "w", encoding="utf-8") as handle:
            handle.write("le chat .\n")
        r = attnviz("train-aligner", "--source", self.en, "--target", short, "--out", os.path.join(self.tmp, "y"))
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("ends at line 1", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "y")))
        r = attnviz("train-aligner", "--source", self.en, "--target", self.fr)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--out", r.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--shared", required=True, help="the shared data folder (hansards-wpt03-en-fr)")
    parser.add_argument("--models", required=True)
    args, rest = parser.parse_known_args()
    ATTNVIZ, DATA = os.path.abspath(args.attnviz), os.path.abspath(args.data)
    SHARED, MODELS = os.path.abspath(args.shared), os.path.abspath(args.models)
    unittest.main(argv=[sys.argv[0]] + rest)
