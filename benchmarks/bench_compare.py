"""Speed of ``propscope compare``: 10 articles after the models are loaded, and a folder of
1,000 articles made from the invented test-set texts (names varied per copy).

Prints figures; asserts nothing.  Run: .venv/bin/python benchmarks/bench_compare.py [N]
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from pathlib import Path

from propscope.compare import compare_pipeline, compare_reports, default_encoder
from propscope.settings import Settings

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "compare"
SUFFIXES = ["", "ar", "ine", "ton", "vik", "ey", "holm", "dal", "sen", "mor", "ack", "ude"]


def texts() -> list[tuple[str, str]]:
    """(title, text) of every article of the test set, dev part first."""
    out = []
    for name in ("dev", "heldout"):
        for line in (DATA / f"{name}.jsonl").read_text("utf-8").splitlines():
            out += [(a["title"], a["text"]) for a in json.loads(line)["articles"]]
    return out


def proper_names(corpus: list[tuple[str, str]]) -> list[str]:
    """Capitalised words that are not sentence-initial: the invented names."""
    found: set[str] = set()
    for _, text in corpus:
        found |= set(re.findall(r"(?<=[a-z,] )([A-Z][a-z]{3,})", text))
    return sorted(found)


def variant(text: str, names: list[str], copy: int) -> str:
    suffix = SUFFIXES[copy % len(SUFFIXES)]
    if not suffix:
        return text
    return re.sub(r"\b(" + "|".join(names) + r")\b", lambda m: m.group() + suffix, text)


def make_folder(folder: Path, n: int) -> None:
    corpus = texts()
    names = proper_names(corpus)
    for k in range(n):
        title, text = corpus[k % len(corpus)]
        copy = k // len(corpus)
        slug = re.sub(r"\W+", "-", title.lower()).strip("-")
        (folder / f"{k:04d}-{slug}-v{copy}.txt").write_text(f"{variant(text, names, copy)}\n", encoding="utf-8")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    settings = Settings()
    started = time.perf_counter()
    pipeline = compare_pipeline(settings)
    encoder = default_encoder(settings)
    print(f"models loaded in {time.perf_counter() - started:.2f} s")

    from propscope.article import Article

    ten = [Article(source=f"s{i}.txt", text=text, title=title) for i, (title, text) in enumerate(texts()[:10])]
    compare_reports(list(pipeline.pipe(ten[:2])), encoder)  # warm-up
    started = time.perf_counter()
    reports = list(pipeline.pipe(ten))
    analysed = time.perf_counter() - started
    comparison = compare_reports(reports, encoder)
    total = time.perf_counter() - started
    print(f"10 articles: analysis {analysed:.2f} s, comparison {total - analysed:.2f} s, total {total:.2f} s "
          f"(target <= 3 s); {len(comparison.groups)} stories, {comparison.count('contradicts')} contradictions")

    import propscope.cli  # registers the commands; importing cli_compare first is circular
    from propscope.cli_compare import analyse_all, read_all

    del propscope.cli

    with tempfile.TemporaryDirectory() as tmp:
        make_folder(Path(tmp), n)
        started = time.perf_counter()
        articles, _ = read_all([tmp], settings)
        read = time.perf_counter() - started
        reports, _ = analyse_all(articles, settings)
        analysed = time.perf_counter() - started
        comparison = compare_reports(reports, encoder)
        total = time.perf_counter() - started
    sizes = sorted((len(g["articles"]) for g in comparison.groups), reverse=True)
    print(f"{n} articles: read {read:.1f} s, analysis {analysed - read:.1f} s, comparison {total - analysed:.1f} s, "
          f"total {total:.1f} s ({total / n * 1000:.0f} ms/article)")
    print(f"  {len(comparison.groups)} story groups (largest {sizes[:5]}), "
          f"{sum(1 for a in comparison.articles if a['duplicate_of'] is not None)} duplicates, "
          f"{comparison.count('contradicts')} contradictions, {comparison.count('agrees')} agreements")


if __name__ == "__main__":
    main()
