"""The ``propscope`` command. Errors become one-line messages and exit codes here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from propscope import __version__
from propscope.cli_common import (
    analyse_sources,
    console_for,
    debug_option,
    edge,
    make_settings,
    settings_options,
    write_output,
)
from propscope.report import Report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="propscope")
@debug_option
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Show how news articles persuade, and what they claim. Offline, on a CPU."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@settings_options
@debug_option
@edge
def analyze(sources: tuple[str, ...], fmt: str, output: Path | None, debug: bool,
            **options: Any) -> None:
    """Analyse articles: files, folders, '-' for stdin, or http(s) URLs."""
    settings = make_settings(**options)
    reports: list[Report] = []
    status = 0
    console = console_for(output) if fmt == "text" else None
    for _source, report, code in analyse_sources(list(sources), settings):
        status = max(status, code)
        if report is None:
            continue
        if console is not None:
            from propscope.render_text import print_report

            print_report(report, console)
        else:
            reports.append(report)
    if fmt == "json" and reports:
        data: Any = reports[0].to_dict() if len(sources) == 1 and len(reports) == 1 else [
            r.to_dict() for r in reports
        ]
        write_output(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output)
    elif fmt == "html" and reports:
        from propscope.render_html import render_html

        write_output(render_html(reports), output)
    if status:
        raise click.exceptions.Exit(status)


def _register_commands() -> None:
    from propscope.cli_batch import batch, stats
    from propscope.cli_compare import compare
    from propscope.cli_research import eval_group, semeval, train
    from propscope.cli_serve import serve

    for command in (compare, semeval, eval_group, train, serve, batch, stats):
        cli.add_command(command)


_register_commands()


def main() -> None:
    cli(prog_name="propscope")
