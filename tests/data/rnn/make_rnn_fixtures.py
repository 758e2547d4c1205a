#!/usr/bin/env python3
"""Writes the PyTorch parity fixtures for attnviz::ref::rnn and attnviz::ops::Rnn (tests/unit/test_ops_rnn_pytorch.cpp).

Each case is one uncompressed .npz (numpy.savez) holding:
  spec      float32 [7]: cell (0 GRU, 1 LSTM), input_size, hidden_size, num_layers, bidirectional, bias, has_initial
  <name>    every parameter of the module under its state-dict name (weight_ih_l0, bias_hh_l1_reverse, ...)
  x         [T, batch, input_size]                      (batch_first=False)
  h0 (c0)   [num_layers * directions, batch, hidden]    only when has_initial
  output    [T, batch, directions * hidden]             expected, from PyTorch
  h_n (c_n) [num_layers * directions, batch, hidden]    expected

Run from anywhere with a python3 that has torch and numpy (Debian: python3-torch, python3-numpy):
  /usr/bin/python3 tests/data/rnn/make_rnn_fixtures.py
The output is deterministic for a given PyTorch build (torch.manual_seed per case).
"""
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))

# name, cell, input_size, hidden, layers, bidirectional, bias, has_initial, T, batch
CASES = [
    ("gru_uni_l1", "gru", 5, 4, 1, False, True, True, 6, 2),
    ("gru_bi_l2", "gru", 3, 5, 2, True, True, True, 4, 3),
    ("gru_uni_l2_nobias_zero_state", "gru", 4, 3, 2, False, False, False, 5, 1),
    ("lstm_uni_l1", "lstm", 5, 4, 1, False, True, True, 6, 2),
    ("lstm_bi_l2", "lstm", 4, 3, 2, True, True, True, 5, 3),
    ("lstm_bi_l1_zero_state", "lstm", 3, 4, 1, True, True, False, 3, 1),
]


def make_case(name, cell, input_size, hidden, layers, bidirectional, bias, has_initial, steps, batch, seed):
    torch.manual_seed(seed)
    module_type = torch.nn.GRU if cell == "gru" else torch.nn.LSTM
    module = module_type(input_size, hidden, num_layers=layers, bias=bias, bidirectional=bidirectional)
    # Spread the parameters beyond the default init so the gates leave their linear region.
    with torch.no_grad():
        for p in module.parameters():
            p.mul_(2.0)
    module.eval()
    dirs = 2 if bidirectional else 1
    x = torch.randn(steps, batch, input_size)
    arrays = {
        "spec": np.array([0 if cell == "gru" else 1, input_size, hidden, layers, int(bidirectional), int(bias),
                          int(has_initial)], dtype=np.float32),
        "x": x.numpy(),
    }
    for key, value in module.state_dict().items():
        arrays[key] = value.numpy()
    with torch.no_grad():
        if has_initial:
            h0 = torch.randn(layers * dirs, batch, hidden)
            arrays["h0"] = h0.numpy()
            if cell == "lstm":
                c0 = torch.randn(layers * dirs, batch, hidden)
                arrays["c0"] = c0.numpy()
                output, (h_n, c_n) = module(x, (h0, c0))
            else:
                output, h_n = module(x, h0)
        else:
            if cell == "lstm":
                output, (h_n, c_n) = module(x)
            else:
                output, h_n = module(x)
    arrays["output"] = output.numpy()
    arrays["h_n"] = h_n.numpy()
    if cell == "lstm":
        arrays["c_n"] = c_n.numpy()
    arrays = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in arrays.items()}
    np.savez(os.path.join(HERE, name + ".npz"), **arrays)


def main():
    for seed, case in enumerate(CASES):
        make_case(*case, seed=1000 + seed)
        print("wrote", case[0] + ".npz")


if __name__ == "__main__":
    main()
