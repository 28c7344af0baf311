"""A small language guess from function words and scripts: enough to warn that
the models are English-only."""

from __future__ import annotations

import re

_FUNCTION_WORDS = {
    code: set(words.split())
    for code, words in {
        "en": "the and of to in is that for it was on with as are by this be at from have not",
        "fr": "le la les et des du est que une pour dans qui pas sur au avec sont",
        "de": "der die das und ist nicht mit den von zu auf ein eine sich des auch",
        "es": "el la los las y de que en es por una con para del se no",
        "it": "il la che di e per una sono con non del della gli le si",
        "pt": "o a os as e de que em um uma para com não do da se",
        "nl": "de het een en van is dat op te in niet met voor zijn",
    }.items()
}
_SCRIPTS = [
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
]
_WORD = re.compile(r"[^\W\d_]+")


def guess_language(text: str) -> str | None:
    """An ISO 639-1 code, or None when the text is too short to tell."""
    sample = text[:5000]
    letters = sum(ch.isalpha() for ch in sample)
    if letters < 20:
        return None
    for code, script in _SCRIPTS:
        if len(script.findall(sample)) > letters * 0.3:
            return code
    words = [w.lower() for w in _WORD.findall(sample)]
    if not words:
        return None
    scores = {
        code: sum(w in vocab for w in words) for code, vocab in _FUNCTION_WORDS.items()
    }
    best = max(scores, key=lambda code: scores[code])
    return best if scores[best] >= max(2, len(words) * 0.05) else None
