"""From reports to comparable sentences, entity clusters across articles, story groups and
aligned sentence pairs."""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from propscope.compare_checks import marked
from propscope.compare_harm import denied_harms, mentions_harm, reported_harms
from propscope.compare_roles import (
    MERGED_HEAD,
    RoleMention,
    age_at,
    age_span,
    merged_head_at,
    post_taken_at,
    rank_at,
    role_at,
)
from propscope.compare_values import (
    Sentence,
    Value,
    adjacent_anchor,
    age_value,
    age_values,
    anchor_of,
    attribution,
    clip_parts,
    clock_values,
    comparable,
    content_words,
    dateline_end,
    denied_count,
    derived_years,
    duration_value,
    earlier_time,
    flags,
    is_year,
    listed_or_part,
    numbers_of,
    ordinal_values,
    past_start,
    polarity,
    predicate,
    quantity_value,
    race_times,
    relative_periods,
    score_values,
    source_words,
    stem,
    time_value,
    weekday_value,
    with_context,
    words,
)
from propscope.entities import Entity, group_aliases
from propscope.report import Report
from propscope.sentences import split_sentences
from propscope.unionfind import UnionFind

FloatArray = npt.NDArray[np.float32]

ALIGN_FLOOR = 0.2  # cosine below which two sentences are never aligned
ALIGN_MIN = 0.3  # cosine below which sentences that measure nothing in common are not aligned
ALIGN_LIKELY = 0.45  # cosine at which sentences sharing an entity are aligned
ALIGN_SURE = 0.7  # cosine at which they are aligned without shared entities or predicates
STORY_MIN = 0.4  # article cosine below which two articles are never one story
# article cosine + best sentence cosine (+ entity bonus) to be one story. Set for the
# distilled 3-layer encoder, whose cosines run higher than the 6-layer one's (1.35 and 1.45
# then): 0.15 higher, it links 1,126 of the 1,133 same-story article pairs of the analysed
# comparison sets and 6 of their 62 unrelated pairs, as the 6-layer encoder did (1,126 and 5)
STORY_LINK = 1.50
STORY_SURE = 1.60  # the same, for articles that share no entity
STORY_NAMES = 2  # articles naming at least this many entities each must share one to be one story
_LOCATIVE = frozenset({"in", "at", "near", "off", "outside", "inside"})
#: "No one was hurt", "Nobody was injured", "There were no arrests": a count denied in words
_DENIAL_RE = re.compile(r"\b(?:no|nobody|none|no-one)\b", re.I)
_WEEKDAY_RE = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)


@dataclass
class Article:
    """One article of a comparison: its report, sentences, embeddings and entity clusters."""

    index: int
    report: Report
    sentences: list[Sentence]
    vectors: FloatArray  # one row per entry of ``sentences``
    mean: FloatArray  # the article's direction (normalised mean of sentence vectors)
    clusters: frozenset[int]
    times: list[Value]
    roles: list[RoleMention]
    fingerprint: str
    named: frozenset[int] = frozenset()  # clusters named somewhere other than as a lone sentence-opening word
    name_words: frozenset[str] = frozenset()  # distinctive words of its names ("severnside", "dunkerrin")
    opening_words: frozenset[str] = frozenset()  # the same, of names written only as a lone word opening a sentence


# --------------------------------------------------------------------------- entities


def entity_clusters(reports: Sequence[Report]) -> tuple[list[Any], dict[tuple[int, int], int]]:
    """Alias clusters over every entity of every report; (article, entity index) -> cluster."""
    items: list[Entity] = []
    owners: list[tuple[int, int]] = []
    for a, report in enumerate(reports):
        for e, ent in enumerate(report.entities):
            mentions = tuple((m["start"], m["end"]) for m in ent.get("mentions", []))
            # types from a small NER model disagree across articles ("Kelby" PERSON / PLACE):
            # names alone decide here
            items.append(Entity(ent["name"], "", tuple(ent.get("aliases", [])), mentions))
            owners.append((a, e))
    clusters = group_aliases(items)
    lookup = {owners[m]: c for c, cluster in enumerate(clusters) for m in cluster.members}
    return clusters, lookup


