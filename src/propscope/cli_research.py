"""Research commands: SemEval-2020 Task 11 prediction files, evaluation, training.

``propscope.cli`` registers them::

    cli.add_command(semeval)
    cli.add_command(eval_group)
    cli.add_command(train)

Figures go to stdout; progress bars and notes go to stderr. Library errors
(``PropscopeError``: a missing folder, a bad label line with its line number, a missing
model) end the command with ``propscope: error: <one line>`` and the error's exit code;
problems only a command can see raise ``click.ClickException``.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from propscope.errors import PropscopeError
from propscope.ptc import (
    PRF,
    Span,
    TCRow,
    TCScore,
    TemplateRow,
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
from propscope.taxonomy import LABELS

if TYPE_CHECKING:
    from propscope.model import PropscopeModel

TRAIN_EXTRAS = frozenset({"torch", "transformers", "onnx", "onnxscript"})
TRAIN_HINT = "training needs PyTorch; install it with: pip install 'propscope[train]'"
ARTICLE_BATCH = 4
SENTENCE_BATCH = 64

_stderr = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


# --------------------------------------------------------------------------- helpers


def _one_line_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print a library error as one line on stderr and exit with its exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except PropscopeError as err:
            click.echo(f"propscope: error: {err.one_line()}", err=True)
            raise click.exceptions.Exit(err.exit_code) from None

    return wrapper


def _load_model() -> PropscopeModel:
    """The shipped model; raises ``ModelError`` when its files are missing or broken."""
    try:
        from propscope.model import PropscopeModel
    except ImportError as err:
        raise click.ClickException(f"the propscope model is not available ({err})") from None
    return PropscopeModel.load()


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_stderr,
        transient=True,
    )


T = TypeVar("T")


def _batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def predict_spans(model: PropscopeModel, articles: Mapping[str, str]) -> dict[str, list[Span]]:
    """SI predictions: the spans the model finds in each article, with a progress bar."""
    ids = list(articles)
    spans: dict[str, list[Span]] = {}
    with _progress() as progress:
        task = progress.add_task("finding spans", total=len(ids))
        for batch in _batches(ids, ARTICLE_BATCH):
            found = model.techniques([articles[article_id] for article_id in batch])
            for article_id, predictions in zip(batch, found, strict=True):
                spans[article_id] = sorted({(p.start, p.end) for p in predictions})
            progress.advance(task, len(batch))
    return spans


def _check_template(articles: Mapping[str, str], rows: Sequence[TemplateRow], template: Path) -> None:
    for article_id, start, end in rows:
        if article_id not in articles:
            raise click.ClickException(f"{template}: article {article_id} has no article file")
        if end > len(articles[article_id]):
            raise click.ClickException(f"{template}: span {start}-{end} of article {article_id} ends past its text")


def predict_techniques(model: PropscopeModel, articles: Mapping[str, str], rows: Sequence[TemplateRow]) -> list[TCRow]:
    """TC predictions for template spans, returned in template order."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for index, (article_id, _, _) in enumerate(rows):
        by_article[article_id].append(index)
    labels: dict[int, str] = {}
    with _progress() as progress:
        task = progress.add_task("labelling spans", total=len(by_article))
        for article_id, indices in by_article.items():
            spans = [(rows[i][1], rows[i][2]) for i in indices]
            predictions = model.classify_spans(articles[article_id], spans)
            labels.update(zip(indices, (p.technique for p in predictions), strict=True))
            progress.advance(task)
    return [(aid, labels[i], start, end) for i, (aid, start, end) in enumerate(rows)]


def _figures(score: PRF) -> str:
    return f"P {score.precision:.4f}  R {score.recall:.4f}  F1 {score.f1:.4f}"


def _technique_table(score: TCScore) -> Table:
    table = Table(title="Technique classification on gold spans")
    table.add_column("technique", no_wrap=True)
    for column in ("gold", "pred", "P", "R", "F1"):
        table.add_column(column, justify="right")
    ordered = [label for label in LABELS if label in score.per_technique]
    ordered += sorted(set(score.per_technique) - set(LABELS))
    for label in ordered:
        prf = score.per_technique[label]
        table.add_row(
            label,
            str(prf.gold),
            str(prf.predicted),
            f"{prf.precision:.3f}",
            f"{prf.recall:.3f}",
            f"{prf.f1:.3f}",
        )
    return table


def _echo_json(payload: Mapping[str, Any]) -> None:
    click.echo(json.dumps(payload, indent=2))


# --------------------------------------------------------------------------- semeval


@click.group("semeval")
def semeval() -> None:
    """Write SemEval-2020 Task 11 prediction files (SI spans, TC techniques)."""


