"""A new admin's first commands: bad input gets one clear line, exit code 1, and nothing stored.

Each test runs the installed CLI in a fresh working directory, as someone following the README
would, and then looks at the database file itself.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import make_engine
from storage.migrate import downgrade, head_revision, upgrade
from tests.pipeline.test_importing import CHAT

# Settings a developer's shell may carry; each test starts from none of them.
_OURS = ("DATABASE_URL", "LIFTBOT_", "SLACK_", "TWILIO_")
STORED_TABLES = ("community", "import_run", "member", "message")


def liftbot(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI in `cwd` with a clean environment plus `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    return subprocess.run(
        [sys.executable, "-m", "bot.app.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**clean, "LIFTBOT_SECRET_KEY": "walkthrough", **(env or {})},
        timeout=120,
        check=False,
    )


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a refused command (exit code 1, no traceback)."""
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def stored_rows(database: Path) -> dict[str, int]:
    """Row counts of the tables an import writes, read straight from the file."""
    with sqlite3.connect(database) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in STORED_TABLES}


@pytest.fixture
def chat(tmp_path: Path) -> Path:
    path = tmp_path / "WhatsApp Chat with HR Circle.txt"
    path.write_text(CHAT, encoding="utf-8")
    return path


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "admin"
    folder.mkdir()
    return folder


@pytest.fixture
def migrated(workdir: Path) -> Path:
    """A migrated, empty liftbot.db in the working directory."""
    database = workdir / "liftbot.db"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    engine.dispose()
    return database


