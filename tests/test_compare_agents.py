"""Who did what one agent does, named differently (propscope.compare_agents)."""

from __future__ import annotations

import pytest

from propscope.compare_agents import agent_conflicts, agents


@pytest.mark.parametrize(("text", "expected"), [
    ("The survey was paid for by the Harrow Trust.", [("funded", "Harrow Trust")]),
    ("The boy was found by a dog walker at 6am on Sunday.", [("found", "dog walker")]),
    ("The talks were led by its foreign minister, Ana Brill.", [("led", "foreign minister, Ana Brill")]),
    ("The vase was bought by a dealer from Corran after a long contest.", [("bought", "dealer")]),
    ("The bridge was built by Kessel Engineering.", []),  # many build one thing
    ("Best actress went to Mira Holt for Salt.", [("award: best actress", "Mira Holt")]),
    ("The Golden Swan was awarded on Sunday to The Long Winter.", [("award: top prize", "Long Winter")]),
    ("Juno Park won the top prize at Carrow.", [("award: top prize", "Juno Park")]),
])
def test_agents_as_written(text: str, expected: list[tuple[str, str]]) -> None:
    assert agents(text) == expected


@pytest.mark.parametrize(("first", "second", "expected"), [
    ("The study was funded by the charity Lungwise.", "It was paid for by the drug maker Corvex.",
     [("charity Lungwise", "drug maker Corvex")]),
    ("The climber was spotted by a helicopter crew.", "She was found by a search dog team on Monday.",
     [("helicopter crew", "search dog team")]),
    ("The painting was bought by an anonymous telephone bidder.", "It was bought by the Tarrow Museum.",
     [("anonymous telephone bidder", "Tarrow Museum")]),
    ("The best actor award went to Ivo Tamm for Frost.", "Actor Pavel Lind won best actor for Frost.",
     [("Ivo Tamm", "Actor Pavel Lind")]),
    ("The Golden Swan went to The Long Winter.", "The Salt Road won the top prize.",
     [("Long Winter", "The Salt Road")]),
    ("The Golden Swan went to The Long Winter.", "Best actor went to Ivo Tamm.", []),
    # one agent in other words, or named with a different title; different acts
    ("The study was funded by Lungwise, a charity.", "The charity Lungwise paid for the study.", []),
    ("The talks were led by its president, Dato Kereli.", "They were headed by its deputy minister, Dato Kereli.",
     []),
    ("The trial was funded by Corvex.", "The trial was led by Professor Ana Brill.", []),
    ("The cup was won by Harlow Town.", "The cup was won by Harlow Town on penalties.", []),
    ("The race was won by Lotte Brand.", "She won by more than a minute.", []),
    ("It was found by Peter Tolland, a plumber.", "The hoard was found by a detectorist.", []),
])
def test_agents_that_clash(first: str, second: str, expected: list[tuple[str, str]]) -> None:
    assert agent_conflicts(first, second) == expected
