#!/usr/bin/env python3
"""Trains a small ViT on Fashion-MNIST within a wall-clock budget and exports it in the Hugging Face
ViTForImageClassification layout (models/reference/vit.py is the model; the C++ engine reads the same folder).

    cd models/vit && /usr/bin/python3 train.py --minutes 27.5 --processes 2 --out ../vit-fashion-mnist

Data parallel over --processes (default 2, one thread each): each process takes its share of every batch, the
gradients are averaged with torch.distributed (gloo on 127.0.0.1), so all copies stay identical. On 2 cores
this is ~1.6x the images per second of one process, where two threads in one process gain nothing (the
matrices of a model this small are too small to split).

Split (data.py): 55,000 train / 5,000 validation from the training set (seed 20261121), the 10,000 test images
only for the final number. AdamW, linear warm-up then cosine decay over the time budget (the schedule follows
elapsed time, so a run always ends at the learning rate's floor), label smoothing, random translation by up to
2 pixels and horizontal flips. Validation accuracy every --eval-every steps; the best validation checkpoint is
kept and exported (F32), and every number in the log is measured on it.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import data  # noqa: E402
from export import safetensors_bytes  # noqa: E402
from reference.vit import ViT  # noqa: E402

MEAN, STD = 0.2860, 0.3530  # Fashion-MNIST training pixels / 255 (the train split gives 0.2862, 0.3531)


def normalise(images):
    """uint8 [N, 28, 28] -> float32 [N, 1, 28, 28], exactly as preprocess() with the exported config."""
    x = torch.tensor(images, dtype=torch.float32)[:, None] * torch.tensor(1 / 255, dtype=torch.float32)
    return (x - torch.tensor(MEAN, dtype=torch.float32)) / torch.tensor(STD, dtype=torch.float32)


def augment(x, generator, shift=2):
    """Random translation by up to `shift` pixels (zero = background after normalisation is MEAN's value, so pad
    with the normalised 0 pixel) and random horizontal flips. x: [B, 1, 28, 28]."""
    b, _, h, w = x.shape
    background = float((0 - MEAN) / STD)
    padded = torch.nn.functional.pad(x, (shift,) * 4, value=background)
    dy = torch.randint(0, 2 * shift + 1, (b,), generator=generator)
    dx = torch.randint(0, 2 * shift + 1, (b,), generator=generator)
    out = torch.stack([padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(b)])
    flip = torch.rand(b, generator=generator) < 0.5
    out[flip] = out[flip].flip(-1)
    return out


def accuracy(model, x, y, batch=1000):
    model.eval()
    predictions = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            predictions.append(model.logits(x[i:i + batch]).argmax(-1))
    model.train()
    predictions = torch.cat(predictions)
    return (predictions == y).float().mean().item(), predictions


def config_json(args):
    return {
        "model_type": "vit",
        "architectures": ["ViTForImageClassification"],
        "image_size": 28,
        "patch_size": args.patch,
        "num_channels": 1,
        "hidden_size": args.hidden,
        "num_hidden_layers": args.layers,
        "num_attention_heads": args.heads,
        "intermediate_size": args.intermediate,
        "hidden_act": "gelu",
        "layer_norm_eps": 1e-12,
        "qkv_bias": True,
        "hidden_dropout_prob": args.dropout,
        "attention_probs_dropout_prob": 0.0,
        "initializer_range": 0.02,
        "encoder_stride": args.patch,
        "id2label": {str(i): name for i, name in enumerate(data.LABELS)},
        "label2id": {name: i for i, name in enumerate(data.LABELS)},
        "torch_dtype": "float32",
    }


PREPROCESSOR = {
    "image_processor_type": "ViTImageProcessor",
    "do_resize": True,
    "size": {"height": 28, "width": 28},
    "resample": 2,
    "do_rescale": True,
    "rescale_factor": 1 / 255,
    "do_normalize": True,
    "image_mean": [MEAN],
    "image_std": [STD],
}


def export(model, config, out):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "preprocessor_config.json"), "w", encoding="utf-8") as f:
        json.dump(PREPROCESSOR, f, indent=2)
        f.write("\n")
    tmp = os.path.join(out, "model.safetensors.tmp")
    with open(tmp, "wb") as f:
        f.write(safetensors_bytes(model.hf_state_dict()))
    os.replace(tmp, os.path.join(out, "model.safetensors"))


def init_weights(model, generator):
    """HF ViT's init: truncated-normal(0.02) for linear/conv weights, cls token and position embeddings;
    zero biases; layer norms at 1/0."""
    for name, p in model.named_parameters():
        if name.endswith(".bias"):
            torch.nn.init.zeros_(p)
        elif "layernorm" in name:
            torch.nn.init.ones_(p)
        else:
            with torch.no_grad():
                p.copy_(torch.fmod(torch.randn(p.shape, generator=generator), 2) * 0.02)


def average_gradients(model, processes):
    """All processes' gradients summed in one flat all-reduce, then divided: every copy takes the same step."""
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    flat = torch.cat([g.reshape(-1) for g in grads])
    dist.all_reduce(flat)
    flat /= processes
    offset = 0
    for g in grads:
        g.copy_(flat[offset:offset + g.numel()].view_as(g))
        offset += g.numel()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=25.0, help="wall-clock budget for the training loop")
    ap.add_argument("--processes", type=int, default=2, help="data-parallel processes")
    ap.add_argument("--threads", type=int, default=1, help="threads per process")
    ap.add_argument("--port", type=int, default=29517, help="127.0.0.1 port for the processes' rendezvous")
    ap.add_argument("--patch", type=int, default=4)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--intermediate", type=int, default=128)
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--batch", type=int, default=256, help="images per step over all processes")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--warmup", type=float, default=0.03, help="fraction of the budget")
    ap.add_argument("--smoothing", type=float, default=0.1)
    ap.add_argument("--eval-every", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20261121)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "vit-fashion-mnist"))
    ap.add_argument("--log", default=None, help="default: <out>/training-log.txt")
    args = ap.parse_args()
    if args.batch % args.processes:
        ap.error(f"--batch {args.batch} does not split evenly over {args.processes} processes")
    if args.processes == 1:
        train(0, args)
    else:
        mp.spawn(train, args=(args,), nprocs=args.processes)