BAD_FILES = {
    "a PDF renamed .txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    "an empty file": b"",
    "blank lines only": b"\n\n  \n",
    "notes without WhatsApp headers": b"Agenda for Monday\n- budgets\n- hiring plan\n",
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_refused_file_leaves_no_database_file_behind(
    kind: str, workdir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "chat.txt"
    bad.write_bytes(BAD_FILES[kind])
    line = one_error_line(liftbot(workdir, "import", str(bad)))
    assert "not a WhatsApp chat export" in line
    assert list(workdir.iterdir()) == []


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_refused_file_creates_no_community_run_or_member(
    kind: str, workdir: Path, migrated: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "chat.txt"
    bad.write_bytes(BAD_FILES[kind])
    one_error_line(liftbot(workdir, "import", str(bad), "--community", "HR Circle"))
    assert stored_rows(migrated) == dict.fromkeys(STORED_TABLES, 0)


def test_an_unknown_time_zone_is_refused_before_anything_is_stored(
    chat: Path, workdir: Path
) -> None:
    line = one_error_line(liftbot(workdir, "import", str(chat), "--timezone", "Mars/Olympus"))
    assert "--timezone 'Mars/Olympus' is not an IANA time zone" in line
    assert list(workdir.iterdir()) == []


def test_an_unknown_time_zone_adds_no_community_to_an_existing_database(
    chat: Path, workdir: Path, migrated: Path
) -> None:
    one_error_line(liftbot(workdir, "import", str(chat), "--timezone", "Mars/Olympus"))
    assert stored_rows(migrated) == dict.fromkeys(STORED_TABLES, 0)


def test_a_bad_time_zone_setting_is_one_line_naming_the_setting(workdir: Path) -> None:
    line = one_error_line(liftbot(workdir, "report", env={"LIFTBOT_TIMEZONE": "IST"}))
    assert "LIFTBOT_TIMEZONE 'IST' is not an IANA time zone" in line


def test_import_on_a_fresh_folder_creates_and_migrates_the_database(
    chat: Path, workdir: Path
) -> None:
    done = liftbot(workdir, "import", str(chat), "--timezone", "Europe/London")
    assert done.returncode == 0, done.stderr
    assert f"created the database liftbot.db (schema {head_revision()})" in done.stderr
    assert "into 'HR Circle'" in done.stderr
    rows = stored_rows(workdir / "liftbot.db")
    assert rows["community"] == 1 and rows["import_run"] == 1 and rows["message"] == 8


@pytest.mark.parametrize("command", [["report"], ["export"], ["inbox", "list"]])
def test_reading_commands_without_a_database_say_so_and_create_no_file(
    command: list[str], workdir: Path
) -> None:
    line = one_error_line(liftbot(workdir, *command))
    assert "no database at liftbot.db" in line and "`liftbot db upgrade`" in line
    assert list(workdir.iterdir()) == []


def test_report_on_a_database_behind_the_code_migrates_it_first(chat: Path, workdir: Path) -> None:
    assert liftbot(workdir, "import", str(chat)).returncode == 0
    engine = make_engine(f"sqlite:///{workdir / 'liftbot.db'}")
    downgrade(engine, "0003")
    engine.dispose()
    done = liftbot(workdir, "report", "--week", "2026-W47")
    assert done.returncode == 0, done.stderr
    assert f"migrated the database liftbot.db from schema 0003 to {head_revision()}" in (
        done.stderr
    )
    assert "HR Circle" in done.stdout


def test_a_database_from_a_newer_release_is_refused_not_downgraded(
    workdir: Path, migrated: Path
) -> None:
    with sqlite3.connect(migrated) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    line = one_error_line(liftbot(workdir, "report"))
    assert "schema 0099, newer than this Liftbot" in line
    with sqlite3.connect(migrated) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0099",)


def test_a_file_that_is_not_a_database_is_one_line(workdir: Path) -> None:
    (workdir / "liftbot.db").write_text("not a database, just notes\n" * 100)
    line = one_error_line(liftbot(workdir, "report"))
    assert "cannot open the database liftbot.db" in line


def test_db_upgrade_into_a_missing_folder_is_one_line(workdir: Path) -> None:
    env = {"DATABASE_URL": "sqlite:///no/such/folder/liftbot.db"}
    line = one_error_line(liftbot(workdir, "db", "upgrade", env=env))
    assert "no folder no/such/folder" in line


def test_a_clock_without_any_platform_refuses_before_creating_a_database(
    workdir: Path,
) -> None:
    done = liftbot(workdir, "clock", "--once")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    first, refusal = done.stderr.strip().splitlines()
    assert first.startswith("Slack: off (SLACK_BOT_TOKEN not set); WhatsApp: off (")
    assert refusal.startswith("error: no Slack, WhatsApp or LIFTBOT_REPORT_DIR destination")
    assert not (workdir / "liftbot.db").exists()


def test_settings_come_from_dot_env_and_the_environment_wins(chat: Path, workdir: Path) -> None:
    (workdir / "data").mkdir()
    (workdir / ".env").write_text(
        "# a comment\nDATABASE_URL=sqlite:///data/from_env_file.db\nLIFTBOT_TIMEZONE=Mars/Olympus\n"
    )
    refused = liftbot(workdir, "import", str(chat))
    assert "LIFTBOT_TIMEZONE 'Mars/Olympus'" in one_error_line(refused)
    done = liftbot(workdir, "import", str(chat), env={"LIFTBOT_TIMEZONE": "Asia/Kolkata"})
    assert done.returncode == 0, done.stderr
    assert (workdir / "data" / "from_env_file.db").exists()
    assert not (workdir / "liftbot.db").exists()


@pytest.mark.postgres
def test_a_postgres_database_behind_the_code_stops_the_command(
    pg_database: str, chat: Path, workdir: Path
) -> None:
    engine = make_engine(pg_database)
    downgrade(engine, "0003")
    try:
        for command in (["report"], ["import", str(chat)], ["export"]):
            line = one_error_line(liftbot(workdir, *command, env={"DATABASE_URL": pg_database}))
            assert f"schema 0003, this Liftbot needs {head_revision()}" in line, command
            assert "run `liftbot db upgrade`" in line
    finally:
        upgrade(engine)
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("liftbot.db", "DATABASE_URL is not a database URL: 'liftbot.db'"),
        (
            "mysql://user@host/db",
            "DATABASE_URL must be sqlite:///FILE or postgresql://…, not mysql",
        ),
        ("postgresql://liftbot@127.0.0.1:1/liftbot", "cannot open the database 127.0.0.1/liftbot"),
    ],
)
def test_a_database_url_that_cannot_work_is_one_line(
    url: str, expected: str, workdir: Path
) -> None:
    for command in (["report"], ["db", "upgrade"]):
        line = one_error_line(liftbot(workdir, *command, env={"DATABASE_URL": url}))
        assert expected in line.replace("cannot upgrade the database", "cannot open the database")
    assert list(workdir.iterdir()) == []
