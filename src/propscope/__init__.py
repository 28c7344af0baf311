"""propscope: how a news article tries to persuade, and what it claims."""

from __future__ import annotations

__version__ = "0.1.0"

from propscope.api import analyse, analyze
from propscope.article import Article, Removed
from propscope.compare import Comparison, compare
from propscope.errors import (
    ExtractionFailed,
    FetchError,
    IngestError,
    ModelError,
    PropscopeError,
    StoreError,
)
from propscope.report import Report

__all__ = [
    "Article",
    "Comparison",
    "ExtractionFailed",
    "FetchError",
    "IngestError",
    "ModelError",
    "PropscopeError",
    "Removed",
    "Report",
    "StoreError",
    "__version__",
    "analyse",
    "analyze",
    "compare",
]
