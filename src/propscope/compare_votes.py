"""A decision one sentence calls unanimous and the other split ("The jury's decision was
unanimous" / "found guilty by a majority verdict of ten to two"; "the board has unanimously
recommended the offer" / "two of its seven directors voted against").

A split is a tally ("voted 7-2", "by 31 votes to 22", "a 4-1 vote", "two votes to one"), a
majority verdict or decision, a split decision, a dissent, a vote against, a divided panel, a
part of a body voting ("five of the seven members voted for"), or a decision "not unanimous".
"""

from __future__ import annotations

import re

_N = (r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
      r"sixteen|seventeen|eighteen|nineteen|twenty)")
_UNANIMOUS_RE = re.compile(r"\bunanimous(?:ly)?\b", re.I)
_NOT_UNANIMOUS_RE = re.compile(r"\b(?:not|never|far from|less than)\s+(?:been\s+)?unanimous", re.I)
_SPLIT_RE = re.compile(
    rf"\bvot(?:ed|ing)\s+(?:by\s+)?{_N}[-–]{_N}\b|\bvot(?:ed|ing)\s+(?:by\s+)?{_N}\s+(?:votes?\s+)?to\s+{_N}\b"
    rf"|\b(?:vote|votes|tally)\s+(?:of|was|were)\s+{_N}(?:[-–]|\s+(?:votes?\s+)?to\s+){_N}\b"
    rf"|\b{_N}[-–]{_N}\s+(?:vote|majority|verdict|decision|split)\b"
    rf"|\bby\s+{_N}\s+(?:votes?\s+)?to\s+{_N}\b|\b{_N}\s+votes?\s+to\s+{_N}\b"
    rf"|\bmajority\s+(?:verdicts?|decisions?|of\s+{_N}\s+to\s+{_N})\b"
    rf"|\bsplit[- ]decision\b|\bsplit\s+(?:vote|verdict|ruling)\b|\bwas\s+split\b"
    rf"|\bdissent(?:ed|ing)?\b|\bvoted\s+against\b|\bwas\s+divided\b|\bhad\s+been\s+divided\b"
    rf"|\b{_N}\s+of\s+(?:the\s+|its\s+|their\s+)?(?:[\w’']+['’]s\s+)?(?:{_N}\s+)?[\w-]+(?:\s+[\w-]+)?\s+"
    rf"(?:voted|backed|favoured|favored|supported|opposed)\b"
    rf"|\bby\s+{_N}\s+of\s+the\s+{_N}\b",
    re.I)


def unanimity(text: str) -> str | None:
    """"unanimous" or "split" with the words that say so, or None: ("split", "voted 7-2")."""
    if m := _NOT_UNANIMOUS_RE.search(text):
        return f"split: {m.group()}"
    split, unanimous = _SPLIT_RE.search(text), _UNANIMOUS_RE.search(text)
    if split and unanimous:
        return None  # "unanimous on two counts and a majority verdict on the third"
    if split:
        return f"split: {split.group()}"
    return f"unanimous: {unanimous.group()}" if unanimous else None


def unanimity_conflicts(first: str, second: str) -> list[tuple[str, str]]:
    """(what ``first`` says, what ``second`` says) when one calls a decision unanimous and the
    other split."""
    a, b = unanimity(first), unanimity(second)
    if a is None or b is None or a.split(":")[0] == b.split(":")[0]:
        return []
    return [(a.split(": ", 1)[1], b.split(": ", 1)[1])]
