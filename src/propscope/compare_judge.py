"""Whether two aligned sentences from different articles agree, conflict, or differ harmlessly.

Precision comes first: a conflict is only reported when both sentences speak of the same
predicate (or each has a single value of that kind), the values cannot both be true (their
intervals do not overlap), and nothing explains the difference: not different reference
times ("2.9% in April" vs "3.2% in May"), not different named sources ("police said" vs
"organisers said").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from propscope.compare_attributes import attribute_conflicts
from propscope.compare_harm import rules_out
from propscope.compare_values import (
    CONVERTED_UNITS,
    FUNCTION_WORDS,
    INF,
    LENGTH_UNITS,
    MEASURES,
    MONEY_UNITS,
    SAME_SENSE,
    Sentence,
    Value,
    as_monthday,
    comparable,
    comparable_times,
    denied_count,
    denies,
    measure_key,
    past_start,
    predicate,
    same_measure,
    stem,
)

AGREES = "agrees"
CONTRADICTS = "contradicts"
COMPATIBLE = "compatible"
ONLY_IN = "only_in"

_PERIOD_DAYS = 27  # a reference time at least this long (a month, a year) dates a statistic
_MONTH_DAYS = 31


@dataclass(frozen=True)
class Conflict:
    """Two values (or a polarity, place, role) that cannot both be true."""

    kind: str
    first: str
    second: str
    explanation: str
    first_span: tuple[int, int] | None = None
    second_span: tuple[int, int] | None = None
    confidence: float | None = None  # the learned judge's probability; None for the rules


def value_conflict(va: Value, vb: Value, confidence: float | None = None) -> Conflict:
    """The conflict between two values that cannot both be true."""
    why = f"{_describe(va)} and {_describe(vb)} cannot both be true"
    if confidence is not None:
        why += f" (learned judge, {confidence:.2f})"
    return Conflict(_kind(va), _describe(va), _describe(vb), why, (va.start, va.end), (vb.start, vb.end), confidence)


@dataclass
class Judgement:
    relation: str
    conflicts: list[Conflict] = field(default_factory=list)
    matches: list[tuple[Value, Value]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    measures: set[str] = field(default_factory=set)  # what the linked values measure (see measure_key)


@dataclass(frozen=True)
class Context:
    """What the judgement may look up beyond the two sentences."""

    article_times: Mapping[int, Sequence[Value]]  # every point time of each article
    article_clusters: Mapping[int, frozenset[int]]  # entity clusters each article mentions


# --------------------------------------------------------------------------- values


def _kind(v: Value) -> str:
    if v.kind == "time":
        return "date"
    return "duration" if v.kind == "duration" else "number"


_WRITTEN_RE = re.compile(r"\d[\d,]*(?:\.(\d+))?")


def _number_written(v: Value) -> tuple[float, int, int] | None:
    """(number, decimals, trailing zeros) of the one number a value's text writes ("£8.3
    million": 8.3, 1, 0; "around 300": 300, 0, 2), or None for none or several."""
    found = list(_WRITTEN_RE.finditer(v.text))
    if len(found) != 1:
        return None
    digits = found[0][0].replace(",", "")
    decimals = len(found[0][1] or "")
    return float(digits), decimals, 0 if decimals else len(digits) - len(digits.rstrip("0"))


def _rounding(v: Value) -> float:
    """Half a unit of the last digit an exact figure is written to, in the value's own scale
    ("54%" covers 54.2%, "£8 million" covers £8.3 million)."""
    if v.kind != "quantity" or v.low != v.high:
        return 0.0
    first = _WRITTEN_RE.search(v.text)
    decimals = len(first[1] or "") if first else 0
    one = _number_written(v)
    scale = v.low / one[0] if one and one[0] and (v.unit in MONEY_UNITS or v.unit in CONVERTED_UNITS) else 1.0
    return 0.5 * 10**-decimals * scale


def _approximate_bounds(v: Value) -> tuple[float, float]:
    """The bounds of a value, an approximate round figure widened to half its rounding unit
    ("around £300" covers 250 to 350, "about 40,000" 35,000 to 45,000)."""
    one = _number_written(v)
    if v.low == v.high or not (-INF < v.low < v.high < INF) or one is None or not one[0] or not one[2]:
        return v.low, v.high
    number, _, zeros = one
    mid = (v.low + v.high) / 2
    scale = mid / number  # 1, or 1e3, 1e6 ... for "thousand", "million"
    if not any(abs(scale - 10**k) < 1e-6 * 10**k for k in (0, 3, 6, 9, 12)):
        return v.low, v.high  # one-sided ("nearly 300")
    half = 0.5 * 10**zeros * scale
    return min(v.low, mid - half), max(v.high, mid + half)


def overlap(va: Value, vb: Value) -> bool:
    """Whether both values can be true at once (times without a year compare month and day;
    exact figures up to their rounding)."""
    if va.kind == "time" and "monthday" in (va.unit, vb.unit):
        return as_monthday(va).overlaps(as_monthday(vb))
    if va.kind == "quantity":
        if va.peak and vb.peak:  # two greatest values ("up to 94 mph" / "the strongest gust, 81 mph"): their tops
            va, vb = (replace(v, low=v.high) if v.low == -INF < v.high < INF else v for v in (va, vb))
        slack = max(_rounding(va), _rounding(vb))
        (a_low, a_high), (b_low, b_high) = _approximate_bounds(va), _approximate_bounds(vb)
        if slack:  # a figure on the edge of the other's rounding is written as itself: "4.5%" is not "5%"
            return a_low - slack < b_high and b_low - slack < a_high
        return a_low <= b_high and b_low <= a_high
    if va.kind == "duration":  # "a 52-week study" / "over a year"
        return va.low * 0.99 <= vb.high and vb.low * 0.99 <= va.high
    return va.overlaps(vb)