def _mentions(report: Report, a: int, lookup: dict[tuple[int, int], int]) -> list[Mention]:
    """(start, end, cluster, name) of every entity mention in a report."""
    return sorted((m["start"], m["end"], lookup[(a, e)], ent["name"])
                  for e, ent in enumerate(report.entities) for m in ent.get("mentions", [])
                  if (a, e) in lookup)


# --------------------------------------------------------------------------- sentences


def _published(report: Report) -> date | None:
    try:
        return date.fromisoformat((report.article.published or "")[:10])
    except ValueError:
        return None


def _parts(report: Report, start: int, end: int) -> dict[str, list[dict[str, Any]]]:
    from propscope.claims import claim_parts

    return claim_parts(report, start, end)


Tokens = list[tuple[int, int, str]]
Mention = tuple[int, int, int, str]


def _values(text: str, parts: dict[str, list[dict[str, Any]]], tokens: Tokens,
            ages: Sequence[Value] = ()) -> tuple[list[Value], list[Value]]:
    """(comparable values, point times that date the sentence); ``ages``: ages written after names."""
    values: list[Value] = list(ages)
    refs: list[Value] = []
    durations = [(t["start"], t["end"]) for t in parts["times"] if t.get("kind") == "duration"]
    for t in parts["times"]:
        if t.get("kind") == "duration":
            if (listed_or_part(text, t["start"], t["end"]) or _RATE_AFTER_RE.match(text, t["end"])
                    or _OLD_AFTER_RE.match(text, t["end"])):
                continue  # "2.5 days a month"; "17 years old" is an age
            d = duration_value(t, text, anchor_of(tokens, t["start"], t["end"], True))
            values += [d] if d else []
        elif (v := time_value(t, anchor_of(tokens, t["start"], t["end"], True))) is not None:
            values.append(v)
            refs.append(v)
        elif (v := weekday_value(t, adjacent_anchor(tokens, t["start"], t["end"]))) is not None:
            values.append(v)
    for q in parts["quantities"]:
        if any(s < q["end"] and q["start"] < e for s, e in durations) or listed_or_part(text, q["start"], q["end"]):
            continue
        q = _reached(_with_implied_unit(q, text), text)
        if is_year(q, text):
            year = {"start": q["start"], "end": q["end"], "text": q["text"], "value": str(int(q["value"]))}
            if (v := time_value(year, anchor_of(tokens, q["start"], q["end"], True))) is not None:
                values.append(v)
                refs.append(v)
        elif (v := _quantity(q, text, tokens)) is not None:
            values.append(v)
    values = _joined_times(values, text)
    if tokens:
        def next_to(s: int, e: int) -> str | None:
            return adjacent_anchor(tokens, s, e)

        values += clock_values(text, tokens[0][0], tokens[-1][1], next_to)
        values += race_times(text, tokens[0][0], tokens[-1][1], next_to)
    values += derived_years(values, tokens, text)
    if tokens:
        values += score_values(text, tokens[0][0], tokens[-1][1])
        values += [v for v in age_values(text, tokens[0][0], tokens[-1][1]) + ordinal_values(text, tokens[0][0],
                                                                                              tokens[-1][1])
                   if not any(x.start < v.end and v.start < x.end for x in values)]
    return [with_context(v, tokens, text) for v in values], [with_context(v, tokens, text) for v in refs]


def _earlier_values(text: str, parts: dict[str, list[dict[str, Any]]], tokens: Tokens) -> list[Value]:
    """The figures of a clause that gives earlier ones ("up from 17 a week ago"), marked with
    the time they are dated by: they are compared only with earlier figures of that time."""
    when = earlier_time([t["text"] for t in parts["times"] if t.get("kind") != "duration"])
    found = []
    for q in parts["quantities"]:
        if listed_or_part(text, q["start"], q["end"]):
            continue
        q = _reached(_with_implied_unit(q, text), text)
        if not is_year(q, text) and (v := _quantity(q, text, tokens)) is not None:
            found.append(replace(with_context(v, tokens, text), earlier=when))
    return found


