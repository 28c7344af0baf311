"""The lexical technique classifier that reads a span's words (``tc_lex.npz``).

The technique head (``tc_head.npz``) reads the encoder's states; the encoder was fine-tuned on
all of PTC train, so on train those states nearly give the label away and the head learns to
trust them more than it should on unseen articles. This model reads only the words: each span
gets sparse lexical features (:func:`span_keys`: its words, word bigrams and character
3-5-grams, a few words either side on its line, binned length, capitals, repetition and
punctuation flags), hashed with crc32 into ``dim`` columns, and a multinomial logistic
regression scores them. The two are fused as a product of experts,
``softmax(log p_head + weight * log p_lex)``, with ``weight`` stored in the file
(``python -m propscope.train.tc_lex`` fits the model and chooses the weight).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import zlib
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

TC_LEX = "tc_lex.npz"  # optional lexical technique classifier (``lex_w``, ``lex_b``, ``lex_weight``)
QUOTES = "\"“”‘’'«»"


_LEX_WORD_RE = re.compile(r"\w+")
_LEX_STOP = frozenset({
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "but", "not", "no",
    "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "he", "she",
    "they", "we", "you", "i", "his", "her", "their", "our", "your", "my", "me", "him", "them", "us", "as", "if",
    "than", "then", "there", "here", "have", "has", "had", "do", "does", "did", "will", "would", "can", "could",
    "should", "may", "might", "must", "shall",
})
_LEX_LEN_BINS = (1.5, 2.5, 3.5, 5.5, 8.5, 12.5, 20.5)
_LEX_REP_BINS = (0.5, 1.5, 2.5, 5.5)
_LEX_SHARE_BINS = (0.05, 0.3, 0.7, 0.95)


def _lex_bin(value: float, edges: Sequence[float]) -> str:
    return str(bisect.bisect_right(edges, value))


def _lex_add(feats: dict[str, float], group: list[str], prefix: str) -> None:
    """Add a feature group of n members at 1/sqrt(n) each (unit L2 norm when they are distinct)."""
    if group:
        value = 1.0 / math.sqrt(len(group))
        for key in group:
            name = prefix + key
            feats[name] = feats.get(name, 0.0) + value


def _words_before(lower: str, found: Sequence[re.Match[str]], ends: Sequence[int], norm: str,
                  in_norm: Sequence[int], start: int) -> str:
    """" w1 w2 ... " of the words of ``lower[:start]`` (a word cut at ``start`` as its prefix),
    sliced from ``norm``, the text's words joined by single spaces."""
    k = bisect.bisect_right(ends, start)  # words that end by ``start``
    parts = [norm[1 : in_norm[k] - 1]] if k else []
    if k < len(found) and found[k].start() < start:
        parts.append(lower[found[k].start() : start])
    return f" {' '.join(parts)} "


