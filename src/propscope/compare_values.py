"""What one sentence commits to, in a form two sentences can be compared on.

Times, numbers and durations become intervals (``low``..``high``) with the predicate they
belong to ("opened in 1998" -> predicate ``open``); a sentence also gets its attribution
("police said" -> ``police``) and its negated predicates ("was not arrested" -> ``arrest``).
No model: word tables and the parts :mod:`propscope.claimparts` found.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

from propscope.compare_harm import Harm

INF = math.inf

#: Inflected word -> the predicate it expresses; values near these words are "about" it.
_PREDICATE_WORDS: dict[str, str] = {
    word: group
    for group, words in {
        "open": "open opens opened opening inaugurated inaugurate",
        "reopen": "reopen reopens reopened reopening",
        "close": "close closes closed closing closure shut shuts shutdown",
        "build": "built build builds constructed construction completed completion finished painted composed",
        "found": "founded establishes established founding began begun launched started",
        "discover": "found discovered discover discovers detected uncovered spotted discovery find",
        "sell": "sold sell sells sale bought buy buys acquired acquire hands",
        "kill": "killed kill kills died die dies dead death deaths fatalities toll lives life perished drowned",
        "injure": "injured injure injuries hurt wounded wound wounds",
        "convict": "convicted convict convicts conviction guilty",
        "uphold": "upheld uphold upholds",
        "approve": "approved approve approves",
        "arrest": "arrested arrest arrests detained detain detention",
        "evacuate": "evacuated evacuate evacuation",
        "damage": "damaged damage destroyed destroy wrecked",
        "cost": "cost costs costing spent budget",
        "employ": "employed employ employs employees workforce",
        "demolish": "demolished demolish demolition razed",
        "resign": "resigned resign resigns resignation quit quits",
        "retire": "retired retire retires retirement",
        "attend": "attended attend attending joined marched gathered packed",
        "worth": "worth valued",
        "strike": "strike strikes striking walked walkout stopped",
        "cut": "cut cuts shed losses slashed slash slashes",
        "sign": "signed signatures",
        "land": "land landed landing",
        "crash": "crash crashed crashes collision collided",
        # not "announced": "announced the closure on Wednesday" dates the closure's announcing
        "announce": "announcement declaration",
        "seize": "seized seize seizes seizure raided raid raids",
        "inspect": "inspection inspections inspected inspect inspectors",  # not "visited": a minister's visit
        "collapse": "collapse collapsed collapses rockfall",
        "win": "won win wins winning received secured garnered",
        "lead": "led lead leads",
        "level": "rose rise rises fell fall falls reached hit grew grown increased decreased dropped soared surged "
                 "jumped climbed plunged slumped dipped declined peaked",
        "swear": "sworn swore",
        "house": "housed accommodated accommodates",
        "trap": "trapped trapping",
        "rescue": "rescued rescuing",
        "treat": "treated treating hospitalised hospitalized",
        "jail": "jailed jail prison imprisoned imprisonment sentenced",
        "last": "lasted lasts lasting",
        "cancel": "cancelled canceled cancel cancels suspended",
        "contain": "contained containment",
        "concede": "conceded concede concedes",
        "investigate": "investigating investigate investigates investigated investigation",
        "admit": "admitted admits admit",
    }.items()
    for word in words.split()
}

#: Words that deny a predicate of the table ("the driver survived" / "the driver was killed").
_ANTONYMS = {"survived": "kill", "survives": "kill", "unhurt": "injure", "uninjured": "injure", "unharmed": "injure",
             "undamaged": "damage", "acquitted": "convict", "overturned": "uphold",
             "quashed": "uphold", "rejected": "approve", "rejects": "approve", "resumed": "cancel",
             "resume": "cancel", "resumes": "cancel", "denied": "admit", "denies": "admit", "deny": "admit"}

_PERSON_WORDS = """people person persons residents resident workers worker protesters protester
    demonstrators inhabitants staff employees passengers visitors pupils students customers victims
    members dead killed injured wounded fans officers soldiers civilians children adults miners pilots
    colleagues crew police patients guests spectators voters tourists migrants refugees prisoners
    supporters marchers participants attendees minors teenagers men women nurses doctors teachers sailors
    troops drivers farmers suspects veterans survivors climbers growers claimants shoppers commuters"""
_PERSON_UNITS = frozenset(_PERSON_WORDS.split())
_DEATH_UNITS = frozenset({"dead", "killed", "deaths", "fatalities"})
_COUNTED_UNITS = {"deaths": "people", "death": "people", "fatalities": "people", "fatality": "people",
                  "lives": "people", "life": "people"}
_CURRENCIES = {"euros": "EUR", "euro": "EUR", "€": "EUR", "dollars": "USD", "dollar": "USD",
               "$": "USD", "pounds": "GBP", "£": "GBP"}
#: Units that do not say what is counted (a sum of money, a share, a number of people).
MONEY_UNITS = frozenset(_CURRENCIES.values())
#: Lengths, as ``unit_of`` gives them.
LENGTH_UNITS = frozenset({"metre", "meter", "m", "km", "foot", "feet", "ft", "mile"})
GENERIC_UNITS = _GENERIC_UNITS = frozenset({"people", "%"}) | MONEY_UNITS
_SAME_UNITS = {"homes": "house", "home": "house", "houses": "house", "dwellings": "house", "properties": "house",
               "households": "house", "household": "house",
               "stores": "shop", "store": "shop", "shops": "shop", "outlets": "shop", "branches": "shop",
               # the places a business or a trial works at ("14 sites" / "16 factories and depots")
               "sites": "site", "factories": "site", "plants": "site", "depots": "site", "clinics": "site",
               "facilities": "site", "locations": "site", "centres": "site", "centers": "site",
               "jobs": "job", "posts": "job", "roles": "job", "positions": "job",
               "charges": "charge", "counts": "charge", "offences": "charge", "offenses": "charge",
               "flights": "flight", "departures": "flight",
               "floors": "floor", "storeys": "floor", "storey": "floor"}
_YEAR_PREPOSITIONS = ("in", "since", "by", "from", "until", "of")

#: What one is "admitted to" when it is care, not a confession.
_CARE_PLACES = frozenset({"hospital", "hospitals", "a", "an", "the", "intensive", "care", "clinic", "ward"})
_NEGATORS = frozenset({"not", "n't", "never", "no", "without", "nobody", "none", "neither", "nor",
                       "refused", "refuses", "declined", "declines"})  # "declined to concede"
_NOT_CLAIMS = frozenset({"say", "said", "comment", "know", "known", "confirm", "disclose",
                         "respond", "immediately", "clear", "able", "want", "expect"})
#: Words between a negator and what it denies ("no plans to investigate", "no longer closed").
_NEGATION_CARRIERS = frozenset({"plans", "plan", "intention", "intends", "intend", "longer"})
_AUXILIARIES = frozenset({"be", "been", "being", "was", "were", "is", "are", "have", "has", "had", "yet",
                          "one", "a", "the", "to", "of", "any", "longer", "officially", "formally"})
_SPEECH = r"said|says|say|told|tells|claimed|claims|estimated|estimates|estimate|reported|announced|confirmed|stated"
_ATTRIBUTION_RES = (
    re.compile(r"\baccording to (?P<src>[^,.;]+)", re.I),
    re.compile(rf"(?:^|,\s*)(?P<src>[^,;]{{2,60}}?)\s+(?:{_SPEECH})\b", re.I),
)
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "some", "local"})
#: Words that say nothing about what a value measures (kept out of contexts and content words).
_FUNCTION_TEXT = (
    "a an the and or but of in on at to for from by with as into onto over under about around roughly "
    "some nearly almost least most more less than up down out off near next since until after before "
    "during while when where which who whom whose that this these those there here then it its they "
    "them their he him his she her we us our you your i me my be been being was were is are am has have "
    "had do does did will would shall should can could may might must not no also only just still yet so "
    "very all any each every both such own other another same what how why if said says say told "
    "according per time times way thing things lot year years month months week weeks day days today "
    "yesterday tonight night morning evening afternoon last next ago average typical median"
)
FUNCTION_WORDS = _FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())
#: Verbs that only say that an event happened: the event is the word before them ("the crash
#: took place on Monday", "the inspection, held on Tuesday").
_LIGHT_VERBS = frozenset({"happened", "happen", "happens", "occurred", "occur", "occurs", "took", "take", "takes",
                          "place", "made", "came", "held"})
_PASSED_OVER = _FUNCTION_WORDS | _LIGHT_VERBS  # words a day's predicate is not
_ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth", "initial", "earlier", "previous",
                       "latest", "final"})
_CONTEXT_WIDTH = 4  # content words on each side of a value that say what it measures
_NEAR_WIDTH = 2  # content words on each side that say what a duration measures
# "HALDEN, 5 September 2025 (Nordwire) - " or, with no outlet, "HALDEN, 5 September 2025 - "
SAME_SENSE = 0.8  # sentence cosine above which two sentences say much the same thing
SOLE_SENSE = 0.7  # cosine above which the only figures of one unit in two sentences are compared
TIED_GENERIC_SENSE = 0.84  # a sum, share or count tied to a predicate on one side only needs sentences this close
CLOCK_SENSE = 0.75  # cosine above which the only times of day of two sentences are compared
SOLE_SENSE_WORD = 0.55  # ... and above which they are when a word around them is shared too
_SHARED_CONTEXT = 2  # words two values tied to no predicate must share to measure one thing
_DATELINE_RE = re.compile(
    r"^[A-Z][A-Z .'’-]+,(?:[^()\n]{3,40}\([A-Z][\w ]*\)|[^()\n–—-]{0,30}\d[^()\n–—-]{0,20})\s*[-–—]+\s*")
_PAST_RE = re.compile(r"\b(?:up|down) from\b|\bcompared (?:with|to)\b|"
                      r"(?:(?<=%)|(?<=per cent)|(?<=percent))\s+on\s+(?=(?:19|20)\d\d\b)", re.I)  # "up 11% on 2022"
#: "rose to 3.2% in May from 2.7% in April": the figure after "from" is the earlier one
_FROM_AFTER_TO_RE = re.compile(r"\bto\s+(?:[£$€]\s?)?\d[\d,.]*[^\s.;:]*[^.;:]*?\s(?P<from>from)\s+(?:[£$€]\s?)?\d",
                               re.I)
_FROM_EARLIER_RE = re.compile(r"\bfrom\s+(?:[£$€]\s?)?\d[\d,.]*\s*(?:%|per ?cent|percent)?\s+(?:a|one)\s+"
                              r"(?:year|month|week|quarter)\s+(?:earlier|ago|before)\b", re.I)
_BEFORE_WORDS = {"ago": "before", "earlier": "before", "last": "before", "previous": "before", "prior": "before"}
_LISTED_RE = re.compile(r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten)\s*(?:,|and|or|to)\s*$", re.I)
#: "inside the final 5km", "in his first 100 days" (not "expected to last three weeks")
_PORTION_RE = re.compile(r"\b(?:the|its|his|her|their)\s+(?:final|last|first|opening|closing)\s*$", re.I)
_MODAL_RE = re.compile(r"\b(?:expects?|expected to|expecting|forecasts?|forecast to|forecasting|projected|"
                       r"projecting|predicts?|predicting|could|might|would|wants?|demands?|seeks?|"
                       r"aims? to|plans? to|targets?|hop(?:es|ed|ing) to|promis(?:es|ed|ing) to|pledg(?:es|ed|ing) to|"
                       r"vow(?:s|ed|ing) to)\b", re.I)
_GOAL_RE = re.compile(r"^\s*(?:[^\W\d]+\s+)?(?:target|goal|ceiling|cap|limit)\b", re.I)
_LIMIT_RE = re.compile(r"\b(?:within|under)\s*$|\b(?:target|goal|standard|benchmark|ceiling|cap|limit) of\s*$|"
                       r"\b(?:original|initial|planned|first)\s+(?:budget|estimate|plan|forecast) of\s*$",
                       re.I)  # "seen within four hours", "a national standard of 95%": a limit, not a level
_NAMED_PERIOD_RE = re.compile(r"\b(?:last|this|next|previous|the same)\s+(?:winter|summer|spring|autumn|season|"
                              r"year|month|week|quarter)\b|"
                              r"\b(?:first|second|third|fourth|final)[\s-](?:half|quarter)\b|\b[QH][1-4]\b", re.I)
_UPDATE_RE = re.compile(
    r"\b(?:rose|risen|climbed|increased|grown|jumped|rising|climbing|fallen|dropped|declined) to\b|"
    r"\bby (?:mid-?)?(?:morning|noon|day|"
    r"afternoon|evening|nightfall|midnight|late)\b|\blater\b|\brevised\b|\bupdated\b|\bso far\b|"
    r"\binitial(?:ly)?\b|\bat first\b|\bpreliminary\b|(?<!year )(?<!month )(?<!week )\bearlier\b|"
    r"\bhad (?:risen|climbed)\b|\bremain(?:s|ed)? (?:in place|under|without)\b|\bstill without\b|"
    r"\b(?:has|have) now\b", re.I)
_PERIOD_WORDS_RE = re.compile(r"\b(?:year|years|month|months|week|weeks|decade|quarter|season|winter|summer|spring|"
                              r"autumn|ago|earlier|"
                              r"last|next|this|previous|same period)\b", re.I)
_PART_RE = re.compile(r"^\s+of\s+(?:them|whom|those|these|the (?:dead|injured|wounded|victims|people|total))\b|"
                      r"^\s+of\s+the\s+(?!\d)[a-z-]+\s+(?:losses|cuts|jobs|deaths|cases|victims|passengers)\b|"
                      r"^\s+(?:others?|more)\b(?!\s+than)", re.I)
_OTHER_WORDS = frozenset({"other", "others", "another", "co-defendants", "remaining", "rest", "additional"})
_TALLY_TEXT = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
               "sixteen seventeen eighteen nineteen twenty")
_TALLY_WORDS = _TALLY_TEXT.split()
_TALLY = r"(\d{1,3}|" + "|".join(_TALLY_WORDS) + ")"
_SCORE_RES = (re.compile(rf"\b{_TALLY} votes? to {_TALLY}\b", re.I),
              re.compile(rf"\bvoted {_TALLY} to {_TALLY}\b", re.I),  # "councillors voted 9 to 4"
              # not "at 4-5": a running score
              re.compile(r"(?<![\d.,:-])(?<!\bat )(\d{1,2}) ?[-–] ?(\d{1,2})(?![\d,:-]|\.\d)"))
_MATCH_WORDS_RE = re.compile(r"\b(?:beat|beating|beaten|won|win|wins|lost|lose|defeat|defeated|drew|draw|"
                             r"victory|score|scored|final|match|votes?|voted|voting|passed|approved|rejected|"
                             r"ruled|majority)\b", re.I)
#: Stems of words that name the same thing, to their common stem.
_SAME_THING = {"inflation": "price", "inflat": "price", "pric": "price", "cpi": "price", "jobless": "unemployment",
               "salary": "wage", "salari": "wage", "pay": "wage", "earning": "wage", "quake": "earthquake",
               "tremor": "earthquake", "deal": "contract", "blaze": "fire", "inferno": "fire", "wildfire": "fire",
               "firm": "company", "canvas": "painting", "vessel": "ship", "jail": "prison", "pact": "agreement",
               "accord": "agreement", "upgrad": "improvement", "upgrade": "improvement",
               "shortfall": "gap", "deficit": "gap", "sal": "revenue", "turnover": "revenue"}
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*")


@dataclass(frozen=True)
class Value:
    """A time, number or duration one sentence commits to.

    ``low``/``high``: ordinal days for times, numbers for quantities, years for durations.
    ``unit``: "date" (year known), "monthday" (no year), a normalised unit for quantities,
    "years" for durations. ``anchor``: the predicate it belongs to, or None.
    """

    kind: str
    text: str
    start: int
    end: int
    low: float
    high: float
    unit: str
    anchor: str | None
    shown: str
    derived: str | None = None
    context: frozenset[str] = frozenset()  # content stems and predicates around the value
    near: frozenset[str] = frozenset()  # the content words right next to it
    forecast: bool = False  # in a clause that forecasts or plans ("expects rents to rise 4%")
    other: bool = False  # counts another group ("two other miners")
    peak: bool = False  # the greatest of its kind ("gusts of up to 94 mph", "the strongest gust, 81 mph")
    subject: tuple[str, ...] = ()  # for a change, the words of what changed, head last ("flat", "rent")
    person: int | None = None  # for an age written after a name ("Ana Brook, 58,"), the name's entity cluster
    #: for seats, votes or a share won, the entity cluster of the party or person said to win
    #: them ("Homeland won nine seats", "Her rival, Jana Korv, took 45.8%")
    owner: int | None = None
    #: for an earlier figure given beside the current one ("up from 2.9% in April"), the words of
    #: the time it is dated by ("april"; "week before" for "a week ago"); None for a current figure
    earlier: frozenset[str] | None = None

    def overlaps(self, other: Value) -> bool:
        return self.low <= other.bounds[1] and other.low <= self.bounds[1]

    @property
    def bounds(self) -> tuple[float, float]:
        """``low``, ``high``; a whole day of the week (``low == high``) lasts until the next."""
        if self.unit == "weekday" and self.low == self.high:
            return self.low, self.high + _WHOLE_DAY
        return self.low, self.high


@dataclass
class Sentence:
    """One sentence of one article with everything the judgement compares."""

    article: int
    start: int
    end: int
    text: str
    values: list[Value] = field(default_factory=list)
    refs: list[Value] = field(default_factory=list)  # point times that date the sentence
    weekdays: frozenset[str] = frozenset()
    entities: frozenset[int] = frozenset()  # cross-article entity cluster ids
    people: frozenset[int] = frozenset()  # the clusters of the people it names
    places: list[tuple[int, str, str | None]] = field(default_factory=list)  # cluster, text, anchor
    source: str | None = None
    negated: frozenset[str] = frozenset()
    asserted: frozenset[str] = frozenset()
    checkworthy: bool = False
    content: frozenset[str] = frozenset()  # content stems and predicates of the whole sentence
    numbers: frozenset[float] = frozenset()  # every number written, with or without a unit
    sources: frozenset[str] = frozenset()  # the words naming who it is attributed to
    relative: frozenset[str] = frozenset()  # relative periods with no date ("last year")
    update: bool = False  # a figure given as an update ("rose to 15 by evening")
    denied_harms: tuple[Harm, ...] = ()  # "No one was injured"
    reported_harms: tuple[Harm, ...] = ()  # "A firefighter suffered minor burns"


# --------------------------------------------------------------------------- words


def stem(word: str) -> str:
    """A crude stem: lowercase, common inflections dropped ("arrested" -> "arrest")."""
    word = word.lower().strip("'’-")
    if re.search(r"[ts]ions?$", word) and len(word) >= 8:  # "deliberation" -> "deliberat", "inspections" -> "inspect"
        return word[: word.rindex("ion")]
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def predicate(word: str) -> str | None:
    """The predicate group of a word, if it is in the table."""
    return _PREDICATE_WORDS.get(word.lower())


def denies(word: str) -> str | None:
    """The predicate group a word denies ("survived" -> "kill"), if any."""
    return _ANTONYMS.get(word.lower())


def words(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """Words and numbers of ``text`` as (start, end, word), offsets shifted by ``offset``; the
    first word of the sentence (after any dateline) in lowercase unless it is all capitals."""
    begin = dateline_end(text)
    out = []
    for m in _WORD_RE.finditer(text):
        word = m.group()
        first = not text[begin : m.start()].strip(" \"'“‘")
        out.append((m.start() + offset, m.end() + offset, word.lower() if first and not word.isupper() else word))
    return out


def _content_key(word: str) -> set[str]:
    """The stem of a lowercase content word and its predicate group (empty for other words)."""
    low = word.lower()
    if word[0].isupper() or not word[0].isalpha() or low in _FUNCTION_WORDS or len(low) < 3:
        return set()
    group = predicate(low)
    tail = low.rsplit("-", 1)[-1]
    extra = {stem(tail)} if "-" in low and len(tail) >= 3 and tail not in _FUNCTION_WORDS else set()
    return {_SAME_THING.get(k, k) for k in {stem(low)} | extra} | ({group} if group else set())


def content_words(tokens: list[tuple[int, int, str]]) -> frozenset[str]:
    """Stems and predicate groups of the common (lowercase) content words of a sentence."""
    return frozenset(k for _s, _e, w in tokens for k in _content_key(w))


def context_of(tokens: list[tuple[int, int, str]], start: int, end: int, unit: str | None = None,
               width: int = _CONTEXT_WIDTH) -> frozenset[str]:
    """Content stems and predicates within ``width`` content words of ``[start, end)``, less
    the words that only name ``unit`` ("residents" for a count of people)."""
    def keys(side: list[tuple[int, int, str]]) -> list[set[str]]:
        found = [_content_key(w) for _s, _e, w in side if not unit or _metric(unit_of(w)) != unit]
        return [k for k in found if k][:width]

    left = keys([t for t in tokens if t[1] <= start][::-1])
    right = keys([t for t in tokens if t[0] >= end])
    return frozenset(w for k in left + right for w in k)


def with_context(v: Value, tokens: list[tuple[int, int, str]], text: str = "") -> Value:
    """The value with its context words filled in (and whether ``text``, the article, puts it
    in a forecast)."""
    unit = v.unit if v.kind == "quantity" else None
    clause = re.split(r"[,.;:]", text[max(0, v.start - 80) : v.start])[-1]
    before = re.split(r"[.!?]\s", text[max(0, v.start - 24) : v.start])[-1]  # this sentence only
    after = re.split(r"[.!?](?:\s|$)", text[v.end : v.end + 24])[0]
    around = {w.lower() for w in _WORD_RE.findall(f"{before} {after}")}
    head = _modified_noun(v, tokens)
    if head:  # "its 70-year history" measures the history, whatever verb is near
        v = replace(v, anchor=None)
    if v.anchor == "level":
        v = replace(v, subject=_subject_of(v, tokens))
    return replace(v, context=context_of(tokens, v.start, v.end, unit),
                   near=head or context_of(tokens, v.start, v.end, unit, _NEAR_WIDTH),
                   forecast=bool(_MODAL_RE.search(clause) or _GOAL_RE.match(text[v.end : v.end + 24])
                                 or _LIMIT_RE.search(clause)),
                   other=bool(around & _OTHER_WORDS),
                   peak=v.kind == "quantity" and bool(_PEAK_RE.search(f"{before} {v.text}")))


_ADJECTIVE_DURATION_RE = re.compile(r"-(?:day|week|month|year|decade)$", re.I)
_PEAK_RE = re.compile(r"\b(?:up to|strongest|highest|fastest|maximum|peak(?:ed|ing)?)\b", re.I)


def _modified_noun(v: Value, tokens: list[tuple[int, int, str]]) -> frozenset[str]:
    """For a duration written as an adjective ("a 70-year history", "a five-year contract"),
    the stems of the noun it describes; empty otherwise."""
    if v.kind != "duration" or not _ADJECTIVE_DURATION_RE.search(v.text):
        return frozenset()
    following = [t for t in tokens if t[0] >= v.end][:1]
    keys = _content_key(following[0][2]) if following else set()
    return frozenset(keys) if following and following[0][2].lower() != "old" else frozenset()


_PREPOSITIONS = frozenset({"of", "in", "at", "across", "for", "on", "among", "from", "outside", "inside", "throughout"})
_CLAUSE_START = frozenset({"said", "says", "say", "that", "while", "and", "but", "whereas", "as", "showed", "show",
                           "shows", "according", "which", "who", "when"})
_ADVERBS = frozenset({"however", "alone", "meanwhile", "instead", "though", "too", "again", "already", "even",
                      "sharply", "also", "still"})
#: Modifiers that keep a measure whole ("monthly rents" are the rents); others name a part of
#: it ("one-bedroom flat rents").
_WHOLE_MODIFIERS = frozenset({"monthly", "annual", "yearly", "weekly", "daily", "overall", "total", "headline",
                              "mean", "asking", "nominal", "underlying"})


#: What reports of figures put side by side: two changes said of two of these (as content
#: stems) are never one figure.
_MEASURE_TEXT = (
    "profit revenue sales turnover earnings income prices rents wages costs debt output exports imports spending "
    "investment dividends volumes margins fares bills unemployment employment population attendance production "
    "shares value subscribers customers passengers"
)
MEASURES = _MEASURES = frozenset(k for w in _MEASURE_TEXT.split() for k in _content_key(w))


def _subject_of(v: Value, tokens: list[tuple[int, int, str]]) -> tuple[str, ...]:
    """What a change is said of, as content stems with its head noun last: the words before
    its verb back to the start of the clause ("Average monthly rents in Castlemere rose 9.2%":
    monthly, rent; "Across the region, rents rose by 6.8%": region, rent); empty when the verb
    does not precede the figure."""
    left = [t for t in tokens if t[1] <= v.start][::-1][:6]
    verb = next((i for i, t in enumerate(left) if predicate(t[2]) == "level"), None)
    if verb is None:
        return ()
    before: list[str] = []
    for t in [t for t in tokens if t[1] <= left[verb][0]][::-1]:
        if t[2].lower() in _CLAUSE_START or t[2][0].isdigit():
            break
        before.insert(0, t[2])
    chunks: list[list[str]] = [[]]
    for w in before:
        if w.lower() in _PREPOSITIONS and chunks[-1]:
            chunks.append([])
        chunks[-1].append(w)
    keys = [[sorted(k)[0] for w in chunk
             if w.lower() not in _PREPOSITIONS | _ADVERBS and not w.lower().endswith("ly")
             and (k := _content_key(w) - {predicate(w) or ""})]
            for chunk in chunks]
    heads = [k for chunk, k in zip(chunks, keys, strict=True) if k and chunk[0].lower() not in _PREPOSITIONS]
    head = heads[0][-1] if heads else next((k[-1] for k in keys[::-1] if k), None)
    if head is None:
        return ()
    rest = [w for k in keys for w in k]
    rest.remove(head)
    return (*rest, head)


def anchor_of(tokens: list[tuple[int, int, str]], start: int, end: int, prefer_left: bool) -> str | None:
    """The nearest predicate word to ``[start, end)`` (six words left, four right)."""
    left = [t for t in tokens if t[1] <= start][::-1][:6]
    right = [t for t in tokens if t[0] >= end][:4]
    best: tuple[int, int, str] | None = None
    for side, found in ((0 if prefer_left else 1, left), (1 if prefer_left else 0, right)):
        distance = 0  # content words passed ("founded in 1954, opened ...": "founded" is as near)
        for k, token in enumerate(found):
            if token[2][0].isdigit():
                if found is right and k and found[k - 1][2].lower() == "aged":
                    continue  # an age in between: "One firefighter, aged 29, died"
                break  # a predicate beyond another number belongs to that number
            group = predicate(token[2])
            if group and (best is None or (distance, side) < best[:2]):
                best = (distance, side, group)
                break
            distance += token[2].lower() not in _FUNCTION_WORDS
    return best[2] if best else None


def adjacent_anchor(tokens: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The predicate written next to ``[start, end)``: the first word after it, or one of the
    two words before it, function words aside ("began on Friday", "reopened to traffic on
    Wednesday", "on Friday began"; not "on Saturday ordered striking pilots"). Light verbs are
    passed over ("the collision happened on Sunday": "crash")."""
    content = [t[2] for t in tokens if t[1] <= start and t[2].lower() not in _PASSED_OVER][::-1][:2]
    after = next((t[2] for t in tokens if t[0] >= end and t[2].lower() not in _PASSED_OVER), None)
    for word in [*content, after]:
        if word and predicate(word):
            return predicate(word)
    return None


