"""The shipped propscope model at run time: onnxruntime + tokenizers + numpy only.

One int8 MiniLM encoder (ONNX, outputs the last hidden state) feeds three small heads
kept in ``heads.npz`` and run in numpy:

* token head: per subword token, 14 technique "inside" channels, one "any technique"
  channel (span identification) and one "begin" channel;
* span head (technique classification): an MLP over [mean; first; last; CLS] of the span's
  tokens plus a few article-level features (how often the span's text repeats, its length);
* check-worthiness head: logistic regression over the mean-pooled sentence embedding;
* ``sent_map`` (distilled encoders only): a linear map from a sentence's mean state to the
  teacher encoder's, applied to the sentence embeddings that ``compare`` reads.

Optional ``si_head.npz`` (listed in manifest.json): span identification with context. Per
token [state; token-head probabilities; mean state and probabilities of its line; lexical
flags] -> ReLU layer -> ReLU convolution over neighbouring tokens -> P(inside a span), decoded
by :func:`decode_spans` with its own thresholds (``thresholds.si_head``); it replaces the token
head's "any technique" channel in :meth:`PropscopeModel.analyse`.

Optional heads kept in ``shared_heads.npz`` (listed in manifest.json) read the hidden states of
the technique pass itself, so that one encoder pass per article serves every component:

* entity head: a layer over each word's first subword (hidden state averaged over the windows
  that hold it) plus casing features of the word, a width-3 convolution over neighbouring
  words, and BIO tags for spaCy's PERSON, ORG, GPE, LOC, FAC and NORP labels;
* in-context check-worthiness head: logistic regression over a sentence's tokens read inside
  the whole article ([mean; first token; last token]). In the cascade (:meth:`PropscopeModel.checkworthiness_cascade`)
  only sentences whose in-context score is uncertain are encoded again, alone, for the
  isolated head.

Articles of any length are read in overlapping windows of subword tokens; every offset that
leaves this module is a Python ``str`` offset into the text the caller gave.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import os
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property, partial
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from propscope.errors import ModelError
from propscope.tc_lexical import QUOTES as _QUOTES
from propscope.tc_lexical import TC_LEX, lexical_log_probs

__all__ = ["ENTITY_LABELS", "TECHNIQUES", "EncodedText", "PropscopeModel", "SpanPrediction"]

TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)
N_TECH = len(TECHNIQUES)
ANY_CHANNEL = N_TECH  # token head channel: inside any technique span
BEGIN_CHANNEL = N_TECH + 1  # token head channel: a span starts in this token
N_TOKEN_CHANNELS = N_TECH + 2
N_SPAN_EXTRA = 4  # article-level features appended to the pooled span vector

#: spaCy labels the entity head tags (BIO): class 0 is O, 1..K are B-label, K+1..2K are I-label.
ENTITY_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP")
N_ENTITY_CLASSES = 1 + 2 * len(ENTITY_LABELS)
SHARED_HEADS = "shared_heads.npz"
TC_HEAD = "tc_head.npz"  # optional richer technique-classification head (``tc2_*``)

WINDOW_TOKENS = 256  # encoder window, [CLS] and [SEP] included
SENTENCE_MAX_TOKENS = 256  # check-worthiness input cap, [CLS] and [SEP] included
CLS_ID = 101
SEP_ID = 102
PAD_ID = 0
_TRIM = " \t\r\n\f\v.,:;"

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
Offsets = list[tuple[int, int]]


@dataclass(frozen=True)
class SpanPrediction:
    """A technique span: ``text[start:end]``; ``confidence`` is in [0, 1]."""

    start: int
    end: int
    technique: str
    confidence: float


# --------------------------------------------------------------------------- helpers
# These are shared with the training code (propscope.train) so that training and run
# time cut windows, pick windows for spans and compute span features the same way.


def plan_windows(n_tokens: int, stride: int, size: int = WINDOW_TOKENS) -> list[tuple[int, int]]:
    """Token ranges [a, b) covering ``n_tokens`` content tokens, each at most ``size - 2`` long."""
    inner = size - 2
    if n_tokens <= inner:
        return [(0, n_tokens)]
    starts = list(range(0, n_tokens - inner, stride))
    starts.append(n_tokens - inner)
    return [(a, a + inner) for a in starts]


def best_window(tok_start: int, tok_end: int, windows: Sequence[tuple[int, int]]) -> int:
    """Index of the window that holds most of tokens [tok_start, tok_end), most centrally."""
    best, best_key = 0, (-1, -1)
    for i, (a, b) in enumerate(windows):
        covered = min(b, tok_end) - max(a, tok_start)
        margin = min(tok_start - a, b - tok_end)
        key = (covered, margin)
        if key > best_key:
            best, best_key = i, key
    return best


def span_tokens(
    offsets: Offsets, start: int, end: int, bounds: tuple[list[int], list[int]] | None = None
) -> tuple[int, int]:
    """Token range [i, j) of the tokens overlapping characters [start, end).

    A span that touches no token (whitespace only) gets the nearest token at or after it
    (or the last token). ``offsets`` are in text order, as the tokenizer gives them;
    ``bounds`` (their starts and their ends) saves rebuilding them for every span.
    """
    starts, ends = bounds or ([a for a, _ in offsets], [b for _, b in offsets])
    first = bisect.bisect_right(ends, start)
    stop = bisect.bisect_left(starts, end)
    if first < stop:
        return first, stop
    nearest = min(first, len(offsets) - 1)
    return max(nearest, 0), max(nearest, 0) + 1


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def span_extra_features(text: str, start: int, end: int, norm_text: str | None = None) -> list[float]:
    """[log1p(repeats elsewhere), repeats > 0, log1p(words)/3, log1p(chars)/6] for one span."""
    phrase = _normalise(text[start:end])
    haystack = f" {norm_text if norm_text is not None else _normalise(text)} "
    repeats = max(haystack.count(f" {phrase} ") - 1, 0) if phrase else 0
    words = len(phrase.split())
    return [
        math.log1p(repeats),
        1.0 if repeats > 0 else 0.0,
        math.log1p(words) / 3.0,
        math.log1p(end - start) / 6.0,
    ]




def span_lexical_features(text: str, start: int, end: int) -> list[float]:
    """What the uncased encoder reads poorly about ``text[start:end]``, in [0, 1] each.

    [in quotes, ends with "!", ends with "?", share of all-caps letters, starts with a capital,
    span's share of its line, position of the span in the text, line ends with "?"].
    """
    piece = text[start:end]
    before = text[max(start - 2, 0) : start]
    after = text[end : end + 2]
    quoted = any(c in _QUOTES for c in before) and any(c in _QUOTES for c in after + piece[-1:])
    letters = [c for c in piece if c.isalpha()]
    caps = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end].rstrip()
    tail = (piece + text[end : end + 1]).rstrip()
    return [
        1.0 if quoted else 0.0,
        1.0 if tail.endswith("!") else 0.0,
        1.0 if tail.endswith("?") else 0.0,
        caps,
        1.0 if piece[:1].isupper() else 0.0,
        min((end - start) / max(len(line), 1), 1.0),
        start / max(len(text), 1),
        1.0 if line.endswith("?") else 0.0,
    ]


N_TC_LEXICAL = 8
#: column blocks of the technique-classification input of the ``tc2`` head (see
#: :meth:`PropscopeModel.tc_features`); a head keeps the columns listed in ``tc2_cols``.
TC_BLOCKS: tuple[tuple[str, int], ...] = (
    ("span", 4 * 384),  # [mean; first; last; CLS] of the span in its best window (as the v1 head)
    ("extra", N_SPAN_EXTRA),  # span_extra_features
    ("line", 384),  # mean state of the span's line (window-averaged states)
    ("article", 384),  # mean state of the article
    ("before", 384),  # mean state of the 3 tokens before the span
    ("after", 384),  # mean state of the 3 tokens after the span
    ("tokp", 2 * N_TOKEN_CHANNELS),  # token head probabilities over the span: mean and max
    ("lex", N_TC_LEXICAL),  # span_lexical_features
)


N_SI_LEXICAL = 8  # lexical flags per token (see si_lexical)
#: column blocks of the span-identification head's input per token (see :func:`si_features`);
#: a head keeps the columns listed in ``si_cols``.
SI_BLOCKS: tuple[tuple[str, int], ...] = (
    ("tok", 384),  # the token's state (averaged over the windows that hold it)
    ("tokp", N_TOKEN_CHANNELS),  # the token head's probabilities for the token
    ("line", 384),  # mean state of the token's line
    ("line_tokp", N_TOKEN_CHANNELS),  # mean token-head probabilities over the line
    ("article", 384),  # mean state of the article
    ("lex", N_SI_LEXICAL),  # what the uncased encoder reads poorly (see si_features)
)
N_SI_FEATURES = sum(w for _, w in SI_BLOCKS)
SI_HEAD = "si_head.npz"  # optional span-identification head (``si_*``)
_QUOTE_RE = re.compile("[\"“”«»]")
_ALNUM_RE = re.compile(r"[^\W_]")  # a character for which str.isalnum() is true
_LINE_TAIL = " \t\r\"'“”’"


def _si_lines(text: str, offsets: Offsets) -> tuple[IntArray, IntArray, IntArray]:
    """Line number of each token, the first token of each run of tokens on one line, and the
    run of each token (tokens are in text order, so a line's tokens form one run)."""
    starts = np.asarray([a for a, _ in offsets], np.int64)
    newlines = np.asarray([m.start() for m in re.finditer("\n", text)], np.int64)
    line = np.searchsorted(newlines, starts, side="right")
    new_run = np.concatenate([[True], line[1:] != line[:-1]])
    return line, np.flatnonzero(new_run), np.cumsum(new_run) - 1


def _run_means(values: FloatArray, run_starts: IntArray) -> FloatArray:
    counts = np.diff(np.concatenate([run_starts, [len(values)]])).astype(np.float32)[:, None]
    out: FloatArray = (np.add.reduceat(values, run_starts, axis=0) / counts).astype(np.float32)
    return out


def si_lexical(text: str, offsets: Offsets, word_ids: Sequence[int | None], line: IntArray) -> FloatArray:
    """The lexical block of :func:`si_features` per token (``line``: each token's line number)."""
    n = len(offsets)
    pieces = [text[a:b] for a, b in offsets]
    starts = np.asarray([a for a, _ in offsets], np.int64)
    lex = np.zeros((n, N_SI_LEXICAL), np.float32)
    lex[:, 0] = [p[:1].isupper() for p in pieces]
    lex[:, 1] = [len(p) >= 2 and p.isalpha() and p.isupper() for p in pieces]
    lex[:, 2] = [_ALNUM_RE.search(p) is None for p in pieces]
    words = np.asarray([-1 if w is None else w for w in word_ids], np.int64)
    lex[:, 3] = (words >= 0) & (words != np.concatenate([[-1], words[:-1]]))
    quotes = np.asarray([m.start() for m in _QUOTE_RE.finditer(text)], np.int64)
    lex[:, 4] = np.searchsorted(quotes, starts, side="left") % 2
    tails = [t.rstrip(_LINE_TAIL) for t in text.split("\n")]
    lex[:, 5] = np.asarray([t.endswith("?") for t in tails], np.float32)[line]
    lex[:, 6] = np.asarray([t.endswith("!") for t in tails], np.float32)[line]
    lex[:, 7] = line == 0
    return lex


def si_features(
    text: str, offsets: Offsets, word_ids: Sequence[int | None], states: FloatArray, probs: FloatArray
) -> FloatArray:
    """Input of the span-identification head per token, every block of :data:`SI_BLOCKS` in order.

    ``states`` are the window-averaged token states, ``probs`` the token head's probabilities.
    The lexical block is [first letter upper, all caps, punctuation only, first subword of its
    word, inside double quotes, line ends with "?", line ends with "!", on the first line].
    """
    n = len(offsets)
    line, run_starts, run = _si_lines(text, offsets)
    article = np.broadcast_to(states.mean(axis=0), (n, states.shape[1]))
    out: FloatArray = np.concatenate([
        states, probs, _run_means(states, run_starts)[run], _run_means(probs, run_starts)[run], article,
        si_lexical(text, offsets, word_ids, line),
    ], axis=1).astype(np.float32)
    return out


@dataclass(frozen=True)
class DecodeSettings:
    """How token probabilities become spans (tuned on PTC dev, stored in manifest.json)."""

    threshold: float = 0.5  # a word is inside when its mean token probability reaches this
    span_min: float = 0.0  # a span is kept when its mean word probability reaches this
    min_chars: int = 1  # a span is kept when it is at least this long
    split_lines: bool = True  # never let a span run across a line break


def decode_spans(
    text: str,
    offsets: Offsets,
    word_ids: Sequence[int | None],
    probs: FloatArray,
    settings: DecodeSettings,
) -> list[tuple[int, int, float]]:
    """Spans (start, end, mean probability) from per-token "inside" probabilities.

    Tokens are grouped into the tokenizer's words (whitespace/punctuation split); a word is
    inside when its mean probability reaches ``settings.threshold``; consecutive inside words
    form one span (broken at line breaks with ``split_lines``); spans are trimmed of whitespace
    and ``.,:;`` at both ends, then filtered by mean probability and length.
    """
    rows = [(i, w) for i, w in enumerate(word_ids) if w is not None]
    if not rows:
        return []
    tok_index = np.fromiter((i for i, _ in rows), dtype=np.int64, count=len(rows))
    wid = np.fromiter((w for _, w in rows), dtype=np.int64, count=len(rows))
    new_word = np.concatenate([[True], wid[1:] != wid[:-1]])
    group = np.cumsum(new_word) - 1
    sums = np.bincount(group, weights=probs[tok_index].astype(np.float64))
    counts = np.bincount(group)
    means = sums / counts
    firsts = tok_index[new_word]
    lasts = tok_index[np.concatenate([new_word[1:], [True]])]
    words = [(offsets[int(a)][0], offsets[int(b)][1], float(m)) for a, b, m in zip(firsts, lasts, means, strict=True)]

    spans: list[tuple[int, int, float]] = []
    run: list[tuple[int, int, float]] = []

    def close() -> None:
        s, e = run[0][0], run[-1][1]
        while s < e and text[s] in _TRIM:
            s += 1
        while e > s and text[e - 1] in _TRIM:
            e -= 1
        score = float(np.mean([w[2] for w in run]))
        if e - s >= max(settings.min_chars, 1) and score >= settings.span_min:
            spans.append((s, e, score))

    for word in words:
        inside = word[2] >= settings.threshold
        if run and (not inside or (settings.split_lines and "\n" in text[run[-1][1] : word[0]])):
            close()
            run = []
        if inside:
            run.append(word)
    if run:
        close()
    return spans


def _widen(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """``mask`` with each marked position's neighbours marked too."""
    out = mask.copy()
    out[1:] |= mask[:-1]
    out[:-1] |= mask[1:]
    return out


def _token_ranges(offsets: Offsets, spans: Sequence[tuple[int, int]]) -> tuple[IntArray, IntArray]:
    """:func:`span_tokens` for many character ranges at once: arrays of token starts and stops."""
    table = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
    n = len(table)
    bounds = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    first = np.searchsorted(table[:, 1], bounds[:, 0], side="right")
    stop = np.searchsorted(table[:, 0], bounds[:, 1], side="left")
    empty = first >= stop
    nearest = np.clip(np.minimum(first, n - 1), 0, None)
    return np.where(empty, nearest, first), np.where(empty, nearest + 1, stop)


def _sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = (1.0 / (1.0 + np.exp(-np.clip(x, -40.0, 40.0)))).astype(np.float32)
    return out


def _softmax(x: FloatArray) -> FloatArray:
    z = x - x.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: FloatArray = (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_model_dir() -> Path:
    """The model directory shipped inside the package."""
    return Path(str(resources.files("propscope.models").joinpath("propscope-mini-v1")))


def _ready(states: FloatArray) -> FloatArray:
    return states


@dataclass
class _Article:
    text: str
    offsets: Offsets
    word_ids: list[int | None]
    ids: list[int]
    windows: list[tuple[int, int]]

    @cached_property
    def bounds(self) -> tuple[list[int], list[int]]:
        """Start and end characters of every token (for :func:`span_tokens`)."""
        return [a for a, _ in self.offsets], [b for _, b in self.offsets]


@dataclass
class EncodedText:
    """One text after one encoder pass: its tokens and a hidden state per token.

    ``hidden[i]`` is token i's last hidden state averaged over the windows that hold it
    (float32, (n_tokens, 384)). Never serialised; components pass it along in
    ``Report.cache`` so later heads need no second pass.
    """

    text: str
    offsets: Offsets
    word_ids: list[int | None]
    hidden: FloatArray


N_CASING = 10
_SENTENCE_END = ".!?\n"
_OPENERS = " \t\r\f\v\"'“‘([-–—"


def word_firsts(word_ids: Sequence[int | None], offsets: Offsets) -> tuple[list[int], list[tuple[int, int]]]:
    """Index of each word's first subword, and each word's character range."""
    firsts: list[int] = []
    spans: list[tuple[int, int]] = []
    last: int | None = None
    for i, w in enumerate(word_ids):
        if w is None:
            continue
        if w != last:
            firsts.append(i)
            spans.append(offsets[i])
            last = w
        else:
            spans[-1] = (spans[-1][0], offsets[i][1])
    return firsts, spans


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    lines = []
    for m in re.finditer(r"[^\n]+", text):
        words = re.findall(r"[^\W\d_]{4,}", m.group())
        if len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) >= 0.7:
            lines.append((m.start(), m.end()))
    return lines


def casing_features(cased: str, spans: Sequence[tuple[int, int]]) -> FloatArray:
    """Per word (character ranges of ``cased``): what the uncased encoder cannot see.

    [first letter upper, all caps, has digit, starts a sentence or line, previous alphabetic
    word capitalised, next alphabetic word capitalised, punctuation only, all lowercase,
    in a Title Case line, is a single letter].
    """
    n = len(spans)
    rows: list[tuple[bool, ...]] = []
    lines = _title_case_lines(cased)
    line_starts = [a for a, _ in lines]
    openers, ends = _OPENERS, _SENTENCE_END
    append = rows.append
    for a, b in spans:
        word = cased[a:b]
        if word.isalpha():  # the common case, without per-character loops
            is_alpha, long_alpha, digit, alnum = True, b - a >= 2, False, True
        else:
            is_alpha = any(c.isalpha() for c in word)
            long_alpha = sum(c.isalpha() for c in word) >= 2
            digit = any(c.isdigit() for c in word)
            alnum = is_alpha or digit or any(c.isalnum() for c in word)
        near = cased[a - 4 if a > 4 else 0 : a]
        before = near.rstrip(openers)
        in_title = False
        if lines:
            j = bisect.bisect_right(line_starts, a) - 1
            in_title = j >= 0 and a < lines[j][1]
        append((
            word[0].isupper(),
            is_alpha and long_alpha and word.isupper(),
            digit,
            a == 0 or not before or before[-1] in ends or "\n" in near,
            False,
            False,
            not alnum,
            is_alpha and word.islower(),
            in_title,
            b - a == 1 and is_alpha,
            is_alpha,
        ))
    if not rows:
        return np.zeros((0, N_CASING), np.float32)
    table = np.asarray(rows, dtype=bool)
    alpha = table[:, 10]
    caps = table[:, 0] & alpha
    # capitalisation of the nearest alphabetic word before / after each word
    idx = np.where(alpha, np.arange(n), -1)
    last_alpha = np.maximum.accumulate(idx)
    prev = np.concatenate([[-1], last_alpha[:-1]])
    table[:, 4] = np.where(prev >= 0, caps[np.maximum(prev, 0)], False)
    idx_next = np.where(alpha, np.arange(n), n)
    next_alpha = np.minimum.accumulate(idx_next[::-1])[::-1]
    nxt = np.concatenate([next_alpha[1:], [n]])
    table[:, 5] = np.where(nxt < n, caps[np.minimum(nxt, n - 1)], False)
    out: FloatArray = table[:, :N_CASING].astype(np.float32)
    return out


def decode_entities(
    probs: FloatArray, spans: Sequence[tuple[int, int]], text: str
) -> list[tuple[int, int, str]]:
    """(start, end, spaCy label) from per-word BIO probabilities (rows = words, in order).

    A word is O, B or I by the largest of P(O), sum of P(B-*), sum of P(I-*); an I with no
    open entity opens one; an entity never runs across a line break. Its label is the one
    with the largest summed B+I probability over its words.
    """
    k = len(ENTITY_LABELS)
    if not len(spans):
        return []
    p_b = probs[:, 1 : 1 + k]
    p_i = probs[:, 1 + k :]
    kind = np.argmax(np.stack([probs[:, 0], p_b.sum(axis=1), p_i.sum(axis=1)], axis=1), axis=1)
    found: list[tuple[int, int, str]] = []
    run: list[int] = []

    def close() -> None:
        label_scores = (p_b[run] + p_i[run]).sum(axis=0)
        found.append((spans[run[0]][0], spans[run[-1]][1], ENTITY_LABELS[int(np.argmax(label_scores))]))

    for w in range(len(spans)):
        tag = int(kind[w])
        if run and (tag != 2 or "\n" in text[spans[run[-1]][1] : spans[w][0]]):
            close()
            run = []
        if tag != 0:
            run.append(w)
    if run:
        close()
    return found


def context_groups(sentences: Sequence[tuple[str, str]], *, max_gap: int = 20, size: int = 24) -> list[list[int]]:
    """Pseudo-articles of CheckThat! sentences ``(sentence_id, text)``: consecutive ids together.

    Sentences are taken in numeric id order (ids are consecutive within a debate); a group ends
    after ``size`` sentences or where the next id is more than ``max_gap`` further on.
    Returns indices into ``sentences``.
    """

    def key(i: int) -> tuple[int, str]:
        sid = sentences[i][0]
        return (int(sid), sid) if sid.strip().isdigit() else (1 << 62, sid)

    order = sorted(range(len(sentences)), key=key)
    groups: list[list[int]] = []
    for i in order:
        if groups:
            prev = groups[-1][-1]
            near = key(i)[0] - key(prev)[0] <= max_gap and key(i)[0] < 1 << 62
            if near and len(groups[-1]) < size:
                groups[-1].append(i)
                continue
        groups.append([i])
    return groups


def join_sentences(texts: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """One text of sentences joined by a space, and each sentence's (start, end) in it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for t in texts:
        parts.append(t)
        spans.append((pos, pos + len(t)))
        pos += len(t) + 1
    return " ".join(parts), spans


# --------------------------------------------------------------------------- the model


class PropscopeModel:
    """Span identification, technique classification and check-worthiness, one encoder."""

    REQUIRED = ("model.onnx", "tokenizer.json", "heads.npz")

    def __init__(
        self,
        directory: Path,
        manifest: dict[str, Any],
        session: Any,
        tokenizer: Any,
        heads: dict[str, FloatArray],
        threads: int = 1,
    ) -> None:
        self.directory = directory
        self.manifest = manifest
        self.name: str = str(manifest["name"])
        self.version: str = str(manifest["version"])
        thresholds = manifest.get("thresholds", {})
        self.threshold: float = float(thresholds.get("checkworthiness", 0.5))
        #: threshold of the in-context check-worthiness head (when the model has one)
        self.context_threshold: float = float(thresholds.get("checkworthiness_context", 0.5))
        #: in-context scores in [lo, hi] are uncertain: the cascade re-reads those sentences alone
        band = thresholds.get("checkworthiness_context_band", [self.context_threshold] * 2)
        self.context_band: tuple[float, float] = (float(band[0]), float(band[1]))
        #: how the token head's "any technique" probabilities become spans
        self.token_decode = DecodeSettings(
            threshold=float(thresholds.get("span", 0.5)),
            span_min=float(thresholds.get("span_min", 0.0)),
            min_chars=int(thresholds.get("span_min_chars", 1)),
            split_lines=bool(thresholds.get("span_split_lines", True)),
        )
        si = thresholds.get("si_head", {})
        #: how span probabilities become spans: the SI head's settings when it is loaded
        self.decode = self.token_decode
        if "si_w1" in heads:
            self.decode = DecodeSettings(
                threshold=float(si.get("span", 0.5)),
                span_min=float(si.get("span_min", 0.0)),
                min_chars=int(si.get("span_min_chars", 1)),
                split_lines=bool(si.get("span_split_lines", True)),
            )
        #: the feature groups the lexical technique classifier was fitted on (None: all)
        self.lexical_groups: tuple[str, ...] | None = tuple(
            manifest.get("dev_figures", {}).get("tc_lex", {}).get("groups", ())) or None
        self.stride: int = int(manifest.get("window", {}).get("stride", 192))
        #: onnxruntime calls run at once, each on one core; the caller's own work on one
        #: article (the heads, in Python and numpy) overlaps the encoding of the next
        self.threads = max(1, threads)
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0  # the process that started the pool (a forked child starts its own)
        self._session = session
        self._tokenizer = tokenizer
        self._heads = heads
        self._input_names = {i.name for i in session.get_inputs()}
        self._si_cache: dict[str, FloatArray] | None = None

    # ---------------------------------------------------------------- loading
    @classmethod
    def load(cls, directory: Path | None = None, *, threads: int | None = None) -> PropscopeModel:
        """Load and verify a model directory (default: the one shipped in the package).

        Raises :class:`propscope.errors.ModelError` when manifest.json or any file it lists is
        missing, has the wrong size or sha256, or cannot be loaded.
        """
        directory = Path(directory) if directory is not None else default_model_dir()
        manifest_path = directory / "manifest.json"
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            files: dict[str, dict[str, Any]] = manifest["files"]
        except FileNotFoundError as exc:
            raise ModelError("model manifest.json is missing", source=str(directory)) from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"model manifest.json is unreadable: {exc}", source=str(directory)) from exc
        for needed in cls.REQUIRED:
            if needed not in files:
                raise ModelError(f"manifest.json does not list {needed}", source=str(directory))
        for fname, meta in files.items():
            path = directory / fname
            if not path.is_file():
                raise ModelError(f"model file {fname} is missing", source=str(directory))
            if path.stat().st_size != int(meta.get("size", -1)) or _sha256(path) != meta.get("sha256"):
                raise ModelError(f"model file {fname} does not match its sha256 in manifest.json", source=str(path))
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer

            options = ort.SessionOptions()
            options.intra_op_num_threads = 1  # the model runs ``threads`` calls at once instead
            options.inter_op_num_threads = 1
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            session = ort.InferenceSession(
                str(directory / "model.onnx"), sess_options=options, providers=["CPUExecutionProvider"]
            )
            tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
            tokenizer.no_truncation()
            tokenizer.no_padding()
            heads = {}
            for fname in ("heads.npz", SHARED_HEADS, TC_HEAD, SI_HEAD, TC_LEX):
                if fname in files:
                    with np.load(directory / fname, allow_pickle=False) as npz:
                        heads.update({k: np.asarray(npz[k], dtype=np.float32) for k in npz.files})
        except ModelError:
            raise
        except Exception as exc:  # onnxruntime/tokenizers raise their own types
            raise ModelError(f"model could not be loaded: {exc}", source=str(directory)) from exc
        return cls(directory, manifest, session, tokenizer, heads, threads or 2)

    # ---------------------------------------------------------------- encoder
    def _encode_batch(self, rows: Sequence[Sequence[int]]) -> list[FloatArray]:
        """Hidden states (len(row), 384) for each row of token ids (specials included)."""
        return [state() for state in self._encode_lazy(rows)]

    def _encode_lazy(self, rows: Sequence[Sequence[int]]) -> list[Callable[[], FloatArray]]:
        """Start encoding ``rows``, in order, on the model's threads; per row, a callable that
        waits for its states. Each row is one onnxruntime call: the int8 graph quantises a
        call's activations with one range, so rows encoded together would change each other's
        states (and a text's spans would depend on what else was in the run)."""
        if self.threads == 1:
            return [partial(_ready, self._run(row)) for row in rows]
        if self._pool is None or self._pool_pid != os.getpid():
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="propscope-encoder")
            self._pool_pid = os.getpid()
        pool = self._pool
        return [pool.submit(self._run, row).result for row in rows]

    def _run(self, row: Sequence[int]) -> FloatArray:
        """The encoder's last hidden states (len(row), 384) for one row of token ids."""
        ids = np.asarray([row], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden: FloatArray = np.asarray(self._session.run(None, feeds)[0][0], dtype=np.float32)
        return hidden

    def _prepare(self, text: str) -> _Article:
        enc = self._tokenizer.encode(text, add_special_tokens=False)
        ids = list(enc.ids)
        return _Article(text, list(enc.offsets), list(enc.word_ids), ids, plan_windows(len(ids), self.stride))

    @staticmethod
    def _window_ids(article: _Article, window: tuple[int, int]) -> list[int]:
        return [CLS_ID, *article.ids[window[0] : window[1]], SEP_ID]

    # ---------------------------------------------------------------- heads
    def _token_probs(self, article: _Article, hidden: Sequence[FloatArray]) -> FloatArray:
        total = np.zeros((len(article.ids), N_TOKEN_CHANNELS), np.float32)
        count = np.zeros((len(article.ids), 1), np.float32)
        for (a, b), h in zip(article.windows, hidden, strict=True):
            logits = h[1:-1] @ self._heads["tok_w"] + self._heads["tok_b"]
            total[a:b] += _sigmoid(logits)
            count[a:b] += 1.0
        out: FloatArray = (total / np.maximum(count, 1.0)).astype(np.float32)
        return out

    def _span_vector(self, article: _Article, hidden: Sequence[FloatArray], start: int, end: int) -> FloatArray:
        i, j = span_tokens(article.offsets, start, end, article.bounds)
        w = best_window(i, j, article.windows)
        a, b = article.windows[w]
        lo, hi = max(i, a) - a + 1, min(j, b) - a + 1  # +1: [CLS] at row 0
        h = hidden[w]
        if hi <= lo:
            lo, hi = 0, 1
        parts = [h[lo:hi].mean(axis=0), h[lo], h[hi - 1], h[0]]
        return np.concatenate(parts).astype(np.float32)

    def _technique_probs(self, vectors: FloatArray, extras: FloatArray) -> FloatArray:
        x = np.concatenate([vectors, extras], axis=1)
        hid = np.maximum(x @ self._heads["tc_w1"] + self._heads["tc_b1"], 0.0)
        return _softmax(hid @ self._heads["tc_w2"] + self._heads["tc_b2"])

    @property
    def has_tc2_head(self) -> bool:
        """Whether the richer technique-classification head (``tc_head.npz``) is loaded."""
        return "tc2_w1" in self._heads

    def tc_features(
        self, article: _Article, hidden: Sequence[FloatArray], spans: Sequence[tuple[int, int]], *,
        states: FloatArray | None = None, probs: FloatArray | None = None,
    ) -> FloatArray:
        """The ``tc2`` head's input per span, every block of :data:`TC_BLOCKS` in order.

        ``states`` and ``probs``: the article's token states and token-head probabilities when
        the caller has them already (computed from ``hidden`` otherwise)."""
        text = article.text
        norm = _normalise(text)
        vectors = np.stack([self._span_vector(article, hidden, s, e) for s, e in spans])
        extras = np.asarray([span_extra_features(text, s, e, norm) for s, e in spans], np.float32)
        states = self._token_hidden(article, hidden) if states is None else states
        probs = self._token_probs(article, hidden) if probs is None else probs
        n = len(states)
        first, stop = _token_ranges(article.offsets, spans)
        lines = [
            (text.rfind("\n", 0, s) + 1, len(text) if text.find("\n", e) < 0 else text.find("\n", e))
            for s, e in spans
        ]
        line_first, line_stop = _token_ranges(article.offsets, lines)
        rows = []
        for k in range(len(spans)):
            a, b = int(first[k]), int(stop[k])
            before = states[max(a - 3, 0) : a] if a > 0 else np.zeros((1, states.shape[1]), np.float32)
            after = states[b : b + 3] if b < n else np.zeros((1, states.shape[1]), np.float32)
            la, lb = int(line_first[k]), int(line_stop[k])
            rows.append(np.concatenate([
                states[la:lb].mean(axis=0),
                before.mean(axis=0),
                after.mean(axis=0),
                probs[a:b].mean(axis=0),
                probs[a:b].max(axis=0),
            ]))
        context = np.stack(rows)
        width = states.shape[1]
        article_mean = np.broadcast_to(states.mean(axis=0), (len(spans), width))
        lexical = np.asarray([span_lexical_features(text, s, e) for s, e in spans], np.float32)
        out: FloatArray = np.concatenate(
            [vectors, extras, context[:, :width], article_mean, context[:, width:], lexical], axis=1
        ).astype(np.float32)
        return out

    def _tc2_probs(self, features: FloatArray) -> FloatArray:
        """Mean softmax of the ``tc2`` ensemble (one MLP per seed) over the kept columns."""
        h = self._heads
        x = (features[:, h["tc2_cols"].astype(np.int64)] - h["tc2_mu"]) / h["tc2_sd"]
        total = np.zeros((len(x), N_TECH), np.float32)
        for m in range(h["tc2_w1"].shape[0]):
            hid = np.maximum(x @ h["tc2_w1"][m] + h["tc2_b1"][m], 0.0)
            total += _softmax(hid @ h["tc2_w2"][m] + h["tc2_b2"][m])
        out: FloatArray = (total / h["tc2_w1"].shape[0]).astype(np.float32)
        return out

    @property
    def has_lexical_tc(self) -> bool:
        """Whether the lexical technique classifier (``tc_lex.npz``) is loaded."""
        return "lex_w" in self._heads

    def _with_lexical(self, text: str, spans: Sequence[tuple[int, int]], probs: FloatArray) -> FloatArray:
        """The technique head's probabilities fused with the lexical model's (product of experts)."""
        h = self._heads
        z = np.log(probs.astype(np.float64) + 1e-9)
        z += float(h["lex_weight"][0]) * lexical_log_probs(text, spans, h["lex_w"], h["lex_b"], self.lexical_groups)
        return _softmax(z.astype(np.float32))

    def _classify(
        self, article: _Article, hidden: Sequence[FloatArray], spans: Sequence[tuple[int, int]], *,
        states: FloatArray | None = None, probs: FloatArray | None = None,
    ) -> FloatArray:
        if not spans:
            return np.zeros((0, N_TECH), np.float32)
        if self.has_tc2_head:
            tech = self._tc2_probs(self.tc_features(article, hidden, spans, states=states, probs=probs))
            return self._with_lexical(article.text, spans, tech) if self.has_lexical_tc else tech
        norm = _normalise(article.text)
        vectors = np.stack([self._span_vector(article, hidden, s, e) for s, e in spans])
        extras = np.asarray([span_extra_features(article.text, s, e, norm) for s, e in spans], np.float32)
        return self._technique_probs(vectors, extras)

    # ---------------------------------------------------------------- public API
    def _run_articles(self, articles: Sequence[_Article]) -> list[list[FloatArray]]:
        return list(self._article_states(articles))

    def _article_states(self, articles: Sequence[_Article]) -> Iterator[list[FloatArray]]:
        """Each article's window states, in order. Every window is started at once, so what
        the caller does with one article overlaps the encoding of the next."""
        states: list[Callable[[], FloatArray] | None] = list(
            self._encode_lazy([self._window_ids(art, window) for art in articles for window in art.windows]))
        first = 0
        for art in articles:
            last = first + len(art.windows)
            yield [state() for state in states[first:last] if state is not None]
            states[first:last] = [None] * len(art.windows)  # let the handed-out states go
            first = last

    def techniques(self, texts: Sequence[str]) -> list[list[SpanPrediction]]:
        """Detect propaganda spans in each text and label each with its most likely technique.

        ``confidence`` = mean token probability of the span x probability of the technique.
        """
        return self.analyse(texts)[0]

    def analyse(self, texts: Sequence[str]) -> tuple[list[list[SpanPrediction]], list[EncodedText | None]]:
        """Technique spans of each text and, from the same encoder pass, its :class:`EncodedText`.

        The encoded text is ``None`` for a text with no tokens (empty or blank).
        """
        results: list[list[SpanPrediction]] = [[] for _ in texts]
        encoded: list[EncodedText | None] = [None] * len(texts)
        todo = [(n, self._prepare(t)) for n, t in enumerate(texts) if t.strip()]
        todo = [(n, art) for n, art in todo if art.ids]
        hidden = self._article_states([art for _, art in todo])
        for (n, art), hid in zip(todo, hidden, strict=True):
            probs = self._token_probs(art, hid)
            states = self._token_hidden(art, hid)
            found = decode_spans(art.text, art.offsets, art.word_ids, self._span_probs(art, states, probs),
                                 self.decode)
            tech = self._classify(art, hid, [(s, e) for s, e, _ in found], states=states, probs=probs)
            results[n] = [
                SpanPrediction(s, e, TECHNIQUES[int(np.argmax(p))], round(float(score * p.max()), 4))
                for (s, e, score), p in zip(found, tech, strict=True)
            ]
            encoded[n] = EncodedText(art.text, art.offsets, art.word_ids, states)
        return results, encoded

    @property
    def has_si_head(self) -> bool:
        """Whether the span-identification head with context (``si_head.npz``) is loaded."""
        return "si_w1" in self._heads

    def _span_probs(self, article: _Article, states: FloatArray, probs: FloatArray) -> FloatArray:
        """P(inside a propaganda span) per token: the SI head's, else the token head's channel."""
        if not self.has_si_head:
            out: FloatArray = probs[:, ANY_CHANNEL]
            return out
        # The first layer is linear in the feature blocks, so each block is multiplied on its
        # own: line and article blocks once per line / article instead of once per token. Equal
        # to si_probs(si_features(...)) up to float rounding.
        blocks = self._si_blocks()
        text, offsets = article.text, article.offsets
        line, run_starts, run = _si_lines(text, offsets)
        z = blocks["bias"] + states @ blocks["tok"] + probs @ blocks["tokp"]
        if "line" in blocks:
            z += (_run_means(states, run_starts) @ blocks["line"])[run]
        if "line_tokp" in blocks:
            z += (_run_means(probs, run_starts) @ blocks["line_tokp"])[run]
        if "article" in blocks:
            z += states.mean(axis=0) @ blocks["article"]
        if "lex" in blocks:
            z += si_lexical(text, offsets, article.word_ids, line) @ blocks["lex"]
        return self._si_rest(np.maximum(z, 0.0).astype(np.float32), probs[:, ANY_CHANNEL])

    def _si_blocks(self) -> dict[str, FloatArray]:
        """First layer of every SI ensemble member side by side, standardisation folded in, split
        by feature block (blocks the head does not read are left out); ``bias`` (members x width)."""
        if self._si_cache is None:
            h = self._heads
            cols = h["si_cols"].astype(np.int64)
            members, _, width = h["si_w1"].shape
            folded = np.zeros((N_SI_FEATURES, members * width), np.float32)
            folded[cols] = np.concatenate([h["si_w1"][m] / h["si_sd"][:, None] for m in range(members)], axis=1)
            bias = np.concatenate([h["si_b1"][m] - (h["si_mu"] / h["si_sd"]) @ h["si_w1"][m] for m in range(members)])
            cache: dict[str, FloatArray] = {"bias": bias.astype(np.float32)}
            pos = 0
            for name, size in SI_BLOCKS:
                part = folded[pos : pos + size]
                if name in ("tok", "tokp") or np.any(part):
                    cache[name] = np.ascontiguousarray(part)
                pos += size
            self._si_cache = cache
        return self._si_cache

    def _si_rest(self, first: FloatArray, token_any: FloatArray) -> FloatArray:
        """Mean probability of the SI ensemble from its members' first-layer outputs side by side."""
        h = self._heads
        n = len(first)
        members, _, width = h["si_w1"].shape
        widths = [int(k) for k in h["si_convs"]]
        residual = np.zeros(n, np.float32)
        if h["si_residual"][0] > 0:
            p = np.clip(token_any, 1e-6, 1 - 1e-6)
            residual = np.log(p / (1 - p)).astype(np.float32)
        total = np.zeros(n, np.float32)
        for m in range(members):
            a = first[:, m * width : (m + 1) * width]
            for i, k in enumerate(widths):
                r = k // 2
                padded = np.zeros((n + 2 * r, width), np.float32)
                padded[r : r + n] = a
                wide = np.concatenate([padded[j : j + n] for j in range(k)], axis=1)
                a = np.maximum(wide @ h[f"si_wc{i}"][m] + h[f"si_bc{i}"][m], 0.0)
            total += _sigmoid((a @ h["si_w2"][m])[:, 0] + h["si_b2"][m][0] + residual)
        out: FloatArray = (total / members).astype(np.float32)
        return out

    def si_probs(self, features: FloatArray, token_any: FloatArray) -> FloatArray:
        """Mean probability of the SI head's ensemble for one text's tokens, in order.

        ``features``: :func:`si_features` of the text (n, :data:`N_SI_FEATURES`); ``token_any``:
        the token head's "any technique" probabilities (added as a logit when the head is residual).
        Each member: ReLU layer per token, ReLU convolutions over neighbouring tokens (zero
        outside the text), one logit.
        """
        if not self.has_si_head:
            raise ModelError(f"model {self.name}/{self.version} has no SI head", source=str(self.directory))
        h = self._heads
        x = (features[:, h["si_cols"].astype(np.int64)] - h["si_mu"]) / h["si_sd"]
        first = np.concatenate([np.maximum(x @ h["si_w1"][m] + h["si_b1"][m], 0.0)
                                for m in range(h["si_w1"].shape[0])], axis=1)
        return self._si_rest(first.astype(np.float32), token_any)

    @staticmethod
    def _token_hidden(article: _Article, hidden: Sequence[FloatArray]) -> FloatArray:
        total = np.zeros((len(article.ids), hidden[0].shape[1]), np.float32)
        count = np.zeros((len(article.ids), 1), np.float32)
        for (a, b), h in zip(article.windows, hidden, strict=True):
            total[a:b] += h[1:-1]
            count[a:b] += 1.0
        out: FloatArray = (total / np.maximum(count, 1.0)).astype(np.float32)
        return out

    def encode_texts(self, texts: Sequence[str]) -> list[EncodedText | None]:
        """The encoder pass alone (what :meth:`analyse` shares), without the technique heads."""
        encoded: list[EncodedText | None] = [None] * len(texts)
        todo = [(n, self._prepare(t)) for n, t in enumerate(texts) if t.strip()]
        todo = [(n, art) for n, art in todo if art.ids]
        hidden = self._article_states([art for _, art in todo])
        for (n, art), hid in zip(todo, hidden, strict=True):
            encoded[n] = EncodedText(art.text, art.offsets, art.word_ids, self._token_hidden(art, hid))
        return encoded

    # ---------------------------------------------------------------- shared-pass heads
    @property
    def has_entity_head(self) -> bool:
        return "ent_w1" in self._heads

    @property
    def has_context_head(self) -> bool:
        return "ctx_w" in self._heads

    def entity_features(self, encoded: EncodedText, cased: str) -> tuple[FloatArray, list[tuple[int, int]]]:
        """Entity-head input per word ([hidden of first subword; casing of ``cased``]), word ranges.

        ``cased`` is the text itself or a same-length case-restored copy of it.
        """
        firsts, spans = word_firsts(encoded.word_ids, encoded.offsets)
        feats = np.concatenate([encoded.hidden[firsts], casing_features(cased, spans)], axis=1)
        return feats.astype(np.float32), spans

    def entity_probs(self, features: FloatArray, *, gated: bool = True) -> FloatArray:
        """BIO class probabilities per word (see :data:`ENTITY_LABELS`).

        ``gated``: only words that are capitalised, all caps or hold a digit, and the two
        words either side of them, are candidates; every other word is O without running the
        head (it cuts the head's cost by about 40% on news). Candidates get exactly the full
        head's probabilities.
        """
        if not self.has_entity_head:
            raise ModelError(f"model {self.name}/{self.version} has no entity head", source=str(self.directory))
        h = self._heads
        n = len(features)
        if gated:
            flags = features[:, -N_CASING:]
            marked = (flags[:, 0] + flags[:, 1] + flags[:, 2]) > 0
            rows = _widen(_widen(marked))  # two words either side: "al" in "al-Qaeda"
            need = _widen(rows) if "ent_wc" in h else rows
        else:
            rows = need = np.ones(n, bool)
        x = (features[need] - h["ent_mu"]) / h["ent_sd"]
        hidden = np.zeros((n, h["ent_w1"].shape[1]), np.float32)
        hidden[need] = np.maximum(x @ h["ent_w1"] + h["ent_b1"], 0.0)
        at = np.flatnonzero(rows)
        hid = hidden[at]
        if "ent_wc" in h:  # width-3 convolution over neighbouring words (zero-padded ends)
            pad = np.zeros((1, hidden.shape[1]), np.float32)
            padded = np.vstack([pad, hidden, pad])
            wide = np.concatenate([padded[at], padded[at + 1], padded[at + 2]], axis=1)
            hid = np.maximum(wide @ h["ent_wc"] + h["ent_bc"], 0.0)
        out = np.zeros((n, N_ENTITY_CLASSES), np.float32)
        out[:, 0] = 1.0
        out[at] = _softmax(hid @ h["ent_w2"] + h["ent_b2"])
        return out

    def entity_spans(self, encoded: EncodedText | None, cased: str | None = None) -> list[tuple[int, int, str]]:
        """Named entities ``(start, end, spaCy label)`` of an encoded text (none for ``None``)."""
        if encoded is None:
            return []
        cased = encoded.text if cased is None else cased
        if len(cased) != len(encoded.text):
            raise ValueError("the case-restored text must have the length of the encoded text")
        feats, spans = self.entity_features(encoded, cased)
        return decode_entities(self.entity_probs(feats), spans, encoded.text)

    @staticmethod
    def pool_sentences(encoded: EncodedText | None, spans: Sequence[tuple[int, int]]) -> FloatArray:
        """Mean hidden state of the tokens of each character range ``spans`` (read in context).

        Tokens are those :func:`span_tokens` gives (overlapping the range, else the nearest).
        """
        width = 0 if encoded is None else int(encoded.hidden.shape[1])
        if encoded is None or not len(spans):
            return np.zeros((len(spans), width), np.float32)
        first, stop = _token_ranges(encoded.offsets, spans)
        average = np.zeros((len(spans), len(encoded.hidden)), np.float32)
        for k, (a, b) in enumerate(zip(first.tolist(), stop.tolist(), strict=True)):
            average[k, a:b] = 1.0 / (b - a)
        out: FloatArray = average @ encoded.hidden
        return out

    @staticmethod
    def context_features(encoded: EncodedText | None, spans: Sequence[tuple[int, int]]) -> FloatArray:
        """In-context check-worthiness input per sentence: [mean; first token; last token]."""
        width = 0 if encoded is None else int(encoded.hidden.shape[1])
        if encoded is None or not len(spans):
            return np.zeros((len(spans), 3 * width), np.float32)
        first, stop = _token_ranges(encoded.offsets, spans)
        mean = PropscopeModel.pool_sentences(encoded, spans)
        out: FloatArray = np.concatenate([mean, encoded.hidden[first], encoded.hidden[stop - 1]], axis=1)
        return out

    def checkworthiness_in_context(
        self, encoded: EncodedText | None, spans: Sequence[tuple[int, int]]
    ) -> list[float]:
        """P(check-worthy) of each sentence ``text[start:end]`` read inside its article.

        Compare with :attr:`context_threshold`.
        """
        if not spans:
            return []
        if not self.has_context_head:
            raise ModelError(f"model {self.name}/{self.version} has no in-context check-worthiness head",
                             source=str(self.directory))
        if encoded is None:
            return [0.0] * len(spans)
        feats = self.context_features(encoded, spans)
        logits = feats @ self._heads["ctx_w"] + self._heads["ctx_b"]
        return [float(p) for p in _sigmoid(logits.astype(np.float32).reshape(-1))]

    def checkworthiness_cascade(
        self, texts: Sequence[str], encoded: Sequence[EncodedText | None], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> list[list[tuple[float, bool]]]:
        """(score, check-worthy) per sentence of each text: in-context first, then, for sentences
        whose in-context score lies in :attr:`context_band`, the isolated head (one batch).

        ``score`` is the probability of the head that decided (in-context or isolated).
        """
        lo, hi = self.context_band
        contextual = [self.checkworthiness_in_context(enc, sp) for enc, sp in zip(encoded, spans, strict=True)]
        unsure = [(n, k) for n, scores in enumerate(contextual) for k, p in enumerate(scores) if lo <= p <= hi]
        again = self.checkworthiness([texts[n][slice(*spans[n][k])] for n, k in unsure]) if unsure else []
        out = [[(p, p >= self.context_threshold) for p in scores] for scores in contextual]
        for (n, k), p in zip(unsure, again, strict=True):
            out[n][k] = (p, p >= self.threshold)
        return out

    def classify_spans(self, text: str, spans: Sequence[tuple[int, int]]) -> list[SpanPrediction]:
        """Label each given span of ``text`` with a technique (``confidence`` = its probability).

        When the same (start, end) is given k times, the k-th copy gets the k-th most likely
        technique (PTC lists a span once per technique it carries).
        """
        for s, e in spans:
            if not 0 <= s < e <= len(text):
                raise ValueError(f"span ({s}, {e}) is not inside a text of length {len(text)}")
        if not spans:
            return []
        art = self._prepare(text)
        if not art.ids:  # nothing but whitespace/controls: fall back to an empty window
            art = _Article(text, [(0, len(text))], [0], [PAD_ID], [(0, 1)])
        hidden = self._run_articles([art])[0]
        unique = sorted(set(spans))
        probs = dict(zip(unique, self._classify(art, hidden, unique), strict=True))
        seen: dict[tuple[int, int], int] = {}
        out: list[SpanPrediction] = []
        for span in spans:
            rank = seen.get(span, 0)
            seen[span] = rank + 1
            p = probs[span]
            k = int(np.argsort(-p)[min(rank, N_TECH - 1)])
            out.append(SpanPrediction(span[0], span[1], TECHNIQUES[k], round(float(p[k]), 4)))
        return out

    def _sentence_hidden(self, sentences: Sequence[str]) -> list[FloatArray]:
        rows = []
        for sentence in sentences:
            ids = self._tokenizer.encode(sentence, add_special_tokens=False).ids[: SENTENCE_MAX_TOKENS - 2]
            rows.append([CLS_ID, *ids, SEP_ID])
        return self._encode_batch(rows)

    def pooled_states(self, sentences: Sequence[str]) -> FloatArray:
        """Each sentence's mean token state (n, 384), read alone; the input of the isolated
        check-worthiness head. Sentences longer than 254 subword tokens are cut to their first
        254 tokens."""
        if not sentences:
            return np.zeros((0, int(self._heads["ct_w"].shape[0])), np.float32)
        return np.stack([h.mean(axis=0) for h in self._sentence_hidden(sentences)]).astype(np.float32)

    def encode_sentences(self, sentences: Sequence[str], *, normalise: bool = True) -> FloatArray:
        """Sentence embeddings (n, 384), L2-normalised by default: the mean token state, mapped by
        ``sent_map`` (in heads.npz) when the model has one. A distilled encoder carries that
        linear map to its teacher's mean states, so that the cosines ``compare`` reads keep the
        scale its thresholds were set on."""
        pooled = self.pooled_states(sentences)
        if "sent_map" in self._heads and len(pooled):
            pooled = (pooled @ self._heads["sent_map"] + self._heads["sent_map_b"]).astype(np.float32)
        if normalise:
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled

    def checkworthiness(self, sentences: Sequence[str]) -> list[float]:
        """P(check-worthy) per sentence; compare with :attr:`threshold` for a yes/no decision."""
        if not sentences:
            return []
        pooled = self.pooled_states(sentences)
        logits = pooled @ self._heads["ct_w"] + self._heads["ct_b"]
        return [float(p) for p in _sigmoid(logits.astype(np.float32).reshape(-1))]
