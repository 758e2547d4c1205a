#!/usr/bin/python3
"""Train one attention variant of the seq2seq model on Tatoeba English->French, evaluate it (BLEU on the test
split, AER on the WPT 2003 Hansards trial set) and export it as an attnviz package with golden fixtures.

  /usr/bin/python3 models/seq2seq/train.py --variant luong-general --data ../shared/data \\
      --minutes 25 --out models/seq2seq-luong-general

Every variant uses the same data, split, vocabularies, architecture and schedule; only --variant differs.
"""
import argparse
import json
import os
import random
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
from export import write_package  # noqa: E402
from metrics import aer, aer_counts, corpus_bleu, read_wpt_alignments  # noqa: E402
from model import VARIANTS, Seq2Seq  # noqa: E402
from text import detokenize, tokenize  # noqa: E402

ARCHITECTURE = dict(embedding_size=128, encoder_hidden=128, decoder_hidden=256, attention_size=128, window=4.0)
GOLDEN_CASES = [  # (source, forced target)
    ("Tom is tired.", "Tom est fatigué."),
    ("I don't know what she wants.", "Je ne sais pas ce qu'elle veut."),
    ("Where is the zebra's purple umbrella?", "Où est le parapluie violet du zèbre ?"),
]
AER_METHOD = ("WPT 2003 trial set (37 pairs), forced decoding of the given words through the model tokenizer; each "
              "French word (its first token) linked to the English word with the most attention (summed over its "
              "tokens), <eos> left out; same rule as attnviz align")
GOLDEN_LOGIT_IDS = list(range(0, 64))  # logits compared at these target ids (plus every argmax, via the ids)


def pad(sequences, value=D.PAD):
    length = max(len(s) for s in sequences)
    return torch.tensor([s + [value] * (length - len(s)) for s in sequences]).T  # [L, B]


def make_batches(examples, batch_size, rng):
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i][0]), len(examples[i][1]), rng.random()))
    batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches


def batch_tensors(examples, indices):
    sources = [examples[i][0] for i in indices]
    targets = [examples[i][1] for i in indices]
    source = pad(sources)
    lengths = torch.tensor([len(s) for s in sources])
    target_in = pad([[D.SOS] + t[:-1] for t in targets])  # <sos> y1 .. yn (the last id, <eos>, is only predicted)
    target_out = pad(targets)
    return source, lengths, target_in, target_out


def loss_on(model, examples, batch_size=200):
    model.eval()
    criterion = nn.CrossEntropyLoss(ignore_index=D.PAD, reduction="sum")
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(examples), batch_size):
            source, lengths, target_in, target_out = batch_tensors(examples, range(start, min(start + batch_size, len(examples))))
            logits, _ = model(source, lengths, target_in)
            total += float(criterion(logits.reshape(-1, logits.shape[-1]), target_out.reshape(-1)))
            count += int((target_out != D.PAD).sum())
    model.train()
    return total / count


