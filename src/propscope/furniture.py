"""Plain-text pages: split the article from its furniture and read its metadata.

A page is cut into blocks (paragraphs; a "Related posts" heading takes its list
with it). Each block is body, furniture (removed, with the reason) or a metadata
line (byline, date line, section label: removed from the body, read into fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from propscope.article import Removed
from propscope.dates import find_date

_I = re.IGNORECASE

# Furniture that is unmistakable wherever it stands.
_STRONG: list[tuple[str, re.Pattern[str]]] = [
    ("note to readers", re.compile(r"^\W*note to (?:our )?readers\b", _I)),
    (
        "share appeal",
        re.compile(
            r"^\W*(?:please\s+)?(?:share|re-?post|forward)\s+(?:this|our|these)\b"
            r"|^\W*share\s+(?:on|via|to)\b|^\W*(?:click|tap|use)\s+the\s+share\b"
            r"|^\W*(?:follow|like)\s+us\s+on\b",
            _I,
        ),
    ),
    (
        "social buttons",
        re.compile(
            r"^\W*(?:facebook|twitter|x|email|e-mail|whatsapp|telegram|reddit|linkedin|print)"
            r"(?:\s*[|·•,/]\s*(?:facebook|twitter|x|email|e-mail|whatsapp|telegram|reddit"
            r"|linkedin|print|copy link))+\W*$",
            _I,
        ),
    ),
    (
        "donation appeal",
        re.compile(
            r"\b(?:please\s+)?(?:donate|make a donation|chip in|become a patron|buy (?:us|me) a coffee)\b"
            r"|\bsupport (?:our|independent|us|this site|reader-funded)\b.*\b(?:journalism|work|media|"
            r"donat\w*|today|subscri\w*)\b|\bpatreon\.com\b|\bpaypal\b",
            _I,
        ),
    ),
    (
        "payment handle",
        re.compile(
            r"\b(?:bitcoin|btc|ethereum|eth|venmo|cash\s?app|zelle)\b\s*(?:address)?\s*[:@$]"
            r"|\b(?:bc1|[13])[a-km-zA-HJ-NP-Z1-9]{25,39}\b",
            _I,
        ),
    ),
    (
        "subscription appeal",
        re.compile(
            r"\b(?:subscribe to|sign up for|join) (?:our|the) (?:free )?(?:daily |weekly )?"
            r"(?:newsletter|mailing list|channel)\b|^\W*subscribe\b\W*$",
            _I,
        ),
    ),
    (
        "membership prompt",
        re.compile(
            r"\bbecome a (?:member|subscriber|supporter)\b|\bmembers? only\b"
            r"|^\W*(?:log|sign) in to\b",
            _I,
        ),
    ),
    (
        "comment prompt",
        re.compile(
            r"^\W*(?:leave a (?:comment|reply)|post a comment|add a comment)\b"
            r"|\bjoin the (?:discussion|conversation)\b|^\W*\d*\s*comments?\W*$"
            r"|^\W*what do you think\?\W*(?:let us know|tell us|comment)",
            _I,
        ),
    ),
    (
        "copyright notice",
        re.compile(r"^\W*(?:copyright\b|©|\(c\)\s*\d{4})|\ball rights reserved\b", _I),
    ),
    (
        "disclaimer",
        re.compile(
            r"^\W*disclaimer\b|\b(?:views|opinions) expressed (?:in this (?:article|piece) )?"
            r"are (?:solely )?(?:those of|the author)|\bsole responsibility of the author",
            _I,
        ),
    ),
    (
        "cookie notice",
        re.compile(
            r"\b(?:we|this (?:site|website)) uses? cookies\b|\bcookie (?:policy|settings|consent)\b"
            r"|\baccept (?:all )?cookies\b",
            _I,
        ),
    ),
]

_RELATED_HEADING = re.compile(
    r"^\W*(?:related(?: posts| articles| stories| reading| coverage)?|read more|more from .{1,40}"
    r"|you (?:may|might) also like|recommended(?: for you)?|see also|further reading|trending)\W*$",
    _I,
)

# Metadata lines: read into fields, removed from the body.
_NAME = r"(?P<name>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|da|al|bin|and))*)"
_BYLINE = re.compile(rf"^\W*(?i:(?:written\s+)?by)\s+{_NAME}\s*(?:[,|–—-]\s*(?P<outlet>.+?))?\s*$")
_POSTED = re.compile(
    rf"^\W*(?i:(?:posted|published|updated)(?:\s+on)?)\s+(?P<when>.+?)\s+(?i:by)\s+{_NAME}\s*$"
)
_ARTICLES_BY = re.compile(rf"^\W*(?i:articles by|author)\s*:\s*{_NAME}\s*$")
_DATE_LINE = re.compile(
    r"^\W*(?:(?:date|dated|posted|published|updated|first published)(?:\s+on)?\s*:?\s*)?"
    r"(?P<when>.{6,40}?)\s*$",
    _I,
)
_SECTION = re.compile(
    r"^\W*(?P<key>region|theme|topic|topics|section|category|categories|tags|filed under)\s*:\s*(?P<value>.+)$",
    _I,
)
_SOURCE = re.compile(
    r"^\W*(?:source|outlet|publication)\s*:\s*(?P<outlet>.+?)\s*$"
    r"|^\W*(?:this article )?(?:was )?(?:originally|first) (?:published|appeared) (?:on|in|at|by) "
    r"(?P<outlet2>[^.,]+?)\W*$",
    _I,
)
_COPYRIGHT_OWNER = re.compile(
    r"(?:copyright|©|\(c\))\s*(?:©\s*)?(?:\d{4}\s*(?:[-–]\s*\d{4})?\s*,?\s*)?(?P<owner>[^.,\d][^.,]*?)"
    r"\s*(?:,?\s*\d{4})?\s*(?:\.|,|$)",
    _I,
)


@dataclass
class PlainPage:
    """What plain-text cleaning found: body blocks, removed blocks, metadata."""

    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None
    body: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(self.body)


def _blocks(text: str) -> list[str]:
    """Paragraphs: runs of non-blank lines."""
    return [b.strip("\n") for b in re.split(r"\n[ \t]*\n", text) if b.strip()]


def furniture_reason(block: str) -> str | None:
    """Why ``block`` is page furniture, or None when it reads as article text."""
    for reason, pattern in _STRONG:
        for line in block.splitlines():
            if pattern.search(line) and _short_or_leading(line, pattern):
                return reason
    return None


def _short_or_leading(line: str, pattern: re.Pattern[str]) -> bool:
    """Body sentences may mention donations or cookies; appeals are short or lead with it."""
    match = pattern.search(line)
    return match is not None and (len(line) <= 320 or match.start() < 40)


def _metadata(line: str, page: PlainPage) -> str | None:
    """Read a metadata line into ``page``; the reason it leaves the body, or None."""
    stripped = line.strip()
    if len(stripped) > 120:
        return None
    if m := _SECTION.match(stripped):
        page.sections[m["key"].lower()] = m["value"].strip()
        return "section label"
    if m := _POSTED.match(stripped):
        page.author = page.author or m["name"].strip()
        page.published = page.published or _iso(m["when"])
        return "byline"
    if (m := _BYLINE.match(stripped)) or (m := _ARTICLES_BY.match(stripped)):
        page.author = page.author or m["name"].strip()
        outlet = m.groupdict().get("outlet")
        if outlet:
            when = find_date(outlet)
            if when:
                page.published = page.published or when[0]
                outlet = (outlet[: when[1]] + outlet[when[2] :]).strip(" ,|–—-")
            if outlet:
                page.outlet = page.outlet or outlet
        return "byline"
    if m := _SOURCE.match(stripped):
        page.outlet = page.outlet or (m["outlet"] or m["outlet2"]).strip()
        return "source line"
    if (m := _DATE_LINE.match(stripped)) and (when := find_date(m["when"])):
        rest = (m["when"][: when[1]] + m["when"][when[2] :]).strip(" ,.|–—-:")
        if len(rest) <= 12:  # a weekday or a time, not a sentence
            page.published = page.published or when[0]
            return "date line"
    return None


def metadata_reason(line: str) -> str | None:
    """Why ``line`` is a metadata line (byline, date line, ...), or None."""
    return _metadata(line, PlainPage())


def _iso(raw: str) -> str | None:
    found = find_date(raw)
    return found[0] if found else None


def _looks_like_title(block: str) -> bool:
    lines = block.splitlines()
    return len(lines) == 1 and 3 <= len(block) <= 200 and not block.rstrip().endswith((".", ":"))


def clean_plain_text(text: str, *, keep_furniture: bool = False) -> PlainPage:
    """Split a plain-text page into article body, furniture and metadata."""
    page = PlainPage()
    blocks = _blocks(text)
    in_related = False
    for index, block in enumerate(blocks):
        lines = block.splitlines()
        if in_related and all(len(line) < 160 for line in lines) and not _ends_sentence(block):
            page.removed.append(Removed(block, "related links"))
            continue
        in_related = False
        if _RELATED_HEADING.match(lines[0]):
            in_related = True
            page.removed.append(Removed(block, "related links"))
            continue
        if not keep_furniture and (reason := furniture_reason(block)):
            page.removed.append(Removed(block, reason))
            continue
        kept = []
        for line in lines:
            reason = _metadata(line, page) if len(lines) <= 4 or index < 3 else None
            if reason:
                page.removed.append(Removed(line.strip(), reason))
            else:
                kept.append(line)
        if kept:
            page.body.append("\n".join(kept))
    if page.body and _looks_like_title(page.body[0]):
        page.title = page.body[0].strip()
    if not page.outlet:
        page.outlet = _outlet_from_copyright(page.removed)
    return page


def _ends_sentence(block: str) -> bool:
    return bool(re.search(r"[.!?][\"'”’)]?\s*$", block)) and len(block.split()) > 12


def _outlet_from_copyright(removed: list[Removed]) -> str | None:
    for block in removed:
        if block.reason == "copyright notice" and (m := _COPYRIGHT_OWNER.search(block.text)):
            owner = m["owner"].strip(" ©")
            if owner and not owner.lower().startswith("all rights"):
                return owner
    return None
