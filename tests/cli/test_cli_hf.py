#!/usr/bin/python3
"""Hugging Face checkpoints on the command line: `attnviz info` checks everything `run` would and exits 3 with
run's one-line message when the model cannot run (--json: "runnable" and "problem"); the inputs that reach
transformers' own reference outputs (--token-ids with --token-type-ids, --text-pair, --hidden-states) and their
usage errors.

  python3 tests/cli/test_cli_hf.py --attnviz build/release/app/attnviz --data tests/data --real ../shared/real-checkpoints
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

ATTNVIZ = None
DATA = None
REAL = None


def attnviz(*args):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([ATTNVIZ, *args], capture_output=True, text=True, env=env, timeout=120)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    header.pop("__metadata__", None)
    return {k: (v["shape"], data[v["data_offsets"][0]:v["data_offsets"][1]]) for k, v in header.items()}


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, (shape, blob) in tensors.items():
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


class Checkpoints(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = os.path.join(self.tmp.name, "bert")
        shutil.copytree(os.path.join(DATA, "tiny-hf-bert"), self.dir)

    def tearDown(self):
        self.tmp.cleanup()

    def edit_config(self, **changes):
        path = os.path.join(self.dir, "config.json")
        with open(path) as f:
            config = json.load(f)
        config.update(changes)
        with open(path, "w") as f:
            json.dump(config, f)

    def edit_weights(self, edit):
        path = os.path.join(self.dir, "model.safetensors")
        tensors = read_safetensors(path)
        edit(tensors)
        write_safetensors(path, tensors)

    def expect_not_runnable(self, *fragments):
        """info exits 3 with run's one-line message, text and --json alike; run says the same."""
        text = attnviz("info", self.dir)
        self.assertEqual(text.returncode, 3, text.stdout + text.stderr)
        lines = text.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, text.stderr)
        for fragment in fragments:
            self.assertIn(fragment, lines[0])
        self.assertIn("runnable      no: ", text.stdout)
        run = attnviz("run", "--model", self.dir, "--text", "the animal", "--out", "-")
        self.assertEqual(run.returncode, 3)
        self.assertEqual(run.stderr.strip(), lines[0])
        js = attnviz("info", self.dir, "--json")
        self.assertEqual(js.returncode, 3)
        info = json.loads(js.stdout)
        self.assertIs(info["runnable"], False)
        self.assertEqual("attnviz: " + info["problem"], lines[0])

    def test_runnable_checkpoint(self):
        r = attnviz("info", self.dir, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        info = json.loads(r.stdout)
        self.assertIs(info["runnable"], True)
        self.assertNotIn("problem", info)

    def test_negative_hidden_size_and_no_heads(self):
        self.edit_config(hidden_size=-64, num_attention_heads=0)
        self.expect_not_runnable("config.json", "hidden_size")

    def test_missing_tensor(self):
        self.edit_weights(lambda t: t.pop("bert.encoder.layer.1.output.dense.weight"))
        self.expect_not_runnable("model.safetensors", "tensor 'bert.encoder.layer.1.output.dense.weight'", "missing",
                                 "save_pretrained")

    def test_nan_weights(self):
        def poison(t):
            shape, blob = t["bert.embeddings.LayerNorm.weight"]
            t["bert.embeddings.LayerNorm.weight"] = (shape, struct.pack("<f", math.nan) + blob[4:])
        self.edit_weights(poison)
        self.expect_not_runnable("embeddings.LayerNorm.weight", "NaN or infinite")

    def test_empty_vocabulary(self):
        open(os.path.join(self.dir, "vocab.txt"), "w").close()
        self.expect_not_runnable("vocab.txt")

    def test_model_type_attnviz_does_not_run(self):
        self.edit_config(model_type="gpt2")
        self.expect_not_runnable("gpt2")

    def test_text_pair(self):
        r = attnviz("run", "--model", self.dir, "--text", "the animal", "--text-pair", "it was tired", "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        trace = json.loads(r.stdout)
        self.assertEqual(trace["tokens"]["source"], ["[CLS]", "the", "animal", "[SEP]", "it", "was", "tired", "[SEP]"])

    def test_export_takes_token_ids_and_pairs(self):
        out = os.path.join(self.tmp.name, "figures")
        r = attnviz("export", "--model", self.dir, "--token-ids", "2 5 6 3", "--token-type-ids", "0 0 1 1",
                    "--text", "the animal", "--text-pair", "it was tired", "--format", "svg", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(os.listdir(out)), ["ids-0001.svg", "input-0001.svg"])
        with open(os.path.join(out, "ids-0001.svg")) as f:
            self.assertIn("animal", f.read())

    def test_token_ids_out_of_vocabulary_is_an_input_error(self):
        r = attnviz("run", "--model", self.dir, "--token-ids", "2 5 34 3", "--out", "-")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("--token-ids #1: token id 34 (position 2) is outside the vocabulary of 34", r.stderr)

    def test_usage_errors(self):
        cases = [
            (["--token-type-ids", "0 0"], "--token-type-ids: must come right after the --token-ids"),
            (["--token-ids", "2 5 3", "--token-type-ids", "0 0"], "has 2 segment ids for 3 token ids"),
            (["--token-ids", "2 x 3"], "--token-ids: expects token ids"),
            (["--token-ids", ""], "--token-ids: expects at least one token id"),
            (["--text-pair", "b"], "--text-pair: must come right after the --text"),
        ]
        for args, message in cases:
            r = attnviz("run", "--model", self.dir, *args, "--out", "-")
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertIn(message, r.stderr)


class TokenIdsBeyondHfEncoders(unittest.TestCase):
    """--token-ids on an attnviz package encoder, and on kinds that do not take them."""

    def test_token_ids_are_named_from_the_package_vocabulary(self):
        with open(os.path.join(DATA, "tiny-encoder", "vocab.txt")) as f:
            vocab = f.read().split("\n")
        r = attnviz("run", "--model", os.path.join(DATA, "tiny-encoder"), "--token-ids", "2 5 6 3", "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["tokens"]["source"], [vocab[i] for i in (2, 5, 6, 3)])


    def test_models_that_take_no_token_ids_say_so(self):
        cases = [("tiny-seq2seq-bahdanau", "this RNN seq2seq model takes text, not token ids"),
                 ("tiny-han", "a han model takes text, not token ids"),
                 ("tiny-hf-vit", "a vit model takes an image (--image FILE) or preprocessed pixels (--pixels FILE.npy), not token ids")]
        for model, message in cases:
            r = attnviz("run", "--model", os.path.join(DATA, model), "--token-ids", "1 2", "--out", "-")
            self.assertEqual(r.returncode, 4, (model, r.stderr))
            self.assertIn(message, r.stderr)


class RealCheckpoints(unittest.TestCase):
    """transformers' own float64 outputs, reached through the command line's --token-ids and --hidden-states."""

    def oracle(self, name, file):
        with open(os.path.join(REAL, name, "_provenance", file)) as f:
            return json.load(f)

    def run_ids(self, name, ids, types=None):
        args = ["run", "--model", os.path.join(REAL, name), "--token-ids", " ".join(map(str, ids))]
        if types:
            args += ["--token-type-ids", ",".join(map(str, types))]
        r = attnviz(*args, "--hidden-states", "--out", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_bert_sequence_classification_logits_and_labels(self):
        o = self.oracle("bert_seqcls", "tiny_bert_seqcls_logits.json")
        for ids, types, logits, label in zip(o["sequences"], o["token_types"], o["logits"], o["labels"]):
            trace = self.run_ids("bert_seqcls", ids, types)
            self.assertLess(max(abs(a - b) for a, b in zip(trace["logits"], logits)), 1e-4)
            self.assertEqual(trace["prediction"]["label"], label)
            self.assertEqual(len(trace["hidden"]), len(ids))
            self.assertEqual(len(trace["pooled"]), 8)

    def test_distilbert_question_answering(self):
        o = self.oracle("distilbert_qa", "tiny_distilbert_qa_logits.json")
        trace = self.run_ids("distilbert_qa", o["sequences"][0])
        self.assertLess(max(abs(a - b) for a, b in zip(trace["start_logits"], o["start_logits"][0])), 1e-4)
        self.assertLess(max(abs(a - b) for a, b in zip(trace["end_logits"], o["end_logits"][0])), 1e-4)
        answer = trace["prediction"]["answer"]
        self.assertLessEqual(answer["start"], answer["end"])
        self.assertEqual(len(trace["prediction"]["start_probabilities"]), len(o["sequences"][0]))

    def test_segment_ids_are_refused_where_there_are_no_segments(self):
        r = attnviz("run", "--model", os.path.join(REAL, "distilbert"), "--token-ids", "1 2 3",
                    "--token-type-ids", "0 1 1", "--out", "-")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("no segment embeddings", r.stderr)

    def test_messages_name_distilbert_tensors_as_the_file_does(self):
        with tempfile.TemporaryDirectory() as tmp:
            folder = os.path.join(tmp, "distilbert")
            shutil.copytree(os.path.join(REAL, "distilbert"), folder, ignore=shutil.ignore_patterns("_provenance"))
            os.chmod(os.path.join(folder, "model.safetensors"), 0o644)
            tensors = read_safetensors(os.path.join(folder, "model.safetensors"))
            tensors.pop("transformer.layer.1.ffn.lin2.weight")
            write_safetensors(os.path.join(folder, "model.safetensors"), tensors)
            r = attnviz("info", folder)
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertIn("tensor 'transformer.layer.1.ffn.lin2.weight': is missing", r.stderr)
            self.assertIn("'transformer.layer.0.ffn.lin2.weight' [8, 16]", r.stderr)

    def test_text_is_refused_without_a_tokenizer(self):
        r = attnviz("run", "--model", os.path.join(REAL, "distilbert"), "--text", "hello", "--out", "-")
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("has no tokenizer", r.stderr)
        self.assertIn("--token-ids", r.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--real", required=True)
    args, rest = parser.parse_known_args()
    ATTNVIZ, DATA, REAL = args.attnviz, args.data, args.real
    if not os.path.isdir(REAL):
        sys.exit(f"missing {REAL}: ../shared/real-checkpoints must be beside the repository")
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
