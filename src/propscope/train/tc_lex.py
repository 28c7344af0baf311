"""Experiment: a lexical technique classifier fused with ``tc_head.npz`` (not shipped).

    HF_HUB_OFFLINE=1 .venv-train/bin/python -m propscope.train.tc_lex --ptc DIR

Each gold span gets sparse lexical features (:func:`tc_lex_keys`: its words, word bigrams and
character 3-5-grams, a few words either side, binned length, capitals, repetition and
punctuation flags; crc32-hashed), and a multinomial logistic regression (full-batch Adam, L2,
PTC's soft targets) is fitted on them. The fused scores are
``log p_tc_head + weight * log p_lex`` (optionally + per-class biases).

Everything is scored by 5-fold cross-validation by article on PTC **train** only, with the
folds of :mod:`propscope.train.tc_head`: the lexical designs (feature groups, L2), the fusion
weight, and per-class biases fitted on the other folds. ``tc_head`` is refitted on each fold's
training articles (its shipped design from manifest.json, ``--tc-seeds`` seeds) for comparable
out-of-fold probabilities; this needs torch (``.venv-train``).

Result (2026-12, this encoder): the lexical model alone reaches CV 0.588, but fused with
``tc_head`` it gains at most +0.002 over ``tc_head`` alone (0.779), short of the +0.01 needed
to ship, so the run time has no lexical model and this script writes nothing into the model.
The encoder was fine-tuned on all of train, so ``tc_head``'s out-of-fold probabilities are
optimistic (CV 0.78 against 0.56 on dev) and leave the lexical model little to add on train.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import re
import time
import zlib
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from propscope.model import _QUOTES as QUOTES
from propscope.model import N_TECH, TC_BLOCKS, PropscopeModel, default_model_dir
from propscope.ptc import read_articles, read_tc_labels
from propscope.train.shared_heads import block_columns, cached, head_parser
from propscope.train.tc_head import extract, tc_correct

TC_LEX_DIM = 1 << 18  # hashed feature space of the lexical features
_LEX_WORD_RE = re.compile(r"\w+")
_LEX_STOP = frozenset({
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "but", "not", "no",
    "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "he", "she",
    "they", "we", "you", "i", "his", "her", "their", "our", "your", "my", "me", "him", "them", "us", "as", "if",
    "than", "then", "there", "here", "have", "has", "had", "do", "does", "did", "will", "would", "can", "could",
    "should", "may", "might", "must", "shall",
})
_LEX_LEN_BINS = (1.5, 2.5, 3.5, 5.5, 8.5, 12.5, 20.5)
_LEX_REP_BINS = (0.5, 1.5, 2.5, 5.5)
_LEX_SHARE_BINS = (0.05, 0.3, 0.7, 0.95)


def _lex_bin(value: float, edges: Sequence[float]) -> str:
    return str(bisect.bisect_right(edges, value))


def _lex_add(feats: dict[str, float], group: list[str], prefix: str) -> None:
    """Add a feature group of n members at 1/sqrt(n) each (unit L2 norm when they are distinct)."""
    if group:
        value = 1.0 / math.sqrt(len(group))
        for key in group:
            name = prefix + key
            feats[name] = feats.get(name, 0.0) + value


def tc_lex_keys(text: str, spans: Sequence[tuple[int, int]]) -> list[dict[str, float]]:
    """Sparse lexical features of each span of ``text``: {feature name: value}.

    The span's lowercased words, word bigrams and character 3-5-grams (each group of unit
    norm), up to three words either side on its line, and binned flags: length,
    share of capitals, how often the span's text and its content words recur in the article,
    "!" / "?" / quotes, the span's share of its line and whether it is on the title line.
    """
    lower = text.lower()
    counts: dict[str, int] = {}
    for w in _LEX_WORD_RE.findall(lower):
        counts[w] = counts.get(w, 0) + 1
    norm = f" {' '.join(_LEX_WORD_RE.findall(lower))} "
    title_end = text.find("\n")
    title_end = len(text) if title_end < 0 else title_end
    out: list[dict[str, float]] = []
    for start, end in spans:
        piece = lower[start:end]
        words = _LEX_WORD_RE.findall(piece)
        feats: dict[str, float] = {}

        _lex_add(feats, words, "w|")
        _lex_add(feats, [f"{a} {b}" for a, b in zip(["<s>", *words], [*words, "</s>"], strict=True)], "b|")
        chars = f" {' '.join(piece.split())} "
        _lex_add(feats, [chars[i : i + n] for n in (3, 4, 5) for i in range(len(chars) - n + 1)], "c|")
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        left = _LEX_WORD_RE.findall(lower[max(start - 40, line_start) : start])[-3:]
        right = _LEX_WORD_RE.findall(lower[end : min(end + 40, line_end)])[:3]
        _lex_add(feats, left, "l|")
        _lex_add(feats, right, "r|")
        if left:
            feats["l1|" + left[-1]] = 1.0
        if right:
            feats["r1|" + right[0]] = 1.0
        letters = [c for c in text[start:end] if c.isalpha()]
        caps = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
        phrase = " ".join(words)
        repeats = max(norm.count(f" {phrase} ") - 1, 0) if phrase else 0
        own: dict[str, int] = {}
        for w in words:
            own[w] = own.get(w, 0) + 1
        content = [counts.get(w, 0) - own[w] for w in own if w not in _LEX_STOP and len(w) > 2]
        line = text[line_start:line_end].rstrip()
        tail = (text[start:end] + text[end : end + 1]).rstrip()
        flags = [
            "len|" + _lex_bin(len(words), _LEX_LEN_BINS),
            "caps|" + _lex_bin(caps, _LEX_SHARE_BINS),
            "rep|" + _lex_bin(repeats, _LEX_REP_BINS),
            "crep|" + _lex_bin(max(content, default=-1), _LEX_REP_BINS),
            "crepm|" + _lex_bin(sum(content) / len(content) if content else -1, _LEX_REP_BINS),
            "line|" + _lex_bin((end - start) / max(len(line), 1), _LEX_SHARE_BINS),
            "title|" + str(int(start < title_end)),
            "excl|" + str(int(tail.endswith("!"))),
            "ques|" + str(int(tail.endswith("?") or line.endswith("?"))),
            "quote|" + str(int(any(c in QUOTES for c in text[max(start - 2, 0) : start]))),
            "cap1|" + str(int(text[start : start + 1].isupper())),
        ]
        for key in flags:
            feats[key] = 1.0
        out.append(feats)
    return out



#: lexical designs compared by cross-validation: feature groups kept (name prefixes) and L2
GROUPS_ALL = ("w|", "b|", "c|", "l|", "r|", "l1|", "r1|", "flags")
DESIGNS: dict[str, dict[str, Any]] = {
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


def _kept(key: str, groups: tuple[str, ...]) -> bool:
    prefix = key[: key.index("|") + 1]
    return prefix in groups if prefix in GROUPS_ALL else "flags" in groups


def lex_matrix(
    keys: list[dict[str, float]], groups: tuple[str, ...], dim: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hashed (columns, values, row starts) of the kept feature groups, as at run time."""
    cols: list[int] = []
    vals: list[float] = []
    starts = [0]
    for feats in keys:
        for key, value in feats.items():
            if _kept(key, groups):
                cols.append(zlib.crc32(key.encode("utf-8")) % dim)
                vals.append(value)
        starts.append(len(cols))
    return np.asarray(cols, np.int64), np.asarray(vals, np.float32), np.asarray(starts, np.int64)


