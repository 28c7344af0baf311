"""PTC / SemEval-2020 Task 11 and CheckThat! readers, writers and scorers.

Expected values are worked out by hand in the comments next to each case.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope.errors import IngestError
from propscope.ptc import (
    PRF,
    merge_spans,
    read_articles,
    read_checkworthy,
    read_si_labels,
    read_tc_labels,
    read_tc_template,
    score_checkworthy,
    score_si,
    score_tc,
    write_si,
    write_tc,
)

PTC_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets" / "ptc"


# --------------------------------------------------------------------------- PRF


def test_prf_from_counts_and_add() -> None:
    # tp=2 fp=1 fn=1 plus tp=1 fp=0 fn=2 -> tp=3, predicted=4, gold=6
    total = PRF.from_counts(2, 1, 1) + PRF.from_counts(1, 0, 2)
    assert (total.predicted, total.gold) == (4, 6)
    assert total.precision == pytest.approx(3 / 4)
    assert total.recall == pytest.approx(3 / 6)
    # F1 = 2 * 0.75 * 0.5 / 1.25 = 0.6
    assert total.f1 == pytest.approx(0.6)


def test_prf_zero_denominators_are_zero() -> None:
    empty = PRF()
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)


# --------------------------------------------------------------------------- SI


def test_merge_spans_merges_overlaps_not_touching_spans() -> None:
    # (0,5) and (3,8) share characters 3..4 -> (0,8); (8,10) only touches -> kept apart
    assert merge_spans([(3, 8), (0, 5), (8, 10)]) == [(0, 8), (8, 10)]
    # a span inside another disappears into it
    assert merge_spans([(0, 10), (2, 4)]) == [(0, 10)]


def test_merge_spans_rejects_empty_span() -> None:
    with pytest.raises(ValueError, match="empty"):
        merge_spans([(5, 5)])


def test_ptc_si_score_exact_match() -> None:
    score = score_si({"1": [(0, 10)]}, {"1": [(0, 10)]})
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_ptc_si_score_partial_overlap() -> None:
    # gold (0,10), pred (5,15): overlap 5 chars; P = 5/10, R = 5/10, F1 = 0.5
    score = score_si({"1": [(0, 10)]}, {"1": [(5, 15)]})
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(0.5)
    assert score.f1 == pytest.approx(0.5)


def test_ptc_si_score_merges_overlapping_gold_spans() -> None:
    # gold (0,10)+(5,20) merge into (0,20), one gold span of 20 chars; pred (0,10)
    # P = 10/10 = 1; R = 10/20 = 0.5; F1 = 2*1*0.5/1.5 = 2/3
    score = score_si({"1": [(0, 10), (5, 20)]}, {"1": [(0, 10)]})
    assert score.gold == 1
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx(0.5)
    assert score.f1 == pytest.approx(2 / 3)


def test_ptc_si_score_duplicate_predictions_count_once() -> None:
    # two copies of (0,10) merge into one span, so precision is not diluted: P = R = 1
    score = score_si({"1": [(0, 10)]}, {"1": [(0, 10), (0, 10)]})
    assert score.predicted == 1
    assert (score.precision, score.recall) == (1.0, 1.0)


def test_ptc_si_score_one_prediction_covering_two_gold_spans() -> None:
    # gold (0,4) and (6,10); pred (0,10)
    # P = (4 + 4) / 10 over 1 predicted span = 0.8
    # R = (4/4 + 4/4) over 2 gold spans = 1.0; F1 = 2*0.8*1/1.8 = 8/9
    score = score_si({"1": [(0, 4), (6, 10)]}, {"1": [(0, 10)]})
    assert score.precision == pytest.approx(0.8)
    assert score.recall == pytest.approx(1.0)
    assert score.f1 == pytest.approx(8 / 9)


def test_ptc_si_score_is_corpus_level() -> None:
    # article 1: exact hit (1 precision credit, 1 recall credit)
    # article 2: one gold span, nothing predicted (0 recall credit)
    # article 3: no gold, one predicted span (0 precision credit)
    # P = 1/2 predicted spans, R = 1/2 gold spans
    gold = {"1": [(0, 10)], "2": [(0, 4)]}
    pred = {"1": [(0, 10)], "3": [(0, 5)]}
    score = score_si(gold, pred)
    assert (score.predicted, score.gold) == (2, 2)
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(0.5)


def test_ptc_si_score_empty_predictions() -> None:
    # no predicted spans: precision 0/0 -> 0, recall 0/1 -> 0, F1 0
    score = score_si({"1": [(0, 10)]}, {})
    assert (score.predicted, score.gold) == (0, 1)
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)


def test_ptc_si_scores_add_up_like_one_corpus() -> None:
    gold = {"1": [(0, 10)], "2": [(0, 4), (6, 10)]}
    pred = {"1": [(5, 15)], "2": [(0, 10)]}
    together = score_si(gold, pred)
    apart = score_si({"1": gold["1"]}, {"1": pred["1"]}) + score_si({"2": gold["2"]}, {"2": pred["2"]})
    assert apart.f1 == pytest.approx(together.f1)


# --------------------------------------------------------------------------- TC


def test_ptc_tc_score_micro_and_per_technique() -> None:
    # 2 gold instances, 2 predictions, 1 correct -> micro P = R = F1 = 0.5
    gold = [("1", "Loaded_Language", 0, 10), ("1", "Name_Calling,Labeling", 20, 30)]
    pred = [("1", "Loaded_Language", 0, 10), ("1", "Doubt", 20, 30)]
    score = score_tc(gold, pred)
    assert (score.precision, score.recall, score.f1) == (0.5, 0.5, 0.5)
    assert score.per_technique["Loaded_Language"].f1 == 1.0
    # Name_Calling: 1 gold, never predicted -> R 0/1, P 0/0 -> 0
    assert score.per_technique["Name_Calling,Labeling"].gold == 1
    assert score.per_technique["Name_Calling,Labeling"].recall == 0.0
    # Doubt: predicted once, wrong -> P 0/1
    assert score.per_technique["Doubt"].predicted == 1
    assert score.per_technique["Doubt"].precision == 0.0


def test_ptc_tc_score_best_matching_on_identical_spans() -> None:
    # one span carries two gold labels; predictions in the other order still match both
    gold = [("1", "Loaded_Language", 10, 20), ("1", "Repetition", 10, 20)]
    swapped = [("1", "Repetition", 10, 20), ("1", "Loaded_Language", 10, 20)]
    assert score_tc(gold, swapped).f1 == 1.0
    # predicting the same label twice can only match one gold label: 1 of 2 correct
    doubled = [("1", "Loaded_Language", 10, 20), ("1", "Loaded_Language", 10, 20)]
    score = score_tc(gold, doubled)
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(0.5)
    # Loaded_Language: 1 correct of 2 predicted, 1 gold -> P 0.5, R 1.0
    assert score.per_technique["Loaded_Language"].precision == pytest.approx(0.5)
    assert score.per_technique["Loaded_Language"].recall == pytest.approx(1.0)


def test_ptc_tc_score_needs_exact_offsets() -> None:
    # same label, span off by one character -> no match: P = 0/1, R = 0/1
    score = score_tc([("1", "Doubt", 0, 10)], [("1", "Doubt", 0, 11)])
    assert (score.precision, score.recall) == (0.0, 0.0)
    # same offsets in another article -> no match either
    assert score_tc([("1", "Doubt", 0, 10)], [("2", "Doubt", 0, 10)]).f1 == 0.0


def test_ptc_tc_score_empty_predictions() -> None:
    score = score_tc([("1", "Doubt", 0, 10)], [])
    assert (score.micro.predicted, score.micro.gold) == (0, 1)
    assert score.f1 == 0.0


# --------------------------------------------------------------------------- readers / writers


def test_read_articles_keeps_crlf_offsets(tmp_path: Path) -> None:
    (tmp_path / "article111.txt").write_bytes("Title\r\n\r\nBody — text.\r\n".encode())
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    articles = read_articles(tmp_path)
    assert list(articles) == ["111"]
    text = articles["111"]
    # "Title" (5) + CRLF (2) + CRLF (2) -> "Body" starts at 9; the em dash is one character
    assert text[9:13] == "Body"
    assert text[14:15] == "—"
    assert text.endswith(".\r\n")


def test_read_articles_missing_folder_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(IngestError) as caught:
        read_articles(missing)
    assert str(missing) in caught.value.one_line()


def test_read_si_labels_file_and_folder(tmp_path: Path) -> None:
    folder = tmp_path / "labels"
    folder.mkdir()
    (folder / "article1.task-si.labels").write_text("1\t0\t5\n1\t7\t9\n", encoding="utf-8")
    (folder / "article2.task-si.labels").write_text("", encoding="utf-8")
    assert read_si_labels(folder) == {"1": [(0, 5), (7, 9)], "2": []}
    single = tmp_path / "all.labels"
    single.write_text("1\t0\t5\r\n\r\n2\t3\t4\r\n", encoding="utf-8")
    assert read_si_labels(single) == {"1": [(0, 5)], "2": [(3, 4)]}


def test_read_labels_bad_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.labels"
    path.write_text("1\t0\t5\n1\tx\t9\n", encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        read_si_labels(path)
    message = caught.value.one_line()
    assert "bad.labels" in message
    assert "line 2" in message


def test_read_labels_wrong_field_count(tmp_path: Path) -> None:
    path = tmp_path / "tc.labels"
    path.write_text("1\tDoubt\t0\n", encoding="utf-8")
    with pytest.raises(IngestError, match="line 1"):
        read_tc_labels(path)


def test_si_and_tc_round_trip(tmp_path: Path) -> None:
    write_si({"7": [(9, 12), (0, 4)]}, tmp_path / "si.txt")
    assert (tmp_path / "si.txt").read_text(encoding="utf-8") == "7\t0\t4\n7\t9\t12\n"
    assert read_si_labels(tmp_path / "si.txt") == {"7": [(0, 4), (9, 12)]}
    rows = [("7", "Name_Calling,Labeling", 0, 4), ("7", "Doubt", 9, 12)]
    write_tc(rows, tmp_path / "tc.txt")
    assert read_tc_labels(tmp_path / "tc.txt") == rows


def test_read_tc_template(tmp_path: Path) -> None:
    path = tmp_path / "template.out"
    path.write_text("5\t?\t1\t4\n5\t?\t1\t4\n", encoding="utf-8")
    # the same span twice: PTC lists a span once per technique it carries
    assert read_tc_template(path) == [("5", 1, 4), ("5", 1, 4)]


# --------------------------------------------------------------------------- check-worthiness


def test_read_checkworthy_splits_fused_line(tmp_path: Path) -> None:
    path = tmp_path / "train.tsv"
    path.write_text(
        "Sentence_id\tText\tclass_label\n"
        "1\tFirst.\tYes\n"
        "24098\tWe've got to invest and grow.\tNo29286\tYou can't bring back jobs.\tNo\n"
        "3\tLast.\tNo\n",
        encoding="utf-8",
    )
    assert read_checkworthy(path) == [
        ("1", "First.", True),
        ("24098", "We've got to invest and grow.", False),
        ("29286", "You can't bring back jobs.", False),
        ("3", "Last.", False),
    ]


def test_read_checkworthy_crlf_and_quotes(tmp_path: Path) -> None:
    path = tmp_path / "dev.tsv"
    path.write_bytes(
        b"Sentence_id\tText\tclass_label\r\n"
        b'26\t"I saw a movie - ""Crocodile Dundee."""\tNo\r\n'
        b'80\t"tab\tinside quotes"\tYes'  # last line without a newline, as in the data
    )
    assert read_checkworthy(path) == [
        ("26", 'I saw a movie - "Crocodile Dundee."', False),
        ("80", "tab\tinside quotes", True),
    ]


