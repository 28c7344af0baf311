"""propscope batch and stats: inputs, outputs, resuming, dedup, errors, engines. Real pipeline."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from propscope.article import Article
from propscope.batch import BatchConfig, Hooks, run_batch
from propscope.batch_store import BatchState, ParquetSink
from propscope.batch_work import Done, Failed, content_hash
from propscope.cli_batch import batch, stats
from propscope.report import Report, validate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def story(n: int) -> str:
    return (
        f"Harbour report {n}\n\n"
        f"The council of Marren said on Monday that {n + 10} homes near the harbour were damaged "
        f"by the fire, and that the ferry timetable number {n} would be reviewed next week.\n\n"
        "Residents were asked to stay away from the quay while crews worked through the night."
    )


def page(n: int) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in story(n).split("\n\n")[1:])
    return (f"<html><head><title>Harbour page {n}</title></head><body><article><h1>Harbour page {n}"
            f"</h1>{paragraphs}</article></body></html>").encode()


def write_jsonl(path: Path, rows: list[dict[str, Any] | str]) -> Path:
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def warc_member(uri: str, body: bytes, content_type: str = "text/html; charset=utf-8",
                gzipped: bool = True, record: int | None = None) -> bytes:
    """One WARC response record; ``record`` fixes its id and date (else random and now)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    fixed = None if record is None else {"WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{record:012d}>",
                                         "WARC-Date": "2026-01-01T00:00:00Z"}
    writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http,
                                                  warc_headers_dict=fixed))
    return buffer.getvalue()


def invoke(*args: str) -> Any:
    return CliRunner().invoke(batch, [*args, "--no-progress"], catch_exceptions=False)


def errors_of(out: Path) -> dict[str, str]:
    errors = out.with_name(out.name + ".errors.jsonl")
    return {row["source"]: row["reason"] for row in read_jsonl(errors)} if errors.exists() else {}


def test_folder_jsonl_and_csv_inputs(tmp_path: Path) -> None:
    folder = shutil.copytree(EXAMPLES, tmp_path / "examples")
    rows: list[dict[str, Any] | str] = [
        {"id": "a1", "text": story(1), "title": "Given title", "outlet": "Daily Test", "published": "3 May 2024"},
        {"text": story(2), "source": "feed"},
        "{not json",
        {"id": "empty", "title": "no body"},
        "[1, 2]",
    ]
    jsonl = write_jsonl(tmp_path / "in.jsonl", rows)
    table = tmp_path / "in.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text", "outlet", "published"])
        writer.writeheader()
        writer.writerow({"id": "c1", "text": story(3), "outlet": "CSV Times", "published": "2024-06-01"})
        writer.writerow({"id": "", "text": story(4), "outlet": "", "published": ""})
    out = tmp_path / "out.jsonl"
    result = invoke(str(folder), str(jsonl), str(table), "-o", str(out), "--workers", "0")
    assert result.exit_code == 2, result.output
    assert "3 failed" in result.output and "in.jsonl.errors.jsonl" not in result.output.split("->")[0]
    records = read_jsonl(out)
    for record in records:
        validate(record)
    sources = {r["article"]["source"]: r["article"] for r in records}
    assert set(sources) == {
        *(str(folder / p.name) for p in EXAMPLES.iterdir()),
        f"{jsonl}#a1", f"{jsonl}:2", f"{table}#c1", f"{table}:row2",
    }
    given = sources[f"{jsonl}#a1"]
    assert (given["title"], given["outlet"], given["published"]) == ("Given title", "Daily Test", "2024-05-03")
    assert sources[f"{table}#c1"]["outlet"] == "CSV Times"
    errors = errors_of(out)
    assert set(errors) == {f"{jsonl}:3", f"{jsonl}#empty", f"{jsonl}:5"}
    assert "not JSON" in errors[f"{jsonl}:3"]
    assert "no text, html or url field" in errors[f"{jsonl}#empty"]
    assert "not an object" in errors[f"{jsonl}:5"]
    again = invoke(str(folder), str(jsonl), str(table), "-o", str(out), "--workers", "0")
    assert again.exit_code == 2 and "0 analysed" in again.output and f"{len(records) + 3} already done" in again.output
    assert len(read_jsonl(out)) == len(records) and len(errors_of(out)) == 3


