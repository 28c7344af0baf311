"""The article: frozen text plus metadata. Findings point into ``text`` by offset."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Removed:
    """A block of page furniture taken out of the article, kept with the reason."""

    text: str
    reason: str


@dataclass(frozen=True)
class Article:
    """One article after ingest: body text and metadata.

    ``text`` is final once the article is built; every finding of every analysis
    component is a ``(start, end)`` character range into it (end exclusive).
    """

    source: str
    text: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO 8601 date
    language: str | None = None
    url: str | None = None
    removed: tuple[Removed, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["removed"] = [asdict(r) for r in self.removed]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        fields: dict[str, Any] = {k: data.get(k) for k in cls.__dataclass_fields__ if k != "removed"}
        removed = tuple(Removed(r["text"], r["reason"]) for r in data.get("removed") or ())
        return cls(**fields, removed=removed)