def same_measure(va: Value, vb: Value, close: bool = False, *, subjects: bool = True) -> bool:
    """Whether two values measure the same thing: same kind and unit, tied to the same
    predicate ("opened in 1998" / "since it opened in 2011"), or, where neither has one, to
    words they share around them ("the hall held about 900 tonnes" / "held roughly 900
    tonnes"): two words, or one when their sentences are ``close`` in sense. Sums of money,
    shares and counts of people, which sentences give of many things, also need one of those
    words right next to both figures unless the sentences are close ("a €4 million contract" /
    "a €9 million road-sign contract"). With ``subjects``, changes also need one subject
    ("pre-tax profit fell to £21.3m" / "revenue grew to £418 million"); without, the looser
    test of words around them, to find every figure in a sentence that might be meant."""
    if va.kind != vb.kind or (va.kind == "quantity" and va.unit != vb.unit):
        return False
    if va.kind == "time" and va.unit != vb.unit and {va.unit, vb.unit} & _DAY_TIMES:
        return False  # a day of the week, a time of day and a date are not compared
    if _ordered_apart(va, vb):
        return False  # "the first blast" / "the second blast"
    if va.owner is not None and vb.owner is not None:
        return va.owner == vb.owner  # seats, votes or a share one party or person won
    if va.anchor and vb.anchor:
        return va.anchor == vb.anchor and _same_subject(va, vb, subjects)
    if va.kind == "duration":
        return bool(va.near & vb.near)  # "an 18-month renovation" / "served for four decades"
    if va.unit == "clock":
        return bool(va.context & vb.context)  # the only times of day of sentences alike (see comparable)
    loose = vb if va.anchor else va  # the value without a predicate, if one has it
    tied = va.anchor or vb.anchor
    if subjects and not _said_of_one(va, vb):
        return False
    if tied and tied in loose.context:
        return True
    if va.kind == "quantity" and va.unit in _GENERIC_UNITS and not close and not va.near & vb.near:
        return False  # a sum, share or count of people needs a word right next to both figures
    needed = 1 if tied or close else _SHARED_CONTEXT
    return len(va.context & vb.context) >= needed