@semeval.command("si")
@click.argument("articles_dir", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Prediction file to write (id<TAB>start<TAB>end).",
)
@_one_line_errors
def semeval_si(articles_dir: Path, output: Path) -> None:
    """Predict propaganda spans for every article<ID>.txt in ARTICLES_DIR."""
    articles = read_articles(articles_dir)
    spans = predict_spans(_load_model(), articles)
    write_si(spans, output)
    total = sum(len(found) for found in spans.values())
    _stderr.print(f"wrote {total} spans for {len(articles)} articles to {output}")


@semeval.command("tc")
@click.argument("articles_dir", type=click.Path(path_type=Path))
@click.argument("template", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Prediction file to write (id<TAB>technique<TAB>start<TAB>end).",
)
@_one_line_errors
def semeval_tc(articles_dir: Path, template: Path, output: Path) -> None:
    """Fill the technique column of a TC TEMPLATE (id<TAB>?<TAB>start<TAB>end)."""
    articles = read_articles(articles_dir)
    rows = read_tc_template(template)
    _check_template(articles, rows, template)
    write_tc(predict_techniques(_load_model(), articles, rows), output)
    _stderr.print(f"wrote {len(rows)} labelled spans to {output}")


# --------------------------------------------------------------------------- eval


@dataclass(frozen=True)
class PtcScores:
    """SI and TC scores of a model on a PTC split; ``si_seconds``: the time SI prediction took."""

    articles: int
    si: PRF
    tc: TCScore
    si_seconds: float


def score_ptc(model: PropscopeModel, data_dir: Path, split: str) -> PtcScores:
    """Score ``model`` on DATA_DIR/<split>-articles with the official metrics (``eval ptc`` and
    ``propscope train`` both report these)."""
    articles = read_articles(data_dir / f"{split}-articles")
    gold_si = read_si_labels(data_dir / f"{split}-labels-task-si")
    gold_tc = read_tc_labels(data_dir / f"{split}-labels-task-flc-tc")
    template = [(article_id, start, end) for article_id, _, start, end in gold_tc]
    _check_template(articles, template, data_dir / f"{split}-labels-task-flc-tc")
    start = time.perf_counter()
    predicted = predict_spans(model, articles)
    seconds = time.perf_counter() - start
    return PtcScores(len(articles), score_si(gold_si, predicted),
                     score_tc(gold_tc, predict_techniques(model, articles, template)), seconds)


@click.group("eval")
def eval_group() -> None:
    """Score the model on research data sets (PTC, CheckThat! 2024)."""


