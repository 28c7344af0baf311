"""Compare sources: line up articles on one story, claim by claim.

``compare(sources)`` analyses each source, groups the articles by story, aligns their
sentences (every sentence with a time, number or named entity, not only check-worthy ones)
and labels each aligned group of sentences:

* ``agrees``: the sentences say the same (matching values, or the same sense);
* ``contradicts``: at least two of them cannot both be true; each conflict names the values
  (dates, numbers, durations, places, roles, people, or a negated predicate);
* ``compatible``: aligned, but the differences do not conflict: different reference times
  ("2.9% in April" / "3.2% in May"), figures attributed to different named sources ("police
  said" / "organisers said"), or nothing to compare;
* ``only_in``: a sentence with a time or number that no other article in its story matches.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from propscope import __version__
from propscope.article import Article as SourceArticle
from propscope.compare_align import (
    ALIGN_FLOOR,
    ALIGN_MIN,
    Article,
    build_articles,
    duplicates,
    sentence_pairs,
    story_groups,
)
from propscope.compare_checks import CHECKS, marked
from propscope.compare_clash import ClashModel, pairs_with_values, shipped_model
from propscope.compare_judge import (
    AGREES,
    COMPATIBLE,
    CONTRADICTS,
    ONLY_IN,
    Conflict,
    Context,
    Judgement,
    aligned_polarity_conflicts,
    attribute_clashes,
    harm_conflicts,
    judge,
    value_conflict,
)
from propscope.compare_roles import RANK, role_conflicts
from propscope.compare_values import Sentence, measure_key
from propscope.pipeline import DEFAULT_COMPONENTS, Pipeline
from propscope.report import Report
from propscope.settings import Settings

SCHEMA = "propscope.comparison/1"
# Comparison keeps spaCy's entities and each sentence's own check-worthiness: entity clusters
# drive story grouping and alignment, and on the labelled sets the shared-pass components
# (entities.v2, claims.v2) found fewer contradictions and more false ones (independent
# analysed half: P 0.53 R 0.24 against P 0.60 R 0.27; dev R 0.95 against 1.00).
COMPONENTS = ("techniques.v1", "entities.v1", "claims.v1", "summary.v1")
Source = str | os.PathLike[str] | SourceArticle | Report
Encoder = Callable[[Sequence[str]], Any]


@dataclass
class Comparison:
    """Articles on one or more stories and what they agree and disagree on."""

    reports: list[Report]
    articles: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "propscope": __version__,
            "articles": self.articles,
            "entities": self.entities,
            "groups": self.groups,
            "findings": self.findings,
            "warnings": self.warnings,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def count(self, relation: str) -> int:
        return sum(1 for f in self.findings if f["relation"] == relation)


# --------------------------------------------------------------------------- analysis


@lru_cache(maxsize=4)
def compare_pipeline(settings: Settings | None = None) -> Pipeline:
    """The components a comparison needs (techniques, entities, claims, summary)."""
    import propscope.claims
    import propscope.techniques

    del propscope.claims, propscope.techniques  # imported to register their components

    if set(COMPONENTS) <= set(DEFAULT_COMPONENTS):
        from propscope.api import default_pipeline

        return default_pipeline(settings)
    return Pipeline.from_names(COMPONENTS, settings)


def default_encoder(settings: Settings | None = None) -> Encoder:
    """Sentence embeddings from the shipped model."""
    from propscope.techniques import load_model

    return load_model((settings or Settings()).threads).encode_sentences


def analyse_all(sources: Iterable[Source], settings: Settings | None = None) -> list[Report]:
    """A report with entities and claims for every source (errors propagate)."""
    from propscope.ingest import read_source

    settings = settings or Settings()
    pipeline = compare_pipeline(settings)
    reports: list[Report | None] = []
    pending: list[tuple[int, SourceArticle]] = []
    for source in sources:
        if isinstance(source, Report) and "entities.v1" in source.models:
            reports.append(source)
            continue
        article = source.article if isinstance(source, Report) else source
        if not isinstance(article, SourceArticle):
            article = read_source(os.fspath(article), settings)
        pending.append((len(reports), article))
        reports.append(None)
    for (index, _), report in zip(pending, pipeline.pipe(a for _, a in pending), strict=True):
        reports[index] = report
    return [r for r in reports if r is not None]


def compare(
    sources: Iterable[Source], *, settings: Settings | None = None, encoder: Encoder | None = None
) -> Comparison:
    """Compare articles: paths, URLs, ``Article``s or ``Report``s (two or more)."""
    reports = analyse_all(sources, settings)
    return compare_reports(reports, encoder or default_encoder(settings))


# --------------------------------------------------------------------------- the comparison


def compare_reports(reports: Sequence[Report], encoder: Encoder, *, learned: bool = True) -> Comparison:
    """Compare analysed articles (see :func:`compare`); ``learned=False`` leaves out the learned
    judge of clashing values (:mod:`propscope.compare_clash`), the rules alone."""
    result = Comparison(list(reports))
    articles, clusters = build_articles(reports, encoder)
    dupes = duplicates(articles)
    result.articles = [_article_row(a, dupes.get(a.index)) for a in articles]
    result.entities = [{"name": c.name, "type": c.type, "aliases": list(c.aliases),
                        "articles": sorted({a.index for a in articles if i in a.clusters})}
                       for i, c in enumerate(clusters)]
    result.warnings += _input_warnings(articles, dupes)
    if len(articles) - len(dupes) < 2:
        return result
    groups = story_groups(articles, set(dupes))
    clash = shipped_model() if learned else None
    for g, members in enumerate(groups):
        result.groups.append({"id": g, "articles": members, "title": _group_title(articles, members)})
        if len(members) > 1:
            result.findings += _group_findings(g, [articles[i] for i in members], clash)
    result.warnings += _group_warnings(articles, groups)
    return result


def _article_row(a: Article, duplicate_of: int | None) -> dict[str, Any]:
    art = a.report.article
    return {
        "index": a.index, "source": art.source, "title": art.title, "outlet": art.outlet,
        "published": art.published, "text": art.text, "duplicate_of": duplicate_of,
        "claims": len(a.report.claims), "techniques": dict(a.report.summary.get("techniques", {})),
        "share_with_technique": a.report.summary.get("share_with_technique", 0.0),
    }


def _name(a: Article) -> str:
    return a.report.article.source


def _input_warnings(articles: Sequence[Article], dupes: dict[int, int]) -> list[str]:
    out = []
    if len(articles) < 2:
        out.append(f"comparison needs two or more articles; got {len(articles)}")
    for index, original in sorted(dupes.items()):
        out.append(f"{_name(articles[index])} duplicates {_name(articles[original])}; compared once")
    out += [f"{_name(a)} has no claims to compare" for a in articles
            if not any(s.values or s.entities or marked(s.text) for s in a.sentences) and a.index not in dupes]
    if len(articles) >= 2 and len(articles) - len(dupes) < 2:
        out.append("all articles are the same text; nothing to compare")
    return out


def _group_warnings(articles: Sequence[Article], groups: list[list[int]]) -> list[str]:
    if len(groups) > 1 and all(len(g) == 1 for g in groups):
        return ["the articles are about different stories (unrelated); nothing to compare"]
    return [f"{_name(articles[g[0]])} shares no story with the other articles"
            for g in groups if len(g) == 1 and len(groups) > 1 and articles[g[0]].sentences]


def _group_title(articles: Sequence[Article], members: list[int]) -> str:
    for i in members:
        title = articles[i].report.article.title
        if title:
            return title
    return _name(articles[members[0]])


# --------------------------------------------------------------------------- findings


Node = tuple[int, int]  # (article index, sentence index)


@dataclass
class Edge:
    """Two aligned sentences of different articles and the judgement on them."""

    a: Node
    b: Node
    verdict: Judgement
    cosine: float
    mutual: bool  # each is the other's closest aligned sentence in the two articles

    @property
    def strong(self) -> bool:
        """Whether values (or a negation, place) tie the two sentences, not only their sense."""
        return bool(self.verdict.conflicts or self.verdict.matches)


@dataclass
class Clique:
    """Sentences that are pairwise aligned and, where values tie them, measure one thing."""

    nodes: set[Node]
    measures: set[str]
    conflicted: bool


def _edges(group: Sequence[Article], clash: ClashModel | None) -> list[Edge]:
    ctx = Context(article_times={a.index: a.times for a in group},
                  article_clusters={a.index: a.clusters for a in group})
    edges = []
    for x, first in enumerate(group):
        for second in group[x + 1 :]:
            if not first.sentences or not second.sentences:
                continue
            cosines = first.vectors @ second.vectors.T
            pairs = sentence_pairs(first, second, cosines)
            best_i = {i: max(c for i2, _, c in pairs if i2 == i) for i, _, _ in pairs}
            best_j = {j: max(c for _, j2, c in pairs if j2 == j) for _, j, _ in pairs}
            verdicts = {(i, j): (judge(first.sentences[i], second.sentences[j], cosine, ctx), cosine,
                                 cosine == best_i[i] == best_j[j])
                        for i, j, cosine in pairs}
            if clash is not None:
                _learned_conflicts(first, second, cosines, clash, ctx, verdicts)
            _harm_found(first, second, cosines, verdicts)
            _any_pair_found(first, second, cosines, verdicts)
            for (i, j), (verdict, cosine, mutual) in verdicts.items():
                if mutual and cosine >= ALIGN_MIN and not verdict.conflicts:
                    a, b = first.sentences[i], second.sentences[j]
                    _record(verdict, aligned_polarity_conflicts(a, b) or attribute_clashes(a, b))
            for (i, j), (verdict, cosine, mutual) in verdicts.items():
                if verdict.conflicts or verdict.matches or mutual:
                    edges.append(Edge((first.index, i), (second.index, j), verdict, cosine, mutual))
    return edges


def _learned_conflicts(first: Article, second: Article, cosines: Any, clash: ClashModel, ctx: Context,
                       verdicts: dict[tuple[int, int], tuple[Judgement, float, bool]]) -> None:
    """Add the conflicts the learned judge finds between any two sentences (aligned or not) to
    ``verdicts``, creating a verdict for a pair the rules did not align."""
    for i, j, pair in pairs_with_values(first.sentences, second.sentences, cosines, ALIGN_FLOOR):
        found = clash.conflicts(pair, ctx)
        if not found:
            continue
        verdict = _verdict(verdicts, i, j, pair.cosine)
        called = {(c.first_span, c.second_span) for c in verdict.conflicts}
        new = [(va, vb, p) for va, vb, p in found if ((va.start, va.end), (vb.start, vb.end)) not in called]
        _record(verdict, [value_conflict(va, vb, round(p, 2)) for va, vb, p in new],
                {measure_key(va, vb) for va, vb, _ in new})


def _harm_found(first: Article, second: Article, cosines: Any,
                verdicts: dict[tuple[int, int], tuple[Judgement, float, bool]]) -> None:
    """Add to ``verdicts`` the harm one sentence denies and another reports, in any two sentences
    of the two articles (they seldom read alike: "No one was hurt" / "A teller suffered a cut")."""
    for i, a in enumerate(first.sentences):
        for j, b in enumerate(second.sentences):
            if not ((a.denied_harms and b.reported_harms) or (b.denied_harms and a.reported_harms)):
                continue
            found = harm_conflicts(a, b)
            if not found:
                continue
            verdict = _verdict(verdicts, i, j, float(cosines[i, j]))
            if not any(c.kind == "negation" for c in verdict.conflicts):  # else the rules read the denial
                _record(verdict, found)


def _any_pair_found(first: Article, second: Article, cosines: Any,
                    verdicts: dict[tuple[int, int], tuple[Judgement, float, bool]]) -> None:
    """Add to ``verdicts`` the conflicts of :data:`propscope.compare_checks.CHECKS` between
    alike sentences."""
    for check in CHECKS:
        checked = [(j, b) for j, b in enumerate(second.sentences) if check.has(b.text)]
        for i, a in enumerate(first.sentences):
            if not checked or not check.has(a.text):
                continue
            for j, b in checked:
                cosine = float(cosines[i, j])
                if cosine >= check.floor and (found := check.conflicts(a.text, b.text)):
                    _record(_verdict(verdicts, i, j, cosine), found)


def _verdict(verdicts: dict[tuple[int, int], tuple[Judgement, float, bool]], i: int, j: int,
             cosine: float) -> Judgement:
    """The verdict on sentences ``i`` and ``j``, created (not aligned, not mutual) when the rules
    had none."""
    return verdicts.setdefault((i, j), (Judgement(CONTRADICTS), cosine, False))[0]


def _record(verdict: Judgement, found: list[Conflict], measures: set[str] | None = None) -> None:
    """Add conflicts to a verdict, with what they measure (by default kind:first value)."""
    if not found:
        return
    verdict.conflicts += found
    verdict.measures |= measures if measures is not None else {f"{c.kind}:{c.first}" for c in found}
    verdict.relation = CONTRADICTS


def _shares_measure(measures: set[str], others: set[str]) -> bool:
    """Whether two sets of measure keys (kind:unit:predicate, "*" for none) meet."""
    def loose(key: str) -> str:
        return key.rsplit(":", 1)[0]

    if measures & others:
        return True
    return any(loose(m) == loose(o) and "*" in (m[-1], o[-1]) for m in measures for o in others)


def _joins(node: Node, clique: Clique, links: dict[frozenset[Node], Edge]) -> bool:
    """Whether ``node`` is aligned with every member, by values of the clique's measure; or,
    for a clique without conflicts, aligned with every member at all."""
    edges = [links.get(frozenset((node, m))) for m in clique.nodes]
    if any(e is None for e in edges) or any(n[0] == node[0] for n in clique.nodes):
        return False
    strong = [e for e in edges if e is not None and e.strong]
    if len(strong) == len(edges):
        return all(_shares_measure(e.verdict.measures, clique.measures) for e in strong)
    return not clique.conflicted and not any(e.verdict.conflicts for e in strong)


def _add(node: Node, clique: Clique, links: dict[frozenset[Node], Edge]) -> None:
    for m in list(clique.nodes):
        edge = links[frozenset((node, m))]
        clique.conflicted |= bool(edge.verdict.conflicts)
    clique.nodes.add(node)


def _extended(edge: Edge, cliques: list[Clique], links: dict[frozenset[Node], Edge]) -> bool:
    """Add the edge's outside sentence to a clique holding the other one, if it fits."""
    for clique in cliques:
        for inside, outside in ((edge.a, edge.b), (edge.b, edge.a)):
            if inside in clique.nodes and outside not in clique.nodes and _joins(outside, clique, links):
                _add(outside, clique, links)
                return True
    return False