def test_whole_record_before_a_truncated_one_is_kept(tmp_path: Path) -> None:
    # warcio reads a truncated gzip member on into the next one; the intact record before it
    # must not be blamed for the member that starts after its own. Which bytes the cut lands on
    # decides how warcio fails, so several fixed record ids are tried (the old check lost the
    # image record for some of them).
    from propscope.batch_inputs import iter_items
    from propscope.settings import Settings

    archive = tmp_path / "cut.warc.gz"
    for n in range(1, 41):
        half = warc_member("http://d.example/2", page(2), record=100 + n)
        archive.write_bytes(b"".join([
            warc_member("http://d.example/logo.png", b"\x89PNG\r\n\x1a\n....", "image/png", record=n),
            half[: len(half) // 2],
            warc_member("http://d.example/3", page(3), record=200 + n),
        ]))
        items = [(i.key.split("#")[-1], i.kind, str(i.payload)) for i in iter_items([str(archive)], Settings())]
        assert items[0] == ("http://d.example/logo.png", "error", "payload is image/png, not HTML"), (n, items)
        assert items[1][1] == "error" and items[1][2].startswith("corrupt WARC record at byte"), (n, items)
        assert items[2][:2] == ("http://d.example/3", "html"), (n, items)


def test_warc_inputs_with_corrupt_non_html_and_oversized_records(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    half = warc_member("http://b.example/2", page(2))
    archive.write_bytes(b"".join([
        warc_member("http://b.example/1", page(1)),
        gzip.compress(b"GARBAGE, NOT A WARC RECORD\r\n\r\n"),
        warc_member("http://b.example/logo.png", b"\x89PNG\r\n\x1a\n....", "image/png"),
        half[: len(half) // 2],
        warc_member("http://b.example/3", page(3)),
        warc_member("http://b.example/huge", b"<html><body><p>" + b"a" * 10_100_000 + b"</p></body></html>"),
        warc_member("http://b.example/1", page(1)),  # the same page captured twice
    ]))
    plain = tmp_path / "plain.warc"
    plain.write_bytes(warc_member("http://c.example/4", page(4), gzipped=False)
                      + b"GARBAGE LINE ONE\r\nGARBAGE LINE TWO\r\n\r\n"
                      + warc_member("http://c.example/5", page(5), gzipped=False))
    out = tmp_path / "out.jsonl"
    result = invoke(str(archive), str(plain), "-o", str(out), "--workers", "0")
    assert result.exit_code == 2, result.output
    records = read_jsonl(out)
    for record in records:
        validate(record)
    sources = [r["article"]["source"] for r in records]
    assert sorted(sources) == sorted([f"{archive}#http://b.example/1", f"{archive}#http://b.example/3",
                                      f"{plain}#http://c.example/4", f"{plain}#http://c.example/5"])
    assert all(r["article"]["url"] == r["article"]["source"].split("#", 1)[1] for r in records)
    errors = errors_of(out)
    assert errors[f"{archive}#http://b.example/logo.png"] == "payload is image/png, not HTML"
    assert "over the 10 MB limit" in errors[f"{archive}#http://b.example/huge"]
    corrupt = [key for key in errors if key.startswith(f"{archive}@")]
    assert len(corrupt) == 2 and all("corrupt WARC record" in errors[key] for key in corrupt)
    assert any(key.startswith(f"{plain}@") for key in errors)
    assert "1 duplicates" in result.output  # the second capture of b.example/1


def test_truncated_gzip_member_that_runs_into_the_next_loses_nothing(tmp_path: Path) -> None:
    """With these fixed record ids the first half of one member makes warcio read straight on
    through the next member as if it were one record (no error, one record): the reader must
    still find the second page."""
    from warcio.archiveiterator import ArchiveIterator

    half = warc_member("http://b.example/2", page(2), record=9)
    data = half[: len(half) // 2] + warc_member("http://b.example/3", page(3), record=10)
    seen = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(io.BytesIO(data))]
    assert seen == ["http://b.example/2"]  # the trap is set: warcio alone loses page 3
    archive = tmp_path / "cut.warc.gz"
    archive.write_bytes(data)
    out = tmp_path / "out.jsonl"
    result = invoke(str(archive), "-o", str(out), "--workers", "0")
    assert result.exit_code == 2, result.output
    assert [r["article"]["source"] for r in read_jsonl(out)] == [f"{archive}#http://b.example/3"]
    assert list(errors_of(out)) == [f"{archive}@0"]
    assert "truncated record" in errors_of(out)[f"{archive}@0"]


def test_parquet_output_and_stats(tmp_path: Path) -> None:
    rows: list[dict[str, Any] | str] = [
        {"id": str(n), "text": story(n), "outlet": f"Outlet {n % 2}", "published": f"2024-0{n % 3 + 1}-15"}
        for n in range(5)
    ]
    jsonl = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.parquet"
    assert invoke(str(jsonl), "-o", str(out), "--workers", "0", "--chunk-size", "2").exit_code == 0
    articles = pq.read_table(out / "articles").to_pylist()
    assert sorted(a["source"] for a in articles) == sorted(f"{jsonl}#{n}" for n in range(5))
    assert all(a["content_hash"] == content_hash(a["text"]) for a in articles)
    assert pq.read_table(out / "techniques").schema.names[:2] == ["source", "technique"]
    assert (out / "claims").is_dir()
    result = CliRunner().invoke(stats, [str(out), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["articles"] == 5 and figures["contradiction_entities"] is None
    table = CliRunner().invoke(stats, [str(out)])
    assert table.exit_code == 0 and "none are recorded" in table.output


def _synthetic(n: int, outlet: str, published: str, contradictions: bool) -> dict[str, Any]:
    text = story(n)
    start = text.index("homes")
    claim_start = text.index("The council")
    claim = {"start": claim_start, "end": claim_start + 40, "text": "The Council of Marren said on Monday!",
             "checkworthiness": 0.9, "entities": [], "times": [], "quantities": [], "places": []}
    report = Report(
        Article(source=f"s{n}", text=text, outlet=outlet, published=published),
        techniques=[{"start": start, "end": start + 5, "technique": "loaded_language", "confidence": 0.8,
                     "explanation": "x"}] * (n + 1),
        claims=[claim],
    ).to_dict()
    if contradictions:
        report["contradictions"] = [{"entity": "Marren council", "claims": []},
                                    {"entities": [{"name": "Marren council"}, "Harbour ferry"]},
                                    {"relation": "contradicts", "values": [
                                        {"kind": "person", "text": "Ana Berg"}, {"kind": "number", "text": "40"}]}]
    return report


def test_stats_over_jsonl_and_parquet_agree(tmp_path: Path) -> None:
    reports = [_synthetic(0, "A", "2024-01-02", True), _synthetic(1, "A", "2024-02-03", False),
               _synthetic(2, "B", "2024-02-09", False)]
    jsonl = tmp_path / "synthetic.jsonl"
    write_jsonl(jsonl, [*reports])  # type: ignore[list-item]
    parquet = tmp_path / "synthetic.parquet"
    ParquetSink(parquet).write(0, [Done(r["article"]["source"], "h", r) for r in reports])
    figures = [json.loads(CliRunner().invoke(stats, [str(p), "--json"]).output) for p in (jsonl, parquet)]
    assert figures[0] == figures[1]
    result = figures[0]
    assert {(r["outlet"], r["count"]) for r in result["techniques_by_outlet"]} == {("A", 3), ("B", 3)}
    assert [(r["month"], r["count"]) for r in result["techniques_by_month"]] == [("2024-01", 1), ("2024-02", 5)]
    top = result["top_claims"][0]
    assert (top["claim"], top["count"], top["outlets"]) == ("the council of marren said on monday", 3, 2)
    entities = result["contradiction_entities"]
    assert entities[0] == {"entity": "Marren council", "contradictions": 2, "articles": 1}
    assert {e["entity"] for e in entities} == {"Marren council", "Harbour ferry", "Ana Berg"}


def _crash_at(chunk: int) -> Callable[[int], None]:
    def hook(current: int) -> None:
        if current == chunk:
            raise KeyboardInterrupt

    return hook


@pytest.mark.parametrize("fmt", ["out.jsonl", "out.parquet"])
@pytest.mark.parametrize("point", ["after_write", "after_commit"])
def test_resume_after_interruption_neither_duplicates_nor_loses(tmp_path: Path, fmt: str, point: str) -> None:
    rows: list[dict[str, Any] | str] = [{"id": str(n), "text": story(n)} for n in range(9)]
    rows.append("not json")
    jsonl = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / fmt
    config = BatchConfig((str(jsonl),), out, workers=0, chunk_size=2, progress=False)
    with pytest.raises(KeyboardInterrupt):
        run_batch(config, Hooks(**{point: _crash_at(2)}))
    summary = run_batch(config)
    expected = {f"{jsonl}#{n}" for n in range(9)}
    if fmt.endswith(".jsonl"):
        sources = [r["article"]["source"] for r in read_jsonl(out)]
    else:
        sources = pq.read_table(out / "articles").column("source").to_pylist()
    assert sorted(sources) == sorted(expected)
    # chunks commit in order of completion, so how many were done before the crash varies
    assert 2 <= summary.skipped < 10 and summary.skipped + summary.analysed + summary.failed == 10
    assert list(errors_of(out)) == [f"{jsonl}:10"]


def test_duplicates_are_analysed_once_across_runs(tmp_path: Path) -> None:
    text = story(7)
    variant = text.upper().replace(" ", "   ")
    first = write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "text": text}, {"id": "y", "text": text}])
    second = write_jsonl(tmp_path / "b.jsonl", [{"id": "z", "text": variant}, {"id": "w", "text": story(8)}])
    out = tmp_path / "out.jsonl"
    assert invoke(str(first), "-o", str(out), "--workers", "0").exit_code == 0
    result = invoke(str(first), str(second), "-o", str(out), "--workers", "0")
    assert result.exit_code == 0 and "1 analysed, 1 duplicates" in result.output
    assert sorted(r["article"]["source"] for r in read_jsonl(out)) == [f"{first}#x", f"{second}#w"]


def test_urls_unreachable_and_blocked(tmp_path: Path, http_server: tuple[str, dict[str, Any]]) -> None:
    base, routes = http_server
    routes["/story"] = (200, {"Content-Type": "text/html"}, page(11), 0.0)
    jsonl = write_jsonl(tmp_path / "urls.jsonl", [
        {"id": "ok", "url": f"{base}/story", "outlet": "Local"},
        {"id": "closed", "url": "http://127.0.0.1:9/story"},
        {"id": "missing", "url": f"{base}/gone"},
    ])
    allowed = tmp_path / "allowed.jsonl"
    result = invoke(str(jsonl), "-o", str(allowed), "--workers", "0", "--allow-private-network", "--timeout", "3")
    assert result.exit_code == 2, result.output
    records = read_jsonl(allowed)
    assert [(r["article"]["source"], r["article"]["url"]) for r in records] == [(f"{jsonl}#ok", f"{base}/story")]
    errors = errors_of(allowed)
    assert set(errors) == {f"{jsonl}#closed", f"{jsonl}#missing"}
    assert "cannot fetch" in errors[f"{jsonl}#closed"] and "HTTP 404" in errors[f"{jsonl}#missing"]
    blocked = tmp_path / "blocked.jsonl"
    result = invoke(str(jsonl), "-o", str(blocked), "--workers", "0")
    assert result.exit_code == 2 and not blocked.read_text()
    assert all("private, loopback or link-local" in reason for reason in errors_of(blocked).values())


def test_refuses_an_output_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "someone-elses.jsonl"
    out.write_text('{"keep": "me"}\n')
    result = invoke(str(EXAMPLES), "-o", str(out), "--workers", "0")
    assert result.exit_code != 0 and "was not written by 'propscope batch'" in result.output
    assert out.read_text() == '{"keep": "me"}\n'


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_two_worker_engines(tmp_path: Path, engine: str) -> None:
    rows: list[dict[str, Any] | str] = [{"id": str(n), "text": story(n)} for n in range(12)]
    rows.append({"id": "dup", "text": story(3)})
    jsonl = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    config = BatchConfig((str(jsonl),), out, engine=engine, workers=2, chunk_size=3, progress=False)
    summary = run_batch(config)
    records = read_jsonl(out)
    # Chunks finish in any order, so either copy of the duplicated story may be the one kept.
    sources = {r["article"]["source"] for r in records}
    expected = {f"{jsonl}#{n}" for n in range(12)}
    assert len(records) == 12 and len(sources) == 12
    assert sources in (expected, (expected - {f"{jsonl}#3"}) | {f"{jsonl}#dup"})
    assert (summary.analysed, summary.duplicates, summary.failed) == (12, 1, 0)
    assert 1 <= len(summary.workers) <= 2 and all(w.peak_rss_mb > 0 for w in summary.workers.values())
    # Chunks arrive with the settings the worker loaded its models with: one set of models each.
    assert all(w.pipelines == 1 for w in summary.workers.values())


def test_chunks_committed_out_of_order_survive_reopening(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    reports = [_synthetic(n, "A", "2024-01-01", False) for n in range(3)]
    state = BatchState(out)
    state.commit(1, [Done("s1", "h1", reports[1])], [])
    state.commit(0, [Done("s0", "h0", reports[0])], [Failed("bad", "why", "ingest")])
    with out.open("a") as handle:
        handle.write('{"uncommitted": ')  # a crash in the middle of an append
    state.close()
    reopened = BatchState(out)
    reopened.close()
    assert [r["article"]["source"] for r in read_jsonl(out)] == ["s1", "s0"]
    assert list(errors_of(out)) == ["bad"] and reopened.next_chunk == 2
