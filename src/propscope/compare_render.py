"""Views of a comparison: the terminal (rich) and one self-contained HTML page."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from propscope import __version__
from propscope.compare import Comparison
from propscope.render_html import css, environment

_STYLES = {"contradicts": "bold red", "agrees": "green", "compatible": "yellow", "only_in": "cyan"}
_RANK = {"contradicts": 3, "agrees": 2, "compatible": 1, "only_in": 0}


# --------------------------------------------------------------------------- terminal


def _technique_line(article: dict[str, Any]) -> str:
    counts = article["techniques"]
    if not counts:
        return "no persuasion technique found"
    return ", ".join(f"{name} ×{n}" for name, n in counts.items())


def print_comparison(comparison: Comparison, console: Console, *, only_in: bool = False) -> None:
    """Articles per story, then each finding with the claims and the values in conflict."""
    for warning in comparison.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))
    articles = comparison.articles
    for group in comparison.groups:
        if len(group["articles"]) < 2:
            continue
        console.rule(Text(f"Story: {group['title']}", style="bold"))
        for i in group["articles"]:
            a = articles[i]
            console.print(Text(f"[{i}] {a['title'] or a['source']}", style="bold"),
                          Text(f"({a['source']}) techniques: {_technique_line(a)}", style="dim"))
        findings = [f for f in comparison.findings if f["group"] == group["id"]
                    and (only_in or f["relation"] != "only_in")]
        console.print(_findings_table(findings))
    console.print(Text(_totals(comparison), style="dim"))


def _findings_table(findings: list[dict[str, Any]]) -> Table:
    table = Table(expand=True, show_lines=True)
    table.add_column("Relation", no_wrap=True)
    table.add_column("Claims")
    table.add_column("Values in conflict / notes")
    for f in findings:
        claims = Text()
        for k, c in enumerate(f["claims"]):
            claims.append(f"{'' if k == 0 else chr(10)}[{c['article']}] ", style="bold")
            claims.append(c["text"])
        detail = "\n".join(_conflict_line(f, c) for c in f["conflicts"])
        detail = detail or "\n".join(f.get("notes", []))
        table.add_row(Text(f["relation"], style=_STYLES[f["relation"]]), claims, detail)
    return table


def _conflict_line(finding: dict[str, Any], conflict: dict[str, Any]) -> str:
    first, second = (finding["claims"][i]["article"] for i in conflict["claims"])
    learned = f" (learned judge, {conflict['confidence']:.2f})" if "confidence" in conflict else ""
    return f"{conflict['kind']}: [{first}] {conflict['values'][0]} ≠ [{second}] {conflict['values'][1]}{learned}"


def _totals(comparison: Comparison) -> str:
    parts = [f"{comparison.count(r)} {r.replace('_', ' ')}" for r in _STYLES]
    articles, stories = len(comparison.articles), len(comparison.groups)
    counted = f"{articles} article{'s' * (articles != 1)}, {stories} stor{'ies' if stories != 1 else 'y'}"
    return f"{counted}: " + ", ".join(parts)


# --------------------------------------------------------------------------- HTML


def _pieces(article: dict[str, Any], marks: dict[tuple[int, int], dict[str, Any]]) -> list[dict[str, Any]]:
    """The article text cut at claim boundaries; claim pieces carry their finding."""
    text = article["text"]
    out: list[dict[str, Any]] = []
    cursor = 0
    for (start, end), mark in sorted(marks.items()):
        if start < cursor:
            continue
        if start > cursor:
            out.append({"text": text[cursor:start], "mark": None})
        out.append({"text": text[start:end], "mark": mark})
        cursor = end
    if cursor < len(text):
        out.append({"text": text[cursor:], "mark": None})
    return out


def _claim_marks(comparison: Comparison) -> dict[int, dict[tuple[int, int], dict[str, Any]]]:
    marks: dict[int, dict[tuple[int, int], dict[str, Any]]] = {}
    for k, f in enumerate(comparison.findings):
        for c in f["claims"]:
            spot = marks.setdefault(c["article"], {})
            key = (c["start"], c["end"])
            if key not in spot or _RANK[f["relation"]] > _RANK[spot[key]["relation"]]:
                spot[key] = {"relation": f["relation"], "finding": k,
                             "anchor": f"a{c['article']}-{c['start']}"}
    return marks


def _finding_view(k: int, f: dict[str, Any]) -> dict[str, Any]:
    claims = [{**c, "anchor": f"a{c['article']}-{c['start']}"} for c in f["claims"]]
    conflicts = [{**c, "sources": [claims[i]["source"] for i in c["claims"]]} for c in f["conflicts"]]
    return {**f, "id": f"f{k}", "claims": claims, "conflicts": conflicts}


def render_comparison_html(comparison: Comparison) -> str:
    """One HTML page: stories with their articles side by side, then the findings."""
    marks = _claim_marks(comparison)
    articles = [{**a, "pieces": _pieces(a, marks.get(a["index"], {}))} for a in comparison.articles]
    findings = [_finding_view(k, f) for k, f in enumerate(comparison.findings)]
    groups = [{**g, "articles": [articles[i] for i in g["articles"]],
               "findings": [f for f in findings if f["group"] == g["id"]]} for g in comparison.groups]
    template = environment().get_template("compare.html")
    return template.render(groups=groups, articles=articles, warnings=comparison.warnings,
                           entities=comparison.entities, totals=_totals(comparison),
                           css=css(), version=__version__)
