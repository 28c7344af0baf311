"""Who did the one thing that one agent does, named differently by two sentences: who paid for
it ("funded by the charity Heartline" / "paid for by the drug maker Pellis Pharma"), who led it,
bought it, won it, designed, wrote, directed or painted it, who found it.

Also who won an award ("Best actor went to Samuel Odum" / "Theo Brandt won best actor"; the top
prize under any of its names). Only the agent of a passive ("... by X") is read, for a closed list of verbs (with their
synonyms), up to the first preposition or clause ("found by a rescue team at 7am on Sunday" ->
"a rescue team"). Two agents differ when both are named and the names (capitalised words) differ,
or when neither is named and they share no content word ("a rescue team" / "a walker"); a named
agent and a described one may be one ("Peter Tolland" / "a detectorist"), except a buyer ("an
anonymous telephone bidder" / "the Tarrow Museum"). A margin is no agent.
"""

from __future__ import annotations

import calendar
import re

from propscope.compare_values import FUNCTION_WORDS, stem

#: Verbs of one agent per act, and the group each belongs to.
_GROUPS = {
    "paid for": "funded", "funded": "funded", "financed": "funded", "bankrolled": "funded", "sponsored": "funded",
    "led": "led", "headed": "led", "bought": "bought", "acquired": "bought", "purchased": "bought", "won": "won",
    "designed": "designed", "written": "written", "directed": "directed", "painted": "painted",
    "composed": "composed", "founded": "founded", "discovered": "found", "detected": "found", "found": "found",
    "spotted": "found", "identified": "found",
}
#: The agent runs to the first stop, with a name in apposition ("its president, Dato Kereli").
_AGENT_RE = re.compile(r"\b(" + "|".join(sorted(_GROUPS, key=len, reverse=True)) + r") by\s+"
                       r"([^,.;:()]+(?:,\s+(?-i:[A-Z][\w-]+)(?:\s+(?-i:[A-Z][\w-]+))*)?)", re.I)
_AGENT_END_RE = re.compile(r"\s(?:at|on|in|after|before|during|from|with|when|while|who|which|that|and|but|as|"
                           r"for|to|near|since|until|last|this|earlier|later)\s", re.I)
#: A margin, not an agent: "won by more than a minute", "won by three votes".
_MARGIN_RE = re.compile(r"\d|\b(?:minutes?|seconds?|points?|goals?|votes?|lengths?|margin|strokes?|runs?|wickets?|"
                        r"shots?|metres?|inches|a mile|miles|a distance)\b", re.I)
_NAME_RE = re.compile(r"\b[A-Z][\w-]{2,}")
_CALENDAR = frozenset(n for n in [*calendar.day_name, *calendar.month_name] if n)
_DETERMINERS = re.compile(r"^(?:the|a|an|his|her|its|their)\s+", re.I)


_AWARD = (r"(?:best (?:supporting |leading )?(?:actor|actress|director|film|picture|screenplay|documentary|novel|"
          r"album|song|newcomer|debut)|top (?:prize|award|honour|honor)|Golden [A-Z][a-z]+)")
_WINNER = r"(?-i:[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]*){0,3})"
#: Who won an award: "Best actor went to Samuel Odum", "the Golden Lantern was awarded to Winter
#: Orchard", "Theo Brandt won best actor", "Greta Sund was named best actress".
_AWARD_RES = (
    re.compile(rf"\b(?P<award>{_AWARD})(?:\s+(?:award|prize))?(?:\s+for\s+[^,.;]+?)?(?:\s+at\s+[^,.;]+?)?"
               rf"\s+(?:went|was\s+awarded|was\s+given|was\s+presented)(?:\s+on\s+\w+)?\s+to\s+(?:the\s+)?"
               rf"(?P<winner>{_WINNER})", re.I),
    re.compile(rf"(?P<winner>{_WINNER})\s+(?:won|took|claimed|scooped|picked\s+up)\s+(?:the\s+)?(?P<award>{_AWARD})",
               re.I),
    re.compile(rf"(?P<winner>{_WINNER})\s+was\s+named\s+(?P<award>{_AWARD})", re.I),
)
_TOP = re.compile(r"^(?:top |golden |best (?:film|picture)$)", re.I)


def _award(name: str) -> str:
    """One key per award: the top prize under any of its names ("the Golden Lantern", "best film")."""
    low = " ".join(name.lower().split())
    return "award: top prize" if _TOP.match(low) else f"award: {low}"


def agents(text: str) -> list[tuple[str, str]]:
    """(verb group, agent as written) for each passive of :data:`_GROUPS` in a sentence, and
    ("award: ...", winner) for each award it gives."""
    out = [(_award(m["award"]), m["winner"]) for pattern in _AWARD_RES for m in pattern.finditer(text)]
    for m in _AGENT_RE.finditer(text):
        agent = m[2]
        if end := _AGENT_END_RE.search(" " + agent + " "):
            agent = (" " + agent + " ")[: end.start()]
        agent = _DETERMINERS.sub("", agent.strip())
        if agent:
            out.append((_GROUPS[m[1].lower()], agent))
    return out


def _names(agent: str) -> frozenset[str]:
    return frozenset(n for n in _NAME_RE.findall(agent) if n not in _CALENDAR and n.lower() not in FUNCTION_WORDS)


def _words(agent: str) -> frozenset[str]:
    return frozenset(stem(w) for w in re.findall(r"[A-Za-z][\w'-]+", agent)
                     if w.lower() not in FUNCTION_WORDS and w not in _CALENDAR)


def agent_conflicts(first: str, second: str) -> list[tuple[str, str]]:
    """(agent in ``first``, agent in ``second``) of one act that the two give to different agents."""
    for group, x in agents(first):
        for other, y in agents(second):
            if group != other:
                continue
            names_x, names_y = _names(x), _names(y)
            if _MARGIN_RE.search(x) or _MARGIN_RE.search(y):
                continue  # "won by more than a minute"
            if bool(names_x) != bool(names_y) and group != "bought":
                continue  # "Peter Tolland" may be "a detectorist"; a buyer "anonymous" or "private" is not a museum
            if not (names_x & names_y if names_x else _words(x) & _words(y)):
                return [(x, y)]
    return []
