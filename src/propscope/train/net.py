"""The multi-task network: one MiniLM encoder, token / span / sentence heads."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from transformers import AutoModel

from propscope.model import N_SPAN_EXTRA, N_TECH, N_TOKEN_CHANNELS

SPAN_HIDDEN = 256


class MultiTaskNet(nn.Module):
    def __init__(self, encoder_dir: str) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(encoder_dir)
        d = int(self.encoder.config.hidden_size)
        self.dropout = nn.Dropout(0.1)
        self.tok = nn.Linear(d, N_TOKEN_CHANNELS)
        self.tc1 = nn.Linear(4 * d + N_SPAN_EXTRA, SPAN_HIDDEN)
        self.tc2 = nn.Linear(SPAN_HIDDEN, N_TECH)
        self.ct = nn.Linear(d, 1)

    def hidden(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        return out

    def token_logits(self, hidden: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.tok(self.dropout(hidden))
        return out

    def span_logits(self, pooled: torch.Tensor, extra: torch.Tensor) -> torch.Tensor:
        x = torch.cat([self.dropout(pooled), extra], dim=-1)
        out: torch.Tensor = self.tc2(self.dropout(torch.relu(self.tc1(x))))
        return out

    def sentence_logits(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        m = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
        out: torch.Tensor = self.ct(self.dropout(pooled)).squeeze(-1)
        return out

    def numpy_heads(self) -> dict[str, np.ndarray]:
        """Head weights in the layout propscope.model expects (x @ W + b)."""

        def arr(t: torch.Tensor) -> np.ndarray:
            return t.detach().float().cpu().numpy()

        return {
            "tok_w": arr(self.tok.weight).T,
            "tok_b": arr(self.tok.bias),
            "tc_w1": arr(self.tc1.weight).T,
            "tc_b1": arr(self.tc1.bias),
            "tc_w2": arr(self.tc2.weight).T,
            "tc_b2": arr(self.tc2.bias),
            "ct_w": arr(self.ct.weight).reshape(-1),
            "ct_b": arr(self.ct.bias).reshape(1),
        }
