"""``propscope stats``: figures over a batch output (JSONL or Parquet), computed by DuckDB.

Both formats are first exposed as the same four views (articles, techniques, claims,
contradictions), so every figure is one SQL query whichever format the output is in.

Contradictions are read from a ``contradictions`` list in the records when there is one;
each item names its entities as ``entity`` (a name or an object with ``name``), ``entities``
(names or objects), or, in the shape of comparison findings, ``values`` of kind person,
place or org.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from propscope.batch_store import is_parquet
from propscope.errors import StoreError

_EMPTY = {
    "articles": "SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS outlet, NULL::VARCHAR AS published, "
    "NULL::VARCHAR AS contradictions WHERE false",
    "techniques": "SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS technique WHERE false",
    "claims": "SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS text WHERE false",
}

_JSONL_VIEWS = """
CREATE VIEW raw AS SELECT * FROM read_json({path}, format = 'newline_delimited',
    columns = {{article: 'JSON', techniques: 'JSON', claims: 'JSON', contradictions: 'JSON'}});
CREATE VIEW articles AS SELECT article->>'$.source' AS source, article->>'$.outlet' AS outlet,
    article->>'$.published' AS published FROM raw;
CREATE VIEW techniques AS SELECT r.article->>'$.source' AS source, u.t->>'$.technique' AS technique
    FROM raw AS r, unnest(CAST(r.techniques AS JSON[])) AS u(t);
CREATE VIEW claims AS SELECT r.article->>'$.source' AS source, u.c->>'$.text' AS text
    FROM raw AS r, unnest(CAST(r.claims AS JSON[])) AS u(c);
CREATE VIEW contradictions AS SELECT r.article->>'$.source' AS source, u.x AS item
    FROM raw AS r, unnest(CAST(r.contradictions AS JSON[])) AS u(x)
    WHERE json_type(r.contradictions) = 'ARRAY';
CREATE VIEW recorded AS SELECT count(*) AS n FROM raw WHERE contradictions IS NOT NULL;
"""

_PARQUET_CONTRADICTIONS = """
CREATE VIEW contradictions AS SELECT a.source, u.x AS item
    FROM articles AS a, unnest(CAST(CAST(a.contradictions AS JSON) AS JSON[])) AS u(x)
    WHERE json_type(CAST(a.contradictions AS JSON)) = 'ARRAY';
CREATE VIEW recorded AS SELECT count(*) AS n FROM articles WHERE contradictions IS NOT NULL;
"""

_BY_GROUP = """
WITH counted AS (
    SELECT {group} AS {name}, t.technique, count(*) AS count
    FROM techniques AS t JOIN articles AS a USING (source)
    GROUP BY 1, 2)
SELECT {name}, technique, count,
       round(100.0 * count / sum(count) OVER (PARTITION BY {name}), 1) AS share_pct
FROM counted ORDER BY {name}, count DESC, technique
"""
BY_OUTLET = _BY_GROUP.format(group="coalesce(a.outlet, '(unknown)')", name="outlet")
BY_MONTH = _BY_GROUP.format(group="coalesce(substr(a.published, 1, 7), '(undated)')", name="month")

TOP_CLAIMS = """
WITH normal AS (
    SELECT c.source, c.text,
           trim(regexp_replace(lower(c.text), '[^\\p{L}\\p{N}]+', ' ', 'g')) AS claim
    FROM claims AS c WHERE c.text IS NOT NULL)
SELECT n.claim, count(*) AS count, count(DISTINCT n.source) AS articles,
       count(DISTINCT a.outlet) AS outlets, min(n.text) AS example
FROM normal AS n LEFT JOIN articles AS a USING (source)
WHERE n.claim <> ''
GROUP BY n.claim ORDER BY count DESC, articles DESC, n.claim LIMIT ?
"""

CONTRADICTED = """
WITH names AS (
    SELECT source, item->>'$.entity' AS name FROM contradictions WHERE json_type(item->'$.entity') = 'VARCHAR'
    UNION ALL
    SELECT source, item->>'$.entity.name' FROM contradictions WHERE json_type(item->'$.entity') = 'OBJECT'
    UNION ALL
    SELECT c.source, CASE WHEN json_type(u.e) = 'VARCHAR' THEN u.e->>'$' ELSE u.e->>'$.name' END
    FROM contradictions AS c, unnest(CAST(c.item->'$.entities' AS JSON[])) AS u(e)
    WHERE json_type(c.item->'$.entities') = 'ARRAY'
    UNION ALL
    SELECT c.source, u.v->>'$.text'
    FROM contradictions AS c, unnest(CAST(c.item->'$.values' AS JSON[])) AS u(v)
    WHERE json_type(c.item->'$.values') = 'ARRAY' AND coalesce(c.item->>'$.relation', 'contradicts') = 'contradicts'
      AND u.v->>'$.kind' IN ('person', 'place', 'org', 'organization', 'entity'))
