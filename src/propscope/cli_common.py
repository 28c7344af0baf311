"""What every propscope command shares: one-line errors, exit statuses, settings options
and output. Library errors become messages only here and in the web server."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from propscope.errors import PropscopeError
from propscope.report import Report
from propscope.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])
INTERNAL_ERROR_EXIT = 70


def debug_enabled() -> bool:
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if ctx.params.get("debug") or (ctx.obj or {}).get("debug"):
            return True
        ctx = ctx.parent
    return False


def report_error(exc: BaseException, source: str | None = None) -> int:
    """Print one line about ``exc`` (a traceback too with --debug); its exit status."""
    if debug_enabled():
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, PropscopeError):
        line = exc.one_line() if exc.source or not source else f"{source}: {exc.one_line()}"
        click.echo(f"propscope: error: {line}", err=True)
        return exc.exit_code
    where = f"{source}: " if source else ""
    hint = "" if debug_enabled() else " (run with --debug for details)"
    click.echo(
        f"propscope: error: {where}internal error: {type(exc).__name__}: {exc}{hint}", err=True
    )
    return INTERNAL_ERROR_EXIT


def edge(func: F) -> F:
    """Turn library errors raised by a command into one line and an exit status."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # the edge: nothing escapes as a traceback
            raise click.exceptions.Exit(report_error(exc)) from None

    return wrapper  # type: ignore[return-value]


debug_option = click.option(
    "--debug", is_flag=True, help="Show tracebacks for errors.", expose_value=True
)


def settings_options(func: F) -> F:
    options = [
        click.option("--allow-private-network", is_flag=True, default=None,
                     help="Allow fetching URLs on private, loopback and link-local addresses."),
        click.option("--keep-furniture", is_flag=True, default=None,
                     help="Keep share appeals, disclaimers and other page furniture."),
        click.option("--encoding", default=None, help="Encoding of text files (default UTF-8)."),
        click.option("--timeout", "fetch_timeout", type=float, default=None,
                     help="Seconds to wait for a URL."),
        click.option("--max-bytes", "max_file_bytes", type=int, default=None,
                     help="Largest input file in bytes."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_settings(**options: Any) -> Settings:
    return Settings.from_env().with_options(**options)


def analyse_sources(
    sources: list[str], settings: Settings
) -> Iterator[tuple[str, Report | None, int]]:
    """(source, report or None, exit status) for every source; errors printed, never raised."""
    from propscope.api import analyze
    from propscope.ingest import expand_sources, read_source

    for source in expand_sources(sources):
        try:
            article = read_source(source, settings)
            yield source, analyze(article, settings=settings), 0
        except Exception as exc:
            if isinstance(exc, PropscopeError) and exc.source is None:
                exc.source = source
            yield source, None, report_error(exc, source)


def console_for(output: Path | None) -> Console:
    if output is None:
        return Console(soft_wrap=False)
    return Console(file=output.open("w", encoding="utf-8"), width=110, color_system=None)


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
