"""Trains the coreference model end to end within --minutes (wall clock, everything included): learns the
WordPiece vocabulary, pretrains the encoder with masked language modelling on English text, fine-tunes the
pointer head and one supervised attention head (--supervised-head: its attention from the pronoun is trained
onto the antecedent, as LISA supervises a head with syntax) on the WinoBias + GAP training split (data.py),
keeps the best validation checkpoint, then evaluates (evaluate.py) and writes the Hugging Face folder
models/coref-bert/.

    /usr/bin/python3 models/coref/train.py --data ../shared/data --minutes 33 --out models/coref-bert

Pretraining text (unlabelled, never from the validation or test examples): Tatoeba English sentences,
Pang & Lee movie-review sentences, and the GAP paragraphs and WinoBias sentences of the training split.
"""

import argparse
import io
import json
import math
import os
import random
import sys
import tarfile
import time
import zipfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import data as coref_data  # noqa: E402
import evaluate  # noqa: E402
import vocab as vocab_learner  # noqa: E402
from model import DETERMINERS, CorefBert, PRONOUNS, write_safetensors  # noqa: E402
from reference.wordpiece import WordPiece  # noqa: E402


class Log:
    def __init__(self, path):
        self.start = time.time()
        self.file = open(path, "w", encoding="utf-8")

    def __call__(self, *parts):
        line = f"[{(time.time() - self.start) / 60:6.2f} min] " + " ".join(str(p) for p in parts)
        print(line, flush=True)
        self.file.write(line + "\n")
        self.file.flush()


def tatoeba_english(data_dir):
    with zipfile.ZipFile(f"{data_dir}/tatoeba-eng-fra/fra-eng.zip") as z:
        lines = z.read("fra.txt").decode("utf-8").splitlines()
    return sorted({line.split("\t")[0].replace("\u202f", " ") for line in lines if "\t" in line})


def review_documents(data_dir):
    docs = []
    with tarfile.open(f"{data_dir}/movie-review-polarity/review_polarity_cv000-899.tar.gz") as t:
        for m in sorted(t.getmembers(), key=lambda m: m.name):
            if m.isfile() and m.name.endswith(".txt"):
                docs.append(t.extractfile(m).read().decode("utf-8", "replace").replace("\n", " "))
    return docs


class Ids:
    """Basic words -> ids with a cache (the reference WordPiece is pure Python)."""

    def __init__(self, tok):
        self.tok, self.cache = tok, {}

    def __call__(self, text):
        out = []
        for w in vocab_learner.basic_words(text):  # the reference's words, with a fast path for ASCII
            ids = self.cache.get(w)
            if ids is None:
                ids = self.cache[w] = [self.tok.ids[p] for p in self.tok.pieces(w)]
            out.extend(ids)
        return out


NEUTER = {"it": {"he": "it", "she": "it", "him": "it", "his": "its", "himself": "itself", "herself": "itself",
                  "hers": "its"},
          "they": {"he": "they", "she": "they", "him": "them", "his": "their", "himself": "themselves",
                   "herself": "themselves", "hers": "theirs"}}
OBJECT_FOLLOWERS = {"", ".", ",", "!", "?", ";", "the", "a", "an", "to", "and", "in", "for", "with", "because",
                    "about", "that", "of", "on", "at", "as", "so", "but", "after", "before", "since", "if", "when"}


def neuter_copy(e, rng):
    """A WinoBias training sentence with its pronoun made "it"/"its"/"they"/"them"/... (verbs are not
    re-inflected), so that the pointer also learns the neuter pronouns, which neither data set has."""
    s, t = e.pronoun
    word = e.text[s:t]
    table = NEUTER[rng.choice(["it", "they"])]
    low = word.lower()
    if low == "her":  # object or possessive: guess from the next word
        following = (e.text[t:].split() or [""])[0].strip(".,!?;").lower()
        new = table["him"] if following in OBJECT_FOLLOWERS or not e.text[t:].strip(" ")[:1].isalpha() else table["his"]
    elif low in table:
        new = table[low]
    else:
        return None
    if word[:1].isupper():
        new = new.capitalize()
    shift = len(new) - len(word)
    move = lambda span: (span if span[1] <= s else (span[0] + shift, span[1] + shift))  # noqa: E731
    text = e.text[:s] + new + e.text[t:]
    return e._replace(text=text, pronoun=(s, s + len(new)), antecedent=move(e.antecedent),
                      candidates=[move(c) for c in e.candidates], source=e.source + "-neuter")