def _ordered_apart(va: Value, vb: Value) -> bool:
    """Whether the words next to two values give them different places in a series ("the
    first blast" / "the second blast")."""
    ordinals = (va.near & _ORDINALS, vb.near & _ORDINALS)
    return all(ordinals) and not ordinals[0] & ordinals[1]


def _kinds_apart(va: Value, vb: Value, a: Sentence, b: Sentence) -> bool:
    """Whether two sentences give figures of different kinds of one thing: a noun one of them
    qualifies with a kind ("a protection zone", "core inflation") and the other with another
    kind or none ("a ten-kilometre surveillance zone", "annual inflation")."""
    if va.kind != "quantity":
        return False
    (kinds_a, nouns_a), (kinds_b, nouns_b) = _kinds_of(a.text), _kinds_of(b.text)
    return any(kinds_a.get(n, frozenset()) != kinds_b.get(n, frozenset())
               for n in (kinds_a.keys() | kinds_b.keys()) & nouns_a & nouns_b)


#: words that name one kind of a thing measured in parts: a figure of one kind is never a
#: figure of another kind, or of the whole ("energy and food" lists them, it qualifies nothing)
_KIND_RE = re.compile(r"\b(core|food|energy|protection|surveillance|inner|outer|domestic|international|overseas)"
                      r"\s+(?!and\b|or\b)([a-z]+)", re.I)
