"""One frozen settings object; every field carries its own help."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from typing import Any


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    fetch_timeout: float = _setting(10.0, "Seconds to wait for a URL before giving up.")
    max_fetch_bytes: int = _setting(10_000_000, "Largest page, in bytes, fetched from a URL.")
    max_file_bytes: int = _setting(20_000_000, "Largest input file, in bytes, read from disk.")
    max_redirects: int = _setting(5, "Redirects followed when fetching a URL.")
    allow_private_network: bool = _setting(
        False, "Fetch URLs on private, loopback and link-local addresses."
    )
    keep_furniture: bool = _setting(
        False, "Keep share appeals, disclaimers and other page furniture in the body."
    )
    encoding: str = _setting("", "Text encoding of input files; empty means UTF-8, strictly.")
    threads: int = _setting(2, "CPU threads for the model.")
    user_agent: str = _setting("propscope/0.1 (+offline article analysis)", "HTTP User-Agent.")

    def with_options(self, **changes: Any) -> Settings:
        """A copy with some fields changed; ``None`` values are ignored."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Defaults overridden by ``PROPSCOPE_<FIELD>`` environment variables."""
        env = os.environ if environ is None else environ
        changes: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"PROPSCOPE_{f.name.upper()}")
            if raw is None:
                continue
            default: Any = f.default
            if isinstance(default, bool):
                changes[f.name] = raw.strip().lower() in {"1", "true", "yes", "on"}
            else:
                changes[f.name] = type(default)(raw)
        return replace(cls(), **changes)


def describe() -> list[tuple[str, Any, str]]:
    """(name, default, help) for every setting: drives docs and a test."""
    return [(f.name, f.default, f.metadata["help"]) for f in fields(Settings)]
