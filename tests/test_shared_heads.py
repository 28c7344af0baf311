"""Heads over the technique pass's hidden states: entities.v2 and claims.context.

Real shipped model, no fakes. The gold-set entity F1 is scored exactly as in test_entities.py.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from propscope.article import Article
from propscope.claims import ClaimsCascade, ClaimsInContext, SharedEntities
from propscope.entities import extract_entities
from propscope.model import (
    ENTITY_LABELS,
    PropscopeModel,
    casing_features,
    context_groups,
    decode_entities,
    join_sentences,
    span_tokens,
    word_firsts,
)
from propscope.pipeline import Pipeline
from propscope.report import Report
from propscope.settings import Settings
from propscope.techniques import ENCODED, Techniques
from tests.conftest import SHARED
from tests.entity_gold import TYPES, score_one_document, score_per_sentence

CT24 = SHARED / "checkworthy" / "ct24-english"

# Measured with the shipped entity head (see MODEL_CARD.md); floors sit a little below.
F1_FLOOR_SENTENCE = 0.85  # measured 0.868 (128-unit head)
F1_FLOOR_DOCUMENT = 0.92  # measured 0.931
CT24_DEV_FLOOR = 0.85

TEXT = (
    "General Qassem Soleimani, the head of Iran's Quds Force, was killed in Baghdad on Friday.\n"
    "Ärger in Köln 😀: Recep Tayyip Erdoğan met Angela Merkel in Berlin.\r\n"
    "IRAN VOWS REVENGE AFTER US KILLS SOLEIMANI IN BAGHDAD\n"
    "Unemployment fell to 3.5 percent last year, the lowest rate in fifty years, Donald Trump said."
)


def _pred(text: str, model: PropscopeModel, nlp: Any) -> set[tuple[int, int, str]]:
    [enc] = model.encode_texts([text])
    ents = extract_entities(text, nlp=nlp, ner=lambda cased: model.entity_spans(enc, cased))
    return {(s, e, ent.type) for ent in ents if ent.type in TYPES for s, e in ent.mentions}


# --------------------------------------------------------------------------- entity head


def test_model_has_shared_heads(model: PropscopeModel) -> None:
    assert model.has_entity_head
    assert model.has_context_head
    assert 0.0 < model.context_threshold < 1.0


def test_entity_head_f1_per_sentence(model: PropscopeModel, nlp: Any) -> None:
    _, _, f, n = score_per_sentence(lambda text: _pred(text, model, nlp))
    print(f"\nentity head F1 per sentence: {f:.3f} on {n} mentions")
    assert f >= F1_FLOOR_SENTENCE


def test_entity_head_f1_one_document(model: PropscopeModel, nlp: Any) -> None:
    _, _, f, n = score_one_document(lambda text: _pred(text, model, nlp))
    print(f"\nentity head F1 as one document: {f:.3f} on {n} mentions")
    assert f >= F1_FLOOR_DOCUMENT


def test_entity_spans_offsets_exact(model: PropscopeModel) -> None:
    [enc] = model.encode_texts([TEXT])
    spans = model.entity_spans(enc)
    assert spans
    for s, e, label in spans:
        assert 0 <= s < e <= len(TEXT)
        assert label in ENTITY_LABELS
        assert TEXT[s:e] == TEXT[s:e].strip()
    report = SharedEntities(model)(Report(Article("t", TEXT)))
    assert report.entities
    for entity in report.entities:
        for mention in entity["mentions"]:
            assert TEXT[mention["start"] : mention["end"]] == mention["text"]
            assert mention["text"] in entity["aliases"]
    names = {e["name"]: e["type"] for e in report.entities}
    assert names.get("Qassem Soleimani") == "PERSON"
    assert names.get("Baghdad") == "PLACE"


def test_entity_spans_need_same_length_text(model: PropscopeModel) -> None:
    [enc] = model.encode_texts(["Angela Merkel"])
    with pytest.raises(ValueError):
        model.entity_spans(enc, "Angela Merkel!")
    assert model.entity_spans(None) == []
    assert model.encode_texts(["", "  \n"]) == [None, None]


def test_decode_entities_and_casing_features() -> None:
    text = "Angela Merkel met\nBerlin"
    spans = [(0, 6), (7, 13), (14, 17), (18, 24)]
    k = len(ENTITY_LABELS)
    probs = np.zeros((4, 1 + 2 * k), np.float32)
    probs[0, 1 + ENTITY_LABELS.index("PERSON")] = 1.0
    probs[1, 1 + k + ENTITY_LABELS.index("PERSON")] = 1.0
    probs[2, 0] = 1.0
    probs[3, 1 + k + ENTITY_LABELS.index("GPE")] = 1.0  # an I with nothing open opens one
    assert decode_entities(probs, spans, text) == [(0, 13, "PERSON"), (18, 24, "GPE")]
    feats = casing_features(text, spans)
    assert feats.shape == (4, 10)
    assert feats[0, 0] == 1 and feats[0, 3] == 1  # capitalised, text start
    assert feats[2, 7] == 1 and feats[2, 0] == 0  # lowercase word
    assert feats[3, 3] == 1  # line start
    firsts, ranges = word_firsts([None, 0, 0, 1, None], [(0, 0), (0, 2), (2, 4), (5, 7), (0, 0)])
    assert firsts == [1, 3] and ranges == [(0, 4), (5, 7)]


# --------------------------------------------------------------------------- sharing one pass


def test_components_reuse_the_technique_pass(model: PropscopeModel, monkeypatch: pytest.MonkeyPatch) -> None:
    article = Article("t", TEXT)
    report = Techniques(model)(Report(article))
    assert ENCODED in report.cache

    def no_second_pass(texts: Any) -> Any:
        raise AssertionError("the encoder ran a second time")

    monkeypatch.setattr(model, "encode_texts", no_second_pass)
    monkeypatch.setattr(model, "checkworthiness", no_second_pass)
    shared = ClaimsInContext(model)(SharedEntities(model)(report))
    monkeypatch.undo()
    alone = ClaimsInContext(model)(SharedEntities(model)(Report(article)))
    assert shared.entities == alone.entities
    assert [c["start"] for c in shared.claims] == [c["start"] for c in alone.claims]
    assert [c["checkworthiness"] for c in shared.claims] == pytest.approx(
        [c["checkworthiness"] for c in alone.claims], abs=1e-3
    )


def test_cache_never_serialised(model: PropscopeModel) -> None:
    names = ["techniques.v1", "entities.v2", "claims.context.v1", "claims.v2", "summary.v1"]
    pipeline = Pipeline.from_names(names, Settings(threads=2))
    report = pipeline(Article("t", TEXT))
    assert report.cache == {}
    [piped] = list(pipeline.pipe([Article("t", TEXT)]))
    assert piped.cache == {}
    report = Techniques(model)(Report(Article("t", TEXT)))
    assert report.cache
    data = report.to_dict()
    assert "cache" not in data
    assert "propscope.encoded" not in report.to_json()
    assert pickle.loads(pickle.dumps(report)).cache == {}
    assert Report.from_dict(data).cache == {}


def test_empty_article_through_shared_components(model: PropscopeModel) -> None:
    report = ClaimsInContext(model)(SharedEntities(model)(Techniques(model)(Report(Article("t", "  \n ")))))
    assert report.entities == [] and report.claims == []


# --------------------------------------------------------------------------- check-worthiness in context


def test_context_groups_and_join() -> None:
    rows = [("12", "c"), ("10", "a"), ("11", "b"), ("90", "far"), ("91", "next")]
    assert context_groups(rows) == [[1, 2, 0], [3, 4]]
    assert context_groups(rows, size=2) == [[1, 2], [0], [3, 4]]
    text, spans = join_sentences(["One.", "Two words."])
    assert text == "One. Two words."
    assert [text[s:e] for s, e in spans] == ["One.", "Two words."]


def test_context_head_ranks_claim_above_thanks(model: PropscopeModel) -> None:
    text, spans = join_sentences(
        ["Thank you very much.", "Unemployment fell to 3.5 percent last year, the lowest rate in fifty years."]
    )
    [enc] = model.encode_texts([text])
    thanks, claim = model.checkworthiness_in_context(enc, spans)
    assert 0.0 <= thanks < claim <= 1.0


@pytest.mark.skipif(not CT24.is_dir(), reason="../shared/datasets/checkworthy/ct24-english is absent (research data)")
def test_context_head_ct24_dev(model: PropscopeModel) -> None:
    from propscope.ptc import read_checkworthy

    rows = read_checkworthy(CT24 / "CT24_checkworthy_english_dev.tsv")
    tp = fp = fn = 0
    for group in context_groups([(sid, text) for sid, text, _ in rows]):
        text, spans = join_sentences([rows[i][1] for i in group])
        [enc] = model.encode_texts([text])
        for i, p in zip(group, model.checkworthiness_in_context(enc, spans), strict=True):
            yes = p >= model.context_threshold
            tp += yes and rows[i][2]
            fp += yes and not rows[i][2]
            fn += (not yes) and rows[i][2]
    f1 = 2 * tp / (2 * tp + fp + fn)
    print(f"\nin-context check-worthiness, CT24 dev F1 {f1:.3f}")
    assert f1 >= CT24_DEV_FLOOR


def test_cascade_band_edges(model: PropscopeModel, monkeypatch: pytest.MonkeyPatch) -> None:
    """A band covering everything is the isolated head; an empty band is the in-context head."""
    text, spans = join_sentences([
        "Thank you very much.",
        "Unemployment fell to 3.5 percent last year, the lowest rate in fifty years.",
        "I think we should all be proud.",
        "The bill cut taxes for 40 million families.",
    ])
    [enc] = model.encode_texts([text])
    isolated = model.checkworthiness([text[s:e] for s, e in spans])
    contextual = model.checkworthiness_in_context(enc, spans)
    lo, hi = model.context_band
    assert 0.0 <= lo <= model.context_threshold <= hi <= 1.0
    monkeypatch.setattr(model, "context_band", (0.0, 1.0))
    [everything] = model.checkworthiness_cascade([text], [enc], [spans])
    assert [yes for _, yes in everything] == [p >= model.threshold for p in isolated]
    assert [p for p, _ in everything] == pytest.approx(isolated, abs=1e-5)
    monkeypatch.setattr(model, "context_band", (2.0, 2.0))
    [nothing] = model.checkworthiness_cascade([text], [enc], [spans])
    assert [yes for _, yes in nothing] == [p >= model.context_threshold for p in contextual]


def test_cascade_component_reports_decided_sentences(model: PropscopeModel) -> None:
    report = ClaimsCascade(model)(Techniques(model)(Report(Article("t", TEXT))))
    assert report.models["claims.v2"].startswith(model.name)
    assert any("Unemployment" in c["text"] for c in report.claims)
    for claim in report.claims:
        assert TEXT[claim["start"] : claim["end"]] == claim["text"]
        assert 0.0 <= claim["checkworthiness"] <= 1.0


@pytest.mark.parametrize("mode", ["isolated", "context", "cascade", None])
def test_eval_checkworthy_modes(mode: str | None, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from propscope import cli_research
    from propscope.pipeline import DEFAULT_COMPONENTS

    tsv = tmp_path / "sample.tsv"
    tsv.write_text(
        "Sentence_id\tText\tclass_label\n"
        "7\tUnemployment fell to 3.5 percent last year, the lowest rate in fifty years.\tYes\n"
        "8\tThank you very much.\tNo\n"
        "9\tThe bill cut taxes for 40 million families.\tYes\n"
        "50\tI'd like to mention one thing.\tNo\n",
        encoding="utf-8",
    )
    args = ["checkworthy", str(tsv), "--json"] + (["--mode", mode] if mode else [])
    result = CliRunner().invoke(cli_research.eval_group, args)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["sentences"] == 4
    expected = mode or ("cascade" if "claims.v2" in DEFAULT_COMPONENTS else "isolated")
    assert figures["mode"] == expected
    assert 0.0 <= figures["f1"] <= 1.0


def test_sentence_pooling_matches_span_tokens(model: PropscopeModel) -> None:
    from propscope.sentences import split_sentences

    [enc] = model.encode_texts([TEXT])
    assert enc is not None
    spans = [*split_sentences(TEXT), (len(TEXT) - 1, len(TEXT)), (0, 1)]
    pooled = model.pool_sentences(enc, spans)
    feats = model.context_features(enc, spans)
    assert feats.shape == (len(spans), 3 * enc.hidden.shape[1])
    for k, (s, e) in enumerate(spans):
        i, j = span_tokens(enc.offsets, s, e)
        assert np.allclose(pooled[k], enc.hidden[i:j].mean(axis=0), atol=1e-5)
        assert np.allclose(feats[k, -enc.hidden.shape[1] :], enc.hidden[j - 1])
    assert model.pool_sentences(None, [(0, 1)]).shape[0] == 1


def test_every_path_stays_registered() -> None:
    from propscope.pipeline import DEFAULT_COMPONENTS, registered

    names = registered()
    for name in ("entities.v1", "entities.v2", "claims.v1", "claims.v2", "claims.context.v1"):
        assert name in names
    assert "entities.v2" in DEFAULT_COMPONENTS


def test_gated_entity_head_matches_full_head_on_candidates(model: PropscopeModel) -> None:
    [enc] = model.encode_texts([TEXT])
    assert enc is not None
    feats, spans = model.entity_features(enc, TEXT)
    full = model.entity_probs(feats, gated=False)
    gated = model.entity_probs(feats)
    ran = gated[:, 0] < 1.0
    assert ran.any() and not ran.all()
    assert np.allclose(full[ran], gated[ran], atol=1e-5)
    assert decode_entities(full, spans, TEXT) == decode_entities(gated, spans, TEXT)


def test_register_lists_a_head_in_the_manifest(tmp_path: Path) -> None:
    from propscope.train.shared_heads import _sha256, register

    (tmp_path / "manifest.json").write_text(json.dumps({"files": {}, "thresholds": {"span": 0.2}, "dev_figures": {}}))
    np.savez(tmp_path / "head.npz", w=np.ones(3, np.float32))
    register(tmp_path, "head.npz", "head", {"f1": 0.5}, {"head_threshold": 0.4})
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    path = tmp_path / "head.npz"
    assert manifest["files"]["head.npz"] == {"sha256": _sha256(path), "size": path.stat().st_size}
    assert manifest["thresholds"] == {"span": 0.2, "head_threshold": 0.4}
    assert manifest["dev_figures"]["head"] == {"f1": 0.5}


def test_block_columns_pick_the_named_blocks() -> None:
    from propscope.train.shared_heads import block_columns

    assert block_columns([("a", 2), ("b", 3), ("c", 1)], ("a", "c")).tolist() == [0, 1, 5]
    assert block_columns([("a", 2), ("b", 3)], ()).tolist() == []
