"""Evaluates a saved coreference model (models/coref-bert) on the held-out split of data.py, names its
coreference head (the supervised one, config "coreference_supervision", else the best on validation), and
writes the card: config.json ("coreference_head", "attnviz_card") and README.md (card.py). train.py calls
run() after saving; it can be re-run alone on the saved files, with --before measuring the weights they
replaced on the same split for the card's before/after table:

    /usr/bin/python3 models/coref/evaluate.py --data ../shared/data --model models/coref-bert [--before DIR]

Metrics (every example is run alone, unpadded, from the weights read back from model.safetensors):
- WinoBias: the pointer's argmax token lies inside the gold antecedent span; pro and anti separately.
- GAP, rows whose pronoun refers to A or B: (a, the headline: what attnviz shows) the argmax token lies inside
  the gold span; (b) A or B chosen by the pointer probability summed over each span's tokens.
- Head: for each layer and head, how often the pronoun's attention argmax (over all tokens but [CLS], [SEP] and
  the pronoun) lies inside the gold antecedent span; for the shown head also its mean attention mass on the
  span and how often its argmax is the pointer's argmax token.
"""

import argparse
import json
import math
import os
import re
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data as coref_data  # noqa: E402
import vocab as vocab_learner  # noqa: E402
from model import DETERMINERS, load, text_mentions  # noqa: E402

ANIMAL = ["The animal didn't cross the street because it was too tired.",
          "The animal didn't cross the street because it was too wide."]


class Tokens:
    def __init__(self, tok):
        self.tok, self.cache = tok, {}

    def __call__(self, text):
        out = []
        for w in vocab_learner.basic_words(text):  # the reference's words, fast for ASCII
            p = self.cache.get(w)
            if p is None:
                p = self.cache[w] = self.tok.pieces(w)
            out.extend(p)
        return out


def examples(tok, exs, max_tokens=512):
    """data.Example list -> ([{ids, tokens, pronoun, antecedent (token span or None), candidates, source,
    label, text, group, example}], dropped count). Token indexes count [CLS] as 0."""
    tokens_of = getattr(tok, "_cached_tokens", None)
    if tokens_of is None:
        tokens_of = tok._cached_tokens = Tokens(tok)
    out, dropped = [], 0
    for e in exs:
        full = tokens_of(e.text)

        def span(s, t):
            a, b = tokens_of(e.text[:s]), tokens_of(e.text[:t])
            if full[:len(b)] != b or b[:len(a)] != a or len(b) <= len(a):
                return None
            return (1 + len(a), 1 + len(b))

        pronoun = span(*e.pronoun)
        ante = span(*e.antecedent) if e.antecedent else None
        cands = [span(*c) for c in e.candidates]
        n = len(full) + 2
        if (pronoun is None or pronoun[1] - pronoun[0] != 1 or (e.antecedent and ante is None)
                or any(c is None for c in cands) or n > max_tokens):
            dropped += 1
            continue
        tokens = [tok.cls] + full + [tok.sep]
        label = None
        if e.source.startswith("gap"):
            label = "A" if e.antecedent == e.candidates[0] else "B" if e.antecedent == e.candidates[1] else None
        out.append({"ids": [tok.ids[t] for t in tokens], "tokens": tokens, "pronoun": pronoun[0],
                    "antecedent": ante, "candidates": cands, "source": e.source, "label": label, "text": e.text,
                    "group": e.group, "example": e})
    return out, dropped


@torch.no_grad()
def pointer_accuracy(model, items, layer_head=None, batch_tokens=4096):
    """Batched (padded keys masked) argmax-in-span counts: {"winobias": (correct, n), "gap": (correct, n)} for
    the pointer (over every token but [CLS], [SEP] and the pronoun, as in training), and with layer_head =
    (layer, head) also "head winobias"/"head gap" for that head's attention argmax from the pronoun over the
    same tokens."""
    from train import batches, collate  # noqa: E402 (shared batching)
    import random
    model.eval()
    usable = [e for e in items if e["antecedent"] is not None]
    counts = {"winobias": [0, 0], "gap": [0, 0], "head winobias": [0, 0], "head gap": [0, 0]}
    for index in batches(usable, batch_tokens, random.Random(0)):
        ids, real, candidates, gold, pronoun = collate(usable, index)
        h, att = model.encode(ids, real)
        rows = torch.arange(len(index))
        j = model.pointer_log_probs(h, pronoun, candidates).argmax(-1)
        hit = gold[rows, j]
        head_hit = None
        if layer_head is not None:
            a = att[layer_head[0], rows, layer_head[1], pronoun, :].masked_fill(~candidates, -1.0)  # [batch, N]
            head_hit = gold[rows, a.argmax(-1)]
        for r, i in enumerate(index):
            kind = "gap" if usable[i]["source"].startswith("gap") else "winobias"
            counts[kind][0] += int(hit[r])
            counts[kind][1] += 1
            if head_hit is not None:
                counts["head " + kind][0] += int(head_hit[r])
                counts["head " + kind][1] += 1
    return {k: tuple(v) for k, v in counts.items()}