_NOUN_RE = re.compile(r"[a-z]+")


@lru_cache(maxsize=4096)
def _kinds_of(text: str) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """({noun: the kinds it is qualified by} ("core inflation"), every lowercased word) of a
    sentence, read once per sentence; a capitalised kind word past the start of the sentence is
    part of a name ("Greenacre Energy")."""
    found: dict[str, set[str]] = {}
    for m in _KIND_RE.finditer(text):
        kind, noun = m.group(1), m.group(2).lower()
        if (kind[0].isupper() and text[: m.start()].strip(" \"'“‘")) or noun in _FUNCTION_WORDS:
            continue
        found.setdefault(noun, set()).add(kind.lower())
    return {n: frozenset(k) for n, k in found.items()}, frozenset(_NOUN_RE.findall(text.lower()))


def _said_of_one(va: Value, vb: Value) -> bool:
    """Whether a change said of something ("one-bedroom flat rents have jumped by 15%") may be
    said of what the other value is about: the same subject, or, for a value with none, one
    whose words name all of it (not "the number of homes to rent was 28% lower")."""
    if va.subject and vb.subject:
        return _same_subject(va, vb)
    said, loose = (va, vb) if va.subject else (vb, va)
    return not {w for w in said.subject if w not in _WHOLE_MODIFIERS} - loose.context


