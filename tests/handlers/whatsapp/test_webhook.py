"""The signed webhook: what is stored, what is refused, and never a 5xx for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.testclient import TestClient
from twilio.request_validator import RequestValidator

from bot.privacy.identity import phone_key
from handlers.whatsapp.webhook import TwilioForm, signature_ok
from storage.tables import InboxEvent, Member, Message
from tests.handlers.whatsapp.conftest import (
    ASKER,
    HELPER,
    PUBLIC,
    FakeTwilio,
    inbound,
    new_sid,
    post_signed,
    sign,
)

SECRET = "test-pepper-8d0f"


def messages(engine: Engine) -> list[Message]:
    with Session(engine) as session:
        return list(session.exec(select(Message).order_by(col(Message.id))))


def inbox(engine: Engine) -> list[InboxEvent]:
    with Session(engine) as session:
        return list(session.exec(select(InboxEvent)))


def test_golden_vector_passes_through_our_wrapper() -> None:
    params = TwilioForm(
        [
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ]
    )
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert signature_ok("12345", url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    assert signature_ok(
        "12345", url.replace(".com", ".com:443"), params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    )
    assert not signature_ok("12345", url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B9=")
    assert not signature_ok("12345", url, params, "")


def test_multi_valued_fields_are_all_signed() -> None:
    form = TwilioForm([("Tag", "b"), ("Tag", "a"), ("Body", "hi")])
    good = RequestValidator("tok").compute_signature(PUBLIC, form)
    assert signature_ok("tok", PUBLIC, form, good)
    assert not signature_ok("tok", PUBLIC, TwilioForm([("Tag", "a"), ("Body", "hi")]), good)


def test_plain_message_is_stored_under_a_pseudonym(client: TestClient, engine: Engine) -> None:
    fields = inbound(ASKER, "Morning all, sharing the POSH training deck from our offsite.")
    response = post_signed(client, fields)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert "<Response/>" in response.text
    [stored] = messages(engine)
    assert stored.source_key == dict(fields)["MessageSid"]
    assert stored.platform == "whatsapp"
    with Session(engine) as session:
        member = session.get(Member, stored.member_id)
    assert member is not None
    assert member.key == phone_key(SECRET, ASKER)
    assert member.display_name == "Priya"
    assert member.last_inbound_at is not None
    assert [row.status for row in inbox(engine)] == ["done"]


@pytest.mark.parametrize(
    ("body", "extra", "expected_text"),
    [
        ("🙏🙏🙏", {}, "🙏🙏🙏"),
        ("x" * 1600, {}, "x" * 1600),
        ("a" * 65_536, {}, "a" * 65_536),
        ("", {"NumMedia": "0"}, ""),
        ("", {"NumMedia": "3"}, ""),
    ],
    ids=["emoji-only", "1600-chars", "65536-chars", "empty-body", "nummedia-without-urls"],
)
def test_odd_but_valid_bodies_are_stored(
    client: TestClient, engine: Engine, body: str, extra: dict[str, str], expected_text: str
) -> None:
    response = post_signed(client, inbound(ASKER, body, **extra))
    assert response.status_code == 200
    [stored] = messages(engine)
    assert stored.text == expected_text


@pytest.mark.parametrize(
    "name", ["\u202eevil\u202c Name", "Zero\u200bWidth", "نور الهدى", "🦄🌈", ""]
)
def test_profile_names_are_stored_safely(client: TestClient, engine: Engine, name: str) -> None:
    assert post_signed(client, inbound(ASKER, "hello", name=name)).status_code == 200
    with Session(engine) as session:
        [member] = session.exec(select(Member)).all()
    assert "\u202e" not in member.display_name
    assert member.display_name  # an empty ProfileName shows the masked number
    assert ASKER not in member.display_name


@pytest.mark.parametrize(
    "override",
    [
        {"NumMedia": "abc"},
        {"From": ASKER},
        {"From": "whatsapp:0098765"},
        {"From": "whatsapp:+91-98765-43210"},
        {"MessageSid": "", "SmsMessageSid": ""},
        {"MessageSid": "not-a-sid"},
    ],
    ids=["nummedia-abc", "no-prefix", "not-e164", "dashes", "no-sid", "bad-sid"],
)
def test_malformed_fields_get_a_4xx_and_store_nothing(
    client: TestClient, engine: Engine, override: dict[str, str]
) -> None:
    response = post_signed(client, inbound(ASKER, "hi", **override))
    assert 400 <= response.status_code < 500
    assert messages(engine) == []


def test_media_with_caption_keeps_the_caption(
    client: TestClient, engine: Engine, fake_twilio: FakeTwilio
) -> None:
    photo = fake_twilio.media_url("ME" + "c" * 32, b"\xff\xd8jpeg")
    fields = inbound(
        ASKER,
        "Our new onboarding checklist, feedback welcome",
        NumMedia="1",
        MediaUrl0=photo,
        MediaContentType0="image/jpeg",
        MessageType="image",
    )
    assert post_signed(client, fields).status_code == 200
    [stored] = messages(engine)
    assert stored.text == "Our new onboarding checklist, feedback welcome"
    assert stored.marker is None
    assert not [r for r in fake_twilio.requests if r["method"] == "GET"]  # images not fetched


def test_photo_without_caption_is_a_media_marker(client: TestClient, engine: Engine) -> None:
    fields = inbound(
        ASKER, "", NumMedia="1", MediaUrl0=PUBLIC + "/x.jpg", MediaContentType0="image/jpeg"
    )
    assert post_signed(client, fields).status_code == 200
    [stored] = messages(engine)
    assert stored.marker == "media"
    assert stored.kind == "other"


def test_forwarded_flag_is_kept(client: TestClient, engine: Engine) -> None:
    fields = inbound(ASKER, "5 lessons from 20 years in HR", Forwarded="true")
    assert post_signed(client, fields).status_code == 200
    [stored] = messages(engine)
    assert stored.forwarded is True


@pytest.mark.parametrize(
    ("signature_for", "headers"),
    [
        ("wrong-token", {}),
        ("missing", {}),
        ("empty", {}),
        ("wrong-url", {}),
        ("internal-host", {"X-Forwarded-Host": "attacker.example", "X-Forwarded-Proto": "http"}),
        ("changed-body", {}),
    ],
)
def test_bad_signatures_are_refused_and_store_nothing(
    client: TestClient, engine: Engine, signature_for: str, headers: dict[str, str]
) -> None:
    fields = inbound(ASKER, "How do you structure ESOP refreshers?")
    signature = {
        "wrong-token": sign(PUBLIC + "/twilio/whatsapp", fields, token="other-token"),
        "missing": None,
        "empty": "",
        "wrong-url": sign("https://staging.example.org/twilio/whatsapp", fields),
        "internal-host": sign("http://attacker.example/twilio/whatsapp", fields),
        "changed-body": sign(PUBLIC + "/twilio/whatsapp", inbound(ASKER, "something else")),
    }[signature_for]
    sent_headers = dict(headers)
    if signature is not None:
        sent_headers["X-Twilio-Signature"] = signature
    from urllib.parse import urlencode

    response = client.post(
        "/twilio/whatsapp",
        content=urlencode(fields),
        headers={"Content-Type": "application/x-www-form-urlencoded", **sent_headers},
    )
    assert response.status_code == 403
    assert messages(engine) == [] and inbox(engine) == []


def test_unknown_new_field_that_is_signed_is_accepted(client: TestClient, engine: Engine) -> None:
    fields = inbound(ASKER, "hello", ChannelMetadata='{"type":"whatsapp"}', SomeFutureField="1")
    assert post_signed(client, fields).status_code == 200
    assert len(messages(engine)) == 1


def test_body_over_the_cap_is_413(client: TestClient, engine: Engine) -> None:
    fields = inbound(ASKER, "a" * (1024 * 1024 + 1))
    assert post_signed(client, fields).status_code == 413
    assert messages(engine) == []


def test_replayed_message_sid_is_stored_once(client: TestClient, engine: Engine) -> None:
    fields = inbound(ASKER, "Anyone benchmarked variable pay for L&D leads?", sid=new_sid())
    replies = [post_signed(client, fields) for _ in range(3)]
    assert [r.status_code for r in replies] == [200, 200, 200]
    assert len(messages(engine)) == 1 and len(inbox(engine)) == 1


def test_no_raw_phone_number_reaches_the_database_file(
    client: TestClient, engine: Engine, tmp_path: Path
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("file grep is for SQLite")
    post_signed(client, inbound(ASKER, "helper on"))
    post_signed(client, inbound(HELPER, "How do you run skip-level meetings?", name=""))
    post_signed(client, inbound(ASKER, "lift iam senior"))
    engine.dispose()
    blob = b"".join(p.read_bytes() for p in tmp_path.glob("liftbot.db*"))
    for number in (ASKER, HELPER):
        digits = number.lstrip("+").encode()
        assert digits not in blob
        assert digits[-10:] not in blob
