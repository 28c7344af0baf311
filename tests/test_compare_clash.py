"""The learned judge of clashing values (propscope.compare_clash) and its training."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from propscope.article import Article
from propscope.compare_clash import FEATURES, MODEL_PATH, ClashModel, candidates, clashing, kind_key, shipped_model
from propscope.errors import ModelError
from propscope.train.compare_clash import SetData, counts, fit, leave_one_out, on_fresh_sets

PRIZE = [("a.txt", "The novelist Ada Brill has died at home in Corvel. Her debut novel won the Calder Prize in "
                   "1979. She wrote eleven books in all."),
         ("b.txt", "Ada Brill, the Corvel novelist, has died. Her first book, Salt Orchard, won the Calder Prize "
                   "in 1981. Brill published eleven books.")]
FERRY = [("a.txt", "A ferry ran aground off Teller Point on Sunday. The ferry was carrying 168 passengers when it "
                   "struck a sandbank. Nobody was hurt."),
         ("b.txt", "The Teller Point ferry ran aground on Sunday. It had 174 passengers on board. Coastguards said "
                   "there were no injuries.")]
PRICES = [("a.txt", "Consumer prices in Quillon rose 2.9% in April, the statistics office said. Fuel was the main "
                    "driver."),
          ("b.txt", "Quillon's inflation rate reached 3.2% in May, according to the statistics office. Food costs "
                    "climbed fastest.")]


@cache
def _encoder() -> Any:
    from propscope.compare import default_encoder

    return default_encoder()


def _compare(texts: list[tuple[str, str]], *, learned: bool) -> Any:
    from propscope.compare import analyse_all, compare_reports

    reports = analyse_all([Article(source=name, text=text, title=name) for name, text in texts])
    return compare_reports(reports, _encoder(), learned=learned)


def _conflicts(comparison: Any) -> list[dict[str, Any]]:
    return [c for f in comparison.findings for c in f["conflicts"]]


def test_shipped_model_reads_this_versions_features() -> None:
    model = shipped_model()
    assert model is not None
    assert model.weights.shape == (len(FEATURES),) and 0.0 < model.threshold < 1.0
    card = json.loads(MODEL_PATH.read_text("utf-8"))["card"]
    kept_back = {"blind17", "blind19", "blind20", "blind21", "blind24", "blind25", "blind26", "blind27", "blind28",
                 "blind29"}
    assert card["trained_on"] and not kept_back & set(card["trained_on"])


def test_model_trained_on_other_features_is_refused(tmp_path: Path) -> None:
    data = json.loads(MODEL_PATH.read_text("utf-8"))
    data["features"] = [*data["features"][:-1], "something_else"]
    path = tmp_path / "clash.json"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ModelError, match="other features"):
        ClashModel.load(path)
    path.write_text("{", "utf-8")
    with pytest.raises(ModelError, match="unreadable"):
        ClashModel.load(path)


@pytest.mark.parametrize(("texts", "values"), [
    (PRIZE, {"1979", "1981"}),  # a year both tie to the same prize, in sentences the rules do not align
    (FERRY, {"168", "174"}),  # passengers counted in sentences with no word in common near the figures
])
def test_learned_judge_finds_what_the_rules_miss(texts: list[tuple[str, str]], values: set[str]) -> None:
    assert not _conflicts(_compare(texts, learned=False))
    comparison = _compare(texts, learned=True)
    (conflict,) = _conflicts(comparison)
    assert {v.split()[0] for v in conflict["values"]} == values
    assert conflict["confidence"] >= shipped_model().threshold  # type: ignore[union-attr]
    assert "learned judge" in conflict["explanation"]
    from rich.console import Console

    from propscope.compare_render import print_comparison
    from propscope.report import validate

    validate(comparison.to_dict(), "comparison")
    console = Console(record=True, width=240)
    print_comparison(comparison, console)
    assert f"(learned judge, {conflict['confidence']:.2f})" in console.export_text()


def test_reasons_the_rules_give_are_never_overridden() -> None:
    """Rates of different months clash as values but are excused, so never scored."""
    from propscope.compare import analyse_all
    from propscope.compare_align import build_articles
    from propscope.compare_clash import Pair
    from propscope.compare_judge import Context

    reports = analyse_all([Article(source=n, text=t, title=n) for n, t in PRICES])
    first, second = build_articles(reports, _encoder())[0]
    a = next(s for s in first.sentences if "2.9%" in s.text)
    b = next(s for s in second.sentences if "3.2%" in s.text)
    rates = [(va, vb) for va in a.values for vb in b.values if va.unit == vb.unit == "%"]
    assert rates and all(clashing(va, vb) for va, vb in rates)
    ctx = Context(article_times={x.index: x.times for x in (first, second)},
                  article_clusters={x.index: x.clusters for x in (first, second)})
    pair = Pair(a, b, 0.9, True, True, first.sentences, second.sentences)
    assert all(kind_key(va) != "q:%" for va, _, _ in candidates(pair, ctx))
    assert not _conflicts(_compare(PRICES, learned=True))


def test_fit_separates_and_penalises() -> None:
    rng = np.random.default_rng(0)
    rows = rng.random((400, 3))
    labels = (rows[:, 0] > 0.5).astype(int)
    w, _ = fit(rows.tolist(), labels.tolist(), l2=0.1)
    assert w[0] > 5 and abs(w[1]) < 2 and abs(w[2]) < 2
    strong, _ = fit(rows.tolist(), labels.tolist(), l2=100.0)
    assert abs(strong[0]) < abs(w[0])


def _toy(name: str) -> SetData:
    """40 candidates, every other one a conflict, its first feature the label; the rules find 3."""
    keys = [(f"{name}{k}", frozenset({(0, k), (1, k)})) for k in range(40)]
    labels = [k % 2 for k in range(40)]
    rows = [[float(y), 0.5] for y in labels]
    gold = {key for key, y in zip(keys, labels, strict=True) if y}
    return SetData(name, rows, labels, keys, rules=set(list(gold)[:3]), gold=gold)


def test_counts_and_leave_one_out() -> None:
    sets = [_toy("x"), _toy("y"), _toy("z")]
    assert counts(sets[0], np.zeros(40), None) == (3, 0, 17)
    table = leave_one_out(sets)
    assert table["rules"] == [9, 0, 51]
    assert table["0.50"] == [60, 0, 0]  # the feature is the label: every conflict found, none made up


def test_fresh_sets_are_scored_at_every_threshold_by_the_fitted_weights() -> None:
    sets = [_toy("x"), _toy("y")]
    assert on_fresh_sets(np.array([4.0, 0.0]), -2.0, []) == {}
    table = on_fresh_sets(np.array([4.0, 0.0]), -2.0, sets)  # p 0.88 for a conflict, 0.12 for the rest
    assert table["rules"] == [6, 0, 34]
    assert table["0.40"] == table["0.85"] == [40, 0, 0]
    assert table["0.90"] == [6, 0, 34]
    inverted = on_fresh_sets(np.array([-4.0, 0.0]), 2.0, sets)
    assert inverted["0.40"] == [6, 40, 34]  # every other candidate called: all false


@pytest.mark.parametrize(("first", "second"), [
    ("All 186 people on board were evacuated down the slides.", "The 180 passengers and six crew left the aircraft."),
    ("Average rents in Kelby rose by 40% between 2015 and 2024.", "Rents in Kelby have nearly doubled since 2010."),
    ("Diallo has promised to build 5,000 homes by 2030.", "Diallo ran the housing department from 2018 to 2022."),
    ("The merger was defeated by 57% to 43%.", "A previous merger proposal was rejected by 71% to 29%."),
    ("Police valued the stolen watches at 85,000 euros.", "The shop estimated its losses at 120,000 euros."),
    ("Two climbers reached the summit of Mount Varak, their organiser said on Monday.",
     "The climbers reached the summit of Mount Varak on Friday."),
    ("The three-day festival was expected to attract 25,000 visitors.",
     "The festival had been due to start in ten days' time."),
])
def test_excused_clashes_are_not_candidates(first: str, second: str) -> None:
    """Parts that add up to the other figure, one end of a range, an earlier proposal, two
    valuations, the day something was said, a time from now: reasons the rules give, so the
    learned judge never scores them."""
    from test_compare import sentence

    from propscope.compare_clash import Pair
    from propscope.compare_judge import Context

    a, b = sentence(first, 0), sentence(second, 1)
    assert any(clashing(va, vb) for va in a.values for vb in b.values)
    ctx = Context(article_times={0: [], 1: []}, article_clusters={0: frozenset(), 1: frozenset()})
    assert candidates(Pair(a, b, 0.85, True, True, [a], [b]), ctx) == []


def test_a_month_without_a_year_does_not_repeat_a_year() -> None:
    """"closes in December" in one article is not "1972" written again, so the founding years
    1968 / 1972 do not look like a figure the other article repeats; a year written again does."""
    from test_compare import sentence

    from propscope.compare_clash import Pair
    from propscope.compare_judge import Context

    a = sentence("The factory opened in 1968 and once employed a thousand people.", 0)
    b = sentence("The plant, which opened in 1972, will stop production in the spring.", 1)
    december = sentence("Harlow Ceramics will close the factory in December.", 0)
    again = sentence("Records show the site was first used in 1972.", 0)
    ctx = Context(article_times={0: [], 1: []}, article_clusters={0: frozenset(), 1: frozenset()})
    at = FEATURES.index("elsewhere")

    def elsewhere(others: list[Any]) -> float:
        found = candidates(Pair(a, b, 0.6, True, True, [a, *others], [b]), ctx)
        assert [(va.text, vb.text) for va, vb, _ in found] == [("1968", "1972")]
        return found[0][2][at]

    assert december.values and december.values[0].unit == "monthday"
    assert elsewhere([december]) == 0.0
    assert elsewhere([again]) == 1.0
