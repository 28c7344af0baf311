"""The lexical technique classifier: its features (``propscope.tc_lexical``), its fit
(``propscope.train.tc_lex``) and its fusion with the technique head at run time."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from propscope.model import PropscopeModel, default_model_dir
from propscope.ptc import read_articles, read_tc_labels, score_tc
from propscope.tc_lexical import TC_LEX, lexical_log_probs, span_keys
from propscope.train.tc_lex import GROUPS_ALL, fit_lex, lex_matrix, predict_lex

PTC = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "ptc"
TEXT = (
    "Make America Great Again!\n\n"
    "The patriots who love this nation said the traitors will lose. "
    'Experts say the "traitors" are radical lunatics.\n'
    "Is it true? Nobody knows.\n"
)


def _span(piece: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(piece, start + 1)
    return start, start + len(piece)


def test_span_keys_are_deterministic_and_hash_the_same() -> None:
    spans = [_span("Make America Great Again"), _span("radical lunatics")]
    assert span_keys(TEXT, spans) == span_keys(TEXT, spans)
    a = lex_matrix(span_keys(TEXT, spans), GROUPS_ALL, 1 << 18)
    b = lex_matrix(span_keys(TEXT, spans), GROUPS_ALL, 1 << 18)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    assert list(a[2]) == [0, a[2][1], len(a[0])] and a[2][1] > 0


def test_span_keys_mark_title_capitals_repetition_and_context() -> None:
    slogan, second, lunatics = span_keys(
        TEXT, [_span("Make America Great Again"), _span("traitors", 1), _span("radical lunatics")]
    )
    assert {"w|america", "b|<s> make", "c|grea", "title|1", "excl|1", "cap1|1", "len|3"} <= slogan.keys()
    assert "rep|1" in second and "quote|1" in second  # "traitors" occurs twice, second time quoted
    assert "rep|0" in lunatics and "l1|are" in lunatics and "title|0" in lunatics
    # context never crosses a line: nothing after "lunatics" on its line
    assert not any(k.startswith("r|") for k in lunatics)


def test_span_keys_mark_what_occurs_before_and_the_rest_of_the_line() -> None:
    first, second = span_keys(TEXT, [_span("traitors"), _span("traitors", 1)])
    assert "repb|0" in first and "repb|1" in second  # the second "traitors" repeats the first
    assert "s|patriots" in first and "s|traitors" not in first  # the line's other words
    [slogan] = span_keys(TEXT, [_span("Make America Great Again")])
    assert {"ls|1", "le|1"} <= slogan.keys()  # the whole title line ("!" aside)
    [lunatics] = span_keys(TEXT, [_span("radical lunatics")])
    assert {"ls|0", "le|1"} <= lunatics.keys()


def test_lex_matrix_keeps_only_the_chosen_groups() -> None:
    [keys] = span_keys(TEXT, [_span("radical lunatics")])
    full = lex_matrix([keys], GROUPS_ALL, 1 << 18)
    words_only = lex_matrix([keys], ("w|",), 1 << 18)
    assert len(words_only[0]) == 2 < len(full[0])
    np.testing.assert_allclose(words_only[1], 1 / np.sqrt(2), rtol=1e-6)


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="the fit needs torch (.venv-train)")
def test_fit_lex_learns_a_word_and_is_deterministic() -> None:
    lines = [f"Our great nation and {w} patriots.\nThey are {v} idiots.\n" for w, v in
             (("proud", "total"), ("true", "utter"), ("brave", "stupid"), ("loyal", "complete"))]
    keys, counts = [], []
    for text in lines:
        a, b = text.index("nation"), text.index("idiots")
        keys += span_keys(text, [(a - 6, a + 6), (b - 6, b + 6)])
        counts += [np.eye(14)[7], np.eye(14)[9]]  # Flag-Waving, Name_Calling
    m = lex_matrix(keys, GROUPS_ALL, 1 << 18)
    fit = fit_lex(*m, np.asarray(counts), l2=1e-4, iters=100)
    again = fit_lex(*m, np.asarray(counts), l2=1e-4, iters=100)
    np.testing.assert_array_equal(fit["w"], again["w"])
    text = "We love this nation.\nWhat idiots.\n"
    probe = [(text.index("nation"), text.index("nation") + 6), (text.index("idiots"), text.index("idiots") + 6)]
    p = predict_lex(fit, *lex_matrix(span_keys(text, probe), GROUPS_ALL, 1 << 18))
    assert list(p.argmax(axis=1)) == [7, 9]


# --------------------------------------------------------------------------- run time (tc_lex.npz)

PROPAGANDA = (
    "Stop the Steal!\n\n"
    "The corrupt elites want to destroy our great nation, and every patriot knows it. "
    "Stop the steal, they say, and they are right: stop the steal before it is too late.\n"
)


@pytest.fixture(scope="module")
def model() -> PropscopeModel:
    return PropscopeModel.load()


def _without_lexical(tmp_path: Path) -> PropscopeModel:
    copy = tmp_path / "model"
    shutil.copytree(default_model_dir(), copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    del manifest["files"][TC_LEX]
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (copy / TC_LEX).unlink()
    return PropscopeModel.load(copy)


def test_shipped_lexical_model_is_loaded_and_fuses_as_a_product_of_experts(model: PropscopeModel) -> None:
    assert model.has_lexical_tc
    spans = [(0, PROPAGANDA.index("!")), (PROPAGANDA.rindex("stop"), PROPAGANDA.rindex("steal") + 5)]
    lex = lexical_log_probs(PROPAGANDA, spans, model._heads["lex_w"], model._heads["lex_b"])
    np.testing.assert_allclose(np.exp(lex).sum(axis=1), 1.0, atol=1e-6)
    head = np.full((2, 14), 1 / 14, np.float32)  # a head with no opinion leaves the words to decide
    fused = model._with_lexical(PROPAGANDA, spans, head)
    np.testing.assert_allclose(fused.sum(axis=1), 1.0, atol=1e-5)
    assert list(fused.argmax(axis=1)) == list(lex.argmax(axis=1))
    weight = float(model._heads["lex_weight"][0])
    assert weight > 0
    sure = np.asarray([[0.7] + [0.3 / 13] * 13] * 2, np.float32)  # a head sure of technique 0
    z = np.log(sure.astype(np.float64)) + weight * lex
    expect = np.exp(z - z.max(axis=1, keepdims=True))
    np.testing.assert_allclose(model._with_lexical(PROPAGANDA, spans, sure),
                               expect / expect.sum(axis=1, keepdims=True), atol=1e-5)


def test_model_without_lexical_file_uses_the_head_alone(tmp_path: Path, model: PropscopeModel) -> None:
    plain = _without_lexical(tmp_path)
    assert not plain.has_lexical_tc and plain.has_tc2_head
    spans = [(PROPAGANDA.rindex("stop"), PROPAGANDA.rindex("steal") + 5)]
    art = plain._prepare(PROPAGANDA)
    probs = plain._tc2_probs(plain.tc_features(art, plain._run_articles([art])[0], spans))
    [pred] = plain.classify_spans(PROPAGANDA, spans)
    assert pred.confidence == pytest.approx(float(probs.max()), abs=1e-4)


@pytest.mark.skipif(not PTC.is_dir(), reason="../shared/datasets/ptc is absent (research data)")
def test_lexical_model_lifts_technique_classification_on_ptc_dev(tmp_path: Path, model: PropscopeModel) -> None:
    articles = read_articles(PTC / "dev-articles")
    gold = read_tc_labels(PTC / "dev-labels-task-flc-tc")
    spans: dict[str, list[tuple[int, int]]] = {}
    for aid, _label, start, end in gold:
        spans.setdefault(aid, []).append((start, end))

    def micro(m: PropscopeModel) -> float:
        pred = [(aid, p.technique, p.start, p.end) for aid, s in spans.items()
                for p in m.classify_spans(articles[aid], s)]
        return score_tc(gold, pred).f1

    fused, alone = micro(model), micro(_without_lexical(tmp_path))
    print(f"PTC dev TC micro-F1: head alone {alone:.4f}, with the lexical model {fused:.4f}")
    assert fused >= 0.59 and fused >= alone + 0.02


def test_run_time_reads_only_the_feature_groups_the_model_was_fitted_on(tmp_path: Path,
                                                                      model: PropscopeModel) -> None:
    copy = tmp_path / "model"
    shutil.copytree(default_model_dir(), copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    assert model.lexical_groups is not None and "c|" in model.lexical_groups
    manifest["dev_figures"]["tc_lex"]["groups"] = [g for g in model.lexical_groups if g != "c|"]
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    narrow = PropscopeModel.load(copy)
    assert narrow.lexical_groups is not None and "c|" not in narrow.lexical_groups
    spans = [(PROPAGANDA.rindex("stop"), PROPAGANDA.rindex("steal") + 5)]
    h = model._heads
    full = lexical_log_probs(PROPAGANDA, spans, h["lex_w"], h["lex_b"], model.lexical_groups)
    without_chars = lexical_log_probs(PROPAGANDA, spans, h["lex_w"], h["lex_b"], narrow.lexical_groups)
    assert not np.allclose(full, without_chars)
    head = np.full((1, 14), 1 / 14, np.float32)  # no opinion: the words decide, sharpened by the weight
    z = float(h["lex_weight"][0]) * without_chars[0]
    expect = np.exp(z - z.max())
    np.testing.assert_allclose(narrow._with_lexical(PROPAGANDA, spans, head)[0], expect / expect.sum(), atol=1e-5)
