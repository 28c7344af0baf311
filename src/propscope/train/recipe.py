"""The whole recipe of the shipped model, as ``propscope train`` runs it.

1. ``teacher``: fine-tune all-MiniLM-L6-v2 on PTC train and CT24 train, export it as int8
   ONNX and set its thresholds on dev (:func:`propscope.train.pipeline.train_model`).
2. ``teacher_heads``: fit ``si_head.npz``, ``tc_head.npz`` and ``tc_lex.npz`` on the teacher's
   states, with the designs the shipped model uses (the shipped heads are the teacher's).
3. ``distil``: keep three of the teacher's layers and train them to give its token states, in
   two stages (token error alone, then with the mean-state cosine); fit the sentence map and
   the isolated check-worthiness head on the student (:mod:`propscope.train.distil`).
4. ``shared_heads``: fit the entity and in-context check-worthiness heads on the student.
5. ``figures``: score the result on PTC dev with the official metrics re-implemented in
   :mod:`propscope.ptc`, time it, and write the figures into its manifest and model card.

Each step records itself in ``WORK/steps.json`` when it ends, so a run that was stopped goes on
from the first step not done. The full recipe takes hours on a 2-core CPU; ``QUICK`` runs every
step with token amounts of training, to check that the steps fit together.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

STEPS = ("teacher", "teacher_heads", "distil", "shared_heads", "figures")
STUDENT_VERSION = "1.1"
STUDENT_NOTE = ("The encoder is a 3-layer student distilled from the 6-layer teacher described below; the "
                "section \"Built by `propscope train`\" gives the figures of this model. The rest of the card "
                "was written for the teacher.")


@dataclass(frozen=True)
class Recipe:
    """Settings of every step; the defaults are those of the shipped propscope-mini v1.1."""

    teacher_epochs: float = 4.0
    layers: str = "1,3,5"  # teacher layers the student keeps (0-based)
    distil_epochs: tuple[float, float] = (3.0, 2.0)  # stage 1 (token error), stage 2 (+ mean-state cosine)
    si_design: str = "conv5_ctx_w"
    si_epochs: int = 4
    si_seeds: int = 3
    tc_design: str = "v1_lex_tokp"
    tc_epochs: int = 30
    tc_seeds: int = 5
    lex_design: str = "line_l2_3e-5"
    folds: int = 5
    shared_epochs: int = 6
    # a tolerance this wide makes the cascade band empty: the in-context head decides every
    # sentence (what v1.1 ships; see the model card)
    band_tolerance: float = 1.0
    threads: int = 2


QUICK = replace(Recipe(), teacher_epochs=0.02, distil_epochs=(0.02, 0.02), si_epochs=1, si_seeds=1,
                tc_epochs=2, tc_seeds=1, folds=2, shared_epochs=1)


def _done(work: Path) -> dict[str, Any]:
    path = work / "steps.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _mark(work: Path, step: str, record: Any) -> None:
    done = _done(work)
    done[step] = record
    (work / "steps.json").write_text(json.dumps(done, indent=2) + "\n", encoding="utf-8")


Arg = str | Path | float | int


def _call(main: Callable[[list[str]], int], argv: list[Arg]) -> None:
    code = main([str(a) for a in argv])
    if code:
        raise RuntimeError(f"{main.__module__} exited with {code}")


def build(ptc: Path, ct24: Path, out: Path, *, work: Path | None = None, teacher: Path | None = None,
          recipe: Recipe = Recipe(), log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run the recipe into ``out``; ``teacher``: an existing 6-layer model folder (skips step 1).
    Returns the figures of step 5."""
    work = work or out.parent / f"{out.name}-work"
    work.mkdir(parents=True, exist_ok=True)
    teacher_dir = teacher or work / "teacher"
    done = _done(work)
    settings = json.loads(json.dumps(asdict(recipe)))  # as steps.json holds it (lists for tuples)
    if done.get("recipe", settings) != settings or done.get("teacher_dir", str(teacher_dir)) != str(
            teacher_dir):
        raise ValueError(f"{work} holds a run with other settings: use another --work folder")
    _mark(work, "recipe", settings)
    _mark(work, "teacher_dir", str(teacher_dir))
    steps: dict[str, Callable[[], dict[str, Any]]] = {
        "teacher": lambda: _teacher(ptc, ct24, teacher_dir, work, recipe),
        "teacher_heads": lambda: _teacher_heads(ptc, teacher_dir, work, recipe),
        "distil": lambda: _distil(ptc, ct24, teacher_dir, out, work, recipe),
        "shared_heads": lambda: _shared_heads(ptc, ct24, out, work, recipe),
        "figures": lambda: _figures(ptc, out, recipe),
    }
    for step in STEPS:
        if step == "teacher" and teacher is not None:
            continue
        if step in _done(work):
            log(f"step {step}: done in an earlier run")
            continue
        log(f"step {step}")
        start = time.perf_counter()
        record = steps[step]()
        record["seconds"] = round(time.perf_counter() - start)
        _mark(work, step, record)
        log(f"step {step}: {json.dumps(record)}")
    figures: dict[str, Any] = _done(work)["figures"]
    return figures