def _rows(m: tuple[np.ndarray, np.ndarray, np.ndarray], idx: np.ndarray) -> tuple[np.ndarray, ...]:
    cols, vals, starts = m
    parts = [np.arange(starts[i], starts[i + 1]) for i in idx]
    take = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    lengths = np.asarray([len(p) for p in parts], np.int64)
    return cols[take], vals[take], np.concatenate([[0], np.cumsum(lengths)])


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _logits(w: np.ndarray, inv: np.ndarray, vals: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Row sums of the sparse product; rows with no entries stay zero."""
    out = np.zeros((len(starts) - 1, w.shape[1]))
    contrib = w[inv] * vals[:, None]
    nonempty = np.flatnonzero(np.diff(starts) > 0)
    if len(nonempty):
        out[nonempty] = np.add.reduceat(contrib, starts[:-1][nonempty], axis=0)
    return out


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
    used, inv = np.unique(cols, return_inverse=True)
    x = torch.sparse_csr_tensor(torch.from_numpy(starts), torch.from_numpy(inv.astype(np.int64)),
                                torch.from_numpy(vals.astype(np.float64)), size=(n, len(used)))
    xt = x.to_sparse_coo().t().coalesce().to_sparse_csr()
    off = None if offset is None else torch.from_numpy(offset.astype(np.float64))
    w = torch.zeros((len(used), N_TECH), dtype=torch.float64)
    b = torch.zeros(N_TECH, dtype=torch.float64) if offset is not None else torch.log(target.mean(dim=0) + 1e-3)
    params = (w, b)
    m = [torch.zeros_like(p) for p in params]
    v = [torch.zeros_like(p) for p in params]
    for t in range(1, iters + 1):
        z = x @ w + b
        g = (torch.softmax(z if off is None else z + off, dim=1) - target) / n
        grads = (xt @ g + l2 * w, g.sum(dim=0))
        lr = 0.05 * 0.5 * (1 + np.cos(np.pi * t / iters)) + 1e-3
        for k, (param, grad) in enumerate(zip(params, grads, strict=True)):
            m[k] = 0.9 * m[k] + 0.1 * grad
            v[k] = 0.999 * v[k] + 0.001 * grad**2
            param -= lr * (m[k] / (1 - 0.9**t)) / ((v[k] / (1 - 0.999**t)).sqrt() + 1e-8)
    return {"cols": used, "w": w.numpy(), "b": b.numpy()}


def predict_lex(model: dict[str, np.ndarray], cols: np.ndarray, vals: np.ndarray, starts: np.ndarray) -> np.ndarray:
    pos = np.searchsorted(model["cols"], cols)
    pos = np.minimum(pos, len(model["cols"]) - 1)
    known = model["cols"][pos] == cols
    w = np.vstack([model["w"], np.zeros((1, N_TECH))])
    inv = np.where(known, pos, len(model["cols"]))
    return _softmax(_logits(w, inv, vals, starts) + model["b"])


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
        model = fit_lex(*_rows(m, train), counts[train], l2=l2)
        out[test] = predict_lex(model, *_rows(m, test))
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


def main(argv: list[str] | None = None) -> int:
    parser = head_parser("python -m propscope.train.tc_lex", __doc__, "/tmp/propscope-tc-lex", seeds=1, epochs=0)
    parser.add_argument("--tc-seeds", type=int, default=2, help="tc_head seeds per fold (shipped head: 5)")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model_dir = args.model or default_model_dir()
    manifest = json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))
    spec = manifest["dev_figures"]["tc_head"]
    args.work.mkdir(parents=True, exist_ok=True)
    folds = args.folds

    def encode() -> dict[str, np.ndarray]:
        model = PropscopeModel.load(model_dir, threads=args.threads)
        return extract(model, args.ptc, "train")

    data = cached(args.work / "ptc_train.npz", encode)
    counts, fold = data["counts"], fold_of(data["group"], folds)

    def head_oof() -> dict[str, np.ndarray]:
        import torch

        torch.set_num_threads(args.threads)
        return {"p": tc_head_oof(data, spec, folds, args.tc_seeds)}

    p_tc = cached(args.work / f"tc_head_oof_{folds}f_{args.tc_seeds}s.npz", head_oof)["p"]
    articles, spans = gold_spans(args.ptc, "train")
    keys = [k for aid, s in spans for k in tc_lex_keys(articles[aid], s)]
    if len(keys) != len(counts):
        raise SystemExit("gold spans and cached features disagree: delete the cache")
    base = micro(p_tc, counts)
    print(f"PTC train: {len(counts)} spans; CV tc_head alone micro-F1 {base:.4f}", flush=True)
    cv: dict[str, Any] = {"tc_head_alone": round(base, 4)}
    names = [args.design] if args.design else (args.designs or ",".join(DESIGNS)).split(",")
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
