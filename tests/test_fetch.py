"""URL fetching against a local server; refusal of private addresses without the flag."""

from __future__ import annotations

import pytest

from propscope.errors import BlockedAddress, FetchError
from propscope.ingest import read_source
from propscope.settings import Settings
from tests.conftest import EXAMPLES

ALLOW = Settings(allow_private_network=True, fetch_timeout=2.0)
PAGE = (EXAMPLES / "marren-fire-beacon.html").read_bytes()
HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_fetch_html_from_local_server_with_flag(http_server: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    base, routes = http_server
    routes["/article"] = (200, HTML, PAGE, 0.0)
    article = read_source(f"{base}/article", ALLOW)
    assert article.title == "Marren Burns While the Elites Look Away"
    assert article.outlet == "Northern Beacon"
    assert "At least 19 people are dead" in article.text


def test_fetch_refuses_loopback_without_flag(http_server: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    base, routes = http_server
    routes["/article"] = (200, HTML, PAGE, 0.0)
    with pytest.raises(BlockedAddress, match="--allow-private-network"):
        read_source(f"{base}/article", Settings())


@pytest.mark.parametrize(
    "url",
    ["http://10.0.0.8/x", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
     "http://[::1]/", "http://localhost/", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/"],
)
def test_fetch_refuses_private_and_link_local(url: str) -> None:
    with pytest.raises(BlockedAddress):
        read_source(url, Settings())


def test_fetch_redirect_to_private_is_checked_on_every_hop(http_server: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    base, routes = http_server
    routes["/hop"] = (302, {"Location": "http://169.254.169.254/secret"}, b"", 0.0)
    # Allowed private network for the first hop only would be needed to test a public->private
    # chain; here the first hop is itself loopback, so without the flag it is refused at once,
    # and with the flag the redirect target is followed and fails to connect or is refused.
    with pytest.raises(BlockedAddress):
        read_source(f"{base}/hop", Settings())


def test_fetch_follows_redirects_when_allowed(http_server: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    base, routes = http_server
    routes["/old"] = (301, {"Location": "/article"}, b"", 0.0)
    routes["/article"] = (200, HTML, PAGE, 0.0)
    article = read_source(f"{base}/old", ALLOW)
    assert article.url and article.url.endswith("/article")


def test_fetch_size_cap(http_server: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    base, routes = http_server
    routes["/big"] = (200, HTML, b"<p>" + b"x" * 5000 + b"</p>", 0.0)
    with pytest.raises(FetchError, match="byte limit"):
        read_source(f"{base}/big", Settings(allow_private_network=True, max_fetch_bytes=1000))


def test_fetch_rejects_other_schemes() -> None:
    with pytest.raises(FetchError, match="only http and https"):
        from propscope.fetch import fetch

        fetch("file:///etc/passwd", ALLOW)
