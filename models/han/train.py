"""Train the Hierarchical Attention Network on Pang & Lee movie review polarity v2.0, measure it against
bag-of-words baselines on the same split, and export it as an attnviz package with golden fixtures.

  /usr/bin/python3 models/han/train.py --data ../shared/data --out models/han-movie-reviews --minutes 25
"""

import argparse
import copy
import json
import math
import os
import random
import sys
import time

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import baseline  # noqa: E402
import data as D  # noqa: E402
import embeddings as E  # noqa: E402
from export import write_package  # noqa: E402
import golden  # noqa: E402
from model import HAN  # noqa: E402

ARCHITECTURE = {"embedding_size": 100, "word_hidden": 50, "sentence_hidden": 50, "word_attention": 100,
                "sentence_attention": 100}
# Generous limits for documents the app is given (training reviews have at most 112 sentences of 155 words).
MAX_SENTENCES, MAX_WORDS = 1000, 400


def batches(documents, batch_size, rng):
    order = list(range(len(documents)))
    rng.shuffle(order)
    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]


def evaluate(model, encoded, batch_size=32):
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for b in range(0, len(encoded), batch_size):
            chunk = encoded[b:b + batch_size]
            logits, _, _ = model([d for d, _ in chunk])
            labels = torch.tensor([l for _, l in chunk])
            loss += float(nn.functional.cross_entropy(logits, labels, reduction="sum"))
            correct += int((logits.argmax(1) == labels).sum())
    return loss / len(encoded), correct / len(encoded)


def train(model, train_set, dev_set, deadline, batch_size, lr, patience, log):
    optimiser = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
    rng = random.Random(D.SEED)
    best, best_state, history, stale, epoch = None, None, [], 0, 0
    stopped_by = "time budget"
    while time.time() < deadline:
        model.train()
        epoch += 1
        total = 0.0
        for batch in batches(train_set, batch_size, rng):
            logits, _, _ = model([train_set[i][0] for i in batch])
            loss = nn.functional.cross_entropy(logits, torch.tensor([train_set[i][1] for i in batch]))
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            total += float(loss) * len(batch)
            if time.time() > deadline:
                break
        dev_loss, dev_accuracy = evaluate(model, dev_set)
        history.append({"epoch": epoch, "train_loss": round(total / len(train_set), 4),
                        "dev_loss": round(dev_loss, 4), "dev_accuracy": round(dev_accuracy, 4)})
        log(f"epoch {epoch}: train loss {total / len(train_set):.4f}, dev loss {dev_loss:.4f}, "
            f"dev accuracy {dev_accuracy:.4f}")
        key = (dev_accuracy, -dev_loss)
        if best is None or key > best:
            best, best_state, stale = key, copy.deepcopy(model.state_dict()), 0
        else:
            stale += 1
            if stale >= patience:
                stopped_by = f"early stopping ({patience} epochs without a better dev accuracy)"
                break
    model.load_state_dict(best_state)
    return {"epochs": epoch, "stopped_by": stopped_by, "best_dev_accuracy": round(best[0], 4),
            "best_dev_loss": round(-best[1], 4), "history": history}


