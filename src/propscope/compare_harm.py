"""Harm one article denies and another reports: "No one was injured" against "A firefighter
suffered minor burns", "None of them needed hospital treatment" against "Four people were
taken to hospital".

The two sentences rarely read alike and rarely share a figure, so neither the alignment nor
the judgement of values pairs them. Here each sentence is read for the harm it denies (who:
anyone, or a named group such as "officers"; what: injury, death, a hospital stay, medical
treatment) and the harm it reports happening to someone (a count of people or one person: "a
firefighter", "the driver"). A denial meets a report when the report's harm is one the denial
rules out (a death is an injury; a hospital stay is treatment, and an injury unless it was a
precaution or for checks) and the report is about the
group the denial names. Narrow on purpose: a qualified denial ("no one was seriously hurt"), a
denial about someone else ("no one else"), a report in a sentence that negates anything or is
dated to another period are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Kinds of harm and the words that report them.
_HARM_WORDS = {
    "injury": r"injur\w*|hurt|wounded|harmed|burns?|hypothermia|smoke inhalation|fractur\w+|cuts?(?= to)",
    "death": r"killed|killing|died|dead|deaths?|fatal\w*|lost (?:his|her|their) li(?:fe|ves)",
    "hospital": r"hospital\w*",
    "treatment": r"treatment|treated|medical care|medical attention",
}
_HARM_RES = {kind: re.compile(rf"\b(?:{words})\b", re.I) for kind, words in _HARM_WORDS.items()}
#: A denied kind of harm -> the reported kinds it rules out.
_RULES_OUT = {"injury": {"injury", "death", "hospital"}, "death": {"death"}, "hospital": {"hospital"},
              "treatment": {"treatment", "hospital"}}
#: "no one", "nobody", "none of them", "none of the crew", "no officers", "no injuries",
#: "without needing": the denier and the words after it that say what is denied.
_VERB = r"(?=\s+(?:was|were|has|have|had|is|are|needed|required|suffered|reported))"
_DENIAL_RE = re.compile(
    r"\b(?:no(?:\s|-)one(?!\s+else)|nobody(?!\s+else)|none(?=\s+(?:was|were|has|had|needed|required))"
    r"|none\s+of\s+(?:them|us|(?:the|its|their|those)\s+(?P<of>[a-z]+(?:\s+[a-z]+)?)" + _VERB + ")"
    r"|no\s+(?P<harm>injur(?:y|ies)|deaths?|casualties|fatalities)"
    r"|no\s+(?:other\s+)?(?P<group>[a-z]+(?:\s+[a-z]+)?)" + _VERB +
    r"|without\s+(?=needing|requiring))"
    r"(?P<rest>[^.;,]{0,60})",
    re.I,
)
_QUALIFIED_RE = re.compile(r"\b(?:seriously|serious|critically|life-threatening|severely|badly|else)\b", re.I)
#: Any negation or hedge in a sentence keeps it from reporting harm ("two were hurt but none
#: seriously", "one death is under investigation", "a man feared dead").
_NEGATION_RE = re.compile(r"\b(?:no|not|none|nobody|never|without|no-one|investigat\w*|suspected|possibl[ey]|"
                          r"may|might|could|feared|believed|unconfirmed|precaution\w*|checks?|checked|"
                          r"observation)\b|n't\b", re.I)
#: One person to whom harm happened ("A firefighter suffered minor burns", "injuring the driver").
_ONE_PERSON_RE = re.compile(
    r"\b(?:a|an|the|one|another|his|her|he|she)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:man|woman|boy|girl|child|baby|toddler|driver|passenger|firefighter|officer|teller|clerk|"
    r"worker|employee|resident|tenant|occupant|pilot|member|pedestrian|cyclist|motorist|"
    r"motorcyclist|patient|guard|fisherman|climber|hiker|walker|swimmer|student|pupil|teacher|"
    r"nurse|doctor|soldier|victim|tourist|guest|customer|shopper|visitor|spectator|fan|player|"
    r"rider|jockey|pensioner|prisoner|inmate|bystander|miner|labourer|contractor|engineer|"
    r"farmer|crewman|colleague|assistant|cashier|shopkeeper|owner|attendant|steward|receptionist)s?\b|\b(?:he|she)\s+(?:was|had|has|suffered|died)\b",
    re.I,
)
_OTHER_PERIOD_RE = re.compile(
    r"\b(?:last|previous|earlier|former|past)\s+(?:year|month|week|incident|fire|crash|attack)|\b(?:1[89]|20)\d\d\b",
    re.I,
)


@dataclass(frozen=True)
class Harm:
    """Harm a sentence denies or reports: its kinds, whom it concerns (None: anyone) and where."""

    kinds: frozenset[str]
    group: tuple[str, ...] | None
    start: int
    end: int
    text: str


def _kinds(text: str) -> frozenset[str]:
    return frozenset(kind for kind, pattern in _HARM_RES.items() if pattern.search(text))


def _group_words(words: str | None) -> tuple[str, ...] | None:
    """The stems of the words naming whom a denial is about ("police officers" -> ("police",
    "officer")); None for anyone."""
    if not words:
        return None
    return tuple(w.lower().removesuffix("s") for w in words.split() if len(w) > 2) or None


def denied_harms(text: str, offset: int = 0) -> tuple[Harm, ...]:
    """The harms a sentence denies ("No one was injured" -> injury, to anyone); offsets are
    shifted by ``offset``."""
    out = []
    for m in _DENIAL_RE.finditer(text):
        if _QUALIFIED_RE.search(m.group()):
            continue
        said = m["harm"] or m["rest"]
        kinds = _kinds(said)
        if "hospital" in kinds:  # "needed hospital treatment" denies a hospital stay, not any care
            kinds -= {"treatment"}
        if kinds:  # the denial ends with its last word of harm
            end = m.end("harm") if m["harm"] else m.start("rest") + max(
                found.end() for pattern in _HARM_RES.values() for found in pattern.finditer(said))
            out.append(Harm(kinds, _group_words(m["group"] or m["of"]), offset + m.start(), offset + end,
                            text[m.start() : end]))
    return tuple(out)


def reported_harms(text: str, counts_people: bool, offset: int = 0) -> tuple[Harm, ...]:
    """The harm a sentence reports as having happened to someone: ``counts_people`` says the
    sentence counts more than no people (or injuries); otherwise one person must be named as
    its subject or object. Empty where the sentence negates anything or speaks of another
    period."""
    if _NEGATION_RE.search(text) or _OTHER_PERIOD_RE.search(text):
        return ()
    if not (counts_people or _ONE_PERSON_RE.search(text)):
        return ()
    out = []
    for kind, pattern in _HARM_RES.items():
        m = pattern.search(text)
        if m:
            out.append(Harm(frozenset({kind}), None, offset + m.start(), offset + m.end(), m.group()))
    return tuple(out)


def mentions_harm(text: str) -> bool:
    """Whether a sentence speaks of any harm (such sentences are kept for comparison)."""
    return any(pattern.search(text) for pattern in _HARM_RES.values())


def rules_out(denied: Harm, reported: Harm, reporting_sentence: str) -> bool:
    """Whether ``denied`` rules out ``reported``: a kind it denies covers the kind reported, and
    the report concerns the group the denial names (any group for "no one")."""
    if not any(kind in _RULES_OUT[d] for d in denied.kinds for kind in reported.kinds):
        return False
    if denied.group is None:
        return True
    return any(re.search(rf"\b{re.escape(word)}", reporting_sentence, re.I) for word in denied.group)
