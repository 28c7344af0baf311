"""The lexical technique-classifier experiment (``propscope.train.tc_lex``): its features.

The experiment is not shipped (train CV gain +0.002 against the +0.01 needed), so there is no
run-time path to test; these tests keep its features and its fit reproducible.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from propscope.train.tc_lex import GROUPS_ALL, fit_lex, lex_matrix, predict_lex, tc_lex_keys

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


def test_tc_lex_keys_are_deterministic_and_hash_the_same() -> None:
    spans = [_span("Make America Great Again"), _span("radical lunatics")]
    assert tc_lex_keys(TEXT, spans) == tc_lex_keys(TEXT, spans)
    a = lex_matrix(tc_lex_keys(TEXT, spans), GROUPS_ALL, 1 << 18)
    b = lex_matrix(tc_lex_keys(TEXT, spans), GROUPS_ALL, 1 << 18)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    assert list(a[2]) == [0, a[2][1], len(a[0])] and a[2][1] > 0


def test_tc_lex_keys_mark_title_capitals_repetition_and_context() -> None:
    slogan, second, lunatics = tc_lex_keys(
        TEXT, [_span("Make America Great Again"), _span("traitors", 1), _span("radical lunatics")]
    )
    assert {"w|america", "b|<s> make", "c|grea", "title|1", "excl|1", "cap1|1", "len|3"} <= slogan.keys()
    assert "rep|1" in second and "quote|1" in second  # "traitors" occurs twice, second time quoted
    assert "rep|0" in lunatics and "l1|are" in lunatics and "title|0" in lunatics
    # context never crosses a line: nothing after "lunatics" on its line
    assert not any(k.startswith("r|") for k in lunatics)


def test_lex_matrix_keeps_only_the_chosen_groups() -> None:
    [keys] = tc_lex_keys(TEXT, [_span("radical lunatics")])
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
        keys += tc_lex_keys(text, [(a - 6, a + 6), (b - 6, b + 6)])
        counts += [np.eye(14)[7], np.eye(14)[9]]  # Flag-Waving, Name_Calling
    m = lex_matrix(keys, GROUPS_ALL, 1 << 18)
    fit = fit_lex(*m, np.asarray(counts), l2=1e-4, iters=100)
    again = fit_lex(*m, np.asarray(counts), l2=1e-4, iters=100)
    np.testing.assert_array_equal(fit["w"], again["w"])
    text = "We love this nation.\nWhat idiots.\n"
    probe = [(text.index("nation"), text.index("nation") + 6), (text.index("idiots"), text.index("idiots") + 6)]
    p = predict_lex(fit, *lex_matrix(tc_lex_keys(text, probe), GROUPS_ALL, 1 << 18))
    assert list(p.argmax(axis=1)) == [7, 9]
