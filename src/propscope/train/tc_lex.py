"""The lexical technique classifier shipped as ``tc_lex.npz`` (see :mod:`propscope.tc_lexical`).

    HF_HUB_OFFLINE=1 .venv-train/bin/python -m propscope.train.tc_lex --ptc DIR [--design NAME]

Each gold span gets the sparse lexical features of :func:`propscope.tc_lexical.span_keys`,
hashed into 2^16 columns, and a multinomial logistic regression (full-batch Adam, L2, PTC's
soft targets; torch, so ``.venv-train``) is fitted on them.

1. Designs (feature groups, L2) are compared by 5-fold cross-validation by article on PTC
   **train**, with the folds of :mod:`propscope.train.tc_head`; the best lexical model alone
   wins. For reference the fusion with ``tc_head``'s out-of-fold probabilities (its shipped
   design refitted on each fold, ``--tc-seeds`` seeds) is scored too, but it cannot choose the
   fusion weight: the encoder was fine-tuned on all of train, so ``tc_head`` is far better on
   train folds (CV 0.78) than on unseen articles (dev 0.56) and the train CV gives the words
   almost no weight (0.3-0.4).
2. The chosen design is fitted on all of train. The fusion weight of
   ``log p_head + weight * log p_lex`` is the one that scores best on PTC **dev** (ties: the
   smaller weight); how much that choice flatters dev is measured by choosing it on half of
   the dev articles and scoring the other half (three random halvings).
3. ``tc_lex.npz`` is written into the model folder and listed in manifest.json with the figures
   under ``dev_figures.tc_lex`` (``--no-write``: report only).
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from propscope.model import N_TECH, TC_BLOCKS, PropscopeModel, default_model_dir
from propscope.ptc import read_articles, read_tc_labels
from propscope.tc_lexical import TC_LEX, hash_rows, row_logits, span_keys
from propscope.train.shared_heads import block_columns, cached, head_parser, register
from propscope.train.tc_head import extract, tc_correct

TC_LEX_DIM = 1 << 16  # hashed feature space of the lexical features (2^18 scored the same on dev)


#: lexical designs compared by cross-validation: feature groups kept (name prefixes) and L2
GROUPS_ALL = ("w|", "b|", "c|", "l|", "r|", "l1|", "r1|", "flags")
GROUPS_LINE = (*GROUPS_ALL, "s|")
DESIGNS: dict[str, dict[str, Any]] = {
    "line_l2_1e-5": {"groups": GROUPS_LINE, "l2": 1e-5},
    "line_l2_3e-5": {"groups": GROUPS_LINE, "l2": 3e-5},
    "line_l2_1e-4": {"groups": GROUPS_LINE, "l2": 1e-4},
    "all_l2_1e-5": {"groups": GROUPS_ALL, "l2": 1e-5},
    "all_l2_3e-5": {"groups": GROUPS_ALL, "l2": 3e-5},
    "all_l2_1e-4": {"groups": GROUPS_ALL, "l2": 1e-4},
    "all_l2_3e-4": {"groups": GROUPS_ALL, "l2": 3e-4},
    "all_l2_1e-3": {"groups": GROUPS_ALL, "l2": 1e-3},
    "no_chars": {"groups": ("w|", "b|", "l|", "r|", "l1|", "r1|", "flags"), "l2": 3e-4},
    "no_context": {"groups": ("w|", "b|", "c|", "flags"), "l2": 3e-4},
}
WEIGHTS = tuple(round(0.1 * k, 1) for k in range(21))


def gold_spans(ptc_dir: Path, split: str) -> tuple[dict[str, str], list[tuple[str, list[tuple[int, int]]]]]:
    """Articles and, in the order of :func:`propscope.train.tc_head.extract`, their distinct spans."""
    articles = read_articles(ptc_dir / f"{split}-articles")
    by_article: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for aid, _label, s, e in read_tc_labels(ptc_dir / f"{split}-labels-task-flc-tc"):
        by_article[aid].add((s, e))
    return articles, [(aid, sorted(by_article[aid])) for aid in sorted(by_article)]


def lex_matrix(
    keys: list[dict[str, float]], groups: tuple[str, ...], dim: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hashed (columns, values, row starts) of the kept feature groups, as at run time."""
    return hash_rows(keys, dim, groups)


