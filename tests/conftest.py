from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared" / "datasets"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def nlp() -> Any:
    """spaCy's English pipeline as propscope loads it (skips when it is not installed)."""
    from propscope.entities import load_nlp
    from propscope.errors import ModelError

    try:
        return load_nlp()
    except ModelError as exc:  # pragma: no cover - depends on the environment
        pytest.skip(f"spaCy English pipeline not installed: {exc}")


@pytest.fixture(scope="session")
def model() -> Any:
    """The shipped model with two threads, loaded once for the whole run (as the pipeline
    loads it); skips when it cannot be loaded."""
    from propscope.errors import ModelError
    from propscope.techniques import load_model

    try:
        return load_model(2)
    except ModelError as exc:  # pragma: no cover - depends on the checkout
        pytest.skip(f"model not loadable: {exc}")


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes, float]]] = {}

    def do_GET(self) -> None:
        import time

        status, headers, body, delay = self.routes.get(
            self.path, (404, {"Content-Type": "text/plain"}, b"not found", 0.0)
        )
        if delay:
            time.sleep(delay)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[str, dict[str, tuple[int, dict[str, str], bytes, float]]]]:
    """A local HTTP server; tests fill ``routes`` with path -> (status, headers, body, delay)."""
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes, float]]] = {}
    handler = type("Handler", (_Handler,), {"routes": routes})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", routes
    finally:
        server.shutdown()
        server.server_close()
