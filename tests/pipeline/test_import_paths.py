"""The import's fast paths change nothing stored: a second process, and re-linking only the
stretch of conversation a later export touches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from bot.config import Settings
from handlers.export_files import import_file
from handlers.whatsapp_export import ExportFormatError
from storage.db import make_engine, session_scope
from storage.migrate import upgrade
from storage.tables import Member, Message
from tests.pipeline.test_importing import CHAT

ASK = "Can someone share a leave policy template"


def _settings(engine: Engine) -> Settings:
    return Settings.from_env({"DATABASE_URL": str(engine.url), "LIFTBOT_SECRET_KEY": "pepper"})


def _fresh(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine


def _stored(engine: Engine) -> tuple[list[Any], list[Any]]:
    with session_scope(engine) as session:
        messages = [tuple(r) for r in session.execute(select(Message).order_by(Message.id))]  # type: ignore[arg-type]
        rows = [{k: v for k, v in vars(m[0]).items() if not k.startswith("_")} for m in messages]
        members = session.execute(
            select(Member.key, Member.display_name, Member.level, Member.level_source)
        ).all()
    return rows, [tuple(m) for m in members]


def test_a_second_process_stores_the_same_rows_links_and_levels(tmp_path: Path) -> None:
    from benchmarks.export_bench import generate_export

    export = tmp_path / "big.txt"
    generate_export(export, 12_000, seed=5)
    one, two = _fresh(tmp_path / "one.db"), _fresh(tmp_path / "two.db")
    a = import_file(export, engine=one, settings=_settings(one), community="Big",
                    second_process=False)  # fmt: skip
    b = import_file(export, engine=two, settings=_settings(two), community="Big",
                    second_process=True)  # fmt: skip
    assert (a.entries, a.added, a.members, a.first, a.last) == (
        b.entries, b.added, b.members, b.first, b.last
    )  # fmt: skip
    assert a.added == a.entries >= 12_000
    assert _stored(one) == _stored(two)


def test_a_bad_file_read_in_a_second_process_is_refused_the_same_way(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Agenda for Monday\n- budgets\n- hiring plan\n", encoding="utf-8")
    engine = _fresh(tmp_path / "x.db")
    with pytest.raises(ExportFormatError, match="line 1"):
        import_file(notes, engine=engine, settings=_settings(engine), second_process=True)
    assert _stored(engine)[0] == []


def _ask(engine: Engine) -> Message:
    with session_scope(engine) as session:
        return session.execute(
            select(Message).where(Message.text.startswith(ASK))  # type: ignore[attr-defined]
        ).scalar_one()


def _forget_the_answer(engine: Engine) -> None:
    """Stand-in for a judgement made by an older version: only re-linking can change it."""
    with session_scope(engine) as session:
        session.execute(
            update(Message)
            .where(Message.text.startswith(ASK))  # type: ignore[attr-defined]
            .values(answered=False, first_answer_id=None, first_response_minutes=None)
        )


@pytest.mark.parametrize(
    ("later_line", "relinked"),
    [
        ("16/11/2026, 11:40 - Aditya Kulkarni: Same here, thanks for sharing", True),
        ("30/11/2026, 08:00 - Aditya Kulkarni: Good morning all 🌞", False),
    ],
)
def test_a_later_export_relinks_only_the_days_its_new_messages_touch(
    engine: Engine, tmp_path: Path, later_line: str, relinked: bool
) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(CHAT, encoding="utf-8")
    second.write_text(CHAT + later_line + "\n", encoding="utf-8")
    import_file(first, engine=engine, settings=_settings(engine), community="HR")
    assert _ask(engine).answered is True
    _forget_the_answer(engine)
    assert import_file(second, engine=engine, settings=_settings(engine), community="HR").added == 1
    ask = _ask(engine)
    assert ask.answered is relinked
    assert (ask.first_response_minutes == 12.0) is relinked
