"""The web app and API: flows over a real socket (uvicorn in a thread), edge cases in process."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from webapp_support import Exploding, LiveServer, example, live, pipeline

from propscope import fetch
from propscope.cli_serve import serve
from propscope.errors import StoreError
from propscope.ingest import read_html, read_text
from propscope.settings import Settings
from propscope.store import Query, Store, content_hash
from propscope.web_service import component_versions

pytest.importorskip("fastapi")
from propscope.server import create_app

ARTICLE = ("Harbour board faces questions\n\nThe reckless harbour board ignored a deadly danger for years, "
           "residents of Marren said on Monday. The board denied it.")


def make_app(tmp_path: Path, **options: Any) -> Any:
    options.setdefault("pipeline", pipeline())
    options.setdefault("rate_per_s", None)
    return create_app(tmp_path / "history.sqlite3", options.pop("settings", Settings()), options.pop("token", None),
                      **options)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with live(make_app(tmp_path)) as running:
        yield running


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=20) as c:
        yield c


# analysing, over a real socket


def test_analyze_text_answers_report_with_id(client: httpx.Client) -> None:
    r = client.post("/api/analyze", json={"text": ARTICLE, "source": "pasted"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["schema"] == "propscope.report/1"
    assert isinstance(data["id"], int)
    assert data["article"]["source"] == "pasted"
    assert {t["technique"] for t in data["techniques"]} == {"Loaded_Language", "Appeal_to_fear-prejudice"}
    assert data["summary"]["techniques"]["Appeal_to_fear-prejudice"] == 2
    again = client.get(f"/api/analyses/{data['id']}").json()
    assert again["article"]["text"] == data["article"]["text"] and again["id"] == data["id"]


def test_analyze_html_and_title_override(client: httpx.Client) -> None:
    r = client.post("/api/analyze", json={"html": example("marren-fire-beacon.html"), "title": "My title"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["article"]["outlet"] == "Northern Beacon"
    assert data["article"]["title"] == "My title"
    assert any(t["technique"] == "Name_Calling,Labeling" for t in data["techniques"])


def test_same_article_is_served_from_the_store(client: httpx.Client) -> None:
    first = client.post("/api/analyze", json={"text": ARTICLE})
    second = client.post("/api/analyze", json={"text": ARTICLE, "source": "again"})
    assert first.headers["x-propscope-cache"] == "miss"
    assert second.headers["x-propscope-cache"] == "hit"
    assert first.json()["id"] == second.json()["id"]
    assert client.get("/api/analyses").json()["total"] == 1


def test_url_fetching_needs_the_private_network_flag(tmp_path: Path, http_server: Any) -> None:
    base, routes = http_server
    routes["/story"] = (200, {"Content-Type": "text/plain; charset=utf-8"}, ARTICLE.encode(), 0.0)
    with live(make_app(tmp_path / "a")) as refusing, httpx.Client(base_url=refusing.url, timeout=20) as c:
        r = c.post("/api/analyze", json={"url": f"{base}/story"})
        assert r.status_code == 400
        error = r.json()["error"]
        assert error["code"] == "blocked_address"
        assert "private, loopback or link-local" in error["message"]
    allowing = make_app(tmp_path / "b", settings=Settings(allow_private_network=True))
    with live(allowing) as running, httpx.Client(base_url=running.url, timeout=20) as c:
        r = c.post("/api/analyze", json={"url": f"{base}/story"})
        assert r.status_code == 200, r.text
        assert r.json()["article"]["url"] == f"{base}/story"
        missing = c.post("/api/analyze", json={"url": f"{base}/missing"})
        assert missing.status_code == 502 and "404" in missing.json()["error"]["message"]


def test_url_redirecting_to_a_private_address_is_refused(
    tmp_path: Path, http_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, routes = http_server
    port = base.rsplit(":", 1)[1]
    routes["/hop"] = (302, {"Location": f"http://127.0.0.9:{port}/story"}, b"", 0.0)
    routes["/story"] = (200, {"Content-Type": "text/plain"}, ARTICLE.encode(), 0.0)
    original = fetch._blocked
    # Pretend 127.0.0.1 is a public address, so only the redirect's target is private.
    monkeypatch.setattr(fetch, "_blocked", lambda address: address != "127.0.0.1" and original(address))
    with live(make_app(tmp_path)) as running, httpx.Client(base_url=running.url, timeout=20) as c:
        r = c.post("/api/analyze", json={"url": f"{base}/hop"})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "blocked_address"
    assert "127.0.0.9" in r.json()["error"]["message"]


def test_non_http_url_is_a_clear_error(client: httpx.Client) -> None:
    r = client.post("/api/analyze", json={"url": "file:///etc/passwd"})
    assert r.status_code == 422
    assert "http" in r.json()["error"]["message"]


# history


def test_list_filter_and_search(client: httpx.Client) -> None:
    for name in ("marren-fire-wire.txt", "marren-fire-blog.txt"):
        assert client.post("/api/analyze", json={"text": example(name)}).status_code == 200
    assert client.post("/api/analyze", json={"html": example("marren-fire-beacon.html")}).status_code == 200
    everything = client.get("/api/analyses").json()
    assert everything["total"] == 3
    assert [i["published"] for i in everything["items"]] == ["2025-03-17", "2025-03-16", "2025-03-15"]
    by_outlet = client.get("/api/analyses", params={"outlet": "Coastline Wire"}).json()
    assert [i["outlet"] for i in by_outlet["items"]] == ["Coastline Wire"]
    by_technique = client.get("/api/analyses", params={"technique": "Name_Calling,Labeling"}).json()
    assert [i["outlet"] for i in by_technique["items"]] == ["Northern Beacon"]
    assert by_technique["items"][0]["techniques"]["Name_Calling,Labeling"] >= 1
    dated = client.get("/api/analyses", params={"since": "2025-03-16", "until": "2025-03-16"}).json()
    assert [i["outlet"] for i in dated["items"]] == ["Northern Beacon"]
    found = client.get("/api/analyses", params={"q": "ammonium nitrate"}).json()
    assert found["total"] >= 1 and "Coastline Wire" in {i["outlet"] for i in found["items"]}
    assert client.get("/api/analyses", params={"q": 'x" OR *'}).status_code == 200
    assert client.get("/api/analyses", params={"limit": 1}).json()["items"][0]["published"] == "2025-03-17"
    assert client.get("/api/analyses", params={"since": "March"}).status_code == 422
    assert client.get("/api/analyses/999").status_code == 404
    page = client.get("/history", params={"q": "Marren", "outlet": "Northern Beacon"})
    assert page.status_code == 200 and "Northern Beacon" in page.text
    outlet = client.get("/outlets/Northern Beacon")
    assert outlet.status_code == 200 and "<svg" in outlet.text and "2025-03" in outlet.text


def test_compare_answers_each_report(client: httpx.Client) -> None:
    items = [{"text": example("marren-fire-wire.txt")}, {"html": example("marren-fire-beacon.html")}]
    r = client.post("/api/compare", json={"items": items})
    assert r.status_code == 200, r.text
    data = r.json()
    assert [rep["article"]["outlet"] for rep in data["reports"]] == ["Coastline Wire", "Northern Beacon"]
    assert "comparison" in data
    bad = client.post("/api/compare", json={"items": [{"text": "ok text here."}, {"text": "   "}]})
    assert bad.status_code == 422 and bad.json()["error"]["message"].startswith("items[1]")
    assert client.post("/api/compare", json={"items": [{"text": "one"}]}).status_code == 422


# bad requests


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "malformed_json"),
        (b"", 400, "empty_body"),
        (b'{"text": 42}', 422, "invalid_request"),
        (b'{"text": ["a"]}', 422, "invalid_request"),
        (b'{"text": "a", "url": "https://example.org"}', 422, "invalid_request"),
        (b"{}", 422, "invalid_request"),
        (b'{"text": "a", "colour": "red"}', 422, "invalid_request"),
        (b'["text"]', 422, "invalid_request"),
        (b'{"text": "   "}', 422, "ingest"),
    ],
)
def test_bad_bodies_get_clear_4xx(client: httpx.Client, body: bytes, status: int, code: str) -> None:
    r = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == code
    assert error["message"] and "Traceback" not in r.text


def test_body_over_the_limit_is_refused_before_it_is_read(server: LiveServer) -> None:
    """Headers announce 60 MB; the answer comes after only 1 MB was sent."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        head = (f"POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Content-Length: {60_000_000}\r\n\r\n")
        sock.sendall(head.encode() + b"{" + b" " * 1_000_000)
        answer = ""
        while not answer.endswith("}"):
            chunk = sock.recv(65536).decode("latin-1")
            if not chunk:
                break
            answer += chunk
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert "content-security-policy" in answer.lower()
    assert '"too_large"' in answer


