"""The span-identification head (``si_head.npz``): its features, its trainer's maths, run time.

Real shipped model, no fakes. The trainer (``propscope.train.si_head``) is numpy only, so its
backward pass is checked here against finite differences.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from propscope.errors import ModelError
from propscope.model import (
    ANY_CHANNEL,
    N_SI_FEATURES,
    N_TOKEN_CHANNELS,
    SI_BLOCKS,
    SI_HEAD,
    PropscopeModel,
    decode_spans,
    default_model_dir,
    si_features,
)
from propscope.ptc import read_articles, read_si_labels
from propscope.train.si_head import backward, forward, init_params, token_labels
from tests.conftest import SHARED

PTC = SHARED / "ptc"
SHIPPED = (default_model_dir() / SI_HEAD).is_file()
needs_head = pytest.mark.skipif(not SHIPPED, reason="si_head.npz is not shipped with this model")

PROPAGANDA = (
    "The corrupt, treasonous elites want to destroy our great nation.\n"
    "These radical lunatics are a disgrace, a total disaster, and every patriot knows it. "
    'Wake up, America! They will stop at nothing to take away your "freedom".\n'
)


def _block(name: str) -> slice:
    pos = 0
    for block, width in SI_BLOCKS:
        if block == name:
            return slice(pos, pos + width)
        pos += width
    raise KeyError(name)


def test_si_features_blocks(model: PropscopeModel) -> None:
    text = 'WAKE UP, America!\nHe said "total disaster" today. Is it?'
    art = model._prepare(text)
    hidden = model._run_articles([art])[0]
    states = model._token_hidden(art, hidden)
    probs = model._token_probs(art, hidden)
    feats = si_features(text, art.offsets, art.word_ids, states, probs)
    assert feats.shape == (len(art.ids), N_SI_FEATURES)
    np.testing.assert_array_equal(feats[:, _block("tok")], states)
    np.testing.assert_array_equal(feats[:, _block("tokp")], probs)
    first_line = np.asarray([a < text.index("\n") for a, _ in art.offsets])
    np.testing.assert_allclose(feats[first_line][:, _block("line")], np.broadcast_to(
        states[first_line].mean(axis=0), (int(first_line.sum()), states.shape[1])), atol=1e-5)
    np.testing.assert_allclose(feats[~first_line][0, _block("line_tokp")], probs[~first_line].mean(axis=0), atol=1e-5)
    np.testing.assert_allclose(feats[:, _block("article")][3], states.mean(axis=0), atol=1e-5)
    lex = feats[:, _block("lex")]
    tokens = [text[a:b] for a, b in art.offsets]
    wake, total, it = tokens.index("WAKE"), tokens.index("total"), tokens.index("it")
    assert lex[wake, 0] == lex[wake, 1] == 1.0 and lex[wake, 7] == 1.0 and lex[wake, 6] == 1.0
    assert lex[total, 4] == 1.0 and lex[total, 0] == 0.0 and lex[total, 7] == 0.0
    assert lex[it, 4] == 0.0 and lex[it, 5] == 1.0
    assert lex[tokens.index(","), 2] == 1.0


def test_token_labels_half_inside() -> None:
    offsets = [(0, 4), (5, 10), (10, 12), (13, 20)]
    # gold covers "abcde" fully, 1 of the 2 characters of the third token, 3 of 7 of the last
    labels = token_labels(offsets, [(5, 11), (17, 20)], 20)
    assert labels.tolist() == [0.0, 1.0, 1.0, 0.0]


def test_trainer_backward_matches_finite_differences() -> None:
    rng = np.random.default_rng(0)
    convs = (3, 5)
    params = {k: v.astype(np.float64) for k, v in
              init_params(7, {"hidden": 6, "convs": convs, "residual": True}, rng).items()}
    x = rng.standard_normal((2, 11, 7))
    mask = np.ones((2, 11))
    mask[0, 8:] = 0
    mask[1, :2] = 0
    y = (rng.random((2, 11)) > 0.5).astype(float)
    res = rng.standard_normal((2, 11))

    def loss() -> float:
        logit, _ = forward(params, x, mask, convs, res)
        p = 1 / (1 + np.exp(-logit))
        return float(-(mask * (y * np.log(p) + (1 - y) * np.log(1 - p))).sum())

    logit, cache = forward(params, x, mask, convs, res)
    grads = backward(params, cache, (1 / (1 + np.exp(-logit)) - y) * mask, mask, convs)
    for name in ("w1", "wc0", "bc1", "w2", "b2"):
        flat = params[name].reshape(-1)
        for i in rng.choice(flat.size, min(flat.size, 6), replace=False):
            old = flat[i]
            flat[i] = old + 1e-6
            up = loss()
            flat[i] = old - 1e-6
            down = loss()
            flat[i] = old
            assert grads[name].reshape(-1)[i] == pytest.approx((up - down) / 2e-6, rel=1e-4, abs=1e-7), name


# --------------------------------------------------------------------------- the shipped head


@needs_head
def test_si_head_is_loaded_and_used(model: PropscopeModel) -> None:
    assert model.has_si_head
    thresholds = model.manifest["thresholds"]["si_head"]
    assert model.decode.threshold == thresholds["span"]
    assert model.decode.min_chars == thresholds["span_min_chars"]
    art = model._prepare(PROPAGANDA)
    hidden = model._run_articles([art])[0]
    states = model._token_hidden(art, hidden)
    probs = model._token_probs(art, hidden)
    feats = si_features(PROPAGANDA, art.offsets, art.word_ids, states, probs)
    p = model.si_probs(feats, probs[:, ANY_CHANNEL])
    assert p.shape == (len(art.ids),) and p.dtype == np.float32
    assert np.all((p >= 0.0) & (p <= 1.0))
    assert probs.shape[1] == N_TOKEN_CHANNELS
    # the run-time path (block by block, standardisation folded in) gives the same probabilities
    fast = model._span_probs(art, states, probs)
    np.testing.assert_allclose(fast, p, atol=1e-5)
    # analyse() decodes the head's probabilities with the head's thresholds
    expected = decode_spans(PROPAGANDA, art.offsets, art.word_ids, fast, model.decode)
    [spans] = model.techniques([PROPAGANDA])
    assert [(s.start, s.end) for s in spans] == [(s, e) for s, e, _ in expected]
    assert spans, "obvious loaded language should yield at least one span"


@needs_head
def test_si_head_hash_is_checked_and_absent_head_falls_back(tmp_path: Path, model: PropscopeModel) -> None:
    copy = tmp_path / "model"
    shutil.copytree(default_model_dir(), copy)
    head = copy / SI_HEAD
    data = bytearray(head.read_bytes())
    data[len(data) // 2] ^= 0xFF
    head.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        PropscopeModel.load(copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    del manifest["files"][SI_HEAD]
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    head.unlink()
    old = PropscopeModel.load(copy)
    assert not old.has_si_head
    assert old.decode == old.token_decode == model.token_decode
    with pytest.raises(ModelError):
        old.si_probs(np.zeros((1, N_SI_FEATURES), np.float32), np.zeros(1, np.float32))
    art = old._prepare(PROPAGANDA)
    probs = old._token_probs(art, old._run_articles([art])[0])
    expected = decode_spans(PROPAGANDA, art.offsets, art.word_ids, probs[:, ANY_CHANNEL], old.token_decode)
    assert [(s.start, s.end) for s in old.techniques([PROPAGANDA])[0]] == [(s, e) for s, e, _ in expected]


@needs_head
@pytest.mark.skipif(not (PTC / "dev-articles").is_dir(), reason="../shared/datasets/ptc is absent (research data)")
def test_si_head_separates_gold_tokens_on_dev(model: PropscopeModel) -> None:
    """On 6 dev articles the head ranks gold tokens above the rest better than chance by far."""
    texts = read_articles(PTC / "dev-articles")
    gold = read_si_labels(PTC / "dev-labels-task-si")
    scores, labels = [], []
    for aid in sorted(texts)[:6]:
        art = model._prepare(texts[aid])
        hidden = model._run_articles([art])[0]
        probs = model._token_probs(art, hidden)
        feats = si_features(art.text, art.offsets, art.word_ids, model._token_hidden(art, hidden), probs)
        scores.append(model.si_probs(feats, probs[:, ANY_CHANNEL]))
        labels.append(token_labels(art.offsets, gold.get(aid, []), len(art.text)))
    s, y = np.concatenate(scores), np.concatenate(labels).astype(bool)
    ranks = np.argsort(np.argsort(s)) + 1
    auc = (ranks[y].sum() - y.sum() * (y.sum() + 1) / 2) / (y.sum() * (~y).sum())
    assert auc > 0.75, auc
