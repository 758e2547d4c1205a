#!/usr/bin/python3
"""Checks of guided_alignment.py against hand-computed values (needs torch: not in ctest, run with /usr/bin/python3).

  /usr/bin/python3 models/seq2seq/test_guided_alignment.py
"""
import math
import os
import sys
import tempfile
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guided_alignment import GuidedAlignment, piece_words  # noqa: E402
from hansards import Split  # noqa: E402

# ids: 0 </s>, 1 <unk>, 2 "▁a", 3 "▁b", 4 "c" (continues a word), 5 "▁x", 6 "▁y"
PIECES = ["</s>", "<unk>", "\u2581a", "\u2581b", "c", "\u2581x", "\u2581y"]


def split_of(pairs):
    source, target, so, to = [], [], [0], [0]
    for s, t in pairs:
        source += s
        target += t
        so.append(len(source))
        to.append(len(target))
    return Split(np.array(source, dtype=np.int32), np.array(so), np.array(target, dtype=np.int32), np.array(to))


class GuidedAlignmentTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.links = os.path.join(self.tmp.name, "train.links")
        # pair 0: source "a bc" (pieces ▁a ▁b c </s>), target "x y" (▁x ▁y </s>); links a-x, bc-y, a-y
        # pair 1: no links
        with open(self.links, "w", encoding="utf-8") as handle:
            handle.write("0-0 1-1 0-1\n\n")
        self.split = split_of([([2, 3, 4, 0], [5, 6, 0]), ([2, 0], [5, 0])])
        self.lines = (["a bc", "a"], ["x y", "x"])

    def tearDown(self):
        self.tmp.cleanup()

    def test_piece_words(self):
        self.assertEqual(piece_words([2, 3, 4, 0], np.array([p.startswith("\u2581") for p in PIECES]), 3).tolist(),
                         [0, 1, 1])

    def attention(self):
        # one layer, one head, [B=2, T=3, S=4]: row-normalised known values
        a = torch.tensor([[[0.5, 0.2, 0.2, 0.1], [0.1, 0.3, 0.4, 0.2], [0.25, 0.25, 0.25, 0.25]],
                          [[0.7, 0.3, 0.0, 0.0], [0.6, 0.4, 0.0, 0.0], [0.5, 0.5, 0.0, 0.0]]])
        return [a[:, None]]

    def test_loss_by_hand(self):
        g = GuidedAlignment(self.links, PIECES, 0, 0, self.lines)
        loss, rows = g.loss(self.attention(), [0, 1], self.split)
        # row 0 (x): target a -> -log 0.5; row 1 (y): a and bc, half each -> -(log 0.1 + log 0.7) / 2
        expected = (-math.log(0.5) - (math.log(0.1) + math.log(0.3 + 0.4)) / 2) / 2
        self.assertEqual(rows, 2)
        self.assertAlmostEqual(float(loss), expected, places=5)

    def test_shift_reads_the_next_row(self):
        g = GuidedAlignment(self.links, PIECES, 0, 0, self.lines, shift=1)
        loss, rows = g.loss(self.attention(), [0, 1], self.split)
        # row 1 (reads x): a -> -log 0.1; row 2 (reads y): a and bc -> -(log 0.25 + log 0.5) / 2
        expected = (-math.log(0.1) - (math.log(0.25) + math.log(0.5)) / 2) / 2
        self.assertEqual(rows, 2)
        self.assertAlmostEqual(float(loss), expected, places=5)

    def test_pair_whose_pieces_do_not_make_its_words_is_skipped(self):
        g = GuidedAlignment(self.links, PIECES, 0, 0, (["a b c", "a"], ["x y", "x"]))  # 3 words, pieces make 2
        loss, rows = g.loss(self.attention(), [0, 1], self.split)
        self.assertEqual((rows, g.mismatched), (0, 1))
        self.assertEqual(float(loss), 0.0)

    def test_line_count_must_match(self):
        with self.assertRaises(SystemExit):
            GuidedAlignment(self.links, PIECES, 0, 0, (["a"], ["x"]))


if __name__ == "__main__":
    unittest.main()
