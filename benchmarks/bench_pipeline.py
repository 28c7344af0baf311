"""End-to-end cost of `propscope analyze` and the share of each component; prints figures only.

    python benchmarks/bench_pipeline.py [ARTICLES_DIR] [--limit N] [--threads T] [--components A,B,...]

ARTICLES_DIR defaults to the PTC dev articles in ../shared (else examples/). Reported:
pipeline load time; milliseconds per article for ingest and for each component; the cost of
claims and entities on top of the technique model (the claims issue asks for <= 20%);
articles per second end to end, one article at a time and in batches through
``Pipeline.pipe``; peak RSS of this process. ``--components`` measures another pipeline (e.g.
``techniques.v1,entities.v1,claims.v1,summary.v1`` for spaCy entities and isolated claims);
every ``entities.*`` and ``claims.*`` component counts as "claims + entities".
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from propscope.ingest import expand_sources, read_source
from propscope.pipeline import DEFAULT_COMPONENTS, Pipeline
from propscope.report import Report
from propscope.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PTC_DEV = ROOT.parent / "shared" / "datasets" / "ptc" / "dev-articles"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("articles", nargs="?", type=Path,
                        default=PTC_DEV if PTC_DEV.is_dir() else ROOT / "examples")
    parser.add_argument("--limit", type=int, default=0, help="Use the first N articles only.")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--components", default=",".join(DEFAULT_COMPONENTS),
                        help="Comma-separated component names (default: the default pipeline).")
    args = parser.parse_args()
    settings = Settings(threads=args.threads)

    sources = list(expand_sources([str(args.articles)]))
    if args.limit:
        sources = sources[: args.limit]
    start = time.perf_counter()
    articles = [read_source(s, settings) for s in sources]
    ingest_ms = (time.perf_counter() - start) * 1000 / len(articles)

    start = time.perf_counter()
    pipeline = Pipeline.from_names([c.strip() for c in args.components.split(",") if c.strip()], settings)
    load_s = time.perf_counter() - start

    spent = {c.name: 0.0 for c in pipeline.components}
    start = time.perf_counter()
    for article in articles:
        report = Report(article)
        for component in pipeline.components:
            t = time.perf_counter()
            report = component(report)
            spent[component.name] += time.perf_counter() - t
        report.cache.clear()
    single_s = time.perf_counter() - start

    start = time.perf_counter()
    for _ in pipeline.pipe(articles, batch_size=8):
        pass
    batched_s = time.perf_counter() - start

    n = len(articles)
    chars = sum(len(a.text) for a in articles) / n
    print(f"articles                                {n:>10d}   (mean {chars:,.0f} characters)")
    print(f"pipeline load                           {load_s:>10.2f} s")
    print(f"ingest                                  {ingest_ms:>10.1f} ms/article")
    for name, seconds in spent.items():
        print(f"{name:<40}{seconds * 1000 / n:>10.1f} ms/article")
    technique_s = spent.get("techniques.v1", 0.0)
    extra_s = sum(s for name, s in spent.items() if name.startswith(("claims.", "entities.")))
    if technique_s:
        print(f"claims + entities on top of techniques  {extra_s / technique_s * 100:>10.1f} %")
        print(f"  as a share of end-to-end time         {extra_s / single_s * 100:>10.1f} %")
    print(f"end to end, one at a time               {n / single_s:>10.2f} articles/s")
    print(f"end to end, Pipeline.pipe(batch 8)      {n / batched_s:>10.2f} articles/s")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS                                {peak_mib:>10.0f} MiB")


if __name__ == "__main__":
    main()
