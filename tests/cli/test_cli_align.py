#!/usr/bin/python3
"""`attnviz align` end to end: AER of a seq2seq model's cross-attention against WPT 2003 gold links.

Every number attnviz prints is recomputed here from what `attnviz run --target-lines` gives for the same pairs,
with the Python the model cards use (models/seq2seq/metrics.py, train.py's diagonal formula) and the tokenizer
of models/seq2seq/text.py for the word-to-token rule. Standard library only.

  python3 tests/cli/test_cli_align.py --attnviz build/app/attnviz --data tests/data \\
      --shared ../shared/data --models models
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "models", "seq2seq"))
from metrics import aer, aer_counts, read_wpt_alignments  # noqa: E402  (plain Python, no torch)
from text import tokenize  # noqa: E402

ATTNVIZ = DATA = SHARED = MODELS = None
VARIANTS = ["bahdanau", "luong-dot", "luong-general", "luong-concat", "scaled-dot", "local-p"]


def attnviz(*args):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([ATTNVIZ, *args], capture_output=True, text=True, env=env, timeout=600)


def tiny_models():
    found = [os.path.join(DATA, "tiny-seq2seq-" + v) for v in VARIANTS]
    return [m for m in found if os.path.isdir(m)]


def align_json(model, source, target, gold, method="argmax", *extra):
    r = attnviz("align", "--model", model, "--source", source, "--target", target, "--gold", gold, "--json",
                "--method", method, *extra)
    if r.returncode != 0:
        raise AssertionError(f"attnviz align exited {r.returncode}: {r.stderr}")
    return json.loads(r.stdout)


def read_words(path):
    with open(path, encoding="utf-8") as handle:
        return [line.split() for line in handle]


def expected_alignment(model, source, target, gold_path, shift=False, threshold=None):
    """Links and counts per pair from `attnviz run` traces: a source word weighs the sum of its tokens'
    attention, a target word uses its first token's row (shift: the row after it, Shift-Att), the first maximum
    wins (threshold: every source word with at least that weight); <eos> left out."""
    r = attnviz("run", "--model", model, "--lines", source, "--target-lines", target, "--out", "-")
    if r.returncode != 0:
        raise AssertionError(f"attnviz run exited {r.returncode}: {r.stderr}")
    traces = [json.loads(line) for line in r.stdout.splitlines()]
    english, french = read_words(source), read_words(target)
    gold = read_wpt_alignments(gold_path)
    pairs = []
    for n, (trace, en, fr) in enumerate(zip(traces, english, french), start=1):
        def spans(words):
            out, first = [], 0
            for w in words:
                k = len(tokenize(w))
                out.append((first, k))
                first += k
            return out
        source_spans, target_spans = spans(en), spans(fr)
        cross = trace["attention"]["cross"]
        kept = len(trace["tokens"]["source"]) - 1  # <eos> last
        links = set()
        for t, (row_index, count) in enumerate(target_spans):
            if count == 0 or row_index + shift >= len(cross):
                continue
            row = cross[row_index + shift]
            best, best_weight = None, None
            for s, (first, k) in enumerate(source_spans):
                k = max(0, min(first + k, kept) - first)
                if k == 0:
                    continue
                weight = sum(row[first:first + k])
                if threshold is not None and weight >= threshold:
                    links.add((s + 1, t + 1))
                if best is None or weight > best_weight:
                    best, best_weight = s, weight
            if best is not None and threshold is None:
                links.add((best + 1, t + 1))
        diagonal = {(min(len(en), max(1, round((j + 0.5) * len(en) / len(fr) + 0.5))), j + 1) for j in range(len(fr))}
        sure, possible = gold.get(n, (set(), set()))
        pairs.append({"links": links, "model": aer_counts(links, sure, possible),
                      "diagonal": aer_counts(diagonal, sure, possible)})
    return pairs


def counts_of(obj):
    return (obj["sure_hits"], obj["possible_hits"], obj["predicted"], obj["sure"])


class AlignTestCase(unittest.TestCase):
    def check_against_python(self, model, source, target, gold, method="argmax", shift=False, threshold=None):
        got = align_json(model, source, target, gold, method)
        want = expected_alignment(model, source, target, gold, shift, threshold)
        self.assertEqual(got["method"], method)
        self.assertEqual(got["model"]["kind"], "seq2seq")
        self.assertEqual(len(got["pairs"]), len(want))
        for p, w in zip(got["pairs"], want):
            with self.subTest(model=os.path.basename(model), pair=p["pair"]):
                self.assertEqual({tuple(link) for link in p["links"]}, w["links"])
                self.assertEqual(counts_of(p["model"]), w["model"])
                self.assertEqual(counts_of(p["diagonal"]), w["diagonal"])
                self.assertAlmostEqual(p["model"]["aer"], aer([w["model"]]), places=12)
        total = got["total"]
        self.assertEqual(counts_of(total["model"]), tuple(sum(c) for c in zip(*(w["model"] for w in want))))
        self.assertAlmostEqual(total["model"]["aer"], aer([w["model"] for w in want]), places=12)
        self.assertAlmostEqual(total["diagonal"]["aer"], aer([w["diagonal"] for w in want]), places=12)
        return got


class TinyModel(AlignTestCase):
    def setUp(self):
        self.models = tiny_models()
        self.assertTrue(self.models, f"no tests/data/tiny-seq2seq-* package in {DATA}")
        self.en, self.fr, self.wa = (os.path.join(DATA, "align", "tiny." + x) for x in ("en", "fr", "wa"))

    def test_methods_equal_python_on_run_traces(self):
        """Shift-Att (the row after each target word's first token) and the many-to-many threshold rule."""
        for method, shift, threshold in (("shift-att", True, None), ("threshold:0.3", False, 0.3),
                                          ("shift-att+threshold:0.2", True, 0.2)):
            with self.subTest(method=method):
                self.check_against_python(self.models[0], self.en, self.fr, self.wa, method, shift, threshold)

    def test_links_and_counts_equal_python_on_run_traces(self):
        for model in self.models:
            got = self.check_against_python(model, self.en, self.fr, self.wa)
            self.assertEqual([p["pair"] for p in got["pairs"]], [1, 2, 3])
            # "don't" (pair 3) is one word in the file and two tokens for the model: said in the output.
            self.assertEqual([p["split_source_words"] for p in got["pairs"]], [0, 0, 1])
            self.assertEqual(got["total"]["split_source_words"], 1)
            self.assertIn("first token", got["word_mapping"])
            for p in got["pairs"]:  # every target word gets exactly one link, inside the sentence
                self.assertEqual(sorted(t for _, t in p["links"]), list(range(1, p["target_words"] + 1)))
                self.assertTrue(all(1 <= s <= p["source_words"] for s, _ in p["links"]))
            self.assertEqual(got["total"]["model"]["sure"], 12)  # tiny.wa: 14 lines, 2 of them P

    def test_hand_checked_diagonal(self):
        got = align_json(self.models[0], self.en, self.fr, self.wa)
        # Equal lengths (4/4, 5/5, 4/5): pairs 1 and 2 are the identity, all sure -> AER 0. Pair 3, S=4, T=5:
        # round((j+0.5)*4/5+0.5) = 0.9->1, 1.7->2, 2.5->2 (half to even), 3.3->3, 4.1->4: links (1,1) (2,2)
        # (2,3) (3,4) (4,5); S = {(1,1), (3,3), (4,5)}, P adds (2,2), (2,4): |A&S| = 2, |A&P| = 3, |A| = 5,
        # |S| = 3 -> AER = 1 - 5/8 = 0.375.
        self.assertEqual(counts_of(got["pairs"][0]["diagonal"]), (4, 4, 4, 4))
        self.assertEqual(counts_of(got["pairs"][2]["diagonal"]), (2, 3, 5, 3))
        self.assertAlmostEqual(got["pairs"][2]["diagonal"]["aer"], 0.375, places=12)
        # Total: (4+5+2, 4+5+3, 4+5+5, 4+5+3) = (11, 12, 14, 12) -> 1 - 23/26
        self.assertEqual(counts_of(got["total"]["diagonal"]), (11, 12, 14, 12))
        self.assertAlmostEqual(got["total"]["diagonal"]["aer"], 1 - 23 / 26, places=12)

    def test_text_output(self):
        r = attnviz("align", "--model", self.models[0], "--source", self.en, "--target", self.fr, "--gold", self.wa)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("|A&S|", r.stdout)
        self.assertRegex(r.stdout, r"\n AER \d\.\d{4} \(diagonal baseline 0\.1154\)\n$".replace(" AER", "AER"))
        self.assertIn("split here: 1 source and 0 target words", r.stdout)
        self.assertIn("as a target word it uses its first token's row", r.stdout)

    def test_links_file_is_fast_align_format_of_the_scored_links(self):
        """--links writes, per pair, the links the JSON scores, as fast_align does: "i-j", 0-based, by target."""
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "links.txt")
            for method in ("argmax", "threshold:0.2"):
                with self.subTest(method=method):
                    got = align_json(self.models[0], self.en, self.fr, self.wa, method, "--links", path)
                    with open(path, encoding="utf-8") as handle:
                        lines = handle.read().split("\n")
                    self.assertEqual(lines[-1], "")  # one line per pair, each ended
                    self.assertEqual(len(lines) - 1, len(got["pairs"]))
                    for line, pair in zip(lines, got["pairs"]):
                        written = [tuple(int(x) for x in link.split("-")) for link in line.split()]
                        expected = sorted(((s - 1, t - 1) for s, t in pair["links"]), key=lambda l: (l[1], l[0]))
                        self.assertEqual(written, expected)
            # Without --gold: only the links, the same ones.
            unscored = os.path.join(tmp, "unscored.txt")
            r = attnviz("align", "--model", self.models[0], "--source", self.en, "--target", self.fr, "--links", unscored)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("wrote the links of 3 pairs", r.stdout)
            got = align_json(self.models[0], self.en, self.fr, self.wa)
            with open(unscored, encoding="utf-8") as handle:
                lines = handle.read().split("\n")[:-1]
            self.assertEqual(lines, [" ".join(f"{s - 1}-{t - 1}" for s, t in sorted(p["links"], key=lambda l: (l[1], l[0])))
                                     for p in got["pairs"]])

    def test_truncated_source_warns_and_links_only_kept_words(self):
        # tiny packages keep 12 source tokens (11 words + <eos>): 14 words are cut to 11.
        with tempfile.TemporaryDirectory() as tmp:
            en, fr, wa = (os.path.join(tmp, n) for n in ("long.en", "long.fr", "long.wa"))
            with open(en, "w") as h:
                h.write("Tom and Mary are here and the cat is black and the dog .\n")
            with open(fr, "w") as h:
                h.write("Tom et Mary sont ici .\n")
            with open(wa, "w") as h:
                h.write("1 1 1 S\n1 14 6 S\n")
            r = attnviz("align", "--model", self.models[0], "--source", en, "--target", fr, "--gold", wa, "--json")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("long.en:1: the model kept 11 of 14 source tokens; 3 words past the cut cannot be linked",
                          r.stderr)
            got = json.loads(r.stdout)
            self.assertTrue(all(s <= 11 for s, _ in got["pairs"][0]["links"]))
            self.assertEqual(len(got["warnings"]), 2)  # the model's truncation warning and align's

            # --max-tokens 4 cuts both sides to 3 words + <eos>: links past either cut are dropped, and said so.
            r = attnviz("align", "--model", self.models[0], "--source", en, "--target", fr, "--gold", wa, "--json",
                        "--max-tokens", "4")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("long.en:1: the model kept 3 of 14 source tokens", r.stderr)
            self.assertIn("long.fr:1: the model kept 3 of 6 target tokens; 3 words past the cut cannot be linked",
                          r.stderr)
            self.assertIn("--max-tokens", r.stderr)
            got = json.loads(r.stdout)
            self.assertTrue(all(s <= 3 and t <= 3 for s, t in got["pairs"][0]["links"]))


