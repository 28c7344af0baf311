"""Distil the shipped encoder into a shallower one that gives the same token states.

The heads of propscope-mini read the int8 encoder's last hidden states. A student made of some
of the teacher's own layers is trained to give those states, token by token (mean squared
error over every token of every window the run time encodes: the PTC train articles, the CT24
train sentences read in their pseudo-articles and alone). The teacher is the int8 ONNX model
itself, turned back into a float torch model for the student's starting weights, so nothing
but the shipped model folder is needed::

    HF_HUB_OFFLINE=1 python -m propscope.train.distil --teacher SIX_LAYER_DIR --ptc DIR --ct24 DIR \
        --out DIR --layers 1,3,5

OUT is a copy of the teacher's folder with the student's int8 ``model.onnx``; refit the heads
on it afterwards (DEVELOPERS.md lists the commands).
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import random
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from propscope.model import CLS_ID, SEP_ID, WINDOW_TOKENS, PropscopeModel
from propscope.train.compare_clash import fit
from propscope.train.data import read_ct24
from propscope.train.evaluate import best_threshold, binary_f1
from propscope.train.export import export_encoder
from propscope.train.package import file_entries
from propscope.train.pipeline import default_encoder_dir
from propscope.train.shared_heads import ct_pseudo_articles, ptc_texts, register

CT24_FILE = "CT24_checkworthy_english_{}.tsv"
HIDDEN = 384


def _dequantised(init: dict[str, np.ndarray], name: str) -> np.ndarray:
    """A weight of onnxruntime's dynamic quantisation back in float: (q - zero point) * scale."""
    q = init[f"{name}_quantized"].astype(np.float32)
    return (q - init[f"{name}_zero_point"].astype(np.float32)) * init[f"{name}_scale"]


def teacher_from_onnx(onnx_path: Path, encoder_dir: Path | None = None) -> nn.Module:
    """The float BERT encoder whose int8 export is ``onnx_path`` (fused graph, per-channel int8).

    The graph's initialisers are mapped back onto a BertModel of the base checkpoint's shape
    with as many layers as the graph has:
    the fused attention packs query, key and value in one matrix; the other dense layers are
    read in graph order (attention output, intermediate, output per layer)."""
    import onnx
    from onnx import numpy_helper
    from transformers import AutoConfig, AutoModel

    graph = onnx.load(str(onnx_path)).graph
    init = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    dense = [n.input[1].removesuffix("_quantized") for n in graph.node if n.op_type == "MatMulInteger"]
    layers = sum(1 for n in graph.node if n.op_type == "QAttention")
    if not layers or len(dense) != 3 * layers:
        raise ValueError(f"{onnx_path}: {layers} attention layers and {len(dense)} dense ones; not a fused int8 BERT")
    config = AutoConfig.from_pretrained(str(encoder_dir or default_encoder_dir()))
    config.num_hidden_layers = layers
    model = AutoModel.from_config(config, attn_implementation="eager")
    state: dict[str, np.ndarray] = {}
    for name in ("word_embeddings.weight", "position_embeddings.weight", "token_type_embeddings.weight",
                 "LayerNorm.weight", "LayerNorm.bias"):
        state[f"embeddings.{name}"] = _dequantised(init, f"encoder.embeddings.{name}")
    for i in range(layers):
        prefix = f"encoder.layer.{i}"
        qkv, qkv_bias = _dequantised(init, f"Attention_{i}_qkv_weight"), init[f"Attention_{i}_qkv_bias"]
        for j, name in enumerate(("query", "key", "value")):
            cols = slice(HIDDEN * j, HIDDEN * (j + 1))
            state[f"{prefix}.attention.self.{name}.weight"] = qkv[:, cols].T
            state[f"{prefix}.attention.self.{name}.bias"] = qkv_bias[cols]
        for name, weight in zip(("attention.output", "intermediate", "output"), dense[3 * i : 3 * i + 3], strict=True):
            state[f"{prefix}.{name}.dense.weight"] = _dequantised(init, weight).T
        for name in ("attention.output.dense.bias", "attention.output.LayerNorm.weight",
                     "attention.output.LayerNorm.bias", "intermediate.dense.bias", "output.dense.bias",
                     "output.LayerNorm.weight", "output.LayerNorm.bias"):
            state[f"{prefix}.{name}"] = init[f"encoder.{prefix}.{name}"]
    own = model.state_dict()
    tensors = {k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32)) for k, v in state.items()}
    tensors.update({k: v for k, v in own.items() if k.startswith("pooler.")})  # unused by propscope
    model.load_state_dict(tensors)
    return model.eval()


