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

_MODIFIERS = (r"deputy|vice|lieutenant|lt\.?|associate|acting|former|interim|assistant|prime|police|harbou?r|fire|co|"
              r"general|chief|managing|operating|financial|technology|technical|medical|marketing|commercial|"
              r"music|artistic|veterinary|nursing|information|regional|provincial|county|council|presiding|lead|"
              r"development|national|senior|press|campaign|policy|programme|program|project|research|sales|"
              # portfolios of ministers and secretaries
              r"finance|health|transport|foreign|defen[cs]e|interior|justice|education|labou?r|agriculture|"
              r"energy|environment|trade|housing|rail|forestry|water|economy|home|treasury|employment|industry|"
              r"tourism|fisheries|communications|culture|sports?|science|immigration|welfare|planning")
_HEADS = (r"mayor|governor|minister|president|chief executive|chairman|chairwoman|chair|director|"
          r"head|leader|founder|master|chief|captain|coach|conductor|architect|manager|owner|judge|"
          r"prosecutor|secretary|ambassador|editor|principal|commissioner|officer|nurse|epidemiologist|"
          r"chancellor|constable|recorder|author|researcher|organi[sz]er")
_ROLE = rf"(?P<role>(?:(?:{_MODIFIERS})[- ])*(?:{_HEADS}))"
_BEFORE_RE = re.compile(rf"(?:(?P<owner>[A-Z][\w]*(?: [A-Z][\w]*)*)(?:'s|’s|(?<=s)['’])\s+)?\b{_ROLE},?\s*$", re.I)
_AFTER_RE = re.compile(
    rf"^,\s*(?:the\s+[a-z]+(?:'s|’s)|the|a|an|its|their|[A-Z][\w]*(?:'s|’s))?\s*{_ROLE}\b"
    rf"(?: of (?P<owner>(?-i:[A-Z])[\w]*))?",
    re.I,
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
#: The post of running a company that a merger makes ("will lead the combined group", "the merged
#: company will be run by ..."): a single-holder office of its own.
MERGED_HEAD = "head of the merged company"
#: Offices one person holds at a time and that one person holds (per place or organisation).
_SINGLE_HOLDER = frozenset({"mayor", "governor", "president", "chief executive", "chairman",
                            "chairwoman", "chair", "director", "head", "leader", "founder", "captain",
                            "coach", "conductor", "architect", "harbour master", "harbor master",
                            "police chief", "fire chief", "prosecutor", "principal", "commissioner", "manager",
                            MERGED_HEAD})


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


def post_taken_at(text: str, sentence_start: int, start: int, end: int) -> str | None:
    """The post a sentence says the person mentioned at ``text[start:end]`` takes, beside any
    title they carry ("Green leader Saga Lind will become foreign minister": "foreign minister")."""
    if m := _BECOMES_RE.match(text[end : end + 80]):
        return _clean(m["role"])
    if _NAMED_RE.search(text[sentence_start:start]) and (m := _AS_RE.match(text[end : end + 60])):
        return _clean(m["role"])
    return None


#: A police or military rank written right before a name ("Detective Chief Inspector Carla Ruiz",
#: "Lieutenant General Paulo Teixeira"); capitalised, as titles are. "Chief Constable" is an office.
_RANK_RE = re.compile(
    r"(?:^|[^\w-])(?P<rank>(?:(?:Detective|Police)\s+)?(?:(?:Chief\s+)?(?:Inspector|Superintendent)|"
    r"(?<!Chief )(?:Constable|Sergeant))|(?:(?:Lance|Second|Lieutenant|Major|Brigadier|Vice|Rear)\s+)?"
    r"(?:Private|Corporal|Lieutenant|Major|Colonel|Brigadier|General|Admiral|Commodore))\s+$")
#: Police ranks differ in every word ("Inspector" / "Chief Inspector"); a general of any grade is
#: called "General" and a lieutenant colonel "Colonel", so military ranks differ in their last word.
_POLICE_RANKS = frozenset({"constable", "sergeant", "inspector", "superintendent"})
RANK = "rank "


def rank_at(text: str, sentence_start: int, start: int, end: int, name: str) -> str | None:
    """The police or military rank written right before a person's mention at ``text[start:end]``,
    as ``RANK`` + the rank in lowercase ("rank detective inspector")."""
    mention = text[start:end]
    prefix = mention[: len(mention) - len(name)] if mention.endswith(name) and mention != name else ""
    m = _RANK_RE.search(text[max(sentence_start, start - 60):start] + prefix)
    return RANK + _clean(m["rank"]) if m else None


def _ranks_differ(first: str, second: str) -> bool:
    a = [w for w in first.removeprefix(RANK).split() if w not in ("detective", "police")]
    b = [w for w in second.removeprefix(RANK).split() if w not in ("detective", "police")]
    if a[-1] in _POLICE_RANKS and b[-1] in _POLICE_RANKS:
        return a != b
    return a[-1] != b[-1]


#: A post someone takes: "Saga Lind will become finance minister", "..., who was appointed
#: interim prime minister"; and "named a civilian, Hanna Obuya, as interim prime minister".
_BECOMES_RE = re.compile(rf"^,?\s*(?:who\s+)?(?:will\s+become|is\s+to\s+become|became|becomes|was\s+named|"
                         rf"has\s+been\s+named|was\s+appointed|has\s+been\s+appointed)\s+(?:as\s+)?(?:the\s+)?"
                         rf"(?:new\s+)?{_ROLE}\b(?!\s+of\b|['’]s)", re.I)
_NAMED_RE = re.compile(r"\b(?:named|appointed|chose|picked)\b", re.I)
_AS_RE = re.compile(rf"^,?\s*as\s+(?:the\s+)?(?:new\s+)?{_ROLE}\b(?!\s+of\b|['’]s)", re.I)


_MERGED = (r"(?:combined|merged|enlarged|new|joint)\s+"
           r"(?:group|company|business|firm|bank|entity|organisation|organization)")
_MERGED_AFTER_RE = re.compile(
    rf"^(?:,[^,.;]{{0,60}},|,)?\s+(?:will|would|is\s+(?:set|expected|due)\s+to|is\s+to)\s+"
    rf"(?:lead|run|head|become\s+(?:the\s+)?chief\s+executive\s+of|take\s+charge\s+of)\s+the\s+{_MERGED}\b", re.I)
_MERGED_BEFORE_RE = re.compile(rf"\b{_MERGED}\s+will\s+be\s+(?:led|run|headed)\s+by\s+(?:[^,.;]{{0,40}}?,?\s*)?$",
                               re.I)


def merged_head_at(text: str, sentence_start: int, start: int, end: int) -> bool:
    """Whether the sentence makes the person mentioned at ``text[start:end]`` the head of a
    company a merger creates."""
    return bool(_MERGED_AFTER_RE.match(text[end : end + 160]) or _MERGED_BEFORE_RE.search(text[sentence_start:start]))


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
    if a.role.startswith(RANK) or b.role.startswith(RANK):
        ranks = a.role.startswith(RANK) and b.role.startswith(RANK)
        return "rank" if ranks and a.cluster == b.cluster and _ranks_differ(a.role, b.role) else None
    if a.role.startswith(AGE) or b.role.startswith(AGE):
        ages = a.role.startswith(AGE) and b.role.startswith(AGE)
        return "age" if ages and a.cluster == b.cluster and _ages_clash(a.role, b.role) else None
    if a.cluster == b.cluster:
        if a.role == b.role or _refines(a.role, b.role) or _also_holds(a, b, mentions):
            return None
        if _head(a.role) == _head(b.role):
            return "role"
        if {_head(a.role), _head(b.role)} <= _CHAIRS:
            return None  # a jury's president is its chair
        # two different posts: only posts one person does not hold together, in one organisation
        return "role" if _exclusive(a.role) and _exclusive(b.role) and _same_owner(a, b) else None
    if not _same_office(a.role, b.role) or not _single_holder(a.role) or not _single_holder(b.role):
        return None
    if not _same_owner(a, b) or _part_of(a.person, b.person):
        return None
    if _head(a.role) in _PER_SIDE and (a.owner is None or b.owner is None):
        return None  # each side of a match has its captain and coach
    holders = {(m.article, m.cluster) for m in mentions if _same_office(m.role, a.role)}
    if (b.article, a.cluster) in holders or (a.article, b.cluster) in holders:
        return None
    return "person"


#: Posts of which one person holds one at a time in one organisation (a chief executive is not
#: also its chief operating officer); "founder", "owner", "leader" and the like go with any post.
_EXCLUSIVE_HEADS = frozenset({"chief executive", "chairman", "chairwoman", "chair", "director", "officer",
                              "minister", "secretary", "governor", "mayor", "president", "judge", "recorder",
                              "nurse", "epidemiologist", "principal", "commissioner", "conductor", "chancellor",
                              "constable", "prosecutor", "ambassador", "organiser", "organizer"})


_CHAIRS = frozenset({"chair", "chairman", "chairwoman", "president"})


def _part_of(first: str, second: str) -> bool:
    """Whether one name is written within the other ("Kwame" / "Kwame Asante"): likely one
    person whom the entity clusters keep apart."""
    a, b = set(first.split()), set(second.split())
    return bool(a) and bool(b) and (a <= b or b <= a)


def _exclusive(role: str) -> bool:
    return _head(role) in _EXCLUSIVE_HEADS and not set(role.split()) & _RANKS


def _same_office(first: str, second: str) -> bool:
    """One office named twice, perhaps once more narrowly ("governor" / "provincial governor")."""
    return first == second or (_head(first) == _head(second) and _refines(first, second))


#: Words that make another post of a title ("deputy mayor" is not a kind of mayor).
_RANKS = frozenset({"deputy", "vice", "former", "acting", "assistant", "interim", "ex", "co", "junior", "under",
                    "shadow", "lieutenant", "lt", "lt.", "associate"})


_STAND_INS = frozenset({"interim", "acting"})


def _single_holder(role: str) -> bool:
    """Whether one person holds the office at a time: a listed office (however qualified), or a
    minister or secretary with a portfolio ("health minister", not "minister"); never a deputy's
    post ("deputy health minister"). An interim or acting post has one holder too ("interim prime
    minister"); it is another office than the post itself (``_same_office``)."""
    words = role.split()
    if set(words) & (_RANKS - _STAND_INS):
        return False
    words = [w for w in words if w not in _STAND_INS]
    role = " ".join(words)
    listed = role in _SINGLE_HOLDER or _head(role) in _SINGLE_HOLDER or " ".join(words[-2:]) in _SINGLE_HOLDER
    return listed or (words[-1] in ("minister", "secretary") and len(words) > 1)


def _refines(first: str, second: str) -> bool:
    """Whether one title only narrows the other ("minister" / "education minister")."""
    a, b = set(first.lower().split()), set(second.lower().split())
    return (a <= b or b <= a) and not (a ^ b) & _RANKS


def _also_holds(a: RoleMention, b: RoleMention, mentions: list[RoleMention]) -> bool:
    """Whether either article also gives the person the other article's role."""
    return any(m.cluster == a.cluster and ((m.article == a.article and m.role == b.role)
                                           or (m.article == b.article and m.role == a.role))
               for m in mentions)
