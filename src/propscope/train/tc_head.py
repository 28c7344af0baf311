"""A richer technique-classification head over the frozen shipped encoder (``tc_head.npz``).

    python -m propscope.train.tc_head --ptc DIR            # CV on PTC train, fit, write the head
    python -m propscope.train.tc_head --ptc DIR --no-write # CV and report only

Features are exactly what the run time computes (:meth:`PropscopeModel.tc_features`): each
article is encoded alone, as ``classify_spans`` does, and every span gets the blocks of
:data:`propscope.model.TC_BLOCKS` ([mean; first; last; CLS] of the span, the repetition/length
features, the mean state of its line and of the article, the states just before and after it,
the token head's probabilities over it and a few lexical flags). A design (kept blocks, loss)
is chosen by 5-fold cross-validation by article on PTC **train** only, scored as the official
TC metric does (a span listed k times gets its k most likely techniques); the chosen design is
then fitted on all of train as an ensemble of seeds whose softmax outputs are averaged.

PTC spans with several techniques are one training example with a soft target (each of its
techniques equally). Writes ``tc_head.npz`` into the model folder and lists it in
manifest.json (sha256, size) with the CV figures under ``dev_figures.tc_head``.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from propscope.model import N_TECH, TC_BLOCKS, TC_HEAD, TECHNIQUES, PropscopeModel, default_model_dir
from propscope.ptc import read_articles, read_tc_labels
from propscope.train.shared_heads import block_columns, cached, head_parser, register

INDEX = {t: k for k, t in enumerate(TECHNIQUES)}

#: designs compared by cross-validation: kept blocks and loss settings
DESIGNS: dict[str, dict[str, Any]] = {
    "v1_inputs": {"blocks": ("span", "extra"), "loss": "ce"},
    "all_ce": {"blocks": tuple(b for b, _ in TC_BLOCKS), "loss": "ce"},
    "all_smooth": {"blocks": tuple(b for b, _ in TC_BLOCKS), "loss": "ce", "smoothing": 0.1},
    "all_weighted": {"blocks": tuple(b for b, _ in TC_BLOCKS), "loss": "ce", "weighted": True},
    "all_focal": {"blocks": tuple(b for b, _ in TC_BLOCKS), "loss": "focal"},
    "no_tokp": {"blocks": ("span", "extra", "line", "article", "before", "after", "lex"), "loss": "ce"},
    "v1_lex": {"blocks": ("span", "extra", "lex"), "loss": "ce"},
    "v1_lex_tokp": {"blocks": ("span", "extra", "lex", "tokp"), "loss": "ce"},
    "no_tokp_smooth": {"blocks": ("span", "extra", "line", "article", "before", "after", "lex"), "loss": "ce",
                       "smoothing": 0.1},
}


def extract(model: PropscopeModel, ptc_dir: Path, split: str) -> dict[str, np.ndarray]:
    """Features of each distinct gold span, its soft target, label counts and article index."""
    articles = read_articles(ptc_dir / f"{split}-articles")
    rows = read_tc_labels(ptc_dir / f"{split}-labels-task-flc-tc")
    by_article: dict[str, dict[tuple[int, int], Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for aid, label, s, e in rows:
        by_article[aid][(s, e)][label] += 1
    feats, counts, group = [], [], []
    t0 = time.perf_counter()
    for n, aid in enumerate(sorted(by_article)):
        spans = sorted(by_article[aid])
        art = model._prepare(articles[aid])
        hidden = model._run_articles([art])[0]
        feats.append(model.tc_features(art, hidden, spans).astype(np.float32))
        for span in spans:
            c = np.zeros(N_TECH, np.float32)
            for label, k in by_article[aid][span].items():
                c[INDEX[label]] += k
            counts.append(c)
            group.append(n)
        if n % 50 == 0:
            print(f"  {split}: {n + 1}/{len(by_article)} articles, {time.perf_counter() - t0:.0f} s", flush=True)
    return {"x": np.concatenate(feats), "counts": np.stack(counts), "group": np.asarray(group)}


def tc_correct(probs: np.ndarray, counts: np.ndarray) -> tuple[int, int]:
    """(correct, gold labels) as the official metric counts them: k copies get the top k."""
    correct = 0
    for p, c in zip(probs, counts, strict=True):
        k = int(c.sum())
        top = np.argsort(-p)[: min(k, N_TECH)]
        pred = Counter(int(t) for t in top)
        if k > N_TECH:
            pred[int(top[-1])] += k - N_TECH
        correct += sum(min(v, int(c[t])) for t, v in pred.items())
    return correct, int(counts.sum())


def fit(
    x: np.ndarray, counts: np.ndarray, design: dict[str, Any], *, seed: int, hidden: int, epochs: int
) -> dict[str, np.ndarray]:
    """One MLP (standardised input, dropout, ReLU) on soft targets; numpy weights."""
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    mu = x.mean(axis=0)
    sd = x.std(axis=0) + 1e-4
    xt = torch.from_numpy(((x - mu) / sd).astype(np.float32))
    target = counts / counts.sum(axis=1, keepdims=True)
    smoothing = float(design.get("smoothing", 0.0))
    target = (1 - smoothing) * target + smoothing / N_TECH
    yt = torch.from_numpy(target.astype(np.float32))
    weight = None
    if design.get("weighted"):
        freq = counts.sum(axis=0) + 1.0
        w = (freq.sum() / freq) ** 0.5
        weight = torch.from_numpy((w / (w * freq / freq.sum()).sum()).astype(np.float32))
    net = torch.nn.Sequential(
        torch.nn.Dropout(0.2), torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(),
        torch.nn.Dropout(0.3), torch.nn.Linear(hidden, N_TECH),
    )
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.05)
    batch = 64
    steps = epochs * ((len(x) + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-3, total_steps=steps, pct_start=0.1)
    for _ in range(epochs):
        net.train()
        order = rng.permutation(len(x))
        for k in range(0, len(x), batch):
            idx = torch.from_numpy(order[k : k + batch])
            logp = torch.log_softmax(net(xt[idx]), dim=1)
            per = -(yt[idx] * logp)
            if design["loss"] == "focal":
                per = per * (1 - logp.exp()) ** 2
            if weight is not None:
                per = per * weight
            loss = per.sum(dim=1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    lin1, lin2 = net[1], net[4]
    return {
        "mu": mu.astype(np.float32), "sd": sd.astype(np.float32),
        "w1": lin1.weight.detach().numpy().T.copy(), "b1": lin1.bias.detach().numpy().copy(),
        "w2": lin2.weight.detach().numpy().T.copy(), "b2": lin2.bias.detach().numpy().copy(),
    }


def predict(heads: list[dict[str, np.ndarray]], x: np.ndarray) -> np.ndarray:
    total = np.zeros((len(x), N_TECH))
    for h in heads:
        z = (x - h["mu"]) / h["sd"]
        logits = np.maximum(z @ h["w1"] + h["b1"], 0.0) @ h["w2"] + h["b2"]
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        total += e / e.sum(axis=1, keepdims=True)
    return total / len(heads)


def cross_validate(
    data: dict[str, np.ndarray], design: dict[str, Any], *, folds: int, seeds: int, hidden: int, epochs: int
) -> float:
    cols = block_columns(TC_BLOCKS, design["blocks"])
    x = data["x"][:, cols]
    groups = data["group"]
    fold_of = np.random.default_rng(0).permutation(groups.max() + 1) % folds
    correct = total = 0
    for f in range(folds):
        test = fold_of[groups] == f
        heads = [fit(x[~test], data["counts"][~test], design, seed=13 + s, hidden=hidden, epochs=epochs)
                 for s in range(seeds)]
        c, t = tc_correct(predict(heads, x[test]), data["counts"][test])
        correct += c
        total += t
    return correct / total


def main(argv: list[str] | None = None) -> int:
    parser = head_parser("python -m propscope.train.tc_head", __doc__, "/tmp/propscope-tc-head", seeds=5, epochs=30)
    parser.add_argument("--hidden", type=int, default=256)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    torch.set_num_threads(args.threads)
    model_dir = args.model or default_model_dir()
    model = PropscopeModel.load(model_dir, threads=args.threads)
    args.work.mkdir(parents=True, exist_ok=True)
    cache = args.work / "ptc_train.npz"
    data = cached(cache, lambda: extract(model, args.ptc, "train"))
    if data["x"].shape[1] != sum(w for _, w in TC_BLOCKS):
        raise SystemExit(f"{cache} is stale (feature layout changed): delete it")
    print(f"PTC train: {len(data['x'])} distinct spans, {int(data['counts'].sum())} labels", flush=True)
    cv: dict[str, float] = {}
    names = [args.design] if args.design else (args.designs or ",".join(DESIGNS)).split(",")
    for name in names:
        t0 = time.perf_counter()
        cv[name] = round(cross_validate(data, DESIGNS[name], folds=args.folds, seeds=args.cv_seeds,
                                        hidden=args.hidden, epochs=args.epochs), 4)
        print(f"CV {name}: micro-F1 {cv[name]:.4f} ({time.perf_counter() - t0:.0f} s)", flush=True)
    best = max(cv, key=lambda k: cv[k])
    design = DESIGNS[best]
    (args.work / "cv.json").write_text(json.dumps(cv, indent=2) + "\n", encoding="utf-8")
    if args.no_write:
        return 0
    cols = block_columns(TC_BLOCKS, design["blocks"])
    x = data["x"][:, cols]
    heads = [fit(x, data["counts"], design, seed=13 + s, hidden=args.hidden, epochs=args.epochs)
             for s in range(args.seeds)]
    mu, sd = heads[0]["mu"], heads[0]["sd"]  # same data, same standardisation for every seed
    np.savez(model_dir / TC_HEAD, tc2_cols=cols.astype(np.float32), tc2_mu=mu, tc2_sd=sd,
             **{f"tc2_{k}": np.stack([h[k] for h in heads]).astype(np.float16)
                for k in ("w1", "b1", "w2", "b2")})
    register(model_dir, TC_HEAD, "tc_head", {
        "design": best, "blocks": list(design["blocks"]), "loss": design["loss"],
        "smoothing": design.get("smoothing", 0.0), "weighted": bool(design.get("weighted")),
        "hidden": args.hidden, "epochs": args.epochs, "seeds": args.seeds,
        "cv_train_micro_f1": cv, "folds": args.folds,
    })
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
