#!/usr/bin/env python3
"""Writes tests/data/tiny-han/: a han package with HAND-MADE weights whose answers have a closed form, for the
occlusion and masking tests (tests/unit/test_han_occlusion.cpp computes the same closed form in C++).

The weights make every part transparent:
- embedding: "good" -> [2, 0], "bad" -> [0, 2], every other word -> [0, 0];
- both GRUs forget their past (update gate bias -30, so z = sigmoid(-30) ~ 1e-13; recurrent weights 0) and
  pass their input through: h_t = tanh(W_in x_t) with W_in the identity on the first two inputs, in both
  directions, so a word state is [tanh x ; tanh x] and a sentence state [tanh s_0, tanh s_1] twice;
- both attention projections are zero, so attention is uniform: 1 / words over a sentence's words and
  1 / sentences over the document;
- classifier: logit(negative) = 3 (d_1 + d_3), logit(positive) = 3 (d_0 + d_2) for the document vector d.
So  s_i = mean_t [tanh e_t ; tanh e_t],  d = mean_i [tanh s_i0, tanh s_i1, tanh s_i0, tanh s_i1],
    p = softmax(6 d_1, 6 d_0)  (negative, positive).

  /usr/bin/python3 tests/data/make_tiny_han.py        # from the repository root
"""
import math
import os
import sys

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "models"))
sys.path.insert(0, os.path.join(ROOT, "models", "han"))
from export import write_package  # noqa: E402
from model import HAN  # noqa: E402

VOCAB = ["<pad>", "<unk>", "good", "bad", "the", "movie", "plot", "was", "."]
LABELS = ["negative", "positive"]
ARCHITECTURE = dict(embedding_size=2, word_hidden=2, sentence_hidden=2, word_attention=1, sentence_attention=1)


def pass_through_gru(gru):
    """Every direction: z gate bias -30, n gate W_in = identity on the first two inputs, all else 0."""
    with torch.no_grad():
        for name, p in gru.named_parameters():
            p.zero_()
            if name.startswith("bias_ih"):
                p[2:4] = -30.0  # gates [r, z, n], hidden 2: z is rows 2..3
            if name.startswith("weight_ih"):
                p[4, 0] = 1.0
                p[5, 1] = 1.0


def build():
    model = HAN(len(VOCAB), classes=2, embedding_dropout=0.0, document_dropout=0.0, **ARCHITECTURE)
    with torch.no_grad():
        model.embedding.weight.zero_()
        model.embedding.weight[VOCAB.index("good"), 0] = 2.0
        model.embedding.weight[VOCAB.index("bad"), 1] = 2.0
        pass_through_gru(model.word_gru)
        pass_through_gru(model.sentence_gru)
        for layer in (model.word_projection, model.sentence_projection):
            layer.weight.zero_()
            layer.bias.zero_()
        model.word_context.fill_(1.0)
        model.sentence_context.fill_(1.0)
        model.classifier.weight.zero_()
        model.classifier.bias.zero_()
        model.classifier.weight[0, 1] = model.classifier.weight[0, 3] = 3.0
        model.classifier.weight[1, 0] = model.classifier.weight[1, 2] = 3.0
    return model.eval()


def closed_form(sentences):
    """p(positive) of a document (list of sentences of words) by the formula in the docstring."""
    embed = {"good": (2.0, 0.0), "bad": (0.0, 2.0)}
    d0 = d1 = 0.0
    for s in sentences:
        s0 = sum(math.tanh(embed.get(w, (0, 0))[0]) for w in s) / len(s)
        s1 = sum(math.tanh(embed.get(w, (0, 0))[1]) for w in s) / len(s)
        d0 += math.tanh(s0) / len(sentences)
        d1 += math.tanh(s1) / len(sentences)
    return 1.0 / (1.0 + math.exp(6 * d1 - 6 * d0))


def main():
    model = build()
    index = {w: i for i, w in enumerate(VOCAB)}
    # The formula and PyTorch agree (and padding gets no weight when documents share a batch).
    docs = [[["the", "good", "movie", "."]], [["the", "plot", "was", "bad", "."], ["good", "."], ["the", "movie"]]]
    with torch.no_grad():
        logits, sentence_weights, word_weights = model([[[index[w] for w in s] for s in d] for d in docs])
    for b, d in enumerate(docs):
        p = float(torch.softmax(logits[b], 0)[1])
        assert abs(p - closed_form(d)) < 1e-6, (p, closed_form(d))
        assert float(sentence_weights[b, len(d):].abs().sum()) == 0.0
    write_package(os.path.join(ROOT, "tests/data/tiny-han"), kind="han", name="tiny-han-hand-made",
                  architecture=dict(ARCHITECTURE, vocab_size=len(VOCAB), classes=2, tokenizer="pang-lee-v2", pad_id=0,
                                    unk_id=1, max_sentences=6, max_words_per_sentence=8),
                  tensors=model.state_dict(), texts={"vocab": ("vocab.txt", VOCAB), "labels": ("labels.txt", LABELS)},
                  card={"description": "hand-made weights with a closed-form answer (tests/data/make_tiny_han.py); "
                                       "not a trained model"})
    print("wrote tests/data/tiny-han")


if __name__ == "__main__":
    main()
