"""Run-time figures of a packaged model (fresh process) and the shared-vs-separate comparison."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from propscope.train.package import add_measurements

_PROBE = r"""
import json, resource, sys, time
from pathlib import Path
t = time.perf_counter()
from propscope.model import PropscopeModel
def peak_mb():
    # VmHWM starts afresh at exec; ru_maxrss would carry the parent's peak over on Linux
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
m = PropscopeModel.load(Path(sys.argv[1]))
load_s = time.perf_counter() - t
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[2]).glob("article*.txt"))]
m.techniques(texts[:2])
best = 1e9
for _ in range(3):
    t = time.perf_counter()
    m.techniques(texts)
    best = min(best, time.perf_counter() - t)
sents = [line for x in texts for line in x.split("\n") if line.strip()][:500]
t = time.perf_counter()
m.checkworthiness(sents)
rate = len(sents) / (time.perf_counter() - t)
print(json.dumps({"load_s": round(load_s, 3), "articles_per_s": round(len(texts) / best, 2),
                  "sentences_per_s": round(rate, 1),
                  "max_rss_mb": peak_mb()}))
"""


def runtime_figures(model_dir: Path, articles_dir: Path) -> dict[str, Any]:
    """Load time, articles/s, sentences/s and peak RSS, measured in a fresh Python process."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(model_dir), str(articles_dir)], capture_output=True, text=True, check=True
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    size = sum(p.stat().st_size for p in model_dir.iterdir() if p.is_file())
    figures["model_files_mb"] = round(size / 1e6, 1)
    return figures


def add_runtime_section(model_dir: Path, articles_dir: Path, ct_only_dir: Path | None = None) -> dict[str, Any]:
    """Measure ``model_dir`` and write the figures into its card and manifest."""
    perf = runtime_figures(model_dir, articles_dir)
    lines = [
        f"Fresh process, 2 onnxruntime threads, 2-core CPU, the {articles_dir.name} PTC articles (best of 3):",
        "",
        f"- load (import + sha256 checks + session): {perf['load_s']} s",
        f"- `techniques()`: {perf['articles_per_s']} articles/s",
        f"- `checkworthiness()`: {perf['sentences_per_s']} sentences/s",
        f"- peak RSS: {perf['max_rss_mb']} MB; model files: {perf['model_files_mb']} MB",
    ]
    extra: dict[str, Any] = {"runtime_fresh_process": perf}
    if ct_only_dir is not None:
        manifest = json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))
        shared = manifest["dev_figures"]["checkworthiness"]
        alone = json.loads((ct_only_dir / "manifest.json").read_text(encoding="utf-8"))["dev_figures"][
            "checkworthiness"
        ]
        lines += [
            "",
            "Cost of sharing the encoder (CT24; CT24-only encoder trained with the same recipe and the same",
            "number of CT24 steps, int8):",
            "",
            "| encoder | CT24 dev F1 (tuned thr) | dev-test F1 (dev thr) | dev-test F1 (thr 0.5) |",
            "|---|---|---|---|",
            f"| shared (this model) | {shared['dev_f1']:.3f} | {shared['dev_test_f1']:.3f} "
            f"| {shared['dev_test_f1_at_0.5']:.3f} |",
            f"| CT24 only | {alone['dev_f1']:.3f} | {alone['dev_test_f1']:.3f} | {alone['dev_test_f1_at_0.5']:.3f} |",
        ]
        extra["ct24_only_encoder"] = alone
    add_measurements(model_dir, "Run-time measurements and sharing cost", lines, extra)
    return perf
