"""Claim parts: time expressions and quantities, with offsets into the full text."""

from __future__ import annotations

import time
from datetime import date

import pytest

from propscope.claimparts import Quantity, TimeExpr, find_quantities, find_times

WED = date(2020, 1, 8)  # a Wednesday


def _one_time(text: str, published: date | None = None) -> TimeExpr:
    found = find_times(text, published=published)
    assert len(found) == 1, found
    t = found[0]
    assert text[t.start : t.end] == t.text
    return t


def _one_quantity(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert text[q.start : q.end] == q.text
    return q


# --------------------------------------------------------------------------- times


@pytest.mark.parametrize(
    ("text", "surface", "value", "granularity"),
    [
        ("He died on January 07, 2020 in Baghdad.", "January 07, 2020", "2020-01-07", "day"),
        ("He died on Jan. 7, 2020.", "Jan. 7, 2020", "2020-01-07", "day"),
        ("He died on Tuesday, January 7th, 2020.", "Tuesday, January 7th, 2020", "2020-01-07", "day"),
        ("He died on 7 January 2020.", "7 January 2020", "2020-01-07", "day"),
        ("He died on the 7th of January, 2020.", "the 7th of January, 2020", "2020-01-07", "day"),
        ("Filed 2020-01-07 in court.", "2020-01-07", "2020-01-07", "day"),
        ("Filed 01/07/2020 in court.", "01/07/2020", "2020-01-07", "day"),
        ("Filed 25/12/2019 in court.", "25/12/2019", "2019-12-25", "day"),
        ("The uprising began in March 2011.", "March 2011", "2011-03", "month"),
        ("The uprising began in March of 2011.", "March of 2011", "2011-03", "month"),
        ("Armstrong walked on the moon in 1969.", "1969", "1969", "year"),
        ("He has led the force since 1998, officials say.", "1998", "1998", "year"),
        ("Oil prices collapsed in the 1980s.", "1980s", "1980s", "decade"),
        ("It was a hit in the '90s.", "'90s", "1990s", "decade"),
        ("THE REGIME FELL IN MARCH 2011", "MARCH 2011", "2011-03", "month"),
    ],
)
def test_absolute_times(text: str, surface: str, value: str, granularity: str) -> None:
    t = _one_time(text)
    assert (t.text, t.value, t.granularity, t.kind) == (surface, value, granularity, "point")
    assert not t.relative


@pytest.mark.parametrize(
    ("text", "published", "surface", "value", "granularity"),
    [
        ("Last Tuesday he met aides.", WED, "Last Tuesday", "2020-01-07", "day"),
        ("He met aides last Tuesday.", date(2020, 1, 7), "last Tuesday", "2019-12-31", "day"),
        ("He met aides on Tuesday.", date(2020, 1, 9), "Tuesday", "2020-01-07", "day"),
        ("He met aides on Wednesday.", WED, "Wednesday", "2020-01-08", "day"),
        ("He will speak on Friday.", WED, "Friday", "2020-01-10", "day"),
        ("They spoke yesterday.", WED, "yesterday", "2020-01-07", "day"),
        ("They speak today.", WED, "today", "2020-01-08", "day"),
        ("Rockets fell last night.", WED, "last night", "2020-01-07", "day"),
        ("It happened last week.", WED, "last week", "2020-W01", "week"),
        ("It happens next week.", WED, "next week", "2020-W03", "week"),
        ("Sales fell last month.", date(2020, 3, 15), "last month", "2020-02", "month"),
        ("Sales fell last month.", WED, "last month", "2019-12", "month"),
        ("Sales fell last year.", WED, "last year", "2019", "year"),
        ("Sales will rise this year.", WED, "this year", "2020", "year"),
        ("Protests began in March.", date(2020, 5, 2), "March", "2020-03", "month"),
        ("Protests began in March.", WED, "March", "2019-03", "month"),
        ("Elections will be held in May.", WED, "May", "2020-05", "month"),
        ("The auction is scheduled for June.", WED, "June", "2020-06", "month"),
        ("He was arrested on March 15.", date(2020, 6, 1), "March 15", "2020-03-15", "day"),
        ("He was arrested on December 30.", WED, "December 30", "2019-12-30", "day"),
        ("The war ended two years ago.", WED, "two years ago", "2018", "year"),
        ("He arrived three days ago.", WED, "three days ago", "2020-01-05", "day"),
    ],
)
def test_relative_times(text: str, published: date, surface: str, value: str, granularity: str) -> None:
    t = _one_time(text, published)
    assert (t.text, t.value, t.granularity) == (surface, value, granularity)
    assert t.relative


def test_relative_times_without_publication_date() -> None:
    found = find_times("Yesterday he said he met them last Tuesday and on March 15.")
    assert [(t.text, t.value, t.granularity) for t in found] == [
        ("Yesterday", None, "relative"),
        ("last Tuesday", None, "relative"),
        ("March 15", "XXXX-03-15", "day"),
    ]


@pytest.mark.parametrize(
    ("text", "surface", "years", "granularity"),
    [
        ("Four decades of war have passed.", "Four decades", 40.0, "decade"),
        ("He ruled for 42 years.", "42 years", 42.0, "year"),
        ("He has been in jail for 12 years.", "12 years", 12.0, "year"),
        ("The siege lasted six months.", "six months", 0.5, "month"),
        ("The talks took two weeks.", "two weeks", round(14 / 365.25, 6), "week"),
        ("It took a decade to rebuild.", "a decade", 10.0, "decade"),
        ("After twenty-five years in exile he returned.", "twenty-five years", 25.0, "year"),
        ("He was jailed for four and a half years.", "four and a half years", 4.5, "year"),
        ("After a year and a half of building work it reopened.", "a year and a half", 1.5, "year"),
    ],
)
def test_durations(text: str, surface: str, years: float, granularity: str) -> None:
    t = _one_time(text, WED)
    assert (t.text, t.kind, t.granularity) == (surface, "duration", granularity)
    assert t.value == pytest.approx(years)


@pytest.mark.parametrize(
    "text",
    [
        "A 42-year-old man was arrested.",
        "He is 42 years old.",
        "Iran may retaliate, officials said.",
        "Troops will march on the capital.",
        "They paid $5 a day.",
        "The F-16 and the MiG-29 flew over.",
        "COVID-19 spread quickly.",
        "Prices rose 2000% during the crisis.",
        "Most of the members voted for May.",
    ],
)
def test_not_times(text: str) -> None:
    assert find_times(text, published=WED) == []


def test_time_offsets_within_a_window() -> None:
    text = "Preface from 1990. Body: he was born in 1969 and fled in 1979. Tail: 2001."
    start = text.index("Body")
    end = text.index("Tail")
    found = find_times(text, start, end)
    assert [(t.text, t.start) for t in found] == [("1969", text.index("1969")), ("1979", text.index("1979"))]
    assert find_times(text, 10, 5) == []


# --------------------------------------------------------------------------- quantities


@pytest.mark.parametrize(
    ("text", "surface", "value", "low", "high", "unit", "approximate"),
    [
        ("At least 19 people were killed.", "At least 19", 19, 19, None, "people", False),
        ("About 40,000 people fled.", "About 40,000", 40000, 36000, 44000, "people", True),
        ("A few hundred protesters gathered.", "A few hundred", 300, 200, 900, "protesters", True),
        ("The blast left 12 dead.", "12", 12, 12, 12, "dead", False),
        ("Twelve killed in the blast.", "Twelve", 12, 12, 12, "killed", False),
        ("Inflation hit 2.9% in April.", "2.9%", 2.9, 2.9, 2.9, "%", False),
        ("Inflation hit 2.9 percent.", "2.9 percent", 2.9, 2.9, 2.9, "%", False),
        ("Turnout was 40 per cent.", "40 per cent", 40, 40, 40, "%", False),
        ("Between 10 and 12 soldiers died.", "Between 10 and 12", 11, 10, 12, "soldiers", False),
        ("10 to 12 million people voted.", "10 to 12 million", 11e6, 10e6, 12e6, "people", False),
        ("More than a dozen villages burned.", "More than a dozen", 12, 12, None, "villages", False),
        ("Two dozen rockets were fired.", "Two dozen", 24, 24, 24, "rockets", False),
        ("It exported 1.5 million barrels.", "1.5 million", 1.5e6, 1.5e6, 1.5e6, "barrels", False),
        ("It sent 3,000 troops.", "3,000", 3000, 3000, 3000, "troops", False),
        ("It costs $3 billion.", "$3 billion", 3e9, 3e9, 3e9, "$", False),
        ("It costs £250m.", "£250m", 2.5e8, 2.5e8, 2.5e8, "£", False),
        ("Nearly 500 homes were hit.", "Nearly 500", 500, 450, 500, "homes", True),
        ("Up to 2,000 fighters remain.", "Up to 2,000", 2000, None, 2000, "fighters", False),
        ("Fewer than 50 were left.", "Fewer than 50", 50, None, 50, None, False),
        ("Hundreds of thousands of refugees fled.", "Hundreds of thousands", 3e5, 2e5, 9.99e5, "refugees", True),
        ("Thousands of people marched.", "Thousands", 3000, 2000, 50000, "people", True),
        ("Dozens of people were hurt.", "Dozens", 36, 24, 144, "people", True),
        ("Half a million people left.", "Half a million", 5e5, 5e5, 5e5, "people", False),
        ("A quarter of a million people left.", "A quarter of a million", 2.5e5, 2.5e5, 2.5e5, "people", False),
        ("Three quarters of a million tonnes.", "Three quarters of a million", 7.5e5, 7.5e5, 7.5e5, "tonnes", False),
        ("Three hundred and fifty families left.", "Three hundred and fifty", 350, 350, 350, "families", False),
        ("Forty-two villages voted.", "Forty-two", 42, 42, 42, "villages", False),
        ("The 2,000-word essay went viral.", "2,000-word", 2000, 2000, 2000, "word", False),
        ("He ruled for 42 years.", "42", 42, 42, 42, "years", False),
        ("Some 19 Iranian soldiers died.", "Some 19", 19, 17.1, 20.9, "soldiers", True),
        ("AT LEAST 19 KILLED IN BLAST", "AT LEAST 19", 19, 19, None, "killed", False),
        ("2000 troops were deployed.", "2000", 2000, 2000, 2000, "troops", False),
        ("Output fell -3.5% last year.", "-3.5%", -3.5, -3.5, -3.5, "%", False),
    ],
)
def test_quantities(
    text: str,
    surface: str,
    value: float,
    low: float | None,
    high: float | None,
    unit: str | None,
    approximate: bool,
) -> None:
    q = _one_quantity(text)
    assert q.text == surface
    assert q.value == pytest.approx(value)
    assert q.low == (None if low is None else pytest.approx(low))
    assert q.high == (None if high is None else pytest.approx(high))
    assert q.unit == unit
    assert q.approximate is approximate


@pytest.mark.parametrize(
    "text",
    [
        "The war began in 1998.",
        "He died on January 07, 2020.",
        "Born 7 March 1961 in Tikrit.",
        "COVID-19 spread.",
        "An F-16 crashed.",
        "The meeting starts at 10:30.",
        "It ended at 5 p.m. sharp.",
        "He came first, she was 2nd.",
        "See Article 5 and Resolution 2231.",
        "One of the men left; no one stayed.",
        "It was a hit in the 1990s and the '80s.",
        "The 9/11 attacks changed everything.",
    ],
)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_years_and_dates_are_times_not_quantities() -> None:
    text = "Unemployment hit 2.9% in April 2019, up from 2.1% in 2018, after 42 years of growth."
    quantities = find_quantities(text)
    assert [(q.text, q.unit) for q in quantities] == [("2.9%", "%"), ("2.1%", "%"), ("42", "years")]
    times = find_times(text)
    assert [(t.text, t.value, t.kind) for t in times] == [
        ("April 2019", "2019-04", "point"),
        ("2018", "2018", "point"),
        ("42 years", 42.0, "duration"),
    ]


def test_quotes_inside_quotes() -> None:
    text = "He said: \"They told me 'about 300 people' were there on 5 March 2019,\" adding 'nearly 500' later."
    qs = find_quantities(text)
    assert [(q.text, q.value, q.approximate) for q in qs] == [("about 300", 300, True), ("nearly 500", 500, True)]
    assert [t.value for t in find_times(text)] == ["2019-03-05"]
    for q in qs:
        assert text[q.start : q.end] == q.text


def test_table_flattened_into_text() -> None:
    rows = ["| Year | Deaths | Share |", "| 2018 | 1,204 | 3.4% |", "| 2019 | 987 | 2.9% |"]
    text = "\n".join([*rows, "Year Deaths Share 2020 1,100 3.1%"])
    assert [t.value for t in find_times(text)] == ["2018", "2019", "2020"]
    assert [(q.value, q.unit) for q in find_quantities(text)] == [
        (1204, None),
        (3.4, "%"),
        (987, None),
        (2.9, "%"),
        (1100, None),
        (3.1, "%"),
    ]


def test_all_caps_text() -> None:
    text = "TWELVE DEAD AS GUNMEN STORM HOTEL IN MARCH 2011; AT LEAST 19 INJURED ON TUESDAY"
    assert [(t.text, t.value) for t in find_times(text, published=date(2011, 3, 10))] == [
        ("MARCH 2011", "2011-03"),
        ("TUESDAY", "2011-03-08"),
    ]
    assert [(q.text, q.value, q.low, q.high, q.unit) for q in find_quantities(text)] == [
        ("TWELVE", 12, 12, 12, "dead"),
        ("AT LEAST 19", 19, 19, None, "injured"),
    ]


def test_offsets_are_into_the_full_text() -> None:
    text = "Intro: 5 people. Body: at least 19 people died on 3 May 2019. Outro: 7 cars."
    start = text.index("Body")
    end = text.index("Outro")
    qs = find_quantities(text, start, end)
    assert [(q.text, q.start) for q in qs] == [("at least 19", text.index("at least"))]
    ts = find_times(text, start, end)
    assert [(t.text, t.start) for t in ts] == [("3 May 2019", text.index("3 May"))]


def test_two_thousand_word_sentence_is_fast_and_sound() -> None:
    chunk = (
        "officials said at least 19 people were killed and about 40,000 fled on January 07, 2020 "
        "while a few hundred stayed for four decades and unemployment rose 2.9% in April, "
    )
    words = chunk.split()
    sentence = " ".join(words[i % len(words)] for i in range(2000))
    assert len(sentence.split()) == 2000
    t0 = time.perf_counter()
    times = find_times(sentence, published=WED)
    quantities = find_quantities(sentence)
    elapsed = time.perf_counter() - t0
    assert elapsed < 2.0, elapsed
    assert len(times) >= 40
    assert len(quantities) >= 60
    for item in [*times, *quantities]:
        assert sentence[item.start : item.end] == item.text


def test_empty_text() -> None:
    assert find_times("") == []
    assert find_quantities("") == []
    assert find_quantities("no numbers here at all") == []
