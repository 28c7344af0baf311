"""Batch throughput: articles/s with 1 and 2 workers (local and dask), scaling, RSS per worker.

    .venv/bin/python benchmarks/bench_batch.py [--articles 1200] [--chunk-size 32]

Input: the PTC dev articles (../shared/datasets/ptc/dev-articles) when present, else
examples/, repeated to ``--articles`` with a copy number appended to each so none is
deduplicated away. Throughput is measured between the first and the last committed chunk,
so pool or cluster start-up and model loading are left out (reported separately as
start-up). Worker time is the seconds workers spent in chunks (ingest + pipeline) per
article; times the worker's model threads it is the core time per article, the cost the
10-million estimate uses. Peak RSS is each worker process's
ru_maxrss. The default pipeline is used, whatever components it has at the time. Prints
figures and an estimate for 10 million articles; makes no assertions.

Scaling is measured with one model thread per worker (``--threads-per-worker 1``), so that
two workers do twice the work of one on two cores; one worker with every core's threads is
measured too, for comparison (what ``--workers 1`` gets by default).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from propscope.batch import BatchConfig, BatchSummary, Hooks, run_batch
from propscope.pipeline import DEFAULT_COMPONENTS

ROOT = Path(__file__).resolve().parent.parent
PTC = ROOT.parent / "shared" / "datasets" / "ptc" / "dev-articles"
TARGET = 10_000_000


def corpus(count: int, folder: Path) -> Path:
    source = PTC if PTC.is_dir() else ROOT / "examples"
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(source.glob("*.txt"))]
    path = folder / "articles.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            text = f"{texts[n % len(texts)].rstrip()}\n\nCopy {n // len(texts)}."
            handle.write(json.dumps({"id": str(n), "text": text}) + "\n")
    print(f"input: {count} articles from {source} ({len(texts)} distinct texts, repeated)")
    return path


def measure(engine: str, workers: int, threads: int, data: Path,
            chunk_size: int) -> tuple[BatchSummary, float, float]:
    """Summary, articles/s in steady state, and seconds to the first commit."""
    commits: list[tuple[float, int]] = []
    done = [0]

    with tempfile.TemporaryDirectory() as tmp:
        config = BatchConfig((str(data),), Path(tmp) / "out.jsonl", engine=engine, workers=workers,
                             threads_per_worker=threads, chunk_size=chunk_size, progress=False)
        started = time.perf_counter()

        def after_commit(chunk: int) -> None:
            done[0] += chunk_size
            commits.append((time.perf_counter(), done[0]))

        summary = run_batch(config, Hooks(after_commit=after_commit))
    (first_at, first_done), (last_at, last_done) = commits[0], commits[-1]
    rate = (last_done - first_done) / (last_at - first_at) if last_at > first_at else 0.0
    return summary, rate, first_at - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1200)
    parser.add_argument("--chunk-size", type=int, default=32)
    parser.add_argument("--engines", default="local,dask")
    args = parser.parse_args()
    print(f"pipeline: {', '.join(DEFAULT_COMPONENTS)}")
    results: dict[tuple[str, int, int], float] = {}
    cores = os.cpu_count() or 1
    busy_core_ms: list[float] = []
    writer_ms: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = corpus(args.articles, Path(tmp))
        for engine in args.engines.split(","):
            for workers, threads in ((1, 1), (2, 1), (1, cores)):
                summary, rate, startup = measure(engine, workers, threads, data, args.chunk_size)
                results[(engine, workers, threads)] = rate
                rss = ", ".join(f"{w.peak_rss_mb:.0f}" for w in summary.workers.values())
                busy = sum(w.seconds for w in summary.workers.values()) * 1000 / max(summary.analysed, 1)
                busy_core_ms.append(busy * threads)
                writer_ms.append(summary.commit_seconds * 1000 / max(summary.analysed, 1))
                print(f"{engine:5} workers={workers} threads/worker={threads}: {rate:7.1f} articles/s steady, "
                      f"{summary.rate:7.1f} end to end, start-up {startup:4.1f} s, "
                      f"peak RSS per worker MB [{rss}], worker time {busy:.1f} ms/article, "
                      f"writer {writer_ms[-1]:.2f} ms/article")
    for engine in args.engines.split(","):
        one, two, every = results[(engine, 1, 1)], results[(engine, 2, 1)], results[(engine, 1, cores)]
        if one and every:
            print(f"{engine}: scaling 1 -> 2 workers (1 thread each): x{two / one:.2f}; "
                  f"2 workers vs 1 worker with {cores} threads: x{two / every:.2f}")
        else:
            print(f"{engine}: no rate")
    core_ms = min(busy_core_ms)
    core_hours = TARGET * core_ms / 1000 / 3600
    print(f"cost: {core_ms:.1f} ms of core time per article (worker time x model threads, ingest + pipeline, "
          f"least of the runs) -> {core_hours:,.1f} core-hours for {TARGET:,} articles")
    for hours in (1, 8, 24):
        print(f"  in {hours:2} h: {core_hours / hours:,.1f} cores (one single-threaded worker each)")
    writer = min(writer_ms)
    print(f"one writer (the main process) commits {writer:.2f} ms/article: at most {1000 / writer:,.0f} "
          f"articles/s, {TARGET * writer / 1000 / 3600:,.1f} h for {TARGET:,} articles however many workers")

if __name__ == "__main__":
    main()