def keep_layers(encoder: nn.Module, keep: list[int]) -> nn.Module:
    """A copy of ``encoder`` with only the transformer layers ``keep`` (in that order)."""
    student = copy.deepcopy(encoder)
    student.encoder.layer = nn.ModuleList([student.encoder.layer[i] for i in keep])
    student.config.num_hidden_layers = len(keep)
    return student


def distillation_rows(model: PropscopeModel, ptc_dir: Path, ct24_dir: Path) -> list[list[int]]:
    """Token ids (with [CLS]/[SEP]) of every window the run time encodes for the training texts."""
    ct_file = ct24_dir / CT24_FILE.format("train")
    texts = ptc_texts(ptc_dir, "train") + ct_pseudo_articles(ct_file)[0]
    rows: list[list[int]] = []
    for text in texts:
        article = model._prepare(text)
        rows += [model._window_ids(article, w) for w in article.windows]
    for _, sentence, _ in read_ct24(ct_file):
        ids = model._tokenizer.encode(sentence, add_special_tokens=False).ids[: WINDOW_TOKENS - 2]
        rows.append([CLS_ID, *ids, SEP_ID])
    return rows


def token_batches(lengths: list[int], max_tokens: int, rng: random.Random) -> list[list[int]]:
    """Rows grouped by similar length into batches of at most ``max_tokens`` padded tokens."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i] + rng.random())
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        width = max([lengths[j] for j in current] + [lengths[i]])
        if current and width * (len(current) + 1) > max_tokens:
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    rng.shuffle(batches)
    return batches


def _collate(batch: list[int], rows: list[list[int]], targets: list[np.ndarray]) -> tuple[torch.Tensor, ...]:
    width = max(len(rows[i]) for i in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    target = torch.zeros((len(batch), width, HIDDEN))
    for r, i in enumerate(batch):
        n = len(rows[i])
        ids[r, :n] = torch.tensor(rows[i])
        mask[r, :n] = 1
        target[r, :n] = torch.from_numpy(targets[i].astype(np.float32))
    return ids, mask, target


def distil(student: nn.Module, rows: list[list[int]], targets: list[np.ndarray], *, epochs: float, lr: float,
           max_tokens: int, seed: int, pool_weight: float) -> list[float]:
    """Train ``student`` to give ``targets`` (bf16 autocast, AdamW, warm-up then cosine decay).

    The loss is the mean squared error per token and dimension plus ``pool_weight`` times one
    minus the cosine between the student's and the teacher's mean state of each row: sentence
    embeddings (the mean state of a sentence read alone) align sentences in ``compare``, so
    their directions must survive as well as the token states."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    lengths = [len(r) for r in rows]
    plan = token_batches(lengths, max_tokens, rng)
    total = max(1, int(len(plan) * epochs))
    warm = max(1, total // 20)
    optimiser = torch.optim.AdamW(student.parameters(), lr=lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(s, total) / total)))
    student.train()
    losses: list[tuple[float, float]] = []
    start = time.perf_counter()
    for step in range(total):
        if step and step % len(plan) == 0:
            plan = token_batches(lengths, max_tokens, rng)
        ids, mask, target = _collate(plan[step % len(plan)], rows, targets)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            hidden = student(input_ids=ids, attention_mask=mask).last_hidden_state
        hidden = hidden.float()
        weight = mask.unsqueeze(-1).float()
        token_mse = (((hidden - target) ** 2) * weight).sum() / (weight.sum() * HIDDEN)
        count = weight.sum(1)
        cosine = nn.functional.cosine_similarity((hidden * weight).sum(1) / count, (target * weight).sum(1) / count)
        pool_loss = (1.0 - cosine).mean()
        loss = token_mse + pool_weight * pool_loss
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(student.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        losses.append((token_mse.item(), pool_loss.item()))
        if (step + 1) % 100 == 0:
            recent = np.mean(losses[-100:], axis=0)
            print(f"step {step + 1}/{total} token mse {recent[0]:.4f} pooled 1-cos {recent[1]:.4f} "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)
    return [a + pool_weight * b for a, b in losses]


def teacher_states(model: PropscopeModel, ptc_dir: Path, ct24_dir: Path,
                   cache: Path | None) -> tuple[list[list[int]], list[np.ndarray]]:
    """Rows and the teacher's states for them (float16), read from ``cache`` when it exists."""
    if cache is not None and cache.exists():
        with np.load(cache, allow_pickle=True) as npz:
            return [r.tolist() for r in npz["rows"]], list(npz["targets"])
    rows = distillation_rows(model, ptc_dir, ct24_dir)
    targets = [h.astype(np.float16) for h in model._encode_batch(rows)]
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, rows=np.array([np.asarray(r, np.int32) for r in rows], dtype=object),
                 targets=np.array(targets, dtype=object))
    return rows, targets


