#!/usr/bin/python3
"""Train one attention variant of the seq2seq model on the WPT 2003 Hansards training release (hansards.py), in
a CPU budget that may span several runs: checkpoints every --checkpoint-minutes (and on SIGTERM/SIGINT) into an
output folder outside the repository, --resume continues from the last one; then --export writes the attnviz
package from the checkpoint with the best validation loss.

  /usr/bin/python3 models/seq2seq/train_hansards.py --variant bahdanau --data ../shared/data \\
      --out /work/train-h20/bahdanau --minutes 150                      # first run
  ... the same command with --resume                                     # continues to 150 minutes in total
  ... --export models/seq2seq-hansards-bahdanau                          # package from best.pt

The out folder holds log.txt (appended by every run), checkpoint.pt (the latest: model, optimizer, position in
the epoch, elapsed time, history), best.pt (the model with the lowest validation loss so far) and history.json.
At every checkpoint the log gets the validation loss (2,000 held-out pairs) and the AER on the WPT trial set
(train.alignment_error, the rule `attnviz align` uses), the number to choose on.

One torch thread per job (--threads 1): two jobs train side by side on the 2-core machine.
"""
import argparse
import json
import math
import os
import signal
import sys
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "models"))
import data as D  # noqa: E402
import hansards as H  # noqa: E402
import train as T  # noqa: E402
from model import VARIANTS, Seq2Seq  # noqa: E402

# Sizes a new run can take (--size); the checkpoint keeps the one it started with. "tatoeba" is the shipped
# Tatoeba models' size. The default is chosen for ~2-3 CPU-hours per variant on one core (see NOTES.md in the
# run folder's parent for the throughput behind it).
SIZES = {
    "tatoeba": dict(embedding_size=128, encoder_hidden=128, decoder_hidden=256, attention_size=128, window=4.0),
    "medium": dict(embedding_size=256, encoder_hidden=256, decoder_hidden=512, attention_size=256, window=4.0),
}
DEFAULT_SIZE = "tatoeba"


class Log:
    def __init__(self, path):
        self.path = path

    def __call__(self, message):
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} {message}"
        print(line, flush=True)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def epoch_batches(split, epoch, max_tokens, max_sentences):
    """The batches of one epoch, deterministic in (epoch): pairs sorted by (source length, target length, seeded
    noise) so a batch holds similar lengths, cut whenever the padded size (sentences x longest side) would pass
    max_tokens, then shuffled. -> list of index arrays."""
    rng = np.random.RandomState(H.SEED + epoch)
    source_lengths, target_lengths = split.source_lengths(), split.target_lengths()
    order = np.lexsort((rng.random_sample(len(split)), target_lengths, source_lengths))
    batches, begin, longest = [], 0, 0
    for k, i in enumerate(order):
        length = max(source_lengths[i], target_lengths[i])
        if k > begin and (max(longest, length) * (k - begin + 1) > max_tokens or k - begin >= max_sentences):
            batches.append(order[begin:k])
            begin, longest = k, 0
        longest = max(longest, length)
    batches.append(order[begin:])
    rng.shuffle(batches)
    return batches


def batch_tensors(split, indices):
    """-> source [S, B], lengths [B], target_in [T, B] (<sos> y1 .. y_{n-1}), target_out [T, B] (y1 .. <eos>)."""
    pairs = [split.pair(int(i)) for i in indices]
    source = T.pad([s for s, _ in pairs])
    lengths = torch.tensor([len(s) for s, _ in pairs])
    target_in = T.pad([[D.SOS] + t[:-1] for _, t in pairs])
    target_out = T.pad([t for _, t in pairs])
    return source, lengths, target_in, target_out


