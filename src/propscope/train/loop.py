"""The joint training loop (bf16 autocast on CPU): PTC windows + CT24 sentences per step."""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tokenizers import Tokenizer

from propscope.model import ANY_CHANNEL, BEGIN_CHANNEL, CLS_ID, N_TECH, PAD_ID, SEP_ID
from propscope.train.net import MultiTaskNet
from propscope.train.windows import EncodedArticle, Window, make_windows


@dataclass
class TrainConfig:
    epochs: float = 3.0
    seed: int = 13
    ptc_batch: int = 16
    ct_batch: int = 48
    ct_max_tokens: int = 128
    stride: int = 224
    lr_encoder: float = 8e-5
    lr_heads: float = 1e-3
    warmup: float = 0.06
    weight_decay: float = 0.01
    tasks: tuple[str, ...] = ("ptc", "ct")
    ct_steps_per_epoch: int = 0  # used when "ptc" is not trained
    log_every: int = 20
    ckpt_every: int = 100


def _ptc_batch(windows: list[Window]) -> dict[str, torch.Tensor]:
    width = max(len(w.ids) for w in windows) + 2
    n_ch = windows[0].labels.shape[1]
    ids = torch.full((len(windows), width), PAD_ID, dtype=torch.long)
    mask = torch.zeros((len(windows), width), dtype=torch.long)
    labels = torch.zeros((len(windows), width, n_ch))
    lmask = torch.zeros((len(windows), width))
    rows, los, his, ks, extras = [], [], [], [], []
    for b, w in enumerate(windows):
        n = len(w.ids)
        ids[b, : n + 2] = torch.tensor([CLS_ID, *w.ids, SEP_ID])
        mask[b, : n + 2] = 1
        labels[b, 1 : n + 1] = torch.from_numpy(w.labels)
        lmask[b, 1 : n + 1] = 1.0
        for lo, hi, k, extra in w.spans:
            rows.append(b)
            los.append(lo + 1)
            his.append(hi + 1)
            ks.append(k)
            extras.append(extra)
    return {
        "ids": ids,
        "mask": mask,
        "labels": labels,
        "lmask": lmask,
        "rows": torch.tensor(rows, dtype=torch.long),
        "los": torch.tensor(los, dtype=torch.long),
        "his": torch.tensor(his, dtype=torch.long),
        "ks": torch.tensor(ks, dtype=torch.long),
        "extras": torch.tensor(extras, dtype=torch.float32).reshape(len(rows), -1),
    }


