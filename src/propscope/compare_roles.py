"""Who holds which office, per article, and where two articles disagree about it.

A role is read next to a person's mention: a title before the name ("Deputy mayor Ana
Brook", "Halvik's mayor, Ana Brook"), an apposition after it ("Ana Brook, the mayor of
Halvik"), or "led by", "founded by", "designed by". Two kinds of conflict, both kept narrow:
one person given two versions of one office ("mayor" vs "deputy mayor", "finance minister"
vs "health minister"), and one single-holder office given to two different people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MODIFIERS = (r"deputy|vice|lieutenant|lt\.?|associate|acting|former|interim|assistant|finance|health|transport|"
              r"foreign|defen[cs]e|interior|justice|education|prime|police|harbou?r|fire|co|general")
_HEADS = (r"mayor|governor|minister|president|chief executive|chairman|chairwoman|chair|director|"
          r"head|leader|founder|master|chief|captain|coach|conductor|architect|manager|owner|judge|"
          r"prosecutor|secretary|ambassador|editor|principal|commissioner")
_ROLE = rf"(?P<role>(?:(?:{_MODIFIERS})[- ])*(?:{_HEADS}))"
_BEFORE_RE = re.compile(rf"(?:(?P<owner>[A-Z][\w]*(?: [A-Z][\w]*)*)(?:'s|’s|(?<=s)['’])\s+)?\b{_ROLE},?\s*$", re.I)
_AFTER_RE = re.compile(
    rf"^,\s*(?:the|a|an|its|their|[A-Z][\w]*(?:'s|’s))?\s*{_ROLE}\b(?: of (?P<owner>[A-Z][\w]*))?", re.I
)
#: Ranks and honorifics that may stand between a title and the name ("police chief, Colonel Dana Reyes").
_HONORIFIC_RE = re.compile(r"(?:\b(?:Colonel|Col\.|Major|General|Gen\.|Commander|Inspector|Dr\.?|"
                           r"Professor|Prof\.|Mr\.?|Mrs\.?|Ms\.?|Sir|Dame|Judge)\s+)+$")
#: Capitalised words right before a title, naming whose it is ("Alliance leader Gerald Pinnock").
_NAMED_BEFORE_RE = re.compile(r"(?:^|[^\w’'])((?!(?:The|A|An|Its|His|Her|Their|Former|Deputy|Acting)\b)"
                              r"[A-Z][\w&-]*(?: [A-Z][\w&-]*){0,3})\s+$")
_PRONOUN_OWNER_RE = re.compile(r"(?:^|\W)(its|their|his|her)\s+$", re.I)
_PRONOUN_OWNERS = frozenset({"its", "their", "his", "her"})
#: Offices of which a match or a contest has one per side ("the captain", "the coach").
_PER_SIDE = frozenset({"captain", "coach", "manager", "skipper"})
_BY_RE = re.compile(r"\b(?P<verb>led|founded|designed|directed) by\s*$", re.I)
_BY_ROLES = {"led": "leader", "founded": "founder", "designed": "architect", "directed": "director"}
#: Offices one person holds at a time and that one person holds (per place or organisation).
_SINGLE_HOLDER = frozenset({"mayor", "governor", "president", "chief executive", "chairman",
                            "chairwoman", "chair", "director", "head", "leader", "founder", "captain",
                            "coach", "conductor", "architect", "harbour master", "harbor master",
                            "police chief", "prosecutor", "principal", "commissioner"})


@dataclass(frozen=True)
class RoleMention:
    """A person (entity cluster) named with a role in one sentence of one article."""

    article: int
    cluster: int
    person: str
    role: str
    owner: str | None
    start: int
    end: int


def _clean(role: str) -> str:
    return " ".join(role.lower().replace("-", " ").split())


def role_at(text: str, sentence_start: int, start: int, end: int, name: str) -> tuple[str, str | None] | None:
    """The role written around a person's mention at ``text[start:end]``, with its owner."""
    mention = text[start:end]
    prefix = mention[: len(mention) - len(name)] if mention.endswith(name) and mention != name else ""
    before = text[sentence_start:start] + prefix
    before = before[: m.start()] if (m := _HONORIFIC_RE.search(before)) else before
    if by := _BY_RE.search(before):
        return _BY_ROLES[by["verb"].lower()], None
    if m := _BEFORE_RE.search(before):
        owner = m["owner"]
        if owner is None and (named := _NAMED_BEFORE_RE.search(before[: m.start()])):
            owner = named[1]  # "Harbour Party leader Maeve Trelawney"
        elif owner is None and (pronoun := _PRONOUN_OWNER_RE.search(before[: m.start()])):
            owner = pronoun[1].lower()  # "Its chief executive, Tom Radecki": whose is not said here
        return _clean(m["role"]), owner
    if m := _AFTER_RE.match(text[end : end + 60]):
        return _clean(m["role"]), m["owner"]
    return None


