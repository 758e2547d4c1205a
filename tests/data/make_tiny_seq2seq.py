#!/usr/bin/python3
"""Writes tests/data/tiny-seq2seq-<variant>/ for all six attention variants (attnviz packages of kind "seq2seq",
tiny sizes, F16 weights) and tests/data/tiny-seq2seq-golden/<variant>.json/.npz (PyTorch outputs in the format
of models/seq2seq/train.py golden(): token ids, greedy ids/attention/logits, forced attention/logits).

Each model starts from random weights (torch.manual_seed) and is then fitted for a few hundred steps to the
few dozen sentence pairs below, so that greedy decoding ends with <eos> and the attention maps are not uniform.
It has learned nothing beyond these sentences. Run from anywhere with Debian's python (torch, numpy):

  /usr/bin/python3 tests/data/make_tiny_seq2seq.py
"""
import json
import os
import sys

import numpy as np
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models", "seq2seq"))
sys.path.insert(0, os.path.join(ROOT, "models"))
import data as D  # noqa: E402
from export import write_package  # noqa: E402
from model import VARIANTS, Seq2Seq  # noqa: E402
from text import tokenize  # noqa: E402
from train import batch_tensors, forced_attention, to_half_precision  # noqa: E402

SEED = 20261121
ARCHITECTURE = dict(embedding_size=12, encoder_hidden=8, decoder_hidden=16, attention_size=10, window=3.0)
MAX_SOURCE_TOKENS = 12  # small, so the long golden case is truncated
STEPS = 300
PAIRS = [
    ("Tom is tired.", "Tom est fatigué."),
    ("I am tired.", "Je suis fatigué."),
    ("She is tired.", "Elle est fatiguée."),
    ("We are happy.", "Nous sommes heureux."),
    ("The man is here.", "L'homme est ici."),
    ("The cat is black.", "Le chat est noir."),
    ("The dog is small.", "Le chien est petit."),
    ("I don't know.", "Je ne sais pas."),
    ("I don't know what she wants.", "Je ne sais pas ce qu'elle veut."),
    ("He says that he is tired.", "Il dit qu'il est fatigué."),
    ("Maybe it's true.", "C'est peut-être vrai."),
    ("Where is the umbrella?", "Où est le parapluie ?"),
    ("Where is the cat?", "Où est le chat ?"),
    ("It's a purple umbrella.", "C'est un parapluie violet."),
    ("The zebra's umbrella is purple.", "Le parapluie du zèbre est violet."),
    ("I like coffee.", "J'aime le café."),
    ("She likes tea.", "Elle aime le thé."),
    ("We're at school.", "Nous sommes à l'école."),
    ("Is it far?", "Est-ce loin ?"),
    ("Come here!", "Viens ici !"),
    ("Tom and Mary are here.", "Tom et Mary sont ici."),
    ("The house is big.", "La maison est grande."),
    ("Tom's house is small.", "La maison de Tom est petite."),
    ("It's cold today.", "Il fait froid aujourd'hui."),
    ("I'm hungry.", "J'ai faim."),
    ("Are you hungry?", "As-tu faim ?"),
    ("Thank you very much.", "Merci beaucoup."),
    ("See you tomorrow.", "À demain."),
    ("He is my brother.", "C'est mon frère."),
    ("She is my sister.", "C'est ma sœur."),
    ("They are students.", "Ils sont étudiants."),
    ("The water is cold.", "L'eau est froide."),
]
GOLDEN_CASES = [  # (source, forced target)
    ("Tom is tired.", "Tom est fatigué."),
    ("I don't know what she wants.", "Je ne sais pas ce qu'elle veut."),
    ("Where is the zebra's purple umbrella?", "Où est le parapluie violet du zèbre ?"),
    ("The cat loves quantum tea!", "Le chat aime le thé quantique !"),  # unknown words: <unk> on both sides
    ("", ""),  # empty: the source is just <eos>, the forced target too
    # 16 tokens, longer than max_source_tokens: truncated to 11 words + <eos>
    ("Tom and Mary are here and the cat is black and the dog is small.", "Tom et Mary sont ici."),
]


