"""The report: plain, JSON-serialisable data about one article.

Every renderer (terminal, HTML, JSON) is a function of a ``Report``; none runs
analysis again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from propscope import __version__
from propscope.article import Article

SCHEMA = "propscope.report/1"


@dataclass
class Report:
    """An article and what the analysis components found in it.

    Findings are dicts with ``start``/``end`` offsets into ``article.text``.
    """

    article: Article
    techniques: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: Transient per-run data components hand on to later components (the shared encoder pass);
    #: never serialised, never pickled, emptied when the report leaves a ``Pipeline``.
    cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["cache"] = {}
        return state

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "propscope": __version__,
            "article": self.article.to_dict(),
            "techniques": self.techniques,
            "claims": self.claims,
            "entities": self.entities,
            "summary": self.summary,
            "models": self.models,
            "warnings": self.warnings,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls(
            article=Article.from_dict(data["article"]),
            techniques=list(data.get("techniques", [])),
            claims=list(data.get("claims", [])),
            entities=list(data.get("entities", [])),
            summary=dict(data.get("summary", {})),
            models=dict(data.get("models", {})),
            warnings=list(data.get("warnings", [])),
        )


@cache
def load_schema(name: str = "report") -> dict[str, Any]:
    """A shipped JSON Schema (``report`` or ``comparison``)."""
    text = resources.files("propscope").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate(data: dict[str, Any], name: str = "report") -> None:
    """Raise ``jsonschema.ValidationError`` unless ``data`` matches the schema."""
    import jsonschema

    jsonschema.validate(data, load_schema(name))