def write_student(student: nn.Module, teacher_dir: Path, out_dir: Path, record: dict[str, Any]) -> None:
    """``out_dir``: the teacher's folder with the student's int8 encoder, manifest updated."""
    if out_dir.resolve() != teacher_dir.resolve():
        shutil.copytree(teacher_dir, out_dir, dirs_exist_ok=True)
    export_encoder(student.eval().float(), out_dir / "model.onnx")
    manifest_path = out_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"].update(file_entries(out_dir, ("model.onnx",)))
    manifest["training"]["distilled"] = record
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def update_heads(model_dir: Path, arrays: dict[str, np.ndarray], figures_key: str, figures: dict[str, Any],
                 thresholds: dict[str, float] | None = None) -> None:
    """Merge ``arrays`` into ``heads.npz`` and register it (sha256, ``figures``, ``thresholds``)."""
    with np.load(model_dir / "heads.npz") as npz:
        heads = {k: npz[k] for k in npz.files}
    heads.update({k: np.asarray(v, np.float32) for k, v in arrays.items()})
    np.savez(model_dir / "heads.npz", **heads)
    register(model_dir, "heads.npz", figures_key, figures, thresholds)


def fit_sentence_map(model_dir: Path, rows: list[list[int]], targets: list[np.ndarray], threads: int,
                     ridge: float = 1.0) -> dict[str, Any]:
    """Add ``sent_map`` to ``heads.npz``: the ridge regression from the student's mean states to
    the teacher's over the texts read alone (the rows shorter than a full window: the CT24
    sentences and the few short pseudo-articles)."""
    model = PropscopeModel.load(model_dir, threads=threads)
    sentences = [i for i, r in enumerate(rows) if len(r) < WINDOW_TOKENS]
    student = np.stack([h.mean(axis=0) for h in model._encode_batch([rows[i] for i in sentences])])
    teacher = np.stack([targets[i].astype(np.float32).mean(axis=0) for i in sentences])
    x = np.hstack([student, np.ones((len(student), 1), np.float32)]).astype(np.float64)
    coef = np.linalg.solve(x.T @ x + ridge * np.eye(x.shape[1]), x.T @ teacher)
    mapped = x @ coef

    def mean_cosine(a: np.ndarray) -> float:
        return float(np.mean(np.sum(a * teacher, 1) / np.linalg.norm(a, axis=1) / np.linalg.norm(teacher, axis=1)))

    figures = {"sentences": len(sentences), "ridge": ridge,
               "cosine_to_teacher_before": round(mean_cosine(student), 4),
               "cosine_to_teacher_after": round(mean_cosine(mapped), 4)}
    update_heads(model_dir, {"sent_map": coef[:-1], "sent_map_b": coef[-1]}, "sentence_map", figures)
    return figures


