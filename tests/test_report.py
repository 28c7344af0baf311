"""JSON Schema validation, JSON output shape and HTML escaping."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

import propscope
from propscope.cli import cli
from propscope.ingest import read_text
from propscope.report import Report, validate
from tests.conftest import EXAMPLES

HOSTILE = (
    "Breaking: <script>alert('owned')</script> and more\n\n"
    'The mayor said <img src=x onerror="alert(1)"> was "fine" & nothing </textarea> else.\n\n'
    "Another paragraph with </style><b>bold</b> and {{ template }} markers."
)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.iterdir()))
def test_report_examples_validate_against_schema(name: str) -> None:
    report = propscope.analyze(EXAMPLES / name)
    data = report.to_dict()
    assert data["schema"] == "propscope.report/1"
    validate(data)
    assert Report.from_dict(json.loads(json.dumps(data))).to_dict() == data


def test_report_schema_rejects_bad_offsets() -> None:
    import jsonschema

    data = propscope.analyze(EXAMPLES / "marren-fire-wire.txt").to_dict()
    data["techniques"] = [{"start": -1, "end": 3, "technique": "Doubt", "confidence": 0.5,
                           "explanation": "x"}]
    with pytest.raises(jsonschema.ValidationError):
        validate(data)


def test_report_json_one_object_for_one_source_list_for_several(runner: CliRunner) -> None:
    one = runner.invoke(cli, ["analyze", "--format", "json", str(EXAMPLES / "marren-fire-wire.txt")])
    assert one.exit_code == 0
    assert isinstance(json.loads(one.stdout), dict)
    many = runner.invoke(cli, ["analyze", "--format", "json", str(EXAMPLES)])
    data = json.loads(many.stdout)
    assert isinstance(data, list) and len(data) == 3
    for item in data:
        validate(item)


def test_report_html_escapes_article_text(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "hostile.txt"
    source.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "report.html"
    result = runner.invoke(cli, ["analyze", "--format", "html", "-o", str(out), str(source)])
    assert result.exit_code == 0, result.stderr
    page = out.read_text("utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in page
    tree = lxml.html.fromstring(page)
    assert not tree.xpath("//script | //img | //*[@onerror] | //textarea")
    # escaped; a highlighted span may start or end inside the tag ("&lt;</mark>/textarea&gt;"),
    # so the escaped tag is checked in the text below, not in the page's source
    assert "</textarea" not in page.lower()
    for tip in tree.xpath("//div[@class='article']//span[@class='tip']"):
        tip.drop_tree()  # technique tooltips sit inside the highlighted spans
    text = tree.xpath("string(//div[@class='article'])")
    assert "<script>alert('owned')</script>" in text  # shown to the reader, as text
    assert "nothing </textarea> else" in text


def test_report_html_is_self_contained(tmp_path: Path) -> None:
    from propscope.render_html import render_html

    page = render_html([propscope.analyze(EXAMPLES / "marren-fire-beacon.html")])
    tree = lxml.html.fromstring(page)
    assert not tree.xpath("//link[@href] | //script[@src] | //img[@src]")
    assert "Removed from the page" in page and "cookie notice" in page


def test_report_offsets_point_into_text_for_pasted_text() -> None:
    article = read_text("Title line\n\r\nBody with CRLF\r\nline ends and emoji 🔥 here.")
    assert "\r" not in article.text
    assert article.text.startswith("Title line\n\nBody with CRLF")
