"""The parts of a claim that can be compared across outlets: when, and how many.

``find_times`` finds dates, months, years, decades, relative expressions ("yesterday", "last
Tuesday", "in March", resolved against the publication date when one is given) and durations
("four decades", "42 years"); ``find_quantities`` finds numbers with their bounds and unit
("at least 19" -> 19..; "about 40,000" -> 36,000..44,000; "a few hundred" -> 200..900;
"12 dead" -> exactly 12, unit "dead"). Both return character offsets into the full text, use
only regexes and small tables, and take a few milliseconds for a long article.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal, Protocol

__all__ = ["Quantity", "TimeExpr", "find_quantities", "find_times"]

Granularity = Literal["day", "week", "month", "year", "decade", "century", "relative"]


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression at ``text[start:end]``.

    For ``kind == "point"``: ``value`` is an ISO date ("2011-03-15"), ISO week ("2020-W01"),
    month ("2011-03"), year ("1998") or decade ("1990s"); "XXXX" stands for a year the text
    does not give ("XXXX-03-15"); ``None`` for a relative expression with no publication date
    to resolve it against (then ``granularity`` is "relative"). ``relative`` says the value
    was computed from the publication date.
    For ``kind == "duration"``: ``value`` is the length in years (float), ``granularity`` the
    unit the text used ("decade" for "four decades").
    """

    start: int
    end: int
    text: str
    value: str | float | None
    granularity: Granularity
    kind: Literal["point", "duration"] = "point"
    relative: bool = False


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number at ``text[start:end]`` (modifiers such as "at least" included in the span).

    ``low``/``high`` bound the number the text commits to (``None``: open); ``approximate``
    is true for hedged numbers ("about", "nearly", "a few hundred", "thousands").
    ``unit`` is "%", a currency symbol, or the noun that follows ("people", "dead", "years").
    """

    start: int
    end: int
    text: str
    value: float
    low: float | None
    high: float | None
    unit: str | None
    approximate: bool


# --------------------------------------------------------------------------- word tables


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _name:
        _MONTHS[_name.lower()] = _i
        _MONTHS[_name[:3].lower()] = _i
_MONTHS["sept"] = 9
_FULL_MONTHS = frozenset(name.lower() for name in calendar.month_name if name)

_WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_SMALL: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES: dict[str, float] = {
    "hundred": 100.0,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "bn": 1e9,
    "mn": 1e6,
    "mln": 1e6,
    "bln": 1e9,
    "tn": 1e12,
}
_PLURAL_SCALES: dict[str, float] = {
    "dozens": 12.0,
    "scores": 20.0,
    "hundreds": 100.0,
    "thousands": 1e3,
    "millions": 1e6,
    "billions": 1e9,
}

_UNIT_YEARS: dict[str, tuple[float, Granularity]] = {
    "day": (1 / 365.25, "day"),
    "week": (7 / 365.25, "week"),
    "month": (1 / 12, "month"),
    "year": (1.0, "year"),
    "decade": (10.0, "decade"),
    "century": (100.0, "century"),
}

_STOP = _words(
    """
    a an the and or but of in on at to for from by with as is are was were be been being has
    have had do does did will would could should may might must can shall that which who whom
    whose this these those it its their his her our your my we they he she i you them him us
    than then there here when where while if so not no nor also said says say per each every
    after before since during until into onto over under about around out up down off again
    """
)
#: Past participles that name who a number counts ("12 killed"); other "-ed" words are verbs.
_PARTICIPLE_UNITS = _words(
    """
    killed injured wounded displaced detained arrested abducted kidnapped jailed executed
    infected hospitalized hospitalised evacuated affected missing confirmed registered
    recorded reported imprisoned disappeared
    """
)
_PAST_VERBS = _words(
    """
    fled died said went came took left ran fell rose lost won got made saw fought held stood
    became began sent spent told thought paid met led kept gave found put set brought bought
    """
)
#: Words before "one" that make it a pronoun ("no one", "the one").
_NOT_ONE = _words("no any every each the this that which someone anyone")
_UNIT_SKIP = _words("more other additional new further extra fewer less some such many")
_LABEL_WORDS = _words(
    """
    article section chapter page pages no nos number resolution flight route highway room apt
    apartment level phase ward grade version episode season round verse paragraph clause
    amendment channel platform gate terminal unit box suite floor act part vol volume item
    """
)
#: Nouns after a bare 1900-2099 number that make it a count, not a year ("2000 troops").
_COUNT_NOUNS = _words(
    """
    people persons troops soldiers civilians dead killed deaths men women children protesters
    refugees migrants workers jobs homes houses votes voters members cases casualties
    fighters militants police officers prisoners detainees students families residents
    employees patients pupils tonnes tons barrels dollars euros pounds miles kilometres
    kilometers km kg acres hectares rockets missiles shells bombs units copies signatures
    """
)

_MODIFIERS: tuple[tuple[str, str], ...] = (
    # (phrase, effect) -- longest phrases first
    ("no fewer than", "low"),
    ("no less than", "low"),
    ("no more than", "high"),
    ("not more than", "high"),
    ("as many as", "high"),
    ("as much as", "high"),
    ("as few as", "low_approx"),
    ("more or less", "approx"),
    ("at least", "low"),
    ("at most", "high"),
    ("more than", "low"),
    ("greater than", "low"),
    ("higher than", "low"),
    ("less than", "high"),
    ("fewer than", "high"),
    ("lower than", "high"),
    ("upwards of", "low"),
    ("in excess of", "low"),
    ("just over", "low_approx"),
    ("well over", "low"),
    ("just under", "high_approx"),
    ("well under", "high"),
    ("up to", "high"),
    ("close to", "below"),
    ("an estimated", "approx"),
    ("estimated", "approx"),
    ("approximately", "approx"),
    ("roughly", "approx"),
    ("around", "approx"),
    ("about", "approx"),
    ("some", "approx"),
    ("almost", "below"),
    ("nearly", "below"),
    ("over", "low"),
    ("under", "high"),
    ("above", "low"),
    ("below", "high"),
    ("approx", "approx"),
    ("c", "approx"),
    ("ca", "approx"),
    ("~", "approx"),
)

_FUTURE_RE = re.compile(
    r"\b(?:will|'ll|shall|going to|scheduled|expected to|plans? to|set to|due to|is to|are to|upcoming|next)\b",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------- time patterns

_MONTH_RE = (
    r"(?P<{n}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY_RE = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<{n}>1\d{{3}}|20\d\d)"
_WEEKDAY_RE = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"


def _m(name: str) -> str:
    return _MONTH_RE.format(n=name)


def _d(name: str) -> str:
    return _DAY_RE.format(n=name)


def _y(name: str) -> str:
    return _YEAR_RE.format(n=name)


_I = re.IGNORECASE
#: Matched against the lowercased text (same length), so no IGNORECASE needed: it is faster.
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<y>1\d{3}|20\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("slash", re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})\b")),
    (
        "mdy",
        re.compile(
            r"\b" + _WEEKDAY_RE + _m("mo") + r"\s+" + _d("d") + r"(?:\s*,\s*|\s+)" + _y("y") + r"\b",
        ),
    ),
    (
        "dmy",
        re.compile(
            r"\b" + _WEEKDAY_RE + r"(?:the\s+)?" + _d("d") + r"(?:\s+of)?\s+" + _m("mo") + r",?\s+" + _y("y") + r"\b",
        ),
    ),
    ("md", re.compile(r"\b" + _WEEKDAY_RE + _m("mo") + r"\s+" + _d("d") + r"\b(?![:.,]?\d)(?!\s*,?\s*\d{4})")),
    ("dm", re.compile(r"\b" + _WEEKDAY_RE + r"(?:the\s+)?" + _d("d") + r"(?:\s+of)?\s+" + _m("mo") + r"\b")),
    ("my", re.compile(r"\b(?:(?P<q>early|mid|late)[\s-])?" + _m("mo") + r",?\s+(?:of\s+)?" + _y("y") + r"\b")),
    (
        "decade",
        re.compile(
            r"(?:\b(?P<q>early|mid|late)[\s-])?(?:\b(?P<full>1[5-9]\d0|20\d0)|['’](?P<short>\d0))['’]?s\b",
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b(?P<n>\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|"
            r"several|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a couple of)\s+"
            r"(?P<u>day|week|month|year|decade|centur(?:y|ie))s?\s+ago\b",
        ),
    ),
    (
        "rel",
        re.compile(
            r"\b(?:(?P<pre>earlier|later)\s+)?(?P<w>last|this|next|past)\s+"
            r"(?P<u>week(?:end)?|month|year|decade|night|morning|afternoon|evening)\b",
        ),
    ),
    ("word", re.compile(r"\b(?P<w>yesterday|today|tonight|tomorrow)\b")),
    (
        "weekday",
        re.compile(
            r"\b(?:(?P<w>last|this|next|on|past)\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
            r"(?:\s+(?P<part>morning|afternoon|evening|night))?\b",
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(?P<cue>in|on|since|by|until|till|through|during|before|after|from|to|between|and|of|for|"
            r"early|late|mid|last|next|this|past|earlier|later)[\s-]+(?:(?P<q>early|late|mid)[\s-]+)?"
            r"(?P<mo>january|february|march|april|may|june|july|august|september|october|november|december"
            r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?(?![\s-]*\d)",
        ),
    ),
    ("year", re.compile(r"(?<![\d,.$£€¥/-])(?P<y>1\d{3}|20\d\d)(?![\d%]|[.,]\d|\s*(?:%|per\s*cent|percent))\b")),
)

_NUM_WORD = (
    r"\d+(?:[.,]\d+)*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"a dozen|half a|half|a half|a couple of|"
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) and a half"
)
_DURATION_RE = re.compile(
    r"\b(?P<n>(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)?(?:" + _NUM_WORD + r"))"
    r"(?:\s+|-)(?P<u>day|week|month|year|decade|centur(?:y|ie))s?\b(?!-old|\s+old|\s+ago|-long\s+\w+-old)",
)


class _Adder(Protocol):
    def __call__(self, s: int, e: int, value: str | None, gran: Granularity, relative: bool = False) -> None: ...


def _to_date(y: int, mo: int, d: int) -> date | None:
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def _shift_months(d: date, months: int) -> tuple[int, int]:
    total = d.year * 12 + (d.month - 1) + months
    return total // 12, total % 12 + 1


def _future(text: str, start: int, end: int | None = None) -> bool:
    """Whether the clause around ``start`` speaks of the future ("will ... on Tuesday")."""
    left = text[max(0, start - 80) : start]
    cut = max(left.rfind("."), left.rfind("\n"), left.rfind(";"))
    if _FUTURE_RE.search(left[cut + 1 :]):
        return True
    if end is None:
        return False
    right = re.split(r"[.;\n]", text[end : end + 40], maxsplit=1)[0]
    return bool(re.match(r"\W*(?:\w+\W+){0,3}?(?:will|'ll|is to|are to|is expected|are expected)\b", right, _I))


def _number_word(word: str) -> float | None:
    w = word.lower().replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w)
    table = {
        "a": 1.0,
        "an": 1.0,
        "a dozen": 12.0,
        "half a": 0.5,
        "half": 0.5,
        "a half": 0.5,
        "a couple of": 2.0,
        "two and a half": 2.5,
        "one and a half": 1.5,
        "a few": 3.0,
        "several": 3.0,
    }
    if w in table:
        return table[w]
    if w.endswith(" and a half") and (whole := _number_word(w[: -len(" and a half")])) is not None:
        return whole + 0.5  # "four and a half"
    if "-" in w:
        tens, _, unit = w.partition("-")
        if tens in _TENS and unit in _SMALL:
            return float(_TENS[tens] + _SMALL[unit])
        return None
    if w in _SMALL:
        return float(_SMALL[w])
    if w in _TENS:
        return float(_TENS[w])
    return None


def _cap_ok(word: str) -> bool:
    """A month or weekday name must be capitalised ("may" and "march" are also verbs)."""
    return word[:1].isupper()


def _point_times(text: str, lo: int, hi: int, published: date | None) -> list[tuple[int, int, TimeExpr]]:
    found: list[tuple[int, int, TimeExpr]] = []

    def add(s: int, e: int, value: str | None, gran: Granularity, relative: bool = False) -> None:
        if value is None and gran != "relative":
            return
        found.append((s, e, TimeExpr(s, e, text[s:e], value, gran, "point", relative)))

    low = _lower(text)
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(low, lo, hi):
            s, e = m.span()
            g: dict[str, Any] = {
                k: None if v is None else text[m.start(k) : m.end(k)] for k, v in m.groupdict().items()
            }
            if "mo" in g and g["mo"] and kind != "iso":
                if not _cap_ok(g["mo"]):
                    continue
                month = _MONTHS[g["mo"].lower().rstrip(".")]
            if kind == "iso":
                d = _to_date(int(g["y"]), int(g["mo"]), int(g["d"]))
                add(s, e, d.isoformat() if d else None, "day")
            elif kind == "slash":
                a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
                if y < 100:
                    y += 2000 if y < 50 else 1900
                mo_, dd = (a, b) if a <= 12 else (b, a)
                d = _to_date(y, mo_, dd)
                add(s, e, d.isoformat() if d else None, "day")
            elif kind in ("mdy", "dmy"):
                d = _to_date(int(g["y"]), month, int(g["d"]))
                add(s, e, d.isoformat() if d else None, "day")
            elif kind in ("md", "dm"):
                day = int(g["d"])
                if not 1 <= day <= 31:
                    continue
                if published is None:
                    add(s, e, f"XXXX-{month:02d}-{day:02d}", "day", True)
                    continue
                year = published.year
                d = _to_date(year, month, day)
                if d is None:
                    continue
                fut = _future(text, s, e)
                if d > published + timedelta(days=14) and not fut:
                    year -= 1
                elif fut and d < published - timedelta(days=14):
                    year += 1
                d = _to_date(year, month, day)
                add(s, e, d.isoformat() if d else None, "day", True)
            elif kind == "my":
                add(s, e, f"{int(g['y']):04d}-{month:02d}", "month")
            elif kind == "decade":
                if g["full"]:
                    add(s, e, f"{g['full']}s", "decade")
                else:
                    century = 19 if int(g["short"]) > 20 else 20
                    if published is not None and century * 100 + int(g["short"]) > published.year:
                        century -= 1
                    add(s, e, f"{century}{g['short']}s", "decade")
            elif kind == "ago":
                _relative_ago(text, m, published, add)
            elif kind == "rel":
                _relative_unit(m, published, add)
            elif kind == "word":
                w = g["w"].lower()
                if g["w"].isupper() and not _mostly_caps(text, s, e):
                    continue  # "USA TODAY" is a newspaper
                if published is None:
                    add(s, e, None, "relative", True)
                else:
                    delta = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[w]
                    add(s, e, (published + timedelta(days=delta)).isoformat(), "day", True)
            elif kind == "weekday":
                wd_word = g["wd"]
                if not _cap_ok(wd_word):
                    continue
                w = (g["w"] or "").lower()
                if w == "on":
                    s = m.start("wd")
                if published is None:
                    add(s, e, None, "relative", True)
                    continue
                target = _WEEKDAYS[wd_word.lower()]
                back = (published.weekday() - target) % 7
                if w == "next" or (w not in ("last", "past") and _future(text, s, e) and back):
                    delta = (target - published.weekday()) % 7 or 7
                    d = published + timedelta(days=delta)
                elif w in ("last", "past"):
                    d = published - timedelta(days=back or 7)
                else:
                    d = published - timedelta(days=back)
                add(s, e, d.isoformat(), "day", True)
            elif kind == "month":
                mo_word = g["mo"]
                cue = g["cue"].lower()
                if not _cap_ok(mo_word) or (
                    mo_word.isupper() and mo_word in ("MAY", "MARCH") and cue in ("and", "to", "of", "from", "before")
                ) or (cue == "for" and mo_word.lower() == "may"):  # "voted for May": a person as often as a month
                    continue
                month = _MONTHS[mo_word.lower()]
                s = m.start("q") if g["q"] else m.start("mo")
                if cue in ("early", "late", "mid", "last", "next", "this", "past"):
                    s = m.start("cue")
                if cue in ("early", "late", "mid") and text[m.start("cue") - 1 : m.start("cue")].isalpha():
                    continue
                if e > m.end("mo") and mo_word.lower() in _FULL_MONTHS:
                    e = m.end("mo")  # "in March." -- the period ends the sentence
                if published is None:
                    add(s, e, f"XXXX-{month:02d}", "month", True)
                    continue
                if cue == "this":
                    year = published.year
                elif cue == "next" or (cue not in ("last", "past", "since") and _future(text, s, e)):
                    year = published.year if month > published.month else published.year + 1
                elif cue in ("last", "past"):
                    year = published.year if month < published.month else published.year - 1
                else:
                    year = published.year if month <= published.month else published.year - 1
                add(s, e, f"{year:04d}-{month:02d}", "month", True)
            elif kind == "year":
                if _year_is_count(text, s, e):
                    continue
                year_cue = re.search(
                    r"\b(?:in|since|by|of|from|until|till|during|before|after|circa|c\.|year|around)\s+$",
                    text[max(0, s - 12) : s],
                    _I,
                )
                if int(g["y"]) < 1900 and not year_cue:
                    continue
                add(s, e, g["y"], "year")
    return found


def _relative_ago(text: str, m: re.Match[str], published: date | None, add: _Adder) -> None:
    s, e = m.span()
    n = _number_word(m.group("n"))
    unit = m.group("u").lower().rstrip("s")
    unit = "century" if unit.startswith("centur") else unit
    if n is None or published is None:
        add(s, e, None, "relative", True)
        return
    if unit == "day":
        add(s, e, (published - timedelta(days=round(n))).isoformat(), "day", True)
    elif unit == "week":
        iso = (published - timedelta(days=round(7 * n))).isocalendar()
        add(s, e, f"{iso[0]:04d}-W{iso[1]:02d}", "week", True)
    elif unit == "month":
        y, mo = _shift_months(published, -round(n))
        add(s, e, f"{y:04d}-{mo:02d}", "month", True)
    else:
        years = round(n * _UNIT_YEARS[unit][0])
        add(s, e, f"{published.year - years:04d}", "year", True)


def _relative_unit(m: re.Match[str], published: date | None, add: _Adder) -> None:
    s, e = m.span()
    w = m.group("w").lower()
    unit = m.group("u").lower()
    if published is None:
        add(s, e, None, "relative", True)
        return
    step = {"last": -1, "past": -1, "this": 0, "next": 1}[w]
    if unit in ("night", "morning", "afternoon", "evening"):
        if w == "last" and unit == "night":
            add(s, e, (published - timedelta(days=1)).isoformat(), "day", True)
        elif w == "this":
            add(s, e, published.isoformat(), "day", True)
        else:
            add(s, e, None, "relative", True)
    elif unit in ("week", "weekend"):
        iso = (published + timedelta(days=7 * step)).isocalendar()
        add(s, e, f"{iso[0]:04d}-W{iso[1]:02d}", "week", True)
    elif unit == "month":
        y, mo = _shift_months(published, step)
        add(s, e, f"{y:04d}-{mo:02d}", "month", True)
    elif unit == "year":
        add(s, e, f"{published.year + step:04d}", "year", True)
    else:
        decade = (published.year // 10 + step) * 10
        add(s, e, f"{decade}s", "decade", True)


def _lower(text: str) -> str:
    """``text`` lowercased, with every character kept in place (same length)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _mostly_caps(text: str, start: int, end: int) -> bool:
    """Whether the text around a match is written in capitals (a shouted headline)."""
    letters = [c for c in text[max(0, start - 40) : end + 40] if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _year_is_count(text: str, s: int, e: int) -> bool:
    """Whether a bare 1900-2099 number counts things ("2000 troops") rather than naming a year."""
    before = text[max(0, s - 25) : s]
    if re.search(r"[$£€¥]\s*$|\b(?:no\.?|number|flight|route|room|page|resolution|article)\s*$", before, _I):
        return True
    after = re.match(r"\s*([^\W\d_]+)", text[e : e + 30])
    if after and after.group(1).lower() in _COUNT_NOUNS:
        return not re.search(r"\b(?:in|since|by|of|from|until|till|during|before|after|circa)\s+$", before, _I)
    return False


_AND_A_HALF_RE = re.compile(r"\s+and a half\b", re.I)


def _durations(text: str, lo: int, hi: int) -> list[tuple[int, int, TimeExpr]]:
    found: list[tuple[int, int, TimeExpr]] = []
    for m in _DURATION_RE.finditer(_lower(text), lo, hi):
        raw = m.group("n")
        n = _number_word(raw)
        if n is None:
            continue
        if raw.lower() in ("a", "an", "half a", "a half", "half") and m.group("u").lower().rstrip("s") in (
            "day",
            "week",
            "month",
            "year",
        ):
            before = text[max(0, m.start() - 12) : m.start()].lower()
            if not re.search(r"\b(?:for|over|within|in|after|than|nearly|almost|about|some)\s+$", before):
                continue  # "$5 a day", "twice a year" are rates, not durations
        if re.match(r"\d", raw) and text[m.start() - 1 : m.start()] in ("$", "£", "€", "-"):
            continue
        unit = m.group("u").lower().rstrip("s")
        unit = "century" if unit.startswith("centur") else unit
        per, gran = _UNIT_YEARS[unit]
        s, e = m.span()
        if half := _AND_A_HALF_RE.match(text, e):  # "a year and a half"
            n, e = n + 0.5, half.end()
        years = round(n * per, 6)
        found.append((s, e, TimeExpr(s, e, text[s:e], years, gran, "duration")))
    return _joined(text, found)


_JOIN_RE = re.compile(r"(?:,\s*|\s+)and\s+|,\s*")


def _joined(text: str, found: list[tuple[int, int, TimeExpr]]) -> list[tuple[int, int, TimeExpr]]:
    """Durations written in parts ("three years and four months") as one, of the finer
    granularity; parts of falling units only, so a list ("five years and ten years") stays."""
    out: list[tuple[int, int, TimeExpr]] = []
    for s, e, t in found:
        if out:
            ps, pe, prev = out[-1]
            joined = _JOIN_RE.fullmatch(text[pe:s])
            if joined and isinstance(prev.value, float | int) and isinstance(t.value, float | int) \
                    and prev.value > t.value and _UNIT_YEARS[t.granularity][0] < _UNIT_YEARS[prev.granularity][0]:
                total = round(float(prev.value) + float(t.value), 6)
                out[-1] = (ps, e, TimeExpr(ps, e, text[ps:e], total, t.granularity, "duration"))
                continue
        out.append((s, e, t))
    return out


def _resolve_overlaps(items: list[tuple[int, int, TimeExpr]]) -> list[TimeExpr]:
    items.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out: list[TimeExpr] = []
    last_end = -1
    for s, e, t in items:
        if s < last_end:
            continue
        out.append(t)
        last_end = e
    return out


def find_times(text: str, start: int = 0, end: int | None = None, *, published: date | None = None) -> list[TimeExpr]:
    """Time expressions in ``text[start:end]``, offsets into ``text``, in order.

    Relative expressions ("yesterday", "last week", "on Tuesday", "in March", "two years
    ago") are resolved against ``published`` when it is given.
    """
    hi = len(text) if end is None else min(end, len(text))
    lo = max(0, start)
    if lo >= hi:
        return []
    points = _point_times(text, lo, hi, published)
    durations = [(s, e, t) for s, e, t in _durations(text, lo, hi) if not _inside(points, s, e)]
    return _resolve_overlaps(points + durations)


def _inside(items: list[tuple[int, int, TimeExpr]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b, _ in items)


# --------------------------------------------------------------------------- quantities

_TOKEN_RE = re.compile(
    r"US\$|[$£€¥~]|\d+(?:,\d{3})+(?:\.\d+)?|\d*\.\d+|\d+|[^\W\d_]+(?:['’][^\W\d_]+)?|%|[-–]|\S",
)


@dataclass(slots=True)
class _Tok:
    text: str
    low: str
    start: int
    end: int


def _tokens(text: str, lo: int, hi: int) -> list[_Tok]:
    return [_Tok(m.group(), m.group().lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text, lo, hi)]


def _is_digit_tok(tok: _Tok) -> bool:
    return tok.text[:1].isdigit() or (tok.text[:1] == "." and tok.text[1:2].isdigit())


def _adjacent(a: _Tok, b: _Tok) -> bool:
    return a.end == b.start


def _parse_number(toks: list[_Tok], i: int, text: str) -> tuple[int, float, float, float, bool] | None:
    """A number starting at token ``i``: (next index, value, low, high, approximate)."""
    n = len(toks)
    t = toks[i]
    w = t.low

    def scale_at(j: int) -> tuple[int, float]:
        """Scale words after a number ("1.5 million", "3bn"), multiplied; (next index, factor)."""
        factor = 1.0
        while j < n and toks[j].low in _SCALES:
            if toks[j].low in ("bn", "mn", "mln", "bln", "tn") or not _adjacent(toks[j - 1], toks[j]):
                factor *= _SCALES[toks[j].low]
                j += 1
            else:
                break
        if j < n and toks[j].low == "dozen":
            factor *= 12
            j += 1
        return j, factor

    # vague amounts: "a few hundred", "several thousand", "hundreds of", "tens of thousands"
    if w in ("few", "several", "couple", "handful") or (
        w == "a" and i + 1 < n and toks[i + 1].low in ("few", "couple")
    ):
        j = i + 1 if w != "a" else i + 2
        base = {"few": (2.0, 3.0, 9.0), "several": (3.0, 5.0, 9.0), "couple": (2.0, 2.0, 3.0)}.get(
            toks[j - 1].low, (2.0, 3.0, 9.0)
        )
        if j < n and toks[j].low == "of":
            j += 1
        if j < n and (toks[j].low in _SCALES or toks[j].low == "dozen"):
            mult = 12.0 if toks[j].low == "dozen" else _SCALES[toks[j].low]
            j += 1
            return j, base[1] * mult, base[0] * mult, base[2] * mult, True
        return None
    if w == "tens" and i + 2 < n and toks[i + 1].low == "of" and toks[i + 2].low in _PLURAL_SCALES:
        mult = _PLURAL_SCALES[toks[i + 2].low]
        return i + 3, 30 * mult, 20 * mult, 99 * mult, True
    if w in _PLURAL_SCALES:
        mult = _PLURAL_SCALES[w]
        j = i + 1
        if j + 1 < n and toks[j].low == "of" and toks[j + 1].low in ("thousands", "millions") and mult == 100:
            inner = _PLURAL_SCALES[toks[j + 1].low]
            return j + 2, 300 * inner, 200 * inner, 999 * inner, True
        if w == "dozens":
            return j, 36.0, 24.0, 144.0, True
        if w == "scores":
            return j, 60.0, 40.0, 200.0, True
        return j, 3 * mult, 2 * mult, 50 * mult, True  # "thousands" is not false of 25,000

    if _is_digit_tok(t):
        try:
            value = float(t.text.replace(",", ""))
        except ValueError:
            return None
        j, factor = scale_at(i + 1)
        # "3bn", "10m", "5k" written together
        if j == i + 1 and j < n and _adjacent(t, toks[j]):
            suffix = toks[j].low
            currency = i > 0 and toks[i - 1].text in ("$", "£", "€", "¥", "US$")
            if (suffix in ("bn", "b") and currency) or suffix == "bn":
                factor, j = 1e9, j + 1
            elif (suffix in ("m", "mn", "mln") and currency) or suffix in ("mn", "mln"):
                factor, j = 1e6, j + 1
            elif suffix == "k":
                factor, j = 1e3, j + 1
            elif suffix in ("tn", "trn"):
                factor, j = 1e12, j + 1
        v = value * factor
        return j, v, v, v, False

    # spelled out: "a dozen", "two dozen", "twenty-five", "three hundred and fifty thousand", "half a million"
    j = i
    total = 0.0
    current = 0.0
    seen = False
    if w in ("a", "an") and i + 1 < n and (toks[i + 1].low in _SCALES or toks[i + 1].low == "dozen"):
        current, j, seen = 1.0, i + 1, True
    elif w == "half" and i + 2 < n and toks[i + 1].low == "a" and toks[i + 2].low in ("dozen", "million", "billion"):
        current, j, seen = 0.5, i + 2, True
    elif (w in ("a", "three") and i + 4 < n and toks[i + 1].low in ("quarter", "quarters") and toks[i + 2].low == "of"
          and toks[i + 3].low == "a" and toks[i + 4].low in ("million", "billion")):
        current, j, seen = (0.25 if w == "a" else 0.75), i + 4, True  # "a quarter of a million"
    while j < n:
        lw = toks[j].low
        if lw in _SMALL and not (lw == "one" and seen):
            if seen and current % 100 != 0 and current % 10 == 0 and current >= 20 and _SMALL[lw] < 10:
                current += _SMALL[lw]
            elif seen and current and current % 100 != 0:
                break
            else:
                current += _SMALL[lw]
            seen = True
            j += 1
        elif lw in _TENS:
            if seen and current % 100 != 0:
                break
            current += _TENS[lw]
            seen = True
            j += 1
            if (
                j + 1 < n
                and toks[j].text in ("-", "–")
                and toks[j + 1].low in _SMALL
                and _SMALL[toks[j + 1].low] < 10
                and _adjacent(toks[j - 1], toks[j])
                and _adjacent(toks[j], toks[j + 1])
            ):
                current += _SMALL[toks[j + 1].low]
                j += 2
        elif lw == "dozen" and seen:
            current *= 12
            j += 1
        elif lw == "hundred" and seen:
            current = (current or 1) * 100
            j += 1
        elif lw in ("thousand", "million", "billion", "trillion") and seen:
            total += (current or 1) * _SCALES[lw]
            current = 0.0
            j += 1
        elif lw == "and" and seen and j + 1 < n and (toks[j + 1].low in _SMALL or toks[j + 1].low in _TENS):
            if total == 0 and current < 100:
                break
            j += 1
        else:
            break
    if not seen:
        return None
    while j > i and toks[j - 1].low == "and":
        j -= 1
    v = total + current
    # "one" alone is usually a pronoun ("one of the", "no one"); keep it only before a noun
    if j == i + 1 and w == "one":
        nxt = toks[j].low if j < n else ""
        prev = toks[i - 1].low if i > 0 else ""
        if not nxt or nxt in _STOP or not nxt.isalpha() or prev in _NOT_ONE:
            return None
    return j, v, v, v, False


def _modifier_before(toks: list[_Tok], i: int, text: str) -> tuple[int, str] | None:
    """A quantity modifier ending right before token ``i``: (its first token index, effect)."""
    for phrase, effect in _MODIFIERS:
        words = phrase.split()
        k = i - len(words)
        if k < 0:
            continue
        if [t.low for t in toks[k:i]] == words:
            if phrase in ("c", "ca") and not (i - 1 >= 0 and text[toks[i - 1].end : toks[i - 1].end + 1] == "."):
                continue
            return k, effect
    if i >= 2 and toks[i - 1].text == "." and toks[i - 2].low in ("c", "ca", "approx"):
        return i - 2, "approx"
    return None


def _unit_after(toks: list[_Tok], j: int, vague: bool) -> tuple[str | None, int]:
    """The unit following a number that ends before token ``j``: (unit, index after it)."""
    n = len(toks)
    if j >= n:
        return None, j
    t = toks[j]
    if t.text == "%":
        return "%", j + 1
    if t.low in ("percent", "pct"):
        return "%", j + 1
    if t.low == "per" and j + 1 < n and toks[j + 1].low == "cent":
        return "%", j + 2
    if t.low == "percentage" and j + 1 < n and toks[j + 1].low in ("points", "point"):
        return "percentage points", j + 2
    if t.text in ("-", "–") and j + 1 < n and _adjacent(toks[j - 1], t) and toks[j + 1].text.isalpha():
        # "2,000-word", "42-year-old", "12-mile"
        k = j + 1
        parts = [toks[k].low]
        while k + 2 < n and toks[k + 1].text == "-" and toks[k + 2].text.isalpha() and _adjacent(toks[k], toks[k + 1]):
            parts.append(toks[k + 2].low)
            k += 2
        return "-".join(parts), k + 1
    if t.low == "of" and (vague or (j + 1 < n and toks[j + 1].low in ("the", "them", "those", "these", "whom"))):
        k = j + 1
        if k < n and toks[k].low in ("the", "his", "her", "their", "its", "our", "these", "those"):
            k += 1
        if not (k < n and toks[k].text.isalpha() and toks[k].low not in _STOP):
            return None, j
        j = k
    k = j
    skipped = 0
    while k < n and skipped < 2 and toks[k].text.isalpha():
        low = toks[k].low
        skippable = low in _UNIT_SKIP or (toks[k].text[0].isupper() and k + 1 < n and toks[k + 1].text[:1].islower())
        if skippable and k + 1 < n and toks[k + 1].text.isalpha() and toks[k + 1].low not in _STOP:
            k += 1
            skipped += 1
            continue
        break
    if k < n and toks[k].text.isalpha() and toks[k].low not in _STOP:
        unit = toks[k].low
        if (unit.endswith("ed") and unit not in _PARTICIPLE_UNITS) or unit in _PAST_VERBS:
            return None, j
        return unit, k + 1
    return None, j


def _excluded_number(toks: list[_Tok], i: int, text: str) -> bool:
    """Numbers that are labels, ordinals, clock times or parts of codes ("F-16", "COVID-19")."""
    t = toks[i]
    before = text[max(0, t.start - 2) : t.start]
    if before[-1:].isalpha() or (before[-1:] in ("-", "–") and before[:1].isalnum()) or before[-1:] in ("#", "/", ":"):
        return True
    if i > 0 and toks[i - 1].low in _LABEL_WORDS:
        return True
    after = text[t.end : t.end + 6]
    if re.match(r"(?:st|nd|rd|th)\b|[:/]\d|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT|UTC)", after, _I):
        return True
    if re.match(r"[-–][^\W\d_]\b", after):
        return True  # "3-D", "4-H"
    if re.match(r"[.)]\s", after) and re.search(r"(?:^|[\n.!?:]\s*)$", text[max(0, t.start - 3) : t.start]):
        return True  # list numbering: "1. Keep the media happy"
    return bool(re.match(r"-\d", after) and not re.match(r"-\d+\s*(?:%|percent|per\s*cent|million|billion)", after))


def find_quantities(
    text: str, start: int = 0, end: int | None = None, *, times: Sequence[TimeExpr] | None = None
) -> list[Quantity]:
    """Quantities in ``text[start:end]``, offsets into ``text``, in order.

    Years and dates are not quantities; durations ("42 years") are (unit "years"). ``times``
    may pass the result of ``find_times`` over the same window, to save finding them again.
    """
    hi = len(text) if end is None else min(end, len(text))
    lo = max(0, start)
    if lo >= hi:
        return []
    if times is None:
        times = find_times(text, lo, hi)
    blocked = sorted((t.start, t.end) for t in times if t.kind == "point")
    starts = [b[0] for b in blocked]

    def is_blocked(pos: int) -> bool:
        k = bisect.bisect_right(starts, pos) - 1
        return k >= 0 and blocked[k][0] <= pos < blocked[k][1]

    toks = _tokens(text, lo, hi)
    out: list[Quantity] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if is_blocked(t.start):
            i += 1
            continue
        if _is_digit_tok(t) and _excluded_number(toks, i, text):
            i += 1
            continue
        first = i
        currency: str | None = None
        if t.text in ("$", "£", "€", "¥", "US$") and i + 1 < n and _is_digit_tok(toks[i + 1]):
            currency = "$" if t.text == "US$" else t.text
            i += 1
        parsed = _parse_number(toks, i, text)
        if parsed is None:
            i = first + 1
            continue
        j, value, low, high, approx = parsed
        vague = approx
        if any(is_blocked(tok.start) for tok in toks[i:j]):
            i = first + 1
            continue
        negative = first == i and i > 0 and toks[i - 1].text in ("-", "–") and _adjacent(toks[i - 1], t)
        if negative and (i < 2 or not _adjacent(toks[i - 2], toks[i - 1])):
            value, low, high = -value, -high, -low
            first = i - 1
        lo_b: float | None = low
        hi_b: float | None = high
        # ranges: "between 10 and 12", "10 to 12", "10-12", "two or three"
        range_start = first
        if j + 1 < n and toks[j].low in ("to", "and", "or", "-", "–"):
            sep = toks[j]
            between = first > 0 and toks[first - 1].low in ("between", "from")
            if sep.low in ("to", "-", "–") or (sep.low == "and" and between) or sep.low == "or":
                k = j + 1
                if currency and k < n and toks[k].text == toks[first].text:
                    k += 1
                second = _parse_number(toks, k, text) if k < n else None
                if second is not None and not (sep.low in ("-", "–") and not _adjacent(sep, toks[k])):
                    j2, v2, _l2, h2, a2 = second
                    if not any(is_blocked(tok.start) for tok in toks[k:j2]):
                        scale_word = toks[j2 - 1].low
                        if scale_word in _SCALES and toks[j - 1].low not in _SCALES and value < _SCALES[scale_word]:
                            factor = _SCALES[scale_word]
                            value, low = value * factor, low * factor
                        if v2 > value:
                            lo_b, hi_b = low, h2
                            value = (low + h2) / 2
                            approx = approx or a2
                            j = j2
                            if between:
                                range_start = first - 1
        unit, after = _unit_after(toks, j, vague)
        if currency:
            unit = currency
            after = j
        if unit is None and j < n and toks[j].low in ("dollars", "euros", "pounds", "yen", "rupees"):
            unit, after = toks[j].low, j + 1
        mod = _modifier_before(toks, range_start, text)
        span_start = toks[range_start].start
        if mod is not None:
            k, effect = mod
            span_start = toks[k].start
            if effect == "low":
                hi_b = None
            elif effect == "high":
                lo_b = None
            elif effect == "low_approx":
                hi_b, approx = value * 1.1, True
            elif effect == "high_approx":
                lo_b, approx = value * 0.9, True
            elif effect == "below":
                lo_b, hi_b, approx = value * 0.9, value, True
            elif effect == "approx" and lo_b == hi_b:
                lo_b, hi_b, approx = value * 0.9, value * 1.1, True
            else:
                approx = True
        span_end = toks[j - 1].end
        if unit == "%" or unit == "percentage points":
            span_end = toks[after - 1].end
        if unit is not None and after > j and toks[j].text in ("-", "–"):
            span_end = toks[after - 1].end
        out.append(
            Quantity(
                start=span_start,
                end=span_end,
                text=text[span_start:span_end],
                value=value,
                low=lo_b,
                high=hi_b,
                unit=unit,
                approximate=approx,
            )
        )
        i = max(j, first + 1)
    return out
