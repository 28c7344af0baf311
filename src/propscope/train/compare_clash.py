"""The learned judge of clashing values (``models/compare-clash-v1/clash.json``).

    python -m propscope.train.compare_clash                      # every set but the held-out ones
    python -m propscope.train.compare_clash --hold-out blind11 blind12 --no-write

Numpy only. What it does:

1. Every item of the labelled comparison sets (``tests/data/compare/*.jsonl``, written for
   this project) is analysed and compared as :func:`propscope.compare.compare_reports` does,
   with the rules alone; the rules' contradictions are kept.
2. Within each story group, every pair of differing values of one kind and unit in any two
   sentences of two articles is a candidate (:func:`propscope.compare_clash.candidates`),
   labelled 1 when the item lists the two sentences as contradicting each other.
3. A logistic regression with an L2 penalty (Newton's method) is fitted on the candidates.
   The threshold is chosen by leaving one set out at a time: the rules' contradictions plus
   the candidates scoring at least the threshold, pooled over the left-out sets, scored by
   F0.5 (precision counts twice as much as recall: a false "contradicts" misleads a reader);
   thresholds within 0.005 of the best F0.5 tie, and the highest of them is taken.
4. The model is fitted on all training sets and written with its features, threshold and a
   card (sets, counts, the leave-one-set-out table).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from propscope.compare_clash import FEATURES, MODEL_PATH, candidates, pairs_with_values

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "compare"
L2 = 1.0
THRESHOLDS = tuple(round(0.4 + 0.05 * k, 2) for k in range(11))  # 0.40 .. 0.90
TIE = 0.005  # F0.5 this close to the best counts as a tie, settled for precision (the higher threshold)

Key = tuple[str, frozenset[tuple[int, int]]]  # item id, the two sentences (article, start)


@dataclass
class SetData:
    name: str
    rows: list[list[float]]
    labels: list[int]
    keys: list[Key]
    rules: set[Key]
    gold: set[Key]
    shown: list[str] = field(default_factory=list)  # per candidate: the values and both sentences


def sentence_start(text: str, snippet: str) -> int:
    """Where the sentence holding ``snippet`` starts."""
    from propscope.sentences import split_sentences

    at = text.index(snippet)
    return next(s for s, e in split_sentences(text) if s <= at < e)


def gold_pairs(item: dict[str, Any], relation: str = "contradicts") -> set[frozenset[tuple[int, int]]]:
    """The pairs of sentences, each as (article index, sentence start), an item lists under
    ``relation``."""
    names = [a["name"] for a in item["articles"]]
    texts = [a["text"] for a in item["articles"]]
    return {frozenset({(names.index(a), sentence_start(texts[names.index(a)], sa)),
                       (names.index(b), sentence_start(texts[names.index(b)], sb))})
            for a, sa, b, sb in item[relation]}


def conflict_pairs(comparison: Any) -> set[frozenset[tuple[int, int]]]:
    """The pairs of sentences, each as (article index, sentence start), a comparison calls
    contradicting."""
    return {frozenset((f["claims"][i]["article"], f["claims"][i]["start"]) for i in c["claims"])
            for f in comparison.findings for c in f.get("conflicts", [])}


def read_set(path: Path, encoder: Any) -> SetData:
    """Candidates, labels and the rules' contradictions of one labelled set."""
    from propscope.article import Article as Source
    from propscope.compare import analyse_all, compare_reports
    from propscope.compare_align import ALIGN_FLOOR, build_articles, duplicates, story_groups
    from propscope.compare_judge import Context

    data = SetData(path.stem, [], [], [], set(), set())
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        sources = [Source(source=a["name"], text=a["text"], title=a["name"]) for a in item["articles"]]
        reports = analyse_all(sources)
        gold = {(item["id"], pair) for pair in gold_pairs(item)}
        data.gold |= gold
        data.rules |= {(item["id"], pair) for pair in conflict_pairs(compare_reports(reports, encoder, learned=False))}
        articles, _ = build_articles(reports, encoder)
        for members in story_groups(articles, set(duplicates(articles))):
            group = [articles[i] for i in members]
            ctx = Context(article_times={a.index: a.times for a in group},
                          article_clusters={a.index: a.clusters for a in group})
            for x, first in enumerate(group):
                for second in group[x + 1 :]:
                    if not first.sentences or not second.sentences:
                        continue
                    cosines = first.vectors @ second.vectors.T
                    for _, _, pair in pairs_with_values(first.sentences, second.sentences, cosines, ALIGN_FLOOR):
                        key = (item["id"], frozenset({(first.index, pair.a.start), (second.index, pair.b.start)}))
                        for va, vb, row in candidates(pair, ctx):
                            data.shown.append(f"{va.text} / {vb.text} | {pair.a.text} | {pair.b.text}")
                            data.rows.append(row)
                            data.labels.append(int(key in gold))
                            data.keys.append(key)
    return data


def fit(rows: Sequence[Sequence[float]], labels: Sequence[int], l2: float = L2) -> tuple[np.ndarray, float]:
    """Weights and bias of an L2-penalised logistic regression (the bias is not penalised)."""
    x = np.hstack([np.asarray(rows, np.float64), np.ones((len(rows), 1))])
    y = np.asarray(labels, np.float64)
    w = np.zeros(x.shape[1])
    penalty = l2 * np.r_[np.ones(x.shape[1] - 1), 0.0]
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def _scores(w: np.ndarray, bias: float, rows: Sequence[Sequence[float]]) -> np.ndarray:
    if not rows:
        return np.zeros(0)
    out: np.ndarray = 1.0 / (1.0 + np.exp(-(np.asarray(rows, np.float64) @ w + bias)))
    return out