def _same_subject(va: Value, vb: Value, subjects: bool = True) -> bool:
    """For changes ("rose 4%"), whether the values share what changed ("rents" / "wages")."""
    if va.anchor != "level":
        return True
    if subjects and va.subject and vb.subject:
        heads = {_SAME_THING.get(v.subject[-1], v.subject[-1]) for v in (va, vb)}
        if len(heads) == 2 and heads <= _MEASURES:
            return False  # "pre-tax profit fell to £21.3m" / "revenue grew to £418 million"
        if len(heads) == 1:
            parts = ({w for w in va.subject[:-1] if w not in _WHOLE_MODIFIERS},
                     {w for w in vb.subject[:-1] if w not in _WHOLE_MODIFIERS})
            return parts[0] == parts[1] or bool(parts[0] & parts[1])  # "one-bedroom flat rents" / "average rents"
    own = ({w for w in va.context if predicate(w) != "level" and w != "level"},
           {w for w in vb.context if predicate(w) != "level" and w != "level"})
    return not (own[0] and own[1]) or bool(own[0] & own[1])


def comparable(va: Value, vb: Value, a: Sentence, b: Sentence, similarity: float = 0.0) -> bool:
    """Values of one measure; times and durations also need sentences on one subject (the
    day of a fire and the year a terminal opened are never compared). ``similarity``: the
    sentences' cosine."""
    if kept_apart(va, vb, a, b):
        return False
    if va.person is not None or vb.person is not None:
        return False  # an age after a name: whose it is decides (propscope.compare_roles), not the words
    if va.unit.startswith(ORDINAL_UNIT):
        return False  # ranks: for the learned judge only (propscope.compare_clash)
    if va.unit == vb.unit == "clock" and not (va.anchor and va.anchor == vb.anchor) and (
            va.anchor or vb.anchor or similarity < CLOCK_SENSE or not (_sole(va, a) and _sole(vb, b))):
        return False  # times of day tied to no predicate: one each, in sentences alike
    if va.unit == vb.unit == "weekday" and not (va.anchor and va.anchor == vb.anchor) and (
            (va.anchor and vb.anchor) or similarity < SAME_SENSE or not (_sole(va, a) and _sole(vb, b))
            or not va.near & vb.near):
        return False  # days tied to one predicate, or the only days of sentences alike, by one word
    if va.kind == "quantity" and _sole_pair(va, vb, a, b, similarity):
        return True
    if (va.kind == "quantity" and va.unit in _GENERIC_UNITS and bool(va.anchor) != bool(vb.anchor)
            and similarity < TIED_GENERIC_SENSE):
        return False  # "Quillon shares fell 4%" / "the company has been growing at 60% a year"
    if va.kind in ("duration", "time") and not (va.anchor and vb.anchor) and similarity < SOLE_SENSE_WORD:
        return False  # "two years of credit monitoring" / "three weeks before the company noticed"
    if va.kind == "quantity" and "win" in (va.anchor, vb.anchor) and _named_apart(a, b):
        return False  # "Clean Start won 9 seats" / "The National Alliance won 44 seats": who won differs
    return same_measure(va, vb, similarity >= SAME_SENSE) and (va.kind == "quantity" or shares_subject(a, b, va, vb))


def _sole_pair(va: Value, vb: Value, a: Sentence, b: Sentence, similarity: float) -> bool:
    """Two sentences that read alike, each with one figure of a unit, measure one thing with
    it: when the unit says what is counted ("It has burned more than 3,000 hectares" / "It
    has consumed 1,300 hectares so far") and no two different names own the figures ("The
    Greens won 17 seats" / "The National Alliance won 44 seats"); for money, shares and
    people only when the sentences say much the same of one name ("City signed Keld for €9
    million" / "Keld completed his move to City for €4 million")."""
    if va.unit != vb.unit or not (_sole(va, a) and _sole(vb, b)) or _rate(va, a) or _rate(vb, b):
        return False  # rates: "held roughly 900 tonnes" / "allows 500 tonnes per building"
    if not _said_of_one(va, vb):
        return False  # "average monthly rents rose 9.2%" / "one-bedroom flat rents have jumped by 15%"
    if va.unit in _GENERIC_UNITS:
        return similarity >= SAME_SENSE and bool(a.entities & b.entities)
    words = va.context & vb.context  # said of both figures ("86 kilometres long" / "68 kilometres long")
    close = similarity >= SOLE_SENSE and bool(words or a.entities & b.entities)
    return (close or (similarity >= SOLE_SENSE_WORD and bool(words))) and not _named_apart(a, b)


def kept_apart(va: Value, vb: Value, a: Sentence, b: Sentence) -> bool:
    """Figures that are never compared, by the rules or the learned judge: an earlier figure with
    a current one or with one of another time ("up from 2.9% in April" / "3.2% in May"), the
    times taken by people named apart, figures of different kinds of one thing and counts of
    people to whom different things happened."""
    return (not comparable_times(va, vb) or timed_apart(va, vb, a, b) or _kinds_apart(va, vb, a, b)
            or _outcomes_apart(va, vb) or _ages_apart(va, vb, a, b))


#: Words for a person that say whether a child or a grown-up.
_PERSON_CLASSES = {
    **dict.fromkeys(("man", "men", "woman", "women", "father", "mother", "husband", "wife", "grandfather",
                     "grandmother", "pensioner"), "adult"),
    **dict.fromkeys(("boy", "girl", "schoolboy", "schoolgirl", "toddler", "baby", "infant", "child"), "child"),
}
_AROUND_WORDS = 3  # words on each side of an age that may say whose it is


def _person_class(v: Value, s: Sentence) -> str | None:
    """"adult" or "child", as the words next to an age give it ("a 9-year-old boy", "One man,
    aged 73"), or None."""
    at, end = v.start - s.start, v.end - s.start
    words = (_NOUN_RE.findall(s.text[:at].lower())[-_AROUND_WORDS:]
             + _NOUN_RE.findall(s.text[end:].lower())[:_AROUND_WORDS])
    return next((_PERSON_CLASSES[w] for w in words if w in _PERSON_CLASSES), None)


def _ages_apart(va: Value, vb: Value, a: Sentence, b: Sentence) -> bool:
    """Ages of a child and a grown-up ("a 9-year-old boy" / "One man, aged 73"): two people. A
    man and a woman may be one person misreported, and an unnamed "24-year-old man" is often
    the "Dalby, 26" of the other report, so neither keeps ages apart."""
    if va.unit != AGE_UNIT or vb.unit != AGE_UNIT:
        return False
    first, second = _person_class(va, a), _person_class(vb, b)
    return bool(first and second and first != second)


#: What happened to the people a figure counts: two of these count different people.
_OUTCOMES = frozenset({"kill", "injure", "rescue", "evacuate", "arrest"})


def _outcomes_apart(va: Value, vb: Value) -> bool:
    """Counts tied to different outcomes ("Two firefighters were injured" / "One firefighter,
    aged 29, died")."""
    return va.kind == "quantity" and va.anchor in _OUTCOMES and vb.anchor in _OUTCOMES and va.anchor != vb.anchor


def timed_apart(va: Value, vb: Value, a: Sentence, b: Sentence) -> bool:
    """Times taken by people named apart ("Korir won in 2 hours 21 minutes" / "the men's race was
    won by Kiprop in 2:07:15")."""
    return va.unit == vb.unit == "second-total" and (
        bool(a.people and b.people and not a.people & b.people) or _named_apart(a, b))


def _named_apart(a: Sentence, b: Sentence) -> bool:
    """Whether both sentences name someone and name no one in common."""
    names = (_capitalised(a), _capitalised(b))
    return bool((a.entities and b.entities and not a.entities & b.entities)
                or (all(names) and not names[0] & names[1]))


def _capitalised(s: Sentence) -> set[str]:
    """Capitalised words of a sentence past its first word and dateline (names a tagger may
    have missed: "The Greens won 17 seats")."""
    found = _WORD_RE.findall(s.text[dateline_end(s.text) :])
    return {w.lower() for w in found[1:] if w[0].isupper()}


_RATE_RE = re.compile(r"^\s*(?:[^\W\d]+\s+)?(?:per|each|a|an)\s+(?!few\b|dozen\b)[a-z]", re.I)


def _rate(v: Value, s: Sentence) -> bool:
    """Whether a figure is a rate ("500 tonnes per building", "900 euros a month")."""
    return bool(_RATE_RE.match(s.text[v.end - s.start : v.end - s.start + 30]))


def _sole(v: Value, s: Sentence) -> bool:
    """Whether ``v`` is the only figure of its unit in its sentence."""
    return sum(1 for x in s.values if x.kind == v.kind and x.unit == v.unit) == 1


