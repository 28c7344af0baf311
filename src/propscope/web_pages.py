"""The HTML pages: analyse, compare, history, outlet statistics, login.

Every page is rendered server-side from Jinja2 templates with autoescaping;
``/static/app.js`` only adds conveniences (the compare page posts to
``/api/compare`` with it; without script the forms still work).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from propscope import __version__
from propscope.errors import PropscopeError
from propscope.render_html import environment, view
from propscope.report import Report
from propscope.store import Query, Stored
from propscope.taxonomy import TECHNIQUES
from propscope.web_charts import Series, line, stacked_bars
from propscope.web_guard import TOKEN_COOKIE, token_ok
from propscope.web_service import Item, Service

router = APIRouter(include_in_schema=False)
MAX_INPUTS = 10
PAGE_SIZE = 25


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    token = request.app.state.token
    html = environment().get_template(name).render(
        version=__version__,
        needs_token=bool(token) and not token_ok(request.scope, token),
        path=request.url.path,
        **context,
    )
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "web_error.html", status, status_code=status, message=message)


def _check_origin(request: Request) -> None:
    """Refuse form posts made from another site's page."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, "cross-site form posts are refused")


def _shown(stored: Stored) -> dict[str, Any]:
    return {"id": stored.id, "cached": stored.cached, "view": view(Report.from_dict(stored.report))}


# analyse


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render(request, "web_home.html", form={})


async def _form_inputs(form: FormData) -> list[tuple[str, str, str | bytes]]:
    """(kind, name, value) for the pasted text, each uploaded file and each URL line."""
    inputs: list[tuple[str, str, str | bytes]] = []
    text = form.get("text")
    if isinstance(text, str) and text.strip():
        inputs.append(("text", "<pasted text>", text))
    for upload in form.getlist("files"):
        if isinstance(upload, UploadFile) and upload.filename:
            inputs.append(("file", upload.filename, await upload.read()))
    urls = form.get("urls")
    if isinstance(urls, str):
        inputs.extend(("url", u.strip(), u.strip()) for u in urls.splitlines() if u.strip())
    return inputs


def _run_inputs(service: Service, inputs: list[tuple[str, str, str | bytes]]) -> tuple[list[Stored], list[str]]:
    done: list[Stored] = []
    errors: list[str] = []
    for kind, name, value in inputs:
        try:
            if kind == "file":
                article = service.upload(name, value if isinstance(value, bytes) else value.encode())
            elif kind == "text":
                article = service.article(Item(text=str(value), source="<pasted text>"))
            else:
                article = service.article(Item(url=str(value)))
            done.append(service.analyze(article))
        except PropscopeError as exc:
            errors.append(exc.one_line() if exc.source else f"{name}: {exc.one_line()}")
    return done, errors


@router.post("/analyze", response_class=HTMLResponse)
async def analyze_form(request: Request) -> HTMLResponse:
    _check_origin(request)
    form = await request.form(max_files=MAX_INPUTS, max_fields=20, max_part_size=10_000_000)
    inputs = await _form_inputs(form)
    fields = {"text": form.get("text") or "", "urls": form.get("urls") or ""}
    if not inputs:
        return render(request, "web_home.html", 400, form=fields,
                      errors=["Nothing to analyse: paste text, choose a file or give a URL."])
    if len(inputs) > MAX_INPUTS:
        return render(request, "web_home.html", 400, form=fields,
                      errors=[f"At most {MAX_INPUTS} articles at once."])
    done, errors = await run_in_threadpool(_run_inputs, _service(request), inputs)
    if not done:
        return render(request, "web_home.html", 422, form=fields, errors=errors)
    return render(request, "web_result.html", results=[_shown(s) for s in done], errors=errors)


@router.get("/analyses/{analysis_id}", response_class=HTMLResponse)
def show_analysis(analysis_id: int, request: Request) -> HTMLResponse:
    data = _service(request).store.get(analysis_id)
    if data is None:
        return error_page(request, 404, f"No analysis with id {analysis_id}.")
    stored = Stored(analysis_id, data, cached=True)
    return render(request, "web_result.html", results=[_shown(stored)], errors=[])


# compare


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, ids: str = "") -> HTMLResponse:
    if not ids:
        return render(request, "web_compare.html", slots=2)
    store = _service(request).store
    stored: list[Stored] = []
    for part in ids.split(","):
        data = store.get(int(part)) if part.strip().isdigit() else None
        if data is None:
            return error_page(request, 404, f"No analysis with id {part.strip()!r}.")
        stored.append(Stored(int(part), data, cached=True))
    return _compared(request, stored, [])


