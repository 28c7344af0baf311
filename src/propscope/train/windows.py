"""Turn PTC articles into encoder windows with token labels and span (TC) instances."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np
from tokenizers import Tokenizer

from propscope.model import (
    ANY_CHANNEL,
    BEGIN_CHANNEL,
    N_TOKEN_CHANNELS,
    TECHNIQUES,
    WINDOW_TOKENS,
    _normalise,
    best_window,
    span_extra_features,
    span_tokens,
)
from propscope.train.data import PtcArticle


@dataclass
class EncodedArticle:
    ids: list[int]
    labels: np.ndarray  # (n_tokens, N_TOKEN_CHANNELS) float32 0/1
    # (token start, token end, technique index, extra features) per gold instance
    spans: list[tuple[int, int, int, list[float]]]


@dataclass
class Window:
    ids: list[int]  # content ids, no specials
    labels: np.ndarray  # (len(ids), N_TOKEN_CHANNELS)
    spans: list[tuple[int, int, int, list[float]]] = field(default_factory=list)  # window-relative tokens


def encode_article(tokenizer: Tokenizer, art: PtcArticle) -> EncodedArticle:
    enc = tokenizer.encode(art.text, add_special_tokens=False)
    offsets = list(enc.offsets)
    labels = np.zeros((len(offsets), N_TOKEN_CHANNELS), np.float32)
    norm = _normalise(art.text)
    spans: list[tuple[int, int, int, list[float]]] = []
    for start, end, technique in art.spans:
        i, j = span_tokens(offsets, start, end)
        k = TECHNIQUES.index(technique)
        labels[i:j, k] = 1.0
        labels[i:j, ANY_CHANNEL] = 1.0
        labels[i, BEGIN_CHANNEL] = 1.0
        spans.append((i, j, k, span_extra_features(art.text, start, end, norm)))
    return EncodedArticle(list(enc.ids), labels, spans)


def shifted_windows(n_tokens: int, stride: int, shift: int) -> list[tuple[int, int]]:
    """Windows like :func:`plan_windows` but with the grid moved by ``shift`` tokens."""
    inner = WINDOW_TOKENS - 2
    if n_tokens <= inner:
        return [(0, n_tokens)]
    starts = [0, *list(range(shift, n_tokens - inner, stride))] if shift else list(range(0, n_tokens - inner, stride))
    starts.append(n_tokens - inner)
    starts = sorted(set(starts))
    return [(a, a + inner) for a in starts]


def make_windows(articles: list[EncodedArticle], stride: int, rng: random.Random | None) -> list[Window]:
    """All windows of all articles; with ``rng`` the window grid is shifted at random."""
    out: list[Window] = []
    for art in articles:
        shift = rng.randrange(stride) if rng is not None else 0
        plan = shifted_windows(len(art.ids), stride, shift)
        windows = [Window(art.ids[a:b], art.labels[a:b]) for a, b in plan]
        for i, j, k, extra in art.spans:
            w = best_window(i, j, plan)
            a, b = plan[w]
            lo, hi = max(i, a) - a, min(j, b) - a
            if hi > lo:
                windows[w].spans.append((lo, hi, k, extra))
        out.extend(windows)
    return out
