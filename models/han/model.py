"""Hierarchical Attention Network (Yang et al., NAACL 2016), the model engine/models/han/ runs:

  word embedding -> word-level bidirectional GRU -> word attention (u = tanh(W h + b), a = softmax(u . u_w))
  -> sentence vectors -> sentence-level bidirectional GRU -> sentence attention (context u_s)
  -> document vector -> linear classifier -> softmax.

Sentences and documents of different lengths are packed, and padding is masked out of both softmaxes, so a
document's result does not depend on what else is in its batch (the C++ engine runs each sentence alone).
Tensor names are the state dict's: embedding.weight, word_gru.*, word_projection.{weight,bias}, word_context,
sentence_gru.*, sentence_projection.{weight,bias}, sentence_context, classifier.{weight,bias}.
"""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def masked_attention(states, lengths, projection, context):
    """states [N, L, D], lengths [N] -> (weights [N, L] with zeros on padding, pooled [N, D])."""
    scores = torch.tanh(projection(states)) @ context  # [N, L]
    positions = torch.arange(states.shape[1]).unsqueeze(0)
    scores = scores.masked_fill(positions >= lengths.unsqueeze(1), float("-inf"))
    weights = torch.softmax(scores, dim=1)
    return weights, (weights.unsqueeze(2) * states).sum(1)


def run_gru(gru, inputs, lengths):
    """inputs [N, L, D] padded -> outputs [N, L, 2H] (zeros past each length)."""
    packed = pack_padded_sequence(inputs, lengths, batch_first=True, enforce_sorted=False)
    out, _ = gru(packed)
    return pad_packed_sequence(out, batch_first=True, total_length=inputs.shape[1])[0]


class HAN(nn.Module):
    def __init__(self, vocab_size, embedding_size=100, word_hidden=50, sentence_hidden=50, word_attention=100,
                 sentence_attention=100, classes=2, embedding_dropout=0.3, document_dropout=0.5):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_size, padding_idx=0)
        self.word_gru = nn.GRU(embedding_size, word_hidden, batch_first=True, bidirectional=True)
        self.word_projection = nn.Linear(2 * word_hidden, word_attention)
        self.word_context = nn.Parameter(torch.empty(word_attention).uniform_(-0.1, 0.1))
        self.sentence_gru = nn.GRU(2 * word_hidden, sentence_hidden, batch_first=True, bidirectional=True)
        self.sentence_projection = nn.Linear(2 * sentence_hidden, sentence_attention)
        self.sentence_context = nn.Parameter(torch.empty(sentence_attention).uniform_(-0.1, 0.1))
        self.classifier = nn.Linear(2 * sentence_hidden, classes)
        self.embedding_dropout = nn.Dropout(embedding_dropout)
        self.document_dropout = nn.Dropout(document_dropout)

    def encode_sentences(self, words, word_lengths):
        """words [N, L] ids, word_lengths [N] -> (word weights [N, L], sentence vectors [N, 2 word_hidden])."""
        states = run_gru(self.word_gru, self.embedding_dropout(self.embedding(words)), word_lengths)
        return masked_attention(states, word_lengths, self.word_projection, self.word_context)

    def classify(self, sentence_vectors, sentence_counts):
        """sentence_vectors [B, S, D], sentence_counts [B] -> (sentence weights [B, S], logits [B, classes])."""
        states = run_gru(self.sentence_gru, sentence_vectors, sentence_counts)
        weights, document = masked_attention(states, sentence_counts, self.sentence_projection, self.sentence_context)
        return weights, self.classifier(self.document_dropout(document))

    def forward(self, documents):
        """documents: list of documents, each a list of sentences of word ids (every sentence non-empty).
        Returns (logits [B, classes], sentence weights [B, S], word weights: per document a list of [len_i])."""
        flat = [s for d in documents for s in d]
        word_lengths = torch.tensor([len(s) for s in flat])
        words = torch.zeros(len(flat), int(word_lengths.max()), dtype=torch.long)
        for i, s in enumerate(flat):
            words[i, :len(s)] = torch.tensor(s)
        word_weights, vectors = self.encode_sentences(words, word_lengths)
        counts = torch.tensor([len(d) for d in documents])
        grouped = torch.zeros(len(documents), int(counts.max()), vectors.shape[1])
        start, per_document = 0, []
        for b, d in enumerate(documents):
            grouped[b, :len(d)] = vectors[start:start + len(d)]
            per_document.append([word_weights[start + i, :len(s)] for i, s in enumerate(d)])
            start += len(d)
        sentence_weights, logits = self.classify(grouped, counts)
        return logits, sentence_weights, per_document


def probability_without(model, document, label):
    """Probability of `label` for a document (list of sentences of ids); an empty document is None."""
    document = [s for s in document if s]
    if not document:
        return None
    logits, _, _ = model([document])
    return float(torch.softmax(logits[0], 0)[label])


def occlusion(model, document, label):
    """Leave-one-out effects: p(label | document) - p(label | document without the unit), for each word
    (per sentence) and each sentence. A removal that leaves the document empty gives None."""
    with torch.no_grad():
        full = probability_without(model, document, label)
        words = []
        for i, sentence in enumerate(document):
            row = []
            for j in range(len(sentence)):
                changed = [s if k != i else s[:j] + s[j + 1:] for k, s in enumerate(document)]
                p = probability_without(model, changed, label)
                row.append(None if p is None else full - p)
            words.append(row)
        sentences = []
        for i in range(len(document)):
            p = probability_without(model, document[:i] + document[i + 1:], label)
            sentences.append(None if p is None else full - p)
    return words, sentences