def _partners(va: Value, a: Sentence, b: Sentence, similarity: float) -> list[Value]:
    """The values of ``b`` that speak of what ``va`` speaks of."""
    candidates = [vb for vb in b.values if comparable(va, vb, a, b, similarity)]
    anchored = [vb for vb in candidates if va.anchor and va.anchor == vb.anchor]
    if anchored:
        return anchored
    alike = [x for x in a.values if x is va or (comparable_times(x, va) and same_measure(x, va, subjects=False))]
    return candidates if len(candidates) == 1 and len(alike) == 1 else []


def _may_clash(va: Value, vb: Value) -> bool:
    """Whether two differing values may be called a conflict: dates only when both are tied
    to one predicate ("opened in 1998" / "opened in 2011") or, tied to none, share a word next to them
    ("sworn in on 3 March" / "sworn in on 17 March"); a fire's date and the year a block was
    completed share words ("the block") but not what the date is of."""
    if va.kind != "time":
        return True
    if va.unit == "weekday":  # "began Friday" / "began Saturday"; else as ``comparable`` allows
        return va.anchor == vb.anchor or not (va.anchor and vb.anchor)
    if va.unit == "clock":
        return va.anchor == vb.anchor  # compared only as ``comparable`` allows
    if va.anchor or vb.anchor:
        return va.anchor == vb.anchor
    return bool(va.near & vb.near)


def _value_links(
    a: Sentence, b: Sentence, similarity: float
) -> tuple[list[tuple[Value, Value]], list[tuple[Value, Value]]]:
    """(matching pairs, clashing pairs) of values, each pair as (value of a, value of b)."""
    matches: dict[tuple[int, int, int, int], tuple[Value, Value]] = {}
    clashes: dict[tuple[int, int, int, int], tuple[Value, Value]] = {}
    for first, second, flip in ((a, b, False), (b, a, True)):
        for v in first.values:
            partners = _partners(v, first, second, similarity)
            if not partners:
                continue
            agreeing = [w for w in partners if overlap(v, w)]
            if not agreeing and not _may_clash(v, partners[0]):
                continue
            pair = (v, agreeing[0] if agreeing else partners[0])
            pair = (pair[1], pair[0]) if flip else pair
            key = (pair[0].start, pair[0].end, pair[1].start, pair[1].end)
            (matches if agreeing else clashes)[key] = pair
    # a figure that agrees with one of two estimates in the other sentence ("organisers said
    # 10,000; police put it at about 3,000") is not contradicted by the other estimate
    agreed = {id(v) for pair in matches.values() for v in pair}
    kept = [pair for key, pair in clashes.items()
            if key not in matches and not (pair[0].kind == "quantity" and agreed & {id(pair[0]), id(pair[1])})]
    return list(matches.values()), kept


# --------------------------------------------------------------------------- excuses


def _is_period(v: Value) -> bool:
    return v.high - v.low >= _PERIOD_DAYS


def _dating(s: Sentence, v: Value) -> list[Value]:
    """The times of a sentence that may date a figure: not those tied to another predicate
    ("Built in 2016, the 310-metre ship": 2016 dates the building, not the length)."""
    return [x for x in s.refs if not x.anchor or x.anchor == v.anchor]


def _times_differ(a: Sentence, b: Sentence, va: Value, vb: Value, ctx: Context) -> str | None:
    """Why the two sentences may speak of different times, or None."""
    refs_a, refs_b = _dating(a, va), _dating(b, vb)
    if refs_a and refs_b:
        if not any(overlap(x, y) for x in refs_a for y in refs_b):
            return f"different times: {', '.join(x.text for x in refs_a)} / {', '.join(y.text for y in refs_b)}"
        return None
    if a.weekdays and b.weekdays and not a.weekdays & b.weekdays:
        return f"different days: {', '.join(sorted(a.weekdays))} / {', '.join(sorted(b.weekdays))}"
    for other, refs, other_refs in ((b, refs_a, refs_b), (a, refs_b, refs_a)):
        periods = [x for x in refs if _is_period(x)]
        if periods and not other_refs:
            known = ctx.article_times[other.article]  # a longer period ("records began in 2011") dates nothing here
            if not any(overlap(x, y) for x in periods for y in known if y.high - y.low <= x.high - x.low):
                return f"only one side is dated ({', '.join(x.text for x in periods)})"
    if not refs_a and not refs_b and va.unit == "%":
        leads = [_lead_period(ctx.article_times[s.article]) for s in (a, b)]
        if leads[0] and leads[1] and not overlap(leads[0], leads[1]):
            return f"different times: the articles report {leads[0].text} / {leads[1].text}"
    return None


def _lead_period(times: Sequence[Value]) -> Value | None:
    """The first month an article dates anything by, when it dates by months: what its
    undated rates are about ("Prices rose 3.2% in May ... Food prices climbed 5.1%")."""
    first = next((x for x in times if _is_period(x)), None)
    return first if first and first.high - first.low <= _MONTH_DAYS else None


def _counts_units(s: Sentence) -> set[str]:
    return {v.unit for v in s.values if v.kind == "quantity"}


#: Words that make a dated figure one event ("the old record, 36.1C, was set in 2003", "the last
#: major outbreak, in 2009, killed 41", "18 million trees since 2020").
_ONE_EVENT_RE = re.compile(r"\b(?:record|last|previous|first|since|began|begun|started)\b", re.I)