def shares_subject(a: Sentence, b: Sentence, va: Value, vb: Value) -> bool:
    """Whether two sentences speak of one subject beyond the values' own predicate: a shared
    content word ("the terminal ... opened" / "the terminal ... opened"), or a shared entity
    where a sentence names nothing else ("Kelby opened in 1998")."""
    anchors = {va.anchor, vb.anchor} - {None}

    def own(words: frozenset[str]) -> set[str]:
        return {w for w in words if w not in anchors and predicate(w) not in anchors}

    if own(a.content) & own(b.content):
        return True
    return bool(a.entities & b.entities) and not (own(a.content) and own(b.content))


def measure_key(va: Value, vb: Value) -> str:
    """What two values of one measure measure: kind, unit and predicate ("*" for none)."""
    unit = va.unit if va.kind == "quantity" else va.kind
    return f"{va.kind}:{unit}:{va.anchor or vb.anchor or '*'}"


# --------------------------------------------------------------------------- times


def _day_interval(iso: str) -> tuple[float, float, str] | None:
    """Ordinal-day interval of an ISO date, month, year, week or decade."""
    try:
        if re.fullmatch(r"\d{4}s", iso):
            first = int(iso[:4])
            return date(first, 1, 1).toordinal(), date(first + 9, 12, 31).toordinal(), "date"
        if m := re.fullmatch(r"(\d{4})-W(\d\d)", iso):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1).toordinal()
            return monday, monday + 6, "date"
        return _calendar_interval(iso)
    except ValueError:
        return None


def _calendar_interval(iso: str) -> tuple[float, float, str] | None:
    parts = iso.split("-")
    year_known = parts[0] != "XXXX"
    year = int(parts[0]) if year_known else 2000  # a leap year stands in for an unknown one
    unit = "date" if year_known else "monthday"
    if len(parts) == 1:
        return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal(), unit
    month = int(parts[1])
    if len(parts) == 2:
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return date(year, month, 1).toordinal(), following.toordinal() - 1, unit
    day = date(year, month, int(parts[2])).toordinal()
    return day, day, unit


def time_value(t: dict[str, Any], anchor: str | None) -> Value | None:
    """A point time as a Value (None when it cannot be placed on the calendar)."""
    if not isinstance(t.get("value"), str):
        return None
    interval = _day_interval(t["value"])
    if interval is None:
        return None
    low, high, unit = interval
    return Value("time", t["text"], t["start"], t["end"], low, high, unit, anchor, t["value"])


_DAY_TIMES = frozenset({"weekday", "clock"})
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_RE = re.compile(r"\b(?P<early>early\s+)?(?P<day>(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
                         r"(?:(?:\s+|'s?\s+)(?P<part>morning|afternoon|evening|night))?", re.I)
#: The share of its day each part covers, [from, to): a night runs on into the small hours of
#: the next day, and the small hours of a day ("early Saturday") may be the night before.
_DAY_PARTS = {"morning": (0.0, 0.5), "afternoon": (0.5, 0.75), "evening": (0.7, 1.0), "night": (0.75, 1.25)}
_EARLY = 0.25
_EDGE = 0.01  # the end of a part of a day is not in it
_WHOLE_DAY = 1.0 - _EDGE


def weekday_value(t: dict[str, Any], anchor: str | None) -> Value | None:
    """A day of the week written with no date ("began Friday afternoon") as a Value of unit
    "weekday": the day's number (Monday 0), which :attr:`Value.bounds` reads as the whole day,
    or, for a part of it, the day's number plus the share of the day the part covers, so "Friday
    night" and "Saturday afternoon" do not meet but "Friday night" and "early Saturday" do."""
    match = _WEEKDAY_RE.search(t.get("text", ""))
    if t.get("value") is not None or match is None:
        return None
    day = float(_WEEKDAYS.index(match["day"].lower()))
    part = match["part"].lower() if match["part"] else "morning" if match["early"] else None
    low, high = day, day
    if part is not None:
        start, stop = _DAY_PARTS[part]
        low, high = day + start - (_EARLY if match["early"] else 0.0), day + stop - _EDGE
    return Value("time", t["text"], t["start"], t["end"], low, high, "weekday", anchor, match["day"].capitalize())


_CLOCK_RE = re.compile(
    r"(?:\b(?P<mod>about|around|approximately|roughly|shortly after|shortly before|just after|just before|soon after)"
    r"\s+)?(?:\b(?P<h>[01]?\d|2[0-3])(?::(?P<m>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b)"
    r"|\b(?P<h24>[01]\d|2[0-3]):(?P<m24>[0-5]\d)\b(?!\s*(?:a\.m|p\.m|am\b|pm\b))"
    r"|\b(?P<word>midnight|midday|noon)\b)", re.I)
_CLOCK_SLACK = {"about": (-15, 15), "around": (-15, 15), "approximately": (-15, 15), "roughly": (-15, 15),
                "shortly after": (0, 30), "soon after": (0, 30), "shortly before": (-30, 0), "just after": (0, 15),
                "just before": (-15, 0)}


def clock_values(text: str, start: int, end: int, anchor: Callable[[int, int], str | None]) -> list[Value]:
    """Times of day in ``text[start:end]`` ("at 4:12 a.m.", "shortly after 2 a.m.", "14:30",
    "midnight") as Values of unit "clock" in minutes after midnight; an hour alone covers the
    quarter before it to three quarters after ("at 2 a.m." may be 2:20)."""
    out = []
    for m in _CLOCK_RE.finditer(text, start, end):
        if _RACE_TIME_RE.search(text, max(0, m.start() - 3), min(len(text), m.end() + 3)):
            continue  # "2:06:41" is a race time (see race_times), not 06:41
        if m["word"]:
            minutes = 0 if m["word"].lower() == "midnight" else 720
            minutes = 1440 if minutes == 0 and (m["mod"] or "").endswith("before") else minutes
            low, high = float(minutes), float(minutes)
        else:
            hour = int(m["h"] if m["h"] is not None else m["h24"])
            minute = m["m"] if m["h"] is not None else m["m24"]
            if m["ap"]:
                if hour > 12 or hour == 0:
                    continue
                hour = hour % 12 + (12 if m["ap"].lower().startswith("p") else 0)
            low = high = float(hour * 60 + int(minute or 0))
            if minute is None:
                low, high = low - 15, high + 45
        slack = _CLOCK_SLACK.get(" ".join((m["mod"] or "").lower().split()), (0, 0))
        low, high = low + slack[0], high + slack[1]
        shown = f"{int(low) // 60 % 24:02d}:{int(low) % 60:02d}" if low == high else \
            f"{int(low) // 60 % 24:02d}:{int(low) % 60:02d}-{int(high) // 60 % 24:02d}:{int(high) % 60:02d}"
        out.append(Value("time", m.group(), m.start(), m.end(), low, high, "clock", anchor(m.start(), m.end()), shown))
    return out


_RACE_TIME_RE = re.compile(r"(?<![\d:.])(\d{1,2}):([0-5]\d):([0-5]\d)(?![\d:])")


def race_times(text: str, start: int, end: int, anchor: Callable[[int, int], str | None]) -> list[Value]:
    """Times taken written with colons ("in 2:06:41") as seconds, the unit of "2 hours 6 minutes
    41 seconds"."""
    out = []
    for m in _RACE_TIME_RE.finditer(text, start, end):
        seconds = float(int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]))
        out.append(Value("quantity", m.group(), m.start(), m.end(), seconds, seconds, "second-total",
                         anchor(m.start(), m.end()), m.group()))
    return out


def as_monthday(v: Value) -> Value:
    """The same time with its year dropped, to compare with a time written without one."""
    if v.unit == "monthday":
        return v
    first, last = date.fromordinal(int(v.low)), date.fromordinal(int(v.high))
    whole_year = (first.month, first.day) == (1, 1) and (last.month, last.day) == (12, 31)
    if first.year != last.year or whole_year:
        return Value(v.kind, v.text, v.start, v.end, -INF, INF, "monthday", v.anchor, v.shown)
    low = date(2000, first.month, first.day).toordinal()
    high = date(2000, last.month, min(last.day, 29 if last.month == 2 else last.day)).toordinal()
    return Value(v.kind, v.text, v.start, v.end, low, high, "monthday", v.anchor, v.shown)


#: "for over ten years" is more than ten; "phased out over ten years" is during ten
_MORE_THAN_OVER_RE = re.compile(r"\b(?:for|of|after|in|just|well|than|lasting|spanning|with|at)\s+over\s*$")