def train(rank, args):
    """One process of --processes; rank 0 evaluates, logs and exports."""
    torch.set_num_threads(args.threads)
    start = time.time()
    if args.processes > 1:
        dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{args.port}", rank=rank,
                                world_size=args.processes)
    lead = rank == 0
    if lead:
        os.makedirs(args.out, exist_ok=True)
        log_file = open(args.log or os.path.join(args.out, "training-log.txt"), "w", encoding="utf-8")

    def log(message):
        if not lead:
            return
        line = f"[{(time.time() - start) / 60:7.2f} min] {message}"
        print(line, flush=True)
        log_file.write(line + "\n")
        log_file.flush()

    log("command: " + " ".join(sys.argv))
    (train_images, train_labels), (val_images, val_labels), (test_images, test_labels) = data.splits()
    x_train, y_train = normalise(train_images), torch.from_numpy(train_labels)
    x_val, y_val = normalise(val_images), torch.from_numpy(val_labels)
    x_test, y_test = normalise(test_images), torch.from_numpy(test_labels)
    log(f"data: train {len(x_train)}, validation {len(x_val)}, test {len(x_test)}")

    generator = torch.Generator().manual_seed(args.seed)  # the same in every process: same init, same order
    augment_generator = torch.Generator().manual_seed(args.seed + 1 + rank)  # each process its own shifts/flips
    config = config_json(args)
    model = ViT.from_config(config)
    init_weights(model, generator)
    for layer in model.vit.encoder.layer:
        layer.dropout = args.dropout
    model.train()
    parameters = sum(p.numel() for p in model.parameters())
    log(f"model: patch {args.patch} ({(28 // args.patch) ** 2} patches + [CLS]), hidden {args.hidden}, "
        f"{args.layers} layers, {args.heads} heads, intermediate {args.intermediate}: {parameters:,} parameters")
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "position" not in n and "cls" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.ndim >= 2 and "position" not in n and "cls" not in n)]
    optimiser = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    budget = args.minutes * 60
    loop_start = time.time()
    best = (-1.0, 0, None)
    step, epoch, seen, running = 0, 0, 0, 0.0
    done = False
    while not done:
        epoch += 1
        order = torch.randperm(len(x_train), generator=generator)
        for i in range(0, len(order) - args.batch + 1, args.batch):
            # Every process follows process 0's clock, so all take the same learning rate and stop together.
            clock = torch.tensor([(time.time() - loop_start) / budget], dtype=torch.float64)
            if args.processes > 1:
                dist.broadcast(clock, 0)
            fraction = clock.item()
            if fraction >= 1:
                done = True
                break
            if fraction < args.warmup:
                lr = args.lr * fraction / args.warmup
            else:
                lr = args.lr * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * (fraction - args.warmup) / (1 - args.warmup))))
            for group in optimiser.param_groups:
                group["lr"] = lr
            index = order[i:i + args.batch][rank::args.processes]  # this process's share of the batch
            x = augment(x_train[index], augment_generator)
            loss = torch.nn.functional.cross_entropy(model.logits(x), y_train[index], label_smoothing=args.smoothing)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            if args.processes > 1:
                average_gradients(model, args.processes)
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            step += 1
            seen += len(index) * args.processes
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if lead and step % args.eval_every == 0:
                val_acc, _ = accuracy(model, x_val, y_val)
                if val_acc > best[0]:
                    best = (val_acc, step, {k: v.detach().clone() for k, v in model.state_dict().items()})
                log(f"step {step} epoch {epoch} ({seen / len(x_train):.2f} epochs seen) lr {lr:.2e} "
                    f"loss {running:.4f} validation accuracy {val_acc:.4f}" + (" *" if best[1] == step else ""))
    train_minutes = (time.time() - loop_start) / 60
    if not lead:
        return
    val_acc, _ = accuracy(model, x_val, y_val)
    if val_acc > best[0]:
        best = (val_acc, step, {k: v.detach().clone() for k, v in model.state_dict().items()})
    log(f"end of training: {step} steps, {seen / len(x_train):.2f} epochs, {train_minutes:.2f} min in the loop; "
        f"final validation accuracy {val_acc:.4f}")
    model.load_state_dict(best[2])
    model.eval()
    export(model, config, args.out)

    # Every number below is measured on the exported checkpoint, read back from model.safetensors.
    saved = ViT.load(args.out)
    val_acc, _ = accuracy(saved, x_val, y_val)
    test_acc, predictions = accuracy(saved, x_test, y_test)
    correct = int((predictions == y_test).sum())
    se = math.sqrt(test_acc * (1 - test_acc) / len(y_test))
    log(f"kept: step {best[1]} (best validation accuracy {best[0]:.4f}); read back: validation {val_acc:.4f}, "
        f"test {test_acc:.4f} ({correct}/{len(y_test)}, standard error {100 * se:.2f} points)")
    for c, name in enumerate(data.LABELS):
        mask = y_test == c
        log(f"  test class {c} {name}: {int((predictions[mask] == c).sum())}/{int(mask.sum())} "
            f"= {(predictions[mask] == c).float().mean().item():.4f}")
    confusion = np.zeros((10, 10), dtype=np.int64)
    np.add.at(confusion, (y_test.numpy(), predictions.numpy()), 1)
    log("test confusion (row = true, column = predicted):\n" + "\n".join(" ".join(f"{v:4d}" for v in row)
                                                                         for row in confusion))
    per_class = {name: f"{(predictions[y_test == c] == c).float().mean().item():.1%}" for c, name in enumerate(data.LABELS)}
    config["attnviz_card"] = {
        "task": "Fashion-MNIST clothing classification, 10 classes, 28x28 greyscale (bright garment on black)",
        "data": "Fashion-MNIST (Zalando Research, MIT licence), Debian dataset-fashion-mnist",
        "split": f"train {len(x_train)} / validation {len(x_val)} from the 60,000 training images (seed {data.SEED}); "
                 f"test = the {len(x_test)} official test images",
        "training time": f"{train_minutes:.1f} min in the training loop, {(time.time() - start) / 60:.1f} min wall clock in "
                         f"all, {args.processes} process(es) x {args.threads} thread(s) ({step} steps, {seen / len(x_train):.1f} epochs, batch {args.batch})",
        "parameters": f"{parameters:,}",
        "accuracy test": f"{test_acc:.2%} ({correct}/{len(y_test)}, s.e. {100 * se:.2f} points)",
        "accuracy validation": f"{val_acc:.2%}",
        "accuracy per class (test)": per_class,
        "provenance": "models/vit/train.py " + " ".join(sys.argv[1:]),
    }
    with open(os.path.join(args.out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    log(f"total wall clock {(time.time() - start) / 60:.2f} min; parameters {parameters:,}")


if __name__ == "__main__":
    main()
