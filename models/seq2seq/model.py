"""The seq2seq architecture shared by all six attention variants (PyTorch reference of attnviz's `seq2seq`
kind; engine/models/seq2seq/ must match it within 1e-4).

Encoder: embedding -> bidirectional GRU; annotations h_i = [forward_i ; backward_i]  (2H).
Decoder start state: s_0 = tanh(W_init [forward_last ; backward_first]).
Decoder, by variant family:
  Bahdanau (additive, Bahdanau et al. 2015): score with the previous state s_{t-1};
      c_t = sum_i a_ti h_i;  s_t = GRU([emb(y_{t-1}) ; c_t], s_{t-1});  o_t = tanh(W_c [c_t ; s_t])
  Luong (Luong et al. 2015; dot, general, concat, scaled-dot, local-p), with input feeding:
      s_t = GRU([emb(y_{t-1}) ; o_{t-1}], s_{t-1});  score with s_t;  o_t = tanh(W_c [c_t ; s_t])   (o_0 = 0)
logits_t = W_out o_t.

Scores e_ti (attention a_t = softmax_i e_ti, masked to the source length; every row sums to 1):
  bahdanau       v^T tanh(W_q s_{t-1} + W_k h_i)
  luong-dot      s_t . h_i                                   (needs D = 2H)
  luong-general  s_t^T W_a h_i
  luong-concat   v^T tanh(W_q s_t + W_k h_i)
  scaled-dot     s_t . h_i / sqrt(D)
  local-p        s_t^T W_a h_i - (i - p_t)^2 / (2 sigma^2),  p_t = S * sigmoid(v_p^T tanh(W_p s_t)), sigma = window / 2
                 (Luong's Gaussian multiplies the softmax; adding its log before the softmax is the same product,
                  renormalised so rows still sum to 1; S is the source length including <eos>)
"""
import math

import torch
from torch import nn

VARIANTS = ("bahdanau", "luong-dot", "luong-general", "luong-concat", "scaled-dot", "local-p")


class Attention(nn.Module):
    def __init__(self, variant, decoder_size, annotation_size, attention_size, window):
        super().__init__()
        self.variant = variant
        self.window = window
        if variant in ("bahdanau", "luong-concat"):
            self.query = nn.Linear(decoder_size, attention_size, bias=False)
            self.key = nn.Linear(annotation_size, attention_size, bias=True)
            self.v = nn.Linear(attention_size, 1, bias=False)
        elif variant in ("luong-general", "local-p"):
            self.key = nn.Linear(annotation_size, decoder_size, bias=False)  # W_a h_i, precomputed once
        elif variant in ("luong-dot", "scaled-dot"):
            if decoder_size != annotation_size:
                raise ValueError(f"{variant} needs decoder size == annotation size")
        else:
            raise ValueError(f"unknown attention variant {variant!r}")
        if variant == "local-p":
            self.position = nn.Linear(decoder_size, attention_size, bias=False)  # W_p
            self.position_v = nn.Linear(attention_size, 1, bias=False)           # v_p

    def keys(self, annotations):  # annotations: [S, B, 2H] -> what scores compare against
        if self.variant in ("luong-dot", "scaled-dot"):
            return annotations
        return self.key(annotations)

    def forward(self, query, keys, mask, lengths):
        """query: [B, D]; keys: [S, B, K]; mask: [S, B] True at real positions; lengths: [B] -> weights [B, S]."""
        if self.variant in ("bahdanau", "luong-concat"):
            scores = self.v(torch.tanh(self.query(query).unsqueeze(0) + keys)).squeeze(-1)  # [S, B]
        else:
            scores = (keys * query.unsqueeze(0)).sum(-1)  # [S, B]
            if self.variant == "scaled-dot":
                scores = scores / math.sqrt(query.shape[-1])
        if self.variant == "local-p":
            p = lengths.to(query.dtype) * torch.sigmoid(self.position_v(torch.tanh(self.position(query)))).squeeze(-1)
            positions = torch.arange(keys.shape[0], dtype=query.dtype).unsqueeze(1)  # [S, 1]
            sigma = self.window / 2.0
            scores = scores - (positions - p.unsqueeze(0)) ** 2 / (2.0 * sigma * sigma)
        scores = scores.masked_fill(~mask, float("-inf"))
        return torch.softmax(scores, dim=0).transpose(0, 1)  # [B, S]