def counts(data: SetData, probs: np.ndarray, threshold: float | None) -> tuple[int, int, int]:
    """(tp, fp, fn) of the rules' contradictions plus the candidates at ``threshold`` (None:
    the rules alone)."""
    called = set(data.rules)
    if threshold is not None:
        called |= {k for k, p in zip(data.keys, probs, strict=True) if p >= threshold}
    return len(called & data.gold), len(called - data.gold), len(data.gold - called)


def _f(tp: int, fp: int, fn: int, beta: float = 0.5) -> float:
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return (1 + beta**2) * p * r / max(beta**2 * p + r, 1e-9)


def leave_one_out(sets: Sequence[SetData], errors_at: float | None = None) -> dict[str, list[int]]:
    """Pooled (tp, fp, fn) per threshold ("rules": the rules alone), each set scored by a model
    fitted on the others; with ``errors_at``, print the candidates the left-out model calls
    wrongly at that threshold (the rules' own calls aside)."""
    table = _empty_table()
    for k, held in enumerate(sets):
        rest = [s for m, s in enumerate(sets) if m != k]
        w, bias = fit([r for s in rest for r in s.rows], [y for s in rest for y in s.labels])
        probs = _scores(w, bias, held.rows)
        if errors_at is not None:
            for key, p, shown in zip(held.keys, probs, held.shown, strict=True):
                if p >= errors_at and key not in held.gold | held.rules:
                    print(f"false {held.name} {key[0]} {p:.2f}: {shown}")
        _add_counts(table, held, probs)
    return table


def on_fresh_sets(w: np.ndarray, bias: float, sets: Sequence[SetData]) -> dict[str, list[int]]:
    """Pooled (tp, fp, fn) per threshold ("rules": the rules alone) of sets the model was not
    fitted on and the rules were not written from: text like a user's. Empty without sets."""
    if not sets:
        return {}
    table = _empty_table()
    for held in sets:
        _add_counts(table, held, _scores(w, bias, held.rows))
    return table


def _empty_table() -> dict[str, list[int]]:
    return {"rules": [0, 0, 0], **{f"{t:.2f}": [0, 0, 0] for t in THRESHOLDS}}


def _add_counts(table: dict[str, list[int]], held: SetData, probs: np.ndarray) -> None:
    """Add one set's (tp, fp, fn) at every threshold, and with the rules alone, to ``table``."""
    for name, t in [("rules", None), *((f"{t:.2f}", t) for t in THRESHOLDS)]:
        table[name] = [x + y for x, y in zip(table[name], counts(held, probs, t), strict=True)]


def _line(name: str, tp: int, fp: int, fn: int) -> str:
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return f"{name:>6}: P {p:.3f} R {r:.3f} F0.5 {_f(tp, fp, fn):.3f} ({tp}/{fp}/{fn})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder of labelled sets (*.jsonl)")
    parser.add_argument("--hold-out", nargs="*", default=[], help="sets never read (scored with --score)")
    parser.add_argument("--score", nargs="*", default=[], help="held-out sets to score the fitted model on")
    parser.add_argument("--fresh", nargs="*", default=[],
                        help="sets never trained on, scored at every threshold for the card")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--errors", type=float, default=None, metavar="THRESHOLD",
                        help="print the false conflicts each left-out set gets at THRESHOLD")
    args = parser.parse_args(argv)

    from propscope.compare import default_encoder

    encoder = default_encoder()
    skip = set(args.hold_out) | set(args.score) | set(args.fresh)
    paths = sorted(p for p in args.data.glob("*.jsonl") if p.stem not in skip)
    sets = [read_set(p, encoder) for p in paths]
    for s in sets:
        print(f"{s.name}: {len(s.rows)} candidates, {sum(s.labels)} labelled conflicts, {len(s.gold)} gold", flush=True)
    table = leave_one_out(sets, args.errors)
    for name, row in table.items():
        print(_line(name, *row))
    best = max(_f(*table[f"{t:.2f}"]) for t in THRESHOLDS)
    threshold = max(t for t in THRESHOLDS if _f(*table[f"{t:.2f}"]) >= best - TIE)
    w, bias = fit([r for s in sets for r in s.rows], [y for s in sets for y in s.labels])
    print(f"threshold {threshold:.2f} (the highest within {TIE} of the best F0.5 leaving one set out)")
    fresh = on_fresh_sets(w, bias, [read_set(args.data / f"{name}.jsonl", encoder) for name in args.fresh])
    for name, row in fresh.items():
        print(_line(name, *row) + " (fresh sets)")
    for name, weight in sorted(zip(FEATURES, w, strict=True), key=lambda z: -abs(z[1])):
        print(f"  {name:<16} {weight:+.3f}")
    for name in args.score:
        held = read_set(args.data / f"{name}.jsonl", encoder)
        probs = _scores(w, bias, held.rows)
        print(_line(name + " rules", *counts(held, probs, None)))
        print(_line(name, *counts(held, probs, threshold)))
    if args.no_write:
        return 0
    card = {
        "trained_on": [s.name for s in sets],
        "candidates": sum(len(s.rows) for s in sets),
        "labelled_conflicts": sum(sum(s.labels) for s in sets),
        "l2": L2,
        "threshold_rule": f"the highest whose F0.5 (rules + learned, leaving one set out) is within {TIE} of the best",
        "leave_one_set_out": {name: dict(zip(("tp", "fp", "fn"), row, strict=True)) for name, row in table.items()},
    }
    if fresh:
        card["fresh_sets"] = list(args.fresh)
        card["on_fresh_sets"] = {name: dict(zip(("tp", "fp", "fn"), row, strict=True)) for name, row in fresh.items()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"features": list(FEATURES), "weights": [round(float(x), 6) for x in w],
                                    "bias": round(bias, 6), "threshold": threshold, "card": card}, indent=1) + "\n",
                        encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
