#!/usr/bin/python3
"""Command-line contract tests: `attnviz run` JSON Lines, info, bench, and every documented exit code.

  python3 tests/cli/test_cli.py --attnviz build/app/attnviz --data tests/data
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


def attnviz(*args, extra_env=None, **kwargs):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", QT_QPA_PLATFORM="offscreen", **(extra_env or {}))
    return subprocess.run([ATTNVIZ, *args], capture_output=True, text=True, env=env, timeout=120, **kwargs)


def tiny(name="tiny-encoder"):
    return os.path.join(DATA, name)


class Version(unittest.TestCase):
    def test_version(self):
        r = attnviz("--version")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^attnviz \d+\.\d+\.\d+ \(oneDNN \d+\.\d+\.\d+( \(git [0-9a-f]+\))?, Qt 6\.")
        self.assertRegex(r.stdout, r"\nCPU kernels: [a-z0-9_]+: .+; threads: \d+\n$")

    def test_help(self):
        r = attnviz("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("attnviz run --model MODEL", r.stdout)


class Run(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def write(self, name, data):
        with open(self.path(name), "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        return self.path(name)

    def test_json_lines_in_input_order_with_matrices_matching_tokens(self):
        lines = self.write("lines.txt", "the cat sat\n\n   \nit was tired .\r\n")
        whole = self.write("whole.txt", "a good movie\nbut boring")
        out = self.path("out.jsonl")
        r = attnviz("run", "--model", tiny(), "--text", "The animal was tired.", "--lines", lines,
                    "--text-file", whole, "--rollout", "max", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as handle:
            traces = [json.loads(line) for line in handle]
        self.assertEqual([t["input"] for t in traces],
                         ["The animal was tired.", "the cat sat", "it was tired .", "a good movie\nbut boring"])
        for t in traces:
            self.assertEqual(t["model"], {"name": "tiny-encoder", "kind": "encoder", "variant": "random"})
            tokens = t["tokens"]["source"]
            self.assertEqual(tokens[0], "[CLS]")
            self.assertEqual(tokens[-1], "[SEP]")
            self.assertNotIn("target", t["tokens"])
            n = len(tokens)
            self_attention = t["attention"]["self"]
            self.assertEqual(len(self_attention), 2)  # layers
            for layer in self_attention:
                self.assertEqual(len(layer), 2)  # heads
                for head in layer:
                    self.assertEqual(len(head), n)
                    for row in head:
                        self.assertEqual(len(row), n)
                        self.assertAlmostEqual(sum(row), 1.0, places=5)
            rollout = t["attention"]["rollout"]
            self.assertEqual((len(rollout), len(rollout[0])), (n, n))
            for row in rollout:
                self.assertAlmostEqual(sum(row), 1.0, places=5)
            probabilities = t["prediction"]["probabilities"]
            self.assertEqual(sorted(probabilities), ["negative", "positive"])
            self.assertAlmostEqual(sum(probabilities.values()), 1.0, places=5)
            self.assertEqual(t["prediction"]["label"], max(probabilities, key=probabilities.get))
            self.assertGreaterEqual(t["timing_ms"]["inference"], 0.0)

    def test_stdout_and_zip_package(self):
        r = attnviz("run", "--model", tiny("tiny-encoder-npz.zip"), "--text", "hello there", "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        [trace] = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual(trace["tokens"]["source"], ["[CLS]", "[UNK]", "[UNK]", "[SEP]"])
        self.assertNotIn("rollout", trace["attention"])

    def test_truncation_is_warned_not_silent(self):
        r = attnviz("run", "--model", tiny(), "--text", " ".join(["cat"] * 100), "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        trace = json.loads(r.stdout)
        self.assertEqual(len(trace["tokens"]["source"]), 24)
        self.assertIn("truncated", trace["warnings"][0])
        self.assertIn("warning: input truncated", r.stderr)

    def test_token_limit_cuts_and_says_how_to_change_it(self):
        r = attnviz("run", "--model", tiny(), "--text", " ".join(["cat"] * 100), "--max-tokens", "10", "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        trace = json.loads(r.stdout)
        self.assertEqual(len(trace["tokens"]["source"]), 10)
        self.assertIn("input truncated to 10 tokens", trace["warnings"][0])
        self.assertIn("--max-tokens", r.stderr)

    def test_model_size_limit_refuses_with_exit_3(self):
        big = self.write("big.safetensors", b"\0" * (2 << 20))  # 2 MiB of zeros, over a 1 MiB limit
        r = attnviz("run", "--model", big, "--text", "x", "--max-model-size", "1M", "--out", "-")
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("more than the limit of 1048576 bytes", r.stderr)
        self.assertIn("--max-model-size", r.stderr)
        r = attnviz("run", "--model", tiny(), "--text", "x", "--max-model-size", "1", "--out", "-")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--max-model-size", r.stderr)

    def test_usage_errors_exit_2(self):
        cases = [
            ["run", "--model", tiny(), "--text", "x"],                        # no --out
            ["run", "--model", tiny(), "--out", "-"],                         # no input
            ["run", "--text", "x", "--out", "-"],                             # no model
            ["run", "--model", tiny(), "--text", "x", "--out", "-", "--frobnicate"],
            ["run", "--model", tiny(), "--text", "x", "--out", "-", "--beam", "zero"],
            ["run", "--model", tiny(), "--text", "x", "--out", "-", "--rollout", "median"],
            ["run", "--model", tiny(), "--text", "x", "--out", "-", "--target", "y"],  # encoder takes no target
            ["run", "--model", tiny(), "--text"],                             # option without value
            ["info"],
            ["bench", "--model", tiny(), "--text", "a", "--text", "b"],
            ["bench", "--model", tiny(), "--text", "a", "--runs", "-3"],
            ["--bogus"],
        ]
        for args in cases:
            with self.subTest(args=args):
                r = attnviz(*args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertRegex(r.stderr, r"^attnviz: [^\n]+: [^\n]+\n$")

    def test_a_mistyped_command_is_named_with_the_nearest(self):
        for word, nearest in [("rnu", "run"), ("exprot", "export"), ("inf", "info"), ("algin", "align")]:
            with self.subTest(word=word):
                r = attnviz(word, "--model", tiny(), "--text", "x", "--out", "-")
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertTrue(r.stderr.startswith(f"attnviz: unknown command '{word}'; did you mean '{nearest}'?"),
                                r.stderr)
                self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
        r = attnviz("zzzzzzzz")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("unknown command 'zzzzzzzz' (commands: info, run,", r.stderr)

    def test_lines_and_text_file_from_standard_input_and_pipes(self):
        r = attnviz("run", "--model", tiny(), "--lines", "-", "--out", "-", input="the cat sat\n\nit was tired .\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([json.loads(line)["input"] for line in r.stdout.splitlines()], ["the cat sat", "it was tired ."])
        r = attnviz("run", "--model", tiny(), "--text-file", "-", "--out", "-", input="a whole\nfile\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["input"], "a whole\nfile")
        r = attnviz("run", "--model", tiny(), "--lines", "-", "--text-file", "-", "--out", "-", input="x\n")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("standard input can be read by one input option only", r.stderr)
        # A pipe, as bash's <(...) passes it: /dev/fd/N, not a regular file.
        read_end, write_end = os.pipe()
        os.write(write_end, b"one line\nanother\n")
        os.close(write_end)
        try:
            r = attnviz("run", "--model", tiny(), "--lines", f"/dev/fd/{read_end}", "--out", "-", pass_fds=(read_end,))
        finally:
            os.close(read_end)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([json.loads(line)["input"] for line in r.stdout.splitlines()], ["one line", "another"])
        r = attnviz("run", "--model", tiny(), "--lines", self.tmp.name, "--out", "-")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("is a folder, not a regular file", r.stderr)

    def test_a_pipe_past_the_text_limit_is_refused_without_reading_it_all(self):
        big = "word " * (13 * 1024 * 1024 + 1)  # 64 MiB + 5 bytes, the text limit being 64 MiB
        r = attnviz("run", "--model", tiny(), "--lines", "-", "--out", "-", input=big)
        self.assertEqual(r.returncode, 4, r.stderr[-300:])
        self.assertRegex(r.stderr, r"^attnviz: stdin: is more than 67108864 bytes; text inputs are limited to")

    def test_text_dir_and_text_file_drop_one_final_newline(self):
        folder = self.path("docs")
        os.mkdir(folder)
        for name, text in [("a.txt", "the cat sat.\n"), ("b.txt", "two lines\r\nend\r\n"), ("c.txt", "kept\n\n")]:
            with open(os.path.join(folder, name), "wb") as handle:
                handle.write(text.encode())
        r = attnviz("run", "--model", tiny(), "--text-dir", folder, "--text-file", os.path.join(folder, "a.txt"),
                    "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([json.loads(line)["input"] for line in r.stdout.splitlines()],
                         ["the cat sat.", "two lines\r\nend", "kept\n", "the cat sat."])
        self.assertIn("final newline", attnviz("--help").stdout)

    def test_unwritable_output_exit_2_and_no_file(self):
        r = attnviz("run", "--model", tiny(), "--text", "x", "--out", self.path("missing-dir/out.jsonl"))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("missing-dir/out.jsonl", r.stderr)

    def test_model_errors_exit_3(self):
        broken = os.path.join(self.tmp.name, "broken")
        os.mkdir(broken)
        self.write("broken/attnviz.json", '{"format": "attnviz-model", "format_version": 1, "kind": "encoder"')
        not_a_model = self.write("notes.txt", "hello")
        for model in [self.path("does-not-exist"), broken, not_a_model]:
            with self.subTest(model=model):
                r = attnviz("run", "--model", model, "--text", "x", "--out", "-")
                self.assertEqual(r.returncode, 3, r.stderr)
                self.assertTrue(r.stderr.startswith("attnviz: " + model), r.stderr)
                r = attnviz("info", model)
                self.assertEqual(r.returncode, 3, r.stderr)

    def test_input_errors_exit_4_and_no_partial_output(self):
        bad_utf8 = self.write("bad.txt", b"fine line\nbroken \xff line\n")
        out = self.path("out.jsonl")
        r = attnviz("run", "--model", tiny(), "--text", "first", "--lines", bad_utf8, "--out", out)
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn(bad_utf8 + ":2", r.stderr)
        self.assertIn("UTF-8", r.stderr)
        self.assertFalse(os.path.exists(out), "a failed run must not leave a half-written output")
        self.assertEqual(os.listdir(self.tmp.name), ["bad.txt"])
        for args in (["--text-file", self.path("nope.txt")], ["--lines", self.write("empty.txt", "\n \n")],
                     ["--image", self.write("x.png", b"\x89PNG")]):
            with self.subTest(args=args):
                r = attnviz("run", "--model", tiny(), *args, "--out", "-")
                self.assertEqual(r.returncode, 4, r.stderr)

    def test_full_disk_keeps_the_old_output_and_leaves_nothing(self):
        import resource
        out = self.write("out.jsonl", "yesterday's results\n")

        def full_disk():  # a 4 KB file-size limit; the app ignores SIGXFSZ and reports EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

        lines = self.write("many.txt", "\n".join(["the cat sat on the mat"] * 50))
        r = attnviz("run", "--model", tiny(), "--lines", lines, "--out", out, preexec_fn=full_disk)
        self.assertNotEqual(r.returncode, 0, r.stderr)
        self.assertIn(out, r.stderr)
        self.assertIn("cannot write the output", r.stderr)
        with open(out) as f:
            self.assertEqual(f.read(), "yesterday's results\n")
        self.assertEqual(sorted(os.listdir(self.tmp.name)), ["many.txt", "out.jsonl"])

    def test_existing_output_kept_when_a_run_fails(self):
        out = self.write("out.jsonl", "precious\n")
        r = attnviz("run", "--model", tiny(), "--text", "ok", "--text-file", self.path("nope.txt"), "--out", out)
        self.assertEqual(r.returncode, 4, r.stderr)
        with open(out, encoding="utf-8") as handle:
            self.assertEqual(handle.read(), "precious\n")
        r = attnviz("run", "--model", tiny(), "--text", "ok", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as handle:
            self.assertEqual(json.loads(handle.read())["input"], "ok")


class Info(unittest.TestCase):
    def test_info_json(self):
        r = attnviz("info", tiny(), "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        info = json.loads(r.stdout)
        self.assertEqual((info["kind"], info["name"], info["variant"]), ("encoder", "tiny-encoder", "random"))
        self.assertEqual(info["labels"], ["negative", "positive"])
        self.assertEqual(info["vocab_sizes"], {"source": 159})
        self.assertGreater(info["parameters"], 1000)
        self.assertIn("description", info["card"])

    def test_info_text(self):
        r = attnviz("info", tiny("tiny-encoder-npz.zip"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"kind\s+encoder")
        self.assertIn("zip", r.stdout)

    def test_hugging_face_checkpoint_is_recognised(self):
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "config.json"), "w") as handle:
                json.dump({"model_type": "bert", "architectures": ["BertModel"], "hidden_size": 16,
                           "num_hidden_layers": 2}, handle)
            r = attnviz("info", folder, "--json")
            self.assertEqual(r.returncode, 3, r.stderr)  # described, but it cannot run: says why, exit 3
            info = json.loads(r.stdout)
            self.assertEqual((info["kind"], info["variant"]), ("encoder", "bert"))
            self.assertIn("Hugging Face", info["format"])
            self.assertIs(info["runnable"], False)
            self.assertIn("vocab_size", info["problem"])
            self.assertEqual(r.stderr.strip(), "attnviz: " + info["problem"])
            r = attnviz("run", "--model", folder, "--text", "x", "--out", "-")
            self.assertEqual(r.returncode, 3)
            self.assertIn("config.json", r.stderr)
            self.assertIn("vocab_size", r.stderr)

    def test_coreference_head_and_links(self):
        r = attnviz("info", tiny("tiny-hf-coref"), "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["coreference_head"], [1, 0])
        r = attnviz("run", "--model", tiny("tiny-hf-coref"), "--text", "The animal was tired because it walked.",
                    "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        trace = json.loads(r.stdout)
        [link] = trace["prediction"]["coreference"]
        tokens = trace["tokens"]["source"]
        self.assertEqual(tokens[link["pronoun"]], "it")
        self.assertEqual(link["pronoun_text"], "it")
        self.assertIn(link["antecedent_text"].lower(), "the animal was tired because walked.")
        self.assertGreater(link["score"], 0)

    def test_flow_from_cls(self):
        r = attnviz("run", "--model", tiny("tiny-hf-bert"), "--text", "the animal was tired", "--flow", "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        trace = json.loads(r.stdout)
        [flow] = trace["attention"]["flow"]
        self.assertEqual(len(flow), len(trace["tokens"]["source"]))
        self.assertAlmostEqual(sum(flow), 1.0, places=5)

    def test_hugging_face_bert_runs(self):
        r = attnviz("run", "--model", tiny("tiny-hf-bert"), "--text", "The cat sat.", "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        trace = json.loads(r.stdout)
        self.assertEqual(trace["tokens"]["source"][0], "[CLS]")
        self.assertEqual(trace["tokens"]["source"][-1], "[SEP]")
        n = len(trace["tokens"]["source"])
        self.assertEqual(len(trace["attention"]["self"][0][0]), n)


class Gui(unittest.TestCase):
    def test_missing_text_file_is_reported_before_the_window_opens(self):
        r = attnviz(tiny(), "--text-file", "/nonexistent/input.txt")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("/nonexistent/input.txt", r.stderr)

    def test_window_opens_model_and_text_file(self):
        """The GUI path of the binary: model and --text-file from argv, first trace shown, window grabbed."""
        with tempfile.TemporaryDirectory() as folder:
            text = os.path.join(folder, "input.txt")
            with open(text, "w", encoding="utf-8") as handle:
                handle.write("the cat sat on the mat")
            shot = os.path.join(folder, "shot.png")
            r = attnviz(tiny(), "--text-file", text, extra_env={"ATTNVIZ_SCREENSHOT": shot})
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(shot, "rb") as handle:
                self.assertEqual(handle.read(8), b"\x89PNG\r\n\x1a\n")


class Bench(unittest.TestCase):
    def test_bench_json(self):
        r = attnviz("bench", "--model", tiny(), "--text", "the cat sat on the mat", "--runs", "5", "--threads", "1", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        result = json.loads(r.stdout)
        self.assertEqual(result["runs"], 5)
        self.assertLessEqual(result["min_ms"], result["median_ms"])
        self.assertLessEqual(result["median_ms"], result["max_ms"])

    def test_bench_text(self):
        r = attnviz("bench", "--model", tiny(), "--text", "the cat", "--runs", "3")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^median [\d.]+ ms, min [\d.]+ ms, max [\d.]+ ms over 3 runs")


class NotTheWeights(unittest.TestCase):
    """A Git LFS pointer where a checkpoint's model.safetensors should be: one line naming the file, what it is and
    the fix (git lfs pull), exit 3, for info and run alike; never the attnviz-package advice (models/export.py)."""

    def test_git_lfs_pointer_in_a_hugging_face_folder(self):
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(tiny("tiny-hf-bert"), "config.json"), "rb") as source:
                config = source.read()
            with open(os.path.join(folder, "config.json"), "wb") as handle:
                handle.write(config)
            weights = os.path.join(folder, "model.safetensors")
            with open(weights, "w") as handle:
                handle.write("version https://git-lfs.github.com/spec/v1\n"
                             "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
                             "size 27496\n")
            expected = ("attnviz: " + weights + ": is a Git LFS pointer, not the weights: fetch them with git lfs pull "
                        "(or download the file itself)\n")
            for args in (["info", folder], ["run", "--model", folder, "--text", "The cat sat.", "--out", "-"]):
                with self.subTest(command=args[0]):
                    r = attnviz(*args)
                    self.assertEqual(r.returncode, 3, r.stderr)
                    self.assertEqual(r.stderr, expected)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--data", required=True)
    args, rest = parser.parse_known_args()
    ATTNVIZ, DATA = os.path.abspath(args.attnviz), os.path.abspath(args.data)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
