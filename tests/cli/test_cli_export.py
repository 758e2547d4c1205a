#!/usr/bin/python3
"""Command-line tests of `attnviz export` on the tiny models of tests/data: every view of every kind, each format
(PNG signature, pixel size and DPI from its own chunks; SVG parsed as XML; PDF header and trailer), the default view
per kind, output names, a bad input among good ones, bad --view/--layer/--head, an output folder that cannot be
written, no display at all, and the progress line (only on a terminal). Standard library only.

  python3 tests/cli/test_cli_export.py --attnviz build/release/app/attnviz --data tests/data
"""
import argparse
import os
import re
import pty
import struct
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
import zlib

ATTNVIZ = None
DATA = None
SVG = "{http://www.w3.org/2000/svg}"


def attnviz(*args, env=None, input=None):
    env = env if env is not None else dict(os.environ, OMP_WAIT_POLICY="PASSIVE", QT_QPA_PLATFORM="offscreen")
    return subprocess.run([ATTNVIZ, *args], capture_output=True, text=True, env=env, timeout=120, input=input)


def tiny(name):
    return os.path.join(DATA, name)


def vit_image(name):
    return os.path.join(DATA, "tiny-hf-vit-golden", name)


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def png_info(path):
    """(width, height, dpi, distinct byte values in the decompressed image data) from the PNG's own chunks."""
    data = read(path)
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, chunks, idat = 8, {}, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        chunks.setdefault(kind, body)
        if kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    per_metre_x, _, unit = struct.unpack(">IIB", chunks[b"pHYs"])
    assert unit == 1, "pHYs unit is not the metre"
    return width, height, per_metre_x * 0.0254, len(set(zlib.decompress(idat)))


def svg_texts(path):
    """Every text run of an SVG figure (parsing it as XML on the way)."""
    root = ET.parse(path).getroot()
    assert root.tag == SVG + "svg", root.tag
    return ["".join(t.itertext()) for t in root.iter(SVG + "text")]


class ExportCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.tmp.name, "figures")

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, data):
        path = os.path.join(self.tmp.name, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def export(self, *args, out=None, code=0):
        r = attnviz("export", *args, "--out", out or self.out)
        self.assertEqual(r.returncode, code, r.stderr)
        return r

    def figures(self, out=None):
        return sorted(os.listdir(out or self.out))

    def figure(self, name, out=None):
        return os.path.join(out or self.out, name)

    def assert_drawn_png(self, path):
        width, height, _, distinct = png_info(path)
        self.assertGreater(width, 50)
        self.assertGreater(height, 50)
        self.assertGreater(distinct, 20, f"{path} looks blank")  # a blank page compresses to a handful of values


def view_cases():
    """(model, two inputs, the kind's views)"""
    return [
        ("tiny-encoder", ["--text", "the cat sat on the mat", "--text", "it was tired ."],
         ["heatmap", "arcs", "grid", "knockout", "methods"]),
        ("tiny-seq2seq-bahdanau", ["--text", "Tom is tired.", "--text", "She is here."], ["heatmap"]),
        ("tiny-han", ["--text", "the movie was good .\nthe plot was bad .", "--text", "bad movie ."], ["saliency", "heatmap"]),
        ("tiny-hf-vit", ["--image", vit_image("rgb-32x32.png"), "--image", vit_image("rgb-100x75.png")],
         ["patches", "heatmap", "grid", "knockout", "methods"]),
    ]


class Views(ExportCase):
    def test_every_view_of_every_kind_draws_each_input(self):
        for model, inputs, views in view_cases():
            for view in views:
                with self.subTest(model=model, view=view):
                    out = os.path.join(self.tmp.name, model, view)
                    self.export("--model", tiny(model), *inputs, "--view", view, out=out)
                    names = self.figures(out)
                    self.assertEqual(len(names), 2, names)
                    for name in names:
                        self.assert_drawn_png(self.figure(name, out))
                    first, second = (read(self.figure(n, out)) for n in names)
                    self.assertNotEqual(first, second, "two different inputs gave the same figure")

    def test_knockout_view_draws_the_mode_asked_and_refuses_a_model_without_a_prediction(self):
        figures = {}
        for mode in ("one", "all-but-one"):
            out = os.path.join(self.tmp.name, mode)
            self.export("--model", tiny("tiny-hf-bert"), "--text", "the animal was tired", "--view", "knockout",
                        "--head-knockout", mode, "--format", "svg", out=out)
            figures[mode] = " ".join(svg_texts(self.figure("input-0001.svg", out)))
        self.assertIn("one head zeroed", figures["one"])
        self.assertIn("only this head left in its layer", figures["all-but-one"])
        self.assertIn("p(NEGATIVE)", figures["one"])
        r = self.export("--model", tiny("tiny-hf-coref"), "--text", "the animal was tired", "--view", "knockout", code=2)
        self.assertRegex(r.stderr, "head knockout: the model makes no prediction to score")

    def test_methods_view_labels_every_ranking_with_its_faithfulness(self):
        out = os.path.join(self.tmp.name, "methods")
        self.export("--model", tiny("tiny-hf-bert"), "--text", "the animal didn't cross the street because it was tired",
                    "--view", "methods", "--removal", "delete", "--format", "svg", out=out)
        texts = " ".join(svg_texts(self.figure("input-0001.svg", out)))
        for label in ("last layer, head mean", "rollout mean", "value norm, last layer", "ALTI rollout", "GlobEnc rollout"):
            self.assertIn(label, texts)
        self.assertEqual(texts.count("τ"), 5, texts)  # the five rankings scored; single heads are not
        r = self.export("--model", tiny("tiny-hf-bert"), "--text", "it", "--view", "heatmap", "--removal", "mask", code=2)
        self.assertIn("--removal", r.stderr)
        # A model with no prediction: the maps, unscored.
        out = os.path.join(self.tmp.name, "unscored")
        self.export("--model", tiny("tiny-hf-coref"), "--text", "the animal was tired", "--view", "methods", "--format", "svg",
                    out=out)
        self.assertNotIn("τ", " ".join(svg_texts(self.figure("input-0001.svg", out))))

    def test_default_view_is_the_kinds_main_panel(self):
        defaults = {"tiny-encoder": "heatmap", "tiny-seq2seq-bahdanau": "heatmap", "tiny-han": "saliency",
                    "tiny-hf-vit": "patches"}
        for model, inputs, _ in view_cases():
            with self.subTest(model=model):
                implicit = os.path.join(self.tmp.name, model, "implicit")
                explicit = os.path.join(self.tmp.name, model, "explicit")
                self.export("--model", tiny(model), *inputs[:2], "--format", "svg", out=implicit)
                self.export("--model", tiny(model), *inputs[:2], "--format", "svg", "--view", defaults[model], out=explicit)
                [name] = self.figures(implicit)
                self.assertEqual(read(self.figure(name, implicit)), read(self.figure(name, explicit)))

    def test_figures_show_their_own_input(self):
        self.export("--model", tiny("tiny-encoder"), "--text", "the cat sat", "--text", "a good movie", "--format", "svg")
        first, second = (svg_texts(self.figure(n)) for n in ("input-0001.svg", "input-0002.svg"))
        self.assertIn("cat", first)
        self.assertNotIn("cat", second)
        self.assertIn("movie", second)

    def test_layer_head_and_rollout_reach_the_figure(self):
        self.export("--model", tiny("tiny-encoder"), "--text", "the cat sat", "--view", "arcs", "--layer", "1",
                    "--head", "0", "--format", "svg")
        titles = " ".join(svg_texts(self.figure("input-0001.svg")))
        self.assertIn("layer 2/2", titles)  # figure titles count from 1, as the GUI
        self.assertIn("head 1/2", titles)
        all_heads = os.path.join(self.tmp.name, "all")
        self.export("--model", tiny("tiny-encoder"), "--text", "the cat sat", "--view", "arcs", "--format", "svg", out=all_heads)
        self.assertIn("all 2 heads", " ".join(svg_texts(self.figure("input-0001.svg", all_heads))))
        rollout = os.path.join(self.tmp.name, "rollout")
        self.export("--model", tiny("tiny-encoder"), "--text", "the cat sat", "--rollout", "max", "--discard-ratio", "0.5",
                    "--format", "svg", out=rollout)
        self.assertRegex(" ".join(svg_texts(self.figure("input-0001.svg", rollout))).lower(), "rollout")

    def test_arcs_draw_every_head_of_the_layer_unless_head_is_given(self):
        # --help: "arcs show every head of the layer unless --head is given", also when --layer moves the Selection
        # and when the model opens on a head of its own (a coreference head): one legend entry per head.
        for name, args, heads in [("layer", ["--model", tiny("tiny-encoder"), "--layer", "1"], 2),
                                  ("coref", ["--model", tiny("tiny-hf-coref")], None)]:
            with self.subTest(name):
                out = os.path.join(self.tmp.name, name)
                self.export(*args, "--text", "the cat sat because it was tired", "--view", "arcs", "--format", "svg", out=out)
                texts = svg_texts(self.figure("input-0001.svg", out))
                title = next(t for t in texts if t.startswith("self-attention"))
                self.assertRegex(title, r"all \d+ heads", title)
                count = int(re.search(r"all (\d+) heads", title).group(1))
                if heads is not None:
                    self.assertEqual(count, heads)
                self.assertEqual(sorted({t for t in texts if re.fullmatch(r"head \d+", t)}),
                                 sorted(f"head {h + 1}" for h in range(count)), texts)

    def test_lines_from_standard_input_and_a_pipe(self):
        r = attnviz("export", "--model", tiny("tiny-encoder"), "--lines", "-", "--format", "svg", "--out", self.out,
                    input="the cat sat\n\nit was tired\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.figures(), ["stdin-0001.svg", "stdin-0003.svg"])

    def test_vit_patches_rollout_differs_from_one_head(self):
        head = os.path.join(self.tmp.name, "head")
        rollout = os.path.join(self.tmp.name, "rollout")
        args = ("--model", tiny("tiny-hf-vit"), "--image", vit_image("rgb-32x32.png"), "--format", "svg")
        self.export(*args, out=head)
        self.export(*args, "--rollout", "mean", out=rollout)
        self.assertIn("rollout", " ".join(svg_texts(self.figure("rgb-32x32.svg", rollout))).lower())
        self.assertNotIn("rollout", " ".join(svg_texts(self.figure("rgb-32x32.svg", head))).lower())


class Formats(ExportCase):
    def test_png_size_and_dpi(self):
        self.export("--model", tiny("tiny-encoder"), "--text", "the cat sat", "--size", "400x300", "--dpi", "144")
        width, height, dpi, _ = png_info(self.figure("input-0001.png"))
        self.assertEqual((width, height), (600, 450))  # 400 x 300 logical pixels at 144/96
        self.assertAlmostEqual(dpi, 144, delta=0.1)

    def test_png_default_size_is_the_views_own_at_192_dpi(self):
        self.export("--model", tiny("tiny-encoder"), "--text", "the cat sat")
        width, height, dpi, _ = png_info(self.figure("input-0001.png"))
        self.assertAlmostEqual(dpi, 192, delta=0.1)
        self.assertEqual(width % 2, 0)  # logical size x 2
        self.assertGreater(width, 200)

    def test_svg_is_xml_with_the_size_as_view_box(self):
        self.export("--model", tiny("tiny-encoder"), "--text", "the cat sat", "--format", "svg", "--size", "500x320")
        root = ET.parse(self.figure("input-0001.svg")).getroot()
        self.assertEqual(root.tag, SVG + "svg")
        self.assertEqual([float(v) for v in root.get("viewBox").split()], [0, 0, 500, 320])

    def test_pdf_header_and_trailer(self):
        self.export("--model", tiny("tiny-han"), "--text", "the movie was good .", "--format", "pdf")
        data = read(self.figure("input-0001.pdf"))
        self.assertTrue(data.startswith(b"%PDF-"), data[:16])
        self.assertIn(b"%%EOF", data[-32:])
        self.assertIn(b"/MediaBox", data)


class Names(ExportCase):
    def test_names_come_from_the_inputs_and_never_collide(self):
        lines = self.write("reviews.txt", "good movie\n\nbad plot\n")
        a = self.write("a/doc.txt", "the cat sat")
        b = self.write("b/doc.txt", "the dog sat")
        folder = os.path.dirname(self.write("dir/one.txt", "one cat"))
        self.write("dir/two.txt", "two cats")
        self.write("dir/skip.md", "not a .txt file")
        self.export("--model", tiny("tiny-encoder"), "--text", "first", "--lines", lines, "--text-file", a,
                    "--text-file", b, "--text-dir", folder, "--text", "second")
        self.assertEqual(self.figures(), ["doc-2.png", "doc.png", "input-0001.png", "input-0002.png", "one.png",
                                          "reviews-0001.png", "reviews-0003.png", "two.png"])

    def test_an_existing_figure_is_replaced_whole_and_nothing_else_is_left(self):
        os.makedirs(self.out)
        with open(self.figure("input-0001.png"), "wb") as handle:
            handle.write(b"old figure")
        self.export("--model", tiny("tiny-encoder"), "--text", "the cat sat")
        self.assert_drawn_png(self.figure("input-0001.png"))
        self.assertEqual(self.figures(), ["input-0001.png"])  # no temporary or probe file left behind

    def test_the_output_folder_is_created(self):
        out = os.path.join(self.tmp.name, "new", "deeper")
        self.export("--model", tiny("tiny-encoder"), "--text", "x", out=out)
        self.assertEqual(self.figures(out), ["input-0001.png"])


class Errors(ExportCase):
    def test_a_bad_input_among_good_ones_is_named_and_skipped(self):
        good = self.write("good.txt", "the cat sat")
        missing = os.path.join(self.tmp.name, "missing.txt")
        broken = self.write("broken.txt", b"broken \xff utf-8")
        r = self.export("--model", tiny("tiny-encoder"), "--text", "first", "--text-file", missing, "--text-file", broken,
                        "--text-file", good, code=4)
        self.assertIn(f"attnviz: {missing}: ", r.stderr)
        self.assertIn(f"attnviz: {broken}: ", r.stderr)
        self.assertIn("2 of 4 inputs failed", r.stderr)
        self.assertEqual(self.figures(), ["good.png", "input-0001.png"])

    def test_a_bad_image_among_good_ones(self):
        bad = os.path.join(DATA, "images", "not-an-image.png")
        r = self.export("--model", tiny("tiny-hf-vit"), "--image", vit_image("rgb-32x32.png"), "--image", bad,
                        "--text", "text for an image model", "--image", vit_image("grey-20x20.png"), code=4)
        self.assertIn(bad, r.stderr)
        self.assertIn("--text #1", r.stderr)
        self.assertEqual(self.figures(), ["grey-20x20.png", "rgb-32x32.png"])

    def test_a_view_the_kind_lacks_lists_its_views(self):
        for model, view, listed in [("tiny-han", "arcs", "saliency, heatmap"), ("tiny-seq2seq-bahdanau", "grid", "heatmap"),
                                    ("tiny-encoder", "patches", "heatmap, arcs, grid, knockout, methods"),
                                    ("tiny-hf-vit", "saliency", "patches, heatmap, grid, knockout, methods")]:
            with self.subTest(model=model, view=view):
                r = self.export("--model", tiny(model), "--text", "x", "--view", view, code=2)
                self.assertRegex(r.stderr, f"^attnviz: --view: .*no {view} view; it has {listed}\n$")
                self.assertFalse(os.path.exists(self.out) and self.figures())
        r = self.export("--model", tiny("tiny-encoder"), "--text", "x", "--view", "pie", code=2)
        self.assertIn("--view", r.stderr)

    def test_layer_and_head_out_of_range_name_the_option_and_range(self):
        for option, value, expected in [("--layer", "2", "2 layers: give 0 to 1"), ("--head", "7", "2 heads per layer: give 0 to 1")]:
            with self.subTest(option=option):
                r = self.export("--model", tiny("tiny-encoder"), "--text", "the cat", "--text", "sat", option, value, code=2)
                self.assertRegex(r.stderr, f"^attnviz: {option}: is {value}, but tiny-encoder has {expected}")
                self.assertEqual(self.figures(), [])
        r = self.export("--model", tiny("tiny-han"), "--text", "good movie .", "--layer", "0", code=2)
        self.assertIn("--layer", r.stderr)
        r = self.export("--model", tiny("tiny-encoder"), "--text", "x", "--view", "grid", "--rollout", "mean", code=2)
        self.assertIn("--rollout", r.stderr)
        r = self.export("--model", tiny("tiny-encoder"), "--text", "x", "--head", "-1", code=2)
        self.assertIn("--head", r.stderr)

    def test_an_output_folder_that_cannot_be_written(self):
        not_a_folder = self.write("file.txt", "I am a file")
        r = self.export("--model", tiny("tiny-encoder"), "--text", "x", out=not_a_folder, code=2)
        self.assertIn(f"attnviz: {not_a_folder}: is not a folder", r.stderr)
        # Root ignores permissions, so there /proc (where no file can be created) stands in for a read-only folder.
        if os.geteuid() == 0:
            cases = ["/proc", "/proc/attnviz-export"]
        else:
            locked = os.path.join(self.tmp.name, "locked")
            os.mkdir(locked, 0o500)
            cases = [locked, os.path.join(locked, "sub")]
        for out in cases:
            with self.subTest(out=out):
                r = self.export("--model", tiny("tiny-encoder"), "--text", "x", out=out, code=2)
                self.assertRegex(r.stderr, f"^attnviz: {out}: the folder cannot be (written to|created): ")

    def test_thinned_labels_are_said(self):
        # 60 tokens in 320 px: labels shrink to 5 pt and still overlap, so every other one is drawn, and stderr says so.
        words = " ".join(f"w{i}" for i in range(58))
        r = self.export("--model", tiny("tiny-encoder"), "--text", words, "--size", "320x320", "--format", "svg")
        self.assertRegex(r.stderr, r"--text #1: warning: \d+ of \d+ row labels and \d+ of \d+ column labels shown")
        self.assertEqual(self.figures(), ["input-0001.svg"])
        # Room enough: nothing said.
        r = self.export("--model", tiny("tiny-encoder"), "--text", "the cat sat", "--format", "svg", out=os.path.join(self.tmp.name, "b"))
        self.assertNotIn("labels shown", r.stderr)

    def test_an_output_named_like_a_figure_is_refused(self):
        # `--out vit-flow.svg` would make a folder of that name with PNGs in it: the name and the format disagree.
        for suffix in ["svg", "PNG", "pdf"]:
            with self.subTest(suffix=suffix):
                out = os.path.join(self.tmp.name, "vit-flow." + suffix)
                r = self.export("--model", tiny("tiny-encoder"), "--text", "x", out=out, code=2)
                self.assertIn(f'attnviz: --out: "{out}" names a .{suffix.lower()} file, but --out is the folder', r.stderr)
                self.assertIn(f"--format {suffix.lower()}", r.stderr)
                self.assertFalse(os.path.exists(out))
        # An existing folder of such a name is a folder the user made: it is used.
        made = os.path.join(self.tmp.name, "figs.png")
        os.mkdir(made)
        self.export("--model", tiny("tiny-encoder"), "--text", "x", "--format", "svg", out=made)
        self.assertEqual(sorted(os.listdir(made)), ["input-0001.svg"])

    def test_a_broken_model_exits_3(self):
        r = self.export("--model", os.path.join(self.tmp.name, "no-model"), "--text", "x", code=3)
        self.assertTrue(r.stderr.startswith("attnviz: "), r.stderr)


class Headless(ExportCase):
    def test_no_display_at_all(self):
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
        env["OMP_WAIT_POLICY"] = "PASSIVE"
        r = attnviz("export", "--model", tiny("tiny-encoder"), "--text", "the cat sat", "--out", self.out, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_drawn_png(self.figure("input-0001.png"))

    def test_no_progress_line_unless_stderr_is_a_terminal(self):
        args = ("--model", tiny("tiny-encoder"), "--text", "the cat", "--text", "sat on the mat")
        r = self.export(*args)
        self.assertEqual(r.stderr, "")  # not a terminal: nothing on success
        # On a terminal: the progress line, rewritten with \r, then the summary.
        leader, follower = pty.openpty()
        env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", QT_QPA_PLATFORM="offscreen")
        with subprocess.Popen([ATTNVIZ, "export", *args, "--out", self.out], stdout=subprocess.DEVNULL, stderr=follower,
                              env=env) as process:
            os.close(follower)
            shown = b""
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the terminal closed
                    break
                if not chunk:
                    break
                shown += chunk
            self.assertEqual(process.wait(timeout=120), 0, shown)
        os.close(leader)
        text = shown.decode("utf-8")
        self.assertIn("\rattnviz export: 2/2 inputs", text)
        self.assertIn("attnviz: 2 figures written to " + self.out, text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--attnviz", required=True)
    parser.add_argument("--data", required=True)
    args, rest = parser.parse_known_args()
    ATTNVIZ, DATA = os.path.abspath(args.attnviz), os.path.abspath(args.data)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
