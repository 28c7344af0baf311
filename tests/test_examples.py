"""Metadata and furniture on the bundled examples: every body sentence kept,
every furniture block removed with a reason."""

from __future__ import annotations

import re

import pytest

from propscope.ingest import read_source
from propscope.sentences import split_sentences
from tests.conftest import EXAMPLES

FURNITURE_REASONS = {
    "marren-fire-blog.txt": {
        "Region: Europe": "section label",
        "Theme: Industry, Disasters": "section label",
        "Articles by: Dana Whitlock": "byline",
        "Posted on March 17, 2025 by Dana Whitlock": "byline",
        "Share this article": "share appeal",
        "Note to readers": "note to readers",
        "Please support independent journalism": "donation appeal",
        "Bitcoin: bc1q": "donation appeal",
        "Become a member": "membership prompt",
        "Leave a comment": "comment prompt",
        "Copyright © Harbour Watch Review": "copyright notice",
        "Disclaimer: The views": "disclaimer",
        "We use cookies": "cookie notice",
        "Related posts": "related links",
        "Who owns Osterland's ports?": "related links",
    },
    "marren-fire-wire.txt": {
        "By Lena Okafor, Coastline Wire": "byline",
        "March 15, 2025": "date line",
    },
    "marren-fire-beacon.html": {
        "We use cookies to give you the best experience.": "cookie notice",
        "By Viktor Hale, 16 March 2025": "byline",
        "Share this article": "share appeal",
        "Related articles": "related links",
        "The cartel that owns our coast": "related links",
        "Copyright © 2025 Northern Beacon": "copyright notice",
        "Support our reader-funded journalism": "donation appeal",
        "Home": "navigation",
    },
}

METADATA = {
    "marren-fire-blog.txt": ("What the Marren fire tells us about port safety", "Dana Whitlock",
                             "Harbour Watch Review", "2025-03-17"),
    "marren-fire-wire.txt": ("Fire at Marren port warehouse kills 12, officials say",
                             "Lena Okafor", "Coastline Wire", "2025-03-15"),
    "marren-fire-beacon.html": ("Marren Burns While the Elites Look Away", "Viktor Hale",
                                "Northern Beacon", "2025-03-16"),
}


def _body_sentences(name: str) -> list[str]:
    """Body sentences, read from the example by hand-kept markers: every paragraph
    between the title and the first furniture block."""
    raw = (EXAMPLES / name).read_text("utf-8")
    if name.endswith(".html"):
        paragraphs = re.findall(r"<p>(.*?)</p>", raw.split("<article>")[1].split("</article>")[0])
        paragraphs = [p.replace("&quot;", '"') for p in paragraphs]
    else:
        blocks = [b.strip() for b in raw.split("\n\n") if b.strip()]
        furniture = tuple(FURNITURE_REASONS[name])
        paragraphs = [b for b in blocks if not b.startswith(furniture) and "\n" not in b]
    return [p[s:e] for p in paragraphs for s, e in split_sentences(p)]


@pytest.mark.parametrize("name", sorted(METADATA))
def test_examples_metadata(name: str) -> None:
    article = read_source(str(EXAMPLES / name))
    assert (article.title, article.author, article.outlet, article.published) == METADATA[name]
    assert article.language == "en"


@pytest.mark.parametrize("name", sorted(METADATA))
def test_examples_every_body_sentence_kept(name: str) -> None:
    article = read_source(str(EXAMPLES / name))
    sentences = _body_sentences(name)
    assert len(sentences) >= 8
    for sentence in sentences:
        assert sentence in article.text


@pytest.mark.parametrize("name", sorted(METADATA))
def test_examples_every_furniture_block_removed_with_reason(name: str) -> None:
    article = read_source(str(EXAMPLES / name))
    for snippet, reason in FURNITURE_REASONS[name].items():
        assert snippet not in article.text, snippet
        matching = [r for r in article.removed if snippet in r.text]
        assert matching, f"{snippet!r} not listed as removed"
        assert matching[0].reason == reason


def test_keep_furniture_keeps_everything() -> None:
    from propscope.settings import Settings

    article = read_source(str(EXAMPLES / "marren-fire-blog.txt"), Settings(keep_furniture=True))
    assert "Please support independent journalism" in article.text
    assert "Leave a comment" in article.text