def take_rows(m: tuple[np.ndarray, np.ndarray, np.ndarray], idx: np.ndarray) -> tuple[np.ndarray, ...]:
    """The rows ``idx`` of sparse rows (columns, values, row starts), in the same form."""
    cols, vals, starts = m
    parts = [np.arange(starts[i], starts[i + 1]) for i in idx]
    take = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    lengths = np.asarray([len(p) for p in parts], np.int64)
    return cols[take], vals[take], np.concatenate([[0], np.cumsum(lengths)])


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sparse_rows(cols: np.ndarray, vals: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, Any, Any]:
    """The columns in use and, as torch CSR tensors, the rows over them (renumbered) and their
    transpose."""
    import torch

    used, inv = np.unique(cols, return_inverse=True)
    x = torch.sparse_csr_tensor(torch.from_numpy(starts), torch.from_numpy(inv.astype(np.int64)),
                                torch.from_numpy(vals.astype(np.float64)), size=(len(starts) - 1, len(used)))
    return used, x, x.to_sparse_coo().t().coalesce().to_sparse_csr()


def adam(params: Sequence[Any], gradients: Callable[[], Sequence[Any]], iters: int) -> None:
    """Full-batch Adam on torch tensors ``params`` in place, step 0.05 with cosine decay (to
    0.001); ``gradients`` returns the gradient of each at the current values."""
    import torch

    m = [torch.zeros_like(p) for p in params]
    v = [torch.zeros_like(p) for p in params]
    for t in range(1, iters + 1):
        lr = 0.05 * 0.5 * (1 + np.cos(np.pi * t / iters)) + 1e-3
        for k, (param, grad) in enumerate(zip(params, gradients(), strict=True)):
            m[k] = 0.9 * m[k] + 0.1 * grad
            v[k] = 0.999 * v[k] + 0.001 * grad**2
            param -= lr * (m[k] / (1 - 0.9**t)) / ((v[k] / (1 - 0.999**t)).sqrt() + 1e-8)


def fit_lex(
    cols: np.ndarray, vals: np.ndarray, starts: np.ndarray, counts: np.ndarray, *, l2: float, iters: int = 300,
    offset: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Multinomial logistic regression on soft targets (full-batch Adam, cosine step decay).

    The objective is convex and the steps are full-batch, so the fit is deterministic. With
    ``offset`` (fixed logits added to every row, e.g. ``log p_tc_head``) it learns a residual.
    """
    import torch

    n = len(starts) - 1
    target = torch.from_numpy(counts / counts.sum(axis=1, keepdims=True))
    used, x, xt = sparse_rows(cols, vals, starts)
    off = None if offset is None else torch.from_numpy(offset.astype(np.float64))
    w = torch.zeros((len(used), N_TECH), dtype=torch.float64)
    b = torch.zeros(N_TECH, dtype=torch.float64) if offset is not None else torch.log(target.mean(dim=0) + 1e-3)

    def gradients() -> tuple[Any, Any]:
        z = x @ w + b
        g = (torch.softmax(z if off is None else z + off, dim=1) - target) / n
        return xt @ g + l2 * w, g.sum(dim=0)

    adam((w, b), gradients, iters)
    return {"cols": used, "w": w.numpy(), "b": b.numpy()}


def predict_lex(model: dict[str, np.ndarray], cols: np.ndarray, vals: np.ndarray, starts: np.ndarray) -> np.ndarray:
    pos = np.searchsorted(model["cols"], cols)
    pos = np.minimum(pos, len(model["cols"]) - 1)
    known = model["cols"][pos] == cols
    w = np.vstack([model["w"], np.zeros((1, N_TECH))])
    inv = np.where(known, pos, len(model["cols"]))
    return _softmax(row_logits(w, inv, vals, starts) + model["b"])


def fold_of(groups: np.ndarray, folds: int) -> np.ndarray:
    """Fold of every span: the split of :func:`propscope.train.tc_head.cross_validate`."""
    return (np.random.default_rng(0).permutation(groups.max() + 1) % folds)[groups]


def tc_head_oof(data: dict[str, np.ndarray], spec: dict[str, Any], folds: int, seeds: int) -> np.ndarray:
    """Out-of-fold probabilities of ``tc_head`` (its shipped design refitted on each fold)."""
    from propscope.train.tc_head import fit, predict

    cols = block_columns(TC_BLOCKS, spec["blocks"])
    x = data["x"][:, cols]
    design = {k: spec[k] for k in ("blocks", "loss", "smoothing", "weighted")}
    fold = fold_of(data["group"], folds)
    out = np.zeros((len(x), N_TECH))
    for f in range(folds):
        test = fold == f
        t0 = time.perf_counter()
        heads = [fit(x[~test], data["counts"][~test], design, seed=13 + s, hidden=spec["hidden"],
                     epochs=spec["epochs"]) for s in range(seeds)]
        out[test] = predict(heads, x[test])
        print(f"  tc_head fold {f}: {time.perf_counter() - t0:.0f} s", flush=True)
    return out


def lex_oof(m: tuple[np.ndarray, ...], counts: np.ndarray, fold: np.ndarray, l2: float, folds: int) -> np.ndarray:
    out = np.zeros((len(counts), N_TECH))
    for f in range(folds):
        test = np.flatnonzero(fold == f)
        train = np.flatnonzero(fold != f)
        model = fit_lex(*take_rows(m, train), counts[train], l2=l2)
        out[test] = predict_lex(model, *take_rows(m, test))
    return out


def micro(scores: np.ndarray, counts: np.ndarray) -> float:
    c, t = tc_correct(scores, counts)
    return c / t


def fuse(p_tc: np.ndarray, p_lex: np.ndarray, weight: float, bias: np.ndarray | None = None) -> np.ndarray:
    out = np.log(p_tc + 1e-9) + weight * np.log(p_lex + 1e-9)
    return out if bias is None else out + bias


def fit_bias(z: np.ndarray, counts: np.ndarray, iters: int = 300) -> np.ndarray:
    """Per-class biases added to fused scores ``z`` that minimise the soft-target cross-entropy."""
    target = counts / counts.sum(axis=1, keepdims=True)
    b = np.zeros(N_TECH)
    for _ in range(iters):
        b -= 1.0 * (_softmax(z + b) - target).mean(axis=0)
    return b


def nested_bias(z: np.ndarray, counts: np.ndarray, fold: np.ndarray, folds: int) -> float:
    """CV micro-F1 of fused scores with biases fitted on the other folds' out-of-fold scores."""
    out = z.copy()
    for f in range(folds):
        test = fold == f
        out[test] = z[test] + fit_bias(z[~test], counts[~test])
    return micro(out, counts)


#: fusion weights tried on PTC dev
DEV_WEIGHTS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.0, 10.0)