def duration_value(t: dict[str, Any], text: str, anchor: str | None) -> Value | None:
    """A duration ("four decades", "42 years") as an interval of years."""
    years = t.get("value")
    if not isinstance(years, int | float) or years <= 0:
        return None
    granularity = t.get("granularity", "")
    slack = {"decade": 5.0, "century": 50.0, "year": 0.4, "month": 1 / 24}.get(granularity, 0.0)
    if granularity == "year" and years != int(years):
        slack = 0.0  # "four and a half years" is written to the half year: it is not "four years"
    low, high = float(years) - slack, float(years) + slack
    before = text[max(0, t["start"] - 24) : t["start"]].lower()
    if re.search(r"(more than|at least)\s*$", before) or _MORE_THAN_OVER_RE.search(before):
        low, high = float(years), INF
    elif re.search(r"(almost|nearly|less than|under)\s*$", before):
        low, high = float(years) * 0.85, float(years)
    elif re.search(r"(about|around|some|roughly)\s*$", before):
        low, high = min(low, years * 0.9), max(high, years * 1.1)
    shown = f"{t['text']} (~{years:g} years)"
    return Value("duration", t["text"], t["start"], t["end"], low, high, "years", anchor, shown)


# --------------------------------------------------------------------------- quantities


def unit_of(raw: str | None) -> str | None:
    """A normalised unit: "people" for counts of persons, "EUR" for euros, "%"..."""
    if not raw:
        return None
    word = raw.lower()
    if word in _CURRENCIES:
        return _CURRENCIES[word]
    if word in _PERSON_UNITS:
        return "people"
    if word in _COUNTED_UNITS:
        return _COUNTED_UNITS[word]
    if word in ("%", "percent", "per cent"):
        return "%"
    if word in ("km", "kilometres", "kilometers", "kilometre"):
        return "km"
    if word in _SAME_UNITS:
        return _SAME_UNITS[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(?:ch|sh|x|ss|zz)es$", word) and len(word) > 4:
        return word[:-2]  # "matches", "launches", "boxes": one unit with "match", "launch", "box"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


def is_year(q: dict[str, Any], text: str) -> bool:
    """A bare number that is really a year ("which opened in 1998, was ...")."""
    value = q.get("value")
    if q.get("unit") or not isinstance(value, int | float) or value != int(value):
        return False
    before = text[max(0, q["start"] - 8) : q["start"]].lower().split()
    return 1000 <= value <= 2100 and bool(before) and before[-1] in _YEAR_PREPOSITIONS


def quantity_value(q: dict[str, Any], anchor: str | None, before: str = "") -> Value | None:
    """A number with its unit as an interval (open bounds are infinite); ``before``: the text
    just before it ("magnitude" makes the unit)."""
    unit = "magnitude" if re.search(r"magnitude\s*$", before, re.I) else unit_of(q.get("unit"))
    if unit is None or unit in ("year", "decade", "month", "more", "less"):
        return None
    low = -INF if q.get("low") is None else float(q["low"])
    high = INF if q.get("high") is None else float(q["high"])
    if (q.get("unit") or "").lower() in _DEATH_UNITS:
        anchor = anchor or "kill"
    if unit in _CURRENCIES.values() and anchor == "build":
        anchor = "cost"  # "built for 9 million euros"
    if unit in _CONVERSIONS:  # "1.2 kilometres" / "the 850-metre bridge"; "the 1.4-tonne satellite"
        unit, scale = _CONVERSIONS[unit]
        low, high = low * scale, high * scale
    return Value("quantity", q["text"], q["start"], q["end"], low, high, unit, anchor,
                 f"{q['text']} {q.get('unit') or ''}".strip())


#: Units written -> (the unit figures are compared in, its size in that unit): lengths in
#: metres, masses in kilograms.
_CONVERSIONS = {"km": ("metre", 1000.0), "metre": ("metre", 1.0), "meter": ("metre", 1.0), "m": ("metre", 1.0),
                "tonne": ("kilogram", 1000.0), "kilogram": ("kilogram", 1.0), "kg": ("kilogram", 1.0)}
#: Units figures are converted to, whatever unit the text writes them in (so a figure's rounding
#: is that of the number written: "1.4 tonnes" is 1,400 kg give or take 50).
CONVERTED_UNITS = frozenset(base for base, _ in _CONVERSIONS.values())


def _metric(unit: str | None) -> str | None:
    """Lengths in metres and masses in kilograms, as :func:`quantity_value` gives them; other
    units as they are."""
    return _CONVERSIONS[unit][0] if unit in _CONVERSIONS else unit


_AGED_RE = re.compile(r"\baged (\d{1,3})\b|\b(\d{1,3}) years? old\b|"
                      r"\b(?:is|was|turned|turns) (\d{1,2})(?=\s*[.;]|,? when\b)|"
                      r"\bin (?:his|her|their) (?:(?:early|mid|late)[- ])?"
                      r"(twen|thir|for|fif|six|seven|eigh|nine)ties\b|"
                      r"\bat the age of (\d{1,3})\b|\bwho (?:is|was) (\d{1,3})(?=\s*[,.;])|"
                      r"\b(?:driver|man|woman|boy|girl|victim|suspect|pilot|cyclist|pedestrian|motorist|owner|"
                      r"teenager|mother|father|son|daughter),\s+(\d{1,2}),", re.I)
_DECADES = {"twen": 20, "thir": 30, "for": 40, "fif": 50, "six": 60, "seven": 70, "eigh": 80, "nine": 90}
AGE_UNIT = "year-old"  # the unit claimparts gives "a 34-year-old"


def age_value(text: str, start: int, end: int, age: int, person: int | None = None) -> Value:
    """A person's age written as a bare number ("Ana Brook, 58,") as a figure of :data:`AGE_UNIT`;
    ``person``: the entity cluster of the name it follows."""
    return Value("quantity", text[start:end], start, end, float(age), float(age), AGE_UNIT, None, f"aged {age}",
                 person=person)


def age_values(text: str, start: int, end: int) -> list[Value]:
    """Ages in words of ``text[start:end]``: "aged 64", "17 years old", "the defender is 24.", "a
    man in his sixties" (60 to 69), "died at the age of 112", "Ferrante, who is 52,", "the
    truck's driver, 52,"."""
    out = []
    for m in _AGED_RE.finditer(text, start, end):
        if number := next((k for k in (1, 2, 3, 5, 6, 7) if m[k]), None):
            out.append(age_value(text, m.start(number), m.end(number), int(m[number])))
        else:
            low = _DECADES[m[4].lower()]
            out.append(Value("quantity", m.group(), m.start(), m.end(), float(low), low + 9.0, AGE_UNIT, None,
                             m.group()))
    return out


_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                  "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                  "eighteenth", "nineteenth", "twentieth")
_ORDINAL = r"(?P<ord>" + "|".join(_ORDINAL_WORDS) + r"|\d{1,2}(?:st|nd|rd|th))"
_RANK = _ORDINAL.replace("ord", "rank")
#: a rank in a series ("the seventh floor", "second seed", "climbed to third", "started ninth")
_ORDINAL_RE = re.compile(
    rf"\b{_ORDINAL}[\s-]+(?P<noun>place|position|floor|storey|seed|round|term|lap|row|grade|tier|stage|attempt|"
    rf"title|victory|win|minute|consecutive|straight)s?\b|"
    rf"\b(?:to|into|from|finished|finishing|started|starting|placed|ranked)\s+(?:the\s+)?{_RANK}"
    rf"(?!\s*(?:-|half|quarter|time|day|week|month|year|century|of)\b)\b", re.I)
ORDINAL_UNIT = "ordinal"


def ordinal_values(text: str, start: int, end: int) -> list[Value]:
    """Ranks in a series as figures of unit "ordinal:NOUN" ("the seventh floor" / "the ninth
    floor"; a standing, "climbed to third" / "up to fourth", is "ordinal:place")."""
    out = []
    for m in _ORDINAL_RE.finditer(text, start, end):
        group = "ord" if m["ord"] else "rank"
        word = m[group].lower()
        n = _ORDINAL_WORDS.index(word) + 1 if word in _ORDINAL_WORDS else int(word[:-2])
        noun = stem(m["noun"]) if m["noun"] else "place"
        out.append(Value("quantity", m[group], m.start(group), m.end(group), float(n), float(n),
                         f"{ORDINAL_UNIT}:{noun}", None, f"{m[group]} {noun}"))
    return out


def _tally(word: str) -> int:
    return int(word) if word.isdigit() else _TALLY_WORDS.index(word.lower())


def score_values(text: str, start: int, end: int) -> list[Value]:
    """Results written as two numbers ("2-1", "141 votes to 38") in a sentence about a match
    or a vote, as one value each (``unit`` "score")."""
    own = text[start:end]
    if not _MATCH_WORDS_RE.search(own):
        return []
    out = []
    for pattern in _SCORE_RES:
        for m in pattern.finditer(own):
            first, second = (_tally(x) for x in (m[1], m[2]))
            number = first * 1000 + second
            out.append(Value("quantity", m.group(), start + m.start(), start + m.end(), number, number,
                             "score", "score", f"{first}-{second}"))
    return out


def derived_years(values: list[Value], tokens: list[tuple[int, int, str]], text: str) -> list[Value]:
    """"opened in 1969 and closed 42 years later" -> the closing year, 2011."""
    years = [v for v in values if v.kind == "time" and v.unit == "date" and v.shown.isdigit()]
    out = []
    for d in (v for v in values if v.kind == "duration" and v.high < INF):
        after = text[d.end : d.end + 8].lower()
        if not years or not re.match(r"\s*(later|after)\b", after):
            continue
        base = max((y for y in years if y.start < d.start), key=lambda y: y.start, default=None)
        if base is None:
            continue
        year = int(base.shown) + round((d.low + d.high) / 2)
        low, high = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        out.append(Value("time", d.text, d.start, d.end, low, high, "date", d.anchor,
                         str(year), derived=f"{base.shown} + {d.text}"))
    return out


# --------------------------------------------------------------------------- attribution, negation


def attribution(text: str) -> str | None:
    """The head word of who the sentence attributes its content to ("police", "office")."""
    for pattern in _ATTRIBUTION_RES:
        match = pattern.search(text)
        if match:
            heads = [w.lower() for w in re.findall(r"[A-Za-z][\w'’-]*", match["src"])]
            heads = [w for w in heads if w not in _DETERMINERS and w not in ("on", "that")]
            while heads and heads[-1] in _AUXILIARIES:
                heads.pop()  # "the emergency service has confirmed" -> "service"
            if heads and len(heads) <= 6 and heads[-1] not in _PRONOUNS:
                return heads[-1].removesuffix("'s")  # "he said" names no one
    return None


def polarity(tokens: list[tuple[int, int, str]]) -> tuple[frozenset[str], frozenset[str]]:
    """(negated predicates, asserted predicates) of a sentence, as stems."""
    negated: set[str] = set()
    asserted: set[str] = set()
    pending = 0
    for k, (_s, _e, word) in enumerate(tokens):
        low = word.lower()
        if low == "no" and k + 1 < len(tokens) and tokens[k + 1][2].lower() == "to":
            continue  # "voters said no to a wind farm": rejected, not denied
        if low in _NEGATORS or low.endswith("n't"):
            pending = 4
            continue
        if low in _NOT_CLAIMS:
            pending = 0
            continue
        if low in _AUXILIARIES or low in _NEGATION_CARRIERS or not low.isalpha():
            continue
        if denied := denies(low):  # "survived" denies "killed"; "not survived" asserts it
            (asserted if pending else negated).add(denied)
            pending = 0
            continue
        key = predicate(low) or stem(low)
        after = [t[2].lower() for t in tokens[k + 1 : k + 3]]
        if key == "admit" and len(after) == 2 and after[0] == "to" and after[1] in _CARE_PLACES:
            key = "treat"  # "admitted to hospital" is a stay, not a confession
        if low == "suspended":
            key = "suspend"  # a pause: "services resumed" denies a cancellation, not a suspension
        (negated if pending else asserted).add(key)
        pending = 0
    return frozenset(negated), frozenset(asserted)


# --------------------------------------------------------------------------- sentence flags


def dateline_end(text: str) -> int:
    """Where a wire dateline ("HALDEN, 5 September 2025 (Nordwire) - ") ends; 0 for none."""
    match = _DATELINE_RE.match(text)
    return match.end() if match else 0


def past_start(text: str) -> int:
    """Where a clause giving an earlier figure ("up from 52%", "rose to 3.2% from 2.7%") begins;
    the end for none."""
    found = [m.start() for m in (_PAST_RE.search(text), _FROM_EARLIER_RE.search(text)) if m]
    found += [m.start("from") for m in [_FROM_AFTER_TO_RE.search(text)] if m]
    return min(found, default=len(text))


def earlier_time(words_of_time: list[str]) -> frozenset[str]:
    """The words of the times an earlier figure is dated by, with "ago", "earlier", "last",
    "previous" read alike ("a week ago" and "a week earlier" are one time)."""
    found = {_BEFORE_WORDS.get(w, w) for text in words_of_time for w in re.findall(r"[a-z0-9]+", text.lower())}
    return frozenset(found - {"a", "an", "the", "in", "on", "of"})


def comparable_times(va: Value, vb: Value) -> bool:
    """Whether two figures are both current, or both earlier figures of one time (either
    undated)."""
    if va.earlier is None or vb.earlier is None:
        return va.earlier is None and vb.earlier is None
    return not (va.earlier and vb.earlier) or va.earlier == vb.earlier


def clip_parts(parts: dict[str, list[dict[str, Any]]], start: int, end: int) -> dict[str, list[dict[str, Any]]]:
    """The parts that lie inside ``[start, end)``."""
    return {k: [p for p in found if start <= p["start"] and p["end"] <= end] for k, found in parts.items()}


def listed_or_part(text: str, start: int, end: int) -> bool:
    """A value in a list ("three and four years"), a part of a whole ("12 of them") or a
    stretch of it ("the final 5km", "his first 100 days")."""
    before = text[max(0, start - 16) : start]
    return bool(_LISTED_RE.search(before) or _PORTION_RE.search(before) or _PART_RE.match(text[end : end + 40]))


def numbers_of(parts: dict[str, list[dict[str, Any]]]) -> frozenset[float]:
    """Every number a sentence writes, unit or not."""
    found = [q.get("value") for q in parts["quantities"]]
    return frozenset(float(v) for v in found if isinstance(v, int | float))


def relative_periods(parts: dict[str, list[dict[str, Any]]], text: str = "") -> frozenset[str]:
    """Relative periods a sentence is dated by ("last year", "last winter"), as written,
    lowercase: those the time finder gave, and seasons and periods named by last/this/next
    in ``text``."""
    found = {t["text"].lower() for t in parts["times"] if t.get("kind") != "duration"
             and not isinstance(t.get("value"), str) and _PERIOD_WORDS_RE.search(t["text"])}
    return frozenset(found | {m.group().lower() for m in _NAMED_PERIOD_RE.finditer(text)})


def source_words(text: str) -> frozenset[str]:
    """The words that name who a sentence is attributed to ("a police spokeswoman")."""
    for pattern in _ATTRIBUTION_RES:
        match = pattern.search(text)
        if match:
            found = {w.lower().removesuffix("'s") for w in re.findall(r"[A-Za-z][\w'’-]*", match["src"])}
            return frozenset(found - _DETERMINERS - _AUXILIARIES - _FUNCTION_WORDS)
    return frozenset()


def flags(text: str) -> dict[str, bool]:
    """Whether a sentence updates a figure."""
    return {"update": bool(_UPDATE_RE.search(text))}


def denied_count(neg: Sentence, pos: Sentence) -> str | None:
    """A predicate ``neg`` denies as a count ("no arrests were made", not "the driver was not
    injured") and ``pos`` counts more than nothing for ("14 were detained"), where ``neg``
    gives no values of its own."""
    if neg.values or not re.search(r"\b(?:no|nobody|none|no-one)\b", neg.text, re.I):
        return None
    counted = {v.anchor for v in pos.values if v.kind == "quantity" and v.anchor and v.low > 0}
    if any(v.kind == "quantity" and v.unit == "people" and v.low > 0 for v in pos.values):
        # "Two passengers were treated for minor injuries": what the counted people underwent
        counted |= {w for w in pos.asserted if predicate(w) == w}
    return next(iter(sorted(neg.negated & counted - neg.asserted)), None)