def test_streamed_body_over_the_limit_is_cut_off(tmp_path: Path) -> None:
    """A chunked body (no Content-Length) is counted as it arrives."""
    app = make_app(tmp_path, max_body_bytes=100_000)

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(50):
            yield b"a" * 10_000
        yield b'"}'

    with live(app) as running, httpx.Client(base_url=running.url, timeout=20) as c:
        r = c.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"


def test_sixty_megabytes_over_http(server: LiveServer) -> None:
    body = b'{"text": "' + b"a" * 60_000_000 + b'"}'
    try:
        with httpx.Client(timeout=30) as c:
            r = c.post(f"{server.url}/api/analyze", content=body, headers={"content-type": "application/json"})
    except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError):
        return  # the server answered 413 and closed before the client finished sending
    assert r.status_code == 413


def test_rate_limit_answers_429(tmp_path: Path) -> None:
    app = make_app(tmp_path, rate_per_s=0.01, burst=3)
    with live(app) as running, httpx.Client(base_url=running.url, timeout=20) as c:
        statuses = [c.get("/api/health").status_code for _ in range(5)]
        limited = c.get("/api/health")
        static = c.get("/static/app.js")
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]
    assert limited.json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    assert static.status_code == 200  # static files are not counted


def test_token_guards_write_endpoints(tmp_path: Path) -> None:
    app = make_app(tmp_path, token="s3cret-token")
    with live(app) as running, httpx.Client(base_url=running.url, timeout=20) as c:
        missing = c.post("/api/analyze", json={"text": ARTICLE})
        wrong = c.post("/api/analyze", json={"text": ARTICLE}, headers={"Authorization": "Bearer nope"})
        right = c.post("/api/analyze", json={"text": ARTICLE}, headers={"Authorization": "Bearer s3cret-token"})
        malformed = c.post("/api/analyze", content=b"{", headers={"content-type": "application/json"})
        form = c.post("/analyze", data={"text": ARTICLE})
        reading = c.get("/api/analyses")
        page = c.get("/")
        bad_login = c.post("/login", data={"token": "nope"})
        login = c.post("/login", data={"token": "s3cret-token"})
        after_login = c.post("/analyze", data={"text": ARTICLE})
    assert missing.status_code == wrong.status_code == malformed.status_code == form.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert missing.json()["error"]["code"] == "unauthorized"
    assert right.status_code == 200
    assert reading.status_code == 200 and reading.json()["total"] == 1
    assert "Sign in" in page.text
    assert bad_login.status_code == 401
    assert login.status_code == 303 and "httponly" in login.headers["set-cookie"].lower()
    assert after_login.status_code == 200 and "<mark" in after_login.text


