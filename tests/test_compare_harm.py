"""Harm one article denies and another reports (propscope.compare_harm)."""

from __future__ import annotations

from typing import Any

import pytest
from test_compare import run

from propscope.compare_harm import denied_harms, reported_harms, rules_out


def _denied(text: str) -> list[tuple[list[str], tuple[str, ...] | None, str]]:
    return [(sorted(h.kinds), h.group, h.text) for h in denied_harms(text)]


def test_what_a_denial_rules_out() -> None:
    assert _denied("No one was injured, the airline said.") == [(["injury"], None, "No one was injured")]
    assert _denied("No police officers were injured.") == [(["injury"], ("police", "officer"),
                                                            "No police officers were injured")]
    assert _denied("None of them needed hospital treatment.") == [(["hospital"], None,
                                                                   "None of them needed hospital treatment")]
    assert _denied("Eight were admitted, and none has died.") == [(["death"], None, "none has died")]
    assert _denied("There were 14 crashes but no injuries.") == [(["injury"], None, "no injuries")]
    assert _denied("They were treated at the scene, without needing hospital care.")[0][0] == ["hospital"]


@pytest.mark.parametrize("text", [
    "No one was seriously hurt.", "No serious injuries were reported.", "No one else was injured.",
    "There were no arrests.", "No trains ran on Monday.",
])
def test_qualified_or_other_denials_deny_no_harm(text: str) -> None:
    assert denied_harms(text) == ()


def test_what_a_report_says_happened() -> None:
    def kinds(text: str, counts: bool = False) -> list[str]:
        return sorted(k for h in reported_harms(text, counts) for k in h.kinds)

    assert kinds("A firefighter suffered minor burns while tackling the blaze.") == ["injury"]
    assert kinds("The driver was taken to hospital with minor injuries.") == ["hospital", "injury"]
    assert kinds("A 79-year-old guest died on Monday.") == ["death"]
    assert kinds("Four passengers were treated at the scene.", counts=True) == ["treatment"]
    # nobody it happened to, a negation or hedge, another period
    assert kinds("The storm brought down power lines across the county.") == []
    assert kinds("Injuries were reported across the county.") == []
    assert kinds("Two passengers were hurt, but none seriously.", counts=True) == []
    assert kinds("One death is under investigation.", counts=True) == []
    assert kinds("Two people were injured in a similar fire last year.", counts=True) == []


def test_a_denial_rules_out_only_what_it_covers() -> None:
    def clash(denial: str, report: str, counts: bool = True) -> bool:
        return any(rules_out(d, r, report) for d in denied_harms(denial) for r in reported_harms(report, counts))

    assert clash("No one was injured.", "A teller suffered a cut to her arm.", counts=False)
    assert clash("No one was hurt.", "Two workers died in the fall.")  # a death is harm
    assert clash("None of them needed hospital treatment.", "Four people were taken to hospital.")
    assert not clash("No one was killed.", "Two workers were injured in the fall.")
    assert not clash("None of them needed hospital treatment.", "Eight people were treated at the scene.")
    assert clash("No officers were injured.", "Three officers suffered minor injuries.")
    assert not clash("No officers were injured.", "Three protesters suffered minor injuries.")
    # a hospital stay is an injury, unless it was a precaution or for checks
    assert clash("Nobody was hurt.", "Two people were taken to hospital with sprained ankles.")
    assert not clash("Nobody was hurt.", "Two people were taken to hospital as a precaution.")
    assert not clash("Nobody was hurt.", "Two people were taken to hospital for checks.")
    assert not clash("Nobody was hurt.", "Two people were treated for shock.")  # treatment is not injury
    assert clash("Nobody was hurt in the raid.", "A shop assistant suffered cuts to her hand.", counts=False)


def _conflicts(first: str, second: str) -> list[dict[str, Any]]:
    comparison = run([("a.txt", first), ("b.txt", second)])
    return [c for f in comparison.findings for c in f["conflicts"]]


def test_denied_and_reported_harm_conflict_in_sentences_that_read_apart() -> None:
    found = _conflicts(
        "Two masked men robbed the Vesterbank branch in Lindholt on Friday morning and escaped with cash. "
        "No one was hurt during the robbery, police said.",
        "Robbers armed with a knife held up the Vesterbank branch in Lindholt on Friday. "
        "A teller suffered a cut to her arm.",
    )
    assert [(c["kind"], c["values"]) for c in found] == [("negation", ["No one was hurt", "cut"])]
    assert "one says 'No one was hurt'" in found[0]["explanation"]


def test_harm_to_other_people_or_of_another_kind_is_no_conflict() -> None:
    start = "Riot police broke up a march in Castellane on Saturday. "
    assert _conflicts(start + "No officers were injured.", start + "Three protesters suffered minor injuries.") == []
    assert _conflicts(start + "No one was killed.", start + "Two protesters were injured.") == []


def test_a_wound_is_an_injury_a_named_person_is_denied() -> None:
    from test_compare import relation

    assert relation("Owner Karim Delacourt was pushed to the floor but was not injured.",
                    "Owner Karim Delacourt suffered a head wound.") == "contradicts"
