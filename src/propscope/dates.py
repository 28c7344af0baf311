"""Publication dates written the many ways pages write them, normalised to ISO 8601."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"

# Each pattern names year, month and day groups; tried in order, first match wins.
_PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b"),  # 2020-12-29
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),  # January 07, 2020
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),  # 3 May 2024
    re.compile(rf"\b{_YEAR}/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)\b"),  # 2020/12/29
    re.compile(rf"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.{_YEAR}\b"),  # 29.12.2020
    re.compile(rf"\b(?P<month>[01]?\d)/(?P<day>[0-3]?\d)/{_YEAR}\b"),  # 12/29/2020 (US)
]

def _month_number(raw: str) -> int:
    return int(raw) if raw.isdigit() else MONTHS[raw.lower().rstrip(".")]


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first date in ``text`` as (ISO date, start, end), or None."""
    best: tuple[str, int, int] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            try:
                value = date(
                    int(match["year"]), _month_number(match["month"]), int(match["day"])
                )
            except ValueError:
                continue
            if best is None or match.start() < best[1]:
                best = (value.isoformat(), match.start(), match.end())
            break
    return best


def parse_date(text: str) -> str | None:
    """``text``'s first date as ``YYYY-MM-DD``, or None."""
    found = find_date(text)
    return found[0] if found else None