_AGE_RE = re.compile(r"^,\s*(?:aged\s+)?(\d{1,3})\s*(?:,|\)|\.|$)")
AGE = "aged "


def age_span(text: str, end: int) -> tuple[int, int, int] | None:
    """(start, end, age) of the age written right after a person's mention ("Jakob Feld, 67, ...")."""
    m = _AGE_RE.match(text[end : end + 12])
    return (end + m.start(1), end + m.end(1), int(m[1])) if m and 14 <= int(m[1]) <= 110 else None


def age_at(text: str, end: int) -> str | None:
    """The age written right after a person's mention, as "aged 67"."""
    found = age_span(text, end)
    return f"{AGE}{found[2]}" if found else None


def _ages_clash(first: str, second: str) -> bool:
    """Two ages of one person that a birthday between the reports cannot explain."""
    return abs(int(first.removeprefix(AGE)) - int(second.removeprefix(AGE))) > 1


def _head(role: str) -> str:
    words = role.split()
    return "chief executive" if role.endswith("chief executive") else words[-1]


def _same_owner(a: RoleMention, b: RoleMention) -> bool:
    """Whether two offices belong to one owner, as far as the text says ("Varnian" / "Varnia's")."""
    if a.owner is None or b.owner is None:
        return True
    if {a.owner, b.owner} & _PRONOUN_OWNERS:  # "its chief executive" may be another company's
        return a.owner == b.owner
    first, second = _owner_key(a.owner), _owner_key(b.owner)
    return first.startswith(second) or second.startswith(first)


def _owner_key(owner: str) -> str:
    return re.sub(r"(?:ian|an|ese|ish|n)$", "", owner.lower())


def role_conflicts(mentions: list[RoleMention]) -> list[tuple[RoleMention, RoleMention, str]]:
    """(first, second, kind) for each pair of articles that disagree on a role or its holder."""
    out: list[tuple[RoleMention, RoleMention, str]] = []
    seen: set[tuple[int, int, str]] = set()
    for i, a in enumerate(mentions):
        for b in mentions[i + 1 :]:
            if a.article == b.article:
                continue
            kind = _conflict_kind(a, b, mentions)
            key = (min(a.article, b.article), max(a.article, b.article), f"{kind}:{a.cluster}:{b.cluster}")
            if kind and key not in seen:
                seen.add(key)
                out.append((a, b, kind))
    return out


def _conflict_kind(a: RoleMention, b: RoleMention, mentions: list[RoleMention]) -> str | None:
    if a.role.startswith(AGE) or b.role.startswith(AGE):
        ages = a.role.startswith(AGE) and b.role.startswith(AGE)
        return "age" if ages and a.cluster == b.cluster and _ages_clash(a.role, b.role) else None
    if a.cluster == b.cluster:
        if (a.role != b.role and _head(a.role) == _head(b.role) and not _refines(a.role, b.role)
                and not _also_holds(a, b, mentions)):
            return "role"
        return None
    if a.role != b.role or not _single_holder(a.role) or not _same_owner(a, b):
        return None
    if a.role in _PER_SIDE and (a.owner is None or b.owner is None):
        return None  # each side of a match has its captain and coach
    holders = {(m.article, m.cluster) for m in mentions if m.role == a.role}
    if (b.article, a.cluster) in holders or (a.article, b.cluster) in holders:
        return None
    return "person"


#: Words that make another post of a title ("deputy mayor" is not a kind of mayor).
_RANKS = frozenset({"deputy", "vice", "former", "acting", "assistant", "interim", "ex", "co", "junior", "under",
                    "shadow"})


def _single_holder(role: str) -> bool:
    """Whether one person holds the office at a time: a listed office, or a minister with a
    portfolio ("health minister", not "minister" or "deputy health minister")."""
    words = role.split()
    if role in _SINGLE_HOLDER:
        return True
    return words[-1] == "minister" and len(words) > 1 and not set(words) & _RANKS


def _refines(first: str, second: str) -> bool:
    """Whether one title only narrows the other ("minister" / "education minister")."""
    a, b = set(first.lower().split()), set(second.lower().split())
    return (a <= b or b <= a) and not (a ^ b) & _RANKS


def _also_holds(a: RoleMention, b: RoleMention, mentions: list[RoleMention]) -> bool:
    """Whether either article also gives the person the other article's role."""
    return any(m.cluster == a.cluster and ((m.article == a.article and m.role == b.role)
                                           or (m.article == b.article and m.role == a.role))
               for m in mentions)
