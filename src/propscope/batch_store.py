"""Resumable batch output: the commit record beside OUT, and the JSONL and Parquet writers.

The SQLite file ``OUT.done.sqlite`` is the single commit point. A finished chunk is first
made durable in the data files (JSONL: appended and fsynced; Parquet: written to a temporary
file, fsynced and renamed), then one SQLite transaction records its keys, content hashes and
the committed sizes of OUT and the errors file. On opening, anything written after the last
commit (a crash or Ctrl-C between the two steps) is cut off or deleted, so a rerun redoes
exactly the uncommitted chunks: no row is duplicated or lost.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from propscope.batch_work import Done, Failed
from propscope.errors import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    key TEXT PRIMARY KEY, status TEXT NOT NULL, hash TEXT, duplicate_of TEXT, chunk INTEGER);
CREATE INDEX IF NOT EXISTS items_by_hash ON items (hash) WHERE status = 'ok';
CREATE TABLE IF NOT EXISTS commits (
    chunk INTEGER PRIMARY KEY, out_size INTEGER NOT NULL, errors_size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def sidecar(out: Path, suffix: str) -> Path:
    return out.with_name(out.name + suffix)


def is_parquet(out: str | Path) -> bool:
    """Parquet for a ``.parquet`` name, an existing folder or a name ending in a slash."""
    text = os.fspath(out)
    return text.lower().rstrip("/").endswith(".parquet") or text.endswith(("/", os.sep)) or Path(text).is_dir()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Sink(Protocol):
    def recover(self, size: int, committed_chunks: set[int]) -> None: ...

    def write(self, chunk: int, done: list[Done]) -> int: ...

    def size(self) -> int: ...


class AppendLog:
    """A JSONL file appended with fsync and cut back to its committed size on recovery."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def recover(self, size: int, committed_chunks: set[int] | None = None) -> None:
        actual = self.size()
        if actual < size:
            raise StoreError(
                f"{self.path} is shorter ({actual} bytes) than its committed size ({size} bytes): "
                "it was changed outside propscope", source=str(self.path)
            )
        if actual > size:
            with open(self.path, "r+b") as handle:
                handle.truncate(size)
                os.fsync(handle.fileno())

    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def append_lines(self, rows: Iterable[dict[str, Any]]) -> int:
        data = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")
        if data:
            with open(self.path, "ab") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        return self.size()


class JsonlSink(AppendLog):
    def write(self, chunk: int, done: list[Done]) -> int:
        return self.append_lines(d.report for d in done if d.report is not None)


class ParquetSink:
    """A folder of tables (articles, techniques, claims), one part file per committed chunk."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def size(self) -> int:
        return 0

    def recover(self, size: int, committed_chunks: set[int]) -> None:
        from propscope.batch_parquet import TABLES

        for table in TABLES:
            folder = self.path / table
            if not folder.is_dir():
                continue
            for part in folder.iterdir():
                if part.name.endswith(".tmp") or _part_chunk(part.name) not in committed_chunks:
                    part.unlink()

    def write(self, chunk: int, done: list[Done]) -> int:
        import pyarrow.parquet as pq

        from propscope.batch_parquet import tables

        rows = [(d.content_hash, d.report) for d in done if d.report is not None]
        if not rows:
            return 0
        for name, table in tables(rows).items():
            folder = self.path / name
            folder.mkdir(parents=True, exist_ok=True)
            final = folder / f"part-{chunk:08d}.parquet"
            temporary = final.with_name(final.name + ".tmp")
            with open(temporary, "wb") as handle:
                pq.write_table(table, handle, compression="zstd")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, final)
            _fsync_dir(folder)
        return 0


def _part_chunk(name: str) -> int:
    try:
        return int(name.removeprefix("part-").split(".", 1)[0])
    except ValueError:
        return -1


class BatchState:
    """The commit record: which keys are done (ok, failed, duplicate) and the committed sizes."""

    def __init__(self, out: Path, parquet: bool | None = None) -> None:
        self.out = out
        self.path = sidecar(out, ".done.sqlite")
        self.errors = AppendLog(sidecar(out, ".errors.jsonl"))
        self.parquet = is_parquet(out) if parquet is None else parquet
        self.sink: JsonlSink | ParquetSink = ParquetSink(out) if self.parquet else JsonlSink(out)
        fresh = not self.path.exists()
        if fresh and _has_data(out):
            raise StoreError(
                f"{out} exists but {self.path.name} does not, so it was not written by "
                "'propscope batch'; move it away or choose another output", source=str(out)
            )
        out.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA synchronous = FULL")
        self._lock = open(self.path, "ab")  # noqa: SIM115  (held for the run, closed in close())
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.close()
            raise StoreError("another 'propscope batch' is writing this output", source=str(out)) from None
        self.db.executescript(_SCHEMA)
        self._check_format()
        self._recover()

    def _check_format(self) -> None:
        wanted = "parquet" if self.parquet else "jsonl"
        row = self.db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('format', ?)", (wanted,))
        elif row[0] != wanted:
            raise StoreError(f"this output was started as {row[0]}, not {wanted}", source=str(self.out))

    def _recover(self) -> None:
        # chunks commit in order of completion, not of number; the files only grow, so the
        # largest committed sizes are those of the last commit
        out_size, errors_size = self.db.execute(
            "SELECT coalesce(max(out_size), 0), coalesce(max(errors_size), 0) FROM commits"
        ).fetchone()
        chunks = {row[0] for row in self.db.execute("SELECT chunk FROM commits")}
        self.sink.recover(out_size, chunks)
        self.errors.recover(errors_size)
        if self.parquet:
            self.out.mkdir(exist_ok=True)
        else:
            self.out.touch(exist_ok=True)
        self.next_chunk = max(chunks, default=-1) + 1

    def close(self) -> None:
        self.db.close()
        self._lock.close()

    def is_done(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM items WHERE key = ?", (key,)).fetchone() is not None

    def owner_of(self, content_hash: str) -> str | None:
        row = self.db.execute(
            "SELECT key FROM items WHERE hash = ? AND status = 'ok' LIMIT 1", (content_hash,)
        ).fetchone()
        return None if row is None else str(row[0])

    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, count(*) FROM items GROUP BY status").fetchall()
        return {str(status): int(n) for status, n in rows}

    def commit(self, chunk: int, done: list[Done], failed: list[Failed], after_write: Any = None) -> None:
        """Write ``done`` (analysed and duplicates) and ``failed`` durably, then record them."""
        out_size = self.sink.write(chunk, done)
        errors_size = self.errors.append_lines(
            {"source": f.key, "reason": f.reason, "code": f.code} for f in failed
        )
        if after_write is not None:
            after_write(chunk)
        rows = [("ok" if d.duplicate_of is None else "duplicate", d) for d in done]
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "INSERT INTO items VALUES (?, ?, ?, ?, ?)",
                [(d.key, status, d.content_hash, d.duplicate_of, chunk) for status, d in rows],
            )
            self.db.executemany(
                "INSERT INTO items VALUES (?, 'failed', NULL, NULL, ?)", [(f.key, chunk) for f in failed]
            )
            self.db.execute("INSERT INTO commits VALUES (?, ?, ?)", (chunk, out_size, errors_size))


def _has_data(out: Path) -> bool:
    if out.is_dir():
        return any(out.iterdir())
    return out.exists() and out.stat().st_size > 0