def _one_dated_figure(a: Sentence, b: Sentence) -> bool:
    """Whether both sentences give one figure alike and speak of one event: then their dates are
    of that event, not of two periods."""
    return bool(_ONE_EVENT_RE.search(a.text) or _ONE_EVENT_RE.search(b.text)) and any(
        x.kind == y.kind == "quantity" and x.unit == y.unit and overlap(x, y) for x in a.values for y in b.values)


def _sources(s: Sentence) -> frozenset[str]:
    return s.sources or frozenset({s.source} if s.source else ())


#: A part of an area a figure may be restricted to ("Yields in the south averaged 2.2 tonnes").
_REGION_RE = re.compile(r"\b(?:in|across) the (?:(?:far|deep) )?((?:north|south)(?:-?(?:east|west))?|east|west|"
                        r"(?:north|south|east|west)ern (?:part|half|region|districts?|areas?)|rural areas|countryside|"
                        r"cities|towns|suburbs|capital)\b", re.I)


def _region(s: Sentence) -> str | None:
    found = _REGION_RE.search(s.text)
    return found[1].lower() if found else None


def _estimate(va: Value, vb: Value) -> bool:
    """Whether two figures may be estimates that sources differ on: a count of people (a crowd,
    a toll) or a figure either side gives as approximate; exact counts of things and dates
    are facts ("closed four wards" / "three wards have been closed")."""
    return va.kind == "quantity" and (va.unit == "people" or va.low != va.high or vb.low != vb.high)


_ESTIMATE_RE = re.compile(r"\bestimat(?:e|es|ed|ing)\b", re.I)
#: An estimate or a valuation ("police valued the goods at", "put the value of the watches at").
_VALUATION_RE = re.compile(
    _ESTIMATE_RE.pattern + r"|\bvalu(?:ed|ing)\b|\bput (?:the|its|their) (?:value|losses|cost)\b", re.I)
#: A time that dates a statement, not what it reports ("their organiser said on Monday").
_STATEMENT_TIME_RE = re.compile(r"\b(?:said|says|announced|confirmed|stated|added|warned|revealed|wrote"
                                r"|told(?:\s+[\w-]+)?)"
                                r"(?:\s+(?:the|its|their|his|her|a|an)\s+[\w-]+|\s+by(?:\s+[\w-]+){1,4})?"
                                r"\s+(?:on|late|early|last|this)?\s*$", re.I)
#: A stretch of time from now ("due to start in ten days' time"), not how long something lasts.
_FROM_NOW_BEFORE_RE = re.compile(r"\bin\s+(?:about|around|roughly|just|only|another)?\s*$", re.I)
_FROM_NOW_AFTER_RE = re.compile(r"^\s*(?:['’]s?\s+time\b|time\b|from now\b)", re.I)
_INTRADAY_RE = re.compile(r"\b(?:in|during)\s+(?:early|morning|afternoon|late|midday|intraday|lunchtime)\s+"
                          r"(?:trading|trade|deals)\b|\bat one (?:point|stage)\b", re.I)
_VERTICAL_BEFORE_RE = re.compile(r"\b(?:depth|height|altitude|elevation) of\s*(?:about|around|some|roughly|up to)?\s*$",
                                 re.I)
_VERTICAL_AFTER_RE = re.compile(r"^[\s-]*(?:km|kilomet(?:re|er)s?|met(?:re|er)s?|m|miles?|feet|ft)?[\s-]*"
                                r"(?:deep|down|below|beneath|underground|high|tall|above|up)\b", re.I)


def _vertical(v: Value, s: Sentence) -> bool:
    """Whether a length is a depth or height ("a depth of 10 km", "40 kilometres below the
    surface", "an altitude of 550 km"), not a distance along the ground."""
    at, end = v.start - s.start, v.end - s.start
    return bool(_VERTICAL_BEFORE_RE.search(s.text[max(0, at - 30) : at]) or _VERTICAL_AFTER_RE.match(s.text[end:]))


def _statement_time(v: Value, s: Sentence) -> bool:
    """Whether a day or date is when something was said ("their organiser said on Monday")."""
    at = v.start - s.start
    return v.unit != "clock" and bool(_STATEMENT_TIME_RE.search(s.text[max(0, at - 50) : at]))


_SAID_ON_RE = re.compile(r"\b(?:said|says|told(?:\s+[\w-]+)?)\s+(?:on|late|early|last|this)?\s*$", re.I)


def _said_on(v: Value, s: Sentence) -> bool:
    """Whether a day or date is when someone spoke ("officials said on Friday"), not when
    something was announced or confirmed (one announcement has one day)."""
    at = v.start - s.start
    return v.unit != "clock" and bool(_SAID_ON_RE.search(s.text[max(0, at - 30) : at]))


def _from_now(v: Value, s: Sentence) -> bool:
    """Whether a duration counts from now ("in ten days' time")."""
    at, end = v.start - s.start, v.end - s.start
    return bool(_FROM_NOW_BEFORE_RE.search(s.text[max(0, at - 20) : at]) and _FROM_NOW_AFTER_RE.match(s.text[end:]))


#: A sentence about what is to come ("will close", "is due to open", "plans to cut").
_FUTURE_RE = re.compile(r"\b(?:will|would|shall|is to|are to|due to|set to|scheduled to|expected to|plans? to|"
                        r"planned|intends? to|going to)\b", re.I)
_CONDITION_RE = re.compile(r"\b(?:once|if|unless|until|when|whenever)\b", re.I)


