"""What a batch worker does with a chunk of items: ingest, hash, analyse, serialise.

The pipeline is built once per worker process (``default_pipeline`` caches it by settings);
``init_worker`` builds it eagerly so the first chunk does not pay for loading the models.
Nothing here raises for a bad item: each one ends as a ``Done``, a ``Failed`` or, for a copy
of an article already in the same chunk, a ``Done`` with ``duplicate_of`` set.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import signal
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from propscope.article import Article
from propscope.batch_inputs import Item
from propscope.errors import PropscopeError
from propscope.pipeline import Pipeline
from propscope.settings import Settings

_SPACES = re.compile(r"\s+")


@dataclass
class Done:
    key: str
    content_hash: str
    report: dict[str, Any] | None
    duplicate_of: str | None = None


@dataclass
class Failed:
    key: str
    reason: str
    code: str


@dataclass
class ChunkResult:
    chunk: int
    done: list[Done] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)
    seconds: float = 0.0
    pid: int = 0
    peak_rss_mb: float = 0.0
    pipelines: int = 0  # pipelines (sets of loaded models) this worker holds


def content_hash(text: str) -> str:
    """sha256 of the text after NFKC, case folding and whitespace collapsing."""
    normal = _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def worker_pipeline(settings: Settings) -> Pipeline:
    from propscope.api import default_pipeline

    return default_pipeline(settings)


def init_worker(settings: Settings) -> None:
    """Process-pool initializer: Ctrl-C is the parent's to handle; load the models now."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    worker_pipeline(settings)


def peak_rss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def build_article(item: Item, settings: Settings) -> Article:
    from propscope import ingest

    if item.kind == "error":
        raise PropscopeError(str(item.payload), source=item.key)
    if item.kind in ("path", "url"):
        article = ingest.read_source(str(item.payload), settings)
    elif item.kind == "html":
        article = ingest.read_html(item.payload, item.key, settings, url=item.url)
    else:
        text = item.payload if isinstance(item.payload, str) else item.payload.decode("utf-8", "replace")
        article = ingest.read_text(text, item.key, settings, url=item.url)
    changes: dict[str, Any] = {"source": item.key}
    if item.kind == "url":
        changes["url"] = article.url or str(item.payload)
    for name in ("title", "outlet", "published"):
        if item.meta.get(name):
            changes[name] = item.meta[name]
    return dataclasses.replace(article, **changes)


def _reason(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, PropscopeError):
        return " ".join(exc.message.split()), exc.code
    return f"internal error: {type(exc).__name__}: {exc}", "internal"


def analyse_chunk(chunk: int, items: list[Item], settings: Settings, batch_size: int = 16) -> ChunkResult:
    """Ingest and analyse ``items``; every item comes back exactly once."""
    started = time.perf_counter()
    result = ChunkResult(chunk, pid=os.getpid())
    articles: list[Article] = []
    hashes: dict[str, str] = {}
    for item in items:
        try:
            article = build_article(item, settings)
        except Exception as exc:
            result.failed.append(Failed(item.key, *_reason(exc)))
            continue
        digest = content_hash(article.text)
        if digest in hashes:
            result.done.append(Done(item.key, digest, None, duplicate_of=hashes[digest]))
            continue
        hashes[digest] = item.key
        articles.append(article)
    result.done.extend(_analyse(articles, settings, batch_size, result.failed))
    result.seconds = time.perf_counter() - started
    result.peak_rss_mb = peak_rss_mb()
    result.pipelines = _pipelines_held()
    return result


def _pipelines_held() -> int:
    from propscope.api import default_pipeline

    return default_pipeline.cache_info().currsize


def _analyse(articles: list[Article], settings: Settings, batch_size: int, failed: list[Failed]) -> list[Done]:
    """Reports for ``articles`` in batches; a batch that fails is retried one article at a time."""
    pipeline = worker_pipeline(settings)
    try:
        reports = list(pipeline.pipe(articles, batch_size=batch_size))
        return [Done(r.article.source, content_hash(r.article.text), r.to_dict()) for r in reports]
    except Exception:
        pass
    done: list[Done] = []
    for article in articles:
        try:
            report = pipeline(article)
        except Exception as exc:
            failed.append(Failed(article.source, *_reason(exc)))
            continue
        done.append(Done(article.source, content_hash(article.text), report.to_dict()))
    return done
