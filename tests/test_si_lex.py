"""The lexical span experiment (``propscope.train.si_lex``, not shipped): its words, features
and fusion stay reproducible."""

from __future__ import annotations

import numpy as np

from propscope.train.si_lex import fuse, word_keys, word_of_token, word_spans

TEXT = 'Stop the steal!\n\nThey said "traitors" will stop the steal today.\n'


def _words(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for piece in text.replace("!", " !").replace(".", " .").replace('"', ' " ').split():
        start = text.index(piece, pos)
        out.append((start, start + len(piece)))
        pos = start + len(piece)
    return out


def test_subwords_group_into_words_as_the_decoder_groups_them() -> None:
    word_ids = [None, 0, 0, 1, 2, 2, None]
    offsets = [(0, 0), (0, 3), (3, 5), (6, 8), (9, 11), (11, 12), (0, 0)]
    assert list(word_of_token(word_ids)) == [-1, 0, 0, 1, 2, 2, -1]
    assert word_spans(offsets, word_ids) == [(0, 5), (6, 8), (9, 12)]


def test_word_keys_mark_repetition_title_quotes_and_line_ends() -> None:
    words = _words(TEXT)
    keys = dict(zip([TEXT[s:e] for s, e in words], word_keys(TEXT, words), strict=False))
    first_stop = word_keys(TEXT, words)[0]
    assert {"w|stop", "sh|Xxx", "title|1", "excl|1", "rep3|2", "n-1|<edge>"} <= set(first_stop)
    assert {"title|0", "quote|1", "w|traitors"} <= set(keys["traitors"])
    assert "quote|0" in keys["today"] and "excl|0" in keys["today"]
    assert "cnt|2" in keys["steal"]  # "steal" twice in the article


def test_fusion_moves_word_tokens_only() -> None:
    head = np.asarray([0.5, 0.2, 0.2, 0.6], np.float32)
    index = np.asarray([-1, 0, 0, 1])
    logits = np.asarray([2.0, -3.0])
    np.testing.assert_allclose(fuse(head, index, logits, 0.0, 0.0), head, atol=1e-6)
    fused = fuse(head, index, logits, 0.5, 0.0)
    assert fused[0] == head[0]  # a special token keeps the head's probability
    assert fused[1] > head[1] and fused[3] < head[3]
    assert fused[1] == fused[2]  # every subword of a word moves alike
