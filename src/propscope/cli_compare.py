"""The ``propscope compare`` command (registered with ``cli.add_command(compare)``)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from propscope.article import Article
from propscope.cli_common import (
    console_for,
    debug_option,
    edge,
    make_settings,
    report_error,
    settings_options,
    write_output,
)
from propscope.errors import PropscopeError
from propscope.report import Report
from propscope.settings import Settings

BATCH = 16
PROGRESS_FROM = 20  # show progress on stderr from this many sources


def read_all(sources: list[str], settings: Settings) -> tuple[list[Article], int]:
    """Every readable article; each failing source gets one line on stderr."""
    from propscope.ingest import expand_sources, read_source

    articles: list[Article] = []
    status = 0
    for source in expand_sources(sources):
        try:
            articles.append(read_source(source, settings))
        except Exception as exc:
            if isinstance(exc, PropscopeError) and exc.source is None:
                exc.source = source
            status = max(status, report_error(exc, source))
    return articles, status


def _batches(articles: list[Article]) -> Iterator[list[Article]]:
    for i in range(0, len(articles), BATCH):
        yield articles[i : i + BATCH]


def analyse_all(articles: list[Article], settings: Settings) -> tuple[list[Report], int]:
    """Reports for the articles, batched, with progress on stderr for many articles."""
    from propscope.compare import compare_pipeline

    pipeline = compare_pipeline(settings)
    reports: list[Report] = []
    status = 0
    show = len(articles) >= PROGRESS_FROM
    for batch in _batches(articles):
        try:
            reports += list(pipeline.pipe(batch, batch_size=BATCH))
        except Exception:
            for article in batch:  # isolate the article that failed
                try:
                    reports.append(pipeline(article))
                except Exception as exc:
                    status = max(status, report_error(exc, article.source))
        if show:
            click.echo(f"\ranalysed {len(reports)}/{len(articles)} articles", err=True, nl=False)
    if show:
        click.echo("", err=True)
    return reports, status


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--only-in/--no-only-in", default=False, help="List claims only one article makes (terminal view).")
@settings_options
@debug_option
@edge
def compare(sources: tuple[str, ...], fmt: str, output: Path | None, only_in: bool, debug: bool,
            **options: Any) -> None:
    """Compare articles on one story: agreements, contradictions, claims only one makes.

    SOURCES are files, folders (every article inside, grouped by story), '-' or URLs.
    """
    from propscope.compare import compare_reports, default_encoder

    settings = make_settings(**options)
    articles, status = read_all(list(sources), settings)
    reports, failed = analyse_all(articles, settings)
    status = max(status, failed)
    if len(reports) < 2:
        click.echo(f"propscope: error: comparison needs two or more articles; got {len(reports)}", err=True)
        raise click.exceptions.Exit(max(status, 2))
    if len(reports) >= PROGRESS_FROM:
        click.echo(f"comparing {len(reports)} articles", err=True)
    comparison = compare_reports(reports, default_encoder(settings))
    if fmt == "json":
        write_output(comparison.to_json() + "\n", output)
    elif fmt == "html":
        from propscope.compare_render import render_comparison_html

        write_output(render_comparison_html(comparison), output)
    else:
        from propscope.compare_render import print_comparison

        print_comparison(comparison, console_for(output), only_in=only_in)
    for warning in comparison.warnings if fmt != "text" else []:
        click.echo(f"propscope: warning: {warning}", err=True)
    if status:
        raise click.exceptions.Exit(status)


if __name__ == "__main__":  # pragma: no cover
    compare(sys.argv[1:])