def training_loss(model, source, lengths, target_in, target_out, candidates, criterion, tail_samples=0):
    """Mean cross-entropy of a batch. candidates = 0: over the whole target vocabulary. candidates = K: the
    softmax runs over the K most frequent target ids (ids are in frequency order, specials first), every id in the
    batch's targets (the candidate list of Jean et al. 2015) and tail_samples ids drawn uniformly from the other
    ("tail") ids, whose logits get + log(tail size / tail_samples) so their exp-sum estimates the whole tail's
    (importance sampling, as sampled softmax does): without them the words never in a batch are never pushed down
    and the full-vocabulary loss drifts up. The output layer, most of the step's time with 30k words, shrinks.
    Validation loss, decoding and the exported model always use the whole vocabulary."""
    hidden, _ = model.attentionals(source, lengths, target_in)  # [T, B, D]
    hidden = model.dropout(hidden).reshape(-1, hidden.shape[-1])
    targets = target_out.reshape(-1)
    vocab = model.output.out_features
    if candidates <= 0 or candidates >= vocab:
        return criterion(model.output(hidden), targets)
    fixed = torch.unique(torch.cat([torch.arange(candidates), targets]))  # sorted
    correction = torch.zeros(0)
    if tail_samples > 0:
        in_tail = torch.ones(vocab, dtype=torch.bool)
        in_tail[fixed] = False
        tail = torch.nonzero(in_tail).squeeze(1)
        if len(tail) > 0:
            drawn = tail[torch.randperm(len(tail))[:tail_samples]]
            correction = torch.full((len(drawn),), float(torch.log(torch.tensor(len(tail) / len(drawn)))))
            fixed = torch.cat([fixed, drawn])  # the fixed ids stay first and sorted: targets index into them
    logits = nn.functional.linear(hidden, model.output.weight[fixed], model.output.bias[fixed])
    if len(correction):
        logits = torch.cat([logits[:, :len(fixed) - len(correction)],
                            logits[:, len(fixed) - len(correction):] + correction], 1)
    sorted_fixed = fixed[:len(fixed) - len(correction)]
    return criterion(logits, torch.searchsorted(sorted_fixed, targets))  # PAD (0) maps to 0: still ignored


def as_examples(split, by_length=False):
    """A split as train.py's example tuples (source ids, target ids), for train.loss_on; by_length sorts them
    by (source, target) length, which makes loss_on's batches of 200 far less padded (its sum is the same)."""
    examples = [split.pair(i) for i in range(len(split))]
    return sorted(examples, key=lambda e: (len(e[0]), len(e[1]))) if by_length else examples


def save_atomic(obj, path):
    torch.save(obj, path + ".tmp")
    os.replace(path + ".tmp", path)


CHOICES = {"validation-loss": "best.pt", "trial-aer": "best-aer.pt"}


def training_history(out):
    """Every checkpoint's numbers, so a card chosen by trial AER shows what the other checkpoints scored."""
    with open(os.path.join(out, "history.json"), encoding="utf-8") as handle:
        return json.load(handle)


def catch_stop_signals():
    """-> {"signal": None}, set to the number of a SIGTERM/SIGINT when one arrives (training then checkpoints and
    stops after its current step)."""
    stop = {"signal": None}

    def on_signal(number, _frame):
        stop["signal"] = number

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return stop


def stop_reason(stop, cpu_seconds, budget_seconds):
    """Why training stops after this step ("signal N", "time budget"), or None to go on."""
    if stop["signal"] is not None:
        return f"signal {stop['signal']}"
    return "time budget" if cpu_seconds >= budget_seconds else None


def evaluate(model, validation, corpus, wpt_dir):
    source_index = {w: i for i, w in enumerate(corpus.source_vocab)}
    target_index = {w: i for i, w in enumerate(corpus.target_vocab)}
    v = T.loss_on(model, validation)  # leaves the model in train mode
    model.eval()
    alignment = T.alignment_error(model, wpt_dir, source_index, target_index)
    model.train()
    return v, alignment