@torch.no_grad()
def score_items(model, items, tok):
    """Each example alone: pointer p [N] over the mention candidates (model.mention_words; all zeros and j = -1
    when the text has none); for every head, the attention argmax token from the pronoun over all tokens but
    [CLS], [SEP] and the pronoun ("j_att", [layers, heads]) and the attention mass on the gold antecedent span
    ("mass", [layers, heads], None without an antecedent); "head_hits" [layers, heads] bool (j_att in the span)."""
    out = []
    for e in items:
        h, att = model.run(e["ids"])
        i, n = e["pronoun"], len(e["ids"])
        tokens, mentions = text_mentions(tok, e["text"])
        assert tokens == e["tokens"], e["text"]
        mentions[i] = False
        j_att = head_argmax(att, i, n)
        hits = mass = None
        if e["antecedent"] is not None:
            s, t = e["antecedent"]
            hits = (j_att >= s) & (j_att < t)
            mass = att[:, :, i, s:t].sum(-1).numpy()
        if not bool(mentions[1:n - 1].any()):
            out.append({"p": np.zeros(n, dtype=np.float32), "j": -1, "j_att": j_att, "head_hits": hits,
                        "mass": mass})
            continue
        p = model.pointer(h, i, mentions).numpy()
        out.append({"p": p, "j": int(p.argmax()), "j_att": j_att, "head_hits": hits, "mass": mass})
    return out


def head_argmax(att, i, n):
    """att [layers, heads, N, N] -> [layers, heads]: the key token each head's row for the pronoun i attends to
    most, over all tokens but [CLS], [SEP] and i (the tokens the pointer may choose before the mention rule)."""
    a = att[:, :, i, :].numpy().copy()  # [layers, heads, N]
    a[:, :, [0, n - 1, i]] = -1
    return a.argmax(-1)


def head_report(items, scored, layer, head):
    """One head's numbers on one split: how often its argmax from the pronoun lands in the gold span (all,
    WinoBias, GAP; examples with an antecedent), its mean attention mass on the span, and how often its argmax
    is the pointer's argmax token (examples where the pointer has a mention to choose) -> dict of (k, n) / float."""
    hit = {"all": [0, 0], "winobias": [0, 0], "gap": [0, 0]}
    agree, masses = [0, 0], []
    for e, s in zip(items, scored):
        if s["j"] >= 0:
            agree[0] += int(s["j_att"][layer, head] == s["j"])
            agree[1] += 1
        if s["head_hits"] is None:
            continue
        kind = "gap" if e["source"].startswith("gap") else "winobias"
        for key in ("all", kind):
            hit[key][0] += int(s["head_hits"][layer, head])
            hit[key][1] += 1
        masses.append(float(s["mass"][layer, head]))
    return {"hits": {k: tuple(v) for k, v in hit.items()}, "agree": tuple(agree),
            "mass": float(np.mean(masses)) if masses else float("nan")}


def pointer_totals(groups):
    """-> {"winobias": (k, n), "gap": (k, n), "all": (k, n)}: the pointer's argmax-in-span counts of metrics()."""
    g = lambda k: groups.get(k, [0, 0])  # noqa: E731
    wino = (g("winobias pro")[0] + g("winobias anti")[0], g("winobias pro")[1] + g("winobias anti")[1])
    gap = tuple(g("gap")[:2])
    return {"winobias": wino, "gap": gap, "all": (wino[0] + gap[0], wino[1] + gap[1])}


def rate(k, n):
    if n == 0:
        return "n/a"
    p = k / n
    return f"{100 * p:.1f}% ({k}/{n}, s.e. {100 * math.sqrt(p * (1 - p) / n):.1f})"


