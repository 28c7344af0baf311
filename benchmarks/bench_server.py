"""Load on the web API: N clients post articles to ``/api/analyze`` for a while.

Starts ``propscope serve`` in a subprocess on a free port with a fresh history
(rate limit off), then prints requests/s, p50 and p99 latency, errors, and the
size of the home page's first load. No assertions.

    python benchmarks/bench_server.py --clients 8 --seconds 60
    python benchmarks/bench_server.py --repeat     # the same articles again: store cache hits
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, db: Path) -> subprocess.Popen[bytes]:
    code = "import sys; from propscope.cli_serve import serve; serve(sys.argv[1:])"
    args = [sys.executable, "-c", code, "--port", str(port), "--db", str(db), "--rate", "0"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("the server did not start within 120 s")


def articles() -> list[dict[str, str]]:
    items = []
    for path in sorted(EXAMPLES.iterdir()):
        kind = "html" if path.suffix in (".html", ".htm") else "text"
        items.append({kind: path.read_text("utf-8")})
    return items


def client(url: str, until: float, repeat: bool, number: int, latencies: list[float], errors: Counter[str],
           lock: threading.Lock) -> None:
    base = articles()
    sent = 0
    with httpx.Client(base_url=url, timeout=120) as http:
        while time.monotonic() < until:
            item = dict(base[sent % len(base)])
            if not repeat:  # a new sentence makes a new article: no cache hit
                key = next(iter(item))
                marker = f"Reader note {number}-{sent}."
                item[key] = item[key].replace("</body>", f"<p>{marker}</p></body>") if key == "html" \
                    else f"{item[key]}\n\n{marker}"
            sent += 1
            began = time.perf_counter()
            try:
                status = http.post("/api/analyze", json=item).status_code
            except httpx.HTTPError as exc:
                status_text = type(exc).__name__
            else:
                status_text = "" if status == 200 else f"HTTP {status}"
            elapsed = time.perf_counter() - began
            with lock:
                if status_text:
                    errors[status_text] += 1
                else:
                    latencies.append(elapsed)


def first_load(url: str) -> int:
    with httpx.Client(base_url=url, timeout=30) as http:
        page = http.get("/")
        assets = ["/static/report.css", "/static/web.css", "/static/app.js"]
        return len(page.content) + sum(len(http.get(a).content) for a in assets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--repeat", action="store_true", help="post the same articles (answered from the store)")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(port, Path(tmp) / "bench.sqlite3")
        url = f"http://127.0.0.1:{port}"
        try:
            latencies: list[float] = []
            errors: Counter[str] = Counter()
            lock = threading.Lock()
            began = time.monotonic()
            until = began + args.seconds
            threads = [threading.Thread(target=client, args=(url, until, args.repeat, n, latencies, errors, lock))
                       for n in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.monotonic() - began
            size = first_load(url)
            health = httpx.get(f"{url}/api/health", timeout=10).json()
        finally:
            server.terminate()
            server.wait(10)
    done = len(latencies)
    ordered = sorted(latencies)
    p99 = ordered[min(done - 1, int(done * 0.99))] if done else float("nan")
    print(f"models: {health.get('model_version')}")
    print(f"clients {args.clients}, {wall:.1f} s, {'repeated (cache hits)' if args.repeat else 'unique'} articles")
    print(f"requests ok: {done}  ({done / wall:.1f} requests/s)")
    print(f"latency p50: {statistics.median(ordered) * 1000 if done else float('nan'):.1f} ms   "
          f"p99: {p99 * 1000:.1f} ms")
    print(f"errors: {sum(errors.values())} {dict(errors) if errors else ''}")
    print(f"first load (home page + css + js): {size:,} bytes")


if __name__ == "__main__":
    main()
