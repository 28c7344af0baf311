from __future__ import annotations

import pytest

from propscope.dates import parse_date
from propscope.furniture import clean_plain_text, furniture_reason


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("January 07, 2020", "2020-01-07"),
        ("2020-12-29", "2020-12-29"),
        ("3 May 2024", "2024-05-03"),
        ("date 2020-12-29", "2020-12-29"),
        ("Posted on Jan. 3rd, 2021 by A Writer", "2021-01-03"),
        ("Sept 9, 2019", "2019-09-09"),
        ("29.12.2020", "2020-12-29"),
        ("31 February 2020", None),
        ("no date here", None),
    ],
)
def test_dates_parse_many_formats(raw: str, iso: str | None) -> None:
    assert parse_date(raw) == iso


@pytest.mark.parametrize(
    "sentence",
    [
        "The charity said donations had fallen by a third since the flood.",
        "By then, the army had left the town.",
        "Officials said the share of imports from the port rose to 40%.",
        "The company's cookies sold well in the capital last year.",
    ],
)
def test_furniture_keeps_body_sentences_that_mention_furniture_words(sentence: str) -> None:
    page = clean_plain_text(f"A headline\n\n{sentence}\n\nAnother paragraph of the story.")
    assert sentence in page.text
    assert not page.removed


@pytest.mark.parametrize(
    ("block", "reason"),
    [
        ("Please share this article with your friends!", "share appeal"),
        ("Donate now to keep us independent.", "donation appeal"),
        ("Subscribe to our newsletter for daily updates.", "subscription appeal"),
        ("© 2024 Some Outlet. All rights reserved.", "copyright notice"),
        ("This site uses cookies. Accept cookies", "cookie notice"),
        ("Note to readers: please click the share buttons.", "note to readers"),
        ("12 comments", "comment prompt"),
    ],
)
def test_furniture_reasons(block: str, reason: str) -> None:
    assert furniture_reason(block) == reason


def test_metadata_lines_become_metadata() -> None:
    page = clean_plain_text(
        "Region: Asia\n\nHeadline of the day\n\ndate 2020-12-29\n\nBy Ana Ruiz\n\n"
        "The story begins here and goes on for a while."
    )
    assert page.published == "2020-12-29"
    assert page.author == "Ana Ruiz"
    assert page.title == "Headline of the day"
    assert page.sections == {"region": "Asia"}
    assert {r.reason for r in page.removed} == {"section label", "date line", "byline"}
    assert page.text == "Headline of the day\n\nThe story begins here and goes on for a while."