def _two_plans(a: Sentence, b: Sentence, va: Value, vb: Value) -> bool:
    """Whether both sentences say what is to come ("would end in 2025" / "will end in 2026"), and
    neither figure is a condition ("once the reservoir reached 60 per cent")."""
    def conditional(v: Value, s: Sentence) -> bool:
        clause = re.split(r"[,.;:]", s.text[max(0, v.start - s.start - 80) : v.start - s.start])[-1]
        return bool(_CONDITION_RE.search(clause))

    return bool(_FUTURE_RE.search(a.text) and _FUTURE_RE.search(b.text)) and not (
        conditional(va, a) or conditional(vb, b))


def _framing(a: Sentence, b: Sentence, va: Value, vb: Value, forecasts: bool = True) -> str | None:
    """Why two sentences' values need not agree: different sources, a forecast against a
    reported value (unless ``forecasts`` is false), an updated figure, another group of people,
    different relative periods."""
    if _sources(a) and _sources(b) and not _sources(a) & _sources(b) and _estimate(va, vb):
        return f"attributed to different sources ({a.source} / {b.source})"
    if va.kind == "quantity" and va.unit in MONEY_UNITS and _VALUATION_RE.search(a.text) \
            and _VALUATION_RE.search(b.text) and not _sources(a) & _sources(b):
        return "two estimates or valuations"  # "police valued the goods at" / "the shop estimated its losses at"
    if (_sources(a) or _sources(b)) and not (_sources(a) and _sources(b)) and _ESTIMATE_RE.search(a.text + b.text) \
            and va.kind == "quantity" and va.low != va.high and vb.low != vb.high:
        return "estimates, one of them attributed"  # "An estimated 10,000 fish" / "Anglers estimate more than 12,000"
    if forecasts and va.forecast != vb.forecast and not _two_plans(a, b, va, vb):
        return "a forecast or plan against a reported value"
    if va.kind == "quantity" and bool(_INTRADAY_RE.search(a.text)) != bool(_INTRADAY_RE.search(b.text)):
        return "different times of the trading day"  # "fell 2% in early trading" / "closed 3% higher"
    if va.kind == "quantity" and va.unit in LENGTH_UNITS and _vertical(va, a) != _vertical(vb, b):
        return "a depth or height and a distance"  # "at a depth of 10 km" / "40 km south of the town"
    if va.kind == "quantity" and (a.update or b.update) and va.earlier is None:  # earlier figures: one time
        return "a figure updated over time"
    if va.other != vb.other:
        return "one counts another group"
    regions = (_region(a), _region(b))
    if regions[0] != regions[1]:
        return f"one figure is for a part of the area ({regions[0] or regions[1]})"
    if va.kind == "quantity" and (a.relative or b.relative):
        pa, pb = _period_of(va, a), _period_of(vb, b)
        if pa != pb and va.unit not in LENGTH_UNITS:  # a report's period does not change a ship's length
            return f"different times: {', '.join(sorted(a.relative | b.relative))}"
    return None


#: Nouns that count people of every kind; a count of one kind ("residents") may be part of them.
_EVERYONE = frozenset({"people", "persons", "dead", "killed", "deaths", "fatalities", "victims", "injured",
                       "wounded", "casualties"})


def _noun(v: Value) -> str:
    return v.shown.rsplit(" ", 1)[-1].lower() if " " in v.shown else ""


#: "with 214 passengers on board" / "carrying 231 people": the crew make the difference
_ABOARD_RE = re.compile(r"\b(?:on board|aboard|carrying|carried)\b", re.I)
_INCLUDING_RE = re.compile(r"\b(?:including|among them|among the)\b", re.I)
_TOTAL_RE = re.compile(r"\b(?:in total|in all|altogether|overall|between them|combined|worldwide|globally|"
                       r"nationwide)\b", re.I)
_ALONE_RE = re.compile(r"\b(?:alone|by itself|on its own)\b", re.I)  # "Bluewing Airways alone cancelled 210"
#: Sites of a business: a workforce counted at one is a part of the company's.
_SITE_RE = re.compile(r"\b(?:plant|factory|site|mill|warehouse|depot|branch|store|office|campus|mine|refinery|"
                      r"works|hospital|school)\b", re.I)


def _total_and_part(a: Sentence, b: Sentence, va: Value, vb: Value) -> bool:
    """Whether one sentence gives a total ("860,000 patients are on waiting lists in total",
    "employs 90,000 people worldwide") and the other a smaller figure that may be a part of it
    ("86,000 are waiting more than six months", "Bluewing alone cancelled 210 flights", "the
    plant employs 1,900 people")."""
    for whole, part, wv, pv in ((a, b, va, vb), (b, a, vb, va)):
        if pv.low > wv.high:
            continue
        if _TOTAL_RE.search(whole.text) and not _TOTAL_RE.search(part.text):
            return True
        if _ALONE_RE.search(part.text) and not _ALONE_RE.search(whole.text):
            return True
        if "employ" == wv.anchor == pv.anchor and _SITE_RE.search(part.text) and not _SITE_RE.search(whole.text):
            return True  # "Vantor employs about 90,000 people" / "The Vardeno plant employs 1,900 people"
    return False


