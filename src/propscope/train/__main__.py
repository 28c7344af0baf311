"""``python -m propscope.train --ptc DIR --ct24 DIR --out DIR``: train the 6-layer teacher, the
first step of ``propscope train`` (which runs the whole recipe of the shipped model)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from propscope.train.pipeline import train_model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m propscope.train", description=__doc__)
    parser.add_argument("--ptc", type=Path, required=True, help="PTC v2 dataset folder")
    parser.add_argument("--ct24", type=Path, required=True, help="CT24 English check-worthiness folder")
    parser.add_argument("--out", type=Path, required=True, help="model folder to write")
    parser.add_argument("--work", type=Path, default=None, help="checkpoint/log folder (default: OUT-work)")
    parser.add_argument("--epochs", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--tasks", default="ptc,ct", help="comma list of ptc, ct")
    parser.add_argument("--lr", type=float, default=8e-5, help="encoder learning rate")
    parser.add_argument("--stride", type=int, default=224, help="window stride at run time")
    parser.add_argument("--warmup", type=float, default=0.06, help="warm-up fraction of the steps")
    parser.add_argument("--compare-ct-only", type=Path, default=None, help="CT24-only model folder to compare with")
    parser.add_argument("--init", type=Path, default=None, help="checkpoint.pt to continue from (second stage)")
    args = parser.parse_args(argv)
    figures = train_model(
        args.ptc,
        args.ct24,
        args.out,
        epochs=args.epochs,
        seed=args.seed,
        work_dir=args.work,
        tasks=tuple(t.strip() for t in args.tasks.split(",") if t.strip()),
        infer_stride=args.stride,
        lr_encoder=args.lr,
        warmup=args.warmup,
        init_from=args.init,
        compare_ct_only=args.compare_ct_only,
    )
    print(json.dumps({k: v for k, v in figures.items() if k != "si_sweep"}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
