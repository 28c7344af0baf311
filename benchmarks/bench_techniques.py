"""Speed and quality of the technique model on the PTC dev split; prints figures only.

Run from the repository root with the package installed (or ``PYTHONPATH=src``)::

    python benchmarks/bench_techniques.py [PTC_DIR] [--runs N]

PTC_DIR defaults to ../shared/datasets/ptc next to the repository. Reported: model load
time, SI F1, TC micro-F1 (techniques predicted on the gold spans), articles per second over
every dev article, the median single-article latency after loading, peak RSS and, when
``propscope.analyze`` exists, the end-to-end time of analysing one article.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from propscope.cli_research import predict_spans, predict_techniques
from propscope.errors import PropscopeError
from propscope.model import PropscopeModel
from propscope.ptc import read_articles, read_si_labels, read_tc_labels, score_si, score_tc

DEFAULT_PTC = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "ptc"


def _seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _median_seconds(action: Callable[[], object], runs: int) -> float:
    return statistics.median(_seconds(action) for _ in range(runs))


def _peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _report(name: str, value: float, unit: str = "") -> None:
    figure = f"{value:>10d}" if isinstance(value, int) else f"{value:>10.4f}"
    print(f"{name:<40} {figure} {unit}".rstrip())


def _median_length_article(articles: dict[str, str]) -> tuple[str, str]:
    ordered = sorted(articles.items(), key=lambda item: len(item[1]))
    return ordered[len(ordered) // 2]


def _bench_analyze(article_path: Path, runs: int) -> None:
    try:
        from propscope import analyze
    except ImportError:
        print(f"{'analyze end to end':<40} skipped (propscope.analyze not available)")
        return
    try:
        _report("analyze first call", _seconds(lambda: analyze(article_path)), "s")
        _report("analyze median after first", _median_seconds(lambda: analyze(article_path), runs), "s")
    except PropscopeError as err:
        print(f"{'analyze end to end':<40} failed: {err.one_line()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ptc_dir", nargs="?", type=Path, default=DEFAULT_PTC)
    parser.add_argument("--runs", type=int, default=5, help="runs per latency median")
    args = parser.parse_args(argv)
    ptc_dir: Path = args.ptc_dir

    articles = read_articles(ptc_dir / "dev-articles")
    gold_si = read_si_labels(ptc_dir / "dev-labels-task-si")
    gold_tc = read_tc_labels(ptc_dir / "dev-labels-task-flc-tc")

    start = time.perf_counter()
    model = PropscopeModel.load()
    _report("model load", time.perf_counter() - start, "s")

    start = time.perf_counter()
    pred_si = predict_spans(model, articles)
    all_articles_s = time.perf_counter() - start
    template = [(article_id, s, e) for article_id, _, s, e in gold_tc]
    pred_tc = predict_techniques(model, articles, template)

    _report("dev articles", len(articles))
    _report("SI F1", score_si(gold_si, pred_si).f1)
    _report("TC micro-F1 (gold spans)", score_tc(gold_tc, pred_tc).f1)
    _report("articles per second (SI, all dev)", len(articles) / all_articles_s, "articles/s")

    article_id, text = _median_length_article(articles)
    latency = _median_seconds(lambda: model.techniques([text]), args.runs)
    _report(f"single article latency, median of {args.runs}", latency, f"s ({len(text)} chars)")

    _report("peak RSS (model)", _peak_rss_mib(), "MiB")

    _bench_analyze(ptc_dir / "dev-articles" / f"article{article_id}.txt", args.runs)
    _report("peak RSS (whole run)", _peak_rss_mib(), "MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