def run_training(args, corpus, log):
    checkpoint_path = os.path.join(args.out, "checkpoint.pt")
    state = None
    if args.resume:
        if not os.path.exists(checkpoint_path):
            raise SystemExit(f"train_hansards: --resume, but {checkpoint_path} does not exist; run without --resume "
                             "first (or point --out at the folder of the run to continue)")
        state = torch.load(checkpoint_path)
        if state["variant"] != args.variant:
            raise SystemExit(f"train_hansards: {checkpoint_path} is a {state['variant']} run, not {args.variant}")
    elif os.path.exists(checkpoint_path):
        raise SystemExit(f"train_hansards: {checkpoint_path} exists; add --resume to continue it, or choose another --out")
    architecture = state["architecture"] if state else dict(SIZES[args.size])
    settings = state["settings"] if state else {"batch_tokens": args.batch_tokens, "lr": args.lr,
                                                "candidates": args.candidates, "tail_samples": args.tail_samples,
                                                "max_sentences": args.max_sentences, "minutes": args.minutes}
    if state and args.minutes is not None:
        settings["minutes"] = args.minutes  # a resumed run may extend (or shorten) the budget
    model = Seq2Seq(args.variant, len(corpus.source_vocab), len(corpus.target_vocab), **architecture)
    optimizer = torch.optim.Adam(model.parameters(), lr=settings["lr"])
    criterion = nn.CrossEntropyLoss(ignore_index=D.PAD)
    if state:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        torch.set_rng_state(state["torch_rng"])
        epoch, position, step = state["epoch"], state["position"], state["step"]
        elapsed, history, best = state["elapsed_seconds"], state["history"], state["best_validation_loss"]
        cpu = state.get("cpu_seconds", elapsed)  # checkpoints before the CPU-time budget counted wall time
        tokens_seen = state["target_tokens_seen"]
        log(f"resumed {checkpoint_path}: epoch {epoch}, batch {position}, step {step}, {cpu / 60:.1f} of "
            f"{settings['minutes']} CPU minutes used ({elapsed / 60:.1f} wall), best validation loss {best:.4f}")
    else:
        torch.manual_seed(H.SEED)
        epoch, position, step, elapsed, history, best, tokens_seen = 1, 0, 0, 0.0, [], float("inf"), 0
        cpu = 0.0
        log(f"{args.variant}: new run, architecture {architecture}, settings {settings}, "
            f"{sum(p.numel() for p in model.parameters())} parameters")
    log(f"data: {json.dumps(corpus.stats['split_sizes'])}, vocab {json.dumps(corpus.stats['vocab_sizes'])}, "
        f"validation coverage {json.dumps(corpus.stats['validation_coverage'])}")

    stop = catch_stop_signals()

    validation = as_examples(corpus.splits["validation"], by_length=True)
    wpt_dir = os.path.join(args.data, "hansards-wpt03-en-fr")
    train_split = corpus.splits["train"]
    # The budget is this process's CPU time (one thread: CPU seconds of one core), so a run on a busy machine gets
    # the same training as on an idle one; wall time is logged beside it.
    budget = settings["minutes"] * 60
    run_start, cpu_start = time.time(), time.process_time()
    base_elapsed, base_cpu = elapsed, cpu
    last_checkpoint = time.time()
    window_tokens, window_start, window_cpu_start = 0, time.time(), time.process_time()

    def checkpoint(reason):
        nonlocal best, last_checkpoint, window_tokens, window_start, window_cpu_start
        now_elapsed = base_elapsed + time.time() - run_start
        now_cpu = base_cpu + time.process_time() - cpu_start
        rate = window_tokens / max(time.time() - window_start, 1e-9)
        cpu_rate = window_tokens / max(time.process_time() - window_cpu_start, 1e-9)
        v, alignment = evaluate(model, validation, corpus, wpt_dir)
        entry = {"step": step, "epoch": epoch, "position": position, "minutes": round(now_elapsed / 60, 2),
                 "cpu_minutes": round(now_cpu / 60, 2), "target_tokens_per_cpu_second": round(cpu_rate, 1),
                 "target_tokens_seen": tokens_seen, "validation_loss": round(v, 4), "trial_aer": alignment["aer"],
                 "target_tokens_per_second": round(rate, 1)}
        history.append(entry)
        improved = v < best
        if improved:
            best = v
            save_atomic({"variant": args.variant, "architecture": architecture, "model": model.state_dict(),
                         "entry": entry, "cache_stats": corpus.stats}, os.path.join(args.out, "best.pt"))
        # The trial set is the one the issue names to choose on: keep the checkpoint whose attention aligns best.
        if alignment["aer"] < min((h["trial_aer"] for h in history[:-1]), default=float("inf")):
            save_atomic({"variant": args.variant, "architecture": architecture, "model": model.state_dict(),
                         "entry": entry, "cache_stats": corpus.stats}, os.path.join(args.out, "best-aer.pt"))
        save_atomic({"variant": args.variant, "architecture": architecture, "settings": settings,
                     "model": model.state_dict(), "optimizer": optimizer.state_dict(), "torch_rng": torch.get_rng_state(),
                     "epoch": epoch, "position": position, "step": step, "elapsed_seconds": now_elapsed,
                     "cpu_seconds": now_cpu,
                     "history": history, "best_validation_loss": best, "target_tokens_seen": tokens_seen},
                    checkpoint_path)
        with open(os.path.join(args.out, "history.json"), "w", encoding="utf-8") as handle:
            json.dump(history, handle, indent=1)
        log(f"checkpoint ({reason}): step {step}, epoch {epoch} batch {position}, {now_cpu / 60:.1f} CPU min "
            f"({now_elapsed / 60:.1f} wall), {tokens_seen} target tokens seen, {cpu_rate:.0f} target tokens per CPU "
            f"second ({rate:.0f} per wall second), validation loss {v:.4f}"
            f"{' (best)' if improved else ''}, trial AER {alignment['aer']} (diagonal {alignment['diagonal_aer']}, "
            f"unk rate {alignment['unknown_token_rate']})")
        last_checkpoint = time.time()
        window_tokens, window_start, window_cpu_start = 0, time.time(), time.process_time()

    model.train()
    reason = None
    while reason is None:
        batches = epoch_batches(train_split, epoch, settings["batch_tokens"], settings["max_sentences"])
        while position < len(batches):
            source, lengths, target_in, target_out = batch_tensors(train_split, batches[position])
            loss = training_loss(model, source, lengths, target_in, target_out, settings["candidates"], criterion,
                                 settings.get("tail_samples", 0))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            step += 1
            position += 1
            count = int((target_out != D.PAD).sum())
            tokens_seen += count
            window_tokens += count
            if not math.isfinite(float(loss)):
                raise SystemExit(f"train_hansards: loss is {float(loss)} at step {step}; lower --lr and start again")
            if step % args.log_every == 0:
                log(f"step {step} epoch {epoch} batch {position}/{len(batches)}: train loss {float(loss):.3f}")
            reason = stop_reason(stop, base_cpu + time.process_time() - cpu_start, budget)
            if reason:
                break
            if time.time() - last_checkpoint >= args.checkpoint_minutes * 60:
                checkpoint("periodic")
        if reason is None:
            epoch, position = epoch + 1, 0
    checkpoint(reason)
    log(f"stopped by {reason}; resume with the same command plus --resume (a larger --minutes extends the budget)")