def test_token_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROPSCOPE_TOKEN", "from-env")
    app = make_app(tmp_path)
    transport = httpx.ASGITransport(app=app)

    async def go() -> tuple[int, int]:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            a = await c.post("/api/analyze", json={"text": ARTICLE})
            b = await c.post("/api/analyze", json={"text": ARTICLE}, headers={"Authorization": "Bearer from-env"})
            return a.status_code, b.status_code

    import asyncio

    assert asyncio.run(go()) == (401, 200)


def test_concurrent_posts_of_one_article_make_one_row(server: LiveServer) -> None:
    ids: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def post() -> None:
        try:
            with httpx.Client(timeout=30) as c:
                start.wait()
                r = c.post(f"{server.url}/api/analyze", json={"text": example("marren-fire-wire.txt")})
                ids.append(r.json()["id"])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(ids) == 8 and len(set(ids)) == 1
    assert httpx.get(f"{server.url}/api/analyses").json()["total"] == 1


def test_csp_and_headers_on_every_response(client: httpx.Client) -> None:
    analysis = client.post("/api/analyze", json={"text": example("marren-fire-blog.txt")}).json()
    paths = ["/", "/compare", "/history", "/history?since=nope", f"/analyses/{analysis['id']}",
             f"/compare?ids={analysis['id']},{analysis['id']}", "/outlets/Harbour Watch Review", "/outlets/none",
             "/login", "/api/health", "/api/analyses", "/openapi.json", "/static/app.js", "/static/web.css",
             "/static/report.css", "/missing", "/analyses/404"]
    for path in paths:
        r = client.get(path, headers={"accept": "text/html"})
        csp = r.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp and "default-src 'none'" in csp, path
        assert "unsafe-inline" not in csp, path
        assert r.headers["x-content-type-options"] == "nosniff", path
        if r.headers["content-type"].startswith("text/html"):
            assert "<script>" not in r.text and " on" + "error=" not in r.text, path
    assert client.post("/api/analyze", content=b"{").headers["content-security-policy"]