def cliques(edges: list[Edge]) -> list[Clique]:
    """Aligned sentences grouped into small cliques: every two members are aligned (no
    chains), conflicts first, then matching values, then sentences that only read alike."""
    links = {frozenset((e.a, e.b)): e for e in edges}
    ordered = sorted(edges, key=lambda e: (not e.verdict.conflicts, not e.strong, -e.cosine))
    out: list[Clique] = []
    for edge in ordered:
        if any(edge.a in c.nodes and edge.b in c.nodes for c in out) or _extended(edge, out, links):
            continue
        if edge.strong or edge.mutual:
            out.append(Clique({edge.a, edge.b}, set(edge.verdict.measures), bool(edge.verdict.conflicts)))
    return out


def _group_findings(g: int, group: Sequence[Article], clash: ClashModel | None) -> list[dict[str, Any]]:
    by_index = {a.index: a for a in group}
    edges = _edges(group, clash)
    links = {frozenset((e.a, e.b)): e for e in edges}
    found = cliques(edges)
    findings = [_finding(g, sorted(c.nodes), links, by_index) for c in found]
    used = {n for e in edges for n in (e.a, e.b)}
    for art in group:
        for i, s in enumerate(art.sentences):
            if (art.index, i) not in used and s.values:
                findings.append(_only_in(g, art, s))
    findings += _role_findings(g, group, by_index)
    order = {CONTRADICTS: 0, AGREES: 1, COMPATIBLE: 2, ONLY_IN: 3}
    return sorted(findings, key=lambda f: (order[f["relation"]], f["claims"][0]["article"], f["claims"][0]["start"]))


