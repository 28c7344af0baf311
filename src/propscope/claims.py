"""The entity and claim components: who and what an article speaks of, and what
it asserts, with the people, places, dates and numbers in each claim.

Two of them read the technique pass's own encoder output (kept in ``Report.cache`` by
``techniques.v1``; computed when absent) instead of running a model of their own:
``entities.v2`` (the entity head of the shared encoder instead of spaCy's NER),
``claims.context.v1`` (each sentence pooled inside its article instead of encoded alone) and
``claims.v2`` (in context, with only the uncertain sentences encoded again alone).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from propscope.claimparts import find_quantities, find_times
from propscope.entities import Entity, extract_entities, load_nlp
from propscope.model import PropscopeModel
from propscope.pipeline import BatchComponent, register
from propscope.report import Report
from propscope.sentences import split_sentences
from propscope.settings import Settings
from propscope.techniques import encodings, load_model

PLACE_TYPES = {"PLACE"}


class Entities:
    """People, organisations and places, each under one canonical name with its aliases."""

    name = "entities.v1"

    def __init__(self) -> None:
        self.nlp = load_nlp()

    def __call__(self, report: Report) -> Report:
        report.entities = entity_dicts(report.article.text, extract_entities(report.article.text, nlp=self.nlp))
        report.models[self.name] = "spacy/en_core_web_sm-3.8.0+aliases"
        return report


def entity_dicts(text: str, entities: list[Entity]) -> list[dict[str, Any]]:
    return [
        {
            "name": entity.name,
            "type": entity.type,
            "aliases": list(entity.aliases),
            "mentions": [{"start": s, "end": e, "text": text[s:e]} for s, e in entity.mentions],
        }
        for entity in entities
    ]


class SharedEntities(BatchComponent):
    """:class:`Entities` with the shared encoder's entity head in place of spaCy's NER.

    Reads the technique pass kept on the report (or runs the encoder once when it is
    absent); spaCy is used only to case-restore all-caps passages. The same rules (titles,
    propagation, aliases, clustering) apply to the head's entities.
    """

    name = "entities.v2"

    def __init__(self, model: PropscopeModel) -> None:
        if not model.has_entity_head:
            raise ValueError(f"model {model.name}/{model.version} has no entity head")
        self.model = model
        self.nlp = load_nlp()

    def pipe(self, reports: Iterable[Report]) -> Iterator[Report]:
        batch = list(reports)
        for report, enc in zip(batch, encodings(batch, self.model), strict=True):
            text = report.article.text

            def ner(cased: str, enc: Any = enc) -> list[tuple[int, int, str]]:
                return self.model.entity_spans(enc, cased)

            report.entities = entity_dicts(text, extract_entities(text, nlp=self.nlp, ner=ner))
            report.models[self.name] = f"{self.model.name}/{self.model.version}+entity-head+aliases"
            yield report


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
    found = find_times(text, start, end, published=_published(report))
    times = [
        {"start": t.start, "end": t.end, "text": t.text, "value": t.value,
         "granularity": t.granularity, "kind": getattr(t, "kind", "point")}
        for t in found
    ]
    quantities = [
        {"start": q.start, "end": q.end, "text": q.text, "value": q.value, "low": q.low,
         "high": q.high, "unit": q.unit, "approximate": q.approximate}
        for q in find_quantities(text, start, end, times=found)  # the publication date moves no span
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
        scores = self.model.checkworthiness(flat) if flat else []
        pos = 0
        for report, spans in zip(batch, sentences, strict=True):
            self._fill(report, spans, scores[pos : pos + len(spans)], self.model.threshold)
            pos += len(spans)
            yield report

    def _fill(self, report: Report, spans: list[tuple[int, int]], scores: list[float], threshold: float) -> None:
        report.claims = []
        for (start, end), score in zip(spans, scores, strict=True):
            if score < threshold:
                continue
            report.claims.append({
                "start": start,
                "end": end,
                "text": report.article.text[start:end],
                "checkworthiness": round(float(score), 4),
                **claim_parts(report, start, end),
            })
        report.models[self.name] = f"{self.model.name}/{self.model.version}"


class ClaimsInContext(Claims):
    """:class:`Claims` scored by the in-context head: each sentence is the mean of its tokens
    as the technique pass read them inside the whole article (no second encoder pass)."""

    name = "claims.context.v1"

    def __init__(self, model: PropscopeModel) -> None:
        if not model.has_context_head:
            raise ValueError(f"model {model.name}/{model.version} has no in-context check-worthiness head")
        super().__init__(model)

    def pipe(self, reports: Iterable[Report]) -> Iterator[Report]:
        batch = list(reports)
        for report, enc in zip(batch, encodings(batch, self.model), strict=True):
            spans = split_sentences(report.article.text)
            scores = self.model.checkworthiness_in_context(enc, spans)
            self._fill(report, spans, scores, self.model.context_threshold)
            yield report


class ClaimsCascade(ClaimsInContext):
    """In-context scores from the technique pass; only sentences whose score is uncertain
    (inside the model's ``context_band``) are encoded again, alone, for the isolated head."""

    name = "claims.v2"

    def pipe(self, reports: Iterable[Report]) -> Iterator[Report]:
        batch = list(reports)
        sentences = [split_sentences(r.article.text) for r in batch]
        texts = [r.article.text for r in batch]
        decided = self.model.checkworthiness_cascade(texts, encodings(batch, self.model), sentences)
        for report, spans, found in zip(batch, sentences, decided, strict=True):
            scores = [p if yes else -1.0 for p, yes in found]  # _fill keeps scores >= 0
            self._fill(report, spans, scores, 0.0)
            yield report


@register("entities.v1")
def _entities(settings: Settings) -> Entities:
    return Entities()


@register("claims.v1")
def _claims(settings: Settings) -> Claims:
    return Claims(load_model(settings.threads))


@register("entities.v2")
def _entities_fast(settings: Settings) -> SharedEntities:
    return SharedEntities(load_model(settings.threads))


@register("claims.v2")
def _claims_cascade(settings: Settings) -> ClaimsCascade:
    return ClaimsCascade(load_model(settings.threads))


@register("claims.context.v1")
def _claims_context(settings: Settings) -> ClaimsInContext:
    return ClaimsInContext(load_model(settings.threads))