def best_weight(p_tc: np.ndarray, p_lex: np.ndarray, counts: np.ndarray) -> tuple[float, dict[float, float]]:
    """The fusion weight with the best micro-F1 (ties: the smaller) and the figure of each."""
    by_weight = {w: micro(fuse(p_tc, p_lex, w), counts) for w in DEV_WEIGHTS}
    return max(by_weight, key=lambda w: (by_weight[w], -w)), by_weight


def halved_estimate(p_tc: np.ndarray, p_lex: np.ndarray, counts: np.ndarray, groups: np.ndarray,
                    seeds: int = 3) -> list[float]:
    """Micro-F1 with the weight chosen on one half of the articles and scored on the other
    (both ways, pooled), for each random halving."""
    out = []
    for seed in range(seeds):
        half = (np.random.default_rng(seed).permutation(groups.max() + 1) % 2)[groups]
        correct = total = 0
        for h in (0, 1):
            tune, test = half != h, half == h
            weight, _ = best_weight(p_tc[tune], p_lex[tune], counts[tune])
            c, t = tc_correct(fuse(p_tc[test], p_lex[test], weight), counts[test])
            correct, total = correct + c, total + t
        out.append(round(correct / total, 4))
    return out


def span_features(ptc_dir: Path, split: str) -> list[dict[str, float]]:
    articles, spans = gold_spans(ptc_dir, split)
    return [k for aid, s in spans for k in span_keys(articles[aid], s)]


def cross_validate_designs(args: Any, data: dict[str, np.ndarray], keys: list[dict[str, float]],
                           names: list[str], spec: dict[str, Any]) -> dict[str, Any]:
    """5-fold CV on PTC train of each lexical design alone and fused with tc_head's out-of-fold
    probabilities (the fusion weight chosen per design)."""
    folds = args.folds
    counts, fold = data["counts"], fold_of(data["group"], folds)

    def head_oof() -> dict[str, np.ndarray]:
        import torch

        torch.set_num_threads(args.threads)
        return {"p": tc_head_oof(data, spec, folds, args.tc_seeds)}

    p_tc = cached(args.work / f"tc_head_oof_{folds}f_{args.tc_seeds}s.npz", head_oof)["p"]
    base = micro(p_tc, counts)
    print(f"PTC train: {len(counts)} spans; CV tc_head alone micro-F1 {base:.4f}", flush=True)
    cv: dict[str, Any] = {"tc_head_alone": round(base, 4)}
    for name in names:
        t0 = time.perf_counter()
        design = DESIGNS[name]
        p_lex = lex_oof(lex_matrix(keys, design["groups"], TC_LEX_DIM), counts, fold, design["l2"], folds)
        by_weight = {w: micro(fuse(p_tc, p_lex, w), counts) for w in WEIGHTS}
        best = max(by_weight, key=lambda w: (by_weight[w], -w))
        cv[name] = {"lex_alone": round(micro(p_lex, counts), 4), "weight": best,
                    "fused": round(by_weight[best], 4),
                    "fused_bias_nested": round(nested_bias(fuse(p_tc, p_lex, best), counts, fold, folds), 4),
                    "by_weight": {str(w): round(f, 4) for w, f in by_weight.items()}}
        print(f"CV {name}: lex alone {cv[name]['lex_alone']:.4f}, fused {cv[name]['fused']:.4f} at weight "
              f"{best} ({cv[name]['fused'] - base:+.4f}), + biases {cv[name]['fused_bias_nested']:.4f} "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)
    (args.work / "cv.json").write_text(json.dumps(cv, indent=2) + "\n", encoding="utf-8")
    return cv


