"""Word vectors for the HAN's embedding layer, pretrained with skip-gram and negative sampling (word2vec,
Mikolov et al. 2013) on unlabelled English text available on the machine: the training split's reviews,
the English side of the Tatoeba pairs and the GAP texts. The validation reviews are never read here.
Yang et al. 2016 initialise their embeddings with word2vec too; with only ~1,400 training reviews this is
what keeps the HAN from overfitting its embeddings.
"""

import csv
import time
import zipfile

import numpy as np
import torch
from torch import nn

import text as T


def english_text(data_dir):
    """Sentences (token lists) of the extra text: Tatoeba English and GAP."""
    sentences = []
    with zipfile.ZipFile(f"{data_dir}/tatoeba-eng-fra/fra-eng.zip") as archive:
        for line in archive.read("fra.txt").decode("utf-8").split("\n"):
            if "\t" in line:
                sentences.append(T.tokenize(line.split("\t")[0]))
    for name in ("gap-development.tsv", "gap-validation.tsv"):
        with open(f"{data_dir}/gap-coreference/{name}", encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                sentences.extend(T.split_sentences(row["Text"], "split"))
    return [s for s in sentences if s]


def skipgram_pairs(corpus, counts, rng, window=5, subsample=1e-4):
    """(center, context) id pairs for one epoch, with word2vec's frequent-word subsampling and dynamic window."""
    total = counts.sum()
    frequency = counts / total
    keep = np.minimum(1.0, np.sqrt(subsample / np.maximum(frequency, 1e-12)) + subsample / np.maximum(frequency, 1e-12))
    centers, contexts = [], []
    for sentence in corpus:
        ids = sentence[rng.random(len(sentence)) < keep[sentence]]
        n = len(ids)
        if n < 2:
            continue
        spans = rng.integers(1, window + 1, size=n)
        for i in range(n):
            lo, hi = max(0, i - spans[i]), min(n, i + spans[i] + 1)
            for j in range(lo, hi):
                if j != i:
                    centers.append(ids[i])
                    contexts.append(ids[j])
    return np.array(centers, dtype=np.int64), np.array(contexts, dtype=np.int64)


def pretrain(sentences, index, size, minutes, log, epochs=5, negatives=5, batch=4096, seed=7):
    """Returns a [len(index), size] float32 matrix; rows of words never seen keep a small random init."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    corpus = [np.array([index[w] for w in s if w in index], dtype=np.int64) for s in sentences]
    corpus = [c for c in corpus if len(c) >= 2]
    counts = np.zeros(len(index), dtype=np.float64)
    for c in corpus:
        np.add.at(counts, c, 1)
    noise = torch.tensor(np.power(counts, 0.75) / np.power(counts, 0.75).sum(), dtype=torch.float)
    inputs = nn.Embedding(len(index), size, sparse=True)
    outputs = nn.Embedding(len(index), size, sparse=True)
    nn.init.uniform_(inputs.weight, -0.5 / size, 0.5 / size)
    nn.init.zeros_(outputs.weight)
    optimiser = torch.optim.SparseAdam(list(inputs.parameters()) + list(outputs.parameters()), lr=0.003)
    start = time.time()
    for epoch in range(epochs):
        centers, contexts = skipgram_pairs(corpus, counts, rng)
        order = rng.permutation(len(centers))
        total = 0.0
        for b in range(0, len(order), batch):
            idx = order[b:b + batch]
            c = torch.from_numpy(centers[idx])
            o = torch.from_numpy(contexts[idx])
            neg = torch.multinomial(noise, len(idx) * negatives, replacement=True).view(len(idx), negatives)
            v = inputs(c)
            positive = (v * outputs(o)).sum(1)
            negative = torch.bmm(outputs(neg), v.unsqueeze(2)).squeeze(2)
            loss = -(nn.functional.logsigmoid(positive).mean() + nn.functional.logsigmoid(-negative).sum(1).mean())
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss) * len(idx)
        log(f"skip-gram epoch {epoch + 1}: {len(centers)} pairs, loss {total / max(1, len(centers)):.4f}, "
            f"{(time.time() - start) / 60:.1f} min")
        if (time.time() - start) / 60 > minutes:
            break
    vectors = inputs.weight.detach().clone()
    seen = torch.from_numpy(counts > 0)
    # Scale to the spread PyTorch's default embedding init has, so the GRU sees inputs of the usual size.
    vectors[seen] *= 1.0 / max(1e-6, float(vectors[seen].std()))
    vectors[~seen] = torch.randn(int((~seen).sum()), size) * 0.1
    vectors[0] = 0.0
    return vectors, int(seen.sum())


def nearest(vectors, index, words, k=5):
    """For a sanity line in the log: the k nearest neighbours (cosine) of some words."""
    inverse = {i: w for w, i in index.items()}
    unit = vectors / vectors.norm(dim=1, keepdim=True).clamp_min(1e-6)
    out = []
    for w in words:
        if w in index:
            sims = unit @ unit[index[w]]
            best = [inverse[int(i)] for i in sims.topk(k + 1).indices if int(i) != index[w]][:k]
            out.append(f"{w}: {' '.join(best)}")
    return "; ".join(out)
