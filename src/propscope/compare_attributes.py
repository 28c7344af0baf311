"""Attributes of one thing that exclude each other: two sentences that say the same of one thing
but give it another colour, compass direction, side, material, weapon or vehicle ("planned to
walk the mountain's north ridge" / "intended to climb the mountain's south ridge"), record a
vote one way and the other ("voted for the closure" / "voted against the closure"), or count one
occurrence differently ("the third drone incident at Merrion this year" / "the second drone
scare at Merrion this year").

Only words of one closed class are compared, only when each is written on one side and not the
other, and only when both stand next to one shared noun (the thing described): "an orange
throat" / "its throat is a vivid blue", never "a red car" / "the blue door".
"""

from __future__ import annotations

import re

from propscope.compare_values import Sentence, stem

#: Words that name one value of an attribute, by attribute; values of one attribute exclude each
#: other when they describe one thing.
_CLASSES = {
    "colour": "red orange amber yellow green blue purple violet black white grey gray brown pink silver",
    "direction": "north south east west northern southern eastern western north-east north-west south-east "
                 "south-west northeast northwest southeast southwest",
    "side": "left right",
    "material": "wood wooden timber steel concrete brick glass plastic stone",
    "weapon": "knife knives gun guns pistol pistols rifle rifles hammer hammers axe axes machete machetes "
              "crowbar crowbars",
    "vehicle": "car cars van vans lorry lorries truck trucks bus buses coach coaches tram trams motorbike "
               "motorbikes motorcycle motorcycles bicycle bicycles",
}
_CLASS_OF = {word: name for name, words in _CLASSES.items() for word in words.split()}
_SAME = {"gray": "grey", "wooden": "wood", "timber": "wood", "northern": "north", "southern": "south",
         "eastern": "east", "western": "west", "knives": "knife", "lorries": "lorry", "truck": "lorry",
         "trucks": "lorry", "motorcycle": "motorbike", "motorcycles": "motorbike", "buses": "bus",
         "coach": "bus", "coaches": "bus", "amber": "orange"}
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")
_VOTE_RE = re.compile(r"\bvoted (for|against)\b", re.I)
#: Words that are never the thing an attribute describes.
_NOT_HEADS = frozenset({
    "a", "an", "the", "its", "it", "is", "was", "were", "are", "be", "been", "his", "her", "their", "of", "on",
    "in", "at", "to", "and", "or", "with", "by", "from", "for", "as", "that", "this", "which", "who", "had",
    "has", "have", "very", "bright", "vivid", "dark", "light", "pale", "deep", "side", "way", "ways", "one",
})
_WINDOW = 4  # words either side of an attribute word that may name the thing it describes


def _value(word: str) -> str:
    low = word.lower()
    low = _SAME.get(low, low)
    return low[:-1] if _CLASS_OF.get(low) in ("weapon", "vehicle") and low.endswith("s") else low


def _attributes(s: Sentence) -> list[tuple[str, str, frozenset[str], str | None]]:
    """(class, value, stems of the words around it, the place a direction is taken from) for each
    attribute word of a sentence."""
    words = _WORD_RE.findall(s.text)
    out = []
    for k, word in enumerate(words):
        name = _CLASS_OF.get(word.lower())
        if name is None or (name == "side" and k + 1 < len(words) and words[k + 1].lower() in ("now", "wing")):
            continue
        around = words[max(0, k - _WINDOW) : k] + words[k + 1 : k + 1 + _WINDOW]
        heads = frozenset(stem(w) for w in around if w.lower() not in _NOT_HEADS and w.lower() not in _CLASS_OF)
        after = [w.lower() for w in words[k + 1 : k + 4]]
        origin = next((w for w in after[1:] if w != "the"), None) if after[:1] == ["of"] else None
        out.append((name, _value(word), heads, origin))
    return out


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
#: "the third drone incident", "its fourth increase", "the festival's 38th edition"
_NTH_RE = re.compile(r"\b(?:the|its|their|his|her|[\w’-]+['’]s)\s+(" + "|".join(_ORDINALS) +
                     r"|\d{1,3}(?:st|nd|rd|th))(?![\w-])((?:\s+[a-z][a-z-]*){1,4})")
