"""What both platform edges share: capped reading of untrusted bodies; fetches to allowed hosts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx
from starlette.requests import Request


class BodyRejected(Exception):
    """A request body refused before it was read whole, with the 4xx status to answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


async def read_capped(request: Request, limit: int) -> bytes:
    """The raw body, refused (413) as soon as it is declared or seen to exceed `limit` bytes.

    Compressed bodies are refused (415): neither Slack nor Twilio sends them, and a small
    compressed body can expand past any cap.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise BodyRejected(400, "malformed content-length")
        if int(declared) > limit:
            raise BodyRejected(413, "request body too large")
    if request.headers.get("content-encoding", "identity").lower() != "identity":
        raise BodyRejected(415, "compressed bodies are not accepted")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyRejected(413, "request body too large")
    return bytes(body)


class FetchRefused(Exception):
    """An outbound fetch that was not made, or stopped: a foreign host, too large, an HTTP error."""


def host_of(url: str) -> str:
    """The lower-case host of an http(s) URL ("" for anything else)."""
    parts = urlsplit(url)
    return (parts.hostname or "").lower() if parts.scheme in {"https", "http"} else ""


def fetch_capped(
    client: httpx.Client,
    url: str,
    *,
    allowed_hosts: Callable[[str], bool],
    credentials: Mapping[str, str],
    max_bytes: int,
    sink: BinaryIO,
    max_redirects: int = 3,
) -> int:
    """Stream `url` into `sink` (≤ `max_bytes`); returns the size.

    Only hosts `allowed_hosts` accepts are contacted, redirects included, and `credentials`
    (an Authorization header) go to the first host only: never across a redirect.
    """
    headers = dict(credentials)
    for _ in range(max_redirects + 1):
        if not allowed_hosts(host_of(url)):
            raise FetchRefused(f"{host_of(url) or 'that address'} is not a file host we fetch from")
        try:
            with client.stream("GET", url, headers=headers, follow_redirects=False) as reply:
                if reply.is_redirect and "location" in reply.headers:
                    url, headers = str(reply.url.join(reply.headers["location"])), {}
                    continue
                if not reply.is_success:
                    raise FetchRefused(f"the download failed with HTTP {reply.status_code}")
                return _copy_capped(reply, sink, max_bytes)
        except httpx.HTTPError as exc:
            raise FetchRefused(f"the download failed ({type(exc).__name__})") from exc
    raise FetchRefused("too many redirects")


def _copy_capped(reply: httpx.Response, sink: BinaryIO, max_bytes: int) -> int:
    declared = reply.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchRefused(f"the file is larger than {max_bytes} bytes")
    size = 0
    for chunk in reply.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchRefused(f"the file is larger than {max_bytes} bytes")
        sink.write(chunk)
    return size