def _teacher(ptc: Path, ct24: Path, teacher_dir: Path, work: Path, recipe: Recipe) -> dict[str, Any]:
    from propscope.train.pipeline import train_model

    figures = train_model(ptc, ct24, teacher_dir, epochs=recipe.teacher_epochs, work_dir=work / "teacher-work")
    return {"si_f1": figures.get("si", {}).get("f1"), "tc_micro_f1": figures.get("tc", {}).get("micro_f1")}


def _teacher_heads(ptc: Path, teacher_dir: Path, work: Path, recipe: Recipe) -> dict[str, Any]:
    from propscope.train import si_head, tc_head, tc_lex

    common: list[Arg] = ["--ptc", ptc, "--model", teacher_dir, "--threads", recipe.threads, "--folds", recipe.folds]
    _call(si_head.main, [*common, "--work", work / "si_head", "--design", recipe.si_design,
                         "--epochs", recipe.si_epochs, "--seeds", recipe.si_seeds])
    _call(tc_head.main, [*common, "--work", work / "tc_head", "--design", recipe.tc_design,
                         "--epochs", recipe.tc_epochs, "--seeds", recipe.tc_seeds])
    _call(tc_lex.main, [*common, "--work", work / "tc_lex", "--design", recipe.lex_design, "--skip-cv"])
    return _figures(ptc, teacher_dir, recipe, timed=False)


def _distil(ptc: Path, ct24: Path, teacher_dir: Path, out: Path, work: Path, recipe: Recipe) -> dict[str, Any]:
    from propscope.train import distil
    from propscope.train.shared_heads import refresh_hashes

    common: list[Arg] = ["--teacher", teacher_dir, "--ptc", ptc, "--ct24", ct24, "--out", out,
                         "--layers", recipe.layers, "--threads", recipe.threads, "--work", work / "distil"]
    first, second = recipe.distil_epochs
    _call(distil.main, [*common, "--epochs", first, "--pool-weight", 0.0])
    _call(distil.main, [*common, "--epochs", second, "--pool-weight", 1.0, "--init", work / "distil" / "student.pt"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = STUDENT_VERSION
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    card = out / "MODEL_CARD.md"
    title, _, rest = card.read_text(encoding="utf-8").partition("\n")
    card.write_text(f"# propscope-mini v{STUDENT_VERSION}\n\n{STUDENT_NOTE}\n\n{title.lstrip('# ')}:\n{rest}",
                    encoding="utf-8")
    refresh_hashes(out)
    return {k: manifest["dev_figures"].get(k) for k in ("sentence_map", "checkworthiness_refit")}


def _shared_heads(ptc: Path, ct24: Path, out: Path, work: Path, recipe: Recipe) -> dict[str, Any]:
    from propscope.train import shared_heads

    _call(shared_heads.main, ["--ptc", ptc, "--ct24", ct24, "--model", out, "--work", work / "shared_heads",
                              "--epochs", recipe.shared_epochs, "--threads", recipe.threads,
                              "--band-tolerance", recipe.band_tolerance])
    return {"cascade_band": json.loads((out / "manifest.json").read_text(encoding="utf-8"))["thresholds"].get(
        "checkworthiness_context_band")}


def _figures(ptc: Path, model_dir: Path, recipe: Recipe, *, timed: bool = True) -> dict[str, Any]:
    """SI and TC on PTC dev; with ``timed``, also articles/s, written into the model's manifest
    and card."""
    from propscope.cli_research import score_ptc
    from propscope.model import PropscopeModel
    from propscope.train.package import add_measurements

    scores = score_ptc(PropscopeModel.load(model_dir, threads=recipe.threads), ptc, "dev")
    si = scores.si
    figures: dict[str, Any] = {
        "si": {"precision": round(si.precision, 4), "recall": round(si.recall, 4), "f1": round(si.f1, 4)},
        "tc_micro_f1": round(scores.tc.f1, 4),
    }
    if not timed:
        return figures
    figures["articles_per_s"] = round(scores.articles / scores.si_seconds, 2)
    add_measurements(model_dir, "Built by `propscope train`", [
        f"Recipe (`propscope.train.recipe`): `{json.dumps(asdict(recipe))}`.",
        "",
        f"PTC dev ({scores.articles} articles): SI P {figures['si']['precision']:.4f} / R {figures['si']['recall']:.4f}"
        f" / F1 {figures['si']['f1']:.4f}; TC micro-F1 (gold spans) {figures['tc_micro_f1']:.4f};"
        f" {figures['articles_per_s']} articles/s (spans, {recipe.threads} threads, one pass).",
    ], {"recipe": {"settings": asdict(recipe), **figures}})
    return figures
