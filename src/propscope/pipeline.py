"""Analysis components over a report, registered by versioned name.

A component is a callable ``Report -> Report`` with a ``name``; one that can
batch (a model) also offers ``pipe(reports)``. Built-ins register themselves
here exactly as a third party would, with ``@register("name.v1")``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Protocol, runtime_checkable

from propscope.article import Article
from propscope.report import Report
from propscope.settings import Settings


@runtime_checkable
class Component(Protocol):
    name: str

    def __call__(self, report: Report) -> Report: ...


class BatchComponent:
    """A component that works in batches: subclasses write ``pipe``; one report is a batch of one."""

    name = "batch"

    def __call__(self, report: Report) -> Report:
        return next(iter(self.pipe([report])))

    def pipe(self, reports: Iterable[Report]) -> Iterator[Report]:
        raise NotImplementedError


Factory = Callable[[Settings], Component]
_REGISTRY: dict[str, Factory] = {}

DEFAULT_COMPONENTS: tuple[str, ...] = ("techniques.v1", "entities.v2", "claims.v2", "summary.v1")


def register(name: str) -> Callable[[Factory], Factory]:
    """Register a component factory under a versioned name such as ``"claims.v1"``."""

    def decorator(factory: Factory) -> Factory:
        if name in _REGISTRY:
            raise ValueError(f"component {name!r} is already registered")
        _REGISTRY[name] = factory
        return factory

    return decorator


def registered() -> list[str]:
    _load_builtins()
    return sorted(_REGISTRY)


def _load_builtins() -> None:
    from propscope import components  # noqa: F401  (registers the built-ins)


class Pipeline:
    """Components run in order over each article's report."""

    def __init__(self, components: Sequence[Component]) -> None:
        self.components = list(components)

    @classmethod
    def from_names(cls, names: Iterable[str], settings: Settings | None = None) -> Pipeline:
        _load_builtins()
        settings = settings or Settings()
        unknown = [n for n in names if n not in _REGISTRY]
        if unknown:
            raise ValueError(f"unknown components {unknown}; registered: {sorted(_REGISTRY)}")
        return cls([_REGISTRY[name](settings) for name in names])

    def __call__(self, article: Article) -> Report:
        report = Report(article)
        for component in self.components:
            report = component(report)
        report.cache.clear()
        return report

    def pipe(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Report]:
        """Reports for many articles; batching components see a batch at a time."""
        iterator = iter(articles)
        while batch := list(islice(iterator, batch_size)):
            reports = [Report(article) for article in batch]
            for component in self.components:
                pipe = getattr(component, "pipe", None)
                reports = list(pipe(reports)) if pipe else [component(r) for r in reports]
            for report in reports:
                report.cache.clear()
            yield from reports
