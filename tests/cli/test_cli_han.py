#!/usr/bin/python3
"""Command-line tests of the han kind on tests/data/tiny-han (hand-made weights, see make_tiny_han.py):
`attnviz run` traces (tokens.sentences, attention.word / .sentence, prediction), --occlusion (occlusion.word,
occlusion.sentence, kendall_tau), --sentences, scoring a folder with --text-dir, info, and exit codes.
Standard library only.

  python3 tests/cli/test_cli_han.py --attnviz build/release/app/attnviz --data tests/data
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import unittest

ATTNVIZ = None
DATA = None


def attnviz(*args, **kwargs):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([ATTNVIZ, *args], capture_output=True, text=True, env=env, timeout=120, **kwargs)


def tiny():
    return os.path.join(DATA, "tiny-han")


def run_traces(testcase, *args):
    r = attnviz("run", "--model", tiny(), *args, "--out", "-")
    testcase.assertEqual(r.returncode, 0, r.stderr)
    return [json.loads(line) for line in r.stdout.splitlines()]


class Run(unittest.TestCase):
    def test_trace_has_sentences_word_and_sentence_attention(self):
        [t] = run_traces(self, "--text", "The movie was good. The plot was bad!\n\nGood.")
        self.assertEqual(t["model"]["kind"], "han")
        self.assertEqual(t["tokens"]["sentences"],
                         [["the", "movie", "was", "good", "."], ["the", "plot", "was", "bad", "!"], ["good", "."]])
        self.assertEqual(t["tokens"]["source"], [w for s in t["tokens"]["sentences"] for w in s])
        words = t["attention"]["word"]
        self.assertEqual([len(w) for w in words], [5, 5, 2])
        for row in words:
            self.assertAlmostEqual(sum(row), 1.0, places=5)
        self.assertAlmostEqual(sum(t["attention"]["sentence"]), 1.0, places=5)
        self.assertEqual(list(t["prediction"]["probabilities"]), ["negative", "positive"])
        self.assertEqual(t["prediction"]["label"], "positive")
        self.assertNotIn("occlusion", t)

    def test_sentence_modes(self):
        text = "the movie was good . the plot was bad .\ngood ."
        [auto, lines, split] = [run_traces(self, "--text", text, "--sentences", m)[0] for m in ("auto", "lines", "split")]
        self.assertEqual(len(lines["tokens"]["sentences"]), 2)
        self.assertEqual(len(split["tokens"]["sentences"]), 1)  # lowercase after "." does not start a sentence
        self.assertEqual(auto["tokens"]["sentences"], lines["tokens"]["sentences"])

    def test_occlusion_and_kendall_tau(self):
        [t] = run_traces(self, "--occlusion", "--text", "the good movie .\nthe plot was bad\ngood")
        o = t["occlusion"]
        self.assertEqual(o["label"], t["prediction"]["label"])
        self.assertEqual([len(r) for r in o["word"]], [len(s) for s in t["tokens"]["sentences"]])
        self.assertEqual(len(o["sentence"]), 3)
        best = max((v, w) for row, s in zip(o["word"], t["tokens"]["sentences"]) for v, w in zip(row, s))
        self.assertEqual(best[1], "good")
        self.assertIsInstance(t["kendall_tau"]["word"], float)
        self.assertTrue(-1.0 <= t["kendall_tau"]["word"] <= 1.0)
        self.assertIsNone(t["kendall_tau"]["sentence"])  # uniform sentence attention: undefined, written as null

    def test_a_folder_of_documents(self):
        with tempfile.TemporaryDirectory() as folder:
            for name, text in (("b.txt", "bad movie ."), ("a.txt", "good movie ."), ("notes.md", "ignored")):
                with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
                    handle.write(text)
            out = os.path.join(folder, "scores.jsonl")
            r = attnviz("run", "--model", tiny(), "--text-dir", folder, "--occlusion", "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(out, encoding="utf-8") as handle:
                traces = [json.loads(line) for line in handle]
            self.assertEqual([t["prediction"]["label"] for t in traces], ["positive", "negative"])  # a.txt, b.txt
            self.assertTrue(all("occlusion" in t for t in traces))

    def test_info(self):
        r = attnviz("info", tiny(), "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        info = json.loads(r.stdout)
        self.assertEqual(info["kind"], "han")
        self.assertEqual(info["labels"], ["negative", "positive"])


class Errors(unittest.TestCase):
    def test_exit_codes(self):
        cases = [
            (("run", "--model", tiny(), "--text", " \n ", "--out", "-"), 4, "no words"),
            (("run", "--model", tiny(), "--text", "x", "--sentences", "paragraphs", "--out", "-"), 2, "--sentences"),
            (("run", "--model", tiny(), "--text", "x", "--beam", "3", "--out", "-"), 2, "--beam"),
            (("run", "--model", tiny(), "--text", "x", "--bf16", "--out", "-"), 2, "--bf16"),
            (("run", "--model", tiny(), "--text-dir", "/nonexistent-folder", "--out", "-"), 4, "no such folder"),
            (("run", "--model", os.path.join(DATA, "tiny-encoder"), "--text", "x", "--occlusion", "--out", "-"), 2,
             "--occlusion"),
        ]
        for args, code, message in cases:
            with self.subTest(args=args):
                r = attnviz(*args)
                self.assertEqual(r.returncode, code, r.stderr)
                self.assertIn(message, r.stderr)

    def test_empty_folder(self):
        with tempfile.TemporaryDirectory() as folder:
            r = attnviz("run", "--model", tiny(), "--text-dir", folder, "--out", "-")
            self.assertEqual(r.returncode, 4)
            self.assertIn("no .txt files", r.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--data", required=True)
    args, rest = parser.parse_known_args()
    ATTNVIZ, DATA = os.path.abspath(args.attnviz), os.path.abspath(args.data)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