def _ct_batch(tokenizer: Tokenizer, rows: list[tuple[str, int]], max_tokens: int) -> dict[str, torch.Tensor]:
    encoded = [tokenizer.encode(t, add_special_tokens=False).ids[: max_tokens - 2] for t, _ in rows]
    width = max(len(e) for e in encoded) + 2
    ids = torch.full((len(rows), width), PAD_ID, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for b, e in enumerate(encoded):
        ids[b, : len(e) + 2] = torch.tensor([CLS_ID, *e, SEP_ID])
        mask[b, : len(e) + 2] = 1
    return {"ids": ids, "mask": mask, "y": torch.tensor([y for _, y in rows], dtype=torch.float32)}


def _cycle(rows: list[tuple[str, int]], batch: int, rng: random.Random) -> Iterator[list[tuple[str, int]]]:
    while True:
        order = rows[:]
        rng.shuffle(order)
        for k in range(0, len(order) - batch + 1, batch):
            yield order[k : k + batch]


def class_weights(articles: list[EncodedArticle]) -> torch.Tensor:
    counts = Counter(k for art in articles for _, _, k, _ in art.spans)
    raw = np.array([1.0 / math.sqrt(max(counts.get(k, 0), 1)) for k in range(N_TECH)])
    return torch.tensor(raw / raw.mean(), dtype=torch.float32)


def _span_pool(hidden: torch.Tensor, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    parts = []
    for r, lo, hi in zip(batch["rows"].tolist(), batch["los"].tolist(), batch["his"].tolist(), strict=True):
        h = hidden[r]
        parts.append(torch.cat([h[lo:hi].mean(0), h[lo], h[hi - 1], h[0]]))
    return torch.stack(parts)


def ptc_loss(
    net: MultiTaskNet, batch: dict[str, torch.Tensor], weights: torch.Tensor
) -> tuple[torch.Tensor, float, float]:
    hidden = net.hidden(batch["ids"], batch["mask"])
    logits = net.token_logits(hidden).float()
    bce = F.binary_cross_entropy_with_logits(logits, batch["labels"], reduction="none")
    m = batch["lmask"].unsqueeze(-1)
    per_ch = (bce * m).sum((0, 1)) / m.sum().clamp(min=1.0)
    tok = per_ch[ANY_CHANNEL] + 0.5 * per_ch[BEGIN_CHANNEL] + 0.5 * per_ch[:N_TECH].mean()
    if len(batch["ks"]) == 0:
        return tok, float(tok), 0.0
    span_logits = net.span_logits(_span_pool(hidden, batch).float(), batch["extras"]).float()
    tc = F.cross_entropy(span_logits, batch["ks"], weight=weights)
    return tok + tc, float(tok), float(tc)


def ct_loss(net: MultiTaskNet, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    hidden = net.hidden(batch["ids"], batch["mask"])
    logits = net.sentence_logits(hidden.float(), batch["mask"])
    return F.binary_cross_entropy_with_logits(logits, batch["y"])


def train_net(
    net: MultiTaskNet,
    tokenizer: Tokenizer,
    ptc: list[EncodedArticle],
    ct_rows: list[tuple[str, int]],
    cfg: TrainConfig,
    work_dir: Path,
    log: Logger,
) -> MultiTaskNet:
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    use_ptc, use_ct = "ptc" in cfg.tasks, "ct" in cfg.tasks
    weights = class_weights(ptc) if use_ptc else torch.ones(N_TECH)
    n_windows = len(make_windows(ptc, cfg.stride, None)) if use_ptc else 0
    per_epoch = math.ceil(n_windows / cfg.ptc_batch) if use_ptc else cfg.ct_steps_per_epoch
    total = max(int(per_epoch * cfg.epochs), 1)
    head_params = [p for n, p in net.named_parameters() if not n.startswith("encoder.")]
    optim = torch.optim.AdamW(
        [
            {"params": net.encoder.parameters(), "lr": cfg.lr_encoder},
            {"params": head_params, "lr": cfg.lr_heads},
        ],
        weight_decay=cfg.weight_decay,
    )
    warm = max(int(total * cfg.warmup), 1)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(total - warm, 1)))
    )
    ckpt = work_dir / "checkpoint.pt"
    step = 0
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        if state.get("total") == total:
            net.load_state_dict(state["net"])
            optim.load_state_dict(state["optim"])
            sched.load_state_dict(state["sched"])
            step = int(state["step"])
            rng.setstate(state["rng"])
            log(f"resumed at step {step}/{total}")
    ct_iter = _cycle(ct_rows, cfg.ct_batch, rng) if use_ct else None
    log(f"training: {total} steps, {per_epoch}/epoch, {n_windows} PTC windows, {len(ct_rows)} CT24 rows")
    net.train()
    t0 = time.time()
    sums: Counter[str] = Counter()
    while step < total:
        windows = make_windows(ptc, cfg.stride, rng) if use_ptc else []
        rng.shuffle(windows)
        batches = [windows[k : k + cfg.ptc_batch] for k in range(0, len(windows), cfg.ptc_batch)] or [[]] * per_epoch
        for chunk in batches:
            if step >= total:
                break
            loss = torch.zeros(())
            with torch.autocast("cpu", dtype=torch.bfloat16):
                if chunk:
                    ptc_l, tok_v, tc_v = ptc_loss(net, _ptc_batch(chunk), weights)
                    loss = loss + ptc_l
                    sums["tok"] += tok_v
                    sums["tc"] += tc_v
                if ct_iter is not None:
                    ct_l = ct_loss(net, _ct_batch(tokenizer, next(ct_iter), cfg.ct_max_tokens))
                    loss = loss + ct_l
                    sums["ct"] += float(ct_l)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optim.step()
            sched.step()
            optim.zero_grad(set_to_none=True)
            step += 1
            sums["n"] += 1
            if step % cfg.log_every == 0 or step == total:
                n = sums.pop("n")
                msg = " ".join(f"{k}={v / n:.4f}" for k, v in sorted(sums.items()))
                log(f"step {step}/{total} {msg} elapsed={time.time() - t0:.0f}s")
                sums.clear()
            if step % cfg.ckpt_every == 0 or step == total:
                state = {
                    "net": net.state_dict(),
                    "optim": optim.state_dict(),
                    "sched": sched.state_dict(),
                    "step": step,
                    "total": total,
                    "rng": rng.getstate(),
                }
                torch.save(state, ckpt.with_suffix(".tmp"))
                ckpt.with_suffix(".tmp").replace(ckpt)
    net.eval()
    return net


class Logger:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def __call__(self, msg: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {msg}"
        print(line, flush=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