def _quantity(q: dict[str, Any], text: str, tokens: Tokens) -> Value | None:
    """A number with its unit, tied to the predicate next to it."""
    return quantity_value(q, anchor_of(tokens, q["start"], q["end"], False), text[max(0, q["start"] - 12) : q["start"]])


_OLD_AFTER_RE = re.compile(r"\s+old\b")
_RATE_AFTER_RE = re.compile(r"\s+(?:a|an|per|each)\s+(?:day|week|month|year)\b", re.I)  # "2.5 days a month"
_SECONDS = {"hour": 3600.0, "minute": 60.0, "second": 1.0}
_TIME_UNIT_RE = re.compile(r"\s*(?:seconds?|secs?|minutes?|mins?|s)\b", re.I)
_TIME_GAP_RE = re.compile(r"\s*(?:hours?|hrs?|minutes?|mins?|h|m)?[\s,]*(?:and\s+)?", re.I)


def _joined_times(values: list[Value], text: str) -> list[Value]:
    """A time written in parts ("2 hours 5 minutes 41 seconds") as one figure in seconds, so
    that its parts are not compared one by one."""
    out: list[Value] = []
    for v in sorted(values, key=lambda x: x.start):
        prev = out[-1] if out else None
        if (prev is not None and v.kind == prev.kind == "quantity" and v.unit in _SECONDS
                and prev.unit in (*_SECONDS, "second-total")
                and _TIME_GAP_RE.fullmatch(text[prev.end : v.start])
                and (prev.unit == "second-total" or _SECONDS[prev.unit] > _SECONDS[v.unit])):
            scale = 1.0 if prev.unit == "second-total" else _SECONDS[prev.unit]
            low = prev.low * scale + v.low * _SECONDS[v.unit]
            high = prev.high * scale + v.high * _SECONDS[v.unit]
            tail = _TIME_UNIT_RE.match(text, v.end)
            end = tail.end() if tail else v.end
            joined = text[prev.start : end]
            out[-1] = Value("quantity", joined, prev.start, end, low, high, "second-total", prev.anchor, joined)
            continue
        out.append(v)
    return out


_MULTIPLIERS = {"m": 1e6, "mn": 1e6, "bn": 1e9, "k": 1e3}
_SCALED_RE = re.compile(r"\s*(?:mn|bn|m|k)?\s+([a-z]{2,}s)\b")  # "3.5m tonnes", not "a 10m drop" (metres)
_CROWD_RE = re.compile(r"\b(?:crowd|attendance|audience|turnout|population|town|city|village|crew) of\s*$", re.I)
_TOLL_RE = re.compile(r"\btoll\b[^\d.;]{0,48}$", re.I)
#: A singular word (a modifier) then a plural one, after a number: "two firefighting planes".
_MODIFIED_RE = re.compile(r"^\s+([A-Za-z][a-z-]*[a-rt-z])\s+([a-z]{3,}s)\b")
_NOT_NOUNS = frozenset({"was", "has", "is", "does", "says", "this", "his", "its", "as", "thus", "plus", "less",
                        "always", "perhaps", "across", "towards", "whereas", "unless"})
_PART_OF_RE = re.compile(r"^\s+of\s+(?:its|their|the|our|his|her)\s+(?:[\d,.]+\s+)?([a-z]{3,})\b")
#: "Police estimated the crowd at 4,000", "put attendance at 6,500": a count of people.
_CROWD_AT_RE = re.compile(r"\b(?:estimated|estimating|estimates|put|puts|putting|placed|placing)\s+(?:the\s+)?"
                          r"(?:crowd|attendance|audience|turnout|number of (?:people|protesters|marchers|"
                          r"demonstrators|spectators))\s+at\s*$", re.I)
