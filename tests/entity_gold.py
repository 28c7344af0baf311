"""The hand-annotated entity gold set (tests/data/entities_gold.jsonl) and how any entity
tagger is scored on it: per sentence, and with every sentence in one document (where
surnames and variants resolve against full names). A tagger is a function from text to
``{(start, end, type)}``; only PERSON, ORG and PLACE are scored, with exact offsets."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

GOLD = Path(__file__).parent / "data" / "entities_gold.jsonl"
TYPES = ("PERSON", "ORG", "PLACE")

Spans = set[tuple[int, int, str]]
Tagger = Callable[[str], Spans]


def gold_rows() -> list[dict[str, Any]]:
    with GOLD.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def prf(gold: Spans, pred: Spans) -> tuple[float, float, float]:
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def score_per_sentence(tag: Tagger) -> tuple[float, float, float, int]:
    """(precision, recall, F1, gold mentions), each gold sentence tagged on its own."""
    gold: Spans = set()
    pred: Spans = set()
    offset = 0
    for row in gold_rows():
        gold |= {(e["start"] + offset, e["end"] + offset, e["type"]) for e in row["entities"]}
        pred |= {(s + offset, e + offset, t) for s, e, t in tag(row["text"])}
        offset += len(row["text"]) + 1
    return (*prf(gold, pred), len(gold))


def score_one_document(tag: Tagger) -> tuple[float, float, float, int]:
    """(precision, recall, F1, gold mentions), every gold sentence in one document."""
    doc = ""
    gold: Spans = set()
    for row in gold_rows():
        gold |= {(e["start"] + len(doc), e["end"] + len(doc), e["type"]) for e in row["entities"]}
        doc += row["text"] + "\n"
    return (*prf(gold, tag(doc)), len(gold))
