"""Outbound fetches go only to allowed file hosts, and credentials never follow a redirect."""

from __future__ import annotations

import io
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx
import pytest

from handlers.http import FetchRefused, fetch_capped, host_of
from tests.loopback import serve


class Recorder:
    """What one loopback server was asked, and where it redirects."""

    def __init__(self) -> None:
        self.auth: list[str | None] = []
        self.redirect_to = ""
        self.body = b"chat export bytes"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorder.auth.append(self.headers.get("authorization"))
                if recorder.redirect_to:
                    self.send_response(302)
                    self.send_header("location", recorder.redirect_to)
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("content-length", str(len(recorder.body)))
                self.end_headers()
                self.wfile.write(recorder.body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture
def servers() -> Iterator[tuple[Recorder, str, Recorder, str]]:
    """Two loopback servers: the platform's host (127.0.0.1) and a stranger (localhost)."""
    home, stranger = Recorder(), Recorder()
    with serve(home.handler()) as home_url, serve(stranger.handler()) as stranger_url:
        yield home, home_url, stranger, stranger_url.replace("127.0.0.1", "localhost")


def _fetch(url: str, allowed: set[str], max_bytes: int = 1_000) -> bytes:
    sink = io.BytesIO()
    with httpx.Client() as client:
        fetch_capped(
            client,
            url,
            allowed_hosts=lambda host: host in allowed,
            credentials={"Authorization": "Bearer xoxb-secret"},
            max_bytes=max_bytes,
            sink=sink,
        )
    return sink.getvalue()


def test_an_allowed_host_gets_the_credentials_and_the_file_arrives(servers: Any) -> None:
    home, home_url, _, _ = servers
    assert _fetch(home_url + "/files/export.txt", {"127.0.0.1"}) == home.body
    assert home.auth == ["Bearer xoxb-secret"]


def test_a_host_outside_the_allow_list_is_never_contacted(servers: Any) -> None:
    _, _, stranger, stranger_url = servers
    with pytest.raises(FetchRefused, match="not a file host"):
        _fetch(stranger_url + "/steal", {"127.0.0.1"})
    assert stranger.auth == []


def test_a_redirect_off_the_allow_list_is_not_followed(servers: Any) -> None:
    home, home_url, stranger, stranger_url = servers
    home.redirect_to = stranger_url + "/steal"
    with pytest.raises(FetchRefused):
        _fetch(home_url + "/files/export.txt", {"127.0.0.1"})
    assert stranger.auth == []


def test_credentials_are_not_forwarded_across_an_allowed_redirect(servers: Any) -> None:
    home, home_url, cdn, cdn_url = servers
    home.redirect_to = cdn_url + "/media/ME1"
    assert _fetch(home_url + "/Media/ME1", {"127.0.0.1", "localhost"}) == cdn.body
    assert home.auth == ["Bearer xoxb-secret"] and cdn.auth == [None]


def test_a_file_over_the_cap_is_refused(servers: Any) -> None:
    _, home_url, _, _ = servers
    with pytest.raises(FetchRefused, match="larger than"):
        _fetch(home_url + "/files/big.txt", {"127.0.0.1"}, max_bytes=4)


def test_only_web_addresses_have_a_host() -> None:
    assert host_of("file:///etc/passwd") == "" and host_of("HTTPS://Files.Slack.com/x") == (
        "files.slack.com"
    )