def _claim(art: Article, s: Sentence) -> dict[str, Any]:
    return {"article": art.index, "source": _name(art), "start": s.start, "end": s.end, "text": s.text,
            "checkworthy": s.checkworthy}


def _values(claim: int, s: Sentence) -> list[dict[str, Any]]:
    return [{"claim": claim, "article": s.article, "kind": v.kind, "text": v.text, "value": v.shown,
             "start": v.start, "end": v.end, **({"derived": v.derived} if v.derived else {})}
            for v in s.values]


def _finding(g: int, nodes: list[Node], links: dict[frozenset[Node], Edge],
             by_index: dict[int, Article]) -> dict[str, Any]:
    slot = {n: k for k, n in enumerate(nodes)}
    sentences = [by_index[a].sentences[i] for a, i in nodes]
    inside = [links[frozenset((x, y))] for k, x in enumerate(nodes) for y in nodes[k + 1 :]]
    conflicts, notes = [], []
    for edge in inside:
        for c in edge.verdict.conflicts:
            conflicts.append({"kind": c.kind, "claims": [slot[edge.a], slot[edge.b]], "values": [c.first, c.second],
                              "explanation": c.explanation,
                              **({"confidence": c.confidence} if c.confidence is not None else {})})
        notes += edge.verdict.notes
    relations = {e.verdict.relation for e in inside}
    relation = CONTRADICTS if conflicts else AGREES if AGREES in relations else COMPATIBLE
    return {
        "relation": relation, "group": g,
        "claims": [_claim(by_index[a], s) for (a, _), s in zip(nodes, sentences, strict=True)],
        "values": [v for k, s in enumerate(sentences) for v in _values(k, s)],
        "conflicts": conflicts, "notes": sorted(set(notes)),
    }