def to_half_precision(model):
    """The package stores F16 weights; round the model the same way so metrics and golden outputs describe
    exactly what ships."""
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="the shared data folder (holds movie-review-polarity/)")
    parser.add_argument("--minutes", type=float, default=25.0, help="time budget for everything, pretraining included")
    parser.add_argument("--pretrain-minutes", type=float, default=5.0)
    parser.add_argument("--embeddings", choices=["skipgram", "random"], default="skipgram")
    parser.add_argument("--out", required=True, help="package folder to write")
    parser.add_argument("--golden", default=os.path.join(ROOT, "tests/data/han-golden"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--patience", type=int, default=6)
    parser.add_argument("--freeze-embeddings", action="store_true",
                        help="keep the pretrained word vectors fixed (fewer parameters to overfit ~1,300 reviews)")
    parser.add_argument("--embedding-dropout", type=float, default=0.3)
    parser.add_argument("--document-dropout", type=float, default=0.5)
    args = parser.parse_args()

    start = time.time()
    deadline = start + args.minutes * 60
    torch.set_num_threads(args.threads)
    torch.manual_seed(D.SEED)
    log_lines = []

    def log(message):
        print(message, flush=True)
        log_lines.append(message)

    reviews = D.load_reviews(os.path.join(args.data, "movie-review-polarity/review_polarity_cv000-899.tar.gz"))
    splits = D.split_reviews(reviews)
    vocab = D.build_vocab(splits["train"])
    index = {w: i for i, w in enumerate(vocab)}
    encoded = {name: [(D.encode(r[2], index), r[1]) for r in split] for name, split in splits.items()}
    log("split by cvNNN prefix: " + ", ".join(f"{k} {len(v)} reviews" for k, v in splits.items()) +
        f"; vocabulary {len(vocab)} (words seen at least {D.MIN_FREQUENCY} times in train)")

    as_pairs = {name: [(r[2], r[1]) for r in split] for name, split in splits.items()}
    scores = baseline.fit_and_score(as_pairs["train"] + as_pairs["dev"], as_pairs["validation"])
    log(f"baselines on validation: naive Bayes {scores['naive_bayes']:.4f}, logistic regression "
        f"{scores['logistic_regression']:.4f} ({scores['features']} unigram+bigram features)")

    model = HAN(len(vocab), **ARCHITECTURE, embedding_dropout=args.embedding_dropout,
                document_dropout=args.document_dropout)
    pretraining = None
    if args.embeddings == "skipgram":
        corpus = [s for r in splits["train"] + splits["dev"] for s in r[2]] + E.english_text(args.data)
        vectors, covered = E.pretrain(corpus, index, ARCHITECTURE["embedding_size"], args.pretrain_minutes, log)
        with torch.no_grad():
            model.embedding.weight.copy_(vectors)
        log("nearest words: " + E.nearest(vectors, index, ["great", "boring", "actor", "funny"]))
        model.embedding.weight.requires_grad_(not args.freeze_embeddings)
        pretraining = {"method": "skip-gram with negative sampling (models/han/embeddings.py)",
                       "sentences": len(corpus), "vocabulary_covered": covered,
                       "minutes": round((time.time() - start) / 60, 2)}
    parameters = sum(p.numel() for p in model.parameters())
    training = train(model, encoded["train"], encoded["dev"], deadline, args.batch, args.lr, args.patience, log)
    to_half_precision(model)
    validation_loss, validation_accuracy = evaluate(model, encoded["validation"])
    minutes = round((time.time() - start) / 60, 2)
    log(f"HAN: validation accuracy {validation_accuracy:.4f} (loss {validation_loss:.4f}); {minutes} min in all, "
        f"{training['stopped_by']}")
    n = len(encoded["validation"])
    standard_error = math.sqrt(validation_accuracy * (1 - validation_accuracy) / n)

    architecture = dict(ARCHITECTURE, vocab_size=len(vocab), classes=len(D.LABELS), tokenizer="pang-lee-v2",
                        pad_id=D.PAD, unk_id=D.UNK, max_sentences=MAX_SENTENCES, max_words_per_sentence=MAX_WORDS)
    card = {
        "description": "Sentiment (positive/negative) of a movie review by a Hierarchical Attention Network "
                       "(Yang et al. 2016): word and sentence attention with learned context vectors.",
        "training_data": "Pang & Lee movie review polarity v2.0, reviews cv000-cv899 (Cornell; cite Pang & Lee, ACL 2004)",
        "preprocessing": "models/han/text.py (one sentence per line, lowercased, punctuation split off); words seen "
                         f"fewer than {D.MIN_FREQUENCY} times in the training split are <unk>",
        "split": f"by cvNNN prefix, seed {D.SEED}: {D.FOLDS} folds, fold {D.VALIDATION_FOLD} is validation; "
                 f"{D.DEV_FRACTION:.0%} of the other prefixes are a development set for early stopping",
        "split_sizes": {k: len(v) for k, v in splits.items()},
        "vocab_size": len(vocab),
        "parameters": parameters,
        "embeddings": pretraining or "random init",
        "training": {k: v for k, v in training.items() if k != "history"},
        "metrics": {"validation_accuracy": round(validation_accuracy, 4),
                    "validation_accuracy_standard_error": round(standard_error, 4),
                    "validation_loss": round(validation_loss, 4),
                    "baseline_naive_bayes_accuracy": round(scores["naive_bayes"], 4),
                    "baseline_logistic_regression_accuracy": round(scores["logistic_regression"], 4),
                    "baseline_method": "models/han/baseline.py: binary unigram+bigram features (min count 2), "
                                       "trained on train+dev, same validation reviews"},
        "provenance": f"models/han/train.py --minutes {args.minutes} --embeddings {args.embeddings}"
                      f"{' --freeze-embeddings' if args.freeze_embeddings else ''} --batch {args.batch} "
                      f"--lr {args.lr} (torch {torch.__version__}), {minutes} min on 2 cores, weights stored as F16",
    }
    write_package(args.out, kind="han", name="movie-review-han", variant="", architecture=architecture,
                  tensors=model.state_dict(), weights_dtype="F16", card=card,
                  texts={"vocab": ("vocab.txt", vocab), "labels": ("labels.txt", D.LABELS)})
    # The fixtures come from the package as written (F16 read back), as golden.py would make them.
    shipped, shipped_index, _ = golden.load_package(args.out)
    golden.write(shipped, shipped_index, golden.documents(args.data), args.golden)
    with open(os.path.join(args.out, "training-log.txt"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(log_lines) + "\n" + json.dumps(training["history"]) + "\n")
    log(f"wrote {args.out} and golden fixtures in {args.golden}")


if __name__ == "__main__":
    main()
