"""Cut a text into segments by overlapping annotations, for highlighting."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Segment:
    text: str
    start: int
    end: int
    marks: tuple[dict[str, Any], ...]  # the annotations covering this segment


def segments(text: str, annotations: Sequence[dict[str, Any]]) -> list[Segment]:
    """Consecutive pieces of ``text``; each knows which annotations cover it."""
    spans = [a for a in annotations if 0 <= a["start"] < a["end"] <= len(text)]
    cuts = sorted({0, len(text), *(a["start"] for a in spans), *(a["end"] for a in spans)})
    pieces: list[Segment] = []
    for start, end in itertools.pairwise(cuts):
        covering = tuple(a for a in spans if a["start"] <= start and a["end"] >= end)
        pieces.append(Segment(text[start:end], start, end, covering))
    return pieces
