#!/usr/bin/python3
"""Command-line tests of --bf16 on both kinds of CPU: `attnviz --version` and `info` say whether bfloat16 runs here
(and why not), and agree; where it cannot, run, bench and export --bf16 on a transformer fail with one line naming the
missing feature and exit 5 (a han or seq2seq model with --bf16 stays a usage error, 2); where it can, they run. The
exit codes of --help, README's "Command line" and its Reliability section are the same. ctest runs this twice: as is,
and under ONEDNN_MAX_CPU_ISA=AVX2 (a CPU without AVX-512 as oneDNN sees it). Standard library only.

  python3 tests/cli/test_cli_bf16.py --attnviz build/release/app/attnviz --data tests/data --readme README.md
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

ATTNVIZ = None
DATA = None
README = None


def attnviz(*args):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([ATTNVIZ, *args], capture_output=True, text=True, env=env, timeout=120)


def data(name):
    return os.path.join(DATA, name)


def cpu():
    r = attnviz("info", data("tiny-hf-bert"), "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["cpu"]


def capped_at_avx2():
    value = os.environ.get("ONEDNN_MAX_CPU_ISA") or os.environ.get("DNNL_MAX_CPU_ISA") or ""
    return value.upper() == "AVX2"


class Capability(unittest.TestCase):
    def test_version_and_info_agree(self):
        c = cpu()
        r = attnviz("--version")
        self.assertEqual(r.returncode, 0, r.stderr)
        [line] = [l for l in r.stdout.splitlines() if l.startswith("bfloat16 (--bf16): ")]
        print(f"\n{r.stdout.strip()}", file=sys.stderr)
        if c["bf16"]:
            self.assertRegex(line, r"^bfloat16 \(--bf16\): yes, ")
            self.assertIn(c["bf16_kernel"], line)
        else:
            self.assertEqual(line, "bfloat16 (--bf16): no: " + c["bf16_reason"])
            self.assertIn(c["bf16_missing"], c["bf16_reason"])
        self.assertIn(f"CPU kernels: {c['isa']}: ", r.stdout)
        text = attnviz("info", data("tiny-hf-bert"))
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn(f"  bf16: {'yes' if c['bf16'] else 'no: ' + c['bf16_reason']}", text.stdout)
        self.assertIn(f"  kernels: {c['isa']}: ", text.stdout)

    def test_isa_cap_is_honoured(self):
        if not capped_at_avx2():
            self.skipTest("not run under ONEDNN_MAX_CPU_ISA=AVX2")
        c = cpu()
        self.assertEqual(c["isa"], "avx2")
        self.assertFalse(c["bf16"])
        self.assertRegex(c["isa_cap"], r"^(ONEDNN|DNNL)_MAX_CPU_ISA=")
        self.assertIn(c["isa_cap"], attnviz("--version").stdout)


class Bf16Runs(unittest.TestCase):
    def run_commands(self, out_dir):
        bert, vit = data("tiny-hf-bert"), data("tiny-hf-vit")
        image = os.path.join(DATA, "tiny-hf-vit-golden", "rgb-32x32.png")
        return {
            "run encoder": ("run", "--model", bert, "--text", "it was tired", "--text", "twice", "--bf16", "--out", "-"),
            "run vit": ("run", "--model", vit, "--image", image, "--bf16", "--out", "-"),
            "bench": ("bench", "--model", bert, "--text", "it was tired", "--runs", "1", "--bf16", "--json"),
            "export": ("export", "--model", bert, "--text", "one", "--text", "two", "--bf16", "--out", out_dir),
        }

    def test_bf16_runs_or_fails_with_one_line_and_exit_5(self):
        c = cpu()
        with tempfile.TemporaryDirectory() as folder:
            for name, args in self.run_commands(os.path.join(folder, "figures")).items():
                with self.subTest(name):
                    r = attnviz(*args)
                    if c["bf16"]:
                        self.assertEqual(r.returncode, 0, r.stderr)
                        continue
                    self.assertEqual(r.returncode, 5, r.stderr)
                    self.assertEqual(r.stderr, "attnviz: --bf16: " + c["bf16_reason"] + "\n")
                    self.assertIn(c["bf16_missing"], r.stderr)
                    self.assertEqual(r.stdout, "")
            if not c["bf16"]:
                self.assertFalse(os.path.exists(os.path.join(folder, "figures", "input-0001.png")))

    def test_bf16_on_a_non_transformer_stays_a_usage_error(self):
        for model in ("tiny-han", "tiny-seq2seq-bahdanau"):
            with self.subTest(model):
                r = attnviz("run", "--model", data(model), "--text", "x", "--bf16", "--out", "-")
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertRegex(r.stderr, r"^attnviz: --bf16: [^\n]+transformers[^\n]+\n$")


class ExitCodes(unittest.TestCase):
    """--help's exit-code list is the one source (app/cli_args.cpp, from error.h's exitCode()); README's "Exit codes"
    block is that text verbatim, and its Reliability section points there instead of repeating the codes."""

    def test_help_and_readme_agree(self):
        help_text = attnviz("--help").stdout
        self.assertIn("Exit codes", help_text)
        block = help_text[help_text.index("Exit codes"):]
        self.assertTrue(block.endswith("\n") and block.count("\n") >= 6, block)
        with open(README, encoding="utf-8") as handle:
            readme = handle.read()
        self.assertIn("```\n" + block + "```\n", readme, "README's Exit codes block differs from attnviz --help")
        codes = re.findall(r"^  (\d+) ", block, re.M)
        self.assertEqual(codes, ["0", "2", "3", "4", "5", "70"], block)
        reliability = re.search(r"CLI prints `attnviz: WHERE: WHAT` and exits.*?(?=\n- |\n\n)", readme, re.S).group(0)
        self.assertIn('"Exit codes" block', reliability)
        self.assertEqual(re.findall(r"\b(?:2|3|4|5|70) \(", reliability), [], "Reliability repeats the codes: " + reliability)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--readme", required=True)
    args, rest = parser.parse_known_args()
    ATTNVIZ, DATA, README = os.path.abspath(args.attnviz), os.path.abspath(args.data), os.path.abspath(args.readme)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
