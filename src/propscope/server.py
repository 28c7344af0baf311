"""The web app and JSON API: ``create_app()`` builds it, ``propscope serve`` runs it.

API (OpenAPI at ``/openapi.json``): ``POST /api/analyze``, ``POST /api/compare``,
``GET /api/analyses``, ``GET /api/analyses/{id}``, ``GET /api/health``. Pages:
``/`` (analyse), ``/compare``, ``/history``, ``/outlets/{outlet}``. Every error
answers ``{"ok": false, "error": {"code", "message"}}`` (pages: an error page),
never a traceback.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from datetime import date
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from propscope import __version__
from propscope.api import default_pipeline
from propscope.errors import PropscopeError
from propscope.pipeline import Pipeline
from propscope.render_html import css
from propscope.settings import Settings
from propscope.store import Query as StoreQuery
from propscope.store import Store
from propscope.taxonomy import TECHNIQUES
from propscope.web_guard import Guard, GuardConfig
from propscope.web_service import CompareRequest, Item, Service, with_id

log = logging.getLogger("propscope.server")
DEFAULT_MAX_BODY = 5_000_000
_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed",
                 413: "too_large", 415: "unsupported_media_type", 429: "rate_limited"}


def csp_policy() -> str:
    """No inline script anywhere; inline styles only the highlight colours, by hash."""
    colours = sorted({t.color for t in TECHNIQUES.values()} | {"#dddddd"})
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(f"--c: {c}".encode()).digest()).decode() + "'"
        for c in colours
    )
    return ("default-src 'none'; script-src 'self'; "
            f"style-src 'self' 'unsafe-hashes' {hashes}; img-src 'self' data:; connect-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def create_app(
    db_path: str | os.PathLike[str] | None = None,
    settings: Settings | None = None,
    token: str | None = None,
    *,
    pipeline: Pipeline | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY,
    rate_per_s: float | None = 5.0,
    burst: int = 60,
) -> FastAPI:
    """The web app. ``token`` (or env ``PROPSCOPE_TOKEN``) guards every write endpoint;
    ``rate_per_s=None`` turns the per-client rate limit off."""
    from propscope.web_pages import router as pages

    settings = settings or Settings.from_env()
    token = token if token is not None else (os.environ.get("PROPSCOPE_TOKEN") or None)
    service = Service(Store(db_path), settings, pipeline or default_pipeline(settings))
    app = FastAPI(
        title="propscope",
        version=__version__,
        description="How a news article persuades, and what it claims. Offline analysis of pasted "
                    "text, HTML pages and URLs.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = service
    app.state.token = token
    app.include_router(api)
    app.include_router(pages)
    app.add_api_route("/static/report.css", _report_css, include_in_schema=False)
    app.mount("/static", StaticFiles(packages=[("propscope", "static")]), name="static")
    _install_error_handlers(app)
    app.add_middleware(
        Guard,
        config=GuardConfig(max_body_bytes=max_body_bytes, rate_per_s=rate_per_s, burst=burst,
                           token=token, csp=csp_policy()),
    )
    return app


def _report_css() -> Response:
    return Response(css(), media_type="text/css", headers={"cache-control": "max-age=3600"})


def service_of(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


# errors


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": message}}


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _error(request: Request, status: int, code: str, message: str,
           headers: dict[str, str] | None = None) -> Response:
    if _wants_html(request):
        from propscope.web_pages import error_page

        return error_page(request, status, message)
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> tuple[int, str, str]:
    errors = list(exc.errors())
    for err in errors:
        if err.get("type") == "json_invalid":
            detail = (err.get("ctx") or {}).get("error", "cannot parse")
            where = err.get("loc", ("body", 0))[-1]
            return 400, "malformed_json", f"malformed JSON body: {detail} (at character {where})"
    if any(e.get("type") == "missing" and tuple(e.get("loc", ())) == ("body",) for e in errors):
        return 400, "empty_body", 'empty body: send a JSON object such as {"text": "..."}'
    parts = []
    for err in errors[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}")
    return 422, "invalid_request", "; ".join(parts)


def _install_error_handlers(app: FastAPI) -> None:
    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        status, code, message = _validation_message(exc)
        return _error(request, status, code, message)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = _STATUS_CODES.get(exc.status_code, "error")
        message = str(exc.detail) if exc.detail else code.replace("_", " ")
        return _error(request, exc.status_code, code, message, dict(exc.headers or {}))

    async def on_propscope(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PropscopeError)
        if exc.http_status >= 500:
            log.warning("%s %s: %s", request.method, request.url.path, exc.one_line())
        return _error(request, exc.http_status, exc.code, exc.one_line())

    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(PropscopeError, on_propscope)


# the API

api = APIRouter(prefix="/api", tags=["api"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"description": d} for s, d in [
        (400, "Malformed JSON, empty body, or a blocked private URL"), (401, "Missing or wrong token"),
        (413, "Body over the size limit"), (422, "Invalid fields, or no article text"),
        (429, "Rate limit"), (502, "The URL could not be fetched"),
    ]
}


def _analysis_response(data: dict[str, Any], cached: bool) -> JSONResponse:
    return JSONResponse(data, headers={"x-propscope-cache": "hit" if cached else "miss"})


@api.post("/analyze", summary="Analyse one article", responses=_ERRORS)
def analyze(item: Item, request: Request) -> JSONResponse:
    """The report (``propscope.report/1``, as ``propscope analyze --format json``) plus its ``id``.
    The same article with the same models is answered from the history (header ``X-Propscope-Cache: hit``)."""
    service = service_of(request)
    stored = service.analyze(service.article(item))
    return _analysis_response(with_id(stored), stored.cached)


@api.post("/compare", summary="Analyse and compare several articles", responses=_ERRORS)
def compare(body: CompareRequest, request: Request) -> dict[str, Any]:
    """``reports``: one report per item (with ``id``); ``comparison``: the cross-article comparison,
    or null until the comparison component is available."""
    service = service_of(request)
    stored = []
    for index, item in enumerate(body.items):
        try:
            stored.append(service.analyze(service.article(item)))
        except PropscopeError as exc:
            exc.source = f"items[{index}]" + (f" ({exc.source})" if exc.source else "")
            raise
    return {"ok": True, "reports": [with_id(s) for s in stored], "comparison": service.compare(stored)}


@api.get("/analyses/{analysis_id}", summary="One stored analysis", responses={404: {"description": "No such id"}})
def get_analysis(analysis_id: Annotated[int, Path(ge=1)], request: Request) -> JSONResponse:
    data = service_of(request).store.get(analysis_id)
    if data is None:
        raise HTTPException(404, f"no analysis with id {analysis_id}")
    return JSONResponse({**data, "id": analysis_id})


@api.get("/analyses", summary="List and search the history")
def list_analyses(
    request: Request,
    outlet: str | None = None,
    technique: Annotated[str | None, Query(description="A technique label, e.g. Loaded_Language")] = None,
    since: Annotated[date | None, Query(description="Published (else analysed) on or after")] = None,
    until: Annotated[date | None, Query(description="Published (else analysed) on or before")] = None,
    q: Annotated[str | None, Query(max_length=500, description="Words in the title or text")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Newest first: id, title, outlet, author, published, created, source, url, technique counts."""
    query = StoreQuery(outlet=outlet or None, technique=technique or None,
                       since=since.isoformat() if since else None, until=until.isoformat() if until else None,
                       q=q or None, limit=limit, offset=offset)
    store = service_of(request).store
    return {"ok": True, "total": store.count(query), "limit": limit, "offset": offset,
            "items": store.search(query)}


@api.get("/health", summary="Versions and store")
def health(request: Request) -> dict[str, Any]:
    service = service_of(request)
    return {
        "ok": True,
        "propscope": __version__,
        "models": service.models,
        "model_version": service.model_version,
        "store": {"path": str(service.store.path), "schema_version": service.store.schema_version,
                  "full_text_search": service.store.has_fts},
        "auth": bool(request.app.state.token),
    }


def static_files() -> list[str]:
    """The files served under ``/static/`` (for tests and packaging checks)."""
    folder = resources.files("propscope").joinpath("static")
    return sorted(p.name for p in folder.iterdir() if p.is_file())