#: "a magnitude of 6.1", "measured 6.4 on the moment magnitude scale"
_MAGNITUDE_BEFORE_RE = re.compile(r"\bmagnitude(?:\s+of)?\s*$", re.I)
_MAGNITUDE_AFTER_RE = re.compile(r"^\s+on\s+the\s+(?:[\w-]+\s+){0,2}(?:magnitude|richter)\s+scale\b", re.I)
_LIGHT_YEARS_RE = re.compile(r"^[\s-]*light[\s-]+years?\b", re.I)


_MOVED_UP_TO_RE = re.compile(r"\b(?:edged|edging|rose|rising|climbed|climbing|crept|creeping|ticked|ticking|"
                             r"moved|moving|went|jumped|shot|inched|inching|gone|risen)\s+$", re.I)


def _reached(q: dict[str, Any], text: str) -> dict[str, Any]:
    """A figure "up to" after a verb of movement is the level reached ("edged up to 2.8%"), not
    a bound ("fines of up to £500")."""
    value = q.get("value")
    if (str(q.get("text", "")).lower().startswith("up to") and isinstance(value, int | float)
            and _MOVED_UP_TO_RE.search(text[max(0, q["start"] - 12) : q["start"]])):
        return {**q, "low": value, "high": value}
    return q


def _with_implied_unit(q: dict[str, Any], text: str) -> dict[str, Any]:
    """A bare number with the unit its words imply: "the death toll rose to 15" counts deaths,
    "23 of its 61 branches" counts branches."""
    if str(q.get("unit")).lower() in _MULTIPLIERS and (m := _SCALED_RE.match(text[q["end"] :])):
        scale = _MULTIPLIERS[str(q["unit"]).lower()]  # "3.5m tonnes" counts tonnes, in millions
        scaled = {k: q[k] * scale for k in ("value", "low", "high") if isinstance(q.get(k), int | float)}
        return {**q, **scaled, "unit": m[1]}
    if str(q.get("unit")).lower() == "light" and _LIGHT_YEARS_RE.match(text[q["end"] : q["end"] + 20]):
        return {**q, "unit": "light-year"}  # "124 light years from Earth"
    if not q.get("unit") and (_MAGNITUDE_BEFORE_RE.search(text[max(0, q["start"] - 16) : q["start"]])
                              or _MAGNITUDE_AFTER_RE.match(text[q["end"] : q["end"] + 60])):
        return {**q, "unit": "magnitude"}
    if not q.get("unit") and _CROWD_AT_RE.search(text[max(0, q["start"] - 64) : q["start"]]):
        return {**q, "unit": "people"}
    if q.get("unit"):
        m = _MODIFIED_RE.match(text[q["end"] : q["end"] + 50])
        if m and m[1].lower().startswith(str(q["unit"]).lower()) and m[2] not in _NOT_NOUNS:
            return {**q, "unit": m[2]}  # "four water-bombing planes" counts planes
        return q
    if _TOLL_RE.search(text[max(0, q["start"] - 64) : q["start"]]):
        return {**q, "unit": "deaths"}
    if _CROWD_RE.search(text[max(0, q["start"] - 24) : q["start"]]):
        return {**q, "unit": "people"}  # "a crowd of 4,312", "the town of 11,000"
    if m := _PART_OF_RE.match(text[q["end"] : q["end"] + 40]):
        return {**q, "unit": m[1]}
    return q


def _places(text: str, tokens: Tokens, mentions: list[Mention]) -> list[tuple[int, str, str | None]]:
    out: list[tuple[int, str, str | None]] = []
    for start, end, cluster, _name in mentions:
        before = [t for t in tokens if t[1] <= start][::-1]
        if m := _PLACE_OF_RE.search(text[max(0, start - 60) : start]):
            # "near the village of Tarun", "on the island of Mavros": placed by the word before
            before = [t for t in tokens if t[1] <= start - len(m.group()) + len(m["loc"])][::-1]
        if len(before) >= 2 and (before[0][2].lower() in _LOCATIVE or (m and before[0][2].lower() == "on")):
            rest = [t for t in before[1:] if t[2].lower() not in _BE_WORDS]  # "the worst damage was in"
            if not rest:
                continue
            word = rest[0][2]
            tail = re.match(r"\s+(airport|station|harbou?r|port|bridge|square|street|road)\b", text[end:end + 12])
            shown = text[start:end] + (tail.group() if tail else "")
            anchor = predicate(word) or stem(word)
            out.append((cluster, shown, _PLACE_NOUNS.get(anchor, anchor)))
    return out


