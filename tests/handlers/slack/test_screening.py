"""Signed but impossible deliveries are acked, kept as rejected, and never become messages."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.pipeline.moderation import forget_member
from storage.db import session_scope
from storage.tables import InboxEvent, Message
from tests.handlers.slack import payloads as p


def _post_raw(client: Any, payload: dict[str, Any]) -> Any:
    # json.dumps escapes a lone surrogate as \ud800, exactly as a hostile sender would.
    body, headers = p.json_request(payload)
    return client.post("/slack/events", content=body, headers=headers)


def _inbox(engine: Engine) -> list[InboxEvent]:
    with Session(engine) as session:
        return list(session.exec(select(InboxEvent)))


def _messages(engine: Engine) -> list[Message]:
    with Session(engine) as session:
        return list(session.exec(select(Message)))


@pytest.mark.parametrize(
    "ts",
    ["999999999999.000001", "0000000000.000100", str(int(time.time()) + 3 * 86400) + ".000100"],
    ids=["year-33658", "epoch", "three-days-ahead"],
)
def test_a_timestamp_slack_could_not_have_sent_is_acked_and_rejected(
    client: Any, engine: Engine, ts: str
) -> None:
    response = _post_raw(client, p.envelope(p.message("Any leads for CHRO roles?", ts), "EvTs1"))
    assert response.status_code == 200
    [row] = _inbox(engine)
    assert row.status == "rejected" and "timestamp" in (row.error or "")
    assert _messages(engine) == []


def test_lone_surrogates_and_nul_are_cleaned_before_anything_is_stored(
    client: Any, engine: Engine
) -> None:
    ts = f"{int(time.time())}.000200"
    event = p.message("help \ud800 with PF\x00 transfer?", ts, user="UASK\x00ER")
    response = _post_raw(client, p.envelope(event, "EvSur\x00ro"))
    assert response.status_code == 200
    [row] = _inbox(engine)
    assert row.event_id == "EvSurro" and row.status == "done"
    [message] = _messages(engine)
    assert "\x00" not in message.text and "\ufffd" in message.text


def test_authorizations_that_are_not_objects_never_reach_bolt(client: Any, engine: Engine) -> None:
    payload = p.envelope(p.message("hello", f"{int(time.time())}.000300"), "EvAuth")
    payload["authorizations"] = ["not", "objects"]
    assert _post_raw(client, payload).status_code == 200
    [row] = _inbox(engine)
    assert row.status == "ignored" and _messages(engine) == []


def test_the_legacy_verification_token_is_never_stored(client: Any, engine: Engine) -> None:
    payload = p.envelope(p.message("hello all", f"{int(time.time())}.000400"), "EvTok")
    assert _post_raw(client, payload).status_code == 200
    [row] = _inbox(engine)
    assert "token" not in json.loads(row.payload)
    assert "legacy-verification-token" not in row.payload


def test_an_unsigned_form_with_many_fields_is_refused_not_crashed(client: Any) -> None:
    body = "&".join(f"f{i}=x" for i in range(300)).encode()
    response = client.post(
        "/slack/events",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 401


def test_phone_numbers_in_text_and_blocks_are_masked_before_storing(
    client: Any, engine: Engine
) -> None:
    text = "Tagging @919845012345 — or call +91 98450 12345"
    event = p.message(text, f"{int(time.time())}.000500")
    event["blocks"] = [
        {"type": "rich_text", "block_id": "b0012345678",
         "elements": [{"type": "rich_text_section",
                       "elements": [{"type": "text", "text": text}]}]}
    ]  # fmt: skip
    assert _post_raw(client, p.envelope(event, "EvPhone")).status_code == 200
    [row] = _inbox(engine)
    assert "9845012345" not in row.payload and "98450 12345" not in row.payload
    assert "b0012345678" in row.payload  # ids are not numbers
    [message] = _messages(engine)
    assert message.text == "Tagging @+91••••••2345 — or call +91••••••2345"


def test_a_forgotten_members_later_event_keeps_only_its_id(client: Any, engine: Engine) -> None:
    first = p.message("my zeppelin question", f"{int(time.time())}.000600")
    assert _post_raw(client, p.envelope(first, "EvFirst")).status_code == 200
    [message] = _messages(engine)
    with session_scope(engine) as session:
        forget_member(session=session, community_id=message.community_id, key=p.ASKER)
    later = p.message("my marmalade question", f"{int(time.time())}.000700")
    assert _post_raw(client, p.envelope(later, "EvLater")).status_code == 200
    rows = {row.event_id: row for row in _inbox(engine)}
    assert rows["EvLater"].payload == "" and rows["EvLater"].status == "ignored"
    assert rows["EvFirst"].payload == ""  # the earlier payload carried their id: erased
    assert _messages(engine) == []