class Seq2Seq(nn.Module):
    def __init__(self, variant, source_vocab_size, target_vocab_size, embedding_size=128, encoder_hidden=128,
                 decoder_hidden=256, attention_size=128, window=4.0, dropout=0.2):
        super().__init__()
        self.variant = variant
        self.bahdanau = variant == "bahdanau"
        annotation = 2 * encoder_hidden
        self.source_embedding = nn.Embedding(source_vocab_size, embedding_size)
        self.target_embedding = nn.Embedding(target_vocab_size, embedding_size)
        self.encoder = nn.GRU(embedding_size, encoder_hidden, bidirectional=True)
        self.init_state = nn.Linear(annotation, decoder_hidden)
        feed = annotation if self.bahdanau else decoder_hidden  # context (Bahdanau) or o_{t-1} (input feeding)
        self.decoder = nn.GRUCell(embedding_size + feed, decoder_hidden)
        self.attention = Attention(variant, decoder_hidden, annotation, attention_size, window)
        self.combine = nn.Linear(annotation + decoder_hidden, decoder_hidden, bias=False)  # W_c
        self.output = nn.Linear(decoder_hidden, target_vocab_size)
        self.dropout = nn.Dropout(dropout)
        self.decoder_hidden = decoder_hidden

    def encode(self, source, lengths):
        """source: [S, B] ids (padded); lengths: [B] -> annotations [S, B, 2H], keys, mask [S, B], s_0 [B, D]."""
        embedded = self.dropout(self.source_embedding(source))
        packed = nn.utils.rnn.pack_padded_sequence(embedded, lengths.cpu(), enforce_sorted=False)
        out, _ = self.encoder(packed)
        annotations, _ = nn.utils.rnn.pad_packed_sequence(out, total_length=source.shape[0])
        hidden = self.encoder.hidden_size
        batch = torch.arange(source.shape[1])
        forward_last = annotations[lengths - 1, batch, :hidden]   # forward GRU after the last real token
        backward_first = annotations[0, :, hidden:]               # backward GRU after reading back to token 0
        state = torch.tanh(self.init_state(torch.cat([forward_last, backward_first], -1)))
        mask = torch.arange(source.shape[0]).unsqueeze(1) < lengths.unsqueeze(0)
        return annotations, self.attention.keys(annotations), mask, state

    def step(self, previous, state, feed, annotations, keys, mask, lengths):
        """One decoder step without the output layer. previous: [B] ids; state: [B, D]; feed: [B, D] (o_{t-1},
        Luong) or unused (Bahdanau). Returns the attentional vector o_t [B, D], new state, attention [B, S]."""
        embedded = self.dropout(self.target_embedding(previous))
        if self.bahdanau:
            weights = self.attention(state, keys, mask, lengths)
            context = torch.einsum("bs,sbk->bk", weights, annotations)
            state = self.decoder(torch.cat([embedded, context], -1), state)
        else:
            state = self.decoder(torch.cat([embedded, feed], -1), state)
            weights = self.attention(state, keys, mask, lengths)
            context = torch.einsum("bs,sbk->bk", weights, annotations)
        attentional = torch.tanh(self.combine(torch.cat([context, state], -1)))
        return attentional, state, weights

    def forward(self, source, lengths, target_in):
        """Teacher forcing. target_in: [T, B] (<sos> y1 .. y_{T-1}) -> logits [T, B, V], attention [T, B, S].
        The output layer runs once over all steps (one large matmul instead of T small ones)."""
        attentionals, weights = self.attentionals(source, lengths, target_in)
        return self.output(self.dropout(attentionals)), weights

    def attentionals(self, source, lengths, target_in):
        """Teacher forcing up to the output layer: -> o_t for all steps [T, B, D], attention [T, B, S] (a trainer
        may apply the output layer to a subset of the vocabulary, train_hansards.py)."""
        annotations, keys, mask, state = self.encode(source, lengths)
        feed = torch.zeros(source.shape[1], self.decoder_hidden)
        attentionals, all_weights = [], []
        for t in range(target_in.shape[0]):
            feed, state, weights = self.step(target_in[t], state, feed, annotations, keys, mask, lengths)
            attentionals.append(feed)
            all_weights.append(weights)
        return torch.stack(attentionals), torch.stack(all_weights)

    @torch.no_grad()
    def greedy(self, source_ids, max_length, eos, sos):
        """One sentence. source_ids: list of ids (ending with <eos>) -> (ids, attention [T, S], logits [T, V])."""
        source = torch.tensor(source_ids).unsqueeze(1)
        lengths = torch.tensor([len(source_ids)])
        annotations, keys, mask, state = self.encode(source, lengths)
        feed = torch.zeros(1, self.decoder_hidden)
        previous = torch.tensor([sos])
        ids, weights_all, logits_all = [], [], []
        for _ in range(max_length):
            feed, state, weights = self.step(previous, state, feed, annotations, keys, mask, lengths)
            logits = self.output(feed)
            previous = logits.argmax(-1)
            ids.append(int(previous))
            weights_all.append(weights[0])
            logits_all.append(logits[0])
            if ids[-1] == eos:
                break
        return ids, torch.stack(weights_all), torch.stack(logits_all)
