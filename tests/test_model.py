"""Tests against the real shipped model (no fakes)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from propscope.errors import ModelError
from propscope.model import (
    N_TC_LEXICAL,
    TC_BLOCKS,
    TECHNIQUES,
    PropscopeModel,
    SpanPrediction,
    default_model_dir,
    span_lexical_features,
)

ROOT = Path(__file__).resolve().parent.parent
PTC_DEV = ROOT.parent / "shared" / "datasets" / "ptc" / "dev-articles"

PROPAGANDA = (
    "The corrupt, treasonous elites want to destroy our great nation. "
    "These radical lunatics are a disgrace, a total disaster, and every patriot knows it. "
    "Wake up, America! They will stop at nothing to take away your freedom.\n"
)


def _check_spans(text: str, spans: list[SpanPrediction]) -> None:
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        piece = text[span.start : span.end]
        assert piece == piece.strip(), f"span has surrounding whitespace: {piece!r}"
        assert piece[-1] not in ".,:;"
        # offsets land on word boundaries: no word is cut in two
        assert span.start == 0 or not (text[span.start - 1].isalnum() and text[span.start].isalnum())
        assert span.end == len(text) or not (text[span.end - 1].isalnum() and text[span.end].isalnum())
        assert span.technique in TECHNIQUES
        assert 0.0 <= span.confidence <= 1.0


def test_load_metadata(model: PropscopeModel) -> None:
    assert model.name == "propscope-mini"
    assert model.version == "1.1"  # the distilled 3-layer encoder
    assert 0.0 < model.threshold < 1.0
    total = sum(p.stat().st_size for p in default_model_dir().iterdir() if p.is_file())
    assert total <= 40 * 1024 * 1024


def test_techniques_offsets_exact(model: PropscopeModel) -> None:
    [spans] = model.techniques([PROPAGANDA])
    assert spans, "obvious loaded language should yield at least one span"
    _check_spans(PROPAGANDA, spans)


def test_empty_and_blank_text(model: PropscopeModel) -> None:
    assert model.techniques([]) == []
    assert model.techniques(["", "   \n\t "]) == [[], []]
    assert model.checkworthiness([]) == []
    assert model.classify_spans("abc", []) == []


def test_offsets_with_emoji_combining_and_crlf(model: PropscopeModel) -> None:
    prefix = "😀🇺🇸 Cafe\u0301 ñ e\u0301te\u0301\r\n\r\n"
    text = prefix + PROPAGANDA.replace("\n", "\r\n") + "👍\r\n"
    [spans] = model.techniques([text])
    _check_spans(text, spans)
    assert any(s.start >= len(prefix) for s in spans), "spans after emoji/combining characters expected"
    target = text.index("corrupt")
    [pred] = model.classify_spans(text, [(target, target + len("corrupt"))])
    assert (pred.start, pred.end) == (target, target + len("corrupt"))
    assert pred.technique in TECHNIQUES


def test_long_article_spans_beyond_first_window(model: PropscopeModel) -> None:
    filler = "The committee met on Tuesday and reviewed the quarterly budget figures in detail.\n"
    text = filler * 100 + PROPAGANDA * 3 + filler * 20
    n_tokens = len(model._prepare(text).ids)
    assert n_tokens > 5 * 254, "article must need more than five windows"
    [spans] = model.techniques([text])
    _check_spans(text, spans)
    late = [s for s in spans if s.start > len(filler) * 100]
    assert late, "spans far beyond the first window must be found"



def test_a_text_gets_the_same_spans_alone_and_among_others(model: PropscopeModel) -> None:
    filler = "The committee met on Tuesday and reviewed the quarterly budget figures in detail.\n"
    long_text = filler * 30 + PROPAGANDA * 2  # several windows
    others = ["A short note.", "SHOUTING IN CAPITALS ABOUT THE TRAITORS!!! " * 40, filler * 3]
    [alone] = model.techniques([long_text])
    among = model.techniques([others[0], long_text, *others[1:]])[1]
    assert alone and among == alone
    sentences = ["Police said 12 people were hurt.", "THE TRAITORS WILL PAY!!! " * 20]
    # the same up to float rounding in the products that follow the encoder
    assert np.allclose(model.encode_sentences(sentences[:1]), model.encode_sentences(sentences)[:1], atol=1e-6)


def test_one_thread_and_two_give_the_same_spans(model: PropscopeModel) -> None:
    single = PropscopeModel.load(threads=1)
    text = PROPAGANDA * 4
    assert single.techniques([text, PROPAGANDA]) == model.techniques([text, PROPAGANDA])

def test_classify_spans_duplicates_get_distinct_techniques(model: PropscopeModel) -> None:
    start = PROPAGANDA.index("radical lunatics")
    span = (start, start + len("radical lunatics"))
    preds = model.classify_spans(PROPAGANDA, [span, span])
    assert len(preds) == 2
    assert preds[0].technique != preds[1].technique
    assert preds[0].confidence >= preds[1].confidence
    with pytest.raises(ValueError):
        model.classify_spans(PROPAGANDA, [(5, 2)])


def test_checkworthiness_ranks_claim_above_thanks(model: PropscopeModel) -> None:
    claim, thanks = model.checkworthiness(
        ["Unemployment fell to 3.5 percent last year, the lowest rate in fifty years.", "Thank you very much."]
    )
    assert 0.0 <= thanks < claim <= 1.0


def test_encode_sentences_normalised(model: PropscopeModel) -> None:
    emb = model.encode_sentences(["a cat", "a dog"])
    assert emb.shape == (2, 384)
    assert abs(float((emb[0] ** 2).sum()) - 1.0) < 1e-4


def test_sentence_embeddings_go_through_the_map_and_checkworthiness_does_not(model: PropscopeModel) -> None:
    sentences = ["The council approved the budget on Tuesday.", "Police said 12 people were hurt."]
    pooled = model.pooled_states(sentences)
    heads = model._heads
    assert "sent_map" in heads  # the shipped encoder is distilled and carries its map
    mapped = pooled @ heads["sent_map"] + heads["sent_map_b"]
    mapped /= np.linalg.norm(mapped, axis=1, keepdims=True)
    assert np.allclose(model.encode_sentences(sentences), mapped, atol=1e-5)
    plain = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    assert float(np.abs(mapped - plain).max()) > 1e-3  # the map is not the identity
    logits = pooled @ heads["ct_w"] + heads["ct_b"]
    assert np.allclose(model.checkworthiness(sentences), 1 / (1 + np.exp(-logits.reshape(-1))), atol=1e-5)


def test_corrupted_file_raises(tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(default_model_dir(), copy)
    heads = copy / "heads.npz"
    data = bytearray(heads.read_bytes())
    data[len(data) // 2] ^= 0xFF
    heads.write_bytes(bytes(data))
    with pytest.raises(ModelError):
        PropscopeModel.load(copy)


def test_manifest_hash_mismatch_and_missing_file_raise(tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(default_model_dir(), copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    digest = manifest["files"]["model.onnx"]["sha256"]
    manifest["files"]["model.onnx"]["sha256"] = ("0" if digest[0] != "0" else "1") + digest[1:]
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelError):
        PropscopeModel.load(copy)
    shutil.rmtree(copy)
    shutil.copytree(default_model_dir(), copy)
    (copy / "tokenizer.json").unlink()
    with pytest.raises(ModelError):
        PropscopeModel.load(copy)
    with pytest.raises(ModelError):
        PropscopeModel.load(tmp_path / "nowhere")


@pytest.mark.skipif(not PTC_DEV.is_dir(), reason="../shared/datasets/ptc/dev-articles is absent (research data)")
def test_real_dev_articles(model: PropscopeModel) -> None:
    paths = sorted(PTC_DEV.glob("article*.txt"))[:3]
    texts = [p.read_bytes().decode("utf-8") for p in paths]
    results = model.techniques(texts)
    assert len(results) == len(texts)
    for text, spans in zip(texts, results, strict=True):
        _check_spans(text, spans)
    assert any(results), "real news articles should contain predicted spans"


# --------------------------------------------------------------------------- tc_head.npz


def test_tc_head_is_loaded_and_labels_classify_spans(model: PropscopeModel) -> None:
    assert model.has_tc2_head
    art = model._prepare(PROPAGANDA)
    hidden = model._run_articles([art])[0]
    start = PROPAGANDA.index("radical lunatics")
    spans = [(0, 12), (start, start + len("radical lunatics"))]
    feats = model.tc_features(art, hidden, spans)
    assert feats.shape == (2, sum(width for _, width in TC_BLOCKS))
    given = model.tc_features(art, hidden, spans, states=model._token_hidden(art, hidden),
                              probs=model._token_probs(art, hidden))
    np.testing.assert_array_equal(given, feats)
    probs = model._tc2_probs(feats)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-4)
    if model.has_lexical_tc:  # the lexical model (tc_lex.npz) has the last word
        probs = model._with_lexical(PROPAGANDA, spans, probs)
    preds = model.classify_spans(PROPAGANDA, spans)
    for pred, p in zip(preds, probs, strict=True):
        assert pred.technique == TECHNIQUES[int(np.argmax(p))]
        assert pred.confidence == pytest.approx(float(p.max()), abs=1e-4)


def test_techniques_label_spans_with_the_tc_head(model: PropscopeModel) -> None:
    [spans] = model.techniques([PROPAGANDA])
    assert spans
    labelled = model.classify_spans(PROPAGANDA, [(s.start, s.end) for s in spans])
    assert [s.technique for s in spans] == [p.technique for p in labelled]


def test_model_without_tc_head_falls_back_to_v1_span_head(tmp_path: Path, model: PropscopeModel) -> None:
    copy = tmp_path / "model"
    shutil.copytree(default_model_dir(), copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    del manifest["files"]["tc_head.npz"]
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (copy / "tc_head.npz").unlink()
    old = PropscopeModel.load(copy)
    assert not old.has_tc2_head
    start = PROPAGANDA.index("radical lunatics")
    [pred] = old.classify_spans(PROPAGANDA, [(start, start + len("radical lunatics"))])
    assert pred.technique in TECHNIQUES
    assert old.techniques([PROPAGANDA])[0]


def test_span_lexical_features() -> None:
    text = 'He said "WAKE UP" now.\nIs this fair?'
    start = text.index("WAKE")
    quoted = span_lexical_features(text, start, start + len("WAKE UP"))
    assert len(quoted) == N_TC_LEXICAL
    assert quoted[0] == 1.0 and quoted[3] == 1.0 and quoted[4] == 1.0
    assert quoted[1] == quoted[2] == 0.0
    q = text.index("Is")
    question = span_lexical_features(text, q, len(text))
    assert question[0] == 0.0 and question[2] == 1.0 and question[7] == 1.0
    assert question[5] == 1.0
    assert all(0.0 <= v <= 1.0 for v in quoted + question)
