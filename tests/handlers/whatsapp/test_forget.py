"""`forget me` is complete and final: nothing of the member is left in the database file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from bot.config import Settings
from bot.privacy.identity import phone_key
from handlers.export_files import import_file
from storage.tables import InboxEvent, Message, Outbox
from tests.handlers.whatsapp.conftest import ASKER, HELPER, FakeTwilio, inbound, post_signed

NAME = "Zinnia Okonkwo-Rao"
QUESTION = "How do we structure a quokka-themed retention bonus for night-shift nurses?"
EXPORTED = "Sharing my marmalade onboarding checklist for plant supervisors"
LATER = "One more thing about the zeppelin relocation allowance"


def _export(tmp_path: Path) -> Path:
    spaced = f"{ASKER[:3]} {ASKER[3:8]} {ASKER[8:]}"  # +91 98222 33344, as exports write it
    chat = tmp_path / "WhatsApp Chat with Alumni.txt"
    chat.write_text(
        f"12/03/2024, 09:15 - {spaced}: {EXPORTED}\n"
        "12/03/2024, 09:40 - Arjun Rao: Thanks, very useful\n",
        encoding="utf-8",
    )
    return chat


def test_after_forget_me_the_database_file_holds_nothing_of_the_member(
    client: TestClient,
    engine: Engine,
    settings: Settings,
    fake_twilio: FakeTwilio,
    tmp_path: Path,
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the file search is for SQLite")
    import_file(_export(tmp_path), engine=engine, settings=settings, community="Alumni")
    post_signed(client, inbound(HELPER, "helper on", name="Arjun"))
    post_signed(client, inbound(ASKER, QUESTION, name=NAME))
    with Session(engine) as session:
        ask = session.exec(select(Outbox).where(col(Outbox.dedupe_key).startswith("wa-ask:"))).one()
    assert QUESTION in ask.body
    answer = "Tie it to 12-month retention, paid in two tranches, pro-rated for transfers."
    post_signed(
        client, inbound(HELPER, answer, name="Arjun", OriginalRepliedMessageSid=ask.external_id)
    )

    reply = post_signed(client, inbound(ASKER, "forget me", name=NAME))
    assert "erased" in reply.text
    later = post_signed(client, inbound(ASKER, LATER, name=NAME))
    assert later.status_code == 200

    with Session(engine) as session:
        assert (
            session.exec(select(Message).where(col(Message.text).contains("marmalade"))).all() == []
        )
        assert session.exec(select(Outbox).where(col(Outbox.destination) == phone_key(
            "test-pepper-8d0f", ASKER))).all() == []  # fmt: skip
        statuses = [row.status for row in session.exec(select(InboxEvent))]
    assert "ignored" in statuses  # the later delivery: its id only
    engine.dispose()
    blob = b"".join(p.read_bytes() for p in tmp_path.glob("liftbot.db*"))
    secrets = [
        ASKER.lstrip("+"), ASKER[-10:], phone_key("test-pepper-8d0f", ASKER), NAME,
        "quokka", "marmalade", "zeppelin",
    ]  # fmt: skip
    for secret in secrets:
        for encoded in (secret.encode(), secret.encode("utf-16-le")):
            assert encoded not in blob, secret
    assert b"Arjun" in blob  # the helper stays: only the forgotten member goes
