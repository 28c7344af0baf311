"""Write manifest.json and MODEL_CARD.md for a model directory."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from propscope.model import TECHNIQUES

NAME = "propscope-mini"
VERSION = "1"
PAYLOAD = ("model.onnx", "tokenizer.json", "heads.npz")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_entries(out_dir: Path, names: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    return {n: {"sha256": _sha256(out_dir / n), "size": (out_dir / n).stat().st_size} for n in names}


def write_manifest(
    out_dir: Path,
    *,
    thresholds: dict[str, Any],
    window: dict[str, int],
    figures: dict[str, Any],
    training: dict[str, Any],
    with_card: bool,
) -> None:
    names = PAYLOAD + (("MODEL_CARD.md",) if with_card else ())
    manifest = {
        "name": NAME,
        "version": VERSION,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)",
        "techniques": list(TECHNIQUES),
        "thresholds": thresholds,
        "window": window,
        "files": file_entries(out_dir, names),
        "dev_figures": figures,
        "training": training,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def write_card(out_dir: Path, *, thresholds: dict[str, Any], figures: dict[str, Any], training: dict[str, Any]) -> None:
    files = file_entries(out_dir, PAYLOAD)
    tc = figures.get("tc", {})
    si = figures.get("si", {})
    ct = figures.get("checkworthiness", {})
    perf = figures.get("runtime", {})
    si_text = f"P {si.get('precision', 0):.3f} / R {si.get('recall', 0):.3f} / F1 {si.get('f1', 0):.3f}"
    decode_text = ", ".join(f"{k}={v}" for k, v in thresholds.items() if k.startswith("span"))
    per_tech = "\n".join(f"| {t} | {f:.3f} |" for t, f in tc.get("per_technique_f1", {}).items())
    sums = "\n".join(f"| `{n}` | {m['size']:,} | `{m['sha256']}` |" for n, m in files.items())
    card = f"""# {NAME} v{VERSION}

One fine-tuned all-MiniLM-L6-v2 encoder (6 layers, 384 dims) shared by three small heads:
propaganda span identification (token head), technique classification of a span (14 SemEval-2020
Task 11 techniques; span head with a repetition feature) and sentence check-worthiness (CLEF
CheckThat! 2024 Task 1 English). The encoder is exported to ONNX and quantised to int8
(onnxruntime dynamic quantisation, per-channel); the heads run in numpy.

## Training data
- PTC corpus v2 (SemEval-2020 Task 11) **train** split: 371 articles, 6,128 technique spans.
- CT24 check-worthiness English **train** split: 22,501 sentences.
- The dev splits (PTC: 40 of the 75 official dev articles; CT24 dev) were used only to choose
  thresholds and the model; they were not trained on. CT24 dev-test was used only for reporting.
- Training: {json.dumps(training)}

## Figures measured (dev)
Thresholds were tuned on these same dev sets, so dev figures are optimistic.

| task | figure |
|---|---|
| PTC SI (dev, 40 articles), decoding {decode_text} | {si_text} |
| PTC TC (dev, gold spans) | micro-F1 {tc.get("micro_f1", 0):.3f} |
| CT24 dev, threshold {thresholds.get("checkworthiness")} | positive-class F1 {ct.get("dev_f1", 0):.3f} |
| CT24 dev-test, same threshold | positive-class F1 {ct.get("dev_test_f1", 0):.3f} |
| throughput (2 threads) | {perf.get("articles_per_s", "?")} PTC dev articles/s |

TC F1 per technique (dev):

| technique | F1 |
|---|---|
{per_tech}

## Use
`PropscopeModel.load()`; runtime needs onnxruntime, tokenizers and numpy only. Articles of any
length are read in overlapping 256-token windows; offsets are Python `str` offsets.

## Licences
- Encoder weights and tokenizer: sentence-transformers/all-MiniLM-L6-v2, Apache-2.0 (fine-tuned here).
- Training data: PTC (SemEval-2020 Task 11) and CT24 (CheckThat! 2024, ClaimBuster sentences) are
  for research use; no data is shipped in these files. Check upstream terms before commercial use.

## Files (sha256)
| file | bytes | sha256 |
|---|---|---|
{sums}
"""
    (out_dir / "MODEL_CARD.md").write_text(card, encoding="utf-8")


def add_measurements(out_dir: Path, title: str, lines: list[str], figures: dict[str, Any]) -> None:
    """Append a section to MODEL_CARD.md, merge ``figures`` into the manifest, refresh hashes."""
    card = out_dir / "MODEL_CARD.md"
    text = card.read_text(encoding="utf-8").rstrip("\n")
    head, sep, files_part = text.partition("\n## Files (sha256)")
    section = f"\n## {title}\n" + "\n".join(lines) + "\n"
    card.write_text(head.rstrip("\n") + "\n" + section + sep + files_part + "\n", encoding="utf-8")
    manifest_path = out_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest.setdefault("dev_figures", {}).update(figures)
    manifest["files"] = file_entries(out_dir, tuple(manifest["files"]))
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
