"""Attributes of one thing that exclude each other (propscope.compare_attributes)."""

from __future__ import annotations

import pytest

from propscope.compare_attributes import attribute_conflicts, bearing_conflicts
from propscope.compare_values import Sentence


def _sentence(text: str, article: int = 0) -> Sentence:
    return Sentence(article=article, start=0, end=len(text), text=text)


@pytest.mark.parametrize(("first", "second", "expected"), [
    ("She had planned to walk the mountain's north ridge.", "She had intended to climb the mountain's south ridge.",
     ("direction", "north", "south")),
    ("The Met Office had issued an amber wind warning.", "The Met Office had put a red warning in place.",
     ("colour", "orange", "red")),
    ("It has a bright orange throat.", "Its throat is a vivid blue.", ("colour", "orange", "blue")),
    ("The robbers fled in a blue Audi.", "The getaway car, a silver Audi, was found burnt out.",
     ("colour", "blue", "silver")),
    ("Two men armed with hammers smashed the cabinets.", "They were armed with axes, witnesses said.",
     ("weapon", "hammer", "axe")),
    ("Luis Ortega, who voted for the closure, spoke first.", "Luis Ortega, who voted against the closure, spoke.",
     ("vote", "voted for", "voted against")),
    ("The crash happened 30 kilometres south of Oskel.", "The plane went down in the hills north of Oskel.",
     ("direction", "south", "north")),
    ("It is the first independent school in the county to close this year.",
     "It is the third independent school in the county to close this year.",
     ("order", "first independent school", "third independent school")),
    ("The bank raised its rate on Thursday, its fourth increase this year.",
     "The bank lifted borrowing costs on Thursday, its third rate rise of the year.",
     ("order", "fourth increase", "third rate rise")),
    ("This was the festival's 38th edition.", "The festival was holding its 40th edition.",
     ("order", "38th edition", "40th edition")),
])
def test_one_thing_given_two_values(first: str, second: str, expected: tuple[str, str, str]) -> None:
    assert expected in attribute_conflicts(_sentence(first), _sentence(second, 1))


@pytest.mark.parametrize(("first", "second"), [
    # each describes another thing
    ("A red car hit the wall.", "The blue door of the shop was broken."),
    # both values are written on both sides
    ("The flag is red and white.", "The white and red flag flew over the hall."),
    # directions taken from different places
    ("The site is 340 kilometres east of the coast.", "The site is 12 kilometres north of the township."),
    # two parts of one match or period, and ranks of different things
    ("Reardon top-scored with 138 in the second innings.", "He made 45 in the first innings."),
    ("The deal should close in the second half of next year.", "Completion is expected in the first half."),
    ("It was the third orbital launch attempt from Sorvik.", "It was Sorvik's first successful orbital mission."),
    # one value only
    ("The Met Office issued a red warning.", "The warning covers the whole coast."),
])
def test_no_clash(first: str, second: str) -> None:
    assert attribute_conflicts(_sentence(first), _sentence(second, 1)) == []


def test_bearings_from_one_place() -> None:
    assert bearing_conflicts("The quake was centred 30 km south of the town of Orvik.",
                             "Its epicentre lay north-east of Orvik.") == [("south of Orvik", "north-east of Orvik")]
    assert bearing_conflicts("It was centred north of Orvik.", "Its epicentre lay north-east of Orvik.") == []
    assert bearing_conflicts("It was centred north of Orvik.", "The dam is south of Tarla.") == []
