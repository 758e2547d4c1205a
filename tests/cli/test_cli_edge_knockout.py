#!/usr/bin/python3
"""Command-line tests of attention-edge knockout (engine/analysis/edge_knockout.h; its numbers are held to the numpy
reference by tests/golden/test_edge_knockout_golden.cpp): `attnviz run --edge-knockout FROM:TO[:WINDOW]` writes
"edge_knockout" with one drop per layer, the same whether the window is given as 1 or left out; a malformed request,
a position outside the input and a kind without attention blocks are refused with exit 2 and a message naming
--edge-knockout. Standard library only.

  python3 tests/cli/test_cli_edge_knockout.py --attnviz build/release/app/attnviz --data tests/data
"""
import argparse
import json
import os
import subprocess
import sys
import unittest

ATTNVIZ = DATA = None
TEXT = "the animal didn't cross the street because it was too tired ."


def attnviz(*args):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([ATTNVIZ, *args], capture_output=True, text=True, env=env, timeout=240)


def tiny(name):
    return os.path.join(DATA, name)


class EdgeKnockout(unittest.TestCase):
    def run_trace(self, spec):
        r = attnviz("run", "--model", tiny("tiny-hf-coref"), "--text", TEXT, "--edge-knockout", spec, "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_trace_has_one_drop_per_layer(self):
        trace = self.run_trace("10:2,1:2")
        k = trace["edge_knockout"]
        self.assertEqual(k["from"], [10])
        self.assertEqual(k["to"], [1, 2])  # sorted
        self.assertEqual(k["window"], 2)
        self.assertTrue(k["scored"].startswith("p("), k["scored"])
        layers = len(trace["attention"]["self"])
        self.assertEqual(len(k["drop"]), layers)
        for d in k["drop"]:
            self.assertTrue(-1 <= d <= 1)
        self.assertEqual(self.run_trace("10:1,2")["edge_knockout"]["window"], 1)
        self.assertEqual(self.run_trace("10:1,2")["edge_knockout"]["drop"],
                         self.run_trace("10:1,2:1")["edge_knockout"]["drop"])

    def test_bad_requests_are_usage_errors(self):
        for spec in ["10", "10:", "a:1", "10:1:0", "10:1:2:3", "10:99"]:
            r = attnviz("run", "--model", tiny("tiny-hf-coref"), "--text", TEXT, "--edge-knockout", spec, "--out", "-")
            self.assertEqual(r.returncode, 2, spec + ": " + r.stderr)
            self.assertIn("--edge-knockout", r.stderr, spec)

    def test_kinds_without_attention_blocks_are_refused(self):
        r = attnviz("run", "--model", tiny("tiny-seq2seq-bahdanau"), "--text", "Tom is tired.", "--edge-knockout", "0:1",
                    "--out", "-")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--edge-knockout", r.stderr)


def main():
    global ATTNVIZ, DATA
    parser = argparse.ArgumentParser()
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--data", required=True)
    args, rest = parser.parse_known_args()
    ATTNVIZ, DATA = (os.path.abspath(p) for p in (args.attnviz, args.data))
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
