"""A span-identification head with context over the frozen shipped encoder (``si_head.npz``).

    python -m propscope.train.si_head --ptc DIR            # CV on PTC train, fit, write the head
    python -m propscope.train.si_head --ptc DIR --no-write # CV and report only

What it does, step by step:

1. Every PTC **train** article is encoded alone with the shipped int8 ONNX encoder, exactly as
   :meth:`PropscopeModel.analyse` does at run time (256-token windows, stride from the
   manifest); each token gets its window-averaged state and the token head's probabilities.
   A token's label is 1 when at least half of its characters lie inside a gold SI span.
   These are cached in ``--work``.
2. Per token the input is the blocks of :data:`propscope.model.SI_BLOCKS` that a design keeps
   (the token's state, the token head's probabilities, the mean state and probabilities of
   its line, the article's mean state, a few lexical flags), standardised.
3. The head (numpy only, forward and backward written out, Adam): a ReLU layer per token, then
   one or two ReLU convolutions of width ``k`` over neighbouring tokens (zero outside the
   article), then one logit, trained with binary cross-entropy. Designs may add the token
   head's own logit to the output (a residual: the head learns a correction).
4. Designs, and the decoding thresholds of :func:`propscope.model.decode_spans` (word threshold,
   span mean, minimum length), are chosen by 5-fold cross-validation by article on PTC train,
   scored with the official SI metric (:func:`propscope.ptc.score_si`). The current token head
   is scored the same way as the baseline.
5. The chosen design is fitted on all of train as an ensemble of seeds (mean probability) and
   written as ``si_head.npz`` into the model folder; manifest.json lists it (sha256, size),
   takes the CV-chosen thresholds under ``thresholds.si_head`` and the CV figures under
   ``dev_figures.si_head``. The dev split is never read here.

The encoder was fine-tuned on PTC train, so its states fit train better than unseen text; the
CV figures are optimistic and only rank designs. ``propscope eval ptc DIR --split dev`` is the
honest check.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from propscope.model import (
    ANY_CHANNEL,
    N_SI_FEATURES,
    SI_BLOCKS,
    SI_HEAD,
    DecodeSettings,
    PropscopeModel,
    decode_spans,
    default_model_dir,
    si_features,
)
from propscope.ptc import PRF, read_articles, read_si_labels, score_si
from propscope.train.shared_heads import block_columns, cached, head_parser, register

#: designs compared by cross-validation
CTX = ("tok", "tokp", "line", "line_tokp", "lex")
DESIGNS: dict[str, dict[str, Any]] = {
    "res_mlp": {"blocks": ("tok", "tokp", "lex"), "convs": (), "hidden": 32, "pca": 48, "residual": True},
    "res_conv5_ctx": {"blocks": CTX, "convs": (5,), "hidden": 32, "pca": 48, "residual": True},
    "conv5_ctx": {"blocks": CTX, "convs": (5,), "hidden": 32, "pca": 48, "residual": False},
    "res_conv5x2_ctx": {"blocks": CTX, "convs": (5, 5), "hidden": 32, "pca": 48, "residual": True},
    "res_conv5_ctx_w": {"blocks": CTX, "convs": (5,), "hidden": 32, "pca": 48, "residual": True, "weight": "span"},
    "res_conv9x2_ctx_h64": {"blocks": CTX, "convs": (9, 9), "hidden": 64, "pca": 96, "residual": True},
    "conv5_ctx_w": {"blocks": CTX, "convs": (5,), "hidden": 32, "pca": 48, "residual": False, "weight": "span"},
    "res_conv5x2_ctx_w": {"blocks": CTX, "convs": (5, 5), "hidden": 32, "pca": 48, "residual": True,
                          "weight": "span"},
    "res_conv5_all": {"blocks": tuple(b for b, _ in SI_BLOCKS), "convs": (5,), "hidden": 32, "pca": 48,
                      "residual": True},
}

#: decoding settings tried on the CV probabilities: (word threshold, span_min - threshold, min_chars)
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
SPAN_MIN_GAPS = (0.0, 0.1)
MIN_CHARS = (1, 8, 16, 24)


# --------------------------------------------------------------------------- data


def token_labels(offsets: list[tuple[int, int]], spans: list[tuple[int, int]], n_chars: int) -> np.ndarray:
    """1.0 for tokens with at least half of their characters inside a gold span."""
    inside = np.zeros(n_chars + 1, np.int64)
    for s, e in spans:
        inside[s:e] = 1
    cum = np.concatenate([[0], np.cumsum(inside)])
    off = np.asarray(offsets, np.int64).reshape(-1, 2)
    length = np.maximum(off[:, 1] - off[:, 0], 1)
    share = (cum[off[:, 1]] - cum[off[:, 0]]) / length
    return (share >= 0.5).astype(np.float32)


def extract(model: PropscopeModel, ptc_dir: Path, split: str) -> dict[str, np.ndarray]:
    """Per token of every article of ``split``: state (fp16), token-head probabilities, label."""
    articles = read_articles(ptc_dir / f"{split}-articles")
    gold = read_si_labels(ptc_dir / f"{split}-labels-task-si")
    states, probs, labels, offsets, words, lengths, ids = [], [], [], [], [], [], []
    t0 = time.perf_counter()
    for n, aid in enumerate(sorted(articles)):
        art = model._prepare(articles[aid])
        if not art.ids:
            continue
        hidden = model._run_articles([art])[0]
        states.append(model._token_hidden(art, hidden).astype(np.float16))
        probs.append(model._token_probs(art, hidden))
        labels.append(token_labels(art.offsets, gold.get(aid, []), len(art.text)))
        offsets.append(np.asarray(art.offsets, np.int64))
        words.append(np.asarray([-1 if w is None else w for w in art.word_ids], np.int64))
        lengths.append(len(art.ids))
        ids.append(aid)
        if n % 50 == 0:
            print(f"  {split}: {n + 1}/{len(articles)} articles, {time.perf_counter() - t0:.0f} s", flush=True)
    return {
        "states": np.concatenate(states), "probs": np.concatenate(probs), "labels": np.concatenate(labels),
        "offsets": np.concatenate(offsets), "words": np.concatenate(words),
        "lengths": np.asarray(lengths, np.int64), "ids": np.asarray(ids),
    }


def span_weights(labels: np.ndarray) -> np.ndarray:
    """Per token: 1 outside spans; inside, mean run length / its run's length (runs of 1s).

    With these weights every gold run weighs the same in the loss, as every gold span counts
    the same in the SI recall, however long it is."""
    w = np.ones(len(labels), np.float32)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], labels, [0]])))
    runs = list(zip(edges[::2], edges[1::2], strict=True))
    if runs:
        mean = np.mean([b - a for a, b in runs])
        for a, b in runs:
            w[a:b] = mean / (b - a)
    return w


class Corpus:
    """Cached tokens of a split with their :func:`si_features`, article by article."""

    def __init__(self, data: dict[str, np.ndarray], texts: dict[str, str], gold: dict[str, list[tuple[int, int]]]):
        self.ids = [str(a) for a in data["ids"]]
        bounds = np.concatenate([[0], np.cumsum(data["lengths"])])
        self.slices = [slice(int(a), int(b)) for a, b in itertools.pairwise(bounds)]
        self.texts = [texts[a] for a in self.ids]
        self.gold = gold
        self.offsets = [[(int(a), int(b)) for a, b in data["offsets"][s]] for s in self.slices]
        self.word_ids: list[list[int | None]] = [[None if w < 0 else int(w) for w in data["words"][s]]
                                                 for s in self.slices]
        self.labels = data["labels"]
        self.weights = np.concatenate([span_weights(self.labels[s]) for s in self.slices])
        self.tokp = data["probs"]
        feats = []
        for k, s in enumerate(self.slices):
            feats.append(si_features(self.texts[k], self.offsets[k], self.word_ids[k],
                                     data["states"][s].astype(np.float32), data["probs"][s]))
        self.x = np.concatenate(feats)
        assert self.x.shape[1] == N_SI_FEATURES


# --------------------------------------------------------------------------- the network


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p)).astype(np.float32)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def _unfold(a: np.ndarray, k: int) -> np.ndarray:
    """(B, T, H) -> (B, T, k*H): each position with its k neighbours (zero outside)."""
    r = k // 2
    b, t, h = a.shape
    padded = np.zeros((b, t + 2 * r, h), a.dtype)
    padded[:, r : r + t] = a
    return np.concatenate([padded[:, j : j + t] for j in range(k)], axis=2)


def _fold_back(d: np.ndarray, k: int, h: int) -> np.ndarray:
    """Gradient of :func:`_unfold`: (B, T, k*H) -> (B, T, H)."""
    r = k // 2
    b, t, _ = d.shape
    out = np.zeros((b, t + 2 * r, h), d.dtype)
    for j in range(k):
        out[:, j : j + t] += d[:, :, j * h : (j + 1) * h]
    return out[:, r : r + t]


def init_params(n_in: int, design: dict[str, Any], rng: np.random.Generator) -> dict[str, np.ndarray]:
    h = design["hidden"]
    p = {"w1": (rng.standard_normal((n_in, h)) * np.sqrt(2.0 / n_in)).astype(np.float32),
         "b1": np.zeros(h, np.float32)}
    for i, k in enumerate(design["convs"]):
        p[f"wc{i}"] = (rng.standard_normal((k * h, h)) * np.sqrt(2.0 / (k * h))).astype(np.float32)
        p[f"bc{i}"] = np.zeros(h, np.float32)
    p["w2"] = (rng.standard_normal((h, 1)) * np.sqrt(1.0 / h)).astype(np.float32)
    p["b2"] = np.full(1, 0.0 if design["residual"] else -1.5, np.float32)
    return p


def forward(p: dict[str, np.ndarray], x: np.ndarray, mask: np.ndarray, convs: tuple[int, ...],
            res: np.ndarray | None, rng: np.random.Generator | None = None, drop_in: float = 0.0,
            drop_h: float = 0.0) -> tuple[np.ndarray, list[Any]]:
    """Logits (B, T) for inputs (B, T, D); ``mask`` (B, T) zeroes positions outside articles."""
    cache: list[Any] = []
    m = mask[:, :, None]
    if rng is not None and drop_in > 0:
        keep = (rng.random(x.shape, dtype=np.float32) >= drop_in) / np.float32(1 - drop_in)
        x = x * keep
    z = x @ p["w1"] + p["b1"]
    a = np.maximum(z, 0.0) * m
    cache.append((x, z))
    for i, k in enumerate(convs):
        if rng is not None and drop_h > 0:
            keep = (rng.random(a.shape, dtype=np.float32) >= drop_h) / np.float32(1 - drop_h)
            a = a * keep
        else:
            keep = None
        u = _unfold(a, k)
        z = u @ p[f"wc{i}"] + p[f"bc{i}"]
        cache.append((u, z, keep))
        a = np.maximum(z, 0.0) * m
    logit = (a @ p["w2"])[:, :, 0] + p["b2"][0]
    if res is not None:
        logit = logit + res
    cache.append(a)
    return logit, cache


def backward(p: dict[str, np.ndarray], cache: list[Any], dlogit: np.ndarray, mask: np.ndarray,
             convs: tuple[int, ...]) -> dict[str, np.ndarray]:
    g: dict[str, np.ndarray] = {}
    m = mask[:, :, None]
    a = cache[-1]
    h = p["w2"].shape[0]
    g["w2"] = np.einsum("bth,bt->h", a, dlogit)[:, None]
    g["b2"] = np.asarray([dlogit.sum()], np.float32)
    da = dlogit[:, :, None] * p["w2"][:, 0]
    for i in reversed(range(len(convs))):
        u, z, keep = cache[1 + i]
        dz = da * m * (z > 0)
        flat_u = u.reshape(-1, u.shape[2])
        flat_dz = dz.reshape(-1, h)
        g[f"wc{i}"] = flat_u.T @ flat_dz
        g[f"bc{i}"] = flat_dz.sum(axis=0)
        da = _fold_back(dz @ p[f"wc{i}"].T, convs[i], h)
        if keep is not None:
            da = da * keep
    x, z = cache[0]
    dz = da * m * (z > 0)
    g["w1"] = x.reshape(-1, x.shape[2]).T @ dz.reshape(-1, h)
    g["b1"] = dz.reshape(-1, h).sum(axis=0)
    return g


def projection(sample: np.ndarray, mu: np.ndarray, sd: np.ndarray, blocks: tuple[str, ...],
               keep: int) -> np.ndarray:
    """(D, D') map of standardised inputs: each 384-wide block onto its ``keep`` principal
    components (from ``sample``), the small blocks unchanged. Training runs on the projected
    inputs for speed; the map is folded into the first layer afterwards, so the head reads the
    full standardised features."""
    z = (sample - mu) / sd
    widths = [w for name, w in SI_BLOCKS if name in blocks]
    pos = 0
    out_cols = sum(min(keep, w) if w == 384 else w for w in widths)
    proj = np.zeros((z.shape[1], out_cols), np.float32)
    col = 0
    for w in widths:
        if w == 384 and keep < w:
            block = z[:, pos : pos + w]
            _, _, vt = np.linalg.svd(block - block.mean(axis=0), full_matrices=False)
            proj[pos : pos + w, col : col + keep] = vt[:keep].T / np.sqrt(np.maximum(
                (block @ vt[:keep].T).var(axis=0), 1e-6))
            col += keep
        else:
            proj[pos : pos + w, col : col + w] = np.eye(w, dtype=np.float32)
            col += w
        pos += w
    return proj


def fit(corpus: Corpus, rows: list[int], design: dict[str, Any], *, seed: int, epochs: int,
        chunk: int = 256, batch: int = 8, lr: float = 2e-3, wd: float = 1e-4,
        drop_in: float = 0.1, drop_h: float = 0.2) -> dict[str, np.ndarray]:
    """Train one head on the articles ``rows`` of ``corpus``; returns numpy weights."""
    rng = np.random.default_rng(seed)
    cols = block_columns(SI_BLOCKS, design["blocks"])
    convs = tuple(design["convs"])
    radius = sum(k // 2 for k in convs)
    idx = np.concatenate([np.arange(corpus.slices[r].start, corpus.slices[r].stop) for r in rows])
    mu = corpus.x[idx][:, cols].mean(axis=0)
    sd = corpus.x[idx][:, cols].std(axis=0) + 1e-3
    proj = projection(corpus.x[rng.choice(idx, min(len(idx), 40000), replace=False)][:, cols], mu, sd,
                      design["blocks"], int(design.get("pca", 96)))
    # one long sequence of the training articles with `radius` empty positions between them
    parts_x, parts_y, parts_m, parts_r = [], [], [], []
    weighted = design.get("weight") == "span"
    gap = max(radius, 1)
    for r in rows:
        s = corpus.slices[r]
        parts_x.append((((corpus.x[s][:, cols] - mu) / sd) @ proj).astype(np.float32))
        parts_y.append(corpus.labels[s])
        parts_m.append(corpus.weights[s] if weighted else np.ones(s.stop - s.start, np.float32))
        parts_r.append(_logit(corpus.tokp[s][:, ANY_CHANNEL]))
        parts_x.append(np.zeros((gap, proj.shape[1]), np.float32))
        parts_y.append(np.zeros(gap, np.float32))
        parts_m.append(np.zeros(gap, np.float32))
        parts_r.append(np.zeros(gap, np.float32))
    gx, gy, gm, gr = (np.concatenate(v) for v in (parts_x, parts_y, parts_m, parts_r))
    n = len(gx)
    pad = radius
    gx = np.concatenate([np.zeros((pad, gx.shape[1]), np.float32), gx, np.zeros((pad, gx.shape[1]), np.float32)])
    del parts_x
    gy, gm, gr = (np.concatenate([np.zeros(pad, np.float32), v, np.zeros(pad, np.float32)]) for v in (gy, gm, gr))
    params = init_params(proj.shape[1], design, rng)
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    b1, b2, eps = 0.9, 0.999, 1e-8
    starts = np.arange(0, n, chunk)
    total_steps = epochs * ((len(starts) + batch - 1) // batch)
    step = 0
    width = chunk + 2 * radius
    offs = np.arange(width)
    for _ in range(epochs):
        order = rng.permutation(starts)
        for k in range(0, len(order), batch):
            s0 = order[k : k + batch]
            pos = np.minimum(s0[:, None] + offs[None, :], len(gx) - 1)  # global index with pad offset
            xb, wb, yb = gx[pos], gm[pos], gy[pos]
            mb = (wb > 0).astype(np.float32)
            rb = gr[pos] if design["residual"] else None
            inner = np.zeros_like(mb)
            inner[:, radius : radius + chunk] = 1.0
            lm = wb * inner
            logit, cache = forward(params, xb, mb, convs, rb, rng, drop_in, drop_h)
            prob = _sigmoid(logit)
            dlogit = ((prob - yb) * lm / max(lm.sum(), 1.0)).astype(np.float32)
            grads = backward(params, cache, dlogit, mb, convs)
            step += 1
            rate = lr * min(1.0, step / 100) * 0.5 * (1 + np.cos(np.pi * step / total_steps))
            for name, grad in grads.items():
                m1, m2 = moments[name]
                m1 *= b1
                m1 += (1 - b1) * grad
                m2 *= b2
                m2 += (1 - b2) * grad * grad
                mh = m1 / (1 - b1**step)
                vh = m2 / (1 - b2**step)
                params[name] -= (rate * (mh / (np.sqrt(vh) + eps) + wd * params[name])).astype(np.float32)
    params["w1"] = (proj @ params["w1"]).astype(np.float32)  # fold the projection into the first layer
    params["mu"] = mu.astype(np.float32)
    params["sd"] = sd.astype(np.float32)
    params["cols"] = cols
    return params


def predict(heads: list[dict[str, np.ndarray]], design: dict[str, Any], x: np.ndarray, tokp: np.ndarray) -> np.ndarray:
    """Mean probability of the ensemble for one article's features (n, N_SI_FEATURES)."""
    total = np.zeros(len(x))
    res = _logit(tokp[:, ANY_CHANNEL])[None] if design["residual"] else None
    for h in heads:
        z = ((x[:, h["cols"]] - h["mu"]) / h["sd"])[None].astype(np.float32)
        logit, _ = forward(h, z, np.ones((1, len(x)), np.float32), tuple(design["convs"]), res)
        total += _sigmoid(logit[0])
    return total / len(heads)


# --------------------------------------------------------------------------- scoring


def decode_grid(corpus: Corpus, rows: list[int], probs: list[np.ndarray]) -> dict[tuple[float, float, int], PRF]:
    """SI score of every decoding setting of the grid over the articles ``rows``."""
    out: dict[tuple[float, float, int], PRF] = {}
    for t, gap, mc in itertools.product(THRESHOLDS, SPAN_MIN_GAPS, MIN_CHARS):
        settings = DecodeSettings(threshold=t, span_min=round(t + gap, 3), min_chars=mc, split_lines=True)
        pred = {}
        for r, p in zip(rows, probs, strict=True):
            found = decode_spans(corpus.texts[r], corpus.offsets[r], corpus.word_ids[r], p.astype(np.float32),
                                 settings)
            pred[corpus.ids[r]] = [(s, e) for s, e, _ in found]
        gold = {corpus.ids[r]: corpus.gold.get(corpus.ids[r], []) for r in rows}
        out[(t, round(t + gap, 3), mc)] = score_si(gold, pred)
    return out


def best_setting(scores: dict[tuple[float, float, int], PRF]) -> tuple[tuple[float, float, int], PRF]:
    key = max(scores, key=lambda k: scores[k].f1)
    return key, scores[key]


def cross_validate(corpus: Corpus, design: dict[str, Any] | None, *, folds: int, seeds: int,
                   epochs: int) -> list[np.ndarray]:
    """Out-of-fold probabilities per article (``design`` None: the current token head)."""
    n = len(corpus.ids)
    if design is None:
        return [corpus.tokp[s][:, ANY_CHANNEL] for s in corpus.slices]
    fold_of = np.random.default_rng(0).permutation(n) % folds
    out: list[np.ndarray] = [np.zeros(0)] * n
    for f in range(folds):
        train = [r for r in range(n) if fold_of[r] != f]
        heads = [fit(corpus, train, design, seed=13 + s, epochs=epochs) for s in range(seeds)]
        for r in range(n):
            if fold_of[r] == f:
                s = corpus.slices[r]
                out[r] = predict(heads, design, corpus.x[s], corpus.tokp[s])
    return out


def _figures(prf: PRF) -> dict[str, float]:
    return {"precision": round(prf.precision, 4), "recall": round(prf.recall, 4), "f1": round(prf.f1, 4),
            "n_pred": prf.predicted, "n_gold": prf.gold}


def main(argv: list[str] | None = None) -> int:
    parser = head_parser("python -m propscope.train.si_head", __doc__, "/tmp/propscope-si-head", seeds=3, epochs=4)
    parser.add_argument("--reuse-cv", action="store_true",
                        help="keep the figures of designs already in WORK/cv.json instead of running them again")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model_dir = args.model or default_model_dir()
    model = PropscopeModel.load(model_dir, threads=args.threads)
    args.work.mkdir(parents=True, exist_ok=True)
    data = cached(args.work / "ptc_train.npz", lambda: extract(model, args.ptc, "train"))
    corpus = Corpus(data, read_articles(args.ptc / "train-articles"), read_si_labels(args.ptc / "train-labels-task-si"))
    print(f"PTC train: {len(corpus.ids)} articles, {len(corpus.x)} tokens, "
          f"{corpus.labels.mean():.3f} inside a span", flush=True)
    rows = list(range(len(corpus.ids)))
    cv_path = args.work / "cv.json"
    cv: dict[str, Any] = {}
    if args.reuse_cv and cv_path.exists():  # figures of an earlier run with the same cache
        cv = json.loads(cv_path.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    if "token_head" not in cv:
        key, prf = best_setting(decode_grid(corpus, rows, cross_validate(corpus, None, folds=1, seeds=1, epochs=0)))
        cv["token_head"] = {"settings": list(key), **_figures(prf)}
    print(f"CV token_head: {cv['token_head']} ({time.perf_counter() - t0:.0f} s)", flush=True)
    names = [args.design] if args.design else (args.designs or ",".join(DESIGNS)).split(",")
    for name in names:
        if name in cv:
            print(f"CV {name}: {cv[name]} (from {cv_path})", flush=True)
            continue
        t0 = time.perf_counter()
        probs = cross_validate(corpus, DESIGNS[name], folds=args.folds, seeds=args.cv_seeds, epochs=args.epochs)
        np.save(args.work / f"oof_{name}.npy", np.concatenate(probs))
        key, prf = best_setting(decode_grid(corpus, rows, probs))
        cv[name] = {"settings": list(key), **_figures(prf)}
        print(f"CV {name}: {cv[name]} ({time.perf_counter() - t0:.0f} s)", flush=True)
    cv_path.write_text(json.dumps(cv, indent=2) + "\n", encoding="utf-8")
    best = max((k for k in cv if k in DESIGNS), key=lambda k: cv[k]["f1"])
    if args.no_write:
        return 0
    design = DESIGNS[best]
    heads = [fit(corpus, rows, design, seed=13 + s, epochs=args.epochs) for s in range(args.seeds)]
    out = model_dir / SI_HEAD
    arrays: dict[str, np.ndarray] = {
        "si_cols": heads[0]["cols"].astype(np.float32), "si_mu": heads[0]["mu"], "si_sd": heads[0]["sd"],
        "si_convs": np.asarray(design["convs"], np.float32),
        "si_residual": np.asarray([1.0 if design["residual"] else 0.0], np.float32),
    }
    for name in heads[0]:
        if name.startswith(("w", "b")):
            arrays[f"si_{name}"] = np.stack([h[name] for h in heads]).astype(np.float32)
    np.savez(out, **arrays)
    t, span_min, mc = cv[best]["settings"]
    register(model_dir, SI_HEAD, "si_head", {
        "design": best, **{k: list(v) if isinstance(v, tuple) else v for k, v in design.items()},
        "epochs": args.epochs, "seeds": args.seeds, "folds": args.folds, "cv_train": cv,
        "cv_note": "5 folds by article on PTC train; the encoder was fine-tuned on train, so CV figures are "
                   "optimistic",
    }, {"si_head": {"span": t, "span_min": span_min, "span_min_chars": mc, "span_split_lines": True}})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
