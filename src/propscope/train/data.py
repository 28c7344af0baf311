"""Readers for the PTC (SemEval-2020 Task 11) and CT24 check-worthiness files."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from propscope.model import TECHNIQUES


@dataclass
class PtcArticle:
    article_id: str
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, technique)


def read_ptc(ptc_dir: Path, split: str) -> list[PtcArticle]:
    """Articles of ``split`` ("train" or "dev") with their technique spans."""
    articles: list[PtcArticle] = []
    labels_dir = ptc_dir / f"{split}-labels-task-flc-tc"
    for path in sorted((ptc_dir / f"{split}-articles").glob("article*.txt")):
        article_id = path.stem.removeprefix("article")
        text = path.read_bytes().decode("utf-8")
        art = PtcArticle(article_id, text)
        label_path = labels_dir / f"article{article_id}.task-flc-tc.labels"
        if label_path.exists():
            for line in label_path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                _, technique, start, end = line.split("\t")
                if technique not in TECHNIQUES:
                    raise ValueError(f"unknown technique {technique!r} in {label_path}")
                art.spans.append((int(start), int(end), technique))
        articles.append(art)
    return articles


_FUSED = re.compile(r"^(.*?\t.*?\t(?:Yes|No))(\d+\t.*)$")


def read_ct24(path: Path) -> list[tuple[str, str, int]]:
    """(sentence id, text, label 1/0) rows; splits the one fused train line into two rows."""
    raw = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    lines: list[str] = []
    for line in raw.split("\n"):
        match = _FUSED.match(line)
        lines.extend([match.group(1), match.group(2)] if match else [line])
    rows: list[tuple[str, str, int]] = []
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter="\t", quotechar='"')
    header = next(reader)
    if header[:3] != ["Sentence_id", "Text", "class_label"]:
        raise ValueError(f"unexpected CT24 header in {path}: {header}")
    for rec in reader:
        if not rec:
            continue
        if len(rec) != 3 or rec[2] not in ("Yes", "No"):
            raise ValueError(f"bad CT24 row in {path}: {rec}")
        rows.append((rec[0], rec[1], 1 if rec[2] == "Yes" else 0))
    return rows


def ct24_split(ct24_dir: Path, split: str) -> list[tuple[str, str, int]]:
    return read_ct24(ct24_dir / f"CT24_checkworthy_english_{split}.tsv")