class Errors(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.models = tiny_models()
        self.assertTrue(self.models, f"no tests/data/tiny-seq2seq-* package in {DATA}")

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as h:
            h.write(text)
        return path

    def align(self, source="a b .\nc d .\n", target="x y .\nz w .\n", gold="1 1 1 S\n", model=None, extra=()):
        return attnviz("align", "--model", model or self.models[0], "--source", self.write("s.en", source),
                       "--target", self.write("t.fr", target), "--gold", self.write("g.wa", gold), *extra)

    def assert_error(self, r, code, text):
        self.assertEqual(r.returncode, code, r.stdout + r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        self.assertTrue(r.stderr.startswith("attnviz: "), r.stderr)
        self.assertIn(text, r.stderr)

    def test_line_count_mismatch_is_an_input_error(self):
        self.assert_error(self.align(target="x y .\n"), 4, "t.fr: has 1 lines, the source")

    def test_missing_files(self):
        for option in ("--source", "--target", "--gold"):
            args = {"--source": self.write("s.en", "a .\n"), "--target": self.write("t.fr", "b .\n"),
                    "--gold": self.write("g.wa", "1 1 1 S\n")}
            args[option] = os.path.join(self.tmp.name, "missing.txt")
            r = attnviz("align", "--model", self.models[0], *[x for kv in args.items() for x in kv])
            self.assert_error(r, 4, "missing.txt: no such file")

    def test_malformed_gold_names_file_and_line(self):
        self.assert_error(self.align(gold="1 1 1 S\n1 x 2 S\n"), 4, "g.wa:2: source \"x\" is not a whole number")
        self.assert_error(self.align(gold="1 0 2 S\n"), 4, "g.wa:1: source position 0 is the NULL word")
        self.assert_error(self.align(gold="1 1 1 Q\n"), 4, "g.wa:1: label \"Q\"")
        self.assert_error(self.align(gold="1 99999999999 1\n"), 4, "g.wa:1: source \"99999999999\" is too large")

    def test_gold_outside_the_sentences(self):
        self.assert_error(self.align(gold="3 1 1 S\n"), 4, "g.wa: sentence 3: has links, but the sentence files have only 2")
        self.assert_error(self.align(gold="2 4 1 S\n"), 4, "g.wa: sentence 2: gold link 4 1 is outside the sentence pair")

    def test_blank_line_names_the_line(self):
        self.assert_error(self.align(source="a b .\n\nc d .\n", target="x .\ny .\nz .\n"), 4, "s.en:2: has no words")

    def test_layer_and_method_misuse(self):
        self.assert_error(self.align(model=self.models[0], extra=["--method", "max"]), 2, "unknown alignment method")
        self.assert_error(self.align(model=self.models[0], extra=["--layer", "1"]), 2, "one cross-attention map")
        aligner = os.path.join(MODELS, "aligner-hansards-ibm1-fastalign")
        self.assert_error(self.align(model=aligner, extra=["--method", "shift-att"]), 2, "no decoder steps")

    def test_model_problems(self):
        self.assert_error(self.align(model=os.path.join(DATA, "tiny-encoder")), 2, "align needs a seq2seq or aligner model")
        self.assert_error(self.align(model=os.path.join(self.tmp.name, "no-model")), 3, "no-model")

    def test_usage(self):
        r = attnviz("align", "--model", self.models[0], "--source", "a")
        self.assert_error(r, 2, "attnviz: align: needs --target FILE")
        r = attnviz("align", "--model", self.models[0], "--source", "a", "--target", "b")
        self.assert_error(r, 2, "needs --gold FILE (WPT 2003 gold links, to score) or --links FILE")
        r = attnviz("align", "--model", self.models[0], "--source", "a", "--target", "b", "--links", "c", "--per-head")
        self.assert_error(r, 2, "--per-head: scores every layer and head: it needs --gold FILE")


class Hansards(AlignTestCase):
    """The WPT 2003 trial set from ../shared/data (CI has it beside the repository)."""

    def setUp(self):
        self.dir = os.path.join(SHARED, "hansards-wpt03-en-fr")
        self.assertTrue(os.path.isfile(os.path.join(self.dir, "dev.wa.nonullalign")),
                        f"the Hansards trial set is missing: expected {self.dir} (../shared/data beside the repository, "
                        "see its README.md)")
        self.files = [os.path.join(self.dir, n) for n in ("dev.e", "dev.f", "dev.wa.nonullalign")]

    def test_tiny_model_equals_python_on_the_trial_set(self):
        models = tiny_models()
        self.assertTrue(models, f"no tests/data/tiny-seq2seq-* package in {DATA}")
        got = self.check_against_python(models[0], *self.files)
        self.assertEqual(got["total"]["pairs"], 37)
        self.assertEqual(counts_of(got["total"]["diagonal"]), (113, 319, 721, 338))
        self.assertEqual(got["total"]["diagonal"]["aer"], 0.5920679886685553)  # train.py's formula, metrics.aer
        # 250,000 and 35,000 (both sides), Mr. (3x), M., aujourd' (2x): split by the model's tokenizer.
        self.assertEqual((got["total"]["split_source_words"], got["total"]["split_target_words"]), (5, 5))

    def test_trained_models_match_their_cards(self):
        """Each trained models/seq2seq-<variant>/ against the Hansards numbers of its own model card.

        The diagonal baseline must equal the card's. The model's AER is recomputed exactly from `attnviz run`
        traces (check_against_python); against the card it is exact (4 places, the card's rounding) once the
        card's aer_method maps words to tokens as attnviz does (it then says "first token"). Cards written by a
        train.py that looks the files' words up in the vocabulary as they are ("I", "Bill", "250,000" become
        <unk>, "aujourd'" stays whole) describe slightly different model inputs: within MAX_CARD_GAP then."""
        packages = sorted(glob.glob(os.path.join(MODELS, "seq2seq-*", "attnviz.json")))
        if not packages:
            self.skipTest(f"no trained models/seq2seq-* package in {MODELS}")
        for manifest in packages:
            with open(manifest, encoding="utf-8") as h:
                metrics = json.load(h).get("card", {}).get("metrics", {})
            model = os.path.dirname(manifest)
            with self.subTest(model=os.path.basename(model)):
                self.assertIn("hansards_aer", metrics, f"{manifest}: no card.metrics.hansards_aer")
                got = self.check_against_python(model, *self.files)
                total = got["total"]
                self.assertEqual(round(total["diagonal"]["aer"], 4), metrics["hansards_diagonal_aer"])
                gap = total["model"]["aer"] - metrics["hansards_aer"]
                print(f"\n  {os.path.basename(model)}: attnviz align AER {total['model']['aer']:.4f}, card "
                      f"{metrics['hansards_aer']:.4f} (difference {gap:+.4f})", file=sys.stderr)
                if "first token" in metrics.get("aer_method", ""):
                    self.assertEqual(round(total["model"]["aer"], 4), metrics["hansards_aer"])
                else:
                    self.assertLess(abs(gap), MAX_CARD_GAP)


    def test_trained_models_match_their_trial_aer_tables(self):
        """Each trained models/seq2seq-*/ whose card has metrics.trial_aer (measure_alignment.py wrote it from attnviz
        align; Hugging Face folders keep the card in config.json) against it: every method, for transformers on the
        mean of all heads and on the head the card names. Exact to the card's 4 places."""
        cards = {}
        for path in glob.glob(os.path.join(MODELS, "seq2seq-*", "attnviz.json")):
            with open(path, encoding="utf-8") as h:
                cards[os.path.dirname(path)] = json.load(h)["card"]
        for path in glob.glob(os.path.join(MODELS, "seq2seq-*", "config.json")):
            with open(path, encoding="utf-8") as h:
                cards[os.path.dirname(path)] = json.load(h)["attnviz_card"]
        measured = {folder: card["metrics"]["trial_aer"] for folder, card in sorted(cards.items())
                    if "trial_aer" in card.get("metrics", {})}
        if not measured:
            self.skipTest(f"no trained models/seq2seq-* model with metrics.trial_aer in {MODELS}")
        for folder, trial in measured.items():
            by_map = trial["by_method"]
            if not isinstance(next(iter(by_map.values())), dict):  # one map (RNN): {method: aer}
                by_map = {"": by_map}
            for map_name, scores in by_map.items():
                extra = []
                if map_name.startswith("layer "):  # "layer L [head H] (0-based)"
                    words = map_name.split()
                    extra = ["--layer", words[1]] + (["--head", words[3]] if words[2] == "head" else [])
                for method, card_aer in scores.items():
                    with self.subTest(model=os.path.basename(folder), map=map_name, method=method):
                        r = attnviz("align", "--model", folder, "--source", self.files[0], "--target", self.files[1],
                                    "--gold", self.files[2], "--method", method, "--json", *extra)
                        self.assertEqual(r.returncode, 0, r.stderr)
                        got = json.loads(r.stdout)["total"]
                        self.assertEqual(round(got["model"]["aer"], 4), card_aer)
                        self.assertEqual(round(got["diagonal"]["aer"], 4), trial["diagonal"])


MAX_CARD_GAP = 0.05  # cards whose AER saw the files' words untokenized (see the test's docstring)


def main():
    global ATTNVIZ, DATA, SHARED, MODELS
    parser = argparse.ArgumentParser()
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--data", required=True, help="tests/data")
    parser.add_argument("--shared", required=True, help="../shared/data beside the repository")
    parser.add_argument("--models", required=True, help="the repository's models/ folder")
    args, rest = parser.parse_known_args()
    ATTNVIZ, DATA, SHARED, MODELS = (os.path.abspath(p) for p in (args.attnviz, args.data, args.shared, args.models))
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
