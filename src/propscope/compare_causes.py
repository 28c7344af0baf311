"""Causes that exclude each other: two sentences that blame one event on different things ("the
delay was caused by high winds" / "the hold-up was caused by a fault in a fuel valve"; "blamed a
faulty software update for the outage" / "said a faulty power supply was to blame").

A cause is read after "caused by", "sparked by", "started by", "triggered by", "because of",
"due to" (not "is due to open"), "the result of", "came from", "traced to", "credited" and
"blamed" (the thing blamed, or what follows "on" in "blamed the delay on ..."), or before "was to
blame" and "is being blamed for". What a sentence rules
out ("..., not a cyberattack", "rather than corrosion") is not its cause. Two causes clash when
they share no content word ("strong winds" / "high winds" agree; "storage tank" / "corrosion in
an ageing tank" may be one account) and neither sentence leaves the cause open ("not ruled out",
"under investigation").
"""

from __future__ import annotations

import re

from propscope.compare_values import FUNCTION_WORDS, stem

_TRIGGER_RE = re.compile(
    r"\b(?:(?:caused|sparked|started|triggered|set off) by|because of|due to|the result of|came from(?! behind\b)|"
    r"(?:traced|traced back) to|pointing instead to|credited|blamed(?: it)?)\s+", re.I)
_TO_BLAME_RE = re.compile(
    r"([^,;:]+?)\s+(?:(?:was|were|is|are|had been|has been|appeared to be|appears to be|may have been|"
    r"was likely to be|could be)\s+to blame|(?:is|was|are|were|has been|have been|had been)\s+(?:being\s+)?"
    r"blamed\s+for)\b", re.I)
#: What is blamed on a cause: "blamed [the delay] on high winds".
_BLAMED_ON_RE = re.compile(r"(?:the|its|their|this|that|his|her)(?:\s+[\w'-]+){1,2}\s+on\s+", re.I)
#: Verbs of saying and finding after which a cause written before "was to blame" begins.
_SAID_RE = re.compile(r"^.*\b(?:said|says|found|find|believe|believes|believed|think|thinks|thought|"
                      r"confirmed|concluded|suggested|suggests|that|claimed|claims)\s+", re.I)
#: Where a cause ends: a clause, a list of other things, what it rules out.
_CAUSE_END_RE = re.compile(
    r",|;|:|\.(?!\d)|\s(?:not|rather than|instead of|that|which|who|after|before|when|while|as|but|"
    r"and (?:ruled|said|added|denied|insisted|warned|confirmed|is|was|has|had)|for (?:the|its|their|his|her|"
    r"starting|causing)|according to)\b", re.I)
#: Words before "due to" that make it a plan ("is due to open"), not a cause.
_PLANNED_RE = re.compile(r"\b(?:is|was|are|were|be|been|being|not)\s+(?:[a-z]+ly\s+)?$", re.I)
#: Words that say the cause is not settled.
_OPEN_RE = re.compile(r"\b(?:not (?:yet )?(?:known|clear|been (?:determined|established|confirmed))|unknown|"
                      r"unclear|under investigation|being investigated|not been ruled out|not ruled out|"
                      r"could not rule out|investigating the cause|whether)\b", re.I)
#: Words that say how or how much, not what.
_GENERIC = frozenset({
    "faulty", "fault", "small", "large", "major", "minor", "high", "strong", "severe", "heavy", "sudden",
    "suspected", "possible", "probable", "apparent", "likely", "problem", "problems", "issue", "issues", "technical",
    "serious", "series", "number", "lack", "combination", "mainly", "mostly", "partly", "largely", "part", "new",
    "old", "ageing", "aging", "rising", "soaring", "falling", "growing", "increase", "increased", "higher", "lower",
    "poor", "bad", "what", "described", "believed", "thought", "said", "blamed",
})
_PREFIX = 5  # words alike in their first letters name one cause ("shortage" / "shortages")
#: Words of one kind of cause.
_SAME = {"winds": "weather", "wind": "weather", "gale": "weather", "gales": "weather", "storm": "weather",
         "storms": "weather", "rain": "weather", "weather": "weather", "fog": "weather", "snow": "weather",
         "adverse": "side", "effects": "side"}


def causes(text: str) -> list[str]:
    """The causes a sentence gives, as written ("a faulty power supply")."""
    if _OPEN_RE.search(text):
        return []
    found = []
    for m in _TRIGGER_RE.finditer(text):
        if m.group().lower().startswith("due") and _PLANNED_RE.search(text[: m.start()]):
            continue
        after = text[m.end():]
        if m.group().lower().startswith("blamed") and after[:4].lower() == "for ":
            continue  # "is being blamed for the fire": the cause comes before
        if m.group().lower().startswith("blamed") and (on := _BLAMED_ON_RE.match(after)):
            after = after[on.end():]  # "blamed the delay on high winds", not "blamed human error on the bridge"
        found.append(after)
    for m in _TO_BLAME_RE.finditer(text):
        found.append(_SAID_RE.sub("", m[1]))
    out = []
    for phrase in found:
        end = _CAUSE_END_RE.search(phrase)
        cause = (phrase[: end.start()] if end else phrase).strip()
        if _words(cause):
            out.append(" ".join(cause.split()[:8]))
    return out


def _words(cause: str) -> frozenset[str]:
    words = (w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]+", cause))
    return frozenset(_SAME.get(w, stem(w)) for w in words
                     if len(w) >= 3 and w not in FUNCTION_WORDS and w not in _GENERIC)


def cause_conflicts(a: str, b: str) -> list[tuple[str, str]]:
    """(cause in a, cause in b) when two sentences blame different things and neither gives a
    cause that the other shares."""
    first, second = causes(a), causes(b)
    if not first or not second:
        return []
    words_a = frozenset().union(*(_words(c) for c in first))
    words_b = frozenset().union(*(_words(c) for c in second))
    if any(x[:_PREFIX] == y[:_PREFIX] for x in words_a for y in words_b):
        return []  # "a shortage of doctors" / "staff shortages"
    return [(first[0], second[0])]
