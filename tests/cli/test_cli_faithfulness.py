#!/usr/bin/python3
"""Command-line tests of faithfulness (engine/analysis/faithfulness.h; its numbers are held to the numpy reference by
tests/golden/test_faithfulness_golden.cpp): `attnviz run --faithfulness` writes "faithfulness" with the maps it ranks
by; `attnviz faithfulness` prints a table whose means are the means of those per-input results (recomputed here from
`run`), as text and JSON; bad methods, --removal alone, a kind without attention blocks and deletion on the
coreference pointer are refused with exit 2 and a message naming the option. Standard library only.

  python3 tests/cli/test_cli_faithfulness.py --attnviz build/release/app/attnviz --data tests/data --models models
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

ATTNVIZ = DATA = MODELS = None
LINES = ["the animal didn't cross the street because it was too tired .",
         "the quick animal was quiet , it didn't walk .",
         "it was too wide ! the street was quiet and the animal tired .",
         "walk"]  # one token between [CLS] and [SEP]: no AOPC (floor(50% of 1) = 0) and no tau (one unit)


def attnviz(*args):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([ATTNVIZ, *args], capture_output=True, text=True, env=env, timeout=240)


def tiny(name):
    return os.path.join(DATA, name)


class Run(unittest.TestCase):
    def test_trace_has_faithfulness_and_the_maps_it_ranks_by(self):
        r = attnviz("run", "--model", tiny("tiny-hf-bert"), "--text", LINES[0], "--faithfulness", "alti,attention",
                    "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        trace = json.loads(r.stdout)
        f = trace["faithfulness"]
        self.assertEqual(f["removal"], "mask")
        self.assertEqual(f["mask_token"], "[MASK]")
        self.assertEqual(f["row"], 0)
        units = len(trace["tokens"]["source"]) - 2
        self.assertEqual(f["units"], list(range(1, units + 1)))
        self.assertEqual(len(f["leave_one_out"]), units)
        self.assertEqual(list(f["methods"]), ["attention", "alti"])  # the table's order, not the command line's
        for m in f["methods"].values():
            self.assertEqual(len(m["scores"]), units)
            self.assertEqual(m["fractions"], [0.1, 0.2, 0.3, 0.4, 0.5])
            self.assertEqual(len(m["comprehensiveness"]), 5)
            self.assertAlmostEqual(m["aopc_comprehensiveness"], sum(m["comprehensiveness"]) / 5, places=6)
            self.assertTrue(-1 <= m["kendall_tau"] <= 1)
        self.assertIn("alti_rollout", trace["attention"])  # computed for the ranking, and written
        # The ALTI ranking is the [CLS] row of the rollout written beside it.
        row = trace["attention"]["alti_rollout"][0][1:-1]
        for got, want in zip(f["methods"]["alti"]["scores"], row):
            self.assertAlmostEqual(got, want, places=6)

    def test_removal_alone_and_bad_methods_are_usage_errors(self):
        r = attnviz("run", "--model", tiny("tiny-hf-bert"), "--text", "it", "--removal", "delete", "--out", "-")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--removal", r.stderr)
        self.assertIn("--faithfulness", r.stderr)
        r = attnviz("run", "--model", tiny("tiny-hf-bert"), "--text", "it", "--faithfulness", "alti,lime", "--out", "-")
        self.assertEqual(r.returncode, 2)
        self.assertIn('no method "lime"', r.stderr)
        r = attnviz("run", "--model", tiny("tiny-hf-bert"), "--text", "it", "--faithfulness", "alti",
                    "--removal", "drop", "--out", "-")
        self.assertEqual(r.returncode, 2)
        self.assertIn("mask", r.stderr)

    def test_kinds_without_attention_blocks_are_refused(self):
        r = attnviz("run", "--model", tiny("tiny-han"), "--text", "a good film .", "--faithfulness", "attention",
                    "--out", "-")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--faithfulness", r.stderr)

    def test_deleting_is_refused_for_the_coreference_pointer(self):
        r = attnviz("run", "--model", os.path.join(MODELS, "coref-bert"), "--text", LINES[0], "--faithfulness",
                    "attention", "--removal", "delete", "--out", "-")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--removal mask", r.stderr)

    def test_vit_patches_deleted(self):
        r = attnviz("run", "--model", tiny("tiny-hf-vit"), "--image", os.path.join(DATA, "tiny-hf-vit-golden", "rgb-32x32.png"),
                    "--faithfulness", "rollout,value-norm", "--removal", "delete", "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        f = json.loads(r.stdout)["faithfulness"]
        self.assertEqual(f["removal"], "delete")
        self.assertNotIn("mask_token", f)
        self.assertEqual(len(f["leave_one_out"]), 16)  # every patch of a 32x32 image in 8x8 patches


class Table(unittest.TestCase):
    def setUp(self):
        handle, self.lines = tempfile.mkstemp(suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write("\n".join(LINES) + "\n")

    def tearDown(self):
        os.remove(self.lines)

    def per_input(self):
        r = attnviz("run", "--model", tiny("tiny-hf-bert"), "--lines", self.lines, "--faithfulness", "attention,alti",
                    "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        return [json.loads(line)["faithfulness"] for line in r.stdout.splitlines()]

    def test_json_means_are_the_means_of_the_runs(self):
        r = attnviz("faithfulness", "--model", tiny("tiny-hf-bert"), "--lines", self.lines, "--methods", "attention,alti",
                    "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        table = json.loads(r.stdout)
        self.assertEqual(table["inputs"], 4)
        self.assertEqual(table["scored_inputs"], 4)
        self.assertEqual(table["mask_token"], "[MASK]")
        runs = self.per_input()
        for method in ("attention", "alti"):
            got = table["methods"][method]
            comp = [f["methods"][method]["aopc_comprehensiveness"] for f in runs]
            comp = [c for c in comp if c is not None]  # null: NaN, too few tokens
            taus = [f["methods"][method]["kendall_tau"] for f in runs if f["methods"][method]["kendall_tau"] is not None]
            self.assertEqual(got["inputs_aopc"], 3)  # "walk" has neither
            self.assertEqual(got["inputs_tau"], 3)
            self.assertEqual(got["inputs_tau"], len(taus))
            self.assertAlmostEqual(got["aopc_comprehensiveness"], sum(comp) / len(comp), places=9)
            self.assertAlmostEqual(got["kendall_tau"], sum(taus) / len(taus), places=9)

    def test_text_table(self):
        r = attnviz("faithfulness", "--model", tiny("tiny-hf-bert"), "--lines", self.lines, "--methods", "alti,attention",
                    "--removal", "delete")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertIn("4 of 4 inputs scored", lines[0])
        self.assertIn("delete", lines[0])
        self.assertTrue(lines[3].startswith("attention"), lines)
        self.assertTrue(lines[4].startswith("alti"), lines)
        self.assertTrue(lines[4].rstrip().endswith("3, 3"), lines[4])

    def test_command_errors(self):
        r = attnviz("faithfulness", "--model", tiny("tiny-hf-bert"), "--lines", self.lines)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--methods", r.stderr)
        r = attnviz("faithfulness", "--lines", self.lines, "--methods", "alti")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--model", r.stderr)
        r = attnviz("faithfulness", "--model", tiny("tiny-hf-bert"), "--methods", "alti")
        self.assertEqual(r.returncode, 2)
        self.assertIn("input", r.stderr)


def main():
    global ATTNVIZ, DATA, MODELS
    parser = argparse.ArgumentParser()
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--models", required=True)
    args, rest = parser.parse_known_args()
    ATTNVIZ, DATA, MODELS = (os.path.abspath(p) for p in (args.attnviz, args.data, args.models))
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
