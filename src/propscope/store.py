"""The analysis history: one SQLite file, safe for concurrent writers.

Each analysed article is stored once per (content hash, model version): asking
for the same article again with the same models answers from the store. Writes
run in one ``BEGIN IMMEDIATE`` transaction each, and ``UNIQUE(sha256,
model_version)`` keeps concurrent writers from storing an article twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from propscope.article import Article
from propscope.errors import StoreError
from propscope.report import Report

BUSY_TIMEOUT_S = 30.0


def default_path() -> Path:
    """``$XDG_DATA_HOME/propscope/history.sqlite3`` (``~/.local/share`` without it)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "propscope" / "history.sqlite3"


def content_hash(article: Article) -> str:
    """SHA-256 of the article's text and metadata (not of where it came from)."""
    fields = [article.text, article.title, article.author, article.outlet, article.published]
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _v1_tables(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE analyses (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL,
            model_version TEXT NOT NULL,
            source TEXT NOT NULL,
            url TEXT,
            title TEXT,
            outlet TEXT,
            author TEXT,
            published TEXT,
            created TEXT NOT NULL,
            sentences INTEGER NOT NULL DEFAULT 0,
            sentences_with_technique INTEGER NOT NULL DEFAULT 0,
            report TEXT NOT NULL,
            UNIQUE (sha256, model_version)
        )"""
    )
    conn.execute(
        """CREATE TABLE techniques (
            analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
            technique TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            confidence REAL
        )"""
    )
    conn.execute("CREATE INDEX techniques_by_label ON techniques (technique, analysis_id)")
    conn.execute("CREATE INDEX techniques_by_analysis ON techniques (analysis_id)")
    conn.execute("CREATE INDEX analyses_by_outlet ON analyses (outlet)")
    conn.execute("CREATE INDEX analyses_by_day ON analyses (COALESCE(published, substr(created, 1, 10)))")


def _v2_search(conn: sqlite3.Connection) -> None:
    """Full-text search over title and text, where this SQLite has FTS5."""
    try:
        conn.execute("CREATE VIRTUAL TABLE analyses_fts USING fts5(title, body, tokenize='unicode61')")
    except sqlite3.OperationalError:
        return  # no FTS5: search falls back to LIKE
    rows = conn.execute("SELECT id, title, json_extract(report, '$.article.text') FROM analyses")
    conn.executemany("INSERT INTO analyses_fts (rowid, title, body) VALUES (?, ?, ?)", rows.fetchall())


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1_tables, _v2_search]
"""Migration ``i`` takes the schema from version ``i`` to ``i + 1`` (``PRAGMA user_version``)."""


@dataclass(frozen=True)
class Stored:
    """One stored analysis: its row id, the report as JSON data, and whether it was a cache hit."""

    id: int
    report: dict[str, Any]
    cached: bool


@dataclass(frozen=True)
class Query:
    """Filters for listing the history; every field is optional."""

    outlet: str | None = None
    technique: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    q: str | None = None
    limit: int = 50
    offset: int = 0


_DAY = "COALESCE(a.published, substr(a.created, 1, 10))"


class Store:
    """The SQLite history. Thread-safe: one connection per thread, WAL journal."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._local = threading.local()
        self._locks = [threading.Lock() for _ in range(64)]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the history: {exc}", source=str(self.path)) from None
        with self._errors():
            self._migrate(self._conn())
            self.has_fts = self._conn().execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'analyses_fts'"
            ).fetchone() is not None

    # connections and transactions

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
        return conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"history database error: {exc}", source=str(self.path)) from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        with self._errors():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _migrate(self, conn: sqlite3.Connection) -> None:
        while True:
            with self._write() as tx:
                version = int(tx.execute("PRAGMA user_version").fetchone()[0])
                if version > len(MIGRATIONS):
                    raise StoreError(
                        f"history schema version {version} is newer than this propscope knows "
                        f"({len(MIGRATIONS)}); upgrade propscope",
                        source=str(self.path),
                    )
                if version == len(MIGRATIONS):
                    return
                MIGRATIONS[version](tx)
                tx.execute(f"PRAGMA user_version = {version + 1}")

    @property
    def schema_version(self) -> int:
        with self._errors():
            return int(self._conn().execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # writing

    def get_or_analyze(
        self, article: Article, analyze: Callable[[Article], Report], model_version: str
    ) -> Stored:
        """The stored analysis of ``article`` under ``model_version``, analysing it first if new."""
        key = content_hash(article)
        found = self.find(key, model_version)
        if found is not None:
            return found
        with self._locks[int(key[:8], 16) % len(self._locks)]:
            found = self.find(key, model_version)
            if found is not None:
                return found
            report = analyze(article)
            return self.save(key, model_version, report)

    def find(self, sha256: str, model_version: str) -> Stored | None:
        with self._errors():
            row = self._conn().execute(
                "SELECT id, report FROM analyses WHERE sha256 = ? AND model_version = ?",
                (sha256, model_version),
            ).fetchone()
        return Stored(int(row[0]), json.loads(row[1]), cached=True) if row else None

    def save(self, sha256: str, model_version: str, report: Report) -> Stored:
        """Store ``report`` in one transaction; if another writer stored it first, answer theirs."""
        data = report.to_dict()
        article = report.article
        summary = report.summary
        with self._write() as tx:
            cursor = tx.execute(
                """INSERT INTO analyses (sha256, model_version, source, url, title, outlet, author,
                       published, created, sentences, sentences_with_technique, report)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (sha256, model_version) DO NOTHING""",
                (sha256, model_version, article.source, article.url, article.title, article.outlet,
                 article.author, article.published, datetime.now(UTC).isoformat(timespec="seconds"),
                 int(summary.get("sentences") or 0), int(summary.get("sentences_with_technique") or 0),
                 json.dumps(data, ensure_ascii=False)),
            )
            if cursor.rowcount == 1 and cursor.lastrowid is not None:
                row_id = cursor.lastrowid
                tx.executemany(
                    'INSERT INTO techniques (analysis_id, technique, start, "end", confidence) VALUES (?, ?, ?, ?, ?)',
                    [(row_id, t["technique"], t["start"], t["end"], t.get("confidence"))
                     for t in report.techniques],
                )
                if self.has_fts:
                    tx.execute("INSERT INTO analyses_fts (rowid, title, body) VALUES (?, ?, ?)",
                               (row_id, article.title or "", article.text))
                return Stored(row_id, data, cached=False)
        found = self.find(sha256, model_version)
        if found is None:  # pragma: no cover - the conflicting row cannot vanish
            raise StoreError("stored analysis disappeared", source=str(self.path))
        return found

    # reading

    def get(self, analysis_id: int) -> dict[str, Any] | None:
        """The report JSON data of one analysis, or None."""
        with self._errors():
            row = self._conn().execute("SELECT report FROM analyses WHERE id = ?", (analysis_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def search(self, query: Query) -> list[dict[str, Any]]:
        """Summaries of the analyses matching ``query``, newest first."""
        where, params = self._where(query)
        sql = (f"SELECT a.id, a.title, a.outlet, a.author, a.published, a.created, a.source, a.url, "
               f"a.sentences, a.sentences_with_technique FROM analyses a WHERE {where} "
               f"ORDER BY {_DAY} DESC, a.id DESC LIMIT ? OFFSET ?")
        keys = ("id", "title", "outlet", "author", "published", "created", "source", "url",
                "sentences", "sentences_with_technique")
        with self._errors():
            rows = self._conn().execute(sql, [*params, query.limit, query.offset]).fetchall()
            items = [dict(zip(keys, row, strict=True)) for row in rows]
            counts = self._technique_counts([item["id"] for item in items])
        for item in items:
            item["techniques"] = counts.get(item["id"], {})
        return items

    def count(self, query: Query) -> int:
        where, params = self._where(query)
        with self._errors():
            return int(self._conn().execute(f"SELECT count(*) FROM analyses a WHERE {where}", params).fetchone()[0])

    def _where(self, query: Query) -> tuple[str, list[Any]]:
        clauses: list[str] = ["1"]
        params: list[Any] = []
        if query.outlet:
            clauses.append("a.outlet = ?")
            params.append(query.outlet)
        if query.technique:
            clauses.append("EXISTS (SELECT 1 FROM techniques t WHERE t.analysis_id = a.id AND t.technique = ?)")
            params.append(query.technique)
        if query.since:
            clauses.append(f"{_DAY} >= ?")
            params.append(query.since)
        if query.until:
            clauses.append(f"{_DAY} <= ?")
            params.append(query.until)
        words = (query.q or "").replace('"', " ").split()
        if words and self.has_fts:
            clauses.append("a.id IN (SELECT rowid FROM analyses_fts WHERE analyses_fts MATCH ?)")
            params.append(" ".join(f'"{word}"' for word in words))
        elif words:
            for word in words:
                pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                clauses.append("(a.title LIKE ? ESCAPE '\\' OR json_extract(a.report, '$.article.text') "
                               "LIKE ? ESCAPE '\\')")
                params.extend([pattern, pattern])
        return " AND ".join(clauses), params

    def _technique_counts(self, ids: list[int]) -> dict[int, dict[str, int]]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._conn().execute(
            f"SELECT analysis_id, technique, count(*) FROM techniques WHERE analysis_id IN ({marks}) "
            "GROUP BY analysis_id, technique ORDER BY count(*) DESC",
            ids,
        ).fetchall()
        counts: dict[int, dict[str, int]] = {}
        for analysis_id, technique, n in rows:
            counts.setdefault(int(analysis_id), {})[str(technique)] = int(n)
        return counts

    def outlets(self) -> list[tuple[str, int]]:
        """Every outlet in the history with its number of analyses, most first."""
        with self._errors():
            rows = self._conn().execute(
                "SELECT outlet, count(*) FROM analyses WHERE outlet IS NOT NULL "
                "GROUP BY outlet ORDER BY count(*) DESC, outlet"
            ).fetchall()
        return [(str(o), int(n)) for o, n in rows]

    def techniques_seen(self) -> list[str]:
        with self._errors():
            rows = self._conn().execute("SELECT DISTINCT technique FROM techniques ORDER BY technique").fetchall()
        return [str(r[0]) for r in rows]

    def outlet_stats(self, outlet: str) -> list[dict[str, Any]]:
        """Per month: articles, sentences (with a technique) and uses of each technique."""
        month = f"substr({_DAY}, 1, 7)"
        with self._errors():
            conn = self._conn()
            periods = conn.execute(
                f"SELECT {month}, count(*), sum(a.sentences), sum(a.sentences_with_technique) "
                f"FROM analyses a WHERE a.outlet = ? GROUP BY 1 ORDER BY 1",
                (outlet,),
            ).fetchall()
            uses = conn.execute(
                f"SELECT {month}, t.technique, count(*) FROM analyses a JOIN techniques t "
                f"ON t.analysis_id = a.id WHERE a.outlet = ? GROUP BY 1, 2",
                (outlet,),
            ).fetchall()
        by_period: dict[str, dict[str, int]] = {}
        for period, technique, n in uses:
            by_period.setdefault(str(period), {})[str(technique)] = int(n)
        return [
            {"period": str(p), "articles": int(n), "sentences": int(s or 0),
             "sentences_with_technique": int(w or 0), "techniques": by_period.get(str(p), {})}
            for p, n, s, w in periods
        ]
