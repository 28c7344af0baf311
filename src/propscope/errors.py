"""Every error propscope raises.

The library raises; only the edges (the CLI's ``main`` and the web server) turn
errors into messages, exit codes and HTTP answers::

    PropscopeError            base class; ``code`` is short and stable, ``exit_code`` for the CLI
    ├── IngestError           a source could not be read or understood
    │   ├── FetchError        a URL could not be fetched (timeout, HTTP status, size, type)
    │   ├── BlockedAddress    a URL resolves to a private, loopback or link-local address
    │   └── ExtractionFailed  a page or file held no article text
    ├── ModelError            shipped model files missing, corrupt or unloadable
    └── StoreError            the SQLite history could not be read or written
"""

from __future__ import annotations


class PropscopeError(Exception):
    """Base class. ``source`` names the input the error is about, when there is one."""

    code = "error"
    exit_code = 1
    http_status = 500

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def one_line(self) -> str:
        """The error as one line, naming its source: what the CLI prints."""
        text = " ".join(self.message.split())
        return f"{self.source}: {text}" if self.source else text


class IngestError(PropscopeError):
    code = "ingest"
    exit_code = 2
    http_status = 422


class FetchError(IngestError):
    code = "fetch"
    http_status = 502


class BlockedAddress(FetchError):
    code = "blocked_address"
    http_status = 400


class ExtractionFailed(IngestError):
    code = "extraction_failed"


class ModelError(PropscopeError):
    code = "model"
    exit_code = 3


class StoreError(PropscopeError):
    code = "store"
    exit_code = 4
