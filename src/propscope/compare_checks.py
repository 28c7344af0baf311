"""Checks of any two sentences of two articles on one story that need not be aligned: each finds
a conflict in what the sentences say, given that they read at least somewhat alike.

- different causes of one event (:mod:`propscope.compare_causes`);
- one decision called unanimous and split (:mod:`propscope.compare_votes`);
- a casualty flown and driven to hospital, or dead in two places (:mod:`propscope.compare_care`);
- who did what one agent does: paid for, led, bought, won, found it (:mod:`propscope.compare_agents`);
- one thing placed on two bearings from one place ("south of Zerav" / "north-east of Zerav").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from propscope.compare_agents import agent_conflicts, agents
from propscope.compare_attributes import bearing_conflicts, bearings
from propscope.compare_care import care, care_conflicts
from propscope.compare_causes import cause_conflicts, causes
from propscope.compare_judge import Conflict
from propscope.compare_votes import unanimity, unanimity_conflicts


@dataclass(frozen=True)
class PairCheck:
    """One check: whether a sentence has something to check, what two sentences say that
    conflicts, how that is explained, and the cosine the two must reach."""

    kind: str
    has: Callable[[str], object]
    clash: Callable[[str, str], list[tuple[str, str]]]
    explain: str  # with {0} and {1}: what each sentence says
    floor: float

    def conflicts(self, first: str, second: str) -> list[Conflict]:
        return [Conflict(self.kind, x, y, self.explain.format(x, y)) for x, y in self.clash(first, second)]


CHECKS = (
    PairCheck("cause", causes, cause_conflicts, "one blames {0}, the other {1}", 0.5),
    PairCheck("vote", unanimity, unanimity_conflicts, "one says '{0}', the other '{1}'", 0.3),
    PairCheck("outcome", care, care_conflicts, "one says '{0}', the other '{1}'", 0.4),
    PairCheck("agent", agents, agent_conflicts, "one names {0}, the other {1}", 0.4),
    PairCheck("attribute", bearings, bearing_conflicts, "{0} and {1} cannot both place it", 0.5),
)


def marked(text: str) -> bool:
    """Whether a sentence has something one of :data:`CHECKS` compares."""
    return any(check.has(text) for check in CHECKS)
