"""PTC (SemEval-2020 Task 11) and CheckThat! 2024 Task 1 file formats and metrics.

Formats (offsets are 0-based character offsets into the UTF-8 article text; ``start`` is
inclusive, ``end`` exclusive, so a span is ``text[start:end]``):

* articles: ``article<ID>.txt``, read without newline translation so offsets stay exact;
* SI labels: ``id<TAB>start<TAB>end``;
* TC labels: ``id<TAB>technique<TAB>start<TAB>end`` (templates carry ``?`` as technique);
* check-worthiness: TSV ``Sentence_id<TAB>Text<TAB>class_label`` with ``Yes``/``No``.

Metrics, re-implemented from the task descriptions:

* SI: overlapping spans (sharing a character) are merged per article, separately in gold
  and predictions. Each predicted span ``s`` earns ``|s ∩ t| / |s|`` of precision against
  every gold span ``t``, and each gold span earns ``|s ∩ t| / |t|`` of recall; the sums are
  divided by the number of predicted and of gold spans over the whole corpus.
* TC: instances are matched on ``(id, start, end)``; when a span carries several gold labels
  the predictions for it are matched to them so as to maximise correct matches. Scores are
  micro-averaged, plus per technique.

Any ratio with a zero denominator is 0.0, as in the official scorers, so an empty prediction
file scores 0 rather than failing.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from propscope.errors import IngestError

Span = tuple[int, int]
TCRow = tuple[str, str, int, int]
TemplateRow = tuple[str, int, int]
CheckworthyRow = tuple[str, str, bool]

_ARTICLE_NAME = re.compile(r"^article(?P<id>[^.]+)\.txt$")
_LABELS_NAME = re.compile(r"^article(?P<id>[^.]+)\..*labels$")
_FUSED_LABEL = re.compile(r"^(?P<label>yes|no)(?P<next_id>\S+)$", re.IGNORECASE)


# --------------------------------------------------------------------------- scores


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 kept as counts, so that scores can be added together.

    ``precision_hits / predicted`` is precision and ``recall_hits / gold`` is recall. For
    exact-match tasks both hit counts equal the number of true positives; the SI metric
    gives partial credit, so the two differ there.
    """

    precision_hits: float = 0.0
    predicted: int = 0
    recall_hits: float = 0.0
    gold: int = 0

    @classmethod
    def from_counts(cls, tp: int, fp: int, fn: int) -> PRF:
        """Build from true positives, false positives and false negatives."""
        return cls(precision_hits=tp, predicted=tp + fp, recall_hits=tp, gold=tp + fn)

    @property
    def precision(self) -> float:
        return _ratio(self.precision_hits, self.predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.recall_hits, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return _ratio(2 * p * r, p + r)

    def __add__(self, other: PRF) -> PRF:
        return PRF(
            precision_hits=self.precision_hits + other.precision_hits,
            predicted=self.predicted + other.predicted,
            recall_hits=self.recall_hits + other.recall_hits,
            gold=self.gold + other.gold,
        )

    def as_dict(self) -> dict[str, float]:
        """Precision, recall, F1 and the counts, for JSON output."""
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "predicted": self.predicted,
            "gold": self.gold,
        }


@dataclass(frozen=True)
class TCScore:
    """Micro-averaged technique-classification score plus one PRF per technique."""

    micro: PRF
    per_technique: dict[str, PRF] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.micro.precision

    @property
    def recall(self) -> float:
        return self.micro.recall

    @property
    def f1(self) -> float:
        return self.micro.f1