def refit_isolated_head(model_dir: Path, ct24_dir: Path, l2: float, threads: int) -> dict[str, Any]:
    """Refit the isolated check-worthiness head of ``heads.npz`` (a linear layer over a sentence's
    mean state) on the new encoder: L2 logistic regression on CT24 train, threshold on CT24 dev."""
    model = PropscopeModel.load(model_dir, threads=threads)
    split = {name: read_ct24(ct24_dir / CT24_FILE.format(name)) for name in ("train", "dev", "dev-test")}
    pooled = {name: model.pooled_states([text for _, text, _ in rows])
              for name, rows in split.items()}
    labels = {name: [y for _, _, y in rows] for name, rows in split.items()}
    weights, bias = fit(pooled["train"], labels["train"], l2=l2)
    probs = {name: (1.0 / (1.0 + np.exp(-(x.astype(np.float64) @ weights + bias)))).tolist()
             for name, x in pooled.items()}
    threshold, dev_f1 = best_threshold(probs["dev"], labels["dev"])
    figures = {"l2": l2, "threshold": threshold, "dev_f1": round(dev_f1, 4),
               "dev_test_f1": round(binary_f1(probs["dev-test"], labels["dev-test"], threshold), 4)}
    update_heads(model_dir, {"ct_w": weights, "ct_b": np.asarray([bias])}, "checkworthiness_refit", figures,
                 {"checkworthiness": threshold})
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m propscope.train.distil", description=__doc__)
    parser.add_argument("--ptc", type=Path, required=True, help="PTC v2 dataset folder")
    parser.add_argument("--ct24", type=Path, required=True, help="CT24 English check-worthiness folder")
    parser.add_argument("--out", type=Path, required=True, help="model folder to write")
    parser.add_argument("--teacher", type=Path, required=True,
                        help="6-layer model folder, as `propscope train` writes it")
    parser.add_argument("--layers", default="1,3,5", help="teacher layers the student keeps")
    parser.add_argument("--epochs", type=float, default=3.0)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--max-tokens", type=int, default=4096, help="padded tokens per batch")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pool-weight", type=float, default=1.0,
                        help="weight of the mean-state cosine loss against the per-token error")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for the teacher's states (reused when present) and the student checkpoint")
    parser.add_argument("--init", type=Path, default=None, help="student checkpoint to continue from")
    parser.add_argument("--ct-l2", type=float, default=1.0, help="L2 of the isolated check-worthiness head")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    torch.set_num_threads(args.threads)
    teacher_dir = args.teacher
    model = PropscopeModel.load(teacher_dir, threads=args.threads)
    start = time.perf_counter()
    rows, targets = teacher_states(model, args.ptc, args.ct24, args.work / "teacher_states.npz" if args.work else None)
    print(f"teacher states: {len(rows)} rows, {sum(map(len, rows))} tokens "
          f"({time.perf_counter() - start:.0f} s)", flush=True)
    keep = [int(x) for x in args.layers.split(",")]
    student = keep_layers(teacher_from_onnx(teacher_dir / "model.onnx"), keep)
    if args.init:
        student.load_state_dict(torch.load(args.init))
    start = time.perf_counter()
    losses = distil(student, rows, targets, epochs=args.epochs, lr=args.lr, max_tokens=args.max_tokens,
                    seed=args.seed, pool_weight=args.pool_weight)
    if args.work:
        torch.save(student.state_dict(), args.work / "student.pt")
    record = {
        "teacher": "the 6-layer int8 encoder of propscope-mini v1 (its ONNX weights, dequantised)",
        "layers_kept": keep, "epochs": args.epochs, "lr": args.lr, "max_tokens": args.max_tokens,
        "seed": args.seed, "pool_weight": args.pool_weight, "init": str(args.init) if args.init else None,
        "rows": len(rows), "tokens": sum(map(len, rows)),
        "final_loss": round(float(np.mean(losses[-100:])), 4), "seconds": round(time.perf_counter() - start),
    }
    write_student(student, teacher_dir, args.out, record)
    print(json.dumps(record, indent=2), flush=True)
    print(json.dumps({"sentence_map": fit_sentence_map(args.out, rows, targets, args.threads)}), flush=True)
    print(json.dumps({"isolated_checkworthiness": refit_isolated_head(args.out, args.ct24, args.ct_l2, args.threads)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
