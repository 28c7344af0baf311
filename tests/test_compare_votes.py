"""One decision called unanimous by one article and split by the other (propscope.compare_votes)."""

from __future__ import annotations

import pytest

from propscope.compare_votes import unanimity, unanimity_conflicts


@pytest.mark.parametrize(("text", "expected"), [
    ("The planning committee approved the scheme unanimously.", "unanimous: unanimously"),
    ("The board voted 5-2 to close the depot.", "split: voted 5-2"),
    ("Councillors backed the plan by 23 votes to 19.", "split: by 23 votes to 19"),
    ("The tribunal's ruling was two votes to one.", "split: two votes to one"),
    ("He was convicted by a majority verdict.", "split: majority verdict"),
    ("The jury returned an 11-1 majority verdict.", "split: 11-1 majority"),
    ("One of the five judges dissented.", "split: dissented"),
    ("Three of the club's eleven trustees voted against the sale.", "split: Three of the club's eleven trustees voted"),
    ("Two directors voted against the sale.", "split: voted against"),
    ("Four of the seven governors backed the merger.", "split: Four of the seven governors backed"),
    ("The decision was not unanimous, the chairman admitted.", "split: not unanimous"),
    # a score is no vote; nothing said of a vote; both said of different counts
    ("Harrowgate won 4-1 on Saturday.", None),
    ("The council will meet again in May.", None),
    ("The jury was unanimous on two counts and reached a majority verdict on the third.", None),
])
def test_unanimous_or_split(text: str, expected: str | None) -> None:
    assert unanimity(text) == expected


def test_unanimous_against_split_clashes() -> None:
    assert unanimity_conflicts("The committee approved the scheme unanimously.",
                               "The committee backed the scheme by six votes to three.") == [
        ("unanimously", "by six votes to three")]
    assert unanimity_conflicts("The committee approved the scheme unanimously.",
                               "The vote on the scheme was unanimous.") == []
    assert unanimity_conflicts("The board voted 5-2.", "Two members voted against.") == []
    assert unanimity_conflicts("The board approved it unanimously.", "The depot will close in May.") == []