# --------------------------------------------------------------------------- SI metric


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans with every group sharing at least one character merged into one.

    Spans that only touch (one ends where the next starts) share no character and stay
    apart. Empty or reversed spans raise ``ValueError``.
    """
    merged: list[Span] = []
    for start, end in sorted(spans):
        if end <= start:
            raise ValueError(f"empty or reversed span ({start}, {end})")
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _score_si_article(gold: Sequence[Span], pred: Sequence[Span]) -> PRF:
    gold_spans, pred_spans = merge_spans(gold), merge_spans(pred)
    precision_hits = sum(_overlap(s, t) / (s[1] - s[0]) for s in pred_spans for t in gold_spans)
    recall_hits = sum(_overlap(s, t) / (t[1] - t[0]) for s in pred_spans for t in gold_spans)
    return PRF(precision_hits, len(pred_spans), recall_hits, len(gold_spans))


def score_si(gold: Mapping[str, Sequence[Span]], pred: Mapping[str, Sequence[Span]]) -> PRF:
    """The SemEval-2020 span-identification score over every article in gold or pred."""
    total = PRF()
    for article_id in sorted(set(gold) | set(pred)):
        total += _score_si_article(gold.get(article_id, ()), pred.get(article_id, ()))
    return total


# --------------------------------------------------------------------------- TC metric


def _labels_by_span(rows: Iterable[TCRow]) -> dict[tuple[str, int, int], Counter[str]]:
    grouped: dict[tuple[str, int, int], Counter[str]] = defaultdict(Counter)
    for article_id, label, start, end in rows:
        grouped[(article_id, start, end)][label] += 1
    return grouped


def score_tc(gold_rows: Iterable[TCRow], pred_rows: Iterable[TCRow]) -> TCScore:
    """Micro and per-technique P/R/F1 for technique classification.

    Labels on the same span form a multiset on each side; their multiset intersection is
    the best possible one-to-one matching, so label order within a span never matters.
    Predictions on spans absent from gold are false positives.
    """
    gold = _labels_by_span(gold_rows)
    pred = _labels_by_span(pred_rows)
    correct: Counter[str] = Counter()
    for span, pred_labels in pred.items():
        correct.update(pred_labels & gold.get(span, Counter()))
    gold_totals = sum(gold.values(), Counter[str]())
    pred_totals = sum(pred.values(), Counter[str]())
    per_technique = {
        label: PRF(correct[label], pred_totals[label], correct[label], gold_totals[label])
        for label in sorted(gold_totals | pred_totals)
    }
    micro = sum(per_technique.values(), PRF())
    return TCScore(micro=micro, per_technique=per_technique)


# --------------------------------------------------------------------------- readers


def _require_dir(path: Path) -> None:
    if not path.is_dir():
        raise IngestError("no such folder", source=str(path))


def _read_text(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        raise IngestError("no such file", source=str(path)) from None
    except UnicodeDecodeError as err:
        raise IngestError(f"not valid UTF-8 ({err.reason})", source=str(path)) from None
    except OSError as err:
        raise IngestError(f"cannot read ({err.strerror})", source=str(path)) from None


def read_articles(directory: str | Path) -> dict[str, str]:
    """Article texts keyed by ID from ``article<ID>.txt`` files, CRLF kept as is."""
    folder = Path(directory)
    _require_dir(folder)
    articles: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        match = _ARTICLE_NAME.match(path.name)
        if match and path.is_file():
            articles[match["id"]] = _read_text(path)
    if not articles:
        raise IngestError("no article<ID>.txt files in this folder", source=str(folder))
    return articles


def _label_files(path: Path) -> list[Path]:
    """The file itself, or every ``*labels`` file of a folder, sorted by name."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith("labels"))
    if path.is_file():
        return [path]
    raise IngestError("no such file or folder", source=str(path))


