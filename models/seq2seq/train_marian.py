#!/usr/bin/python3
"""Train attnviz's transformer encoder-decoder on the WPT03 Hansards training release and write it as a Hugging
Face MarianMT checkpoint folder (config.json, model.safetensors, source.spm, target.spm, vocab.json,
tokenizer_config.json), so the engine serves it by the same path as users' opus-mt checkpoints.

  /usr/bin/python3 models/seq2seq/train_marian.py --data ../shared/data --out /work/train-h20/transformer --minutes 150
  ... the same with --resume                           # continues to the budget in CPU minutes over all runs
  ... --export models/seq2seq-hansards-transformer     # the checkpoint folder from best.pt

Data: the pairs, filter and split of hansards.py (load_text_splits: the corpus's own cased lines, words split on
spaces like the WPT gold). Subwords: one joint SentencePiece unigram model (python3-sentencepiece, default
nmt_nfkc normaliser, VOCAB pieces) trained on the training split's two sides, written as both source.spm and
target.spm, as opus-mt models with a shared vocabulary have. vocab.json: "</s>" 0, "<unk>" 1, the pieces in the
SentencePiece model's order, "<pad>" last (pad = decoder start, the Marian convention).

Alignment: at every checkpoint the log gets the trial-set AER (37 pairs) of every layer and head, of each layer's
head average and of the average of all, by the argmax rule of `attnviz align` (a source word weighs the sum of
its pieces' attention, a target word uses its first piece's row) and by Shift-Att (Chen et al. 2020: the row of
the step that reads the word's first piece as decoder input).
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import export  # noqa: E402
import hansards as H  # noqa: E402
import train as T  # noqa: E402
from guided_alignment import GuidedAlignment  # noqa: E402
from marian_model import MarianLike  # noqa: E402
from metrics import aer, aer_counts, corpus_bleu, read_wpt_alignments  # noqa: E402
from train_hansards import Log, catch_stop_signals, epoch_batches, save_atomic, stop_reason  # noqa: E402

VOCAB = 16000  # SentencePiece pieces, joint English + French
ARCHITECTURE = {"model_type": "marian", "d_model": 256, "encoder_layers": 3, "decoder_layers": 3, "heads": 4,
                "encoder_ffn_dim": 1024, "decoder_ffn_dim": 1024, "max_position_embeddings": 512,
                "activation_function": "swish", "scale_embedding": True}
EOS, UNK = 0, 1


class Vocabulary:
    """The SentencePiece model and the Marian id table (vocab.json)."""

    def __init__(self, spm_path):
        import sentencepiece as spm
        self.spm_path = spm_path
        self.processor = spm.SentencePieceProcessor(model_file=spm_path)
        pieces = [self.processor.id_to_piece(i) for i in range(self.processor.get_piece_size())
                  if not (self.processor.is_control(i) or self.processor.is_unknown(i))]
        self.pieces = ["</s>", "<unk>"] + pieces + ["<pad>"]
        self.index = {p: i for i, p in enumerate(self.pieces)}
        self.pad = len(self.pieces) - 1

    def encode(self, line):
        """-> ids ending with </s> (MarianTokenizer: pieces, then the vocab.json id, <unk> when absent)."""
        return [self.index.get(p, UNK) for p in self.processor.encode(line, out_type=str)] + [EOS]

    def pieces_of(self, line):
        return self.processor.encode(line, out_type=str)


def train_spm(lines, prefix, log):
    import sentencepiece as spm
    text = prefix + ".input.txt"
    with open(text, "w", encoding="utf-8") as handle:
        for english, french in zip(*lines):
            handle.write(english + "\n" + french + "\n")
    log(f"training SentencePiece ({VOCAB} pieces, unigram) on {2 * len(lines[0])} lines")
    spm.SentencePieceTrainer.train(input=text, model_prefix=prefix, vocab_size=VOCAB, model_type="unigram",
                                   character_coverage=1.0, input_sentence_size=1000000, shuffle_input_sentence=True,
                                   num_threads=1, seed_sentencepiece_size=1000000, minloglevel=1)
    os.remove(text)


def encode_split(vocab, lines):
    source, target, source_offsets, target_offsets = [], [], [0], [0]
    for english, french in zip(*lines):
        source.extend(vocab.encode(english))
        target.extend(vocab.encode(french))
        source_offsets.append(len(source))
        target_offsets.append(len(target))
    return H.Split(np.array(source, dtype=np.int32), np.array(source_offsets, dtype=np.int64),
                   np.array(target, dtype=np.int32), np.array(target_offsets, dtype=np.int64))


def load_data(args, log):
    """-> (vocab, {split: H.Split}, text splits); the spm model and encoded ids are cached in the run folder."""
    text = H.load_text_splits(os.path.join(args.data, "hansards-wpt03-training"), args.cache)
    prefix = os.path.join(args.out, "spm")
    if not os.path.exists(prefix + ".model"):
        train_spm(text["train"], prefix, log)
    vocab = Vocabulary(prefix + ".model")
    ids_path = os.path.join(args.out, "ids.npz")
    if not os.path.exists(ids_path):
        arrays = {}
        for name, lines in text.items():
            s = encode_split(vocab, lines)
            arrays.update({f"{name}_source": s.source, f"{name}_source_offsets": s.source_offsets,
                           f"{name}_target": s.target, f"{name}_target_offsets": s.target_offsets})
        np.savez(ids_path + ".tmp.npz", **arrays)
        os.replace(ids_path + ".tmp.npz", ids_path)
    arrays = np.load(ids_path)
    splits = {name: H.Split(arrays[f"{name}_source"], arrays[f"{name}_source_offsets"], arrays[f"{name}_target"],
                            arrays[f"{name}_target_offsets"]) for name in text}
    return vocab, splits, text


def pad_batch(sequences, value):
    out = torch.full((len(sequences), max(len(s) for s in sequences)), value, dtype=torch.long)
    for i, s in enumerate(sequences):
        out[i, :len(s)] = torch.tensor(s)
    return out


def batch_tensors(split, indices, pad):
    """-> source [B, S], target_in [B, T] (<pad> y1 .. y_{n-1}), target_out [B, T] (y1 .. </s>)."""
    pairs = [split.pair(int(i)) for i in indices]
    return (pad_batch([s for s, _ in pairs], pad), pad_batch([[pad] + t[:-1] for _, t in pairs], pad),
            pad_batch([t for _, t in pairs], pad))


def validation_loss(model, split, pad, max_tokens=4000):
    model.eval()
    total, count = 0.0, 0
    order = np.lexsort((split.target_lengths(), split.source_lengths()))
    with torch.no_grad():
        begin = 0
        while begin < len(order):
            end = begin + 1
            while end < len(order) and (end - begin + 1) * split.source_lengths()[order[end]] <= max_tokens:
                end += 1
            source, target_in, target_out = batch_tensors(split, order[begin:end], pad)
            logits, _ = model(source, target_in)
            total += float(nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), target_out.reshape(-1),
                                                       ignore_index=pad, reduction="sum"))
            count += int((target_out != pad).sum())
            begin = end
    model.train()
    return total / count


def word_starts(pieces):
    """Index of the word each piece belongs to: a piece beginning with U+2581 starts a new word."""
    out, word = [], -1
    for p in pieces:
        if p.startswith("\u2581") or word < 0:
            word += 1
        out.append(word)
    return out


def trial_alignments(model, vocab, wpt_dir):
    """AER on the WPT trial set for every extraction: {name: aer}, names "L<l>H<h>", "L<l>avg", "avg" (all
    layers and heads), each with "" (argmax) and "+shift" (Shift-Att); plus "diagonal"."""
    with open(os.path.join(wpt_dir, "dev.e"), encoding="utf-8") as handle:
        english = [line.split() for line in handle]
    with open(os.path.join(wpt_dir, "dev.f"), encoding="utf-8") as handle:
        french = [line.split() for line in handle]
    gold = read_wpt_alignments(os.path.join(wpt_dir, "dev.wa.nonullalign"))
    counts, diagonal = {}, []
    model.eval()
    with torch.no_grad():
        for n, (en, fr) in enumerate(zip(english, french), start=1):
            source_pieces, target_pieces = vocab.pieces_of(" ".join(en)), vocab.pieces_of(" ".join(fr))
            source_words, target_words = word_starts(source_pieces), word_starts(target_pieces)
            if source_words[-1] + 1 != len(en) or target_words[-1] + 1 != len(fr):
                raise SystemExit(f"train_marian: trial pair {n}: pieces do not cover the words one to one")
            source = torch.tensor([vocab.encode(" ".join(en))])
            target = vocab.encode(" ".join(fr))
            _, crosses = model(source, torch.tensor([[vocab.pad] + target[:-1]]))
            maps = torch.stack([c[0] for c in crosses])  # [L, H, T, S]: rows = target pieces + </s>
            # source words: sum over their pieces (</s> column dropped)
            grouping = torch.zeros(len(source_pieces), len(en))
            grouping[torch.arange(len(source_pieces)), torch.tensor(source_words)] = 1.0
            words = maps[..., :len(source_pieces)] @ grouping  # [L, H, T, E]
            first = [target_words.index(j) for j in range(len(fr))]
            candidates = {f"L{l}H{h}": words[l, h] for l in range(words.shape[0]) for h in range(words.shape[1])}
            candidates.update({f"L{l}avg": words[l].mean(0) for l in range(words.shape[0])})
            candidates["avg"] = words.mean((0, 1))
            sure, possible = gold.get(n, (set(), set()))
            for name, m in candidates.items():
                for suffix, shift in (("", 0), ("+shift", 1)):
                    links = {(int(m[first[j] + shift].argmax()) + 1, j + 1) for j in range(len(fr))}
                    counts.setdefault(name + suffix, []).append(aer_counts(links, sure, possible))
            diagonal.append(aer_counts({(min(len(en), max(1, round((j + 0.5) * len(en) / len(fr) + 0.5))), j + 1)
                                        for j in range(len(fr))}, sure, possible))
    model.train()
    out = {name: round(aer(c), 4) for name, c in counts.items()}
    out["diagonal"] = round(aer(diagonal), 4)
    return out


def greedy(model, source_ids, start, limit):
    """-> generated ids (without the start, ending with </s> unless cut at limit). Recomputes the prefix each
    step (simple; for BLEU on 2,000 sentences)."""
    source = torch.tensor([source_ids])
    memory, _ = model.encode(source)
    out = [start]
    for _ in range(limit):
        hidden, _, _ = model.decode(torch.tensor([out]), memory, source)
        token = int(model.logits(hidden[0, -1]).argmax())
        out.append(token)
        if token == EOS:
            break
    return out[1:]


def test_bleu(model, vocab, lines, count):
    hypotheses, references = [], []
    model.eval()
    with torch.no_grad():
        for english, french in list(zip(*lines))[:count]:
            ids = greedy(model, vocab.encode(english), vocab.pad, 2 * len(english.split()) + 10)
            hypotheses.append(vocab.processor.decode([vocab.pieces[i] for i in ids if i != EOS]).split())
            references.append(french.split())
    return corpus_bleu(hypotheses, references)


def tatoeba_bleu(model, vocab, data_dir, count=None):
    """BLEU on the Tatoeba family's test split (data.py), everyday sentences typed as a user would (raw text
    through SentencePiece); hypothesis and reference both through text.py's tokenizer (lowercased), as the
    Tatoeba cards score. -> (bleu, sentences)."""
    import data as D
    from text import tokenize
    test = D.split_pairs(D.load_pairs(os.path.join(data_dir, "tatoeba-eng-fra/fra-eng.zip")))["test"][:count]
    hypotheses = []
    model.eval()
    with torch.no_grad():
        for english_tokens, _, english, _ in test:
            ids = greedy(model, vocab.encode(english), vocab.pad, 2 * len(english_tokens) + 10)
            hypotheses.append(tokenize(vocab.processor.decode([vocab.pieces[i] for i in ids if i != EOS])))
    return corpus_bleu(hypotheses, [p[1] for p in test]), len(test)


def new_model(vocab, dropout):
    config = dict(ARCHITECTURE, vocab_size=len(vocab.pieces), pad_token_id=vocab.pad, decoder_start_token_id=vocab.pad)
    model = MarianLike(config, dropout=dropout)
    with torch.no_grad():
        model.shared.weight.normal_(0.0, config["d_model"] ** -0.5)
        model.shared.weight[vocab.pad].zero_()
    return model


def fork(args, log):
    """--fork RUN: this run continues RUN's latest checkpoint (same SentencePiece model, ids, optimizer, position
    and budget so far) in OUT, with the settings given now (e.g. guided alignment); RUN is left as it is."""
    import shutil
    for name in ("spm.model", "spm.vocab", "ids.npz", "checkpoint.pt", "history.json"):
        if os.path.exists(os.path.join(args.out, name)):
            raise SystemExit(f"train_marian: --fork: {args.out} already holds {name}; choose an empty --out")
        shutil.copyfile(os.path.join(args.fork, name), os.path.join(args.out, name))
    log(f"forked {args.fork} into {args.out}")


def run_training(args, log):
    if args.fork:
        fork(args, log)
    vocab, splits, text = load_data(args, log)
    checkpoint_path = os.path.join(args.out, "checkpoint.pt")
    resume = args.resume or args.fork
    state = torch.load(checkpoint_path) if resume else None
    if not resume and os.path.exists(checkpoint_path):
        raise SystemExit(f"train_marian: {checkpoint_path} exists; add --resume to continue it")
    if args.fork:
        state["settings"]["forked_from"] = {"run": args.fork, "step": state["step"],
                                            "cpu_minutes": round(state["cpu_seconds"] / 60, 2)}
        if args.guided_links:
            state["settings"]["guided"] = {"links": args.guided_links, "layer": args.guided_layer,
                                           "head": args.guided_head, "weight": args.guided_weight,
                                           "shift": args.guided_shift}
    settings = state["settings"] if state else {"batch_tokens": args.batch_tokens, "lr": args.lr,
                                                "warmup": args.warmup, "dropout": args.dropout,
                                                "label_smoothing": args.label_smoothing, "minutes": args.minutes,
                                                "max_sentences": args.max_sentences}
    if state and args.minutes is not None:
        settings["minutes"] = args.minutes
    if not args.fork and args.guided_links:
        if state and "guided" not in settings:
            raise SystemExit("train_marian: --guided-links on --resume of an unguided run; use --fork RUN --out NEW")
        new = {"links": args.guided_links, "layer": args.guided_layer, "head": args.guided_head,
               "weight": args.guided_weight, "shift": args.guided_shift}
        if state and dict({"shift": 0}, **settings["guided"]) != new:  # a resume may change them: the card lists every change
            settings.setdefault("guided_changes", []).append(
                {"step": state["step"], "cpu_minutes": round(state["cpu_seconds"] / 60, 2), "before": settings["guided"],
                 "after": new})
        settings["guided"] = new
    guided = None
    if "guided" in settings:
        g = settings["guided"]
        guided = GuidedAlignment(g["links"], vocab.pieces, g["layer"], g["head"], text["train"], g.get("shift", 0))
        log(f"guided alignment: layer {g['layer']} head {g['head']} (0-based) toward {g['links']}, weight {g['weight']}, "
            f"shift {g.get('shift', 0)}")
    torch.manual_seed(H.SEED)
    model = new_model(vocab, settings["dropout"])
    optimizer = torch.optim.Adam(model.parameters(), lr=settings["lr"], betas=(0.9, 0.98), eps=1e-9)
    if state:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        torch.set_rng_state(state["torch_rng"])
        epoch, position, step, cpu, history, best = (state[k] for k in ("epoch", "position", "step", "cpu_seconds",
                                                                          "history", "best_validation_loss"))
        tokens_seen = state["target_tokens_seen"]
        log(f"resumed: epoch {epoch} batch {position} step {step}, {cpu / 60:.1f} of {settings['minutes']} CPU min")
    else:
        epoch, position, step, cpu, history, best, tokens_seen = 1, 0, 0, 0.0, [], float("inf"), 0
        log(f"transformer: new run, {ARCHITECTURE}, vocab {len(vocab.pieces)}, settings {settings}, "
            f"{sum(p.numel() for p in model.parameters())} parameters")
    stop = catch_stop_signals()
    wpt_dir = os.path.join(args.data, "hansards-wpt03-en-fr")
    train_split = splits["train"]
    cpu_start, base_cpu, last_checkpoint = time.process_time(), cpu, time.time()
    window_tokens, window_cpu = 0, time.process_time()

    def checkpoint(reason):
        nonlocal best, last_checkpoint, window_tokens, window_cpu
        now_cpu = base_cpu + time.process_time() - cpu_start
        rate = window_tokens / max(time.process_time() - window_cpu, 1e-9)
        v = validation_loss(model, splits["validation"], vocab.pad)
        aers = trial_alignments(model, vocab, wpt_dir)
        ranked = sorted((a, n) for n, a in aers.items() if n != "diagonal")
        entry = {"step": step, "epoch": epoch, "position": position, "cpu_minutes": round(now_cpu / 60, 2),
                 "target_tokens_seen": tokens_seen, "target_tokens_per_cpu_second": round(rate, 1),
                 "validation_loss": round(v, 4), "trial_aer": aers}
        history.append(entry)
        if v < best:
            best = v
            save_atomic({"model": model.state_dict(), "entry": entry, "settings": settings},
                        os.path.join(args.out, "best.pt"))
        save_atomic({"settings": settings, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                     "torch_rng": torch.get_rng_state(), "epoch": epoch, "position": position, "step": step,
                     "cpu_seconds": now_cpu, "history": history, "best_validation_loss": best,
                     "target_tokens_seen": tokens_seen}, checkpoint_path)
        with open(os.path.join(args.out, "history.json"), "w", encoding="utf-8") as handle:
            json.dump(history, handle, indent=1)
        log(f"checkpoint ({reason}): step {step}, epoch {epoch} batch {position}, {now_cpu / 60:.1f} CPU min, "
            f"{tokens_seen} target tokens, {rate:.0f} per CPU second, validation loss {v:.4f}; trial AER best "
            f"{', '.join(f'{n} {a}' for a, n in ranked[:4])}; avg {aers['avg']} / {aers['avg+shift']} (shift); "
            f"diagonal {aers['diagonal']}")
        last_checkpoint, window_tokens, window_cpu = time.time(), 0, time.process_time()

    criterion = nn.CrossEntropyLoss(ignore_index=vocab.pad, label_smoothing=settings["label_smoothing"])
    model.train()
    reason = None
    while reason is None:
        batches = epoch_batches(train_split, epoch, settings["batch_tokens"], settings["max_sentences"])
        while position < len(batches):
            source, target_in, target_out = batch_tensors(train_split, batches[position], vocab.pad)
            for group in optimizer.param_groups:  # inverse square root schedule after a linear warm-up
                group["lr"] = settings["lr"] * min((step + 1) / settings["warmup"],
                                                   math.sqrt(settings["warmup"] / (step + 1)))
            logits, crosses = model(source, target_in)
            loss = criterion(logits.reshape(-1, logits.shape[-1]), target_out.reshape(-1))
            alignment_loss = None
            if guided:
                alignment_loss, _ = guided.loss(crosses, batches[position], train_split)
                loss = loss + settings["guided"]["weight"] * alignment_loss
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            step, position = step + 1, position + 1
            count = int((target_out != vocab.pad).sum())
            tokens_seen, window_tokens = tokens_seen + count, window_tokens + count
            if not math.isfinite(float(loss)):
                raise SystemExit(f"train_marian: loss {float(loss)} at step {step}; lower --lr and start again")
            if step % args.log_every == 0:
                log(f"step {step} epoch {epoch} batch {position}/{len(batches)}: train loss {float(loss):.3f}"
                    + (f" (alignment {float(alignment_loss):.3f}, {guided.mismatched} pairs skipped so far)"
                       if guided else ""))
            reason = stop_reason(stop, base_cpu + time.process_time() - cpu_start, settings["minutes"] * 60)
            if reason:
                break
            if time.time() - last_checkpoint >= args.checkpoint_minutes * 60:
                checkpoint("periodic")
        if reason is None:
            epoch, position = epoch + 1, 0
    checkpoint(reason)
    log(f"stopped by {reason}; --resume continues (a larger --minutes extends the budget)")


def export_checkpoint(args, log):
    """The Hugging Face MarianMT folder from best.pt (F16 safetensors; the static sinusoids and tied tables left
    out as save_pretrained does), with test BLEU and the trial AERs in attnviz_card.json."""
    vocab, splits, text = load_data(args, log)
    best = torch.load(os.path.join(args.out, "best.pt"))
    model = new_model(vocab, 0.0)
    model.load_state_dict(best["model"])
    model.eval()
    T.to_half_precision(model)  # the weights are shipped as F16: every number below is the shipped model's
    test_loss = validation_loss(model, splits["test"], vocab.pad)
    bleu = test_bleu(model, vocab, text["test"], args.bleu_sentences)
    aers = trial_alignments(model, vocab, os.path.join(args.data, "hansards-wpt03-en-fr"))
    everyday_bleu, everyday_sentences = tatoeba_bleu(model, vocab, args.data, args.tatoeba_sentences)
    log(f"export: test loss {test_loss:.4f}, BLEU {bleu:.2f} on {args.bleu_sentences} test sentences (Tatoeba test "
        f"{everyday_bleu:.2f}), trial AER "
        f"avg+shift {aers['avg+shift']}, diagonal {aers['diagonal']}")
    os.makedirs(args.export, exist_ok=True)
    config = dict(model.config)
    hf = {"architectures": ["MarianMTModel"], "model_type": "marian", "vocab_size": config["vocab_size"],
          "d_model": config["d_model"], "encoder_layers": config["encoder_layers"],
          "decoder_layers": config["decoder_layers"], "encoder_attention_heads": config["heads"],
          "decoder_attention_heads": config["heads"], "encoder_ffn_dim": config["encoder_ffn_dim"],
          "decoder_ffn_dim": config["decoder_ffn_dim"], "max_position_embeddings": config["max_position_embeddings"],
          "activation_function": config["activation_function"], "scale_embedding": config["scale_embedding"],
          "static_position_embeddings": True, "share_encoder_decoder_embeddings": True, "tie_word_embeddings": True,
          "normalize_embedding": False, "normalize_before": False, "add_final_layer_norm": False,
          "dropout": 0.0, "attention_dropout": 0.0, "activation_dropout": 0.0, "pad_token_id": vocab.pad,
          "eos_token_id": EOS, "decoder_start_token_id": vocab.pad, "forced_eos_token_id": EOS,
          "max_length": 512, "num_beams": 4}
    guided = best.get("settings", {}).get("guided")
    description = ("English->French transformer encoder-decoder (3+3 layers, d_model 256, 4 heads), MarianMT layout, "
                   "trained on parliamentary text; its cross-attention is unsupervised")
    if guided:
        description = (description.replace("its cross-attention is unsupervised", "") +
                       f"continued with guided alignment (Garg et al. 2019): decoder layer {guided['layer']}, head "
                       f"{guided['head']} (0-based) trained toward the links of models/aligner-hansards-ibm1-fastalign "
                       f"({os.path.basename(guided['links'])}), loss weight {guided['weight']}"
                       + (", on the row that reads each target word as decoder input" if guided.get("shift") else "")
                       + f"; read that head for alignments (attnviz align --layer {guided['layer']} --head "
                       f"{guided['head']}{' --method shift-att' if guided.get('shift') else ''}); the other heads are "
                       "free")
    hf["attnviz_card"] = {
        "description": description,
        "training_data": "WPT03 Hansards training release (ISI Aligned Hansards of the 36th Parliament of Canada, ed. "
                         "Ulrich Germann; WPT 2003 shared task), pairs matching WPT03 test or trial sentences removed",
        "preprocessing": "models/seq2seq/hansards.py filter and split (<= 50 tokens per side, ratio <= 2, duplicates "
                         f"once); joint SentencePiece unigram, {VOCAB} pieces, nmt_nfkc, cased",
        "split_sizes": {k: len(v[0]) for k, v in text.items()},
        "parameters": sum(p.numel() for p in model.parameters()),
        "training": {k: v for k, v in best["entry"].items() if k != "trial_aer"},
        "training_settings": best.get("settings", {}),
        "metrics": {"test_bleu": round(bleu, 2), "bleu_sentences": args.bleu_sentences, "test_loss": round(test_loss, 4),
                    "bleu_method": "corpus BLEU-4 (models/seq2seq/metrics.py) on the corpus's words (cased), greedy",
                    "tatoeba_test_bleu": round(everyday_bleu, 2), "tatoeba_test_sentences": everyday_sentences,
                    "tatoeba_bleu_method": "the same BLEU on the Tatoeba family's test split (models/seq2seq/data.py), "
                                           "raw text in, hypothesis and reference through text.py (lowercased)",
                    "trial_aer_mean_all_heads": aers["avg"], "trial_aer_mean_all_heads_shift_att": aers["avg+shift"],
                    "trial_diagonal_aer": aers["diagonal"]},
        "provenance": f"models/seq2seq/train_marian.py (torch {torch.__version__}), F16 weights"}
    files = {"config.json": json.dumps(hf, indent=1, ensure_ascii=False).encode(),
             "vocab.json": json.dumps({p: i for i, p in enumerate(vocab.pieces)}, ensure_ascii=False, indent=0).encode(),
             "tokenizer_config.json": json.dumps({"source_lang": "en", "target_lang": "fr", "model_max_length": 512,
                                                  "tokenizer_class": "MarianTokenizer", "unk_token": "<unk>",
                                                  "eos_token": "</s>", "pad_token": "<pad>",
                                                  "separate_vocabs": False}, indent=1).encode(),
             "model.safetensors": export.safetensors_bytes({k: v.numpy() for k, v in model.hf_state_dict().items()},
                                                           "F16")}
    with open(vocab.spm_path, "rb") as handle:
        spm_bytes = handle.read()
    files["source.spm"] = files["target.spm"] = spm_bytes
    for name, data in files.items():
        with open(os.path.join(args.export, name), "wb") as handle:
            handle.write(data)
    log(f"wrote {args.export}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--cache", default="/work/train-h20/cache")
    parser.add_argument("--minutes", type=float, default=None, help="CPU minutes over all runs (default 150)")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--export", metavar="FOLDER")
    parser.add_argument("--fork", metavar="RUN", help="continue RUN's latest checkpoint in --out (a new run folder)")
    parser.add_argument("--guided-links", metavar="FILE", help="train one head toward these links "
                        "(guided_alignment.py; attnviz align --links over the training split)")
    parser.add_argument("--guided-layer", type=int, default=1, help="0-based decoder layer of the guided head")
    parser.add_argument("--guided-head", type=int, default=0, help="0-based head of the guided head")
    parser.add_argument("--guided-weight", type=float, default=0.5, help="weight of the alignment loss")
    parser.add_argument("--guided-shift", type=int, choices=(0, 1), default=0,
                        help="1: train the row that reads each target piece (read by --method shift-att)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-tokens", type=int, default=3000)
    parser.add_argument("--max-sentences", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--warmup", type=int, default=1000)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--label-smoothing", type=float, default=0.1)
    parser.add_argument("--checkpoint-minutes", type=float, default=10.0)
    parser.add_argument("--log-every", type=int, default=50)
    parser.add_argument("--bleu-sentences", type=int, default=500)
    parser.add_argument("--tatoeba-sentences", type=int, default=None, help="of the Tatoeba test split (default all)")
    args = parser.parse_args()
    if args.minutes is None and not (args.resume or args.fork):
        args.minutes = 150.0
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    log = Log(os.path.join(args.out, "log.txt"))
    if args.export:
        export_checkpoint(args, log)
    else:
        run_training(args, log)


if __name__ == "__main__":
    main()
