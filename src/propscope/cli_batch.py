"""The ``batch`` and ``stats`` commands. ``propscope.cli`` registers them::

    cli.add_command(batch)
    cli.add_command(stats)

Progress and the one-line summary go to stderr; ``stats`` prints its tables (or JSON) to stdout.
Exit status: 0 when every input was analysed, 2 when some failed (listed in OUT.errors.jsonl),
130 after Ctrl-C (run the same command again to resume), the error's own status otherwise.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from propscope.errors import IngestError, PropscopeError
from propscope.settings import Settings

INTERRUPTED_EXIT = 130


def _fail(exc: PropscopeError, debug: bool) -> click.exceptions.Exit:
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    click.echo(f"propscope: error: {exc.one_line()}", err=True)
    return click.exceptions.Exit(exc.exit_code)


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "output", required=True,
              help="JSONL file, or Parquet folder (a name ending in .parquet or /).")
@click.option("--format", "fmt", type=click.Choice(["auto", "jsonl", "parquet"]), default="auto",
              show_default=True, help="Output format; auto goes by the output's name.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: a process pool on this machine; dask: a Dask cluster.")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Worker processes (default: every core; 0 runs in this process).")
@click.option("--threads-per-worker", type=click.IntRange(min=1), default=None,
              help="Model threads in each worker (default: this machine's cores shared among the workers).")
@click.option("--scheduler", default=None, help="Dask scheduler address (tcp://host:8786); "
              "without it a local cluster is started.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=32, show_default=True,
              help="Articles per unit of work and per commit.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option("--no-count", is_flag=True, help="Do not count the inputs first (no ETA).")
@click.option("--allow-private-network", is_flag=True, default=None,
              help="Allow fetching URLs on private, loopback and link-local addresses.")
@click.option("--keep-furniture", is_flag=True, default=None, help="Keep page furniture in the body.")
@click.option("--encoding", default=None, help="Encoding of text files (default UTF-8).")
@click.option("--timeout", "fetch_timeout", type=float, default=None, help="Seconds to wait for a URL.")
@click.option("--max-bytes", "max_file_bytes", type=int, default=None, help="Largest input file in bytes.")
@click.option("--max-page-bytes", "max_fetch_bytes", type=int, default=None,
              help="Largest page (URL, WARC record, JSONL/CSV field) in bytes (default 10 MB).")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def batch(inputs: tuple[str, ...], output: str, fmt: str, engine: str, workers: int | None,
          threads_per_worker: int | None, scheduler: str | None, chunk_size: int, no_progress: bool,
          no_count: bool, debug: bool, **options: Any) -> None:
    """Analyse many articles into JSONL or Parquet, resumably.

    INPUTS are folders, JSONL or CSV files with a text, html or url field (optional id,
    source, title, outlet, published), WARC files, article files or URLs. Run the same command
    again after a crash or Ctrl-C to finish the rest; failed inputs are listed in
    OUTPUT.errors.jsonl.
    """
    from propscope.batch import BatchConfig, run_batch

    parquet = None if fmt == "auto" else fmt == "parquet"
    if parquet is None and output.endswith(("/", "\\")):  # Path() would drop the slash
        parquet = True
    config = BatchConfig(
        inputs=inputs, out=Path(output), parquet=parquet, engine=engine, workers=workers,
        threads_per_worker=threads_per_worker, scheduler=scheduler, chunk_size=chunk_size,
        settings=Settings.from_env().with_options(**options),
        progress=not no_progress, count=not no_count,
    )
    try:
        summary = run_batch(config)
    except KeyboardInterrupt:
        click.echo("propscope: batch: interrupted; finished chunks are kept, run the same command "
                   "again to resume", err=True)
        raise click.exceptions.Exit(INTERRUPTED_EXIT) from None
    except PropscopeError as exc:
        raise _fail(exc, debug) from None
    click.echo(f"propscope: batch: {summary.one_line()}", err=True)
    if summary.failed_total:
        raise click.exceptions.Exit(IngestError.exit_code)


@click.command()
@click.argument("output", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
              help="Rows in the claims and entities tables.")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def stats(output: Path, as_json: bool, top: int, debug: bool) -> None:
    """Figures over a batch OUTPUT: techniques per outlet and month, frequent claims, contradictions."""
    from propscope.stats import compute, print_stats

    try:
        figures = compute(output, top=top)
    except PropscopeError as exc:
        raise _fail(exc, debug) from None
    if as_json:
        click.echo(json.dumps(figures.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        print_stats(figures, Console(soft_wrap=False))