def train(model, train_examples, validation, minutes, batch_size, lr, log):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss(ignore_index=D.PAD)
    rng = random.Random(D.SEED)
    start = time.time()
    deadline = start + minutes * 60
    best, best_state, bad_evaluations, step, epoch = float("inf"), None, 0, 0, 0
    evaluate_every, patience = 400, 4
    history = []
    model.train()
    while time.time() < deadline and bad_evaluations < patience:
        epoch += 1
        for indices in make_batches(train_examples, batch_size, rng):
            source, lengths, target_in, target_out = batch_tensors(train_examples, indices)
            logits, _ = model(source, lengths, target_in)
            loss = criterion(logits.reshape(-1, logits.shape[-1]), target_out.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            step += 1
            out_of_time = time.time() >= deadline
            if step % evaluate_every == 0 or out_of_time:
                v = loss_on(model, validation)
                elapsed = (time.time() - start) / 60
                history.append({"step": step, "epoch": epoch, "minutes": round(elapsed, 2), "validation_loss": round(v, 4)})
                log(f"step {step} epoch {epoch} {elapsed:.1f} min: train loss {float(loss):.3f}, validation loss {v:.4f}")
                if v < best - 1e-3:
                    best, bad_evaluations = v, 0
                    best_state = {k: t.detach().clone() for k, t in model.state_dict().items()}
                else:
                    bad_evaluations += 1
                if out_of_time or bad_evaluations >= patience:
                    break
    if best_state is None:  # shorter than one evaluation interval
        best, best_state = loss_on(model, validation), model.state_dict()
    model.load_state_dict(best_state)
    stopped = "early stopping" if bad_evaluations >= patience else "time budget"
    return {"steps": step, "epochs": epoch, "minutes": round((time.time() - start) / 60, 2), "stopped_by": stopped,
            "best_validation_loss": round(best, 4), "history": history}


def to_half_precision(model):
    """The package stores F16 weights; round the model the same way so every metric and golden output
    describes exactly what ships."""
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())


def bleu_on(model, examples, source_index, target_vocab):
    model.eval()
    hypotheses, references = [], []
    for ids, target_ids, _, _, reference in examples:
        out, _, _ = model.greedy(ids, 2 * len(ids) + 10, D.EOS, D.SOS)
        hypotheses.append([target_vocab[i] for i in out if i != D.EOS])
        references.append(reference)
    return corpus_bleu(hypotheses, references), hypotheses


def forced_attention(model, source_ids, target_ids):
    """Teacher-forced attention [T, S] and logits [T, V] for one pair (target_ids end with <eos>)."""
    source = torch.tensor(source_ids).unsqueeze(1)
    target_in = torch.tensor([D.SOS] + target_ids[:-1]).unsqueeze(1)
    with torch.no_grad():
        logits, weights = model(source, torch.tensor([len(source_ids)]), target_in)
    return weights[:, 0, :], logits[:, 0, :]


def word_tokens(words, index):
    """The model input for pre-tokenised words: each word through the tokenizer (text.py), all tokens encoded
    with <eos> appended, and each word's token span [begin, end) (a word may become several tokens, e.g.
    "250,000" or "aujourd'"; one that becomes none has an empty span)."""
    tokens, spans = [], []
    for word in words:
        pieces = tokenize(word)
        spans.append((len(tokens), len(tokens) + len(pieces)))
        tokens.extend(pieces)
    return D.encode(tokens, index), spans


def alignment_error(model, wpt_dir, source_index, target_index):
    """AER on the Hansards trial set: force-decode each pair (its words through the model's tokenizer), link
    every French word (the row of its first token) to the English word with the most attention (summed over
    the word's tokens), <eos> row and column left out; and the diagonal baseline on the words. The same rule
    as `attnviz align` (app/cli_align.cpp)."""
    with open(os.path.join(wpt_dir, "dev.e"), encoding="utf-8") as handle:
        english = [line.split() for line in handle]
    with open(os.path.join(wpt_dir, "dev.f"), encoding="utf-8") as handle:
        french = [line.split() for line in handle]
    gold = read_wpt_alignments(os.path.join(wpt_dir, "dev.wa.nonullalign"))
    model_counts, diagonal_counts, unknown, tokens = [], [], 0, 0
    for n, (en, fr) in enumerate(zip(english, french), start=1):
        source_ids, source_spans = word_tokens(en, source_index)
        target_ids, target_spans = word_tokens(fr, target_index)
        unknown += sum(i == D.UNK for i in source_ids[:-1] + target_ids[:-1])
        tokens += len(source_ids) + len(target_ids) - 2
        weights, _ = forced_attention(model, source_ids, target_ids)
        word_weights = torch.stack([weights[:, b:e].sum(-1) for b, e in source_spans], -1)  # [T, English words]
        links = {(int(word_weights[b].argmax()) + 1, j + 1) for j, (b, e) in enumerate(target_spans) if e > b}
        diagonal = {(min(len(en), max(1, round((j + 0.5) * len(en) / len(fr) + 0.5))), j + 1) for j in range(len(fr))}
        sure, possible = gold.get(n, (set(), set()))
        model_counts.append(aer_counts(links, sure, possible))
        diagonal_counts.append(aer_counts(diagonal, sure, possible))
    return {"aer": round(aer(model_counts), 4), "diagonal_aer": round(aer(diagonal_counts), 4),
            "pairs": len(english), "unknown_token_rate": round(unknown / tokens, 4)}