def _within(a: Sentence, b: Sentence, va: Value, vb: Value) -> bool:
    """Whether one count of people may be a group within the other ("seven residents" /
    "nine people, including two firefighters"): a sentence says the count holds groups, one
    counts everyone, the other one kind, and the kind's count is no larger."""
    if va.kind != "quantity" or va.unit != "people" or _noun(va) == _noun(vb):
        return False
    including = bool(_INCLUDING_RE.search(a.text) or _INCLUDING_RE.search(b.text))
    for whole, part in ((va, vb), (vb, va)):
        if _noun(whole) in _EVERYONE and _noun(part) not in _EVERYONE and part.low <= whole.high and (
                including or (_noun(part) == "passengers" and _ABOARD_RE.search(a.text + " " + b.text))):
            return True
    return False


#: "the region's last deadly earthquake", "the previous election", "an earlier strike"
_EARLIER_EVENT_RE = re.compile(
    r"\b(?:last|previous|earlier|prior)\s+(?:[a-z]+\s+){0,2}(?:earthquake|quake|tremor|flood|fire|blaze|attack|crash|"
    r"election|vote|referendum|strike|storm|outbreak|collapse|disaster|war|match|final|race|record|survey|census|"
    r"report|budget|inspection|visit|exercise|festival|edition|tournament|championship|games|summit|conference|"
    r"contest|campaign|meeting|auction|protest|march|rally|proposal|plan|bid|attempt|offer|deal)s?\b", re.I)


def _speaks_of_earlier(s: Sentence) -> bool:
    """Whether a sentence's own claim (not an "up from ..." clause) is about an earlier event."""
    return bool(_EARLIER_EVENT_RE.search(s.text[: past_start(s.text)]))


_SCALE_APART = 50.0  # two figures this many times apart are not one figure misreported


def _scale_apart(va: Value, vb: Value) -> bool:
    """Whether two figures differ by orders of magnitude ("it cost €410 million" / "a ticket
    costs €2.10"): a misreport changes a figure, not its scale."""
    small = min(va.high, vb.high)
    big = max(va.low, vb.low)
    return 0 < small < INF and big / small > _SCALE_APART


_PERIOD_REACH = 40  # characters between a figure and a relative period that dates it
_OPENING_RE = re.compile(r"(?:(?:in|during|for|over|across|through|by)\s+)?(?:the\s+)?")  # "In the first quarter, ..."
_CLAUSE_BREAK_RE = re.compile(r"[,;]| and | but | while | as ")


def _period_of(v: Value, s: Sentence) -> str | None:
    """The relative period written nearest a figure, if near enough to date it ("2.1 million
    visitors last year, and expects more this year": last year), or opening the sentence
    ("Last winter the average wait was six hours and ten minutes", "In the first quarter, ...")."""
    text = s.text.lower()
    start, end = v.start - s.start, v.end - s.start
    found = [(max(at - end, start - at - len(p)), p, at) for p in s.relative if (at := text.find(p)) >= 0]
    near = [(gap, p) for gap, p, at in found
            if _OPENING_RE.fullmatch(text[:at])
            or (gap <= _PERIOD_REACH and not _CLAUSE_BREAK_RE.search(text[min(end, at) : max(start, at)]))]
    return min(near)[1] if near else None


def _sum_of_parts(v: Value, s: Sentence) -> bool:
    """Whether two figures of ``s`` in ``v``'s unit add up to ``v`` ("186 people on board" /
    "180 passengers and six crew"; "more than 40 people" / "38 patients and 11 staff"). An open
    bound takes only parts that add up to at most half as much again ("at least 19" is no sum of
    any two larger figures)."""
    if v.kind != "quantity":
        return False
    high = v.high if v.high < INF else v.low * 1.5
    parts = [x for x in s.values if x.kind == "quantity" and x.unit == v.unit and x.high < high]
    return any(x.low + y.low <= high and v.low <= x.high + y.high
               for k, x in enumerate(parts) for y in parts[k + 1 :])


#: a year or date that is one end of a range ("between 2015 and 2024", "from 2018 to 2022")
_RANGE_START_RE = re.compile(r"\b(?:between|from)\s+(?:the\s+)?$", re.I)
_RANGE_END_RE = re.compile(r"\b(?:and|to|through|until)\s+$", re.I)
#: A point in time dated by these words is the start of what follows it, as "from" dates one.
_BEGINS_RE = re.compile(r"\b(?:begin|begins|began|begun|start|starts|started|comes? into force|came into force|"
                        r"takes? effect|took effect|commenc(?:e|es|ed))\b", re.I)


def _range_role(v: Value, s: Sentence) -> str | None:
    """What end of a range a time is: "start" of a closed range ("between 2015 and 2024"),
    "from" for an open start ("a strike from Friday"), "end", or None for a point in time."""
    at = v.start - s.start
    closed = any(x.kind == "time" and v.end <= x.start < v.end + 20 and _RANGE_END_RE.search(
        s.text[max(0, x.start - s.start - 10) : x.start - s.start]) for x in s.values)
    if _RANGE_START_RE.search(s.text[max(0, at - 14) : at]) or closed:
        return "start" if closed else "from"
    end = bool(_RANGE_END_RE.search(s.text[max(0, at - 14) : at])) and any(
        x.kind == "time" and x.end <= v.start and x.end > v.start - 20 for x in s.values)
    return "end" if end else None


def _range_apart(va: Value, a: Sentence, vb: Value, b: Sentence) -> bool:
    """Whether two times are different ends of ranges, or one end of a range and a point in
    time ("between 1998 and 2001" / "in 2003", "forecast from Tuesday" / "on Monday"); two
    starts ("between 2027 and 2033" / "from 2026") compare, as do an open start and a point
    something begins at ("from 3 March" / "will begin on 17 March")."""
    ra, rb = _range_role(va, a), _range_role(vb, b)
    if {ra, rb} == {"from", None}:  # "bin collections from 3 March" / "collections will begin on 17 March"
        point, s = (vb, b) if rb is None else (va, a)
        at = point.start - s.start
        return not _BEGINS_RE.search(re.split(r"[,;:]", s.text[max(0, at - 60) : at])[-1])
    return ra != rb and {ra, rb} != {"start", "from"}


