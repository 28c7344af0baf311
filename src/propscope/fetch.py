"""Fetch a page over HTTP(S), refusing private networks unless allowed.

Every hop of a redirect chain is checked twice: its host's addresses after DNS
resolution, and the address the connection actually reached.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from propscope.errors import BlockedAddress, FetchError
from propscope.settings import Settings

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes
    content_type: str


def _blocked(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check_host(url: str, settings: Settings) -> None:
    """Raise BlockedAddress if ``url``'s host resolves to a non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs can be fetched, not {parts.scheme!r}", source=url)
    host = parts.hostname
    if not host:
        raise FetchError("URL has no host", source=url)
    if settings.allow_private_network:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r} ({exc.strerror})", source=url) from None
    for info in infos:
        address = str(info[4][0])
        if _blocked(address):
            raise BlockedAddress(
                f"refusing to fetch {host} ({address}): private, loopback or link-local address; "
                "pass --allow-private-network to allow it",
                source=url,
            )


def _check_peer(response: httpx.Response, url: str, settings: Settings) -> None:
    if settings.allow_private_network:
        return
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer and _blocked(str(peer[0])):
        raise BlockedAddress(
            f"connection reached a private address ({peer[0]}); "
            "pass --allow-private-network to allow it",
            source=url,
        )


def fetch(url: str, settings: Settings) -> Fetched:
    """Download ``url`` with a timeout, a size cap and a content-type check."""
    timeout = httpx.Timeout(settings.fetch_timeout)
    headers = {"User-Agent": settings.user_agent, "Accept": "text/html,text/plain;q=0.9"}
    current = url
    with httpx.Client(timeout=timeout, headers=headers, follow_redirects=False) as client:
        for _ in range(settings.max_redirects + 1):
            check_host(current, settings)
            try:
                with client.stream("GET", current) as response:
                    _check_peer(response, url, settings)
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        raise FetchError(
                            f"HTTP {response.status_code} {response.reason_phrase}", source=url
                        )
                    content_type = response.headers.get("content-type", "").split(";")[0]
                    content_type = content_type.strip().lower()
                    if content_type and not content_type.startswith(ACCEPTED_TYPES):
                        raise FetchError(
                            f"content type {content_type!r} is not an article page", source=url
                        )
                    body = _read_capped(response, settings.max_fetch_bytes, url)
                    return Fetched(str(response.url), body, content_type or "text/html")
            except httpx.TimeoutException:
                raise FetchError(
                    f"timed out after {settings.fetch_timeout:g} s", source=url
                ) from None
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch: {exc}", source=url) from None
    raise FetchError(f"more than {settings.max_redirects} redirects", source=url)


def _read_capped(response: httpx.Response, limit: int, url: str) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FetchError(f"page is {int(declared):,} bytes, over the {limit:,} byte limit", source=url)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(f"page is over the {limit:,} byte limit", source=url)
        chunks.append(chunk)
    return b"".join(chunks)
