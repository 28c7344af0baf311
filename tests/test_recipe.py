"""The recipe ``propscope train`` runs: its record of finished steps (no torch needed here;
the steps themselves are run by ``propscope train --quick``, see DEVELOPERS.md)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from propscope.train import recipe


def _work(tmp_path: Path, settings: recipe.Recipe, steps: dict[str, object]) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    record = {"recipe": asdict(settings), "teacher_dir": str(work / "teacher"), **steps}
    (work / "steps.json").write_text(json.dumps(record), encoding="utf-8")
    return work


def test_finished_steps_are_not_run_again(tmp_path: Path) -> None:
    figures = {"si": {"f1": 0.42}, "tc_micro_f1": 0.61}
    work = _work(tmp_path, recipe.QUICK, {step: {"seconds": 1} for step in recipe.STEPS} | {"figures": figures})
    lines: list[str] = []
    # the data folders do not exist: any step that ran would fail
    got = recipe.build(tmp_path / "no-ptc", tmp_path / "no-ct24", tmp_path / "out", work=work,
                       recipe=recipe.QUICK, log=lines.append)
    assert got == figures
    assert lines == [f"step {step}: done in an earlier run" for step in recipe.STEPS]


def test_a_work_folder_of_other_settings_is_refused(tmp_path: Path) -> None:
    work = _work(tmp_path, recipe.QUICK, {"teacher": {"seconds": 1}})
    with pytest.raises(ValueError, match="other settings"):
        recipe.build(tmp_path / "ptc", tmp_path / "ct24", tmp_path / "out", work=work, recipe=recipe.Recipe())
    kept = json.loads((work / "steps.json").read_text(encoding="utf-8"))["recipe"]
    assert kept["teacher_epochs"] == recipe.QUICK.teacher_epochs


def test_the_quick_recipe_differs_only_in_amounts() -> None:
    full, quick = asdict(recipe.Recipe()), asdict(recipe.QUICK)
    changed = {k for k in full if full[k] != quick[k]}
    assert changed == {"teacher_epochs", "distil_epochs", "si_epochs", "si_seeds", "tc_epochs", "tc_seeds",
                       "folds", "shared_epochs"}
    assert all(quick[k] <= full[k] for k in ("teacher_epochs", "si_epochs", "tc_epochs", "folds"))
