"""Export the fine-tuned encoder to ONNX, quantise it to int8 and save the numpy heads."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import torch
from torch import nn


class _EncoderOnly(nn.Module):
    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
        hidden: torch.Tensor = out.last_hidden_state
        return hidden


def export_encoder(encoder: nn.Module, out_path: Path, *, fuse: bool = True, op_types: list[str] | None = None) -> None:
    """Write ``out_path`` (int8, per-channel dynamic quantisation) from a float encoder.

    With ``fuse`` the fp32 graph first goes through onnxruntime's BERT fusions (embedding
    layer-norm, attention, skip-layer-norm, bias-GELU), which makes the int8 model about 1.4x
    faster on CPU.
    Exporting changes the torch module's attention set-up: do not use it afterwards.
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    # eager attention exports as plain MatMul/Softmax, which onnxruntime fuses into Attention
    encoder.set_attn_implementation("eager")
    wrapper = _EncoderOnly(encoder).eval().float()
    ids = torch.randint(1000, 2000, (2, 16), dtype=torch.long)
    mask = torch.ones_like(ids)
    mask[1, 12:] = 0  # a padded row, so that masking is traced
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        with torch.no_grad():
            torch.onnx.export(
                wrapper,
                (ids, mask),
                str(fp32),
                input_names=["input_ids", "attention_mask"],
                output_names=["last_hidden_state"],
                dynamic_axes={
                    "input_ids": {0: "batch", 1: "seq"},
                    "attention_mask": {0: "batch", 1: "seq"},
                    "last_hidden_state": {0: "batch", 1: "seq"},
                },
                opset_version=17,
                dynamo=False,
            )
        source = fp32
        if fuse:
            fused = Path(tmp) / "fused.onnx"
            config = encoder.config
            optimised = optimize_model(
                str(fp32),
                model_type="bert",
                num_heads=int(config.num_attention_heads),
                hidden_size=int(config.hidden_size),
            )
            optimised.save_model_to_file(str(fused))
            source = fused
        quantize_dynamic(
            str(source),
            str(out_path),
            per_channel=True,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=op_types,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )


def save_heads(heads: dict[str, np.ndarray], out_path: Path) -> None:
    np.savez(out_path, **{k: np.asarray(v, dtype=np.float32) for k, v in heads.items()})