#: "near the (mountain) village of", "on the island of": a place named after its kind.
_PLACE_OF_RE = re.compile(r"\b(?P<loc>in|at|near|on|off|outside)\s+(?:the|a)\s+(?:[\w-]+\s+)?"
                          r"(?:village|town|city|island|port|county|region|province|district|suburb)\s+of\s+$", re.I)
_BE_WORDS = frozenset({"was", "were", "is", "are", "be", "been"})
#: Nouns that name one kind of place, so that "the factory in Lorvik" and "the plant in
#: Ostermoor" (or "the village of Altbrook" and "the town of Quenby") place the same thing.
#: "Centr" and "center" are the stems of "centred" and "centered" ("centred near the town of").
_PLACE_NOUNS = {"plant": "factory", "mill": "factory", "town": "settlement", "village": "settlement",
                "city": "settlement", "hamlet": "settlement", "centr": "epicentre", "center": "epicentre",
                "epicenter": "epicentre", "centre": "epicentre"}


def _sentence(a: int, text: str, start: int, end: int, whole: dict[str, list[dict[str, Any]]],
              inside: list[Mention], checkworthy: bool) -> Sentence:
    """One comparable sentence: values outside its dateline and any earlier-figure clause."""
    own = text[start:end]
    cut = start + past_start(own)
    parts = clip_parts(whole, start + dateline_end(own), cut)
    tokens = words(own, start)
    sources = source_words(own)
    telling = [t for t in tokens if t[2].lower() not in sources and t[0] >= start + dateline_end(own)]
    ages = [age_value(text, *found, person=m[2]) for m in inside if (found := age_span(text, m[1]))]
    values, refs = _values(text, parts, telling, ages)
    clause = re.split(r"[,;]", own[cut - start :], maxsplit=1)[0]  # "up from 2.9% in April", to the comma
    values += _earlier_values(text, clip_parts(whole, cut, cut + len(clause)), telling)
    negated, asserted = polarity(tokens)
    counts = any(v.kind == "quantity" and v.low > 0 and (v.unit == "people" or "injur" in v.unit) for v in values)
    return Sentence(
        article=a, start=start, end=end, text=own, values=values, refs=refs,
        weekdays=frozenset(m.group().lower() for m in _WEEKDAY_RE.finditer(own[dateline_end(own):])),
        entities=frozenset(m[2] for m in inside), places=_places(text, tokens, inside),
        source=attribution(own), negated=negated, asserted=asserted, checkworthy=checkworthy,
        content=content_words(telling), numbers=numbers_of(whole), sources=sources,
        relative=relative_periods(parts, own[dateline_end(own):]), update=flags(own)["update"],
        denied_harms=denied_harms(own, start), reported_harms=reported_harms(own, counts, start))


_OWNER_TYPES = frozenset({"PERSON", "ORG", "NORP"})
_OWNED_UNITS = frozenset({"seat", "vote", "%"})
#: what lies between a party or person and the seats, votes or share it won: "Homeland won
#: nine seats", "Her rival, Jana Korv, took 45.8%", "the Free Citizens, who won 23 seats",
#: "Selim swept to victory in the mayoral race with 54%", "to Hale's 41 percent"
_WON_RE = re.compile(r"^['’]s\s+$|^,?\s*(?:who\s+)?[^\d,;:.]{0,50}?\b(?:won|wins|took|takes|secured|secures|"
                     r"gained|gains|got|received|receives|polled|claimed|claims|finished with|with)\s+"
                     r"(?:(?:just|only|almost|nearly|about|around|some|over|under|more than|less than|"
                     r"fewer than)\s+)*$", re.I)


