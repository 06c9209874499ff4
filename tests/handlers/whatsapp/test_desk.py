"""The help desk end to end: opt-in, routing, reply linking, relays, commands, export inbox."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from storage.tables import ImportRun, Member, Message, Outbox
from tests.handlers.whatsapp.conftest import (
    ASKER,
    HELPER,
    MODERATOR,
    OUTSIDER,
    FakeTwilio,
    inbound,
    post_signed,
)

QUESTION = "How are you all handling notice-period buyouts for senior hires?"
ANSWER = (
    "We let the new employer pay the buyout, capped at 60 days of salary, "
    "and claw it back if they leave within a year."
)
EXPORT = (
    "12/03/2024, 09:15 - Meera Nair: Has anyone rolled out a 4-day week pilot?\n"
    "12/03/2024, 09:40 - Arjun Rao: We did for ops teams, happy to share the policy\n"
    "12/03/2024, 10:02 - Meera Nair: Thanks Arjun, that helps\n"
    "13/03/2024, 18:30 - Kavya S: We're hiring an HRBP in Pune, 6+ years, DM me\n"
)


def outbox(engine: Engine) -> list[Outbox]:
    with Session(engine) as session:
        return list(session.exec(select(Outbox).order_by(col(Outbox.id))))


def test_help_request_is_acknowledged_routed_and_the_reply_linked_and_relayed(
    client: TestClient, engine: Engine, fake_twilio: FakeTwilio
) -> None:
    opt_in = post_signed(client, inbound(HELPER, "helper on", name="Arjun"))
    assert "I'll ask you" in opt_in.text

    post_signed(client, inbound(ASKER, QUESTION, name="Meera"))
    sent = fake_twilio.messages()
    assert [(m["To"], m["Body"][:6]) for m in sent] == [
        (f"whatsapp:{ASKER}", "Got it"),
        (f"whatsapp:{HELPER}", "Someon"),
    ]
    assert QUESTION in sent[1]["Body"]
    ask = next(row for row in outbox(engine) if row.dedupe_key.startswith("wa-ask:"))
    assert ask.external_id and ask.destination != HELPER

    reply = inbound(HELPER, ANSWER, name="Arjun", OriginalRepliedMessageSid=ask.external_id)
    post_signed(client, reply)
    with Session(engine) as session:
        request = session.exec(select(Message).where(col(Message.text) == QUESTION)).one()
        answer = session.exec(select(Message).where(col(Message.text) == ANSWER)).one()
    assert request.answered is True
    assert request.first_answer_id == answer.id
    assert request.first_response_minutes is not None and request.first_response_minutes >= 0
    relay = fake_twilio.messages()[-1]
    assert relay["To"] == f"whatsapp:{ASKER}" and ANSWER in relay["Body"]


def test_helpers_who_opted_out_are_not_asked(client: TestClient, fake_twilio: FakeTwilio) -> None:
    post_signed(client, inbound(HELPER, "helper on"))
    post_signed(client, inbound(HELPER, "helper off"))
    post_signed(client, inbound(ASKER, QUESTION))
    assert [m["To"] for m in fake_twilio.messages()] == [f"whatsapp:{ASKER}"]


def test_text_commands_answer_in_twiml(client: TestClient, engine: Engine) -> None:
    assert "Liftbot commands" in post_signed(client, inbound(ASKER, "help")).text
    assert "Noted: you are senior" in post_signed(client, inbound(ASKER, "lift iam senior")).text
    refused = post_signed(client, inbound(ASKER, f"/lift tag @{HELPER} junior")).text
    assert "only moderators" in refused
    post_signed(client, inbound(HELPER, "hello there", name="Arjun"))
    tagged = post_signed(client, inbound(MODERATOR, f"lift tag @{HELPER.lstrip('+')} senior"))
    assert "Tagged Arjun as senior" in tagged.text
    with Session(engine) as session:
        levels = {m.display_name: m.level for m in session.exec(select(Member))}
    assert levels["Arjun"] == "senior"


def test_forget_me_erases_the_member_and_their_sealed_number(
    client: TestClient, engine: Engine
) -> None:
    post_signed(client, inbound(ASKER, "Any good resources on HR analytics?"))
    reply = post_signed(client, inbound(ASKER, "forget me"))
    assert "erased" in reply.text
    with Session(engine) as session:
        assert session.exec(select(Member)).all() == []
        assert session.exec(select(Message)).all() == []


def test_moderator_export_is_downloaded_imported_and_summarised(
    client: TestClient, engine: Engine, fake_twilio: FakeTwilio
) -> None:
    url = fake_twilio.media_url("ME" + "d" * 32, EXPORT.encode())
    fields = inbound(
        MODERATOR,
        "",
        NumMedia="1",
        MediaUrl0=url,
        MediaContentType0="text/plain",
        MessageType="document",
    )
    response = post_signed(client, fields)
    assert "importing it now" in response.text
    fetches = [r for r in fake_twilio.requests if r["method"] == "GET"]
    assert fetches[0]["auth"].startswith("Basic ") and "/Media/" in fetches[0]["path"]
    assert fetches[1]["path"].startswith("/files/")
    answer = fake_twilio.messages()
    assert {m["To"] for m in answer} == {f"whatsapp:{MODERATOR}"}
    assert "4 messages read, 4 new" in answer[0]["Body"]
    # The report of the export's newest week follows, within WhatsApp's limit per message.
    assert "HR Leaders Circle · week 2024-W11" in "\n".join(m["Body"] for m in answer)
    assert all(len(m["Body"]) <= 1_600 for m in answer)
    with Session(engine) as session:
        assert session.exec(select(ImportRun)).one().status == "complete"


def test_a_moderator_asking_for_a_report_gets_the_weeks_report(
    client: TestClient, fake_twilio: FakeTwilio
) -> None:
    url = fake_twilio.media_url("ME" + "f" * 32, EXPORT.encode())
    export = inbound(MODERATOR, "", NumMedia="1", MediaUrl0=url, MediaContentType0="text/plain")
    post_signed(client, export)
    reply = post_signed(client, inbound(MODERATOR, "lift report 2024-W11")).text
    assert "HR Leaders Circle · week 2024-W11" in reply
    assert "not available" not in reply
    assert "only moderators" in post_signed(client, inbound(ASKER, "lift report")).text


def test_zipped_export_is_imported_too(
    client: TestClient, engine: Engine, fake_twilio: FakeTwilio
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("WhatsApp Chat with HR Leaders.txt", EXPORT)
    url = fake_twilio.media_url("ME" + "e" * 32, buffer.getvalue())
    fields = inbound(
        MODERATOR, "", NumMedia="1", MediaUrl0=url, MediaContentType0="application/zip"
    )
    post_signed(client, fields)
    assert "4 new" in fake_twilio.messages()[-1]["Body"]


def test_export_from_a_non_moderator_is_politely_refused(
    client: TestClient, engine: Engine, fake_twilio: FakeTwilio
) -> None:
    url = fake_twilio.media_url("ME" + "f" * 32, EXPORT.encode())
    fields = inbound(OUTSIDER, "", NumMedia="1", MediaUrl0=url, MediaContentType0="text/plain")
    response = post_signed(client, fields)
    assert "Only the community's moderators" in response.text
    assert not [r for r in fake_twilio.requests if r["method"] == "GET"]
    with Session(engine) as session:
        assert session.exec(select(ImportRun)).all() == []
        assert session.exec(select(Message)).all() == []