def _date_written_in(v: Value, s: Sentence) -> bool:
    """Whether a sentence gives the date ``v`` too ("married in 1961; he died in 2003" / "died
    in 2003"): its other date is of something else."""
    return any(w is not v and w.unit == "date" and (w.low, w.high) == (v.low, v.high) for w in s.values)


def _written_in(v: Value, s: Sentence) -> bool:
    """Whether a sentence writes the figure ``v`` too, or, for an approximate figure ("roughly
    90,000"), a number within its bounds ("compared with 90,000 before it closed")."""
    if v.low in s.numbers:
        return True
    return -INF < v.low < v.high < INF and any(v.low <= n <= v.high for n in s.numbers)


#: a share said to be a turnout: "Turnout was 49%", "on a turnout of 58%", "with turnout at
#: 71%" (no other figure between), "41% of registered voters took part"
_TURNOUT_BEFORE_RE = re.compile(r"\bturnout\b[^\d.;]*$", re.I)
_TURNOUT_AFTER_RE = re.compile(r"^[^\d.;,]{0,40}?\b(?:took part|turned out|went to the polls|voted at all|"
                               r"cast (?:a |their )?ballots?|returned (?:their )?(?:papers|ballots))\b", re.I)


def _turnout(v: Value, s: Sentence) -> bool:
    """Whether a share is a turnout rather than a share of those who voted."""
    at, end = v.start - s.start, v.end - s.start
    return bool(_TURNOUT_BEFORE_RE.search(s.text[max(0, at - 60) : at])
                or _TURNOUT_AFTER_RE.search(s.text[end : end + 60]))


_TERM_BEFORE_RE = re.compile(r"\b(?:sentenced|jailed|imprisoned|locked up|(?:jail|prison) term of|"
                             r"sentence of)\b[^.;]*$", re.I)
_TERM_AFTER_RE = re.compile(r"^\W*(?:[\w-]+\s+){0,2}?(?:in (?:prison|jail|custody)|behind bars|jail|prison|sentence)\b",
                            re.I)


def _prison_term(v: Value, s: Sentence) -> bool:
    """Whether a duration is a prison term ("jailed for six years", "five years behind bars",
    "a six-year sentence"), not how long something else lasted ("treasurer for 14 years")."""
    at, end = v.start - s.start, v.end - s.start
    return bool(_TERM_BEFORE_RE.search(s.text[max(0, at - 40) : at]) or _TERM_AFTER_RE.match(s.text[end : end + 30]))


_SEVERE_RE = re.compile(r"\b(?:seriously|critically|badly|gravely|severely|slightly|minor|serious|critical|"
                        r"life-threatening|life-changing)\b", re.I)


def _injured_count(v: Value) -> bool:
    """Whether a figure counts people (or the injured)."""
    return v.unit == "people" or "injur" in v.unit


def _severe(v: Value, s: Sentence) -> bool:
    """Whether a count of people hurt counts only the badly (or slightly) hurt ("three people
    seriously hurt", "two in a critical condition"): the words after it, to the next figure
    or comma."""
    end = v.end - s.start
    after = re.split(r"[\d,;]", s.text[end : end + 80])[0]
    return bool(_SEVERE_RE.search(after))


def _measures_apart(a: Sentence, b: Sentence) -> bool:
    """Whether the changes two sentences report are of different measures ("Pre-tax profit rose
    12% to £184 million" / "Sales rose 5% to £2.31bn"): then none of their sums or shares is
    one figure, the ones without a verb of their own ("to £184 million") included."""
    heads = [{v.subject[-1] for v in s.values if v.anchor == "level" and v.subject and v.subject[-1] in MEASURES}
             for s in (a, b)]
    return bool(heads[0] and heads[1]) and not heads[0] & heads[1]


_PER_YEAR_RE = re.compile(r"\b(?:a|per|each) year\b|\bannually\b|\byearly\b", re.I)
_OVER_YEARS_RE = re.compile(r"\bover (?:the )?(?:next |past |last )?(?:\w+ )?years\b|"
                            r"\bover (?:the|its) (?:[\w-]+ )?[\w-]+-year\b", re.I)  # "over the 20-year life"
_EXTRAS_RE = re.compile(r"\b(?:including|includes|plus|with)\s+(?:fees|commission|buyer's premium|premium|tax|"
                        r"vat|interest|costs|expenses|bonuses)\b", re.I)
#: "340 kilometres east of the coast": a distance and what it is measured from.
_BEARING_RE = re.compile(r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+((?:[\w-]+[\s,.]*){1,5})",
                         re.I)


def _bearings_apart(a: Sentence, b: Sentence) -> bool:
    """Whether both sentences give a bearing from somewhere and not from the same place
    ("340 kilometres east of the coast" / "12 kilometres north of the township")."""
    found = [{w.lower() for m in _BEARING_RE.finditer(s.text) for w in re.findall(r"[\w-]+", m[1])} - FUNCTION_WORDS
             for s in (a, b)]
    return bool(found[0] and found[1] and not found[0] & found[1])


