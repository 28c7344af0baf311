"""What became of a casualty, told two ways that cannot both be true: flown to a hospital and
taken there by road ("was flown to Kellerton Hospital" / "was taken by road ambulance to
Kellerton Hospital"), or dead in two places ("Pike died at the scene" / "He died in hospital two
days later"; "She died peacefully at her home" / "she died in hospital after a short illness").

A sentence that tells both of its own ("two were flown to hospital and three taken by ambulance";
"one died at the scene and another in hospital") says nothing here. Two journeys must end at one
named place (both sentences write the same capitalised name); two deaths must read alike (the
caller's cosine).
"""

from __future__ import annotations

import re

_AIR_RE = re.compile(r"\b(?:flown|airlifted|air-lifted|air ambulance|helicopter|flew (?:him|her|them))\b", re.I)
_ROAD_RE = re.compile(r"\b(?:by (?:road )?ambulance|road ambulance|in an ambulance|drove (?:him|her|them)|"
                      r"driven)\b", re.I)
_TO_HOSPITAL_RE = re.compile(r"\bto\b[^.;]{0,60}?\b(?:hospital|infirmary|medical cent(?:re|er)|clinic|"
                             r"trauma cent(?:re|er))\b", re.I)
_SCENE_RE = re.compile(r"\b(?:died|pronounced dead|was killed|were killed|killed instantly|dead)\s+"
                       r"(?:at|on) the scene\b|\bdied instantly\b", re.I)
_HOSPITAL_RE = re.compile(r"\b(?:died|pronounced dead|succumbed to (?:his|her|their) injuries)\b[^.;]{0,40}?"
                          r"\bin hospital\b|\bdied (?:later|hours later|the next day|days later)\b", re.I)
_HOME_RE = re.compile(r"\bdied\b[^.;]{0,40}?\bat (?:his|her|their|the family) home\b|\bdied at home\b", re.I)
_DEATH_PLACES = (("scene", _SCENE_RE), ("hospital", _HOSPITAL_RE), ("home", _HOME_RE))
_NAME_RE = re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]{2,}")


def care(text: str) -> str | None:
    """"air", "road", "scene", "hospital" or "home": how a sentence says a casualty reached
    hospital or where someone died; None for neither or for more than one."""
    to_hospital = bool(_TO_HOSPITAL_RE.search(text))  # a helicopter may only have spotted them
    air, road = to_hospital and bool(_AIR_RE.search(text)), to_hospital and bool(_ROAD_RE.search(text))
    if air != road:
        return "air" if air else "road"
    places = [place for place, pattern in _DEATH_PLACES if pattern.search(text)]
    return places[0] if len(places) == 1 else None


_SHOWN = {"air": "flown to hospital", "road": "taken by road", "scene": "died at the scene",
          "hospital": "died in hospital", "home": "died at home"}
#: A home may be the scene ("died in a fire at her home" / "pronounced dead at the scene").
_EXCLUDES = {frozenset({"air", "road"}), frozenset({"scene", "hospital"}), frozenset({"home", "hospital"})}


def care_conflicts(first: str, second: str) -> list[tuple[str, str]]:
    """(what ``first`` says, what ``second`` says) when they tell one casualty's journey or death
    in two ways that exclude each other."""
    a, b = care(first), care(second)
    if a is None or b is None or frozenset({a, b}) not in _EXCLUDES:
        return []
    if a in ("air", "road") and not set(_NAME_RE.findall(first)) & set(_NAME_RE.findall(second)):
        return []  # not shown to end at one place
    return [(_SHOWN[a], _SHOWN[b])]