SELECT name AS entity, count(*) AS contradictions, count(DISTINCT source) AS articles
FROM names WHERE name IS NOT NULL AND name <> ''
GROUP BY name ORDER BY contradictions DESC, name LIMIT ?
"""


@dataclass
class Stats:
    articles: int
    techniques_by_outlet: list[dict[str, Any]]
    techniques_by_month: list[dict[str, Any]]
    top_claims: list[dict[str, Any]]
    contradiction_entities: list[dict[str, Any]] | None  # None: no record has a contradictions field

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _literal(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def connect(out: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the views articles, techniques, claims, contradictions over ``out``."""
    if not out.exists():
        raise StoreError("no such batch output", source=str(out))
    db = duckdb.connect()
    if is_parquet(out):
        for table, empty in _EMPTY.items():
            has_parts = any((out / table).glob("part-*.parquet"))
            query = f"SELECT * FROM read_parquet({_literal(out / table / 'part-*.parquet')})" if has_parts else empty
            db.execute(f"CREATE VIEW {table} AS {query}")
        db.execute(_PARQUET_CONTRADICTIONS)
    elif out.stat().st_size == 0:
        for table, empty in _EMPTY.items():
            db.execute(f"CREATE VIEW {table} AS {empty}")
        db.execute("CREATE VIEW contradictions AS SELECT NULL::VARCHAR AS source, NULL::JSON AS item WHERE false")
        db.execute("CREATE VIEW recorded AS SELECT 0 AS n")
    else:
        db.execute(_JSONL_VIEWS.format(path=_literal(out)))
    return db


def _rows(db: duckdb.DuckDBPyConnection, query: str, *params: Any) -> list[dict[str, Any]]:
    cursor = db.execute(query, list(params))
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def compute(out: Path, top: int = 20) -> Stats:
    try:
        db = connect(out)
        articles = _rows(db, "SELECT count(*) AS n FROM articles")[0]["n"]
        recorded = _rows(db, "SELECT n FROM recorded")[0]["n"]
        return Stats(
            articles=int(articles),
            techniques_by_outlet=_rows(db, BY_OUTLET),
            techniques_by_month=_rows(db, BY_MONTH),
            top_claims=_rows(db, TOP_CLAIMS, top),
            contradiction_entities=_rows(db, CONTRADICTED, top) if recorded else None,
        )
    except duckdb.Error as exc:
        raise StoreError(f"cannot read the batch output: {exc}", source=str(out)) from None


def _table(title: str, rows: list[dict[str, Any]], columns: list[str]) -> Table:
    table = Table(title=title, title_justify="left")
    for name in columns:
        numeric = bool(rows) and isinstance(rows[0].get(name), int | float)
        table.add_column(name.replace("_", " "), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*("" if row.get(name) is None else str(row[name]) for name in columns))
    return table


def print_stats(stats: Stats, console: Console) -> None:
    """The figures as rich tables."""
    console.print(f"[bold]{stats.articles}[/bold] articles")
    console.print(_table("Techniques per outlet", stats.techniques_by_outlet,
                         ["outlet", "technique", "count", "share_pct"]))
    console.print(_table("Techniques per month", stats.techniques_by_month,
                         ["month", "technique", "count", "share_pct"]))
    console.print(_table("Most frequent claims", stats.top_claims,
                         ["count", "articles", "outlets", "example"]))
    if stats.contradiction_entities is None:
        console.print("Entities in contradictions: none are recorded (no record has a contradictions field).")
    else:
        console.print(_table("Entities most often in contradictions", stats.contradiction_entities,
                             ["entity", "contradictions", "articles"]))