def golden(model, source_index, target_index, target_vocab):
    arrays, cases = {}, []
    for k, (source_text, target_text) in enumerate(GOLDEN_CASES):
        source_tokens, target_tokens = tokenize(source_text), tokenize(target_text)
        source_ids, target_ids = D.encode(source_tokens, source_index), D.encode(target_tokens, target_index)
        ids, weights, logits = model.greedy(source_ids, 2 * len(source_ids) + 10, D.EOS, D.SOS)
        forced_weights, forced_logits = forced_attention(model, source_ids, target_ids)
        arrays[f"case{k}_source_ids"] = np.array(source_ids, dtype=np.float32)
        arrays[f"case{k}_greedy_ids"] = np.array(ids, dtype=np.float32)
        arrays[f"case{k}_greedy_attention"] = weights.numpy()
        arrays[f"case{k}_greedy_logits"] = logits[:, GOLDEN_LOGIT_IDS].numpy()
        arrays[f"case{k}_target_ids"] = np.array(target_ids, dtype=np.float32)
        arrays[f"case{k}_forced_attention"] = forced_weights.numpy()
        arrays[f"case{k}_forced_logits"] = forced_logits[:, GOLDEN_LOGIT_IDS].numpy()
        cases.append({"source": source_text, "target": target_text, "source_tokens": source_tokens,
                      "target_tokens": target_tokens,
                      "greedy_tokens": [target_vocab[i] for i in ids]})
    arrays["logit_ids"] = np.array(GOLDEN_LOGIT_IDS, dtype=np.float32)
    return arrays, cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variant", required=True, choices=VARIANTS)
    parser.add_argument("--data", required=True, help="the shared data folder (holds tatoeba-eng-fra/, hansards-wpt03-en-fr/)")
    parser.add_argument("--minutes", type=float, default=25.0, help="training time budget")
    parser.add_argument("--out", required=True, help="package folder to write")
    parser.add_argument("--golden", default=os.path.join(ROOT, "tests/data/seq2seq-golden"))
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads; 1 is fastest for this model (OpenMP sync dominates its small ops)")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(D.SEED)
    log_lines = []

    def log(message):
        print(message, flush=True)
        log_lines.append(message)

    pairs = D.load_pairs(os.path.join(args.data, "tatoeba-eng-fra/fra-eng.zip"))
    splits = D.split_pairs(pairs)
    source_vocab = D.build_vocab([p[0] for p in splits["train"]])
    target_vocab = D.build_vocab([p[1] for p in splits["train"]])
    source_index = {w: i for i, w in enumerate(source_vocab)}
    target_index = {w: i for i, w in enumerate(target_vocab)}
    encoded = {name: [(D.encode(p[0], source_index), D.encode(p[1], target_index), p[2], p[3], p[1]) for p in split]
               for name, split in splits.items()}
    log(f"{args.variant}: {len(pairs)} pairs <= {D.MAX_TOKENS} tokens; split " +
        ", ".join(f"{k} {len(v)}" for k, v in splits.items()) +
        f"; vocab en {len(source_vocab)}, fr {len(target_vocab)}")

    model = Seq2Seq(args.variant, len(source_vocab), len(target_vocab), **ARCHITECTURE)
    parameters = sum(p.numel() for p in model.parameters())
    training = train(model, encoded["train"], encoded["validation"], args.minutes, args.batch, args.lr, log)
    model.eval()
    to_half_precision(model)
    test_loss = loss_on(model, encoded["test"])
    bleu, hypotheses = bleu_on(model, encoded["test"], source_index, target_vocab)
    alignment = alignment_error(model, os.path.join(args.data, "hansards-wpt03-en-fr"), source_index, target_index)
    log(f"{args.variant}: {training['minutes']} min ({training['stopped_by']}), best validation loss "
        f"{training['best_validation_loss']}, test loss {test_loss:.4f}, BLEU {bleu:.2f}, AER {alignment['aer']} "
        f"(diagonal {alignment['diagonal_aer']})")
    for (ids, _, en, fr, _), hyp in list(zip(encoded["test"], hypotheses))[:5]:
        log(f"  {en} -> {detokenize(hyp)}   (reference: {fr})")

    architecture = dict(ARCHITECTURE, attention=args.variant, source_vocab_size=len(source_vocab),
                        target_vocab_size=len(target_vocab), max_source_tokens=D.MAX_TOKENS * 4,
                        tokenizer="tatoeba-en-fr", pad_id=D.PAD, unk_id=D.UNK, sos_id=D.SOS, eos_id=D.EOS)
    card = {
        "description": f"English->French translation, bidirectional GRU encoder and GRU decoder with {args.variant} attention.",
        "training_data": "Tatoeba English-French pairs (manythings.org/anki fra-eng.zip, 2017-09-29; CC-BY 2.0 FR, "
                         "www.manythings.org/anki and tatoeba.org)",
        "preprocessing": f"models/seq2seq/text.py tokenizer; pairs with at most {D.MAX_TOKENS} tokens per side, de-duplicated; "
                         f"split by English sentence with seed {D.SEED}; words seen fewer than {D.MIN_FREQUENCY} times in "
                         "training are <unk>",
        "split_sizes": {k: len(v) for k, v in splits.items()},
        "vocab_sizes": {"english": len(source_vocab), "french": len(target_vocab)},
        "parameters": parameters,
        "training": {k: v for k, v in training.items() if k != "history"},
        "metrics": {"test_bleu": round(bleu, 2), "test_loss": round(test_loss, 4),
                    "bleu_method": "corpus BLEU-4 (models/seq2seq/metrics.py), greedy decoding, tokenized lowercased text, "
                                   "one reference",
                    "hansards_aer": alignment["aer"], "hansards_diagonal_aer": alignment["diagonal_aer"],
                    "hansards_unknown_token_rate": alignment["unknown_token_rate"],
                    "aer_method": AER_METHOD},
        "provenance": f"models/seq2seq/train.py --variant {args.variant} --minutes {args.minutes} --threads {args.threads} "
                      f"(torch {torch.__version__}), weights stored as F16",
    }
    write_package(args.out, kind="seq2seq", name=f"tatoeba-en-fr-{args.variant}", variant=args.variant,
                  architecture=architecture, tensors=model.state_dict(), weights_dtype="F16", card=card,
                  texts={"source_vocab": ("source_vocab.txt", source_vocab),
                         "target_vocab": ("target_vocab.txt", target_vocab)})
    os.makedirs(args.golden, exist_ok=True)
    arrays, cases = golden(model, source_index, target_index, target_vocab)
    np.savez(os.path.join(args.golden, f"{args.variant}.npz"), **arrays)
    with open(os.path.join(args.golden, f"{args.variant}.json"), "w", encoding="utf-8") as handle:
        json.dump({"variant": args.variant, "cases": cases}, handle, ensure_ascii=False, indent=1)
    with open(os.path.join(args.out, "training-log.txt"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(log_lines) + "\n" + json.dumps(training["history"]) + "\n")
    log(f"wrote {args.out} and golden fixtures in {args.golden}")


if __name__ == "__main__":
    main()
