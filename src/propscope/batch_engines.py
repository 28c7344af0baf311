"""Where batch chunks run: in this process, a local process pool, or a Dask cluster.

Each engine is a ``concurrent.futures.Executor`` plus the number of chunks it can work on at
once; every worker process builds the pipeline once (a pool initializer, or a Dask worker
plugin) and keeps it for all its chunks.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, NamedTuple

from propscope.batch_work import init_worker, worker_pipeline
from propscope.settings import Settings

ENGINES = ("local", "dask")


class Engine(NamedTuple):
    """Where chunks run: the executor, how many chunks it works on at once, and the settings
    its workers built their pipeline with (chunks must be sent with the same settings, or a
    worker would build and hold a second pipeline)."""

    executor: Executor
    slots: int
    settings: Settings


class InlineExecutor(Executor):
    """Runs each task at once in this process (``--workers 0``): for debugging and small runs."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


@contextmanager
def local_engine(workers: int, settings: Settings) -> Iterator[tuple[Executor, int]]:
    if workers <= 0:
        worker_pipeline(settings)
        yield InlineExecutor(), 1
        return
    pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=init_worker, initargs=(settings,))
    try:
        yield pool, workers
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


@contextmanager
def dask_engine(
    workers: int, settings: Settings, scheduler: str | None = None
) -> Iterator[tuple[Executor, int]]:
    """A client of ``scheduler``, or of a new ``LocalCluster`` (processes, one thread each)."""
    from distributed import Client, LocalCluster

    from propscope.batch_dask import PipelinePreload

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=max(workers, 1), threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=40,
        )
        client = Client(cluster)
    try:
        client.register_plugin(PipelinePreload(settings), name="propscope-pipeline")
        slots = max(sum(client.nthreads().values()), 1)
        yield client.get_executor(pure=False), slots
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextmanager
def open_engine(
    engine: str, workers: int | None, settings: Settings, scheduler: str | None = None,
    threads_per_worker: int | None = None,
) -> Iterator[Engine]:
    """The engine named ``engine``. Each worker's model gets ``threads_per_worker``
    threads; by default the workers on this machine share its cores (one thread each when
    they fill it), and workers of a remote cluster keep ``settings.threads``."""
    count = (os.cpu_count() or 1) if workers is None else workers
    if threads_per_worker:
        settings = settings.with_options(threads=threads_per_worker)
    elif count > 0 and scheduler is None:
        settings = settings.with_options(threads=max(1, (os.cpu_count() or 1) // count))
    if engine == "local":
        with local_engine(count, settings) as (executor, slots):
            yield Engine(executor, slots, settings)
    elif engine == "dask":
        with dask_engine(count, settings, scheduler) as (executor, slots):
            yield Engine(executor, slots, settings)
    else:
        raise ValueError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
