"""The edge refuses bad input with a 4xx before anything is parsed or stored."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from handlers.slack.edge import EdgeRejection, verify_signature
from storage.tables import InboxEvent, Message
from tests.handlers.slack import payloads as p

GOLDEN_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
GOLDEN_TS = "1531420618"
GOLDEN_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
    b"&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
    b"&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
    b"commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id="
    b"398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
GOLDEN_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def test_slacks_published_signature_vector_verifies() -> None:
    verify_signature(GOLDEN_SECRET, GOLDEN_TS, GOLDEN_BODY, GOLDEN_SIGNATURE, 1531420618.0)


@pytest.mark.parametrize(
    ("timestamp", "body", "signature", "now", "status"),
    [
        (GOLDEN_TS, GOLDEN_BODY + b"x", GOLDEN_SIGNATURE, 1531420618.0, 401),
        (GOLDEN_TS, GOLDEN_BODY, GOLDEN_SIGNATURE, 1531420618.0 + 301, 401),
        (GOLDEN_TS, GOLDEN_BODY, GOLDEN_SIGNATURE, 1531420618.0 - 301, 401),
        (GOLDEN_TS, GOLDEN_BODY, GOLDEN_SIGNATURE.upper(), 1531420618.0, 401),
        (GOLDEN_TS, GOLDEN_BODY, "v1=" + GOLDEN_SIGNATURE[3:], 1531420618.0, 401),
        (GOLDEN_TS, GOLDEN_BODY, " " + GOLDEN_SIGNATURE, 1531420618.0, 401),
        ("abc", GOLDEN_BODY, GOLDEN_SIGNATURE, 1531420618.0, 400),
        ("", GOLDEN_BODY, GOLDEN_SIGNATURE, 1531420618.0, 401),
        ("1e3", GOLDEN_BODY, GOLDEN_SIGNATURE, 1531420618.0, 400),
        ("١٥٣١٤٢٠٦١٨", GOLDEN_BODY, GOLDEN_SIGNATURE, 1531420618.0, 400),
        (GOLDEN_TS, GOLDEN_BODY, "v0=é", 1531420618.0, 401),
    ],
)
def test_tampered_stale_future_and_malformed_signatures_are_refused(
    timestamp: str, body: bytes, signature: str, now: float, status: int
) -> None:
    with pytest.raises(EdgeRejection) as refused:
        verify_signature(GOLDEN_SECRET, timestamp, body, signature, now)
    assert refused.value.status == status


def _nothing_stored(engine: Engine) -> bool:
    with Session(engine) as session:
        return (
            not session.exec(select(InboxEvent)).all() and not session.exec(select(Message)).all()
        )


EVENT_BODY = p.json_request(p.envelope(p.message("hello", "1718000000.000100"), "EvBad"))[0]
# Signed when the test runs, not when it is collected: a long run must not make it stale.
SIGNED_NOW: dict[str, str] = {}


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (EVENT_BODY, {"x-slack-request-timestamp": "abc", "x-slack-signature": "v0=00"}, 400),
        (EVENT_BODY, {"x-slack-request-timestamp": "", "x-slack-signature": "v0=00"}, 401),
        (EVENT_BODY, {"x-slack-request-timestamp": "1e3", "x-slack-signature": "v0=00"}, 400),
        (EVENT_BODY, p.sign(EVENT_BODY, ts=str(int(time.time()) - 400)), 401),
        (
            EVENT_BODY,
            p.sign(EVENT_BODY, ts=str(int(time.time()) + 3_600)),
            401,
        ),  # outlives a long run
        (EVENT_BODY, p.sign(EVENT_BODY, secret="someone-else"), 401),
        (EVENT_BODY, {}, 401),
        (b"{bad json", SIGNED_NOW, 400),
        (b"[1, 2]", SIGNED_NOW, 400),
        (b"null", SIGNED_NOW, 400),
        (b'"str"', SIGNED_NOW, 400),
        (b"[" * 100_000 + b"]" * 100_000, SIGNED_NOW, 400),
        (b'{"type": "\xff\xfe"}', SIGNED_NOW, 400),
        (b"x" * (1024 * 1024 + 1), {}, 413),
    ],
)
def test_bad_requests_get_a_4xx_and_store_nothing(
    client: Any, engine: Engine, body: bytes, headers: dict[str, str], status: int
) -> None:
    headers = p.sign(body) if headers is SIGNED_NOW else headers
    response = client.post(
        "/slack/events", content=body, headers={"content-type": "application/json", **headers}
    )
    assert response.status_code == status
    assert _nothing_stored(engine)


def test_a_body_over_the_cap_without_content_length_is_refused_while_streaming(
    client: Any, engine: Engine
) -> None:
    def chunks() -> Any:
        for _ in range(17):
            yield b"x" * 65536

    response = client.post("/slack/events", content=chunks(),
                           headers={"content-type": "application/json"})  # fmt: skip
    assert response.status_code == 413 and _nothing_stored(engine)


def test_invalid_signature_bodies_never_reach_the_logs(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    body = p.json_request(p.envelope(p.message("my salary is 42 lakh", "1718000000.1"), "E"))[0]
    with caplog.at_level(logging.DEBUG):
        client.post("/slack/events", content=body, headers=p.sign(body, secret="wrong"))
    assert "42 lakh" not in caplog.text
    assert logging.getLogger("slack_bolt").getEffectiveLevel() >= logging.WARNING


def test_injected_bolt_headers_are_not_passed_to_bolt(client: Any, services: Any) -> None:
    from handlers.slack.edge import _bolt_headers

    kept = _bolt_headers({"content-type": "application/json", "x-slack-bolt-lazy-only": "1",
                          "x-slack-retry-num": "1"})  # fmt: skip
    assert kept == {"content-type": "application/json", "x-slack-retry-num": "1"}