def _fields(path: Path, expected: int, layout: str) -> Iterator[tuple[int, list[str]]]:
    """Line numbers and whitespace-split fields of each non-blank line, checked for count."""
    for lineno, line in enumerate(_read_text(path).split("\n"), start=1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != expected:
            raise IngestError(f"line {lineno}: expected '{layout}', got {line!r}", source=str(path))
        yield lineno, fields


def _span(path: Path, lineno: int, start: str, end: str) -> Span:
    try:
        span = int(start), int(end)
    except ValueError:
        raise IngestError(
            f"line {lineno}: offsets must be integers, got {start!r} and {end!r}",
            source=str(path),
        ) from None
    if not 0 <= span[0] < span[1]:
        raise IngestError(f"line {lineno}: span {span[0]}-{span[1]} is empty or negative", source=str(path))
    return span


def read_si_labels(path: str | Path) -> dict[str, list[Span]]:
    """SI spans keyed by article ID, from one file or a folder of per-article files.

    In a folder, an empty ``article<ID>...labels`` file yields that ID with no spans.
    """
    spans: dict[str, list[Span]] = {}
    is_folder = Path(path).is_dir()
    for file in _label_files(Path(path)):
        name_match = _LABELS_NAME.match(file.name)
        if name_match and is_folder:
            spans.setdefault(name_match["id"], [])
        for lineno, (article_id, start, end) in _fields(file, 3, "id<TAB>start<TAB>end"):
            spans.setdefault(article_id, []).append(_span(file, lineno, start, end))
    return spans


def read_tc_labels(path: str | Path) -> list[TCRow]:
    """TC rows ``(id, technique, start, end)`` from one file or a folder of per-article files."""
    rows: list[TCRow] = []
    layout = "id<TAB>technique<TAB>start<TAB>end"
    for file in _label_files(Path(path)):
        for lineno, (article_id, label, start, end) in _fields(file, 4, layout):
            rows.append((article_id, label, *_span(file, lineno, start, end)))
    return rows


def read_tc_template(path: str | Path) -> list[TemplateRow]:
    """Spans ``(id, start, end)`` of a TC template; the technique column (``?``) is ignored.

    A gold TC file works as a template too, which is how the dev split is evaluated.
    """
    return [(article_id, start, end) for article_id, _, start, end in read_tc_labels(path)]


# --------------------------------------------------------------------------- writers


def _write_lines(lines: Iterable[str], path: str | Path) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(f"{line}\n" for line in lines)


def write_si(predictions: Mapping[str, Iterable[Span]], path: str | Path) -> None:
    """Write SI predictions as ``id<TAB>start<TAB>end`` lines, spans sorted per article."""
    _write_lines(
        (f"{article_id}\t{start}\t{end}" for article_id, spans in predictions.items() for start, end in sorted(spans)),
        path,
    )


def write_tc(rows: Iterable[TCRow], path: str | Path) -> None:
    """Write TC rows as ``id<TAB>technique<TAB>start<TAB>end`` lines, in the given order."""
    _write_lines((f"{aid}\t{label}\t{start}\t{end}" for aid, label, start, end in rows), path)


# --------------------------------------------------------------------------- check-worthiness


def _parse_label(value: str, path: Path, lineno: int) -> bool:
    folded = value.strip().casefold()
    if folded in ("yes", "no"):
        return folded == "yes"
    raise IngestError(f"line {lineno}: label must be Yes or No, got {value!r}", source=str(path))


def _split_fused(fields: list[str], path: Path, lineno: int) -> list[CheckworthyRow]:
    """Records of one physical row, splitting rows where a newline between records is missing.

    A fused row looks like ``id, text, "No<next id>", text, label``: every label but the last
    has the following record's ID glued to it.
    """
    bad = IngestError(
        f"line {lineno}: expected 'Sentence_id<TAB>Text<TAB>class_label', got {len(fields)} fields",
        source=str(path),
    )
    if len(fields) < 3 or len(fields) % 2 == 0:
        raise bad
    records: list[CheckworthyRow] = []
    sentence_id = fields[0].strip()
    for index in range(1, len(fields) - 2, 2):
        fused = _FUSED_LABEL.match(fields[index + 1].strip())
        if fused is None:
            raise bad
        records.append((sentence_id, fields[index], fused["label"].casefold() == "yes"))
        sentence_id = fused["next_id"]
    records.append((sentence_id, fields[-2], _parse_label(fields[-1], path, lineno)))
    return records


def read_checkworthy(path: str | Path) -> list[CheckworthyRow]:
    """CheckThat! check-worthiness rows ``(sentence_id, text, is_check_worthy)``.

    Handles CRLF, quoted fields with ``""`` escapes, a header row and fused records.
    """
    source = Path(path)
    rows: list[CheckworthyRow] = []
    try:
        with source.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quotechar='"')
            for fields in reader:
                if not fields or (not rows and fields[0].strip().casefold() == "sentence_id"):
                    continue
                rows.extend(_split_fused(fields, source, reader.line_num))
    except FileNotFoundError:
        raise IngestError("no such file", source=str(source)) from None
    except (UnicodeDecodeError, csv.Error) as err:
        raise IngestError(f"cannot parse ({err})", source=str(source)) from None
    return rows


def score_checkworthy(gold: Sequence[CheckworthyRow], pred: Mapping[str, bool] | Sequence[CheckworthyRow]) -> PRF:
    """P/R/F1 of the positive (check-worthy) class; ``pred`` maps sentence IDs to labels.

    Every gold sentence needs a prediction and every prediction a gold sentence, else
    ``ValueError``.
    """
    predicted = pred if isinstance(pred, Mapping) else {sid: label for sid, _, label in pred}
    gold_ids = {sid for sid, _, _ in gold}
    missing, extra = gold_ids - set(predicted), set(predicted) - gold_ids
    if missing or extra:
        raise ValueError(
            f"predictions do not match gold: {len(missing)} sentence IDs missing, "
            f"{len(extra)} unknown (e.g. {sorted(missing or extra)[0]!r})"
        )
    tp = sum(1 for sid, _, label in gold if label and predicted[sid])
    fp = sum(1 for sid, _, label in gold if not label and predicted[sid])
    fn = sum(1 for sid, _, label in gold if label and not predicted[sid])
    return PRF.from_counts(tp, fp, fn)
