"""What the web server does with an input: build the article, analyse it once, store it."""

from __future__ import annotations

import dataclasses
import types
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

import propscope
from propscope.article import Article
from propscope.errors import IngestError
from propscope.ingest import is_url, read_html, read_source, read_text
from propscope.pipeline import Pipeline
from propscope.report import Report
from propscope.settings import Settings
from propscope.store import Store, Stored

UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".htm")


class Item(BaseModel):
    """One article to analyse: exactly one of ``text``, ``html`` or ``url``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    text: str | None = Field(default=None, description="Plain article text.", examples=["Pasted article text ..."])
    html: str | None = Field(default=None, description="An HTML page holding the article.")
    url: str | None = Field(default=None, description="An http(s) URL to fetch (public addresses only by default).")
    source: str | None = Field(default=None, max_length=2000, description="A name for the input, shown in the report.")
    title: str | None = Field(default=None, max_length=2000, description="A title to use instead of the one found.")

    @model_validator(mode="after")
    def _exactly_one_input(self) -> Item:
        given = [name for name in ("text", "html", "url") if getattr(self, name) is not None]
        if len(given) != 1:
            found = ", ".join(repr(name) for name in given) or "none"
            raise ValueError(f"give exactly one of 'text', 'html' or 'url' (got {found})")
        return self


class CompareRequest(BaseModel):
    """Several articles on one story."""

    model_config = ConfigDict(extra="forbid", strict=True)

    items: list[Item] = Field(min_length=2, max_length=10, description="Two to ten articles.")


def component_versions(pipeline: Pipeline) -> dict[str, str]:
    """Each component's name with the model behind it, where it has one."""
    versions: dict[str, str] = {}
    for component in pipeline.components:
        model = getattr(component, "model", None)
        name, version = getattr(model, "name", None), getattr(model, "version", None)
        versions[component.name] = f"{name}/{version}" if name and version else component.name
    return versions


class Service:
    """Articles in, stored reports out; shared by the API and the pages."""

    def __init__(self, store: Store, settings: Settings, pipeline: Pipeline) -> None:
        self.store = store
        self.settings = settings
        self.pipeline = pipeline
        self.models = component_versions(pipeline)
        parts = [f"propscope={propscope.__version__}", *(f"{k}={v}" for k, v in sorted(self.models.items()))]
        self.model_version = ";".join(parts)

    def article(self, item: Item) -> Article:
        if item.text is not None:
            article = read_text(item.text, item.source or "<text>", self.settings)
        elif item.html is not None:
            article = read_html(item.html, item.source or "<html>", self.settings)
        else:
            url = (item.url or "").strip()
            if not is_url(url):
                raise IngestError("only http:// and https:// URLs can be fetched", source=url or "<url>")
            article = read_source(url, self.settings)
        if item.title:
            article = dataclasses.replace(article, title=item.title)
        return article

    def upload(self, name: str, data: bytes) -> Article:
        """An article from an uploaded file, read by its name and first bytes."""
        source = name or "<upload>"
        if not data.strip():
            raise IngestError("empty file: no text to analyse", source=source)
        if b"\x00" in data[:8192]:
            raise IngestError("binary file, not text or HTML", source=source)
        lower = source.lower()
        if not lower.endswith(UPLOAD_SUFFIXES) and "." in lower.rsplit("/", 1)[-1]:
            raise IngestError(f"unsupported file type; upload {', '.join(UPLOAD_SUFFIXES)} files", source=source)
        if lower.endswith((".html", ".htm")) or data.lstrip()[:1] == b"<":
            return read_html(data, source, self.settings)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise IngestError(f"not valid UTF-8 (byte at offset {exc.start})", source=source) from None
        return read_text(text, source, self.settings)

    def analyze(self, article: Article) -> Stored:
        return self.store.get_or_analyze(article, self.pipeline, self.model_version)

    def compare(self, stored: list[Stored]) -> dict[str, Any] | None:
        """The comparison of several reports, once ``propscope.compare`` exists; else None."""
        compare = getattr(propscope, "compare", None)
        if isinstance(compare, types.ModuleType):  # the module rather than the function
            compare = getattr(compare, "compare", None)
        if not callable(compare):
            return None
        result = compare([Report.from_dict(s.report) for s in stored])
        to_dict = getattr(result, "to_dict", None)
        data: dict[str, Any] = to_dict() if callable(to_dict) else dict(result)
        return data


def with_id(stored: Stored) -> dict[str, Any]:
    """The report JSON of the CLI plus the analysis id."""
    return {**stored.report, "id": stored.id}
