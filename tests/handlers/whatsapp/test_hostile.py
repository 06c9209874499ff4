"""Hostile but signed deliveries: NUL, lone surrogates, odd shapes, numbers in text — never a 5xx,
never a raw number at rest."""

from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import urlencode

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from storage.tables import Expertise, InboxEvent, Member, Message
from tests.handlers.whatsapp.conftest import (
    ASKER,
    HELPER,
    MODERATOR,
    PUBLIC,
    FakeTwilio,
    inbound,
    post_signed,
    sign,
)


def messages(engine: Engine) -> list[Message]:
    with Session(engine) as session:
        return list(session.exec(select(Message).order_by(col(Message.id))))


def inbox_payloads(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return [row.payload for row in session.exec(select(InboxEvent))]


def test_nul_in_body_and_profile_name_is_removed_before_storing(
    client: TestClient, engine: Engine
) -> None:
    fields = inbound(ASKER, "Offer\x00 letter template\x00 anyone?", name="Pri\x00ya")
    assert post_signed(client, fields).status_code == 200
    [stored] = messages(engine)
    assert stored.text == "Offer letter template anyone?"
    with Session(engine) as session:
        [member] = session.exec(select(Member)).all()
    assert member.display_name == "Priya"
    assert all("\\u0000" not in p and "\x00" not in p for p in inbox_payloads(engine))


def test_nul_in_a_status_callback_is_stored_cleanly(client: TestClient) -> None:
    fields = [
        ("MessageSid", "SM" + "c3" * 16),
        ("MessageStatus", "deliv\x00ered"),
        ("ErrorCode", "6\x00"),
    ]
    response = post_signed(client, fields, path="/twilio/status")
    assert response.status_code == 200


def test_an_encoded_lone_surrogate_is_a_400_and_stores_nothing(
    client: TestClient, engine: Engine
) -> None:
    fields = inbound(ASKER, "placeholder")
    body = (
        urlencode(fields).replace("Body=placeholder", "Body=%ED%A0%80") + "&ProfileName=%ED%B0%80"
    )
    response = client.post(
        "/twilio/whatsapp",
        content=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": sign(PUBLIC + "/twilio/whatsapp", fields),
        },
    )
    assert response.status_code == 400
    assert messages(engine) == [] and inbox_payloads(engine) == []


@pytest.mark.parametrize(
    "override",
    [
        {"NumMedia": "-1"},
        {"NumMedia": "9" * 5000},  # int() refuses more than 4,300 digits
        {"NumMedia": "١"},  # an Arabic-Indic digit: isdigit() but not Twilio's
        {"From": "whatsapp:+91\x0098765"},
        {"MessageSid": "SM" + "g" * 32},
    ],
    ids=["negative", "huge", "arabic-digit", "nul-in-from", "non-hex-sid"],
)
def test_signed_but_malformed_shapes_are_400(
    client: TestClient, engine: Engine, override: dict[str, str]
) -> None:
    response = post_signed(client, inbound(ASKER, "hi", **override))
    assert response.status_code == 400
    assert messages(engine) == [] and inbox_payloads(engine) == []


def test_a_body_longer_than_whatsapp_allows_is_cut_to_the_limit(
    client: TestClient, engine: Engine
) -> None:
    assert post_signed(client, inbound(ASKER, "b" * 70_000)).status_code == 200
    [stored] = messages(engine)
    assert len(stored.text) == 65_536


def test_numbers_in_text_and_names_are_masked_at_the_edge(
    client: TestClient, engine: Engine
) -> None:
    text = "Tagging @919845012345 and +44 7700 900123 for the payroll question"
    post_signed(client, inbound(ASKER, text, name="Ravi +91 98450 12345"))
    [stored] = messages(engine)
    assert stored.text == "Tagging @+91••••••2345 and +44••••••0123 for the payroll question"
    with Session(engine) as session:
        [member] = session.exec(select(Member)).all()
    assert member.display_name == "Ravi +91••••••2345"
    stored_payloads = " ".join(inbox_payloads(engine))
    for digits in ("919845012345", "9845012345", "7700900123", "7700 900123"):
        assert digits not in stored_payloads
        assert digits not in json.dumps(stored.text)


def test_a_number_mention_in_a_command_still_finds_the_member(
    client: TestClient, engine: Engine
) -> None:
    post_signed(client, inbound(HELPER, "hello there", name="Arjun"))
    reply = post_signed(client, inbound(MODERATOR, f"/lift expert @{HELPER} payroll"))
    assert "payroll" in reply.text and "Arjun" in reply.text
    with Session(engine) as session:
        assert [e.topic for e in session.exec(select(Expertise))] == ["payroll"]
    assert all(HELPER.lstrip("+") not in p for p in inbox_payloads(engine))


def test_a_broken_export_is_answered_with_the_error_and_its_delivery_ends_done(
    client: TestClient, engine: Engine, fake_twilio: FakeTwilio
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_chat.txt", "13/06/2024, 09:26 - Meera: Hiring in Pune\n" * 100)
    data = bytearray(buffer.getvalue())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        data[data.find(signature) + offset] |= 0x1  # the entry says it is encrypted
    url = fake_twilio.media_url("ME" + "a" * 32, bytes(data))
    fields = inbound(
        MODERATOR, "", NumMedia="1", MediaUrl0=url, MediaContentType0="application/zip"
    )
    assert "importing it now" in post_signed(client, fields).text
    [answer] = fake_twilio.messages()
    assert answer["To"] == f"whatsapp:{MODERATOR}"
    assert "couldn't import" in answer["Body"] and "encrypted" in answer["Body"]
    with Session(engine) as session:
        assert [row.status for row in session.exec(select(InboxEvent))] == ["done"]
        assert session.exec(select(Message)).all() == []
