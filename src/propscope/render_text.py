"""The terminal view (rich): article with techniques highlighted, then tables."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from propscope.render_html import technique_marks
from propscope.report import Report


def article_text(report: Report) -> Text:
    text = Text(report.article.text)
    for mark in technique_marks(report):
        text.stylize(f"on {mark['color']} black", mark["start"], mark["end"])
    return text


def _header(report: Report) -> Text:
    a = report.article
    meta = " · ".join(x for x in (a.outlet, a.author, a.published, a.source) if x)
    header = Text(a.title or a.source, style="bold")
    header.append(f"\n{meta}", style="dim")
    return header


def _techniques_table(report: Report) -> Table:
    table = Table(title="Persuasion techniques", title_justify="left", expand=True)
    table.add_column("Technique", style="bold", no_wrap=True)
    table.add_column("Passage")
    table.add_column("Conf.", justify="right")
    for mark in technique_marks(report):
        table.add_row(
            Text(mark["name"], style=f"on {mark['color']} black"),
            report.article.text[mark["start"] : mark["end"]],
            f"{mark['confidence']:.2f}",
        )
    return table


def _claims_table(report: Report) -> Table:
    table = Table(title="Claims", title_justify="left", expand=True)
    table.add_column("Claim")
    table.add_column("Check-worthy", justify="right")
    table.add_column("Who / where / when / how many")
    for claim in report.claims:
        parts = [p.get("text", "") for k in ("entities", "places", "times", "quantities")
                 for p in claim.get(k, [])]
        table.add_row(claim["text"], f"{claim['checkworthiness']:.2f}",
                      ", ".join(dict.fromkeys(p for p in parts if p)))
    return table


def _entities_table(report: Report) -> Table:
    table = Table(title="Entities", title_justify="left", expand=True)
    for column in ("Name", "Type", "Also written", "Mentions"):
        table.add_column(column)
    for entity in report.entities:
        table.add_row(entity["name"], entity["type"], ", ".join(entity["aliases"]),
                      str(len(entity["mentions"])))
    return table


def renderable(report: Report) -> RenderableType:
    parts: list[RenderableType] = [_header(report)]
    parts += [Text(f"⚠ {w}", style="yellow") for w in report.warnings]
    parts.append(Panel(article_text(report), title="Article", title_align="left"))
    if report.techniques:
        parts.append(_techniques_table(report))
    summary = report.summary
    if summary.get("sentences"):
        parts.append(Text(
            f"{summary['sentences_with_technique']} of {summary['sentences']} sentences "
            "use a persuasion technique."
        ))
    if report.claims:
        parts.append(_claims_table(report))
    if report.entities:
        parts.append(_entities_table(report))
    removed = report.article.removed
    if removed:
        listing = Text(f"Removed from the page ({len(removed)}):", style="bold")
        for block in removed:
            listing.append(f"\n  [{block.reason}] ", style="dim")
            listing.append(" ".join(block.text.split())[:100])
        parts.append(listing)
    return Group(*parts)


def print_report(report: Report, console: Console) -> None:
    console.print(renderable(report))
    console.rule()