def _only_in(g: int, art: Article, s: Sentence) -> dict[str, Any]:
    return {"relation": ONLY_IN, "group": g, "claims": [_claim(art, s)], "values": _values(0, s),
            "conflicts": [], "notes": [f"only {_name(art)} says this"]}


def _role_findings(g: int, group: Sequence[Article], by_index: dict[int, Article]) -> list[dict[str, Any]]:
    out = []
    for first, second, kind in role_conflicts([m for a in group for m in a.roles]):
        pair = []
        for m in (first, second):
            art = by_index[m.article]
            pair.append(next(s for s in art.sentences if s.start == m.start))
        roles = [m.role.removeprefix(RANK) for m in (first, second)]
        shown = [f"{m.person}: {role}" for m, role in zip((first, second), roles, strict=True)]
        why = {"role": f"{first.person} is called {roles[0]} and {roles[1]}",
               "rank": f"{first.person} is given the rank of {roles[0]} and of {roles[1]}",
               "age": f"{first.person} is {roles[0]} and {roles[1]}"}.get(
                   kind, f"{roles[0]}: {first.person} or {second.person}")
        out.append({
            "relation": CONTRADICTS, "group": g,
            "claims": [_claim(by_index[m.article], s) for m, s in zip((first, second), pair, strict=True)],
            "values": [{"claim": k, "article": m.article, "kind": kind, "text": m.person, "value": role}
                       for k, (m, role) in enumerate(zip((first, second), roles, strict=True))],
            "conflicts": [{"kind": kind, "claims": [0, 1], "values": shown, "explanation": why}],
            "notes": [],
        })
    return out
