"""A learned second opinion on clashing values: which differing figures, dates and durations
of two sentences are one fact reported two ways.

The rules of :mod:`propscope.compare_judge` call a conflict only where a value is tied to the
same predicate or words on both sides and no excuse applies; they miss many real conflicts
("It won the Marchbank Prize in 1979" / "The Glass Orchard won the Marchbank Prize in 1981").
Here every pair of differing values of one kind and unit, in any two sentences of two
articles on one story, is described by a few numbers (how alike the sentences read, whether
the rules find the values comparable, whether the other article writes the same
figure elsewhere, ...) and scored by a logistic regression trained on the labelled sets in
``tests/data/compare`` (``python -m propscope.train.compare_clash``). A pair scoring at least
the model's threshold is a conflict the rules did not call. Numpy only.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from propscope.compare_judge import Context, _excuse, _noun, overlap
from propscope.compare_values import (
    AGE_UNIT,
    GENERIC_UNITS,
    SAME_SENSE,
    Sentence,
    Value,
    _named_apart,
    _said_of_one,
    _sole,
    comparable,
    kept_apart,
    same_measure,
    stem,
)
from propscope.errors import ModelError

_WEEKDAY_RE = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)

FloatArray = npt.NDArray[np.float64]

MODEL_PATH = Path(__file__).resolve().parent / "models" / "compare-clash-v1" / "clash.json"
_KINDS = ("date", "weekday", "clock", "duration")

#: What the model reads of a pair of clashing values, in order (each in [0, 1]).
FEATURES = (
    "cosine", "close", "k_date", "k_weekday", "k_clock", "k_duration", "generic", "anchor_same",
    "anchor_one", "anchor_differ", "context", "near", "noun_same", "sole", "entities", "named_apart",
    "comparable", "same_measure", "approximate", "log_ratio", "jaccard", "mutual", "said_of_one",
    "forecast", "other_group", "update", "values", "sources_differ", "row_best", "column_best",
    "elsewhere", "pair_match", "both_forecast", "accounted", "date_anchor_differ", "date_anchor_same",
    "weekday_anchor_same", "context_disjoint", "k_age", "named_age",
)


def kind_key(v: Value) -> str:
    """What a value is compared as: "date", "weekday", "clock", "duration" or "q:UNIT"."""
    if v.kind == "time":
        return v.unit if v.unit in ("weekday", "clock") else "date"
    return "duration" if v.kind == "duration" else f"q:{v.unit}"


def clashing(va: Value, vb: Value) -> bool:
    """Whether two values are of one kind and unit and cannot both hold."""
    return kind_key(va) == kind_key(vb) and not overlap(va, vb)


def _written_elsewhere(v: Value, sentences: Sequence[Sentence]) -> bool:
    """Whether another article gives the same figure or date somewhere (then the differing one
    is likely about something else). A month or day without a year is never the same date as
    a year: "in December" does not repeat "opened in 1972"."""
    key = kind_key(v)
    return any(kind_key(w) == key and (w.unit == "monthday") == (v.unit == "monthday") and overlap(v, w)
               for s in sentences for w in s.values)


def _approximate(v: Value) -> bool:
    """Whether a value is a range; a day of the week only when it may be either of two days
    ("Friday night", "early Saturday"), not for a part of one day ("Friday afternoon")."""
    if v.unit == "weekday":
        return math.floor(v.low) != math.floor(v.high)
    return v.low != v.high


def _log_ratio(va: Value, vb: Value) -> float:
    if va.kind != "quantity" or va.low <= 0 or vb.low <= 0 or not (math.isfinite(va.high) and math.isfinite(vb.high)):
        return 0.0
    return min(abs(math.log((va.low + va.high) / (vb.low + vb.high))), 3.0) / 3.0


@dataclass(frozen=True)
class Pair:
    """Two sentences of two articles, where they stand among all the sentences of both."""

    a: Sentence
    b: Sentence
    cosine: float
    row_best: bool  # b is a's closest sentence in b's article
    column_best: bool  # a is b's closest sentence in a's article
    a_article: Sequence[Sentence]
    b_article: Sequence[Sentence]


def pairs_with_values(first: Sequence[Sentence], second: Sequence[Sentence], cosines: Any,
                      floor: float) -> list[tuple[int, int, Pair]]:
    """(i, j, pair) for every two sentences of two articles that both give values and read at
    least ``floor`` alike; ``cosines``: their cosine matrix (len(first) x len(second))."""
    rows, columns = cosines.max(axis=1), cosines.max(axis=0)
    out = []
    for i, a in enumerate(first):
        if not a.values:
            continue
        for j, b in enumerate(second):
            cosine = float(cosines[i, j])
            if b.values and cosine >= floor:
                out.append((i, j, Pair(a, b, cosine, cosine >= rows[i], cosine >= columns[j], first, second)))
    return out


def features(va: Value, vb: Value, pair: Pair, ctx: Context) -> list[float]:
    """The numbers of :data:`FEATURES` for values ``va`` of ``pair.a`` and ``vb`` of ``pair.b``."""
    a, b, cosine = pair.a, pair.b, pair.cosine
    key = kind_key(va)
    noun = _noun(va)
    union = len(a.content | b.content) or 1
    found = {
        "cosine": cosine,
        "close": float(cosine >= SAME_SENSE),
        **{f"k_{k}": float(key == k) for k in _KINDS},
        "generic": float(va.kind == "quantity" and va.unit in GENERIC_UNITS),
        "anchor_same": float(bool(va.anchor) and va.anchor == vb.anchor),
        "anchor_one": float(bool(va.anchor) != bool(vb.anchor)),
        "anchor_differ": float(bool(va.anchor and vb.anchor) and va.anchor != vb.anchor),
        "context": min(len(va.context & vb.context), 4) / 4,
        "near": min(len(va.near & vb.near), 3) / 3,
        "noun_same": float(bool(noun) and stem(noun) == stem(_noun(vb))),
        "sole": float(_sole(va, a) and _sole(vb, b)),
        "entities": float(bool(a.entities & b.entities)),
        "named_apart": float(_named_apart(a, b)),
        "comparable": float(comparable(va, vb, a, b, cosine)),
        "same_measure": float(same_measure(va, vb, cosine >= SAME_SENSE)),
        "approximate": float(_approximate(va) or _approximate(vb)),
        "log_ratio": _log_ratio(va, vb),
        "jaccard": len(a.content & b.content) / union,
        "mutual": float(pair.row_best and pair.column_best),
        "said_of_one": float(_said_of_one(va, vb)),
        "forecast": float(va.forecast != vb.forecast),
        "other_group": float(va.other != vb.other),
        "update": float(a.update or b.update),
        "values": min(len(a.values) + len(b.values), 8) / 8,
        "sources_differ": float(bool(a.sources and b.sources and not a.sources & b.sources)),
        "row_best": float(pair.row_best),
        "column_best": float(pair.column_best),
        "elsewhere": float(_written_elsewhere(va, pair.b_article) or _written_elsewhere(vb, pair.a_article)),
        "pair_match": float(any(kind_key(x) == kind_key(y) == key and overlap(x, y)
                                for x in a.values for y in b.values)),
        "both_forecast": float(va.forecast and vb.forecast),
        # each figure is also written in the other sentence: a range or a list ("2021 to 2023")
        "accounted": float(_written_elsewhere(va, [b]) and _written_elsewhere(vb, [a])),
        "date_anchor_differ": float(key == "date" and bool(va.anchor and vb.anchor) and va.anchor != vb.anchor),
        "date_anchor_same": float(key == "date" and bool(va.anchor) and va.anchor == vb.anchor),
        "weekday_anchor_same": float(key == "weekday" and bool(va.anchor) and va.anchor == vb.anchor),
        "context_disjoint": float(bool(va.context and vb.context) and not va.context & vb.context),
        "k_age": float(va.unit == AGE_UNIT),
        "named_age": float(va.person is not None or vb.person is not None),
    }
    return [found[name] for name in FEATURES]


def candidates(pair: Pair, ctx: Context) -> list[tuple[Value, Value, list[float]]]:
    """Every pair of clashing values of the two sentences that the rules give no reason for
    ("different times", "a forecast against a reported value", ...), with its features: the
    learned judge never overrides a reason the rules found."""
    return [(va, vb, features(va, vb, pair, ctx)) for va in pair.a.values for vb in pair.b.values
            if clashing(va, vb) and not kept_apart(va, vb, pair.a, pair.b)
            and _excuse(pair.a, pair.b, va, vb, ctx) is None
            and (va.person is None or vb.person is None)  # two named ages: compare_roles compares them
            and not _year_and_weekday(va, vb)]


def _year_and_weekday(va: Value, vb: Value) -> bool:
    """A year against a day named by its weekday ("last inspected in 2019" / "visited the site
    on Saturday"): the weekday dates something in the week of the report, never a year's fact."""
    for x, y in ((va, vb), (vb, va)):
        if x.kind == "time" and _WEEKDAY_RE.search(x.text) and not any(c.isdigit() for c in x.text) \
                and y.kind == "time" and y.high - y.low >= 364:
            return True
    return False


@dataclass(frozen=True)
class ClashModel:
    """Logistic regression over :data:`FEATURES`; ``threshold`` decides a conflict."""

    weights: FloatArray
    bias: float
    threshold: float
    card: dict[str, Any]

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> ClashModel:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            names, weights = data["features"], data["weights"]
            model = cls(np.asarray(weights, np.float64), float(data["bias"]), float(data["threshold"]),
                        dict(data.get("card", {})))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"clash model is unreadable: {exc}", source=str(path)) from exc
        if tuple(names) != FEATURES or len(weights) != len(FEATURES):
            raise ModelError("clash model was trained on other features than this version reads", source=str(path))
        return model

    def scores(self, rows: Sequence[Sequence[float]]) -> FloatArray:
        """Probability of a conflict for each row of features."""
        if not rows:
            return np.zeros(0)
        z = np.asarray(rows, np.float64) @ self.weights + self.bias
        out: FloatArray = 1.0 / (1.0 + np.exp(-z))
        return out

    def conflicts(self, pair: Pair, ctx: Context) -> list[tuple[Value, Value, float]]:
        """(value of a, value of b, probability) of each clash the model calls a conflict."""
        found = candidates(pair, ctx)
        probs = self.scores([f for _, _, f in found])
        return [(va, vb, float(p)) for (va, vb, _), p in zip(found, probs, strict=True) if p >= self.threshold]


@lru_cache(maxsize=1)
def shipped_model() -> ClashModel | None:
    """The shipped clash model, loaded once; None when the package has none."""
    return ClashModel.load() if MODEL_PATH.is_file() else None
