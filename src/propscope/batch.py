"""``propscope batch``: analyse many articles into JSONL or Parquet, resumably, on many cores.

Inputs become work items (``batch_inputs``), items are grouped into chunks, chunks run on an
engine (``batch_engines``: local processes or Dask) and come back in order of completion;
each finished chunk is committed on its own (``batch_store``), so a crash or Ctrl-C loses at
most the chunks in flight and a rerun of the same command picks up where it stopped.
Identical articles (same normalised text) are analysed once; the copies are recorded as
duplicates. Inputs that fail go to ``OUT.errors.jsonl`` with a reason and the run goes on.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from propscope.batch_engines import Engine, open_engine
from propscope.batch_inputs import Item, iter_items, iter_keys
from propscope.batch_store import BatchState, sidecar
from propscope.batch_work import ChunkResult, Done, Failed, analyse_chunk
from propscope.settings import Settings

Hook = Callable[[int], None]


@dataclass(frozen=True)
class BatchConfig:
    inputs: tuple[str, ...]
    out: Path
    parquet: bool | None = None  # None: by the name of ``out``
    engine: str = "local"
    workers: int | None = None  # None: every core
    threads_per_worker: int | None = None  # None: the cores shared among local workers
    scheduler: str | None = None
    chunk_size: int = 32
    batch_size: int = 16
    settings: Settings = field(default_factory=Settings)
    progress: bool = True
    count: bool = True


@dataclass
class Hooks:
    """Test points: ``after_write`` runs between writing a chunk and committing it."""

    after_write: Hook | None = None
    after_commit: Hook | None = None


@dataclass
class WorkerStats:
    chunks: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    pipelines: int = 0  # sets of models loaded in the worker (one, unless settings differ)


@dataclass
class BatchSummary:
    out: Path
    analysed: int = 0
    duplicates: int = 0
    failed: int = 0
    skipped: int = 0
    failed_total: int = 0
    seconds: float = 0.0
    commit_seconds: float = 0.0  # spent by this process checking, writing and recording chunks
    workers: dict[int, WorkerStats] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        done = self.analysed + self.duplicates + self.failed
        return done / self.seconds if self.seconds else 0.0

    @property
    def errors_path(self) -> Path:
        return sidecar(self.out, ".errors.jsonl")

    def one_line(self) -> str:
        line = (
            f"{self.analysed} analysed, {self.duplicates} duplicates, {self.failed} failed, "
            f"{self.skipped} already done in {self.seconds:.1f} s ({self.rate:.1f} articles/s) -> {self.out}"
        )
        if self.failed_total:
            line += f"; {self.failed_total} failed inputs listed in {self.errors_path}"
        return line


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} articles/s" if speed else "- articles/s", style="progress.data.speed")


def _progress(console: Console, enabled: bool) -> Progress:
    return Progress(
        TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(), RateColumn(),
        TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(), TextColumn("ETA"),
        TimeRemainingColumn(), console=console, disable=not enabled, speed_estimate_period=60,
    )


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class _Run:
    """One run: submits chunks with a bounded number in flight, commits them as they finish."""

    def __init__(self, config: BatchConfig, state: BatchState, hooks: Hooks, progress: Progress) -> None:
        self.config = config
        self.state = state
        self.hooks = hooks
        self.progress = progress
        self.task = progress.add_task("batch", total=None, failed=0)
        self.summary = BatchSummary(config.out)

    def new_items(self) -> Iterator[Item]:
        for item in iter_items(list(self.config.inputs), self.config.settings):
            if self.state.is_done(item.key):
                self.summary.skipped += 1
            else:
                yield item

    def count(self) -> None:
        if not self.config.count:
            return
        keys = iter_keys(list(self.config.inputs), self.config.settings)
        remaining = sum(1 for key in keys if not self.state.is_done(key))
        self.progress.update(self.task, total=remaining)

    def run(self, engine: Engine, items: Iterable[Item]) -> None:
        pending: dict[Future[ChunkResult], int] = {}
        for chunk_items in _chunks(items, self.config.chunk_size):
            chunk = self.state.next_chunk
            self.state.next_chunk += 1
            future = engine.executor.submit(analyse_chunk, chunk, chunk_items, engine.settings, self.config.batch_size)
            pending[future] = chunk
            while len(pending) >= 2 * engine.slots:
                self._drain(pending)
        while pending:
            self._drain(pending)

    def _drain(self, pending: dict[Future[ChunkResult], int]) -> None:
        finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for future in finished:
            pending.pop(future)
            self.commit(future.result())

    def commit(self, result: ChunkResult) -> None:
        started = time.perf_counter()
        keys: set[str] = set()
        owners: dict[str, str] = {}
        done: list[Done] = []
        for item in sorted(result.done, key=lambda d: d.duplicate_of is not None):  # originals first
            if item.key in keys or self.state.is_done(item.key):
                self.summary.duplicates += 1
                continue
            keys.add(item.key)
            if item.duplicate_of is None:
                owner = owners.get(item.content_hash) or self.state.owner_of(item.content_hash)
                if owner is None:
                    owners[item.content_hash] = item.key
                else:
                    item = Done(item.key, item.content_hash, None, owner)
            done.append(item)
        failed: list[Failed] = []
        for failure in result.failed:
            if failure.key not in keys and not self.state.is_done(failure.key):
                keys.add(failure.key)
                failed.append(failure)
        self.state.commit(result.chunk, done, failed, self.hooks.after_write)
        analysed = sum(1 for d in done if d.duplicate_of is None)
        self.summary.analysed += analysed
        self.summary.duplicates += len(done) - analysed
        self.summary.failed += len(failed)
        self.summary.commit_seconds += time.perf_counter() - started
        self._account(result)
        if self.hooks.after_commit is not None:
            self.hooks.after_commit(result.chunk)

    def _account(self, result: ChunkResult) -> None:
        stats = self.summary.workers.setdefault(result.pid, WorkerStats())
        stats.chunks += 1
        stats.seconds += result.seconds
        stats.peak_rss_mb = max(stats.peak_rss_mb, result.peak_rss_mb)
        stats.pipelines = max(stats.pipelines, result.pipelines)
        self.progress.update(
            self.task, advance=len(result.done) + len(result.failed), failed=self.summary.failed
        )


def run_batch(config: BatchConfig, hooks: Hooks | None = None, console: Console | None = None) -> BatchSummary:
    """Analyse every input of ``config`` into ``config.out``; see the module docstring."""
    started = time.perf_counter()
    state = BatchState(config.out, config.parquet)
    console = console or Console(stderr=True)
    try:
        with _progress(console, config.progress) as progress:
            run = _Run(config, state, hooks or Hooks(), progress)
            run.count()
            items = run.new_items()
            first = next(items, None)
            if first is not None:  # start no workers when everything is done already
                with open_engine(config.engine, config.workers, config.settings, config.scheduler,
                                 config.threads_per_worker) as engine:
                    run.run(engine, itertools.chain([first], items))
        summary = run.summary
        summary.failed_total = state.counts().get("failed", 0)
    finally:
        state.close()
    summary.seconds = time.perf_counter() - started
    return summary
