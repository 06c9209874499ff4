"""The WhatsApp side of the Sender protocol: posts reach the moderators once, errors as agreed."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.config import Settings
from bot.jobs.senders import ReportMessage, SendError, SendRejected
from handlers.whatsapp.api import TwilioApi
from handlers.whatsapp.report_sender import WhatsAppReportSender
from tests.handlers.whatsapp.conftest import MODERATOR, FakeTwilio, inbound, post_signed

COMMUNITY = "HR Leaders Circle"
REPORT = ReportMessage(
    title="HR Leaders Circle · week 2026-W10",
    text_chunks=("*HR Leaders Circle · week 2026-W10*\n3 help requests", "*Who answered*\nMeera"),
    blocks=(),
)


@pytest.fixture
def whatsapp(settings: Settings, engine: Engine, no_sleep_api: TwilioApi) -> WhatsAppReportSender:
    return WhatsAppReportSender.for_settings(settings, engine, no_sleep_api)


def test_a_report_reaches_the_moderator_once_chunk_by_chunk(
    whatsapp: WhatsAppReportSender, client: TestClient, fake_twilio: FakeTwilio
) -> None:
    post_signed(client, inbound(MODERATOR, "hello"))
    ids = whatsapp.send_report(COMMUNITY, REPORT)
    assert len(ids) == 2 and all(sid.startswith("SM") for sid in ids)
    assert [(m["To"], m["Body"]) for m in fake_twilio.messages()] == [
        (f"whatsapp:{MODERATOR}", chunk) for chunk in REPORT.text_chunks
    ]
    whatsapp.send_report(COMMUNITY, REPORT)  # a second run of the same post sends nothing
    assert len(fake_twilio.messages()) == 2


def test_distinct_nudges_with_the_same_words_are_both_sent(
    whatsapp: WhatsAppReportSender, client: TestClient, fake_twilio: FakeTwilio
) -> None:
    post_signed(client, inbound(MODERATOR, "hello"))
    whatsapp.send_text(COMMUNITY, "No answer yet.", thread="SM1")
    whatsapp.send_text(COMMUNITY, "No answer yet.", thread="SM2")
    assert len(fake_twilio.messages()) == 2


def test_no_reachable_moderator_is_rejected_so_that_it_is_retried(
    whatsapp: WhatsAppReportSender, client: TestClient, fake_twilio: FakeTwilio
) -> None:
    post_signed(client, inbound("+919822233344", "hello"))  # the community exists, no moderator
    with pytest.raises(SendRejected, match="no WhatsApp moderator"):
        whatsapp.send_text(COMMUNITY, "Daily digest")
    assert fake_twilio.messages() == []
    post_signed(client, inbound(MODERATOR, "hello"))
    assert whatsapp.send_text(COMMUNITY, "Daily digest").startswith("SM")


def test_a_refused_send_is_rejected_and_a_retry_sends_it(
    whatsapp: WhatsAppReportSender, client: TestClient, fake_twilio: FakeTwilio
) -> None:
    post_signed(client, inbound(MODERATOR, "hello"))
    fake_twilio.script = [(400, {"code": 21211, "message": "invalid To"})]
    with pytest.raises(SendRejected, match="21211"):
        whatsapp.send_text(COMMUNITY, "Daily digest")
    assert whatsapp.send_text(COMMUNITY, "Daily digest").startswith("SM")
    assert len(fake_twilio.messages()) == 2


def test_a_dropped_connection_may_have_posted_and_is_never_resent(
    whatsapp: WhatsAppReportSender, client: TestClient, fake_twilio: FakeTwilio
) -> None:
    post_signed(client, inbound(MODERATOR, "hello"))
    fake_twilio.script = [(0, None)]
    with pytest.raises(SendError) as raised:
        whatsapp.send_text(COMMUNITY, "Daily digest")
    assert not isinstance(raised.value, SendRejected)
    whatsapp.send_text(COMMUNITY, "Daily digest")
    assert len(fake_twilio.messages()) == 1


def test_an_unknown_community_is_rejected(whatsapp: WhatsAppReportSender) -> None:
    with pytest.raises(SendRejected, match="no community named"):
        whatsapp.send_text("Nobody's Group", "hi")
