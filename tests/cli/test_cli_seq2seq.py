#!/usr/bin/python3
"""Command-line tests of the seq2seq kind on the tiny packages (tests/data/tiny-seq2seq-<variant>): greedy
`attnviz run` traces (tokens.target, attention.cross), forced decoding with --target / --target-lines, beam
search with --beam (hypotheses best first), info, bench, warnings and exit codes. Standard library only.

  python3 tests/cli/test_cli_seq2seq.py --attnviz build/app/attnviz --data tests/data
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "models", "seq2seq"))
from text import detokenize  # noqa: E402  (the display rule the C++ ports, plain Python)

ATTNVIZ = None
DATA = None
VARIANTS = ("bahdanau", "luong-dot", "luong-general", "luong-concat", "scaled-dot", "local-p")


def attnviz(*args, **kwargs):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([ATTNVIZ, *args], capture_output=True, text=True, env=env, timeout=120, **kwargs)


def tiny(variant="bahdanau"):
    return os.path.join(DATA, f"tiny-seq2seq-{variant}")


def run_traces(testcase, *args):
    r = attnviz("run", *args, "--out", "-")
    testcase.assertEqual(r.returncode, 0, r.stderr)
    return [json.loads(line) for line in r.stdout.splitlines()]


class Seq2seqCase(unittest.TestCase):
    def assert_cross(self, cross, target_tokens, source_tokens):
        """cross is [T][S] with T, S the token counts, and every row sums to 1."""
        self.assertEqual(len(cross), len(target_tokens))
        for row in cross:
            self.assertEqual(len(row), len(source_tokens))
            self.assertAlmostEqual(sum(row), 1.0, places=5)


class Greedy(Seq2seqCase):
    def test_every_variant_translates_with_cross_attention(self):
        for variant in VARIANTS:
            with self.subTest(variant=variant):
                [t] = run_traces(self, "--model", tiny(variant), "--text", "Tom is tired.")
                self.assertEqual(t["model"], {"name": f"tiny-seq2seq-{variant}", "kind": "seq2seq", "variant": variant})
                self.assertEqual(t["tokens"]["source"], ["tom", "is", "tired", ".", "<eos>"])
                target = t["tokens"]["target"]
                self.assertEqual(target[-1], "<eos>")
                self.assertEqual(t["prediction"]["translation"], detokenize(target[:-1], "fr"))
                self.assert_cross(t["attention"]["cross"], target, t["tokens"]["source"])
                self.assertNotIn("hypotheses", t)
                self.assertNotIn("warnings", t)
                self.assertNotIn("forced", t["prediction"])

    def test_unknown_words_are_unk_and_long_inputs_truncated_with_a_warning(self):
        r = attnviz("run", "--model", tiny("local-p"), "--text", "The cat loves quantum tea!", "--text",
                    "a b c d e f g h i j k l m n", "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        first, second = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual(first["tokens"]["source"], ["the", "cat", "<unk>", "<unk>", "tea", "!", "<eos>"])
        self.assertEqual(len(second["tokens"]["source"]), 12)  # max_source_tokens, <eos> included
        self.assertIn("truncated to 12 tokens", second["warnings"][0])
        self.assertIn("warning: input truncated", r.stderr)


class Forced(Seq2seqCase):
    def test_target_is_teacher_forced(self):
        for variant in ("bahdanau", "luong-general"):
            with self.subTest(variant=variant):
                [t] = run_traces(self, "--model", tiny(variant), "--text", "Where is the cat?",
                                 "--target", "Où est le chat ?")
                self.assertEqual(t["tokens"]["target"], ["où", "est", "le", "chat", "?", "<eos>"])
                self.assertEqual(t["prediction"]["translation"], "où est le chat ?")
                self.assertIs(t["prediction"]["forced"], True)  # the target, not the model's own translation
                self.assert_cross(t["attention"]["cross"], t["tokens"]["target"], t["tokens"]["source"])

    def test_target_lines_one_per_input(self):
        with tempfile.TemporaryDirectory() as folder:
            sources = os.path.join(folder, "en.txt")
            targets = os.path.join(folder, "fr.txt")
            with open(sources, "w", encoding="utf-8") as handle:
                handle.write("I am tired.\nThe water is cold.\n")
            with open(targets, "w", encoding="utf-8") as handle:
                handle.write("Je suis fatigué.\nL'eau est froide, très froide.\n")  # "," and "très": not in the tiny vocabulary
            first, second = run_traces(self, "--model", tiny("scaled-dot"), "--lines", sources, "--target-lines", targets)
            self.assertEqual(first["tokens"]["target"], ["je", "suis", "fatigué", ".", "<eos>"])
            self.assertEqual(second["tokens"]["target"], ["l'", "eau", "est", "froide", "<unk>", "<unk>", "froide", ".", "<eos>"])
            self.assertEqual(second["prediction"]["translation"], "l'eau est froide <unk> <unk> froide.")
            for t in (first, second):
                self.assert_cross(t["attention"]["cross"], t["tokens"]["target"], t["tokens"]["source"])
            with open(targets, "w", encoding="utf-8") as handle:
                handle.write("Une seule ligne.\n")
            r = attnviz("run", "--model", tiny(), "--lines", sources, "--target-lines", targets, "--out", "-")
            self.assertEqual(r.returncode, 2, r.stderr)


class Beam(Seq2seqCase):
    def test_beam_gives_hypotheses_best_first(self):
        for variant in VARIANTS:
            with self.subTest(variant=variant):
                [t] = run_traces(self, "--model", tiny(variant), "--text", "I don't know what she wants.", "--beam", "3")
                hypotheses = t["hypotheses"]
                self.assertTrue(1 <= len(hypotheses) <= 3)
                self.assertEqual(hypotheses[0]["tokens"], t["tokens"]["target"])
                self.assertEqual(hypotheses[0]["cross"], t["attention"]["cross"])
                scores = [h["score"] for h in hypotheses]
                self.assertEqual(scores, sorted(scores, reverse=True))
                for h in hypotheses:
                    self.assertLessEqual(h["score"], 0.0)  # a mean log-probability
                    self.assert_cross(h["cross"], h["tokens"], t["tokens"]["source"])

    def test_beam_1_is_greedy(self):
        [greedy] = run_traces(self, "--model", tiny("luong-concat"), "--text", "It's cold today.")
        [beam] = run_traces(self, "--model", tiny("luong-concat"), "--text", "It's cold today.", "--beam", "1")
        self.assertEqual(beam, dict(greedy, timing_ms=beam["timing_ms"]))

    def test_beam_with_target_is_a_usage_error(self):
        r = attnviz("run", "--model", tiny(), "--text", "x", "--target", "y", "--beam", "2", "--out", "-")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertRegex(r.stderr, r"^attnviz: --beam: [^\n]+\n$")

    def test_bf16_is_a_usage_error(self):
        r = attnviz("run", "--model", tiny(), "--text", "x", "--bf16", "--out", "-")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertRegex(r.stderr, r"^attnviz: --bf16: [^\n]+transformers[^\n]+\n$")


class Errors(unittest.TestCase):
    def test_invalid_utf8_input_exit_4(self):
        with tempfile.TemporaryDirectory() as folder:
            lines = os.path.join(folder, "bad.txt")
            with open(lines, "wb") as handle:
                handle.write(b"fine\nbroken \xc3 line\n")
            r = attnviz("run", "--model", tiny(), "--lines", lines, "--out", "-")
            self.assertEqual(r.returncode, 4, r.stderr)
            self.assertIn(lines + ":2", r.stderr)

    def test_broken_package_exit_3(self):
        with tempfile.TemporaryDirectory() as folder:
            package = os.path.join(folder, "pkg")
            os.mkdir(package)
            for name in os.listdir(tiny()):
                with open(os.path.join(tiny(), name), "rb") as src, open(os.path.join(package, name), "wb") as dst:
                    dst.write(src.read())
            manifest = os.path.join(package, "attnviz.json")
            with open(manifest, encoding="utf-8") as handle:
                text = handle.read()
            with open(manifest, "w", encoding="utf-8") as handle:
                handle.write(text.replace('"attention": "bahdanau"', '"attention": "cosine"'))
            r = attnviz("run", "--model", package, "--text", "x", "--out", "-")
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertIn("attention", r.stderr)
            self.assertIn("cosine", r.stderr)


class InfoAndBench(unittest.TestCase):
    def test_info_json(self):
        r = attnviz("info", tiny("local-p"), "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        info = json.loads(r.stdout)
        self.assertEqual((info["kind"], info["name"], info["variant"]), ("seq2seq", "tiny-seq2seq-local-p", "local-p"))
        self.assertEqual(info["vocab_sizes"], {"source": 73, "target": 79})
        self.assertEqual(info["architecture"]["attention"], "local-p")

    def test_bench_json(self):
        r = attnviz("bench", "--model", tiny(), "--text", "Tom is tired.", "--runs", "5", "--threads", "1", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        result = json.loads(r.stdout)
        self.assertEqual(result["runs"], 5)
        self.assertLessEqual(result["min_ms"], result["median_ms"])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--data", required=True)
    args, rest = parser.parse_known_args()
    ATTNVIZ, DATA = os.path.abspath(args.attnviz), os.path.abspath(args.data)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
