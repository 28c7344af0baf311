"""Distillation helpers (need the [train] extra: torch and transformers; skipped without them)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from propscope.model import CLS_ID, SEP_ID, PropscopeModel, default_model_dir

torch = pytest.importorskip("torch", reason="distillation needs the [train] extra (torch)")
pytest.importorskip("transformers", reason="distillation needs the [train] extra (transformers)")
distil = pytest.importorskip("propscope.train.distil")


def test_token_batches_cover_every_row_once_within_the_budget() -> None:
    lengths = [random.Random(k).randint(5, 256) for k in range(300)]
    batches = distil.token_batches(lengths, 2048, random.Random(13))
    assert sorted(i for b in batches for i in b) == list(range(300))
    assert all(max(lengths[i] for i in b) * len(b) <= 2048 for b in batches if len(b) > 1)


def test_teacher_read_back_from_onnx_gives_the_graph_states(model: PropscopeModel) -> None:
    try:
        encoder = distil.teacher_from_onnx(default_model_dir() / "model.onnx")
    except ImportError as err:  # the base checkpoint package is part of the [train] extra
        pytest.skip(f"base encoder not installed: {err}")
    text = "The corrupt elites want to destroy our great nation, and every patriot knows it."
    ids = [CLS_ID, *model._tokenizer.encode(text, add_special_tokens=False).ids, SEP_ID]
    graph = model._encode_batch([ids])[0]
    with torch.no_grad():
        float_states = encoder(input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long))
    states = float_states.last_hidden_state[0].numpy()
    cosine = (graph * states).sum(1) / np.linalg.norm(graph, axis=1) / np.linalg.norm(states, axis=1)
    assert cosine.mean() > 0.98  # the int8 graph also quantises activations, so not exactly 1
    kept = distil.keep_layers(encoder, [0, 2])
    assert len(kept.encoder.layer) == 2 and len(encoder.encoder.layer) == 3