def fit(model, examples):
    """A few hundred full-batch Adam steps on the tiny corpus."""
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    criterion = nn.CrossEntropyLoss(ignore_index=D.PAD)
    source, lengths, target_in, target_out = batch_tensors(examples, range(len(examples)))
    model.train()
    for _ in range(STEPS):
        logits, _ = model(source, lengths, target_in)
        loss = criterion(logits.reshape(-1, logits.shape[-1]), target_out.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    model.eval()
    return float(loss)


def golden(model, source_index, target_index, target_vocab, logit_ids):
    """train.py golden() for these cases, with the source cut to MAX_SOURCE_TOKENS as attnviz does."""
    arrays, cases = {}, []
    for k, (source_text, target_text) in enumerate(GOLDEN_CASES):
        source_tokens = tokenize(source_text)[:MAX_SOURCE_TOKENS - 1]
        target_tokens = tokenize(target_text)
        source_ids, target_ids = D.encode(source_tokens, source_index), D.encode(target_tokens, target_index)
        ids, weights, logits = model.greedy(source_ids, 2 * len(source_ids) + 10, D.EOS, D.SOS)
        forced_weights, forced_logits = forced_attention(model, source_ids, target_ids)
        arrays[f"case{k}_source_ids"] = np.array(source_ids, dtype=np.float32)
        arrays[f"case{k}_greedy_ids"] = np.array(ids, dtype=np.float32)
        arrays[f"case{k}_greedy_attention"] = weights.numpy()
        arrays[f"case{k}_greedy_logits"] = logits[:, logit_ids].numpy()
        arrays[f"case{k}_target_ids"] = np.array(target_ids, dtype=np.float32)
        arrays[f"case{k}_forced_attention"] = forced_weights.numpy()
        arrays[f"case{k}_forced_logits"] = forced_logits[:, logit_ids].numpy()
        cases.append({"source": source_text, "target": target_text, "source_tokens": source_tokens,
                      "target_tokens": target_tokens, "greedy_tokens": [target_vocab[i] for i in ids]})
    arrays["logit_ids"] = np.array(logit_ids, dtype=np.float32)
    return arrays, cases


def main():
    torch.set_num_threads(1)
    source_vocab = D.build_vocab([tokenize(en) for en, _ in PAIRS], min_frequency=1)
    target_vocab = D.build_vocab([tokenize(fr) for _, fr in PAIRS], min_frequency=1)
    source_index = {w: i for i, w in enumerate(source_vocab)}
    target_index = {w: i for i, w in enumerate(target_vocab)}
    examples = [(D.encode(tokenize(en), source_index), D.encode(tokenize(fr), target_index)) for en, fr in PAIRS]
    logit_ids = list(range(0, min(32, len(target_vocab))))
    golden_dir = os.path.join(ROOT, "tests/data/tiny-seq2seq-golden")
    os.makedirs(golden_dir, exist_ok=True)
    for variant in VARIANTS:
        torch.manual_seed(SEED)
        model = Seq2Seq(variant, len(source_vocab), len(target_vocab), dropout=0.0, **ARCHITECTURE)
        loss = fit(model, examples)
        to_half_precision(model)
        architecture = dict(ARCHITECTURE, attention=variant, source_vocab_size=len(source_vocab),
                            target_vocab_size=len(target_vocab), max_source_tokens=MAX_SOURCE_TOKENS,
                            tokenizer="tatoeba-en-fr", pad_id=D.PAD, unk_id=D.UNK, sos_id=D.SOS, eos_id=D.EOS)
        write_package(os.path.join(ROOT, f"tests/data/tiny-seq2seq-{variant}"), kind="seq2seq",
                      name=f"tiny-seq2seq-{variant}", variant=variant, architecture=architecture,
                      tensors=model.state_dict(), weights_dtype="F16",
                      texts={"source_vocab": ("source_vocab.txt", source_vocab),
                             "target_vocab": ("target_vocab.txt", target_vocab)},
                      card={"description": "Tiny test model: random weights fitted for a few seconds to "
                                           f"{len(PAIRS)} sentence pairs. It has learned nothing else.",
                            "training_data": "the PAIRS list in tests/data/make_tiny_seq2seq.py",
                            "provenance": f"tests/data/make_tiny_seq2seq.py (torch.manual_seed {SEED}, {STEPS} "
                                          f"steps, final training loss {loss:.4f}), weights stored as F16"})
        with torch.no_grad():
            arrays, cases = golden(model, source_index, target_index, target_vocab, logit_ids)
        np.savez(os.path.join(golden_dir, f"{variant}.npz"), **arrays)
        with open(os.path.join(golden_dir, f"{variant}.json"), "w", encoding="utf-8") as handle:
            json.dump({"variant": variant, "cases": cases}, handle, ensure_ascii=False, indent=1)
        finished = sum(c["greedy_tokens"][-1] == "<eos>" for c in cases)
        print(f"{variant}: loss {loss:.4f}, {finished}/{len(cases)} greedy cases end with <eos>; "
              f"vocab en {len(source_vocab)}, fr {len(target_vocab)}")


if __name__ == "__main__":
    main()
