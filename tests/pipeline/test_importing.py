"""Importing an export is idempotent, adds only what is new, survives a crash, and stores no phones."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.config import Settings
from handlers.export_files import import_file
from handlers.whatsapp_export import ExportFormatError
from storage.db import make_engine, session_scope
from storage.tables import ImportRun, Member, Message

CHAT = """\
16/11/2026, 09:00 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.
16/11/2026, 09:05 - Nandini Rao added +91 98450 12345
16/11/2026, 09:10 - Nandini Rao: Welcome all! Please introduce yourselves 🙏
16/11/2026, 09:31 - +91 98450 12345: Hi, Kiran here, HR Manager at a logistics firm, 7 yrs in HR
16/11/2026, 10:02 - Aditya Kulkarni: Hiring: HR Executive (0-2 yrs), Pune. DM CV
16/11/2026, 10:40 - ~\u202fSunita Pillai: Can someone share a leave policy template for a 40 person startup?
It should cover sabbaticals too.
16/11/2026, 10:52 - Nandini Rao: @Sunita Pillai sharing ours on DM — the sabbatical clause is at the end
16/11/2026, 11:15 - ~\u202fSunita Pillai: Thanks Nandini, sorted 👍
"""
LATER = """\
17/11/2026, 08:00 - Aditya Kulkarni: Good morning all 🌞
17/11/2026, 09:12 - +91 98450 12345: Any leads for HRBP roles in Bengaluru? My role was impacted last week.
"""


def _settings(engine: Engine) -> Settings:
    return Settings.from_env({"DATABASE_URL": str(engine.url), "LIFTBOT_SECRET_KEY": "test-pepper"})


def _count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.execute(select(func.count()).select_from(Message)).scalar_one())


def _import(engine: Engine, path: Path) -> int:
    return import_file(path, engine=engine, settings=_settings(engine), community="HR").added


def test_reimporting_the_same_file_adds_nothing(engine: Engine, tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT, encoding="utf-8")
    assert _import(engine, chat) == 8
    assert _import(engine, chat) == 0
    assert _count(engine) == 8


def test_a_later_overlapping_export_adds_exactly_the_new_messages(
    engine: Engine, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(CHAT, encoding="utf-8")
    second.write_text(CHAT + LATER, encoding="utf-8")
    _import(engine, first)
    assert _import(engine, second) == 2
    assert _count(engine) == 10


def test_answers_and_levels_are_judged_on_import(engine: Engine, tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT, encoding="utf-8")
    _import(engine, chat)
    with session_scope(engine) as session:
        ask = session.execute(
            select(Message).where(Message.text.startswith("Can someone share"))  # type: ignore[attr-defined]
        ).scalar_one()
        assert ask.kind == "help_request" and ask.answered and ask.resolved
        assert ask.first_response_minutes == 12.0
        job = session.execute(select(Message).where(Message.kind == "job_post")).scalar_one()
        assert job.role_level == "junior"


def test_phone_numbers_are_stored_nowhere(sqlite_engine: Engine, tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT + LATER, encoding="utf-8")
    _import(sqlite_engine, chat)
    with session_scope(sqlite_engine) as session:
        names = set(session.execute(select(Member.display_name)).scalars())
    assert "+91••••••2345" in names
    sqlite_engine.dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("liftbot.db*"))
    assert b"98450 12345" not in raw and b"9845012345" not in raw
    assert not re.search(rb"98450[ \xc2\xa0]?12345", raw)


def test_a_file_that_is_not_an_export_is_refused_and_stores_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Agenda for Monday\n- budgets\n- hiring plan\n", encoding="utf-8")
    with pytest.raises(ExportFormatError, match="line 1"):
        _import(engine, notes)
    assert _count(engine) == 0


def test_a_zip_from_the_phone_imports_its_chat(engine: Engine, tmp_path: Path) -> None:
    archive = tmp_path / "WhatsApp Chat - HR.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("_chat.txt", CHAT)
        zf.writestr("00000012-PHOTO-2026-11-02-09-10-00.jpg", b"\xff\xd8" + b"0" * 100)
    assert _import(engine, archive) == 8


def test_an_importer_killed_midway_then_rerun_gives_the_same_rows_as_a_clean_run(
    tmp_path: Path,
) -> None:
    from benchmarks.export_bench import generate_export

    export = tmp_path / "big.txt"
    generate_export(export, 16_000, seed=3)
    env = {**os.environ, "LIFTBOT_SECRET_KEY": "pepper", "LIFTBOT_TIMEZONE": "Asia/Kolkata"}

    def run(db: Path, kill_after_rows: int | None = None) -> None:
        env["DATABASE_URL"] = f"sqlite:///{db}"
        cmd = [sys.executable, "-m", "bot.app.cli", "import", str(export), "--community", "Big"]
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if kill_after_rows is not None:
            engine = make_engine(env["DATABASE_URL"])
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    if _count(engine) >= kill_after_rows:
                        break
                except Exception:  # the schema may not exist yet
                    pass
                time.sleep(0.05)
            engine.dispose()
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=300)

    clean, crashed = tmp_path / "clean.db", tmp_path / "crashed.db"
    run(clean)
    run(crashed, kill_after_rows=5_000)
    killed = make_engine(f"sqlite:///{crashed}")
    partial = _count(killed)
    assert 0 < partial < 16_000
    run(crashed)
    clean_engine = make_engine(f"sqlite:///{clean}")
    assert _count(killed) == _count(clean_engine) == _entries(export)
    with session_scope(killed) as session:
        statuses = sorted(session.execute(select(ImportRun.status)).scalars())
    assert statuses == ["complete", "interrupted"]
    with session_scope(killed) as a, session_scope(clean_engine) as b:
        keys_a = set(a.execute(select(Message.source_key)).scalars())
        keys_b = set(b.execute(select(Message.source_key)).scalars())
    assert keys_a == keys_b


def _entries(export: Path) -> int:
    from handlers.whatsapp_export import open_export, parse_export

    return sum(1 for _ in parse_export(open_export(export)))
