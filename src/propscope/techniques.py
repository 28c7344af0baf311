"""The technique component: persuasion-technique spans from the shipped model."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from propscope.model import EncodedText, PropscopeModel
from propscope.pipeline import BatchComponent, register
from propscope.report import Report
from propscope.settings import Settings
from propscope.taxonomy import TECHNIQUES

LANGUAGE_NAMES = {"fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
                  "pt": "Portuguese", "nl": "Dutch", "ru": "Russian", "ar": "Arabic",
                  "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "el": "Greek",
                  "he": "Hebrew"}


@lru_cache(maxsize=2)
def load_model(threads: int = 2) -> PropscopeModel:
    """The shipped model, loaded and hash-checked once per process."""
    return PropscopeModel.load(threads=threads)


#: ``Report.cache`` key of the technique pass: (model, text, EncodedText | None).
ENCODED = "propscope.encoded"


def remember_encoding(report: Report, model: PropscopeModel, encoded: EncodedText | None) -> None:
    """Keep the encoder pass of ``report``'s text for later components (transient)."""
    report.cache[ENCODED] = (model, report.article.text, encoded)


def encodings(reports: Sequence[Report], model: PropscopeModel) -> list[EncodedText | None]:
    """The encoder pass of each report's text: the one the technique component kept when it
    ran with this model, else computed now (in one batch) and kept for the next component."""
    found: list[EncodedText | None] = [None] * len(reports)
    missing: list[int] = []
    for n, report in enumerate(reports):
        entry = report.cache.get(ENCODED)
        if entry is not None and entry[0] is model and entry[1] == report.article.text:
            found[n] = entry[2]
        else:
            missing.append(n)
    if missing:
        fresh = model.encode_texts([reports[n].article.text for n in missing])
        for n, enc in zip(missing, fresh, strict=True):
            found[n] = enc
            remember_encoding(reports[n], model, enc)
    return found


def english_only_warning(report: Report) -> None:
    language = report.article.language
    if language and language != "en":
        name = LANGUAGE_NAMES.get(language, language)
        message = (f"The models are English-only and this article looks {name}; "
                   "techniques and claims may be missed or wrong.")
        if message not in report.warnings:
            report.warnings.append(message)


class Techniques(BatchComponent):
    """Marks each passage that uses a persuasion technique, with an explanation."""

    name = "techniques.v1"

    def __init__(self, model: PropscopeModel) -> None:
        self.model = model

    def pipe(self, reports: Iterable[Report]) -> Iterator[Report]:
        batch = list(reports)
        predictions, encoded = self.model.analyse([r.article.text for r in batch])
        for report, spans, enc in zip(batch, predictions, encoded, strict=True):
            remember_encoding(report, self.model, enc)
            text = report.article.text
            report.techniques = [
                {
                    "start": span.start,
                    "end": span.end,
                    "text": text[span.start : span.end],
                    "technique": span.technique,
                    "name": TECHNIQUES[span.technique].name,
                    "confidence": round(float(span.confidence), 4),
                    "explanation": TECHNIQUES[span.technique].explanation,
                }
                for span in sorted(spans, key=lambda s: (s.start, s.end))
            ]
            report.models[self.name] = f"{self.model.name}/{self.model.version}"
            english_only_warning(report)
            yield report


@register("techniques.v1")
def _techniques(settings: Settings) -> Techniques:
    return Techniques(load_model(settings.threads))