def occupation_spans(text, occupations):
    low = text.lower()
    spans = []
    for o in occupations:
        for m in re.finditer(r"\b" + re.escape(o.lower()) + r"\b", low):
            spans.append((m.start(), m.end()))
    spans.sort()
    return [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def metrics(items, scored, occupations):
    r = {}
    groups = {}
    for e, s in zip(items, scored):
        src = e["source"]
        if src.startswith("winobias"):
            _, stereo, kind = src.split("-")
            s_, t_ = e["antecedent"]
            hit = s_ <= s["j"] < t_
            ex = e["example"]
            occ = [o for o in occupation_spans(ex.text, occupations) if not overlaps(o, ex.pronoun)]
            first = occ[0] if occ else None
            before = [o for o in occ if o[1] <= ex.pronoun[0]]
            nearest = before[-1] if before else first
            for key in (f"winobias {stereo}", f"winobias {stereo} {kind}"):
                g = groups.setdefault(key, [0, 0, 0, 0])
                g[0] += hit
                g[1] += 1
                g[2] += bool(first and overlaps(first, ex.antecedent))
                g[3] += bool(nearest and overlaps(nearest, ex.antecedent))
        elif e["label"] is not None:
            p = s["p"]
            (a0, a1), (b0, b1) = e["candidates"]
            s_, t_ = e["antecedent"]
            choice = "A" if p[a0:a1].sum() >= p[b0:b1].sum() else "B"
            ex = e["example"]
            (ca, cb), pr = ex.candidates, ex.pronoun
            dist = lambda c: (0 if c[1] <= pr[0] else 1, abs(pr[0] - c[0]))  # noqa: E731 preceding first, then nearer
            nearest = "A" if dist(ca) <= dist(cb) else "B"
            g = groups.setdefault("gap", [0, 0, 0, 0, 0])
            g[0] += s_ <= s["j"] < t_
            g[1] += 1
            g[2] += choice == e["label"]
            g[3] += e["label"] == "A"
            g[4] += nearest == e["label"]
    r["groups"] = groups
    return r


def head_rates(items, scored):
    hits = [s["head_hits"] for s in scored if s["head_hits"] is not None]
    return np.sum(hits, axis=0), len(hits)


def shown_head(config, head_hits_validation):
    """The head attnviz opens on ("coreference_head"): the supervised one when the model was trained with one
    (config "coreference_supervision"), else the head whose argmax most often lands on the antecedent on
    validation. -> ((layer, head), supervised?)"""
    sup = config.get("coreference_supervision")
    if sup:
        return (int(sup["layer"]), int(sup["head"])), True
    layer, head = np.unravel_index(int(np.argmax(head_hits_validation)), head_hits_validation.shape)
    return (int(layer), int(head)), False


@torch.no_grad()
def animal_rows(model, tok, layer, head):
    """For each ANIMAL sentence, the head's attention row from its pronoun ("it"): the argmax token over all tokens
    but [CLS], [SEP] and "it" (what its arcs show strongest), its index and probability, and the probability on
    "animal", "street", and the phrases "The animal", "the street"."""
    from model import encode_words  # noqa: E402
    out = []
    for text in ANIMAL:
        tokens, ids, _, _ = encode_words(tok, text)
        _, att = model.run(ids)
        i = tokens.index("it")
        j = int(head_argmax(att, i, len(ids))[layer, head])
        row = att[layer, head, i]
        animal, street = tokens.index("animal"), tokens.index("street")
        # WinoBias gold spans include the determiner ("[The developer]"), so the head was trained onto both tokens.
        out.append({"argmax": tokens[j], "argmax_token": j, "animal_token": animal, "p_argmax": float(row[j]),
                    "p_animal": float(row[animal]), "p_street": float(row[street]),
                    "p_the_animal": float(row[animal - 1] + row[animal]),
                    "p_the_street": float(row[street - 1] + row[street]),
                    # the same head's rows for the other words: is its pull towards "The animal" the pronoun's alone?
                    "others_the_animal": float(torch.stack([att[layer, head, q, animal - 1] + att[layer, head, q, animal]
                                                            for q in range(1, len(ids) - 1) if q != i]).mean())})
    return out


TWO_PRONOUNS = "The lawyer asked the secretary for help because she knew him well."  # golden.py's "two-pronouns"


@torch.no_grad()
def link_rows(model, tok, layer, head, text):
    """For each pronoun the pointer links in text: (pronoun, antecedent word, the head's attention from the pronoun
    on the pointer's antecedent token)."""
    from model import encode_words  # noqa: E402
    _, ids, _, _ = encode_words(tok, text)
    _, att = model.run(ids)
    return [(p["pronoun_text"], p["antecedent_text"], float(att[layer, head, p["pronoun"], p["antecedent"]]))
            for p in model.predict(text, tok)]


def measure(folder, data_dir, log=print, extra_heads=()):
    """Every number of the card for the weights in folder, nothing written -> summary dict (JSON-able). The
    shown head (shown_head) and each of extra_heads [(layer, head)] get a head_report per split."""
    model, tok, config = load(folder)
    start = time.time()
    split = coref_data.split(data_dir)
    occupations = []
    for name in ("male_occupations.txt", "female_occupations.txt"):
        with open(f"{data_dir}/winobias/{name}", encoding="utf-8") as f:
            occupations += [l.strip() for l in f if l.strip()]
    results, heads, sizes, scored_by = {}, {}, {}, {}
    for name in ("validation", "test"):
        items, dropped = examples(tok, split[name])
        scored = score_items(model, items, tok)
        scored_by[name] = (items, scored)
        results[name] = metrics(items, scored, occupations)
        heads[name] = head_rates(items, scored)
        sizes[name] = (len(split[name]), len(items), dropped)
        log(f"evaluated {folder} {name}: {len(items)} examples ({dropped} dropped)")
    hv, nv = heads["validation"]
    ht, nt = heads["test"]
    (layer, head), supervised = shown_head(config, hv)
    for l in range(hv.shape[0]):
        log("head rates validation layer", l, " ".join(f"{hv[l, h] / nv:.3f}" for h in range(hv.shape[1])),
            "| test", " ".join(f"{ht[l, h] / nt:.3f}" for h in range(ht.shape[1])))
    reports = {}
    for lh in [(layer, head)] + [tuple(x) for x in extra_heads]:
        reports[f"{lh[0]},{lh[1]}"] = {name: head_report(*scored_by[name], *lh) for name in scored_by}
        log(f"head {lh[0]},{lh[1]}:", json.dumps(reports[f"{lh[0]},{lh[1]}"]))
    animal = [model.predict(t, tok) for t in ANIMAL]
    rows = animal_rows(model, tok, layer, head)
    for t, preds, row in zip(ANIMAL, animal, rows):
        log(t, "-> pointer", [(p["pronoun_text"], p["antecedent_text"], round(p["score"], 3)) for p in preds],
            f"| head {layer},{head} row of it:", json.dumps(row))
    log(f"evaluation took {time.time() - start:.0f} s")
    return {"results": {k: v["groups"] for k, v in results.items()}, "sizes": sizes,
            "train_examples": len(split["train"]), "head": [layer, head], "supervised": supervised,
            "head_rates": {"validation": (hv / nv).round(4).tolist(), "test": (ht / nt).round(4).tolist()},
            "head_counts": {"validation": [int(hv[layer, head]), nv], "test": [int(ht[layer, head]), nt]},
            "head_reports": reports,
            "pointer": {k: pointer_totals(v["groups"]) for k, v in results.items()},
            "animal": animal, "animal_head": rows, "two_pronouns": link_rows(model, tok, layer, head, TWO_PRONOUNS)}


def run(folder, data_dir, log=print, before=None):
    """Measures folder (and, given, the weights it replaced in the folder before, on the same split and code),
    then writes config.json's coreference_head and attnviz_card, and README.md (card.py)."""
    import card as model_card  # noqa: E402
    summary = measure(folder, data_dir, log)
    layer, head = summary["head"]
    old = None
    if before:
        old = measure(before, data_dir, log, extra_heads=[(layer, head)])
        summary["before"] = old
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    test, val = summary["results"]["test"], summary["results"]["validation"]
    g = lambda d, k: d.get(k, [0, 0, 0, 0, 0])  # noqa: E731
    pro, anti, gap_t = g(test, "winobias pro"), g(test, "winobias anti"), g(test, "gap")
    gap_pts = 100 * (pro[0] / max(pro[1], 1) - anti[0] / max(anti[1], 1))
    rep = summary["head_reports"][f"{layer},{head}"]
    how = ("trained to attend from the pronoun to its antecedent" if summary["supervised"]
           else "chosen on validation, never trained to point")
    card = dict(config.get("attnviz_card", {}))
    card.update({
        "task": "pronoun resolution: for each third-person pronoun, a pointer head picks its antecedent token",
        "data": "WinoBias .dev (pro/anti-stereotyped, types 1 and 2) and GAP development/validation",
        "split": (f"train {summary['train_examples']} / validation {summary['sizes']['validation'][1]} / test "
                  f"{summary['sizes']['test'][1]} examples; WinoBias pro/anti pairs kept together (seed "
                  f"{coref_data.SEED}), GAP development -> train/validation, GAP validation -> test"),
        "accuracy winobias pro": rate(pro[0], pro[1]),
        "accuracy winobias anti": rate(anti[0], anti[1]),
        "pro-anti gap": f"{gap_pts:+.1f} points (test)",
        "accuracy gap": rate(gap_t[0], gap_t[1]) + " argmax inside the gold span (headline)",
        "accuracy gap a-vs-b": rate(gap_t[2], gap_t[1]) + " A or B by summed pointer probability",
        "baseline winobias first occupation": (f"pro {rate(pro[2], pro[1])}, anti {rate(anti[2], anti[1])}"),
        "baseline winobias nearest preceding occupation": (f"pro {rate(pro[3], pro[1])}, "
                                                           f"anti {rate(anti[3], anti[1])}"),
        "baseline gap always A": rate(gap_t[3], gap_t[1]),
        "baseline gap nearest preceding candidate": rate(gap_t[4], gap_t[1]),
        "coreference head": (f"layer {layer} head {head} (0-based), {how}: its attention argmax from the pronoun "
                             f"lands on the antecedent in {rate(*rep['validation']['hits']['all'])} of validation "
                             f"and {rate(*rep['test']['hits']['all'])} of test examples; the pointer's in "
                             f"{rate(*summary['pointer']['test']['all'])} of test examples"),
        "coreference head agrees with the pointer": (f"{rate(*rep['test']['agree'])} of test examples (same token)"),
        "animal tired": animal_line(summary, 0),
        "animal wide": animal_line(summary, 1),
    })
    if old:
        oh = old["head"]
        card["before retraining"] = (
            f"the previous weights (pointer only, head layer {oh[0]} head {oh[1]} chosen on validation): pointer "
            f"{rate(*old['pointer']['test']['all'])} of test examples, that head "
            f"{rate(*old['head_reports'][f'{oh[0]},{oh[1]}']['test']['hits']['all'])}")
    else:
        card.pop("before retraining", None)
    config["coreference_head"] = [layer, head]
    # The pointer's candidates: mention words (model.mention_words), the rule the C++ engine applies too.
    config["coreference_pointer"]["candidates"] = "mentions"
    config["coreference_pointer"]["determiners"] = DETERMINERS
    config["attnviz_card"] = card
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    summary["card"] = card
    log("summary " + json.dumps(summary))
    model_card.write_readme(folder, summary, config)
    return summary


def animal_line(summary, k):
    """'it -> animal (0.60); head 3,0: it -> animal (0.81)': the pointer's link and the shown head's argmax."""
    layer, head = summary["head"]
    row = summary["animal_head"][k]
    links = "; ".join(f"{p['pronoun_text']} -> {p['antecedent_text']} ({p['score']:.2f})" for p in summary["animal"][k])
    return (f"{links}; head {layer},{head}: it -> {row['argmax']} (token {row['argmax_token']}, {row['p_argmax']:.2f}; "
            f"animal {row['p_animal']:.2f}, the animal {row['p_the_animal']:.2f}, the street {row['p_the_street']:.2f})")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(HERE, "..", "..", "..", "shared", "data"))
    ap.add_argument("--model", default=os.path.join(HERE, "..", "coref-bert"))
    ap.add_argument("--before", help="a folder with the weights the model replaced (e.g. extracted with git show), "
                                     "measured the same way for the card's before/after table")
    args = ap.parse_args()
    torch.set_num_threads(1)
    if args.before and not os.path.isfile(os.path.join(args.before, "model.safetensors")):
        ap.error(f"--before {args.before}: no model.safetensors there")
    log_path = os.path.join(args.model, "training-log.txt")
    with open(log_path, "a", encoding="utf-8") as f:
        def log(*parts):
            line = "[evaluate.py] " + " ".join(str(p) for p in parts)
            print(line, flush=True)
            f.write(line + "\n")
        run(args.model, args.data, log, args.before)


if __name__ == "__main__":
    main()