def test_pages_escape_article_text(client: httpx.Client) -> None:
    hostile = ('Title <b>bold</b>\n\nA reckless plan <script>alert(1)</script> and '
               '<img src=x onerror="alert(2)"> were found in Marren on Monday.')
    r = client.post("/analyze", data={"text": hostile})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "<mark" in r.text and "Loaded language" in r.text


def test_form_uploads_and_url_lines(client: httpx.Client) -> None:
    files = [("files", ("wire.txt", example("marren-fire-wire.txt").encode(), "text/plain")),
             ("files", ("beacon.html", example("marren-fire-beacon.html").encode(), "text/html")),
             ("files", ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"))]
    r = client.post("/analyze", data={"text": "", "urls": "ftp://nowhere\n"}, files=files)
    assert r.status_code == 200, r.text
    assert r.text.count('class="report"') == 2
    assert "photo.png" in r.text and "ftp://nowhere" in r.text  # one line per failed input
    empty = client.post("/analyze", data={"text": "  "})
    assert empty.status_code == 400 and "Nothing to analyse" in empty.text
    compare = client.post("/compare", data={"text_1": example("marren-fire-wire.txt"),
                                            "text_2": example("marren-fire-blog.txt")})
    assert compare.status_code == 200 and compare.text.count('class="report"') == 2
    foreign = client.post("/analyze", data={"text": ARTICLE}, headers={"origin": "https://evil.example"})
    assert foreign.status_code == 403


def test_500_has_no_traceback(tmp_path: Path) -> None:
    from propscope.components import Summary
    from propscope.pipeline import Pipeline

    app = make_app(tmp_path, pipeline=Pipeline([Exploding(), Summary()]))
    with live(app) as running, httpx.Client(base_url=running.url, timeout=20) as c:
        api = c.post("/api/analyze", json={"text": ARTICLE})
        page = c.post("/analyze", data={"text": ARTICLE}, headers={"accept": "text/html"})
    assert api.status_code == 500
    assert api.json() == {"ok": False, "error": {"code": "internal",
                                                 "message": "internal error; the server log has the details"}}
    assert page.status_code == 500
    for r in (api, page):
        assert "Traceback" not in r.text and "secret internal detail" not in r.text and "passwd" not in r.text
        assert r.headers["content-security-policy"]


def test_health_and_openapi(client: httpx.Client) -> None:
    health = client.get("/api/health").json()
    assert health["models"] == {"keywords.test": "keywords.test", "summary.v1": "summary.v1"}
    assert health["store"]["path"].endswith("history.sqlite3") and health["store"]["schema_version"] == 2
    spec = client.get("/openapi.json").json()
    assert {"/api/analyze", "/api/compare", "/api/analyses", "/api/analyses/{analysis_id}", "/api/health"} <= set(
        spec["paths"])
    assert "/" not in spec["paths"]


def test_first_load_is_small(client: httpx.Client) -> None:
    page = client.get("/")
    assets = ["/static/report.css", "/static/web.css", "/static/app.js"]
    total = len(page.content) + sum(len(client.get(a).content) for a in assets)
    for asset in assets:
        assert asset in page.text
    assert total < 300_000


# the store on its own


def test_store_migrates_and_reopens(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "h.sqlite3"
    store = Store(path)
    assert store.schema_version == 2 and store.has_fts
    store.close()
    again = Store(path)
    assert again.schema_version == 2
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_store_errors_are_store_errors(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError):
        Store(tmp_path / "file" / "h.sqlite3")
    (tmp_path / "junk.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        Store(tmp_path / "junk.sqlite3")


def test_store_default_path_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from propscope.store import default_path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_path() == tmp_path / "propscope" / "history.sqlite3"


def test_store_concurrent_writers_on_separate_connections(tmp_path: Path) -> None:
    """Two Store objects (as two processes would) race to save one article: one row, no half rows."""
    path = tmp_path / "h.sqlite3"
    stores = [Store(path), Store(path)]
    article = read_html(example("marren-fire-beacon.html"))
    report = pipeline()(article)
    key = content_hash(article)
    results: list[int] = []
    barrier = threading.Barrier(2)

    def save(store: Store) -> None:
        barrier.wait()
        results.append(store.save(key, "v1", report).id)

    threads = [threading.Thread(target=save, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(set(results)) == 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM analyses").fetchone()[0] == 1
    rows = conn.execute("SELECT count(*) FROM techniques").fetchone()[0]
    assert rows == len(report.techniques)
    assert stores[0].search(Query(q="Elites"))[0]["id"] == results[0]


def test_like_search_without_fts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "h.sqlite3")
    store.has_fts = False
    article = read_text(ARTICLE)
    store.get_or_analyze(article, pipeline(), "v1")
    assert len(store.search(Query(q="harbour 100%"))) == 0
    assert len(store.search(Query(q="HARBOUR deadly"))) == 1


def test_model_version_changes_the_cache_key(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    article = read_text(ARTICLE)
    a = store.get_or_analyze(article, pipeline(), "v1")
    b = store.get_or_analyze(article, pipeline(), "v2")
    c = store.get_or_analyze(article, pipeline(), "v1")
    assert a.id != b.id and c.id == a.id and c.cached and not a.cached
    assert component_versions(pipeline()) == {"keywords.test": "keywords.test", "summary.v1": "summary.v1"}


def test_serve_command_help() -> None:
    result = CliRunner().invoke(serve, ["--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--db", "--allow-private-network"):
        assert option in result.output
    assert "127.0.0.1" in result.output and "8000" in result.output


def test_report_json_round_trips(client: httpx.Client) -> None:
    data = client.post("/api/analyze", json={"text": ARTICLE}).json()
    data.pop("id")
    from propscope.report import validate

    validate(json.loads(json.dumps(data)))
