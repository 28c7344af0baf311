"""Helpers for the web tests: a fast keyword "model" and a live uvicorn server in a thread."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from propscope.components import Summary
from propscope.pipeline import Pipeline
from propscope.report import Report
from propscope.taxonomy import TECHNIQUES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
KEYWORDS = {
    "Loaded_Language": r"\b(?:traitors?|disaster|catastrophe|reckless|burns)\b",
    "Name_Calling,Labeling": r"\b(?:[Ee]lites|cronies)\b",
    "Appeal_to_fear-prejudice": r"\b(?:deadly|danger)\b",
}


class KeywordTechniques:
    """Marks fixed keywords as techniques: fast and predictable, unlike the real model."""

    name = "keywords.test"

    def __call__(self, report: Report) -> Report:
        text = report.article.text
        found: list[dict[str, Any]] = []
        for label, pattern in KEYWORDS.items():
            for m in re.finditer(pattern, text):
                found.append({"start": m.start(), "end": m.end(), "text": m.group(), "technique": label,
                              "name": TECHNIQUES[label].name, "confidence": 0.87,
                              "explanation": TECHNIQUES[label].explanation})
        report.techniques = sorted(found, key=lambda t: (t["start"], t["end"]))
        return report


class Exploding:
    name = "explode.test"

    def __call__(self, report: Report) -> Report:
        raise RuntimeError("secret internal detail /etc/passwd")


def pipeline() -> Pipeline:
    return Pipeline([KeywordTechniques(), Summary()])


class LiveServer:
    def __init__(self, app: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="critical", lifespan="off", timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(5)
        self.sock.close()


@contextmanager
def live(app: Any) -> Iterator[LiveServer]:
    server = LiveServer(app).start()
    try:
        yield server
    finally:
        server.stop()


def example(name: str) -> str:
    return (EXAMPLES / name).read_text("utf-8")
