"""The shipped propscope model at run time: onnxruntime + tokenizers + numpy only.

One int8 MiniLM encoder (ONNX, outputs the last hidden state) feeds three small heads
kept in ``heads.npz`` and run in numpy:

* token head: per subword token, 14 technique "inside" channels, one "any technique"
  channel (span identification) and one "begin" channel;
* span head (technique classification): an MLP over [mean; first; last; CLS] of the span's
  tokens plus a few article-level features (how often the span's text repeats, its length);
* check-worthiness head: logistic regression over the mean-pooled sentence embedding.

Articles of any length are read in overlapping windows of subword tokens; every offset that
leaves this module is a Python ``str`` offset into the text the caller gave.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from propscope.errors import ModelError

__all__ = ["TECHNIQUES", "PropscopeModel", "SpanPrediction"]

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


def span_tokens(offsets: Offsets, start: int, end: int) -> tuple[int, int]:
    """Token range [i, j) of the tokens overlapping characters [start, end).

    A span that touches no token (whitespace only) gets the nearest token at or after it
    (or the last token). ``offsets`` are in text order, as the tokenizer gives them.
    """
    first = bisect.bisect_right([b for _, b in offsets], start)
    stop = bisect.bisect_left([a for a, _ in offsets], end)
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


@dataclass
class _Article:
    text: str
    offsets: Offsets
    word_ids: list[int | None]
    ids: list[int]
    windows: list[tuple[int, int]]


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
    ) -> None:
        self.directory = directory
        self.manifest = manifest
        self.name: str = str(manifest["name"])
        self.version: str = str(manifest["version"])
        thresholds = manifest.get("thresholds", {})
        self.threshold: float = float(thresholds.get("checkworthiness", 0.5))
        self.decode = DecodeSettings(
            threshold=float(thresholds.get("span", 0.5)),
            span_min=float(thresholds.get("span_min", 0.0)),
            min_chars=int(thresholds.get("span_min_chars", 1)),
            split_lines=bool(thresholds.get("span_split_lines", True)),
        )
        self.stride: int = int(manifest.get("window", {}).get("stride", 192))
        self.batch_size: int = int(manifest.get("window", {}).get("batch", 8))
        self._session = session
        self._tokenizer = tokenizer
        self._heads = heads
        self._input_names = {i.name for i in session.get_inputs()}

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
            options.intra_op_num_threads = threads or 2
            options.inter_op_num_threads = 1
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            session = ort.InferenceSession(
                str(directory / "model.onnx"), sess_options=options, providers=["CPUExecutionProvider"]
            )
            tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
            tokenizer.no_truncation()
            tokenizer.no_padding()
            with np.load(directory / "heads.npz", allow_pickle=False) as npz:
                heads = {k: np.asarray(npz[k], dtype=np.float32) for k in npz.files}
        except ModelError:
            raise
        except Exception as exc:  # onnxruntime/tokenizers raise their own types
            raise ModelError(f"model could not be loaded: {exc}", source=str(directory)) from exc
        return cls(directory, manifest, session, tokenizer, heads)

    # ---------------------------------------------------------------- encoder
    def _encode_batch(self, rows: Sequence[Sequence[int]]) -> list[FloatArray]:
        """Hidden states (len(row), 384) for each row of token ids (specials included)."""
        out: list[FloatArray] = [np.zeros((0, 0), np.float32)] * len(rows)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        for k in range(0, len(order), self.batch_size):
            chunk = order[k : k + self.batch_size]
            width = max(len(rows[i]) for i in chunk)
            ids = np.full((len(chunk), width), PAD_ID, dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for r, i in enumerate(chunk):
                ids[r, : len(rows[i])] = rows[i]
                mask[r, : len(rows[i])] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._input_names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
            for r, i in enumerate(chunk):
                out[i] = np.asarray(hidden[r, : len(rows[i])], dtype=np.float32)
        return out

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
        i, j = span_tokens(article.offsets, start, end)
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

    def _classify(
        self, article: _Article, hidden: Sequence[FloatArray], spans: Sequence[tuple[int, int]]
    ) -> FloatArray:
        if not spans:
            return np.zeros((0, N_TECH), np.float32)
        norm = _normalise(article.text)
        vectors = np.stack([self._span_vector(article, hidden, s, e) for s, e in spans])
        extras = np.asarray([span_extra_features(article.text, s, e, norm) for s, e in spans], np.float32)
        return self._technique_probs(vectors, extras)

    # ---------------------------------------------------------------- public API
    def _run_articles(self, articles: Sequence[_Article]) -> list[list[FloatArray]]:
        rows: list[list[int]] = []
        owner: list[int] = []
        for n, art in enumerate(articles):
            for window in art.windows:
                rows.append(self._window_ids(art, window))
                owner.append(n)
        hidden = self._encode_batch(rows)
        per_article: list[list[FloatArray]] = [[] for _ in articles]
        for n, h in zip(owner, hidden, strict=True):
            per_article[n].append(h)
        return per_article

    def techniques(self, texts: Sequence[str]) -> list[list[SpanPrediction]]:
        """Detect propaganda spans in each text and label each with its most likely technique.

        ``confidence`` = mean token probability of the span x probability of the technique.
        """
        results: list[list[SpanPrediction]] = [[] for _ in texts]
        todo = [(n, self._prepare(t)) for n, t in enumerate(texts) if t.strip()]
        todo = [(n, art) for n, art in todo if art.ids]
        hidden = self._run_articles([art for _, art in todo])
        for (n, art), hid in zip(todo, hidden, strict=True):
            probs = self._token_probs(art, hid)
            found = decode_spans(art.text, art.offsets, art.word_ids, probs[:, ANY_CHANNEL], self.decode)
            tech = self._classify(art, hid, [(s, e) for s, e, _ in found])
            results[n] = [
                SpanPrediction(s, e, TECHNIQUES[int(np.argmax(p))], round(float(score * p.max()), 4))
                for (s, e, score), p in zip(found, tech, strict=True)
            ]
        return results

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

    def encode_sentences(self, sentences: Sequence[str], *, normalise: bool = True) -> FloatArray:
        """Mean-pooled sentence embeddings (n, 384), L2-normalised by default.

        Sentences longer than 254 subword tokens are cut to their first 254 tokens.
        """
        if not sentences:
            return np.zeros((0, int(self._heads["ct_w"].shape[0])), np.float32)
        pooled = np.stack([h.mean(axis=0) for h in self._sentence_hidden(sentences)]).astype(np.float32)
        if normalise:
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled

    def checkworthiness(self, sentences: Sequence[str]) -> list[float]:
        """P(check-worthy) per sentence; compare with :attr:`threshold` for a yes/no decision."""
        if not sentences:
            return []
        pooled = self.encode_sentences(sentences, normalise=False)
        logits = pooled @ self._heads["ct_w"] + self._heads["ct_b"]
        return [float(p) for p in _sigmoid(logits.astype(np.float32).reshape(-1))]
