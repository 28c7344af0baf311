"""The web server's gate: rate limit, bearer token, body size cap, security headers.

A plain ASGI middleware, so that a refusal (429, 401, 413) goes out before the
application sees the request (the body of a refused request is read and dropped, except one
over the size cap, so that the connection closes cleanly instead of being reset), and every
response (errors included) carries the Content-Security-Policy header.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from typing import Any

from fastapi import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("propscope.server")
TOKEN_COOKIE = "propscope_token"
INTERNAL_MESSAGE = "internal error; the server log has the details"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
OPEN_PATHS = frozenset({"/login"})  # where the token itself is given


@dataclass(frozen=True)
class GuardConfig:
    max_body_bytes: int = 5_000_000
    rate_per_s: float | None = 5.0  # None: no rate limit
    burst: int = 60
    token: str | None = None
    csp: str = "default-src 'none'; script-src 'self'; style-src 'self'"


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a body without Content-Length passes the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body is over the {limit:,} byte limit")


class TokenBuckets:
    """One token bucket per client: ``burst`` requests at once, then ``rate`` a second."""

    def __init__(self, rate: float, burst: int, max_clients: int = 10_000) -> None:
        self.rate, self.burst, self.max_clients = rate, float(burst), max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 if the request may go on, else the seconds until it could."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            if len(self._buckets) > self.max_clients:
                self._forget_full(now)
            return (1.0 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        full_after = self.burst / self.rate
        for key, (_tokens, last) in list(self._buckets.items()):
            if now - last > full_after:
                del self._buckets[key]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def presented_token(scope: Scope) -> str | None:
    """The bearer token of the request, or the token cookie set by the login page."""
    auth = _header(scope, b"authorization")
    if auth and auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    raw = _header(scope, b"cookie")
    if raw:
        try:
            morsel = SimpleCookie(raw).get(TOKEN_COOKIE)
        except CookieError:
            return None
        return morsel.value if morsel else None
    return None


def token_ok(scope: Scope, token: str | None) -> bool:
    if not token:
        return True
    given = presented_token(scope)
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


class Guard:
    def __init__(self, app: ASGIApp, config: GuardConfig) -> None:
        self.app = app
        self.config = config
        self.buckets = TokenBuckets(config.rate_per_s, config.burst) if config.rate_per_s else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _SECURITY_NAMES]
                message["headers"] = headers + self._security_headers()
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            if refusal[0] != 413:
                await _drain(receive, self.config.max_body_bytes)
            await _answer(send_with_headers, *refusal)
            return
        try:
            await self.app(scope, self._capped(receive), send_with_headers)
        except BodyTooLarge as exc:
            if started:
                raise
            await _answer(send_with_headers, 413, "too_large", str(exc.detail))
        except Exception as exc:  # the edge: log it, answer without a traceback
            log.error("%s %s failed", scope.get("method"), scope.get("path"), exc_info=exc)
            if started:
                raise
            if _wants_html(scope):
                await _answer_html(send_with_headers, 500, INTERNAL_MESSAGE)
            else:
                await _answer(send_with_headers, 500, "internal", INTERNAL_MESSAGE)

    def _refusal(self, scope: Scope) -> tuple[int, str, str, list[tuple[bytes, bytes]]] | None:
        path: str = scope.get("path", "")
        if self.buckets is not None and not path.startswith("/static/"):
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = self.buckets.take(str(client))
            if wait:
                return (429, "rate_limited", f"too many requests; try again in {wait:.1f} s",
                        [(b"retry-after", str(max(1, round(wait))).encode())])
        if scope.get("method") in WRITE_METHODS and path not in OPEN_PATHS and not token_ok(scope, self.config.token):
            return (401, "unauthorized", "this server needs an access token: send 'Authorization: Bearer <token>'",
                    [(b"www-authenticate", b'Bearer realm="propscope"')])
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                return (400, "bad_request", "invalid Content-Length header", [])
            if int(declared) > self.config.max_body_bytes:
                return (413, "too_large",
                        f"request body is {int(declared):,} bytes, over the {self.config.max_body_bytes:,} byte limit",
                        [])
        return None

    def _capped(self, receive: Receive) -> Receive:
        limit = self.config.max_body_bytes
        seen = 0

        async def capped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        return capped

    def _security_headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"content-security-policy", self.config.csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
        ]


_SECURITY_NAMES = frozenset({b"content-security-policy", b"x-content-type-options", b"referrer-policy",
                             b"x-frame-options"})


async def _drain(receive: Receive, limit: int) -> None:
    """Read and drop a refused request's body (up to ``limit`` bytes): closing a connection with
    unread data resets it, and the client may lose the refusal before reading it."""
    seen = 0
    while seen <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


async def _answer(send: Send, status: int, code: str, message: str,
                  extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"ok": False, "error": {"code": code, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close"), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _wants_html(scope: Scope) -> bool:
    return not str(scope.get("path", "")).startswith("/api/") and "text/html" in (_header(scope, b"accept") or "")


async def _answer_html(send: Send, status: int, message: str) -> None:
    body = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Error {status} · propscope</title>'
            f'<link rel="stylesheet" href="/static/report.css"></head><body><main><h1>Something went wrong '
            f'({status})</h1><p>{message}</p><p><a href="/">Back to the start</a></p></main></body></html>').encode()
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
