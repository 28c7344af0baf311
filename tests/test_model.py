"""Tests against the real shipped model (no fakes)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from propscope.errors import ModelError
from propscope.model import TECHNIQUES, PropscopeModel, SpanPrediction, default_model_dir

ROOT = Path(__file__).resolve().parent.parent
PTC_DEV = ROOT.parent / "shared" / "datasets" / "ptc" / "dev-articles"

PROPAGANDA = (
    "The corrupt, treasonous elites want to destroy our great nation. "
    "These radical lunatics are a disgrace, a total disaster, and every patriot knows it. "
    "Wake up, America! They will stop at nothing to take away your freedom.\n"
)


@pytest.fixture(scope="module")
def model() -> PropscopeModel:
    return PropscopeModel.load()


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
    assert model.version == "1"
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
