"""propscope: how a news article tries to persuade, and what it claims."""

from __future__ import annotations

import os

# numpy's OpenBLAS starts a busy-waiting thread per core; beside onnxruntime's own threads
# they halve the model's speed (measured: 140 -> 70 ms per article on 2 cores), and the
# heads' small products gain nothing from them. Set before numpy loads; a value the user
# set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

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