def _compared(request: Request, stored: list[Stored], errors: list[str]) -> HTMLResponse:
    comparison = _service(request).compare(stored) if len(stored) > 1 else None
    return render(request, "web_compare.html", slots=2, results=[_shown(s) for s in stored],
                  comparison=comparison, errors=errors)


@router.post("/compare", response_class=HTMLResponse)
async def compare_form(request: Request) -> HTMLResponse:
    """The compare page without script: fields text_1, url_1, text_2, url_2, ..."""
    _check_origin(request)
    form = await request.form(max_files=0, max_fields=4 * MAX_INPUTS, max_part_size=10_000_000)
    inputs: list[tuple[str, str, str | bytes]] = []
    for n in range(1, MAX_INPUTS + 1):
        text, url = str(form.get(f"text_{n}") or ""), str(form.get(f"url_{n}") or "").strip()
        if text.strip():
            inputs.append(("text", f"article {n}", text))
        elif url:
            inputs.append(("url", url, url))
    if len(inputs) < 2:
        return render(request, "web_compare.html", 400, slots=2, errors=["Give at least two articles."])
    done, errors = await run_in_threadpool(_run_inputs, _service(request), inputs)
    return _compared(request, done, errors)


# history and outlets


def _day(value: str, name: str, problems: list[str]) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        problems.append(f"'{name}' must be a date like 2024-05-31.")
        return None


@router.get("/history", response_class=HTMLResponse)
def history(request: Request, q: str = "", outlet: str = "", technique: str = "", since: str = "",
            until: str = "", page: int = 1) -> HTMLResponse:
    problems: list[str] = []
    page = max(1, page)
    query = Query(outlet=outlet or None, technique=technique or None, since=_day(since, "from", problems),
                  until=_day(until, "to", problems), q=q[:500] or None, limit=PAGE_SIZE,
                  offset=(page - 1) * PAGE_SIZE)
    store = _service(request).store
    total = store.count(query)
    return render(
        request, "web_history.html", 400 if problems else 200,
        items=store.search(query), total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)),
        filters={"q": q, "outlet": outlet, "technique": technique, "since": since, "until": until},
        outlets=store.outlets(), techniques=TECHNIQUES, errors=problems,
    )


@router.get("/outlets/{outlet:path}", response_class=HTMLResponse)
def outlet_page(outlet: str, request: Request) -> HTMLResponse:
    store = _service(request).store
    stats = store.outlet_stats(outlet)
    if not stats:
        return error_page(request, 404, f"No analyses from the outlet {outlet!r} yet.")
    periods = [s["period"] for s in stats]
    totals: dict[str, int] = {}
    for s in stats:
        for label, n in s["techniques"].items():
            totals[label] = totals.get(label, 0) + n
    ranked = sorted(totals, key=lambda k: -totals[k])
    series = [
        Series(TECHNIQUES[k].name if k in TECHNIQUES else k, TECHNIQUES[k].color if k in TECHNIQUES else "#dddddd",
               [s["techniques"].get(k, 0) / s["articles"] for s in stats])
        for k in ranked
    ]
    shares = [s["sentences_with_technique"] / s["sentences"] if s["sentences"] else 0.0 for s in stats]
    return render(
        request, "web_outlet.html", outlet=outlet, stats=stats, series=series,
        totals=[(TECHNIQUES[k].name if k in TECHNIQUES else k, k, totals[k]) for k in ranked],
        bars=stacked_bars(f"Technique uses per article by month, {outlet}", periods, series),
        share=line(f"Share of sentences using a technique by month, {outlet}", periods, shares),
        recent=store.search(Query(outlet=outlet, limit=10)), articles=sum(s["articles"] for s in stats),
    )


# login (only when the server has a token)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "web_login.html", failed=False)


@router.post("/login", response_model=None)
async def login(request: Request) -> Response:
    _check_origin(request)
    form = await request.form(max_files=0, max_fields=2, max_part_size=10_000)
    given = str(form.get("token") or "")
    expected = request.app.state.token
    scope = {"headers": [(b"authorization", f"Bearer {given}".encode("latin-1", "replace"))]}
    if not expected or not token_ok(scope, expected):
        return render(request, "web_login.html", 401, failed=True)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(TOKEN_COOKIE, given, httponly=True, samesite="strict", path="/")
    return response
