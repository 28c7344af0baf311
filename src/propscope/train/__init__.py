"""Training for the shipped propscope model (needs the ``[train]`` extra: torch, transformers)."""

from propscope.train.pipeline import train_model

__all__ = ["train_model"]