def span_keys(text: str, spans: Sequence[tuple[int, int]]) -> list[dict[str, float]]:
    """Sparse lexical features of each span of ``text``: {feature name: value}.

    The span's lowercased words, word bigrams and character 3-5-grams (each group of unit
    norm), up to three words either side on its line, and binned flags: length,
    share of capitals, how often the span's text and its content words recur in the article,
    "!" / "?" / quotes, the span's share of its line and whether it is on the title line; the
    other words of its line ("s|"); whether its text and its content words occur before it and
    whether it starts or ends its line.
    """
    lower = text.lower()
    found = list(_LEX_WORD_RE.finditer(lower))
    counts: dict[str, int] = {}
    for m in found:
        counts[m.group()] = counts.get(m.group(), 0) + 1
    norm = f" {' '.join(m.group() for m in found)} "
    ends = [m.end() for m in found]
    in_norm = list(itertools.accumulate((len(m.group()) + 1 for m in found), initial=1))  # word k at norm[in_norm[k]:]
    title_end = text.find("\n")
    title_end = len(text) if title_end < 0 else title_end
    out: list[dict[str, float]] = []
    for start, end in spans:
        piece = lower[start:end]
        words = _LEX_WORD_RE.findall(piece)
        feats: dict[str, float] = {}

        _lex_add(feats, words, "w|")
        _lex_add(feats, [f"{a} {b}" for a, b in zip(["<s>", *words], [*words, "</s>"], strict=True)], "b|")
        chars = f" {' '.join(piece.split())} "
        _lex_add(feats, [chars[i : i + n] for n in (3, 4, 5) for i in range(len(chars) - n + 1)], "c|")
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        left = _LEX_WORD_RE.findall(lower[max(start - 40, line_start) : start])[-3:]
        right = _LEX_WORD_RE.findall(lower[end : min(end + 40, line_end)])[:3]
        _lex_add(feats, left, "l|")
        _lex_add(feats, right, "r|")
        if left:
            feats["l1|" + left[-1]] = 1.0
        if right:
            feats["r1|" + right[0]] = 1.0
        letters = [c for c in text[start:end] if c.isalpha()]
        caps = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
        phrase = " ".join(words)
        repeats = max(norm.count(f" {phrase} ") - 1, 0) if phrase else 0
        own: dict[str, int] = {}
        for w in words:
            own[w] = own.get(w, 0) + 1
        content = [counts.get(w, 0) - own[w] for w in own if w not in _LEX_STOP and len(w) > 2]
        line = text[line_start:line_end].rstrip()
        tail = (text[start:end] + text[end : end + 1]).rstrip()
        before = _words_before(lower, found, ends, norm, in_norm, start)
        earlier = [w for w in own if w not in _LEX_STOP and len(w) > 2]
        _lex_add(feats, [w for w in _LEX_WORD_RE.findall(line.lower()) if w not in own and w not in _LEX_STOP],
                 "s|")
        flags = [
            "len|" + _lex_bin(len(words), _LEX_LEN_BINS),
            "caps|" + _lex_bin(caps, _LEX_SHARE_BINS),
            "rep|" + _lex_bin(repeats, _LEX_REP_BINS),
            "repb|" + _lex_bin(before.count(f" {phrase} ") if phrase else 0, _LEX_REP_BINS),
            "crepb|" + _lex_bin(sum(f" {w} " in before for w in earlier) / len(earlier) if earlier else -1,
                                _LEX_SHARE_BINS),
            "ls|" + str(int(not text[line_start:start].strip(" \"'“”‘’«»"))),
            "le|" + str(int(not text[end:line_end].strip(" .,;:!?\"'“”‘’«»"))),
            "crep|" + _lex_bin(max(content, default=-1), _LEX_REP_BINS),
            "crepm|" + _lex_bin(sum(content) / len(content) if content else -1, _LEX_REP_BINS),
            "line|" + _lex_bin((end - start) / max(len(line), 1), _LEX_SHARE_BINS),
            "title|" + str(int(start < title_end)),
            "excl|" + str(int(tail.endswith("!"))),
            "ques|" + str(int(tail.endswith("?") or line.endswith("?"))),
            "quote|" + str(int(any(c in QUOTES for c in text[max(start - 2, 0) : start]))),
            "cap1|" + str(int(text[start : start + 1].isupper())),
        ]
        for key in flags:
            feats[key] = 1.0
        out.append(feats)
    return out


def hash_rows(keys: Sequence[Mapping[str, float]], dim: int, kept: Sequence[str] | None = None
              ) -> tuple[IntArray, FloatArray, IntArray]:
    """Sparse rows (columns, values, row starts) of the features, each name hashed by crc32.

    ``kept``: name prefixes ("w|", "c|", ...) to keep, "flags" standing for the binned flags;
    all by default.
    """
    cols: list[int] = []
    vals: list[float] = []
    starts = [0]
    groups = set(kept) if kept is not None else {*GROUPS, "flags"}
    every = {*GROUPS, "flags"} <= groups  # then no key's group needs looking up
    for feats in keys:
        for key, value in feats.items():
            if every or _group(key) in groups:
                cols.append(zlib.crc32(key.encode("utf-8")) % dim)
                vals.append(value)
        starts.append(len(cols))
    return np.asarray(cols, np.int64), np.asarray(vals, np.float32), np.asarray(starts, np.int64)


#: the feature groups of :func:`span_keys` by name prefix; every other key is a binned flag
GROUPS = ("w|", "b|", "c|", "l|", "r|", "l1|", "r1|", "s|")


def _group(key: str) -> str:
    prefix = key[: key.index("|") + 1]
    return prefix if prefix in GROUPS else "flags"


def row_logits(weights: npt.NDArray[np.floating], cols: IntArray, vals: FloatArray, starts: IntArray
               ) -> npt.NDArray[np.float64]:
    """Per row, the sum of value x weight row over its entries (rows with none stay zero)."""
    out = np.zeros((len(starts) - 1, weights.shape[1]))
    contrib = weights[cols].astype(np.float64) * vals[:, None]
    nonempty = np.flatnonzero(np.diff(starts) > 0)
    if len(nonempty):
        out[nonempty] = np.add.reduceat(contrib, starts[:-1][nonempty], axis=0)
    return out


def lexical_log_probs(text: str, spans: Sequence[tuple[int, int]], weights: FloatArray, bias: FloatArray,
                      kept: Sequence[str] | None = None) -> npt.NDArray[np.float64]:
    """Log-probabilities of each technique for each span of ``text`` from its words alone;
    ``kept``: the feature groups the model was fitted on (all by default)."""
    z = row_logits(weights, *hash_rows(span_keys(text, spans), len(weights), kept)) + bias
    z -= z.max(axis=1, keepdims=True)
    out: npt.NDArray[np.float64] = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return out
