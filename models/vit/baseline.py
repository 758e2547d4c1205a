#!/usr/bin/env python3
"""Baselines for the Fashion-MNIST ViT on the same split (data.py) and the same normalised pixels:
multinomial logistic regression and an MLP (784-256-256-10, ReLU), each trained with Adam for a fixed
wall-clock budget (no augmentation); the best validation epoch is kept and measured on the 10,000 test images.

    cd models/vit && /usr/bin/python3 baseline.py --minutes 2
"""
import argparse
import math
import time

import torch

import data
from train import normalise


def run(name, model, x_train, y_train, x_val, y_val, x_test, y_test, minutes, lr, batch=256, seed=20261121):
    generator = torch.Generator().manual_seed(seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    start, epoch, best = time.time(), 0, (-1.0, 0, None)
    while time.time() - start < minutes * 60:
        epoch += 1
        model.train()
        order = torch.randperm(len(x_train), generator=generator)
        for i in range(0, len(order), batch):
            index = order[i:i + batch]
            loss = torch.nn.functional.cross_entropy(model(x_train[index]), y_train[index])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        model.eval()
        with torch.no_grad():
            val = (model(x_val).argmax(-1) == y_val).float().mean().item()
        if val > best[0]:
            best = (val, epoch, {k: v.clone() for k, v in model.state_dict().items()})
    model.load_state_dict(best[2])
    model.eval()
    with torch.no_grad():
        correct = int((model(x_test).argmax(-1) == y_test).sum())
    acc = correct / len(y_test)
    print(f"{name}: {epoch} epochs in {(time.time() - start) / 60:.2f} min, best validation {best[0]:.4f} "
          f"(epoch {best[1]}), test {acc:.4f} ({correct}/{len(y_test)}, standard error "
          f"{100 * math.sqrt(acc * (1 - acc) / len(y_test)):.2f} points)", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--minutes", type=float, default=2.0, help="budget per model")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(20261121)
    (a, b), (c, d), (e, f) = data.splits()
    tensors = [normalise(a).flatten(1), torch.from_numpy(b), normalise(c).flatten(1), torch.from_numpy(d),
               normalise(e).flatten(1), torch.from_numpy(f)]
    run("logistic regression", torch.nn.Linear(784, 10), *tensors, minutes=args.minutes, lr=1e-3)
    mlp = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(),
                              torch.nn.Linear(256, 10))
    run("MLP 784-256-256-10", mlp, *tensors, minutes=args.minutes, lr=1e-3)


if __name__ == "__main__":
    main()