def export(args, corpus, log):
    """The package from best.pt (or best-aer.pt): F16 weights, test-split loss and BLEU, trial AER, the model card."""
    chosen = os.path.join(args.out, CHOICES[args.choose])
    if not os.path.exists(chosen):
        raise SystemExit(f"train_hansards: {chosen} does not exist (runs before best-aer.pt was kept have none; "
                         "--choose validation-loss, or --resume the run until a checkpoint beats every trial AER so far)")
    best = torch.load(chosen)
    architecture = best["architecture"]
    model = Seq2Seq(args.variant, len(corpus.source_vocab), len(corpus.target_vocab), **architecture)
    model.load_state_dict(best["model"])
    model.eval()
    T.to_half_precision(model)
    source_index = {w: i for i, w in enumerate(corpus.source_vocab)}
    target_index = {w: i for i, w in enumerate(corpus.target_vocab)}
    test = corpus.splits["test"]
    test_examples = as_examples(test)
    test_loss = T.loss_on(model, sorted(test_examples, key=lambda e: (len(e[0]), len(e[1]))))
    model.eval()
    bleu_examples = [(s, t, None, None, [corpus.target_vocab[i] for i in t[:-1]]) for s, t in test_examples]
    bleu, _ = T.bleu_on(model, bleu_examples, source_index, corpus.target_vocab)
    alignment = T.alignment_error(model, os.path.join(args.data, "hansards-wpt03-en-fr"), source_index, target_index)
    # Everyday sentences: the Tatoeba family's test split (data.py), through the same tokenizer and vocabularies.
    tatoeba = D.split_pairs(D.load_pairs(os.path.join(args.data, "tatoeba-eng-fra/fra-eng.zip")))["test"]
    tatoeba_bleu, _ = T.bleu_on(model, [(D.encode(p[0], source_index), D.encode(p[1], target_index), p[2], p[3], p[1])
                                        for p in tatoeba], source_index, corpus.target_vocab)
    entry = best["entry"]
    log(f"export {args.variant}: best checkpoint step {entry['step']} ({entry['minutes']} min), test loss {test_loss:.4f}, "
        f"BLEU {bleu:.2f} (Tatoeba test {tatoeba_bleu:.2f}), trial AER {alignment['aer']} (diagonal {alignment['diagonal_aer']})")
    full = dict(architecture, attention=args.variant, source_vocab_size=len(corpus.source_vocab),
                target_vocab_size=len(corpus.target_vocab), max_source_tokens=2 * H.MAX_TOKENS,
                tokenizer="tatoeba-en-fr", pad_id=D.PAD, unk_id=D.UNK, sos_id=D.SOS, eos_id=D.EOS)
    stats = corpus.stats
    card = {
        "description": f"English->French translation of parliamentary text, bidirectional GRU encoder and GRU decoder "
                       f"with {args.variant} attention.",
        "training_data": "WPT03 Hansards training release (ISI Aligned Hansards of the 36th Parliament of Canada, "
                         "ed. Ulrich Germann; WPT 2003 shared task), pairs matching WPT03 test or trial sentences removed",
        "preprocessing": f"models/seq2seq/hansards.py: text.py tokenizer; at most {H.MAX_TOKENS} tokens per side, "
                         f"length ratio <= {H.MAX_RATIO}, exact duplicates once; split by English sentence with seed "
                         f"{H.SEED}; the {H.VOCAB_SIZE} most frequent training tokens per side, others <unk>",
        "split_sizes": stats["split_sizes"],
        "vocab_sizes": stats["vocab_sizes"],
        "validation_coverage": stats["validation_coverage"],
        "parameters": sum(p.numel() for p in model.parameters()),
        "training": {"chosen_checkpoint": entry, "chosen_by": args.choose, "history": training_history(args.out)},
        "metrics": {"test_bleu": round(bleu, 2), "test_loss": round(test_loss, 4),
                    "bleu_method": "corpus BLEU-4 (models/seq2seq/metrics.py), greedy decoding, tokenized lowercased "
                                   "text, one reference, on the held-out Hansards test split (ids; <unk> in the "
                                   "reference counts as a token)",
                    "tatoeba_test_bleu": round(tatoeba_bleu, 2), "tatoeba_test_sentences": len(tatoeba),
                    "tatoeba_bleu_method": "the same BLEU on the Tatoeba family's test split (models/seq2seq/data.py, "
                                           "3,000 pairs of at most 16 tokens), everyday sentences outside the domain",
                    "hansards_aer": alignment["aer"], "hansards_diagonal_aer": alignment["diagonal_aer"],
                    "hansards_unknown_token_rate": alignment["unknown_token_rate"], "aer_method": T.AER_METHOD},
        "provenance": f"models/seq2seq/train_hansards.py --variant {args.variant} (torch {torch.__version__}), "
                      "weights stored as F16",
    }
    T.write_package(args.export, kind="seq2seq", name=f"hansards-en-fr-{args.variant}", variant=args.variant,
                    architecture=full, tensors=model.state_dict(), weights_dtype="F16", card=card,
                    texts={"source_vocab": ("source_vocab.txt", corpus.source_vocab),
                           "target_vocab": ("target_vocab.txt", corpus.target_vocab)})
    log(f"wrote {args.export}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variant", required=True, choices=VARIANTS)
    parser.add_argument("--data", required=True, help="the shared data folder (holds hansards-wpt03-training/, "
                                                      "hansards-wpt03-en-fr/)")
    parser.add_argument("--out", required=True, help="run folder outside the repository, e.g. /work/train-h20/bahdanau")
    parser.add_argument("--cache", default="/work/train-h20/cache", help="where hansards.py keeps the encoded corpus")
    parser.add_argument("--minutes", type=float, default=None,
                        help="total training budget in CPU minutes over all runs (default 150; a --resume keeps the saved one unless given)")
    parser.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt")
    parser.add_argument("--export", metavar="PACKAGE", help="write the package from OUT/best.pt instead of training")
    parser.add_argument("--choose", choices=sorted(CHOICES), default="validation-loss",
                        help="with --export: the checkpoint with the lowest validation loss, or the lowest trial AER")
    parser.add_argument("--size", choices=sorted(SIZES), default=DEFAULT_SIZE, help="architecture of a new run")
    parser.add_argument("--checkpoint-minutes", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-tokens", type=int, default=2000,
                        help="padded tokens per batch (sentences x longest side)")
    parser.add_argument("--max-sentences", type=int, default=128)
    parser.add_argument("--candidates", type=int, default=4000,
                        help="train the softmax over the K most frequent French ids plus the batch's (0: all)")
    parser.add_argument("--tail-samples", type=int, default=2000,
                        help="with --candidates: also this many uniformly drawn other ids, importance-weighted")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--log-every", type=int, default=100)
    args = parser.parse_args()
    if args.minutes is None and not args.resume:
        args.minutes = 150.0

    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    log = Log(os.path.join(args.out, "log.txt"))
    corpus = H.load_corpus(os.path.join(args.data, "hansards-wpt03-training"), args.cache)
    if args.export:
        export(args, corpus, log)
    else:
        run_training(args, corpus, log)


if __name__ == "__main__":
    main()