def main(argv: list[str] | None = None) -> int:
    parser = head_parser("python -m propscope.train.tc_lex", __doc__, "/tmp/propscope-tc-lex", seeds=1, epochs=0)
    parser.add_argument("--tc-seeds", type=int, default=2, help="tc_head seeds per fold (shipped head: 5)")
    parser.add_argument("--skip-cv", action="store_true",
                        help="fit --design without cross-validation; only choose the fusion weight on dev")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model_dir = args.model or default_model_dir()
    manifest = json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))
    spec = manifest["dev_figures"]["tc_head"]
    args.work.mkdir(parents=True, exist_ok=True)

    def encode() -> dict[str, np.ndarray]:
        model = PropscopeModel.load(model_dir, threads=args.threads)
        return extract(model, args.ptc, "train")

    data = cached(args.work / "ptc_train.npz", encode)
    counts = data["counts"]
    keys = span_features(args.ptc, "train")
    if len(keys) != len(counts):
        raise SystemExit("gold spans and cached features disagree: delete the cache")
    names = [args.design] if args.design else (args.designs or ",".join(DESIGNS)).split(",")
    cv: dict[str, Any] = {}
    if args.skip_cv:  # after a new encoder or tc_head: refit the chosen design, choose the weight again
        if len(names) != 1:
            raise SystemExit("--skip-cv needs --design")
        cv = {names[0]: {"lex_alone": 0.0}, "skipped": True}
    else:
        cv = cross_validate_designs(args, data, keys, names, spec)
    chosen = max(names, key=lambda n: cv[n]["lex_alone"])
    design = DESIGNS[chosen]
    model = PropscopeModel.load(model_dir, threads=args.threads)
    dev = cached(args.work / "ptc_dev.npz", lambda: extract(model, args.ptc, "dev"))
    lex = fit_lex(*lex_matrix(keys, design["groups"], TC_LEX_DIM), counts, l2=design["l2"])
    p_lex = predict_lex(lex, *lex_matrix(span_features(args.ptc, "dev"), design["groups"], TC_LEX_DIM))
    p_head = model._tc2_probs(dev["x"])
    weight, by_weight = best_weight(p_head, p_lex, dev["counts"])
    halves = halved_estimate(p_head, p_lex, dev["counts"], dev["group"])
    figures = {
        "design": chosen, "groups": list(design["groups"]), "l2": design["l2"], "dim": TC_LEX_DIM,
        "cv_train": cv, "weight": weight,
        "dev_micro_f1": {"tc_head": round(micro(p_head, dev["counts"]), 4),
                         "lexical": round(micro(p_lex, dev["counts"]), 4),
                         "fused_by_weight": {str(w): round(f, 4) for w, f in by_weight.items()}},
        "dev_weight_chosen_on_other_half": halves,
    }
    print(f"design {chosen}: PTC dev tc_head {figures['dev_micro_f1']['tc_head']:.4f}, lexical "
          f"{figures['dev_micro_f1']['lexical']:.4f}, fused {by_weight[weight]:.4f} at weight {weight}; "
          f"weight chosen on the other half of dev: {halves}", flush=True)
    if args.no_write:
        return 0
    weights = np.zeros((TC_LEX_DIM, N_TECH), np.float16)
    weights[lex["cols"]] = lex["w"].astype(np.float16)
    np.savez_compressed(model_dir / TC_LEX, lex_w=weights, lex_b=lex["b"].astype(np.float32),
                        lex_weight=np.asarray([weight], np.float32))
    register(model_dir, TC_LEX, "tc_lex", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
