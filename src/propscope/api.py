"""The library entry points."""

from __future__ import annotations

import os
from functools import lru_cache

from propscope.article import Article
from propscope.ingest import read_source
from propscope.pipeline import DEFAULT_COMPONENTS, Pipeline
from propscope.report import Report
from propscope.settings import Settings


@lru_cache(maxsize=4)
def default_pipeline(settings: Settings | None = None) -> Pipeline:
    """The default components, built once per settings (models load once)."""
    return Pipeline.from_names(DEFAULT_COMPONENTS, settings)


def analyze(
    source: str | os.PathLike[str] | Article,
    *,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
) -> Report:
    """Analyse one article: a path, ``-``, an http(s) URL or an ``Article``.

    Pasted text: ``analyze(propscope.ingest.read_text(text))``.
    """
    settings = settings or Settings()
    article = source if isinstance(source, Article) else read_source(os.fspath(source), settings)
    return (pipeline or default_pipeline(settings))(article)


analyse = analyze
