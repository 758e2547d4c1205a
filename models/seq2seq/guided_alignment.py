"""Guided alignment for the Hansards transformer (Garg, Peitz, Nallasamy & Paulik 2019, "Jointly Learning to Align
and Translate with Transformer Models", section 4): one cross-attention head is trained, beside translation, toward
the links of a statistical aligner, so its attention can be read as an alignment.

Links: `attnviz align --model models/aligner-hansards-ibm1-fastalign --method threshold:T --links FILE` over the
training split's lines (split into files under align's 64 MB limit, the link files concatenated) (one line per pair, fast_align's "i-j": 0-based source word, target word). Words are the
lines' space-separated words; the transformer's SentencePiece pieces are grouped into them by the U+2581 that starts
each word (as `attnviz align` groups them).

Loss (Garg et al. eq. 4, at the word level of `attnviz align`): for every target piece whose word has links, the
cross entropy between the uniform distribution over the linked source words and the head's attention summed over
each source word's pieces: -sum_s p(s | t) log sum_{k in s} a[t, k], averaged over the supervised rows. Which row
is piece t's: shift 0, the row that predicts piece t (decoder input: the piece before), the row `align`'s argmax
reads; shift 1, the row that reads piece t as decoder input, the row `align --method shift-att` reads (Chen et al.
2020). With shift 1 the head sees the word it aligns, as Garg et al.'s full-target-context alignment does.
"""
import os

import numpy as np
import torch


def read_links(path):
    """-> (offsets [pairs + 1] int64, links [n, 2] int16 as (source word, target word)); cached beside the file."""
    cache = path + ".npz"
    if os.path.exists(cache) and os.path.getmtime(cache) >= os.path.getmtime(path):
        arrays = np.load(cache)
        return arrays["offsets"], arrays["links"]
    offsets, links = [0], []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            for link in line.split():
                source, _, target = link.partition("-")
                if not (source.isdigit() and target.isdigit()):
                    raise SystemExit(f"guided_alignment: {path}:{number}: '{link}' is not i-j (0-based word indexes)")
                links.append((int(source), int(target)))
            offsets.append(len(links))
    offsets, links = np.array(offsets, dtype=np.int64), np.array(links, dtype=np.int16).reshape(-1, 2)
    np.savez(cache + ".tmp.npz", offsets=offsets, links=links)
    os.replace(cache + ".tmp.npz", cache)
    return offsets, links


def piece_words(ids, starts_word, length):
    """Word index of each of the first `length` pieces (a piece starting with U+2581 opens a word)."""
    starts = starts_word[np.asarray(ids[:length])]
    starts[0] = True
    return np.cumsum(starts) - 1


class GuidedAlignment:
    """The links of the training split and the loss of the guided head."""

    def __init__(self, links_path, pieces, layer, head, lines, shift=0):
        """lines: the training split's (English, French) lines, whose words the links index."""
        self.offsets, self.links = read_links(links_path)
        if len(self.offsets) - 1 != len(lines[0]):
            raise SystemExit(f"guided_alignment: {links_path} has {len(self.offsets) - 1} lines, the training split "
                             f"{len(lines[0])} pairs; write it from the same split (line N = pair N)")
        self.word_counts = [np.array([len(line.split()) for line in side], dtype=np.int32) for side in lines]
        self.starts_word = np.array([p.startswith("\u2581") for p in pieces])
        self.layer, self.head, self.shift = layer, head, shift
        self.mismatched = 0  # pairs whose pieces do not make the links' words (skipped)

    def loss(self, crosses, indices, split):
        """crosses: per decoder layer [B, H, T, S]; indices: the batch's pairs in `split` (rows b of the batch).
        -> (mean cross entropy over supervised rows, number of rows); (zero, 0) when no row has links."""
        attention = crosses[self.layer][:, self.head]  # [B, T, S]
        batch, rows, columns = attention.shape
        pairs = [split.pair(int(i)) for i in indices]
        words = max(len(s) for s, _ in pairs)
        grouping = torch.zeros(batch, columns, words)  # source piece -> word (</s> and padding in no word)
        target = torch.zeros(batch, rows, words)       # p(source word | row)
        for b, (index, (source, pieces_out)) in enumerate(zip(indices, pairs)):
            pair_links = self.links[self.offsets[index]:self.offsets[index + 1]]
            if len(pair_links) == 0:
                continue
            source_words = piece_words(source, self.starts_word, len(source) - 1)  # </s> left out
            target_words = piece_words(pieces_out, self.starts_word, len(pieces_out) - 1)
            # An <unk> piece hides its word start: such a pair's pieces no longer make the lines' words.
            if (source_words[-1] + 1 != self.word_counts[0][index] or
                    target_words[-1] + 1 != self.word_counts[1][index]):
                self.mismatched += 1
                continue
            grouping[b, np.arange(len(source_words)), source_words] = 1.0
            rows_of_word = [[] for _ in range(target_words[-1] + 1)]
            for row, word in enumerate(target_words):
                rows_of_word[word].append(row)
            for source_word, target_word in pair_links:
                for row in rows_of_word[target_word]:
                    target[b, row + self.shift, source_word] += 1.0  # row + 1 <= the </s> row
        mass = target.sum(-1, keepdim=True)
        supervised = mass.squeeze(-1) > 0
        count = int(supervised.sum())
        if count == 0:
            return attention.sum() * 0.0, 0
        word_attention = attention @ grouping  # [B, T, words]
        entropy = -(target / mass.clamp_min(1.0) * torch.log(word_attention + 1e-9)).sum(-1)
        return entropy[supervised].mean(), count
