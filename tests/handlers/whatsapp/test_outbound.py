"""Outbound sends and delivery status: window, template, 429 backoff, ambiguity, forward-only."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from bot.config import Settings
from bot.privacy.identity import phone_key
from bot.text import split_message, utf16_length
from handlers.whatsapp.api import TwilioApi
from handlers.whatsapp.sender import TwilioSender
from storage.tables import DeliveryStatus, Member, Outbox, utcnow
from tests.handlers.whatsapp.conftest import (
    ASKER,
    TEMPLATE_SID,
    FakeTwilio,
    inbound,
    new_sid,
    post_signed,
)

SECRET = "test-pepper-8d0f"


@pytest.fixture
def sender(settings: Settings, engine: Engine, client: TestClient) -> TwilioSender:
    """A sender whose backoff waits are recorded, after ASKER has written to the bot."""
    post_signed(client, inbound(ASKER, "hello"))
    waits: list[float] = []
    api = TwilioApi(settings, sleep=waits.append, jitter=lambda: 0.5)
    built = TwilioSender(settings, engine, api)
    built.waits = waits  # type: ignore[attr-defined]
    return built


def community_id(engine: Engine) -> int:
    with Session(engine) as session:
        member = session.exec(select(Member)).first()
        assert member is not None
        return member.community_id


def outbox_rows(engine: Engine) -> list[Outbox]:
    with Session(engine) as session:
        return list(session.exec(select(Outbox).order_by(col(Outbox.id))))


def send(sender: TwilioSender, engine: Engine, body: str, key: str = "t:1") -> str:
    return sender.send(
        community_id=community_id(engine),
        member_key=phone_key(SECRET, ASKER),
        body=body,
        dedupe_key=key,
    ).status


@pytest.mark.parametrize(
    "text",
    [
        "short",
        "line one\n" * 400,
        "word " * 700,
        "x" * 5000,
        "🙂" * 1000,
    ],
    ids=["short", "many-lines", "many-words", "one-long-word", "emoji"],
)
def test_bodies_split_at_1600_without_losing_text(text: str) -> None:
    parts = split_message(text)
    assert all(utf16_length(p) <= 1600 for p in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(
        " ", ""
    )


def test_long_body_is_sent_as_several_messages_once(
    sender: TwilioSender, engine: Engine, fake_twilio: FakeTwilio
) -> None:
    body = "\n".join(f"{i}. an open request that needs an answer" for i in range(120))
    assert send(sender, engine, body) == "queued"
    assert send(sender, engine, body) == "duplicate"
    bodies = [m["Body"] for m in fake_twilio.messages()]
    assert len(bodies) == 4 and all(len(b) <= 1600 for b in bodies)
    assert "\n".join(bodies) == body
    assert bodies[0].startswith("0. an open") and bodies[1][0].isdigit()


def test_rate_limited_twice_then_sent_with_backoff(
    sender: TwilioSender, engine: Engine, fake_twilio: FakeTwilio
) -> None:
    fake_twilio.script = [(429, {"code": 20429, "message": "Too many requests"})] * 2
    assert send(sender, engine, "Your weekly digest") == "queued"
    assert len(fake_twilio.messages()) == 3
    waits = sender.waits  # type: ignore[attr-defined]
    assert len(waits) == 2 and 0 < waits[0] < waits[1] <= 8


def test_rate_limit_gives_up_after_bounded_attempts(
    sender: TwilioSender, engine: Engine, fake_twilio: FakeTwilio
) -> None:
    fake_twilio.script = [(429, {"code": 20429})] * 10
    assert send(sender, engine, "Your weekly digest") == "failed"
    assert len(fake_twilio.messages()) == 4


def test_dropped_connection_is_unknown_and_never_resent(
    sender: TwilioSender, engine: Engine, fake_twilio: FakeTwilio
) -> None:
    fake_twilio.script = [(0, None)]
    assert send(sender, engine, "Your weekly digest") == "unknown"
    assert send(sender, engine, "Your weekly digest") == "duplicate"
    assert len(fake_twilio.messages()) == 1
    assert outbox_rows(engine)[0].status == "unknown"


def test_outside_the_window_the_template_is_used(
    sender: TwilioSender, engine: Engine, fake_twilio: FakeTwilio
) -> None:
    with Session(engine) as session:
        member = session.exec(select(Member)).one()
        member.last_inbound_at = utcnow() - timedelta(hours=25)
        session.add(member)
        session.commit()
    assert send(sender, engine, "Someone needs help with appraisal letters") == "queued"
    [sent] = fake_twilio.messages()
    assert sent["ContentSid"] == TEMPLATE_SID and "Body" not in sent
    assert json.loads(sent["ContentVariables"]) == {
        "1": "Someone needs help with appraisal letters"
    }


def test_63016_switches_to_the_template_once(
    sender: TwilioSender, engine: Engine, fake_twilio: FakeTwilio
) -> None:
    fake_twilio.script = [(400, {"code": 63016, "message": "outside window"})] * 3
    assert send(sender, engine, "Reminder: 3 open requests") == "failed"
    sent = fake_twilio.messages()
    assert len(sent) == 2
    assert "Body" in sent[0] and sent[1]["ContentSid"] == TEMPLATE_SID


def test_no_template_outside_the_window_means_no_send(
    settings: Settings, engine: Engine, client: TestClient, fake_twilio: FakeTwilio
) -> None:
    post_signed(client, inbound(ASKER, "hello"))
    with Session(engine) as session:
        member = session.exec(select(Member)).one()
        member.last_inbound_at = utcnow() - timedelta(days=3)
        session.add(member)
        session.commit()
    bare = Settings(**{**settings.__dict__, "twilio_template_sid": ""})
    result = TwilioSender(bare, engine).send(
        community_id=community_id(engine),
        member_key=phone_key(SECRET, ASKER),
        body="hi",
        dedupe_key="t:2",
    )
    assert result.status == "failed" and "24-hour" in result.reason
    assert fake_twilio.messages() == []


def test_status_callbacks_out_of_order_end_at_read(
    sender: TwilioSender, engine: Engine, client: TestClient, fake_twilio: FakeTwilio
) -> None:
    send(sender, engine, "Your weekly digest")
    sid = outbox_rows(engine)[0].external_id
    assert sid
    for status in ("read", "sent", "delivered", "sent"):
        fields = [
            ("MessageSid", sid),
            ("MessageStatus", status),
            ("AccountSid", "AC1"),
            ("ChannelPrefix", "whatsapp"),
        ]
        assert post_signed(client, fields, path="/twilio/status").status_code == 200
    assert outbox_rows(engine)[0].status == "read"
    with Session(engine) as session:
        stored = {d.status for d in session.exec(select(DeliveryStatus))}
    assert stored == {"read", "sent", "delivered"}


def test_failed_is_terminal(sender: TwilioSender, engine: Engine, client: TestClient) -> None:
    send(sender, engine, "Your weekly digest")
    sid = outbox_rows(engine)[0].external_id or ""
    for status in ("failed", "delivered"):
        post_signed(
            client,
            [("MessageSid", sid), ("MessageStatus", status), ("ErrorCode", "30008")],
            path="/twilio/status",
        )
    assert outbox_rows(engine)[0].status == "failed"


def test_unsigned_status_callback_is_refused(client: TestClient, engine: Engine) -> None:
    response = client.post(
        "/twilio/status",
        content=f"MessageSid={new_sid()}&MessageStatus=read",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 403
    with Session(engine) as session:
        assert session.exec(select(DeliveryStatus)).all() == []
