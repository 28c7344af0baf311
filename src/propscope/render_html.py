"""Self-contained HTML reports: one file, no external assets, every character
of article text escaped (Jinja2 autoescaping)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import jinja2

from propscope import __version__
from propscope.highlight import segments
from propscope.report import Report
from propscope.taxonomy import TECHNIQUES


@cache
def environment() -> jinja2.Environment:
    """The shared template environment (also used by the web server)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("propscope", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
    )


@cache
def css() -> str:
    return resources.files("propscope").joinpath("templates/style.css").read_text("utf-8")


def technique_marks(report: Report) -> list[dict[str, Any]]:
    """Technique findings with the display fields the templates need."""
    marks = []
    for finding in report.techniques:
        info = TECHNIQUES.get(finding["technique"])
        marks.append(
            {
                **finding,
                "name": info.name if info else finding["technique"],
                "color": info.color if info else "#dddddd",
                "explanation": finding.get("explanation") or (info.explanation if info else ""),
            }
        )
    return marks


def legend(report: Report) -> list[dict[str, Any]]:
    counts = report.summary.get("techniques", {})
    items = []
    for label, count in counts.items():
        info = TECHNIQUES.get(label)
        items.append(
            {
                "label": label,
                "count": count,
                "name": info.name if info else label,
                "color": info.color if info else "#dddddd",
                "explanation": info.explanation if info else "",
            }
        )
    return items


def _claim_parts(claim: dict[str, Any]) -> str:
    parts = [p.get("text", "") for key in ("entities", "places", "times", "quantities")
             for p in claim.get(key, [])]
    return ", ".join(dict.fromkeys(p for p in parts if p))


def view(report: Report) -> dict[str, Any]:
    """Template data for one report."""
    return {
        "article": report.article,
        "warnings": report.warnings,
        "summary": report.summary,
        "pieces": segments(report.article.text, technique_marks(report)),
        "legend": legend(report),
        "claims": [{**c, "parts": _claim_parts(c)} for c in report.claims],
        "entities": report.entities,
    }


def render_html(reports: Sequence[Report]) -> str:
    """One HTML page for one or several reports."""
    title = reports[0].article.title if len(reports) == 1 else f"{len(reports)} articles"
    template = environment().get_template("report.html")
    return template.render(
        reports=[view(r) for r in reports],
        title=title or "Report",
        css=css(),
        version=__version__,
    )
