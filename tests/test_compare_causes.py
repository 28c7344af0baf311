"""Causes that exclude each other (propscope.compare_causes), and causes and votes in a whole comparison."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from propscope.article import Article
from propscope.compare_causes import cause_conflicts, causes


@pytest.mark.parametrize(("text", "expected"), [
    ("The ferry company blamed a jammed rudder for the grounding.", ["a jammed rudder"]),
    ("Officials blamed the closure on flooding at the depot.", ["flooding at the depot"]),
    ("The council said a burst water main was to blame.", ["a burst water main"]),
    ("The blackout was caused by a blown transformer, not sabotage, the utility said.", ["a blown transformer"]),
    ("Trains were halted because of ice on the overhead lines.", ["ice on the overhead lines"]),
    ("The match was called off due to a waterlogged pitch.", ["a waterlogged pitch"]),
    ("A faulty boiler is being blamed for the fire.", ["A faulty boiler"]),
    ("The first cases were traced to a nursery in Millfield.", ["a nursery in Millfield"]),
    # plans, and causes left open
    ("The new stand is due to open in August.", []),
    ("The bridge was originally due to reopen in May.", []),
    ("The cause of the blaze is still under investigation.", []),
    ("It was caused by a gas leak, but arson has not been ruled out.", []),
    ("Investigators are examining whether a burst main was to blame.", []),
    # a comeback, not a cause
    ("FC Dravena came from behind to beat Aston Ridge 3-2 on Tuesday.", []),
    ("The equaliser came from a hotly disputed penalty.", ["a hotly disputed penalty"]),
])
def test_causes_as_written(text: str, expected: list[str]) -> None:
    assert causes(text) == expected


@pytest.mark.parametrize(("first", "second", "expected"), [
    ("The grounding was caused by a jammed rudder.", "Marlow Ferries blamed human error for the grounding.",
     ("a jammed rudder", "human error")),
    ("The kiosk fire was started by a discarded cigarette.", "Investigators said a faulty heater was to blame.",
     ("a discarded cigarette", "a faulty heater")),
    ("The outage was caused by a cable cut by roadworks, not a cyber attack.",
     "The operator blamed the outage on a cyber attack.",
     ("a cable cut by roadworks", "a cyber attack")),
])
def test_different_causes_clash(first: str, second: str, expected: tuple[str, str]) -> None:
    assert cause_conflicts(first, second) == [expected]


@pytest.mark.parametrize(("first", "second"), [
    # one cause in other words, or one account at two depths
    ("The race was postponed because of high winds.", "Organisers blamed gales for the postponement."),
    ("The ward closed because of a shortage of nurses.", "Bosses said nurse shortages were to blame."),
    ("The spill came from a storage tank at the works.", "The leak was caused by corrosion in the tank."),
    # only one side gives a cause, or one leaves it open
    ("The grounding was caused by a jammed rudder.", "The ferry ran aground on Sunday."),
    ("The grounding was caused by a jammed rudder.", "The cause of the grounding is not yet known."),
])
def test_no_cause_clash(first: str, second: str) -> None:
    assert cause_conflicts(first, second) == []


@cache
def _encoder() -> Any:
    from propscope.compare import default_encoder

    return default_encoder()


def _compare(first: str, second: str) -> Any:
    from propscope.compare import analyse_all, compare_reports

    articles = [Article(source=name, text=text, title=name) for name, text in (("a", first), ("b", second))]
    return compare_reports(analyse_all(articles), _encoder())


FERRY = ("The Marlow Ferries vessel Saint Bride ran aground off Penhallow on Sunday with 212 passengers on "
         "board. Nobody was hurt and the passengers were taken ashore by lifeboat. {cause} The company said "
         "the ship would be towed to Falmouth for repairs.")


def test_a_comparison_reports_different_causes() -> None:
    comparison = _compare(FERRY.format(cause="The grounding was caused by a jammed rudder, the company said."),
                          FERRY.format(cause="The company blamed human error on the bridge for the grounding."))
    conflicts = [c for f in comparison.findings for c in f.get("conflicts", []) if c["kind"] == "cause"]
    assert len(conflicts) == 1
    assert conflicts[0]["values"] == ["a jammed rudder", "human error on the bridge"]
    assert "blames" in conflicts[0]["explanation"]


def test_a_comparison_agrees_on_one_cause_in_other_words() -> None:
    comparison = _compare(FERRY.format(cause="The grounding was caused by a jammed rudder, the company said."),
                          FERRY.format(cause="The company said a jammed rudder was to blame for the grounding."))
    assert not [c for f in comparison.findings for c in f.get("conflicts", []) if c["kind"] == "cause"]


COUNCIL = ("Councillors in Wexmoor have approved a plan to pedestrianise the High Street from next spring. {vote} "
           "Cars will be banned between 10am and 6pm. Traders say the change could cut passing trade.")


def test_a_comparison_reports_a_decision_called_unanimous_and_split() -> None:
    comparison = _compare(COUNCIL.format(vote="The decision was unanimous."),
                          COUNCIL.format(vote="The plan was approved by 31 votes to 22 after a long debate."))
    conflicts = [c for f in comparison.findings for c in f.get("conflicts", []) if c["kind"] == "vote"]
    assert [c["values"] for c in conflicts] == [["unanimous", "by 31 votes to 22"]]


def test_an_article_whose_only_claim_is_a_vote_has_claims() -> None:
    comparison = _compare("The decision was unanimous.", "The plan was approved by 31 votes to 22.")
    assert not [w for w in comparison.warnings if "no claims" in w]
