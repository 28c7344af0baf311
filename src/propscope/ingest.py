"""Sources in, articles out: files, folders, stdin, URLs, pasted text and HTML.

Every failure is an ``IngestError`` that names its source; the caller decides
whether to stop or go on with the other sources.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

from propscope.article import Article, Removed
from propscope.errors import ExtractionFailed, IngestError
from propscope.fetch import fetch
from propscope.furniture import clean_plain_text, furniture_reason, metadata_reason
from propscope.language import guess_language
from propscope.settings import Settings

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
_LAYOUT_TAGS = {"nav": "navigation", "header": "page header", "footer": "page footer",
                "aside": "sidebar", "form": "form"}
_HTML_SNIFF = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body|<meta|<div|<p[\s>])", re.I)


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def expand_sources(sources: list[str]) -> Iterator[str]:
    """Each source as given, with folders replaced by the articles inside them."""
    for source in sources:
        if source != "-" and not is_url(source) and Path(source).is_dir():
            found = False
            for root, _dirs, files in sorted(os.walk(source)):
                for name in sorted(files):
                    if name.lower().endswith(ARTICLE_SUFFIXES):
                        found = True
                        yield str(Path(root) / name)
            if not found:
                yield source  # read_source reports the empty folder
        else:
            yield source


def read_source(source: str, settings: Settings | None = None) -> Article:
    """One article from a path, ``-`` (stdin) or an http(s) URL."""
    settings = settings or Settings()
    if is_url(source):
        page = fetch(source, settings)
        if page.content_type.startswith(("text/plain", "text/markdown")):
            return read_text(_decode(page.content, source, settings), source, settings, url=page.url)
        return read_html(page.content, source, settings, url=page.url)
    if source == "-":
        data = sys.stdin.buffer.read(settings.max_file_bytes + 1)
        _check_bytes(data, "<stdin>", settings)
        if _HTML_SNIFF.match(data[:2048]):
            return read_html(data, "<stdin>", settings)
        return read_text(_decode(data, "<stdin>", settings), "<stdin>", settings)
    path = Path(source)
    if path.is_dir():
        raise IngestError(f"no {', '.join(ARTICLE_SUFFIXES)} files in this folder", source=source)
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            raise IngestError(
                f"file is {size / 1e6:.1f} MB, over the {settings.max_file_bytes / 1e6:g} MB limit",
                source=source,
            )
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}", source=source) from None
    _check_bytes(data, source, settings)
    if path.suffix.lower() in HTML_SUFFIXES or _HTML_SNIFF.match(data[:2048]):
        return read_html(data, source, settings)
    return read_text(_decode(data, source, settings), source, settings)


def _check_bytes(data: bytes, source: str, settings: Settings) -> None:
    if len(data) > settings.max_file_bytes:
        raise IngestError(f"input is over the {settings.max_file_bytes / 1e6:g} MB limit", source=source)
    if not data.strip():
        raise IngestError("empty input: no text to analyse", source=source)
    head = data[:8192]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > len(head) * 0.05:
        raise IngestError("binary file, not text or HTML", source=source)


def _decode(data: bytes, source: str, settings: Settings) -> str:
    encoding = settings.encoding or "utf-8-sig"
    try:
        return data.decode(encoding)
    except LookupError:
        raise IngestError(f"unknown encoding {settings.encoding!r}", source=source) from None
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise IngestError(
            f"not valid {encoding.removesuffix('-sig').upper()} (byte 0x{bad} at offset {exc.start}); "
            "if it is Latin-1 text, pass --encoding latin-1",
            source=source,
        ) from None


def _normalise(text: str) -> str:
    """Line ends to LF, no BOM, no NUL; done before the text is frozen."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return text.replace("\x00", "")


def read_text(
    text: str, source: str = "<text>", settings: Settings | None = None, *, url: str | None = None
) -> Article:
    """An article from plain text: furniture removed, metadata read."""
    settings = settings or Settings()
    text = _normalise(text)
    if not text.strip():
        raise IngestError("empty input: no text to analyse", source=source)
    page = clean_plain_text(text, keep_furniture=settings.keep_furniture)
    body = page.text
    if not body.strip():
        raise ExtractionFailed("only page furniture, no article text", source=source)
    return Article(
        source=source,
        text=body,
        title=page.title,
        author=page.author,
        outlet=page.outlet or _host(url),
        published=page.published,
        language=guess_language(body),
        url=url,
        removed=tuple(page.removed),
    )


def read_html(
    html: bytes | str, source: str = "<html>", settings: Settings | None = None, *,
    url: str | None = None,
) -> Article:
    """An article from an HTML page through trafilatura, then plain-text cleaning."""
    settings = settings or Settings()
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False,
            include_tables=True, include_images=False, include_links=False,
        )
    except (ValueError, etree.LxmlError) as exc:
        raise ExtractionFailed(f"cannot parse HTML: {exc}", source=source) from None
    if doc is None or isinstance(doc, dict) or not (doc.text or "").strip():
        raise ExtractionFailed("no article text found in the HTML page", source=source)
    paragraphs = "\n\n".join(line for line in _normalise(doc.text or "").split("\n") if line.strip())
    title = (doc.title or "").strip() or None
    if title and not paragraphs.startswith(title):
        paragraphs = f"{title}\n\n{paragraphs}"
    page = clean_plain_text(paragraphs, keep_furniture=settings.keep_furniture)
    if not page.text.strip():
        raise ExtractionFailed("only page furniture, no article text", source=source)
    removed = _dropped_blocks(html, page.text) + page.removed
    return Article(
        source=source,
        text=page.text,
        title=title or page.title,
        author=(doc.author or "").strip() or page.author,
        outlet=(doc.sitename or "").strip() or page.outlet or _host(url or doc.url),
        published=(doc.date or "")[:10] or page.published,
        language=guess_language(page.text),
        url=url or doc.url,
        removed=tuple(removed),
    )


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


_BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "blockquote", "figcaption",
               "button", "a", "div", "span", "section", "aside", "footer", "header", "nav")


def _dropped_blocks(html: bytes | str, kept: str) -> list[Removed]:
    """Visible text blocks of the page that extraction left out, with a reason."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, etree.LxmlError):
        return []
    for bad in tree.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    kept_words = " ".join(kept.split())
    removed: list[Removed] = []
    seen: set[str] = set()
    for element in tree.iter(*_BLOCK_TAGS):
        if any(child.tag in _BLOCK_TAGS for child in element.iterchildren()) and element.tag in (
            "div", "section", "aside", "footer", "header", "nav", "span", "a"
        ):
            if element.text and element.text.strip():
                text = " ".join(element.text.split())
            else:
                continue
        else:
            text = " ".join(element.text_content().split())
        if not text or text in seen or text in kept_words:
            continue
        if any(text in other for other in seen):
            continue
        seen.add(text)
        removed.append(Removed(text, _layout_reason(element, text)))
    return removed


def _layout_reason(element: lxml.html.HtmlElement, text: str) -> str:
    reason = furniture_reason(text) or metadata_reason(text)
    if reason:
        return reason
    for ancestor in element.iterancestors():
        tag = str(ancestor.tag)
        if tag in _LAYOUT_TAGS:
            return _LAYOUT_TAGS[tag]
        classes = f"{ancestor.get('class', '')} {ancestor.get('id', '')}".lower()
        if "related" in classes:
            return "related links"
        if "share" in classes or "social" in classes:
            return "share appeal"
        if "cookie" in classes or "consent" in classes:
            return "cookie notice"
    return "left out by extraction (not article text)"
