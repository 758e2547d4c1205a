"""Bag-of-words baselines on the same split as the HAN: multinomial naive Bayes and L2-regularised logistic
regression on binary unigram + bigram features (Pang & Lee 2002; Wang & Manning 2012). Hyper-parameters are
fixed beforehand (alpha = 1, lambda = 1e-4 per example), never tuned on the validation set.
"""

from collections import Counter

import numpy as np
import torch


def features(sentences):
    grams = set()
    for s in sentences:
        grams.update(s)
        grams.update(f"{a} {b}" for a, b in zip(s, s[1:]))
    return grams


def feature_matrix(documents, index):
    rows = np.zeros((len(documents), len(index)), dtype=np.float32)
    for i, d in enumerate(documents):
        for g in features(d):
            if g in index:
                rows[i, index[g]] = 1.0
    return rows


def fit_and_score(train, test, min_count=2):
    """train/test: [(sentences, label)]. Returns {"naive_bayes": accuracy, "logistic_regression": accuracy}."""
    counts = Counter(g for d, _ in train for g in features(d))
    index = {g: i for i, g in enumerate(sorted(g for g, c in counts.items() if c >= min_count))}
    x_train = feature_matrix([d for d, _ in train], index)
    x_test = feature_matrix([d for d, _ in test], index)
    y_train = np.array([l for _, l in train])
    y_test = np.array([l for _, l in test])

    # Naive Bayes with binarised counts (Wang & Manning's MNB), add-one smoothing.
    log_ratio = []
    for label in (0, 1):
        totals = x_train[y_train == label].sum(0) + 1.0
        log_ratio.append(np.log(totals / totals.sum()))
    prior = np.log(np.bincount(y_train, minlength=2) / len(y_train))
    nb_scores = x_test @ np.stack(log_ratio, 1) + prior
    naive_bayes = float((nb_scores.argmax(1) == y_test).mean())

    torch.manual_seed(0)
    x = torch.from_numpy(x_train)
    y = torch.from_numpy(y_train).float()
    w = torch.zeros(x.shape[1], requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    optimiser = torch.optim.LBFGS([w, b], max_iter=300, line_search_fn="strong_wolfe")

    def closure():
        optimiser.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(x @ w + b, y) + 1e-4 * (w * w).sum()
        loss.backward()
        return loss

    optimiser.step(closure)
    with torch.no_grad():
        predicted = ((torch.from_numpy(x_test) @ w + b) > 0).numpy().astype(int)
    logistic = float((predicted == y_test).mean())
    return {"naive_bayes": naive_bayes, "logistic_regression": logistic, "features": len(index)}
