#!/usr/bin/python3
"""Checks of train_hansards.py's pieces against plain references (seconds, no corpus needed):

  /usr/bin/python3 models/seq2seq/test_train_hansards.py

- training_loss with the candidate softmax equals the full-vocabulary cross-entropy when the candidates and the
  tail samples together cover the whole vocabulary (correction log(tail / samples) = 0): checks the id mapping;
  with fewer tail samples it differs (the approximation is live, not bypassed);
- epoch_batches covers every pair exactly once, respects the token budget, and is the same for the same epoch;
- hansards.py's self-check (the data rules on a hand-made corpus).
"""
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hansards as H  # noqa: E402
import train_hansards as TH  # noqa: E402
from model import Seq2Seq  # noqa: E402


def check_training_loss():
    torch.manual_seed(0)
    model = Seq2Seq("luong-general", 40, 50, embedding_size=8, encoder_hidden=6, decoder_hidden=10,
                    attention_size=5, dropout=0.0)
    source = torch.randint(4, 40, (7, 3))
    lengths = torch.tensor([7, 5, 2])
    target_in = torch.randint(4, 50, (6, 3))
    target_out = torch.randint(4, 50, (6, 3))
    target_out[4:, 2] = 0  # padding, ignored
    criterion = nn.CrossEntropyLoss(ignore_index=0)
    logits, _ = model(source, lengths, target_in)
    reference = float(criterion(logits.reshape(-1, 50), target_out.reshape(-1)))
    full = float(TH.training_loss(model, source, lengths, target_in, target_out, 0, criterion))
    covered = float(TH.training_loss(model, source, lengths, target_in, target_out, 10, criterion, tail_samples=50))
    sampled = float(TH.training_loss(model, source, lengths, target_in, target_out, 10, criterion, tail_samples=3))
    assert abs(full - reference) < 1e-6, (full, reference)
    assert abs(covered - reference) < 1e-5, (covered, reference)
    assert abs(sampled - reference) > 1e-4, (sampled, reference)


def check_batches():
    rng = np.random.RandomState(1)
    source = [list(rng.randint(4, 9, rng.randint(1, 30))) + [3] for _ in range(500)]
    target = [list(rng.randint(4, 9, rng.randint(1, 30))) + [3] for _ in range(500)]
    split = H.Split(np.concatenate(source).astype(np.int32), np.cumsum([0] + [len(s) for s in source]),
                    np.concatenate(target).astype(np.int32), np.cumsum([0] + [len(t) for t in target]))
    batches = TH.epoch_batches(split, 1, max_tokens=200, max_sentences=16)
    seen = np.sort(np.concatenate(batches))
    assert (seen == np.arange(500)).all()
    for b in batches:
        longest = max(max(len(source[i]), len(target[i])) for i in b)
        assert len(b) <= 16 and (len(b) == 1 or longest * len(b) <= 200), (len(b), longest)
    again = TH.epoch_batches(split, 1, max_tokens=200, max_sentences=16)
    assert all((a == b).all() for a, b in zip(batches, again))
    other = TH.epoch_batches(split, 2, max_tokens=200, max_sentences=16)
    assert any(len(a) != len(b) or (a != b).any() for a, b in zip(batches, other))


if __name__ == "__main__":
    H.self_check()
    check_training_loss()
    check_batches()
    print("train_hansards.py checks passed")
