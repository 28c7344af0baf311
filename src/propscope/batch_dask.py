"""The Dask worker plugin that loads the pipeline once, when a worker starts (imports distributed)."""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from propscope.batch_work import worker_pipeline
from propscope.settings import Settings


class PipelinePreload(WorkerPlugin):
    """Build the default pipeline for ``settings`` on every worker, now and on new workers."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def setup(self, worker: Any) -> None:
        worker_pipeline(self.settings)
