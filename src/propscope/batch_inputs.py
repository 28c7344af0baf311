"""Batch inputs: folders, JSONL and CSV tables, WARC files, single files and URLs as work items.

Reading here is cheap and happens in the main process; the costly part (HTML extraction,
fetching, analysis) happens in the workers from the ``Item`` alone. Every item has a stable
``key`` that is also its ``article.source``, so a rerun finds what is already done. An input
that cannot even be split into items (a line that is not JSON, a corrupt WARC record, a
non-HTML payload, a page over the size limit) becomes an item of kind ``"error"``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from propscope.ingest import ARTICLE_SUFFIXES, expand_sources, is_url
from propscope.settings import Settings

TABLE_FIELDS = ("text", "html", "url")
META_FIELDS = ("title", "outlet", "published")
HTML_TYPES = ("text/html", "application/xhtml+xml")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = re.compile(rb"(?:^|\n)WARC/1\.[01]\r?\n")
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True)
class Item:
    """One unit of work. ``kind`` is path, url, text, html or error (``payload`` is the reason)."""

    key: str
    kind: str
    payload: str | bytes
    meta: dict[str, str] = field(default_factory=dict)
    url: str | None = None


def input_kind(source: str) -> str:
    """``folder``, ``jsonl``, ``csv``, ``warc``, ``url`` or ``file``."""
    lower = source.lower()
    if is_url(source):
        return "url"
    if Path(source).is_dir():
        return "folder"
    if lower.endswith((".jsonl", ".ndjson", ".jsonl.gz")):
        return "jsonl"
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith(WARC_SUFFIXES):
        return "warc"
    return "file"


def iter_items(sources: list[str], settings: Settings) -> Iterator[Item]:
    """Every work item of every input, in a stable order."""
    for source in sources:
        kind = input_kind(source)
        if kind == "folder":
            yield from _folder_items(source)
        elif kind == "jsonl":
            yield from _jsonl_items(source, settings)
        elif kind == "csv":
            yield from _csv_items(source, settings)
        elif kind == "warc":
            yield from _warc_items(source, settings)
        else:
            yield Item(source, "url" if kind == "url" else "path", source)


def iter_keys(sources: list[str], settings: Settings) -> Iterator[str]:
    """The keys ``iter_items`` will yield, without reading WARC payloads."""
    for source in sources:
        if input_kind(source) == "warc":
            yield from (item.key for item in _warc_items(source, settings, read_payload=False))
        else:
            yield from (item.key for item in iter_items([source], settings))


def _folder_items(folder: str) -> Iterator[Item]:
    for path in expand_sources([folder]):
        lower = path.lower()
        if lower.endswith(ARTICLE_SUFFIXES) or Path(path).is_dir():
            yield Item(path, "path", path)


def _open_text(path: str) -> Any:
    if path.lower().endswith(".gz"):
        import gzip

        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def _jsonl_items(path: str, settings: Settings) -> Iterator[Item]:
    try:
        with _open_text(path) as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                key = f"{path}:{number}"
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield Item(key, "error", f"line {number} is not JSON: {exc.msg} (column {exc.colno})")
                    continue
                if not isinstance(row, dict):
                    yield Item(key, "error", f"line {number} is a JSON {type(row).__name__}, not an object")
                    continue
                yield row_item(row, path, key, settings)
    except (OSError, UnicodeDecodeError) as exc:
        yield Item(path, "error", f"cannot read JSONL file: {exc}")


def _csv_items(path: str, settings: Settings) -> Iterator[Item]:
    csv.field_size_limit(max(settings.max_fetch_bytes, settings.max_file_bytes) + 1)
    try:
        with _open_text(path) as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not set(reader.fieldnames) & set(TABLE_FIELDS):
                yield Item(path, "error", f"CSV has no {', '.join(TABLE_FIELDS)} column")
                return
            for number, row in enumerate(reader, start=1):
                yield row_item(row, path, f"{path}:row{number}", settings)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        yield Item(path, "error", f"cannot read CSV file: {exc}")


def row_item(row: dict[str, Any], path: str, fallback_key: str, settings: Settings) -> Item:
    """An item from a table row with a text, html or url field (id, title, outlet, ... optional)."""
    ident = row.get("id")
    key = f"{path}#{ident}" if ident not in (None, "") else fallback_key
    meta = {name: str(row[name]).strip() for name in META_FIELDS if row.get(name) not in (None, "")}
    if "published" in meta and not _ISO_DATE.match(meta["published"]):
        from propscope.dates import parse_date

        parsed = parse_date(meta["published"])
        meta.pop("published")
        if parsed:
            meta["published"] = parsed
    if row.get("source") not in (None, ""):
        meta["origin"] = str(row["source"])
    for name in TABLE_FIELDS:
        value = row.get(name)
        if value in (None, ""):
            continue
        if not isinstance(value, str):
            return Item(key, "error", f"field {name!r} is not a string")
        if name == "url":
            return Item(key, "url", value.strip(), meta)
        if len(value.encode("utf-8")) > settings.max_fetch_bytes:
            return Item(key, "error", f"{name} is over the {settings.max_fetch_bytes / 1e6:g} MB limit")
        return Item(key, name, value, meta)
    return Item(key, "error", "row has no text, html or url field")


def _warc_items(path: str, settings: Settings, read_payload: bool = True) -> Iterator[Item]:
    """Response records with HTML payloads; a corrupt record is skipped by finding the next one."""
    from warcio.archiveiterator import ArchiveIterator

    seen: set[str] = set()
    try:
        handle = open(path, "rb")  # noqa: SIM115  (closed below)
    except OSError as exc:
        yield Item(path, "error", f"cannot read WARC file: {exc.strerror or exc}")
        return
    gzipped = path.lower().endswith(".gz")
    with handle:
        size = os.fstat(handle.fileno()).st_size
        position: int | None = 0
        while position is not None:
            handle.seek(position)
            records = ArchiveIterator(handle, check_digests=False)
            current: int | None = None  # the record being read
            # The last record read is held back until the next one starts: a truncated gzip
            # member can run on into the members after it, and is then corrupt, not a page.
            held: tuple[int, Item | None] | None = None
            resume: int | None = None
            try:
                for record in records:
                    current = int(records.offset)  # where this record starts (get_record_offset reads it all)
                    if held is not None:
                        if gzipped and (resume := _swallowed(path, held[0], current)) is not None:
                            break
                        if held[1] is not None:
                            yield held[1]
                    item = None
                    if record.rec_type == "response":
                        item = _warc_record(record, path, current, seen, settings, read_payload)
                    held, current = (current, item), None
                end = int(records.offset) if resume is None else resume
                if held is not None and resume is None and gzipped:
                    resume = _swallowed(path, held[0], max(end, size))
                if held is not None and resume is None and held[1] is not None:
                    yield held[1]
                if resume is None and end >= size:
                    return
                if resume is not None:
                    assert held is not None
                    bad, problem = held[0], "truncated record (a later record starts inside it)"
                else:
                    # stopped early without an error: a truncated gzip member swallowed the rest
                    bad, problem = max(end, position), "truncated record"
            except Exception as exc:  # warcio raises many types on corrupt data
                # a record that failed while being read, or the one warcio was starting to read
                if current is None and held is not None:  # failed between records: release the held one
                    resume = _swallowed(path, held[0], int(records.offset)) if gzipped else None
                    if resume is not None:
                        bad, problem = held[0], "truncated record (a later record starts inside it)"
                        yield Item(f"{path}@{bad}", "error", f"corrupt WARC record at byte {bad}: {problem}")
                        position = resume
                        continue
                    if held[1] is not None:
                        yield held[1]
                bad = max(current if current is not None else int(records.offset), position)
                problem = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
            detail = "".join(c if c.isprintable() else "?" for c in problem)[:300]
            yield Item(f"{path}@{bad}", "error", f"corrupt WARC record at byte {bad}: {detail}")
            position = resume if resume is not None else _next_record(handle, bad + 1)


def _warc_record(
    record: Any, path: str, offset: int, seen: set[str], settings: Settings, read_payload: bool
) -> Item | None:
    uri = record.rec_headers.get_header("WARC-Target-URI") or f"record@{offset}"
    key = f"{path}#{uri}"
    if key in seen:
        key = f"{key}@{offset}"
    seen.add(key)
    if not read_payload:
        return Item(key, "html", b"")
    http = record.http_headers
    content_type = (http.get_header("Content-Type") if http else "") or ""
    content_type = content_type.split(";")[0].strip().lower()
    if not content_type.startswith(HTML_TYPES):
        return Item(key, "error", f"payload is {content_type or 'of no stated type'}, not HTML", url=uri)
    limit = settings.max_fetch_bytes
    payload = record.content_stream().read(limit + 1)
    if len(payload) > limit:
        return Item(key, "error", f"page is over the {limit / 1e6:g} MB limit", url=uri)
    return Item(key, "html", payload, url=uri)


def _member_inside(path: str, start: int, end: int) -> int | None:
    """The first gzip member strictly inside ``(start, end)`` that opens a WARC record: where
    the record read from ``start`` swallowed the records after it."""
    with open(path, "rb") as handle:
        handle.seek(start + 1)
        data = handle.read(max(end - start - 1, 0))
    found = data.find(_GZIP_MAGIC)
    while found >= 0:
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[found : found + 4096], 16)
        except zlib.error:
            head = b""
        if head.startswith(b"WARC/"):
            return start + 1 + found
        found = data.find(_GZIP_MAGIC, found + 1)
    return None


def _swallowed(path: str, start: int, reached: int) -> int | None:
    """The start of a record that the record read from ``start`` swallowed, warcio having
    reached ``reached``: a gzip member opening a record inside the held record's own member.
    An intact member ends before any member found after it (warcio may have read on into a
    broken record there, which is no sign against the held one); only then is its end looked
    for, so intact archives are not inflated twice."""
    found = _member_inside(path, start, reached)
    if found is None:
        return None
    end = _member_end(path, start)
    return found if end is None or found < end else None


def _member_end(path: str, start: int) -> int | None:
    """Where the gzip member that starts at ``start`` ends, or None when it does not end cleanly
    (cut short, or running on into other data)."""
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    read = 0
    with open(path, "rb") as handle:
        handle.seek(start)
        while not inflate.eof:
            chunk = handle.read(1 << 16)
            if not chunk:
                return None
            try:
                inflate.decompress(chunk)
            except zlib.error:
                return None
            read += len(chunk)
    return start + read - len(inflate.unused_data)


def _next_record(handle: BinaryIO, start: int) -> int | None:
    """Where the next record begins after ``start``: a gzip member or a ``WARC/1.x`` line."""
    gzipped = handle.name.lower().endswith(".gz") if isinstance(handle.name, str) else False
    block = 1 << 20
    position = start
    overlap = 16
    while True:
        handle.seek(position)
        data = handle.read(block)
        if not data:
            return None
        if gzipped:
            found = data.find(_GZIP_MAGIC)
        else:
            match = _WARC_MAGIC.search(data)
            found = -1 if match is None else match.start() + (1 if data[match.start()] == 10 else 0)
        if found >= 0 and (position + found) >= start:
            return position + found
        if len(data) < block:
            return None
        position += block - overlap

