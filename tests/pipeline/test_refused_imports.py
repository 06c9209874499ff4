"""A refused export creates nothing, whoever brings it (CLI, Slack upload, WhatsApp share)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.config import ConfigError, Settings
from handlers.export_files import import_file
from handlers.whatsapp_export import DateOrder, ExportFormatError
from storage.db import session_scope
from storage.tables import Community, ImportRun, Member, Message
from tests.pipeline.test_importing import CHAT

STORED = (Community, ImportRun, Member, Message)


def _counts(engine: Engine) -> list[int]:
    with session_scope(engine) as session:
        return [
            int(session.execute(select(func.count()).select_from(t)).scalar_one()) for t in STORED
        ]


def _import(
    engine: Engine, path: Path, *, timezone: str | None = None, date_order: DateOrder | None = None
) -> None:
    settings = Settings.from_env({"DATABASE_URL": str(engine.url), "LIFTBOT_SECRET_KEY": "k"})
    import_file(
        path,
        engine=engine,
        settings=settings,
        community="HR",
        timezone=timezone,
        date_order=date_order,
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "line 1 does not start with a date"),
        (b"", "holds no messages"),
        (b"\n \n", "holds no messages"),
        (b"Agenda for Monday\n- budgets\n", "line 1 does not start with a date"),
    ],
)
def test_a_file_that_is_not_an_export_creates_no_community_run_or_member(
    engine: Engine, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "WhatsApp Chat with HR.txt"
    path.write_bytes(content)
    with pytest.raises(ExportFormatError, match=message):
        _import(engine, path)
    assert _counts(engine) == [0, 0, 0, 0]


def test_an_unknown_zone_creates_nothing(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text(CHAT, encoding="utf-8")
    with pytest.raises(ConfigError, match="'Mars/Olympus' is not an IANA time zone"):
        _import(engine, path, timezone="Mars/Olympus")
    assert _counts(engine) == [0, 0, 0, 0]


def test_a_date_that_breaks_the_chosen_order_midway_creates_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("01/11/2026, 09:00 - Asha: hello\n" + CHAT, encoding="utf-8")
    with pytest.raises(ExportFormatError, match="not a valid date in mdy order"):
        _import(engine, path, date_order=DateOrder("mdy"))
    assert _counts(engine) == [0, 0, 0, 0]