def _with_owner(text: str, v: Value, named: list[Mention]) -> Value:
    """The value with its owner: for seats, votes or a share, the party or person named right
    before it as winning it."""
    if v.kind != "quantity" or v.unit not in _OWNED_UNITS:
        return v
    before = [m for m in named if m[1] <= v.start]
    if not before:
        return v
    last = max(before, key=lambda m: m[1])
    return replace(v, owner=last[2]) if _WON_RE.match(text[last[1] : v.start]) else v


def build_sentences(
    a: int, report: Report, lookup: dict[tuple[int, int], int]
) -> tuple[list[Sentence], list[RoleMention]]:
    """Every sentence of a report that carries a time, number or entity or denies something
    ("No one was hurt"), and its role mentions."""
    text = report.article.text
    mentions = _mentions(report, a, lookup)
    people = {(m["start"], m["end"]) for ent in report.entities if ent.get("type") == "PERSON"
              for m in ent.get("mentions", [])}
    named = {(m["start"], m["end"]) for ent in report.entities if ent.get("type") in _OWNER_TYPES
             for m in ent.get("mentions", [])}
    claimed = {(c["start"], c["end"]) for c in report.claims}
    out: list[Sentence] = []
    roles: list[RoleMention] = []
    for start, end in split_sentences(text):
        inside = [m for m in mentions if start <= m[0] and m[1] <= end]
        whole = _parts(report, start, end)
        if not (inside or whole["times"] or whole["quantities"] or (start, end) in claimed
                or _DENIAL_RE.search(text, start, end) or mentions_harm(text[start:end])
                or marked(text[start:end])):
            continue
        out.append(_sentence(a, text, start, end, whole, inside, (start, end) in claimed))
        out[-1].people = frozenset(m[2] for m in inside if (m[0], m[1]) in people)
        out[-1].values = [_with_owner(text, v, [m for m in inside if (m[0], m[1]) in named])
                          for v in out[-1].values]
        for m_start, m_end, cluster, name in inside:
            found = role_at(text, start, m_start, m_end, name)
            if found:
                roles.append(RoleMention(a, cluster, name, found[0], found[1], start, end))
            post = post_taken_at(text, start, m_start, m_end)
            if post and (found is None or post != found[0]):
                roles.append(RoleMention(a, cluster, name, post, None, start, end))
            if rank := rank_at(text, start, m_start, m_end, name):
                roles.append(RoleMention(a, cluster, name, rank, None, start, end))
            if age := age_at(text, m_end):
                roles.append(RoleMention(a, cluster, name, age, None, start, end))
            if (m_start, m_end) in people and merged_head_at(text, start, m_start, m_end):
                roles.append(RoleMention(a, cluster, name, MERGED_HEAD, None, start, end))
    return out, roles


def fingerprint(text: str) -> str:
    """Equal for texts that differ only in case, spacing and punctuation."""
    return hashlib.sha1(" ".join(re.findall(r"\w+", text.lower())).encode()).hexdigest()


def _named_clusters(report: Report, a: int, lookup: dict[tuple[int, int], int]) -> frozenset[int]:
    """Clusters with a mention that is not one capitalised word opening a sentence: "Turnout
    was 61%" makes a tagger see a person, and two stories would share him."""
    text = report.article.text
    openers = sorted(s + dateline_end(text[s:e]) for s, e in split_sentences(text))
    out = set()
    for start, end, cluster, _name in _mentions(report, a, lookup):
        k = bisect.bisect_right(openers, start) - 1
        opening = k >= 0 and not text[openers[k] : start].strip(" \"'“‘")
        if not (opening and " " not in text[start:end]):
            out.add(cluster)
    return frozenset(out)


def _normalised_mean(block: FloatArray, width: int) -> FloatArray:
    mean = block.mean(axis=0) if len(block) else np.zeros(width, np.float32)
    return np.asarray(mean / max(float(np.linalg.norm(mean)), 1e-9), np.float32)


