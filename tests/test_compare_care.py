"""What became of a casualty, told two ways (propscope.compare_care)."""

from __future__ import annotations

import pytest

from propscope.compare_care import care, care_conflicts


@pytest.mark.parametrize(("text", "expected"), [
    ("The climber was airlifted to Brannock Infirmary.", "air"),
    ("She was taken by road ambulance to Brannock Infirmary.", "road"),
    ("The cyclist died at the scene.", "scene"),
    ("He was pronounced dead in hospital on Monday.", "hospital"),
    ("The driver died later from his injuries.", "hospital"),
    ("The novelist died peacefully at her home in Carbury.", "home"),
    # both in one sentence, or neither
    ("Two were flown to hospital and three were taken by ambulance.", None),
    ("One died at the scene and another in hospital.", None),
    ("He was treated for cuts and bruises.", None),
    ("She was spotted by a police helicopter in a gully.", None),
])
def test_journeys_and_deaths(text: str, expected: str | None) -> None:
    assert care(text) == expected


def test_one_journey_or_death_told_two_ways() -> None:
    assert care_conflicts("The climber was airlifted to Brannock Infirmary.",
                          "She was taken by ambulance to Brannock Infirmary.") == [
        ("flown to hospital", "taken by road")]
    assert care_conflicts("Ms Orla Penn died at the scene.", "She died in hospital the next morning.") == [
        ("died at the scene", "died in hospital")]
    assert care_conflicts("He died at his home in Pellow on Sunday.", "The actor died in hospital on Sunday.") == [
        ("died at home", "died in hospital")]
    assert care_conflicts("She died in a fire at her home.", "The woman was pronounced dead at the scene.") == []
    # two journeys that are not shown to end at one place may be two people's
    assert care_conflicts("The climber was airlifted to Brannock Infirmary.",
                          "Her partner was taken by ambulance to Delby General.") == []
    assert care_conflicts("The climber was airlifted to Brannock Infirmary.",
                          "The climber was flown to Brannock Infirmary.") == []