def _excuse(a: Sentence, b: Sentence, va: Value, vb: Value, ctx: Context, forecasts: bool = True) -> str | None:
    """Why two clashing values need not be a conflict, or None; ``forecasts=False`` leaves a
    forecast against a reported value to the caller (the learned judge weighs it)."""
    if va.kind == "quantity" and (_written_in(vb, a) or _written_in(va, b)):
        return "the other figure is also written in the sentence (a part, or an earlier figure)"
    if va.kind == "quantity" and (_sum_of_parts(va, b) or _sum_of_parts(vb, a)):
        return "the other sentence's figures add up to it"
    if va.unit == vb.unit == "date" and (_date_written_in(vb, a) or _date_written_in(va, b)):
        return "the other date is also written in the sentence (of another event)"
    if va.kind == "time" and _range_apart(va, a, vb, b):
        return "one date is an end of a range"
    if va.kind == "time" and _statement_time(va, a) != _statement_time(vb, b):
        return "one date is when something was said"
    if va.kind == "time" and _said_on(va, a) and _said_on(vb, b):
        return "both dates are when someone spoke: two statements may be made on two days"
    if va.kind == "duration" and _from_now(va, a) != _from_now(vb, b):
        return "one is a time from now, the other how long something lasts"
    if _speaks_of_earlier(a) != _speaks_of_earlier(b):
        return "one sentence speaks of an earlier event"
    if va.kind == "quantity" and _scale_apart(va, vb):
        return "figures far apart in scale measure different things"
    if va.unit in MONEY_UNITS and bool(_EXTRAS_RE.search(a.text)) != bool(_EXTRAS_RE.search(b.text)):
        return "one figure includes extras"  # "fetched £2.1 million including fees"
    if va.kind == "quantity" and bool(_PER_YEAR_RE.search(a.text)) != bool(_PER_YEAR_RE.search(b.text)) and (
            _OVER_YEARS_RE.search(a.text) or _OVER_YEARS_RE.search(b.text)):
        return "a yearly figure and a total over years"  # "$4 million a year" / "$8 million over two years"
    if va.kind == "quantity" and va.unit in LENGTH_UNITS and _bearings_apart(a, b):
        return "distances from different places"
    if _within(a, b, va, vb):
        return "one count may be a group within the other"
    if va.kind == "duration" and _prison_term(va, a) != _prison_term(vb, b):
        return "one is a prison term, the other how long something else lasted"
    if va.kind == "quantity" and _injured_count(va) and _severe(va, a) != _severe(vb, b):
        return "one counts only those hurt badly (or slightly), the other everyone hurt"
    if va.kind == "quantity" and _measures_apart(a, b):
        return "the sentences report changes of different measures (profit and revenue)"
    if va.owner is not None and vb.owner is not None and va.owner != vb.owner:
        return "the figures are won by two different parties or people"
    if va.unit == "%" and _turnout(va, a) != _turnout(vb, b):
        return "one share is a turnout, the other a share of those who voted"
    if va.kind == "quantity" and _total_and_part(a, b, va, vb):
        return "one figure is a total, the other may be a part of it"
    framing = _framing(a, b, va, vb, forecasts)
    if framing:
        return framing
    values_are_times = va.kind == "time"
    if values_are_times and va.unit not in ("weekday", "clock") and _counts_units(a) & _counts_units(b) \
            and not _one_dated_figure(a, b):
        return "the times date figures in both sentences (different periods)"
    if va.unit in ("weekday", "clock") and (a.update or b.update) and _counts_units(a) & _counts_units(b):
        return "the times date a figure and its update"  # "on Thursday morning" / "By Thursday evening"
    return None if values_are_times else _times_differ(a, b, va, vb, ctx)


def _describe(v: Value) -> str:
    if v.derived:
        return f"{v.shown} ({v.derived})"
    if v.unit == "score":
        return v.text
    if v.kind == "quantity":
        low = "" if v.low == -INF else f"{v.low:g}"
        high = "" if v.high == INF else f"{v.high:g}"
        bounds = low if low == high else f"{low}..{high}"
        return f"{v.text} [{bounds}]" if bounds and bounds != v.text else v.text
    return v.text if v.kind == "duration" else f"{v.text} ({v.shown})"


# --------------------------------------------------------------------------- polarity, places


def _denied_and_asserted(a: Sentence, b: Sentence) -> list[tuple[Sentence, Sentence, bool, str]]:
    """(denying sentence, asserting sentence, whether ``b`` denies, word) for each predicate
    one sentence denies and the other asserts (words of four letters or more)."""
    return [(neg, pos, flip, word) for neg, pos, flip in ((a, b, False), (b, a, True))
            for word in sorted(neg.negated & pos.asserted - pos.negated - neg.asserted) if len(word) >= 4]


def _negation(neg: Sentence, pos: Sentence, flip: bool, word: str) -> Conflict:
    """The conflict of ``word`` denied in ``neg`` and asserted in ``pos``, in the order (a, b)."""
    said, denied = _written(pos, word, asserted=True), _written(neg, word, asserted=False)
    first, second = (said, denied) if flip else (denied, said)
    return Conflict("negation", first, second, f"one says '{said}', the other '{denied}'")


def _polarity_conflicts(a: Sentence, b: Sentence) -> list[Conflict]:
    return [_negation(neg, pos, flip, word) for neg, pos, flip, word in _denied_and_asserted(a, b)
            if predicate(word) == word and (a.entities & b.entities or denied_count(neg, pos) == word)]


_NUMBER_WORDS = frozenset({
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "dozen", "first", "second", "third", "fourth", "fifth",
})
_ANY_NEGATION_RE = re.compile(r"\b(?:not|no|never|none|nobody|nothing|neither|nor|no-one)\b|n't\b", re.I)
_NEVER_MORE_RE = re.compile(r"\bnever\b.*\b(?:bigger|higher|larger|greater|more|steeper|worse|better|lower|smaller|"
                            r"faster)\b", re.I)  # "has never recorded a bigger rise": a comparison, no denial


