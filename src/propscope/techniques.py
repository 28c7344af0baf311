"""The technique component: persuasion-technique spans from the shipped model."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from propscope.model import PropscopeModel
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
        predictions = self.model.techniques([r.article.text for r in batch])
        for report, spans in zip(batch, predictions, strict=True):
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