def test_read_checkworthy_bad_label_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("1\tText.\tYes\n2\tMore.\tMaybe\n", encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        read_checkworthy(path)
    assert "line 2" in caught.value.one_line()
    assert "bad.tsv" in caught.value.one_line()


def test_score_checkworthy_positive_class() -> None:
    # gold Yes Yes No No; pred Yes No Yes No -> tp=1 fp=1 fn=1 -> P = R = F1 = 0.5
    gold = [("a", "", True), ("b", "", True), ("c", "", False), ("d", "", False)]
    pred = {"a": True, "b": False, "c": True, "d": False}
    score = score_checkworthy(gold, pred)
    assert (score.precision, score.recall, score.f1) == (0.5, 0.5, 0.5)
    # rows work as predictions too
    rows = [(sid, "", label) for sid, label in pred.items()]
    assert score_checkworthy(gold, rows) == score


def test_score_checkworthy_missing_prediction() -> None:
    with pytest.raises(ValueError, match="missing"):
        score_checkworthy([("a", "", True)], {})


# --------------------------------------------------------------------------- real data


@pytest.mark.skipif(not PTC_DIR.is_dir(), reason="PTC data not found at ../shared/datasets/ptc")
def test_ptc_dev_split_reads_and_scores_itself_perfectly() -> None:
    articles = read_articles(PTC_DIR / "dev-articles")
    gold_si = read_si_labels(PTC_DIR / "dev-labels-task-si")
    gold_tc = read_tc_labels(PTC_DIR / "dev-labels-task-flc-tc")
    # counts from the corpus PROVENANCE.md: 40 articles, 537 SI spans, 621 TC instances
    assert len(articles) == 40
    assert sum(len(spans) for spans in gold_si.values()) == 537
    assert len(gold_tc) == 621
    assert read_si_labels(PTC_DIR / "dev-task-si.labels") == {k: v for k, v in gold_si.items() if v}
    assert all(end <= len(articles[aid]) for aid, _, _, end in gold_tc)
    assert score_si(gold_si, gold_si).f1 == 1.0
    assert score_tc(gold_tc, list(reversed(gold_tc))).f1 == 1.0


# Measured with the shipped tc_head.npz: dev TC micro-F1 0.562 (v1 span head 0.551), SI F1 0.406.
TC_DEV_FLOOR = 0.556


@pytest.mark.skipif(not PTC_DIR.is_dir(), reason="PTC data not found at ../shared/datasets/ptc (research data)")
def test_ptc_dev_technique_classification_with_tc_head() -> None:
    from propscope.cli_research import predict_techniques
    from propscope.model import PropscopeModel

    model = PropscopeModel.load()
    assert model.has_tc2_head
    articles = read_articles(PTC_DIR / "dev-articles")
    gold_tc = read_tc_labels(PTC_DIR / "dev-labels-task-flc-tc")
    template = [(aid, start, end) for aid, _, start, end in gold_tc]
    score = score_tc(gold_tc, predict_techniques(model, articles, template))
    assert score.micro.f1 >= TC_DEV_FLOOR
