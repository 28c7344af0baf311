"""The web app in a real headless Chromium (Debian's, driven by Playwright's Python API)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from webapp_support import LiveServer, example, live, pipeline

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")

from propscope.server import create_app  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]
ARTICLE = ("Harbour board faces questions\n\nThe reckless harbour board ignored a deadly danger for years, "
           "residents of Marren said on Monday.\n\nThe board denied it and said the port was safe.")
HOSTILE = ("Reckless plan, say residents\n\nThe plan is reckless <script>window.__pwned = 'script'; alert(1)</script> "
           "and <img src=x onerror=\"window.__pwned = 'img'; alert(2)\"> was approved in Marren on Monday. "
           "<svg onload=\"alert(3)\"></svg><a href=\"javascript:alert(4)\">link</a>")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    app = create_app(tmp_path_factory.mktemp("web") / "h.sqlite3", pipeline=pipeline(), rate_per_s=None)
    with live(app) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.dialogs = []
    tab.csp_errors = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    tab.on("console", lambda m: "Content Security Policy" in m.text and tab.csp_errors.append(m.text))
    yield tab
    context.close()


def analyse(page: Any, server: LiveServer, text: str) -> None:
    page.goto(server.url + "/")
    page.fill("#text", text)
    page.click("button[type=submit]")
    page.wait_for_selector("article.report")


def test_paste_shows_highlights_with_legend(page: Any, server: LiveServer) -> None:
    analyse(page, server, ARTICLE)
    marks = page.locator("mark.t")
    assert marks.count() == 3
    assert marks.first.inner_text().startswith("reckless")
    colour = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")  # the hashed inline colour was allowed
    assert "Loaded language" in page.inner_text(".legend")
    assert page.csp_errors == []


def test_explanation_on_hover_and_on_keyboard_focus(page: Any, server: LiveServer) -> None:
    analyse(page, server, ARTICLE)
    first = page.locator("mark.t").first
    tip = first.locator(".tip")
    assert not tip.is_visible()
    first.hover()
    assert tip.is_visible()
    assert "Loaded language" in tip.inner_text()
    page.mouse.move(0, 0)
    page.locator("body").click(position={"x": 1, "y": 1})
    assert not tip.is_visible()
    for _ in range(40):  # Tab through the page until a highlight has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('mark.t')"):
            break
    focused = page.locator("mark.t:focus")
    assert focused.count() == 1
    assert focused.locator(".tip").is_visible()
    assert focused.locator(".tip").inner_text().strip()


def test_compare_two_articles(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/compare")
    page.click("#add-slot")  # visible only when app.js runs
    assert page.locator("fieldset.slot").count() == 3
    page.fill("#text_1", example("marren-fire-wire.txt"))
    page.fill("#text_2", example("marren-fire-blog.txt"))
    with page.expect_response(lambda r: r.url.endswith("/api/compare")) as answer:
        page.click("button[type=submit]")
    assert answer.value.status == 200
    page.wait_for_url("**/compare?ids=*")
    reports = page.locator(".side-by-side article.report")
    assert reports.count() == 2
    titles = reports.locator("h2.title").all_inner_texts()
    assert titles == ["Fire at Marren port warehouse kills 12, officials say",
                      "What the Marren fire tells us about port safety"]
    assert page.csp_errors == []


def test_search_the_history(page: Any, server: LiveServer) -> None:
    httpx.post(server.url + "/api/analyze", json={"html": example("marren-fire-beacon.html")}, timeout=20)
    page.goto(server.url + "/history")
    page.fill("#q", "elites")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/history?*")
    rows = page.locator("table.history tbody tr")
    assert rows.count() == 1
    assert "Northern Beacon" in rows.first.inner_text()
    page.select_option("#technique", "Appeal_to_Authority")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("#result-count")
    assert page.inner_text("#result-count").startswith("0")
    page.goto(server.url + "/outlets/Northern Beacon")
    assert page.locator("svg.chart").count() == 2
    assert page.csp_errors == []


def test_article_markup_never_runs(page: Any, server: LiveServer) -> None:
    analyse(page, server, HOSTILE)
    assert "<script>" in page.inner_text(".article")  # shown as text
    assert "onerror" in page.inner_text(".article")
    html = ("<html><head><title>&lt;script&gt;alert(5)&lt;/script&gt; Marren</title>"
            '<meta property="og:site_name" content="<img src=x onerror=alert(6)>"></head><body><article>'
            "<p>The reckless plan was approved in Marren on Monday, residents of the port said.</p>"
            "<p>Officials promised a review of the harbour rules within a month, according to the mayor.</p>"
            "</article></body></html>")
    stored = httpx.post(server.url + "/api/analyze", json={"html": html}, timeout=20).json()
    outlet = stored["article"]["outlet"] or ""
    for path in (f"/analyses/{stored['id']}", "/history", "/history?q=reckless",
                 "/outlets/" + quote(outlet, safe="")):
        page.goto(server.url + path)
        page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []
