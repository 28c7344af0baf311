"""Quick development scorers (SI / TC / CT24 F1) and dev evaluation of a packaged model.

The SI score follows the SemEval-2020 Task 11 definition: spans are merged per article when
they share a character, precision = sum over predicted s, gold t of |s∩t|/|s| divided by the
number of predicted spans, recall the same with |t| and the number of gold spans.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict

import numpy as np

from propscope.model import ANY_CHANNEL, TECHNIQUES, DecodeSettings, PropscopeModel, decode_spans
from propscope.train.data import PtcArticle

Span = tuple[int, int]


def merge_spans(spans: Sequence[Span]) -> list[Span]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def si_score(gold: dict[str, list[Span]], pred: dict[str, list[Span]]) -> dict[str, float]:
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    for art in set(gold) | set(pred):
        g = merge_spans(gold.get(art, []))
        p = merge_spans(pred.get(art, []))
        n_pred += len(p)
        n_gold += len(g)
        for s, e in p:
            for gs, ge in g:
                inter = min(e, ge) - max(s, gs)
                if inter > 0:
                    p_sum += inter / (e - s)
                    r_sum += inter / (ge - gs)
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n_pred": n_pred, "n_gold": n_gold}


def tc_score(gold: list[tuple[str, int, int, str]], pred: list[tuple[str, int, int, str]]) -> dict[str, object]:
    """Micro-F1 over (article, start, end, technique) multisets, and F1 per technique."""
    g, p = Counter(gold), Counter(pred)
    tp = sum((g & p).values())
    micro_p = tp / max(sum(p.values()), 1)
    micro_r = tp / max(sum(g.values()), 1)
    micro = 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0
    per: dict[str, float] = {}
    for tech in TECHNIQUES:
        gt = Counter({k: v for k, v in g.items() if k[3] == tech})
        pt = Counter({k: v for k, v in p.items() if k[3] == tech})
        t = sum((gt & pt).values())
        pr, rc = t / max(sum(pt.values()), 1), t / max(sum(gt.values()), 1)
        per[tech] = round(2 * pr * rc / (pr + rc), 4) if pr + rc else 0.0
    return {"micro_f1": micro, "per_technique_f1": per, "n_gold": sum(g.values())}


def binary_f1(probs: Sequence[float], labels: Sequence[int], threshold: float) -> float:
    tp = sum(1 for p, y in zip(probs, labels, strict=True) if p >= threshold and y)
    fp = sum(1 for p, y in zip(probs, labels, strict=True) if p >= threshold and not y)
    fn = sum(1 for p, y in zip(probs, labels, strict=True) if p < threshold and y)
    return 2 * tp / max(2 * tp + fp + fn, 1)


def best_threshold(probs: Sequence[float], labels: Sequence[int]) -> tuple[float, float]:
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    scores = [(binary_f1(probs, labels, float(t)), float(t)) for t in grid]
    f1, thr = max(scores)
    return thr, f1


def evaluate_ptc(model: PropscopeModel, dev: list[PtcArticle]) -> dict[str, object]:
    """SI threshold sweep (encoder run once), SI/TC figures on dev, and throughput."""
    gold_si = {a.article_id: [(s, e) for s, e, _ in a.spans] for a in dev}
    prepared = [model._prepare(a.text) for a in dev]
    hidden = model._run_articles(prepared)
    probs = [model._token_probs(art, hid)[:, ANY_CHANNEL] for art, hid in zip(prepared, hidden, strict=True)]
    sweep: list[tuple[float, DecodeSettings, dict[str, float]]] = []
    for thr in np.round(np.arange(0.05, 0.51, 0.05), 2):
        for split in (True,):  # spans never cross a line break (PTC sentences are lines)
            for extra in (0.0, 0.1, 0.2, 0.3):
                for min_chars in (1, 4, 8):
                    settings = DecodeSettings(float(thr), float(thr + extra) if extra else 0.0, min_chars, split)
                    pred = {
                        a.article_id: [
                            (s, e) for s, e, _ in decode_spans(art.text, art.offsets, art.word_ids, p, settings)
                        ]
                        for a, art, p in zip(dev, prepared, probs, strict=True)
                    }
                    score = si_score(gold_si, pred)
                    sweep.append((score["f1"], settings, score))
    sweep.sort(key=lambda x: -x[0])
    best = sweep[0][1]
    gold_tc = [(a.article_id, s, e, t) for a in dev for s, e, t in a.spans]
    pred_tc: list[tuple[str, int, int, str]] = []
    for a in dev:
        spans = [(s, e) for s, e, _ in a.spans]
        pred_tc.extend((a.article_id, p.start, p.end, p.technique) for p in model.classify_spans(a.text, spans))
    top = [{"settings": asdict(st), **sc} for _, st, sc in sweep[:10]]
    return {"si_sweep": top, "decode": best, "si": sweep[0][2], "tc": tc_score(gold_tc, pred_tc)}


def throughput(model: PropscopeModel, texts: Sequence[str]) -> dict[str, float]:
    t0 = time.perf_counter()
    model.techniques(texts)
    elapsed = time.perf_counter() - t0
    return {"articles": len(texts), "seconds": round(elapsed, 2), "articles_per_s": round(len(texts) / elapsed, 2)}
