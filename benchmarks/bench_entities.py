"""Milliseconds per article for entity extraction and claim parts (times, quantities).

Reads ``/work/shared/datasets/ptc/dev-articles/*.txt`` when present, else ``examples/`` in
the repository (``*.txt``, ``*.md``, ``*.html``). Prints figures; asserts nothing.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_entities.py [--limit N] [--repeat R] [DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from propscope.claimparts import find_quantities, find_times
from propscope.entities import extract_entities, load_nlp

DEFAULT_DIRS = (
    Path("/work/shared/datasets/ptc/dev-articles"),
    Path(__file__).resolve().parent.parent / "examples",
)


def _texts(folder: Path | None, limit: int) -> tuple[Path | None, list[str]]:
    folders = [folder] if folder else [d for d in DEFAULT_DIRS if d.is_dir()]
    for d in folders:
        files = sorted(p for p in d.rglob("*") if p.suffix in (".txt", ".md", ".html") and p.is_file())
        texts = [p.read_text(encoding="utf-8", errors="replace") for p in files[:limit]]
        texts = [t for t in texts if t.strip()]
        if texts:
            return d, texts
    return None, []


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"mean {statistics.fmean(samples):7.2f}  median {statistics.median(samples):7.2f}  p90 {p90:7.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=200, help="at most this many articles")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the articles")
    args = parser.parse_args(argv)

    folder, texts = _texts(args.folder, args.limit)
    if not texts:
        print("no articles found", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    nlp = load_nlp()
    load_s = time.perf_counter() - t0
    extract_entities("Warm-up: Qassem Soleimani met officials in Baghdad.", nlp=nlp)

    published = date(2019, 6, 1)
    ent_ms: list[float] = []
    time_ms: list[float] = []
    qty_ms: list[float] = []
    counts = [0, 0, 0]
    for _ in range(args.repeat):
        for text in texts:
            t = time.perf_counter()
            ents = extract_entities(text, nlp=nlp)
            ent_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            times = find_times(text, published=published)
            time_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            quantities = find_quantities(text, times=times)
            qty_ms.append((time.perf_counter() - t) * 1000)
            counts[0] += len(ents)
            counts[1] += len(times)
            counts[2] += len(quantities)

    words = sum(len(t.split()) for t in texts) / len(texts)
    total = [a + b + c for a, b, c in zip(ent_ms, time_ms, qty_ms, strict=True)]
    print(f"{len(texts)} articles from {folder}, {words:.0f} words on average; model load {load_s:.2f} s")
    print(f"extract_entities  ms/article: {_ms(ent_ms)}")
    print(f"find_times        ms/article: {_ms(time_ms)}")
    print(f"find_quantities   ms/article: {_ms(qty_ms)}  (given the times found)")
    print(f"all three         ms/article: {_ms(total)}")
    runs = args.repeat * len(texts)
    print(
        f"per article: {counts[0] / runs:.1f} entities, {counts[1] / runs:.1f} times, {counts[2] / runs:.1f} quantities"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
