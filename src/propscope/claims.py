"""The entity and claim components: who and what an article speaks of, and what
it asserts, with the people, places, dates and numbers in each claim."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from propscope.claimparts import find_quantities, find_times
from propscope.entities import extract_entities, load_nlp
from propscope.model import PropscopeModel
from propscope.pipeline import BatchComponent, register
from propscope.report import Report
from propscope.sentences import split_sentences
from propscope.settings import Settings
from propscope.techniques import load_model

PLACE_TYPES = {"PLACE"}


class Entities:
    """People, organisations and places, each under one canonical name with its aliases."""

    name = "entities.v1"

    def __init__(self) -> None:
        self.nlp = load_nlp()

    def __call__(self, report: Report) -> Report:
        text = report.article.text
        report.entities = [
            {
                "name": entity.name,
                "type": entity.type,
                "aliases": list(entity.aliases),
                "mentions": [{"start": s, "end": e, "text": text[s:e]} for s, e in entity.mentions],
            }
            for entity in extract_entities(text, nlp=self.nlp)
        ]
        report.models[self.name] = "spacy/en_core_web_sm-3.8.0+aliases"
        return report


def _published(report: Report) -> date | None:
    try:
        return date.fromisoformat(report.article.published or "")
    except ValueError:
        return None


def _mentions_in(report: Report, start: int, end: int) -> list[dict[str, Any]]:
    found = []
    for entity in report.entities:
        for mention in entity["mentions"]:
            if start <= mention["start"] and mention["end"] <= end:
                found.append({**mention, "name": entity["name"], "type": entity["type"]})
    return sorted(found, key=lambda m: m["start"])


def claim_parts(report: Report, start: int, end: int) -> dict[str, list[dict[str, Any]]]:
    """Entities, places, times and quantities inside ``text[start:end]``."""
    text = report.article.text
    mentions = _mentions_in(report, start, end)
    times = [
        {"start": t.start, "end": t.end, "text": t.text, "value": t.value,
         "granularity": t.granularity, "kind": getattr(t, "kind", "point")}
        for t in find_times(text, start, end, published=_published(report))
    ]
    quantities = [
        {"start": q.start, "end": q.end, "text": q.text, "value": q.value, "low": q.low,
         "high": q.high, "unit": q.unit, "approximate": q.approximate}
        for q in find_quantities(text, start, end)
    ]
    return {
        "entities": [m for m in mentions if m["type"] not in PLACE_TYPES],
        "places": [m for m in mentions if m["type"] in PLACE_TYPES],
        "times": times,
        "quantities": quantities,
    }


class Claims(BatchComponent):
    """Check-worthy sentences, each with the entities, places, times and numbers in it."""

    name = "claims.v1"

    def __init__(self, model: PropscopeModel) -> None:
        self.model = model

    def pipe(self, reports: Iterable[Report]) -> Iterator[Report]:
        batch = list(reports)
        sentences = [split_sentences(r.article.text) for r in batch]
        flat = [r.article.text[s:e] for r, spans in zip(batch, sentences, strict=True)
                for s, e in spans]
        scores = iter(self.model.checkworthiness(flat) if flat else [])
        for report, spans in zip(batch, sentences, strict=True):
            report.claims = []
            for start, end in spans:
                score = float(next(scores))
                if score < self.model.threshold:
                    continue
                report.claims.append({
                    "start": start,
                    "end": end,
                    "text": report.article.text[start:end],
                    "checkworthiness": round(score, 4),
                    **claim_parts(report, start, end),
                })
            report.models[self.name] = f"{self.model.name}/{self.model.version}"
            yield report


@register("entities.v1")
def _entities(settings: Settings) -> Entities:
    return Entities()


@register("claims.v1")
def _claims(settings: Settings) -> Claims:
    return Claims(load_model(settings.threads))
