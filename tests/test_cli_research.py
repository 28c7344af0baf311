"""The research commands: semeval, eval and train.

Most tests swap in a tiny fake model so that they exercise the commands' plumbing and
scoring without the shipped model; the tests at the end use the real model and skip until
it is in place.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from propscope import cli_research
from propscope.errors import IngestError

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "src" / "propscope" / "models" / "propscope-mini-v1" / "manifest.json"
PTC_DIR = ROOT / ".." / "shared" / "datasets" / "ptc"
CT24_DEV = ROOT / ".." / "shared" / "datasets" / "checkworthy" / "ct24-english"

ARTICLE = "Title\n\nEvil people lied, some say again."
# "Evil people" = 7..18; "some say" = 26..34


@dataclass(frozen=True)
class FakeSpan:
    start: int
    end: int
    technique: str
    confidence: float


class FakeModel:
    """Marks 'Evil people' as loaded language; calls everything else loaded language too."""

    threshold = 0.5

    def techniques(self, texts: Sequence[str]) -> list[list[FakeSpan]]:
        return [[FakeSpan(7, 18, "Loaded_Language", 0.9)] if "Evil people" in text else [] for text in texts]

    def classify_spans(self, text: str, spans: Sequence[tuple[int, int]]) -> list[FakeSpan]:
        return [FakeSpan(start, end, "Loaded_Language", 0.9) for start, end in spans]

    def checkworthiness(self, sentences: Sequence[str]) -> list[float]:
        return [0.9 if "percent" in sentence else 0.1 for sentence in sentences]


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> FakeModel:
    model = FakeModel()
    monkeypatch.setattr(cli_research, "_load_model", lambda: model)
    return model


@pytest.fixture
def ptc_dir(tmp_path: Path) -> Path:
    """A one-article PTC dev split: gold 'Evil people' (Loaded_Language), 'some say' (Doubt)."""
    for name in ("dev-articles", "dev-labels-task-si", "dev-labels-task-flc-tc"):
        (tmp_path / name).mkdir()
    (tmp_path / "dev-articles" / "article1.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "dev-labels-task-si" / "article1.task-si.labels").write_text("1\t7\t18\n1\t26\t34\n", encoding="utf-8")
    (tmp_path / "dev-labels-task-flc-tc" / "article1.task-flc-tc.labels").write_text(
        "1\tLoaded_Language\t7\t18\n1\tDoubt\t26\t34\n", encoding="utf-8"
    )
    return tmp_path


def test_eval_ptc_json_with_fake_model(fake_model: FakeModel, ptc_dir: Path) -> None:
    result = CliRunner().invoke(cli_research.eval_group, ["ptc", str(ptc_dir), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    # SI: one predicted span equal to one of two gold spans -> P = 1, R = 1/2
    assert figures["si"]["precision"] == pytest.approx(1.0)
    assert figures["si"]["recall"] == pytest.approx(0.5)
    # TC: Loaded_Language right, Doubt labelled Loaded_Language -> micro F1 = 1/2
    assert figures["tc"]["micro"]["f1"] == pytest.approx(0.5)
    assert figures["tc"]["per_technique"]["Doubt"]["recall"] == 0.0


def test_eval_ptc_table_with_fake_model(fake_model: FakeModel, ptc_dir: Path) -> None:
    result = CliRunner().invoke(cli_research.eval_group, ["ptc", str(ptc_dir)])
    assert result.exit_code == 0, result.output
    assert "SI  P 1.0000  R 0.5000" in result.stdout
    assert "Loaded_Language" in result.stdout


def test_eval_ptc_missing_split_names_the_folder(fake_model: FakeModel, ptc_dir: Path) -> None:
    result = CliRunner().invoke(cli_research.eval_group, ["ptc", str(ptc_dir), "--split", "train"])
    assert result.exit_code == IngestError.exit_code
    assert result.output.startswith("propscope: error: ")
    assert f"{ptc_dir / 'train-articles'}: no such folder" in result.output


def test_eval_ptc_bad_label_line_names_file_and_line(fake_model: FakeModel, ptc_dir: Path) -> None:
    labels = ptc_dir / "dev-labels-task-flc-tc" / "article1.task-flc-tc.labels"
    labels.write_text("1\tDoubt\t26\t34\n1\tDoubt\t26\n", encoding="utf-8")
    result = CliRunner().invoke(cli_research.eval_group, ["ptc", str(ptc_dir)])
    assert result.exit_code == IngestError.exit_code
    assert len(result.output.strip().splitlines()) == 1
    assert "article1.task-flc-tc.labels: line 2: expected" in result.output


def test_semeval_si_writes_predictions(fake_model: FakeModel, ptc_dir: Path) -> None:
    out = ptc_dir / "pred" / "si.txt"
    args = ["si", str(ptc_dir / "dev-articles"), "-o", str(out)]
    result = CliRunner().invoke(cli_research.semeval, args)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "1\t7\t18\n"


def test_semeval_tc_fills_template(fake_model: FakeModel, ptc_dir: Path) -> None:
    template = ptc_dir / "template.out"
    template.write_text("1\t?\t26\t34\n1\t?\t7\t18\n", encoding="utf-8")
    out = ptc_dir / "tc.txt"
    args = ["tc", str(ptc_dir / "dev-articles"), str(template), "-o", str(out)]
    result = CliRunner().invoke(cli_research.semeval, args)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == ("1\tLoaded_Language\t26\t34\n1\tLoaded_Language\t7\t18\n")


def test_semeval_tc_unknown_article_is_one_line_error(fake_model: FakeModel, ptc_dir: Path) -> None:
    template = ptc_dir / "template.out"
    template.write_text("99\t?\t0\t4\n", encoding="utf-8")
    args = ["tc", str(ptc_dir / "dev-articles"), str(template), "-o", str(ptc_dir / "x")]
    result = CliRunner().invoke(cli_research.semeval, args)
    assert result.exit_code == 1
    assert "template.out: article 99 has no article file" in result.output


def test_eval_checkworthy_json_with_fake_model(fake_model: FakeModel, tmp_path: Path) -> None:
    tsv = tmp_path / "dev.tsv"
    tsv.write_bytes(
        b"Sentence_id\tText\tclass_label\r\n"
        b"1\tWe use 50 percent of it.\tYes\r\n"
        b"2\tThank you all.\tNo\r\n"
        b"3\tTaxes rose by 3 percent.\tNo\r\n"
        b"4\tUnemployment doubled.\tYes\r\n"
    )
    result = CliRunner().invoke(cli_research.eval_group, ["checkworthy", str(tsv), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    # predicted positive: 1 and 3; gold positive: 1 and 4 -> tp 1, fp 1, fn 1
    assert figures["sentences"] == 4
    assert (figures["precision"], figures["recall"], figures["f1"]) == (0.5, 0.5, 0.5)


def test_train_without_torch_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)
    args = ["--ptc", str(tmp_path), "--ct24", str(tmp_path), "--out", str(tmp_path / "m")]
    result = CliRunner().invoke(cli_research.train, args)
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: training needs PyTorch; install it with: pip install 'propscope[train]'")


def test_train_refuses_a_work_folder_of_other_settings_in_one_line(monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Path) -> None:
    from propscope.train import recipe

    monkeypatch.setattr(cli_research, "_import_recipe", lambda: recipe)  # past the torch check: no step runs
    work = tmp_path / "work"
    work.mkdir()
    (work / "steps.json").write_text(json.dumps({"recipe": {"teacher_epochs": 1.0}}), encoding="utf-8")
    args = ["--ptc", str(tmp_path), "--ct24", str(tmp_path), "--out", str(tmp_path / "m"), "--work", str(work)]
    result = CliRunner().invoke(cli_research.train, args)
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {work} holds a run with other settings: use another --work folder"


# --------------------------------------------------------------------------- real model

needs_model = pytest.mark.skipif(
    not MANIFEST.is_file(),
    reason="shipped model not built yet (src/propscope/models/propscope-mini-v1/manifest.json)",
)
needs_ptc = pytest.mark.skipif(not PTC_DIR.is_dir(), reason="PTC data not found at ../shared/datasets/ptc")


@needs_model
@needs_ptc
def test_eval_ptc_real_model_on_two_dev_articles(tmp_path: Path) -> None:
    for name in ("dev-articles", "dev-labels-task-si", "dev-labels-task-flc-tc"):
        (tmp_path / name).mkdir()
    for path in sorted((PTC_DIR / "dev-articles").glob("article*.txt"))[:2]:
        article_id = path.stem.removeprefix("article")
        (tmp_path / "dev-articles" / path.name).write_bytes(path.read_bytes())
        for folder, suffix in (
            ("dev-labels-task-si", "task-si"),
            ("dev-labels-task-flc-tc", "task-flc-tc"),
        ):
            label_file = PTC_DIR / folder / f"article{article_id}.{suffix}.labels"
            (tmp_path / folder / label_file.name).write_bytes(label_file.read_bytes())
    result = CliRunner().invoke(cli_research.eval_group, ["ptc", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["articles"] == 2
    assert 0.0 <= figures["si"]["f1"] <= 1.0
    assert 0.0 <= figures["tc"]["micro"]["f1"] <= 1.0


@needs_model
@pytest.mark.skipif(not CT24_DEV.is_dir(), reason="CT24 data not found at ../shared/datasets")
def test_eval_checkworthy_real_model_on_dev_test_sample(tmp_path: Path) -> None:
    source = CT24_DEV / "CT24_checkworthy_english_dev-test.tsv"
    sample = tmp_path / "sample.tsv"
    sample.write_bytes(b"\r\n".join(source.read_bytes().split(b"\r\n")[:41]))
    result = CliRunner().invoke(cli_research.eval_group, ["checkworthy", str(sample), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["sentences"] == 40
    assert 0.0 <= figures["f1"] <= 1.0
