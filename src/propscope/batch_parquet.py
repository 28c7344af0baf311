"""Reports as three Arrow tables: articles, techniques and claims, joined by ``source``.

Columns are fixed so every part file of a dataset has the same schema; nested values
(removed furniture, entities, summary, claim arguments) are JSON strings, and finding fields
the schema does not name go to an ``extra`` JSON column rather than being dropped.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

TABLES = ("articles", "techniques", "claims")

_ARTICLES = pa.schema([
    ("source", pa.string()), ("content_hash", pa.string()), ("title", pa.string()),
    ("author", pa.string()), ("outlet", pa.string()), ("published", pa.string()),
    ("language", pa.string()), ("url", pa.string()), ("text", pa.string()),
    ("removed", pa.string()), ("n_techniques", pa.int32()), ("n_claims", pa.int32()),
    ("entities", pa.string()), ("summary", pa.string()), ("models", pa.string()),
    ("warnings", pa.list_(pa.string())), ("contradictions", pa.string()), ("propscope", pa.string()),
])
_TECHNIQUES = pa.schema([
    ("source", pa.string()), ("technique", pa.string()), ("name", pa.string()),
    ("start", pa.int64()), ("end", pa.int64()), ("confidence", pa.float64()),
    ("explanation", pa.string()), ("text", pa.string()), ("extra", pa.string()),
])
_CLAIM_LISTS = ("entities", "times", "quantities", "places")
_CLAIMS = pa.schema([
    ("source", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string()),
    ("checkworthiness", pa.float64()), *((name, pa.string()) for name in _CLAIM_LISTS),
    ("extra", pa.string()),
])
SCHEMAS = {"articles": _ARTICLES, "techniques": _TECHNIQUES, "claims": _CLAIMS}


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _extra(finding: dict[str, Any], schema: pa.Schema) -> str | None:
    rest = {k: v for k, v in finding.items() if k not in schema.names}
    return _json(rest) if rest else None


def _article_row(content_hash: str, report: dict[str, Any]) -> dict[str, Any]:
    article = report["article"]
    row = {name: article.get(name) for name in ("source", "title", "author", "outlet", "published",
                                                   "language", "url", "text")}
    row.update(
        content_hash=content_hash,
        removed=_json(article.get("removed", [])),
        n_techniques=len(report.get("techniques", [])),
        n_claims=len(report.get("claims", [])),
        entities=_json(report.get("entities", [])),
        summary=_json(report.get("summary", {})),
        models=_json(report.get("models", {})),
        warnings=list(report.get("warnings", [])),
        contradictions=_json(report.get("contradictions")),
        propscope=report.get("propscope"),
    )
    return row


def _technique_row(source: str, finding: dict[str, Any]) -> dict[str, Any]:
    row = {name: finding.get(name) for name in _TECHNIQUES.names if name not in ("source", "extra")}
    return {**row, "source": source, "extra": _extra(finding, _TECHNIQUES)}


def _claim_row(source: str, finding: dict[str, Any]) -> dict[str, Any]:
    row = {name: finding.get(name) for name in ("start", "end", "text", "checkworthiness")}
    row.update({name: _json(finding.get(name)) for name in _CLAIM_LISTS})
    return {**row, "source": source, "extra": _extra(finding, _CLAIMS)}


def tables(rows: list[tuple[str, dict[str, Any]]]) -> dict[str, pa.Table]:
    """The three tables for (content hash, report dict) pairs."""
    columns: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for content_hash, report in rows:
        source = report["article"]["source"]
        columns["articles"].append(_article_row(content_hash, report))
        columns["techniques"].extend(_technique_row(source, t) for t in report.get("techniques", []))
        columns["claims"].extend(_claim_row(source, c) for c in report.get("claims", []))
    return {name: pa.Table.from_pylist(columns[name], schema=SCHEMAS[name]) for name in TABLES}