#: Words that end the words naming what is counted ("the first school in the county").
_NTH_STOPS = frozenset({"in", "at", "on", "of", "to", "for", "since", "this", "that", "after", "following",
                        "before", "by", "with", "from", "was", "is"})
#: Parts of a match or a period: "the second half" and "the first half" are both played.
_SEGMENTS = frozenset({"half", "halves", "innings", "stage", "round", "leg", "quarter", "period", "set", "minute",
                       "lap", "day", "week"})
_NTH_SAME = {"rise": "increase", "hike": "increase", "scare": "incident", "handset": "phone", "nation": "country"}


def _occurrences(text: str) -> dict[str, tuple[int, str]]:
    """Which occurrence of something a sentence says it is, by the stem of what is counted:
    "It is the third drone incident at Merrion" -> {"incident": (3, "third drone incident")}."""
    out: dict[str, tuple[int, str]] = {}
    for m in _NTH_RE.finditer(text):
        words = m[2].split()
        kept = []
        for w in words:
            if w in _NTH_STOPS:
                break
            kept.append(w)
        if not kept:
            continue
        head = stem(kept[-1])
        head = _NTH_SAME.get(head, head)
        if head in _SEGMENTS or kept[-1] in _SEGMENTS:
            continue
        rank = m[1].lower()
        number = _ORDINALS.index(rank) + 1 if rank in _ORDINALS else int(rank[:-2])
        out.setdefault(head, (number, f"{m[1]} {' '.join(kept)}"))
    return out


def attribute_conflicts(a: Sentence, b: Sentence) -> list[tuple[str, str, str]]:
    """(attribute, value in a, value in b) for each attribute the two sentences give one thing
    differently."""
    found: list[tuple[str, str, str]] = []
    votes = (_VOTE_RE.search(a.text), _VOTE_RE.search(b.text))
    if votes[0] and votes[1] and votes[0][1].lower() != votes[1][1].lower():
        found.append(("vote", votes[0].group(), votes[1].group()))
    nth_a, nth_b = _occurrences(a.text), _occurrences(b.text)
    for head in sorted(nth_a.keys() & nth_b.keys()):
        if nth_a[head][0] != nth_b[head][0]:
            found.append(("order", nth_a[head][1], nth_b[head][1]))
    in_a, in_b = _attributes(a), _attributes(b)
    values_a, values_b = {v for _, v, _, _ in in_a}, {v for _, v, _, _ in in_b}
    for name, x, heads_a, origin_a in in_a:
        for other, y, heads_b, origin_b in in_b:
            if name != other or x == y or x in values_b or y in values_a or not heads_a & heads_b:
                continue
            if origin_a != origin_b:
                continue  # "340 kilometres east of the coast" / "12 kilometres north of the township"
            if (name, x, y) not in found:
                found.append((name, x, y))
    return found


_BEARING_RE = re.compile(
    r"\b(north|south|east|west|north-east|north-west|south-east|south-west|northeast|northwest|southeast|southwest)"
    r"(?:ern)?\s+of\s+(?:the\s+(?:town|village|city|port|island|capital)\s+of\s+)?(?-i:([A-Z][\w-]+))", re.I)


def _points(bearing: str) -> frozenset[str]:
    """The compass points of a bearing: "north-east" -> {"north", "east"}."""
    low = bearing.lower().replace("-", "")
    return frozenset(p for p in ("north", "south", "east", "west") if p in low)


def bearings(text: str) -> list[tuple[str, str]]:
    """(bearing, place it is taken from) for each "N km south of Zerav" in a sentence."""
    return [(m[1].lower(), m[2]) for m in _BEARING_RE.finditer(text)]


def bearing_conflicts(first: str, second: str) -> list[tuple[str, str]]:
    """(bearing in ``first``, bearing in ``second``) from one place that share no compass point
    ("south of Dahr Kassem" / "north of Dahr Kassem"; not "north-east" / "north")."""
    return [(f"{x} of {p}", f"{y} of {q}") for x, p in bearings(first) for y, q in bearings(second)
            if p == q and not _points(x) & _points(y)][:1]