@eval_group.command("ptc")
@click.argument("data_dir", type=click.Path(path_type=Path))
@click.option("--split", type=click.Choice(["dev", "train"]), default="dev", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_one_line_errors
def eval_ptc(data_dir: Path, split: str, as_json: bool) -> None:
    """SI and TC scores on a PTC split: DATA_DIR/<split>-articles and its label folders."""
    scores = score_ptc(_load_model(), data_dir, split)
    si, tc = scores.si, scores.tc
    if as_json:
        _echo_json(
            {
                "split": split,
                "articles": scores.articles,
                "si": si.as_dict(),
                "tc": {
                    "micro": tc.micro.as_dict(),
                    "per_technique": {k: v.as_dict() for k, v in tc.per_technique.items()},
                },
            }
        )
        return
    console = Console()
    console.print(f"PTC {split}: {scores.articles} articles")
    console.print(f"SI  {_figures(si)}  ({si.gold} gold spans, {si.predicted} predicted)")
    console.print(f"TC  micro {_figures(tc.micro)}  ({tc.micro.gold} gold labels)")
    console.print(_technique_table(tc))


@eval_group.command("checkworthy")
@click.argument("tsv", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--mode",
    type=click.Choice(["isolated", "context", "cascade"]),
    default=None,
    help="isolated: each sentence alone (claims.v1); context: read inside pseudo-articles of "
    "consecutive sentence IDs (claims.context.v1); cascade: in context, uncertain ones alone "
    "(claims.v2). Default: whichever the default pipeline uses.",
)
@_one_line_errors
def eval_checkworthy(tsv: Path, as_json: bool, mode: str | None) -> None:
    """Positive-class P/R/F1 on a CheckThat! 2024 Task 1 TSV (Sentence_id, Text, class_label)."""
    from propscope.pipeline import DEFAULT_COMPONENTS

    rows = read_checkworthy(tsv)
    if not rows:
        raise click.ClickException(f"{tsv}: no sentences")
    explicit = mode is not None
    if mode is None:
        modes = {"claims.v2": "cascade", "claims.context.v1": "context"}
        mode = next((modes[c] for c in DEFAULT_COMPONENTS if c in modes), "isolated")
    model = _load_model()
    if mode != "isolated" and not getattr(model, "has_context_head", False):
        if not explicit:
            mode = "isolated"  # a model without the in-context head: its claims path is isolated
        else:
            raise click.ClickException(f"the model has no in-context check-worthiness head (--mode {mode})")
    if mode == "isolated":
        texts = [text for _, text, _ in rows]
        scores: list[float] = []
        with _progress() as progress:
            task = progress.add_task("scoring sentences", total=len(texts))
            for batch in _batches(texts, SENTENCE_BATCH):
                scores.extend(model.checkworthiness(batch))
                progress.advance(task, len(batch))
        predicted = {sid: score >= model.threshold for (sid, _, _), score in zip(rows, scores, strict=True)}
        threshold = model.threshold
    else:
        decided = _context_decisions(model, rows, cascade=mode == "cascade")
        predicted = {sid: yes for (sid, _, _), yes in zip(rows, decided, strict=True)}
        threshold = model.context_threshold
    prf = score_checkworthy(rows, predicted)
    if as_json:
        _echo_json({"file": str(tsv), "sentences": len(rows), "threshold": threshold, "mode": mode} | prf.as_dict())
        return
    click.echo(f"{tsv}: {len(rows)} sentences, {prf.gold} check-worthy ({mode})")
    click.echo(f"positive class  {_figures(prf)}  (threshold {threshold:.3f})")


def _context_decisions(model: PropscopeModel, rows: Sequence[tuple[str, str, bool]], *, cascade: bool) -> list[bool]:
    """Check-worthy or not, in row order, for sentences read inside pseudo-articles built as
    the in-context head was trained; ``cascade`` re-reads the uncertain ones alone."""
    from propscope.model import context_groups, join_sentences

    groups = context_groups([(sid, text) for sid, text, _ in rows])
    decided = [False] * len(rows)
    with _progress() as progress:
        task = progress.add_task("scoring sentences in context", total=len(rows))
        for batch in _batches(groups, 16):
            joined = [join_sentences([rows[i][1] for i in group]) for group in batch]
            texts = [text for text, _ in joined]
            encoded = model.encode_texts(texts)
            spans = [sp for _, sp in joined]
            if cascade:
                found = [[yes for _, yes in r] for r in model.checkworthiness_cascade(texts, encoded, spans)]
            else:
                found = [[p >= model.context_threshold for p in model.checkworthiness_in_context(enc, sp)]
                         for enc, sp in zip(encoded, spans, strict=True)]
            for group, yes in zip(batch, found, strict=True):
                for i, y in zip(group, yes, strict=True):
                    decided[i] = y
                progress.advance(task, len(group))
    return decided


# --------------------------------------------------------------------------- train


def _import_recipe() -> ModuleType:
    """``propscope.train.recipe``, or a click error naming the missing extra."""
    if importlib.util.find_spec("torch") is None:
        raise click.ClickException(TRAIN_HINT)
    try:
        from propscope.train import recipe

        # the steps import these when they run: fail now, not hours into a run
        importlib.import_module("propscope.train.distil")
        importlib.import_module("propscope.train.pipeline")
    except ImportError as err:
        if (err.name or "").split(".")[0] in TRAIN_EXTRAS:
            raise click.ClickException(TRAIN_HINT) from None
        raise click.ClickException(f"training is not available ({err})") from None
    return recipe


@click.command("train")
@click.option(
    "--ptc",
    "ptc_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="PTC corpus folder (train/dev articles and labels).",
)
@click.option(
    "--ct24",
    "ct24_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="CheckThat! 2024 Task 1 English folder (train/dev TSVs).",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the trained model to.",
)
@click.option(
    "--work",
    "work_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the teacher, caches and the record of finished steps (default: OUT-work); "
    "run again with the same folder to go on after an interruption.",
)
@click.option(
    "--teacher",
    "teacher_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="An already trained 6-layer model folder: skip the first step.",
)
@click.option("--quick", is_flag=True, help="Token amounts of training: check that the steps fit together.")
@_one_line_errors
def train(ptc_dir: Path, ct24_dir: Path, out_dir: Path, work_dir: Path | None, teacher_dir: Path | None,
          quick: bool) -> None:
    """Rebuild the shipped model (needs the 'train' extra; hours on a 2-core CPU).

    Fine-tunes a 6-layer teacher, fits its technique heads, distils it into the 3-layer
    encoder that ships, fits the heads that read the student and scores the result on PTC dev.
    """
    recipe = _import_recipe()
    try:
        figures = recipe.build(ptc_dir, ct24_dir, out_dir, work=work_dir, teacher=teacher_dir,
                               recipe=recipe.QUICK if quick else recipe.Recipe(), log=_stderr.print)
    except (ValueError, RuntimeError) as err:  # a work folder of other settings, a step that failed
        raise click.ClickException(str(err)) from None
    _echo_json(figures)
    _stderr.print(f"model written to {out_dir}")
