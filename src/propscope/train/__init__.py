"""Training for the shipped propscope model (needs the ``[train]`` extra: torch, transformers).

``train_model`` is imported on first use, so that the numpy-only trainers in this package
(``propscope.train.si_head``) run without torch.
"""

from __future__ import annotations

from typing import Any

__all__ = ["train_model"]


def __getattr__(name: str) -> Any:
    if name == "train_model":
        from propscope.train.pipeline import train_model

        return train_model
    raise AttributeError(f"module 'propscope.train' has no attribute {name!r}")