def mlm_batch(stream, length, batch, vocab_size, rng, cls, sep, mask_id, first_normal):
    """Random windows of the token stream -> ids [batch, length], positions and targets of masked tokens."""
    starts = rng.integers(0, len(stream) - (length - 2), size=batch)
    ids = np.empty((batch, length), dtype=np.int64)
    ids[:, 0], ids[:, -1] = cls, sep
    for b, s in enumerate(starts):
        ids[b, 1:-1] = stream[s:s + length - 2]
    chosen = rng.random((batch, length)) < 0.15
    chosen[:, 0] = chosen[:, -1] = False
    targets = ids[chosen].copy()
    r = rng.random(len(targets))
    replaced = ids[chosen]
    replaced[r < 0.8] = mask_id
    random_ones = (r >= 0.8) & (r < 0.9)
    replaced[random_ones] = rng.integers(first_normal, vocab_size, size=int(random_ones.sum()))
    ids[chosen] = replaced
    return torch.from_numpy(ids), torch.from_numpy(chosen), torch.from_numpy(targets)


def lr_at(t, total, peak, warmup=0.06):
    f = t / max(total, 1e-9)
    return peak * (f / warmup if f < warmup else max(0.0, (1 - f) / (1 - warmup)))


def pretrain(model, stream, seconds, args, log, vocab):
    rng = np.random.default_rng(args.seed)
    opt = torch.optim.AdamW(model.parameters(), lr=args.pretrain_lr, weight_decay=0.01)
    cls, sep, mask_id = vocab.index("[CLS]"), vocab.index("[SEP]"), vocab.index("[MASK]")
    model.train()
    start, step, avg = time.time(), 0, None
    while True:
        t = time.time() - start
        if t >= seconds:
            break
        long_phase = t >= seconds * 0.75  # the last quarter on 256-token windows, for GAP-length positions
        length, batch = (256, args.batch // 2) if long_phase else (128, args.batch)
        for g in opt.param_groups:
            g["lr"] = lr_at(t, seconds, args.pretrain_lr)
        ids, chosen, targets = mlm_batch(stream, length, batch, len(vocab), rng, cls, sep, mask_id, 5)
        h, _ = model.encode(ids)
        loss = torch.nn.functional.cross_entropy(model.mlm_logits(h[chosen]), targets)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        avg = loss.item() if avg is None else 0.98 * avg + 0.02 * loss.item()
        if step % 100 == 0:
            log(f"pretrain step {step} len {length} lr {opt.param_groups[0]['lr']:.2e} mlm loss {avg:.3f}")
    avg = float("nan") if avg is None else avg
    log(f"pretraining done: {step} steps in {(time.time() - start) / 60:.2f} min, mlm loss {avg:.3f}")
    return step, avg


def batches(items, batch_tokens, rng):
    """Length-sorted batches of about batch_tokens padded tokens, in random order."""
    order = sorted(range(len(items)), key=lambda i: (len(items[i]["ids"]), rng.random()))
    out, current = [], []
    for i in order:
        n = len(items[i]["ids"])
        if current and (len(current) + 1) * n > batch_tokens:
            out.append(current)
            current = []
        current.append(i)
    if current:
        out.append(current)
    rng.shuffle(out)
    return out


def collate(items, index):
    n = max(len(items[i]["ids"]) for i in index)
    b = len(index)
    ids = torch.zeros(b, n, dtype=torch.long)
    real = torch.zeros(b, n, dtype=torch.bool)
    gold = torch.zeros(b, n, dtype=torch.bool)
    pronoun = torch.zeros(b, dtype=torch.long)
    for r, i in enumerate(index):
        e = items[i]
        ids[r, :len(e["ids"])] = torch.tensor(e["ids"])
        real[r, :len(e["ids"])] = True
        s, t = e["antecedent"]
        gold[r, s:t] = True
        pronoun[r] = e["pronoun"]
    candidates = real.clone()
    candidates[:, 0] = False
    candidates[torch.arange(b), real.sum(1) - 1] = False  # [SEP]
    candidates[torch.arange(b), pronoun] = False
    return ids, real, candidates, gold, pronoun


def finetune(model, train, validation, seconds, args, log):
    rng = random.Random(args.seed)
    opt = torch.optim.AdamW(model.parameters(), lr=args.finetune_lr, weight_decay=0.01)
    start, step, epoch = time.time(), 0, 0
    best, best_state, history = -1.0, None, []
    next_eval = args.eval_every
    done = False
    while not done:
        epoch += 1
        for index in batches(train, args.batch_tokens, rng):
            t = time.time() - start
            if t >= seconds:
                done = True
                break
            for g in opt.param_groups:
                g["lr"] = lr_at(t, seconds, args.finetune_lr, warmup=0.05)
            model.train()
            ids, real, candidates, gold, pronoun = collate(train, index)
            h, att = model.encode(ids, real)
            logp = model.pointer_log_probs(h, pronoun, candidates)
            pointer_loss = -torch.logsumexp(logp.masked_fill(~gold, float("-inf")), dim=-1).mean()
            head_loss = supervised_head_loss(att, pronoun, gold, args.supervised_head)
            loss = pointer_loss + args.head_weight * head_loss
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            if step % 50 == 0:
                log(f"finetune epoch {epoch} step {step} lr {opt.param_groups[0]['lr']:.2e} loss {loss.item():.3f} "
                    f"(pointer {pointer_loss.item():.3f}, head {head_loss.item():.3f})")
            if time.time() - start >= next_eval:
                next_eval += args.eval_every
                score = validate(model, validation, log, f"epoch {epoch} step {step}", args.supervised_head)
                history.append(score)
                if score > best:
                    best, best_state = score, {k: v.clone() for k, v in model.state_dict().items()}
    score = validate(model, validation, log, f"end: epoch {epoch} step {step}", args.supervised_head)
    if score > best:
        best, best_state = score, {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    log(f"fine-tuning done: {step} steps, {epoch} epochs, {(time.time() - start) / 60:.2f} min; "
        f"best validation score {best:.4f}")
    return step, epoch, best


def supervised_head_loss(att, pronoun, gold, layer_head):
    """LISA-style supervision of one attention head (Strubell et al. 2018): -log of the attention probability
    that head `layer_head` = (layer, head) puts, from the pronoun's row, on the gold antecedent span's tokens.
    att: [layers, batch, heads, N, N] (padded keys have probability 0); pronoun: [batch]; gold: [batch, N] bool.
    -> mean over the batch (a scalar)."""
    layer, head = layer_head
    rows = torch.arange(att.shape[1])
    row = att[layer, rows, head, pronoun, :]  # [batch, N]: the pronoun's attention over the keys
    mass = (row * gold).sum(-1)
    return -torch.log(mass.clamp_min(1e-12)).mean()


def validate(model, validation, log, label, layer_head):
    """The checkpoint score: the mean of the pointer's score and the supervised head's score, each the mean of
    the WinoBias and GAP argmax-in-span accuracies, so the kept checkpoint is one where both point."""
    r = evaluate.pointer_accuracy(model, validation, layer_head)
    rate = lambda c: c[0] / max(c[1], 1)  # noqa: E731
    pointer = (rate(r["winobias"]) + rate(r["gap"])) / 2
    head = (rate(r["head winobias"]) + rate(r["head gap"])) / 2
    score = (pointer + head) / 2
    log(f"validation {label}: pointer winobias {r['winobias'][0]}/{r['winobias'][1]} gap {r['gap'][0]}/{r['gap'][1]} "
        f"({pointer:.4f}); head {layer_head[0]}.{layer_head[1]} winobias {r['head winobias'][0]}/"
        f"{r['head winobias'][1]} gap {r['head gap'][0]}/{r['head gap'][1]} ({head:.4f}); score {score:.4f}")
    return score


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "..", "shared", "data"))
    ap.add_argument("--out", default=os.path.join(HERE, "..", "coref-bert"))
    ap.add_argument("--minutes", type=float, default=33.0, help="wall-clock budget for everything up to saving")
    ap.add_argument("--pretrain-share", type=float, default=0.45, help="share of the remaining budget for MLM")
    ap.add_argument("--vocab-size", type=int, default=8000)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--intermediate", type=int, default=512)
    ap.add_argument("--pointer-size", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32, help="MLM sequences per batch (128 tokens)")
    ap.add_argument("--batch-tokens", type=int, default=2048, help="fine-tuning padded tokens per batch")
    ap.add_argument("--pretrain-lr", type=float, default=1e-3)
    ap.add_argument("--finetune-lr", type=float, default=3e-4)
    ap.add_argument("--eval-every", type=float, default=120.0, help="seconds of fine-tuning between validations")
    ap.add_argument("--supervised-head", type=int, nargs=2, default=[3, 0], metavar=("LAYER", "HEAD"),
                    help="0-based layer and head whose attention from the pronoun is trained onto the antecedent")
    ap.add_argument("--head-weight", type=float, default=1.0, help="weight of that head's loss beside the pointer's")
    ap.add_argument("--seed", type=int, default=coref_data.SEED)
    ap.add_argument("--threads", type=int, default=1,
                    help="1 is faster than 2 on the 2-core VM while it also compiles (measured: 2.6x)")
    args = ap.parse_args()
    if not (0 <= args.supervised_head[0] < args.layers and 0 <= args.supervised_head[1] < args.heads):
        ap.error(f"--supervised-head {args.supervised_head[0]} {args.supervised_head[1]}: must be a layer below "
                 f"{args.layers} and a head below {args.heads} (0-based)")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    log = Log(os.path.join(args.out, "training-log.txt"))
    budget = args.minutes * 60
    log("command:", " ".join(sys.argv), "| torch", torch.__version__, "threads", args.threads)

    split = coref_data.split(args.data)
    log("split:", {k: len(v) for k, v in split.items()})
    train_text = sorted({e.text for e in split["train"]})
    tatoeba = tatoeba_english(args.data)
    reviews = review_documents(args.data)
    documents = tatoeba + reviews + train_text
    counts = vocab_learner.count_words(documents)
    vocab = vocab_learner.learn(None, size=args.vocab_size, counts=counts)
    log(f"vocabulary: {len(vocab)} pieces from {len(documents)} documents ({len(tatoeba)} Tatoeba sentences, "
        f"{len(reviews)} reviews, {len(train_text)} training-split texts), {sum(counts.values())} words")
    tok = WordPiece(vocab, lowercase=True)
    to_ids = Ids(tok)
    rng = random.Random(args.seed)
    order = list(range(len(documents)))
    rng.shuffle(order)
    stream = np.array([i for d in order for i in to_ids(documents[d])], dtype=np.int64)
    unk = int((stream == vocab.index("[UNK]")).sum())
    log(f"pretraining stream: {len(stream)} tokens ({unk} [UNK])")

    items = {name: evaluate.examples(tok, split[name]) for name in split}
    for name, (kept, dropped) in items.items():
        log(f"{name}: {len(kept)} examples with a pronoun token ({dropped} dropped: pronoun not one wordpiece "
            f"or spans not on token boundaries)")
    train = [e for e in items["train"][0] if e["antecedent"] is not None]
    copies = [c for c in (neuter_copy(e, rng) for e in split["train"] if e.source.startswith("winobias")) if c]
    neuter, dropped = evaluate.examples(tok, copies)
    train += neuter
    log(f"neuter-pronoun copies of the WinoBias training sentences: {len(neuter)} ({dropped} dropped), e.g. "
        + " | ".join(c.text for c in copies[:3]))
    validation = items["validation"][0]
    log(f"fine-tuning on {len(train)} training examples with an antecedent")

    config = {
        "model_type": "bert", "architectures": ["BertModel"], "vocab_size": len(vocab),
        "hidden_size": args.hidden, "num_hidden_layers": args.layers, "num_attention_heads": args.heads,
        "intermediate_size": args.intermediate, "hidden_act": "gelu", "max_position_embeddings": 512,
        "type_vocab_size": 2, "layer_norm_eps": 1e-12, "position_embedding_type": "absolute",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.0, "initializer_range": 0.02,
        "pad_token_id": 0, "coreference_pointer": {"size": args.pointer_size, "pronouns": PRONOUNS,
                                                         "candidates": "mentions", "determiners": DETERMINERS},
        # The attention head trained to point at the antecedent (supervised_head_loss); evaluate.py names it as
        # coreference_head, the head attnviz shows first.
        "coreference_supervision": {"layer": args.supervised_head[0], "head": args.supervised_head[1],
                                    "weight": args.head_weight,
                                    "loss": "-log of the head's attention from the pronoun summed over the gold "
                                            "antecedent span's tokens, added to the pointer's loss"},
    }
    model = CorefBert(config)
    left = budget - (time.time() - log.start) - 30  # 30 s kept for saving
    pre_steps, mlm_loss = pretrain(model, stream, left * args.pretrain_share, args, log, vocab)
    left = budget - (time.time() - log.start) - 30
    fine_steps, epochs, best = finetune(model, train, validation, left, args, log)
    minutes = (time.time() - log.start) / 60

    write_safetensors(os.path.join(args.out, "model.safetensors"), model.saved_state())
    with open(os.path.join(args.out, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    with open(os.path.join(args.out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump({"do_lower_case": True, "strip_accents": None, "tokenize_chinese_chars": True,
                   "tokenizer_class": "BertTokenizer", "model_max_length": 512}, f, indent=2)
        f.write("\n")
    parameters = sum(v.numel() for v in model.saved_state().values())
    config["attnviz_card"] = {
        "training time": f"{minutes:.1f} min wall clock on 2 CPU cores (vocabulary, MLM pretraining "
                         f"{pre_steps} steps, pointer and supervised-head fine-tuning {fine_steps} steps / {epochs} epochs)",
        "pretraining": f"masked language modelling, {pre_steps} steps, final MLM loss {mlm_loss:.2f}",
        "parameters": f"{parameters:,}",
    }
    config["coreference_head"] = list(args.supervised_head)
    with open(os.path.join(args.out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
    log(f"saved {args.out} after {minutes:.2f} min of training ({parameters} parameters); evaluating")
    evaluate.run(args.out, args.data, log)
    log("done")


if __name__ == "__main__":
    main()