def build_articles(reports: Sequence[Report], encode: Any) -> tuple[list[Article], list[Any]]:
    """Comparable articles for reports; ``encode`` maps sentences to normalised vectors."""
    clusters, lookup = entity_clusters(reports)
    built = [build_sentences(a, r, lookup) for a, r in enumerate(reports)]
    whole = [[r.article.text[s:e] for s, e in split_sentences(r.article.text)] for r in reports]
    flat = [s.text for sentences, _ in built for s in sentences] + [t for texts in whole for t in texts]
    vectors: FloatArray = encode(flat) if flat else np.zeros((0, 1), np.float32)
    width = int(vectors.shape[1])
    offsets = np.cumsum([0] + [len(sentences) for sentences, _ in built] + [len(t) for t in whole])
    out = []
    for a, (report, (sentences, roles)) in enumerate(zip(reports, built, strict=True)):
        own = vectors[offsets[a] : offsets[a + 1]]
        names, openers = name_words(report)
        k = len(reports) + a
        out.append(Article(
            index=a, report=report, sentences=sentences, vectors=own,
            mean=_normalised_mean(vectors[offsets[k] : offsets[k + 1]], width),
            clusters=frozenset(c for s in sentences for c in s.entities),
            times=[v for s in sentences for v in s.refs], roles=roles,
            fingerprint=fingerprint(report.article.text), named=_named_clusters(report, a, lookup),
            name_words=names, opening_words=openers))
    return out, clusters


#: Capitalised words of names that say what a thing is, not which ("River", "Council", "Court").
_GENERIC_NAME_WORDS = frozenset({
    "the", "and", "for", "with", "from", "city", "county", "town", "village", "council", "district", "borough",
    "state", "national", "regional", "royal", "general", "central", "north", "south", "east", "west", "new", "old",
    "river", "lake", "road", "street", "avenue", "square", "bridge", "park", "airport", "station", "port", "harbour",
    "harbor", "hospital", "school", "college", "university", "primary", "academy", "court", "crown", "police", "fire",
    "service", "services", "department", "ministry", "office", "agency", "authority", "board", "committee", "party",
    "union", "club", "united", "group", "company", "holdings", "water", "energy", "power", "airways", "airlines",
    "bank", "trust", "foundation", "museum", "gallery", "festival", "church", "cathedral", "centre", "center",
    "hall", "house", "market", "mount", "saint",
})


def name_words(report: Report) -> tuple[frozenset[str], frozenset[str]]:
    """The distinctive words of an article's names, lowercase: capitalised words of four letters
    or more in its entities' mentions that the article never writes in lowercase and that do
    not only say what a thing is ("Severnside" in "Severnside Water", not "Water"). Two sets:
    those of mentions elsewhere, and those of mentions that are a lone word opening a
    sentence ("Turnout was 61%", which a tagger may take for a name)."""
    text = report.article.text
    lowercase = set(re.findall(r"\b[a-z][a-z'’-]+\b", text))
    starts = {s + dateline_end(text[s:e]) for s, e in split_sentences(text)}
    found: tuple[set[str], set[str]] = (set(), set())
    for entity in report.entities:
        for mention in entity.get("mentions", []):
            said = mention.get("text", "")
            opening = mention.get("start") in starts and " " not in said
            for word in re.findall(r"\b[A-Z][\w'’-]{3,}", said):
                low = word.lower()
                if low not in _GENERIC_NAME_WORDS and low not in lowercase:
                    found[opening].add(low)
    return frozenset(found[0]), frozenset(found[1])


# --------------------------------------------------------------------------- story groups


def duplicates(articles: Sequence[Article]) -> dict[int, int]:
    """Article index -> the index of the earlier article it duplicates."""
    first: dict[str, int] = {}
    out = {}
    for art in articles:
        if art.fingerprint in first:
            out[art.index] = first[art.fingerprint]
        else:
            first[art.fingerprint] = art.index
    return out