def _plain_denial(key: str, text: str) -> bool:
    """Whether a sentence denies ``key`` outright: not only "without" it ("without power"), not as
    the subject of a denial ("none of the crew was hurt"), not in a comparison ("never ... bigger")."""
    low = text.lower()
    if key in _NUMBER_WORDS or _NEVER_MORE_RE.search(low):
        return False
    word = re.escape(key)
    if re.search(rf"\bwithout\s+(?:[\w'-]+\s+){{0,2}}{word}", low) and not _ANY_NEGATION_RE.search(low):
        return False
    subject = rf"\b(?:none of|no)\s+(?:(?:the|its|their|those)\s+)?(?:[\w-]+\s+){{0,2}}{word}\w*\s+(?:\w+\s+)?" \
              rf"(?:was|were|is|are|had|has|have)\b"
    return not re.search(subject, low)


def aligned_polarity_conflicts(a: Sentence, b: Sentence) -> list[Conflict]:
    """A predicate one sentence denies outright and the other plainly asserts ("Norsyn said it
    would appeal" / "... would not appeal"), for two sentences that are each other's closest:
    unlike the rules of ``judge``, the words need not be in the predicate table nor the
    sentences share a name. A sentence that negates anything asserts nothing here."""
    out: dict[bool, Conflict] = {}
    for neg, pos, flip, word in _denied_and_asserted(a, b):
        if flip not in out and not _ANY_NEGATION_RE.search(pos.text) and _plain_denial(word, neg.text):
            out[flip] = _negation(neg, pos, flip, word)  # one conflict each way
    return list(out.values())


def attribute_clashes(a: Sentence, b: Sentence) -> list[Conflict]:
    """One thing given two values of one attribute by two sentences that are each other's
    closest ("the mountain's north ridge" / "the mountain's south ridge"; see
    :mod:`propscope.compare_attributes`)."""
    return [Conflict("attribute", x, y, f"{x} and {y} ({name}) cannot both describe it")
            for name, x, y in attribute_conflicts(a, b)]


def harm_conflicts(a: Sentence, b: Sentence) -> list[Conflict]:
    """Harm one sentence denies and the other reports ("No one was injured" / "A firefighter
    suffered minor burns"), in the order (a, b)."""
    out = []
    for deny, report, flip in ((a, b, False), (b, a, True)):
        for denied in deny.denied_harms:
            reported = next((r for r in report.reported_harms if rules_out(denied, r, report.text)), None)
            if reported is None:
                continue
            said = report.text[reported.start - report.start : reported.end - report.start]
            why = f"one says '{denied.text}', the other reports '{said}'"
            spans = ((denied.start, denied.end), (reported.start, reported.end))
            first, second = (said, denied.text) if flip else (denied.text, said)
            first_span, second_span = (spans[1], spans[0]) if flip else spans
            out.append(Conflict("negation", first, second, why, first_span, second_span))
            break
    return out


def _written(s: Sentence, group: str, *, asserted: bool) -> str:
    """How a sentence words a predicate it asserts ("upheld") or denies ("quashed", "not
    arrested"), for the reader."""
    found = [w.lower() for w in re.findall(r"[A-Za-z]+", s.text)]
    as_written = next((w for w in found if predicate(w) == group), None) or next(
        (w for w in found if stem(w) == group), group)  # "sprinklers" for the stem "sprinkler"
    if asserted:
        return as_written
    denial = next((w for w in found if denies(w) == group), None)
    if denial:
        return denial
    return "not " + as_written


def _one_place(first: str, second: str) -> bool:
    """Whether two place names name one place ("Harrowgate Airport" / "Harrowgate")."""
    a, b = first.lower().split(), second.lower().split()
    return a[: len(b)] == b or b[: len(a)] == a


def _place_conflicts(a: Sentence, b: Sentence, ctx: Context) -> list[Conflict]:
    out = []
    for ca, ta, anchor_a in a.places:
        for cb, tb, anchor_b in b.places:
            if ca == cb or not anchor_a or anchor_a != anchor_b or _one_place(ta, tb):
                continue
            if ca in ctx.article_clusters[b.article] or cb in ctx.article_clusters[a.article]:
                continue
            out.append(Conflict("place", ta, tb, f"'{anchor_a}' placed in {ta} and in {tb}"))
    return out


# --------------------------------------------------------------------------- the judgement


def judge(a: Sentence, b: Sentence, similarity: float, ctx: Context) -> Judgement:
    """The relation between two aligned sentences of different articles."""
    matches, clashes = _value_links(a, b, similarity)
    result = Judgement(AGREES if matches or similarity >= SAME_SENSE else COMPATIBLE, matches=matches)
    result.measures = {measure_key(va, vb) for va, vb in matches + clashes}
    for va, vb in clashes:
        excuse = _excuse(a, b, va, vb, ctx)
        if excuse:
            result.notes.append(f"{va.text} / {vb.text}: {excuse}")
            continue
        result.conflicts.append(value_conflict(va, vb))
    others = _polarity_conflicts(a, b) + _place_conflicts(a, b, ctx)
    result.conflicts += others
    result.measures |= {f"{c.kind}:{c.first}" for c in others}
    if result.conflicts:
        result.relation = CONTRADICTS
    elif result.notes and not matches:
        result.relation = COMPATIBLE
    return result
