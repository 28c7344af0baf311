"""The built-in analysis components (``techniques.v1``, ``entities.v1`` and ``claims.v1``
live in their own modules and register on import)."""

from __future__ import annotations

from collections import Counter

from propscope.pipeline import register
from propscope.report import Report
from propscope.sentences import split_sentences
from propscope.settings import Settings


class Summary:
    """Counts per technique and the share of sentences that use one."""

    name = "summary.v1"

    def __call__(self, report: Report) -> Report:
        sentences = split_sentences(report.article.text)
        spans = [(t["start"], t["end"]) for t in report.techniques]
        touched = sum(
            1 for s, e in sentences if any(start < e and end > s for start, end in spans)
        )
        counts = Counter(t["technique"] for t in report.techniques)
        report.summary = {
            "sentences": len(sentences),
            "sentences_with_technique": touched,
            "share_with_technique": round(touched / len(sentences), 3) if sentences else 0.0,
            "techniques": dict(counts.most_common()),
            "claims": len(report.claims),
            "entities": len(report.entities),
        }
        return report


@register("summary.v1")
def _summary(settings: Settings) -> Summary:
    return Summary()


def _import_builtins() -> None:
    from propscope import claims, techniques  # noqa: F401  (register on import)


_import_builtins()