def _story_margin(a: Article, b: Article, cosine: float) -> float:
    """How far two articles clear the bar for one story (>= 0: linked): whole-article
    similarity, the closest pair of sentences, and shared entities."""
    # a name one article writes mid-sentence counts when the other only opens sentences with it
    shared = len((a.named & b.clusters) | (b.named & a.clusters))
    words = a.name_words & (b.name_words | b.opening_words) or b.name_words & a.opening_words
    if not shared and min(len(a.named), len(b.named)) >= STORY_NAMES and not words:
        return -1.0  # both name people, places or bodies, and no name in common: two stories
    # a distinctive word of two names ("Severnside" / "Severnside Water") only lifts that veto:
    # a town two unrelated stories share is no shared entity
    best = float((a.vectors @ b.vectors.T).max()) if len(a.vectors) and len(b.vectors) else 0.0
    score = cosine + best + 0.1 * min(shared, 2)
    return score - (STORY_LINK if shared else STORY_SURE)


def story_groups(articles: Sequence[Article], skip: set[int]) -> list[list[int]]:
    """Articles grouped by story: similar content and shared entities (no forced merges).

    Linked pairs are taken strongest first; two groups merge only when at least half of the
    pairs across them are linked (average linkage), so a chain of near neighbours (a fire
    story, a fire inquiry, an inquiry into bread prices...) never pulls unrelated stories
    into one group.
    """
    keep = [a for a in articles if a.index not in skip]
    if not keep:
        return []
    means = np.stack([a.mean for a in keep])
    cosines = means @ means.T
    links: list[tuple[float, int, int]] = []
    for i in range(len(keep)):
        for j in np.nonzero(cosines[i, i + 1 :] >= STORY_MIN)[0]:
            k = i + 1 + int(j)
            margin = _story_margin(keep[i], keep[k], float(cosines[i, k]))
            if margin >= 0:
                links.append((margin, i, k))
    linked = {(i, k) for _, i, k in links}
    union = UnionFind(len(keep))
    members = {i: [i] for i in range(len(keep))}
    for _, i, k in sorted(links, key=lambda link: -link[0]):
        ri, rk = union.find(i), union.find(k)
        if ri == rk:
            continue
        across = sum((min(x, y), max(x, y)) in linked for x in members[ri] for y in members[rk])
        if across * 2 >= len(members[ri]) * len(members[rk]):
            union.union(ri, rk)
            merged = members.pop(ri) + members.pop(rk)
            members[union.find(ri)] = merged
    return [[keep[i].index for i in group] for group in union.groups()]


# --------------------------------------------------------------------------- sentence alignment


def measured_together(a: Sentence, b: Sentence, similarity: float = 0.0) -> bool:
    """Whether the sentences give values of one measure about one subject (a death toll and a
    death toll; the year the terminal opened and the year the terminal opened)."""
    return any(comparable(va, vb, a, b, similarity) for va in a.values for vb in b.values)


def aligned(a: Sentence, b: Sentence, cosine: float) -> bool:
    """Whether two sentences of different articles speak of the same thing: values of one
    measure, or similar sense (embeddings alone only when very close)."""
    if cosine < ALIGN_FLOOR:
        return False
    if measured_together(a, b, cosine) or denied_count(a, b) or denied_count(b, a):
        return True
    if cosine < ALIGN_MIN:
        return False
    if a.entities and b.entities and not a.entities & b.entities and cosine < ALIGN_SURE + 0.1:
        return False
    return cosine >= ALIGN_SURE or (cosine >= ALIGN_LIKELY and bool(a.entities & b.entities))


def sentence_pairs(first: Article, second: Article, cosines: FloatArray | None = None) -> list[tuple[int, int, float]]:
    """(sentence of first, sentence of second, cosine) for every aligned pair; ``cosines``: the
    sentences' cosine matrix, when already computed."""
    if not first.sentences or not second.sentences:
        return []
    if cosines is None:
        cosines = first.vectors @ second.vectors.T
    out = []
    for i, j in zip(*np.nonzero(cosines >= ALIGN_FLOOR), strict=True):
        cosine = float(cosines[i, j])
        if aligned(first.sentences[i], second.sentences[j], cosine):
            out.append((int(i), int(j), cosine))
    return out
