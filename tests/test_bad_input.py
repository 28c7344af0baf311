"""Every bad input gets one line naming its source and a non-zero exit, while the
other sources of the same run still go through; no traceback without --debug."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from propscope.cli import cli
from tests.conftest import EXAMPLES

GOOD = str(EXAMPLES / "marren-fire-wire.txt")


def _run(runner: CliRunner, *args: str) -> tuple[int, list[dict[str, object]], str]:
    result = runner.invoke(cli, ["analyze", "--format", "json", *args])
    data = json.loads(result.stdout) if result.stdout.strip() else []
    return result.exit_code, data if isinstance(data, list) else [data], result.stderr


def _assert_one_line_error(stderr: str, source: str, needle: str) -> None:
    lines = [line for line in stderr.splitlines() if line.startswith("propscope: error:")]
    assert len(lines) == 1, stderr
    assert source in lines[0] and needle in lines[0], lines[0]
    assert "Traceback" not in stderr


def _bad_file(tmp_path: Path, kind: str) -> tuple[Path, str]:
    path = tmp_path / f"{kind}.txt"
    if kind == "empty":
        path.write_bytes(b"  \n\n ")
        return path, "empty input"
    if kind == "binary":
        path.write_bytes(bytes(range(256)) * 40)
        return path, "binary file"
    if kind == "huge":
        with path.open("wb") as handle:
            handle.truncate(50 * 1024 * 1024)
        return path, "over the 20 MB limit"
    if kind == "latin1":
        path.write_bytes("Le ministre a déclaré que la réforme était prête.\n".encode("latin-1"))
        return path, "--encoding latin-1"
    if kind == "invalid_utf8":
        path.write_bytes(b"Valid start of a story \xff\xfe\xc3\x28 broken bytes follow.\n")
        return path, "not valid UTF-8"
    if kind == "html_no_body":
        path = tmp_path / "nobody.html"
        path.write_text("<html><head><title>Nothing</title></head><body></body></html>")
        return path, "no article text"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind", ["empty", "binary", "huge", "latin1", "invalid_utf8", "html_no_body"]
)
def test_bad_input_file_gets_one_line_error_and_others_still_analysed(
    runner: CliRunner, tmp_path: Path, kind: str
) -> None:
    path, needle = _bad_file(tmp_path, kind)
    code, reports, stderr = _run(runner, str(path), GOOD)
    assert code != 0
    _assert_one_line_error(stderr, str(path), needle)
    assert [r["article"]["source"] for r in reports] == [GOOD]  # type: ignore[index]


def test_bad_input_latin1_reads_with_encoding_option(runner: CliRunner, tmp_path: Path) -> None:
    path, _ = _bad_file(tmp_path, "latin1")
    code, reports, _ = _run(runner, "--encoding", "latin-1", str(path))
    assert code == 0
    assert "déclaré" in reports[0]["article"]["text"]  # type: ignore[index]


def test_bad_input_folder_with_unreadable_file(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a-good.txt").write_text((EXAMPLES / "marren-fire-wire.txt").read_text("utf-8"))
    os.symlink(tmp_path / "missing-target.txt", folder / "b-unreadable.txt")
    code, reports, stderr = _run(runner, str(folder))
    assert code != 0
    _assert_one_line_error(stderr, "b-unreadable.txt", "cannot read file")
    assert len(reports) == 1 and str(reports[0]["article"]["source"]).endswith("a-good.txt")  # type: ignore[index]


@pytest.mark.parametrize(
    ("route", "needle"),
    [
        ((404, {"Content-Type": "text/html"}, b"<p>gone</p>", 0.0), "HTTP 404"),
        ((500, {"Content-Type": "text/html"}, b"<p>oops</p>", 0.0), "HTTP 500"),
        ((200, {"Content-Type": "text/html"}, b"<p>slow</p>", 2.0), "timed out"),
        ((200, {"Content-Type": "image/png"}, b"\x89PNG....", 0.0), "not an article page"),
    ],
)
def test_bad_input_url_errors(
    runner: CliRunner, http_server: tuple[str, dict], route: tuple, needle: str  # type: ignore[type-arg]
) -> None:
    base, routes = http_server
    routes["/bad"] = route
    url = f"{base}/bad"
    code, reports, stderr = _run(
        runner, "--allow-private-network", "--timeout", "0.5", url, GOOD
    )
    assert code != 0
    _assert_one_line_error(stderr, url, needle)
    assert len(reports) == 1


def test_bad_input_debug_shows_traceback(runner: CliRunner, tmp_path: Path) -> None:
    path, _ = _bad_file(tmp_path, "binary")
    result = runner.invoke(cli, ["analyze", "--debug", str(path)])
    assert result.exit_code != 0
    assert "Traceback" in result.stderr


def test_bad_input_stdin_empty(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["analyze", "-"], input="")
    assert result.exit_code != 0
    _assert_one_line_error(result.stderr, "<stdin>", "empty input")


def test_stdin_text_is_analysed(runner: CliRunner) -> None:
    text = (EXAMPLES / "marren-fire-wire.txt").read_text("utf-8")
    result = runner.invoke(cli, ["analyze", "--format", "json", "-"], input=text)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["article"]["author"] == "Lena Okafor"
