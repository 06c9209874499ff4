"""Every way to ask for a report builds it the same way: open requests name who might know.

`/lift report` on Slack and WhatsApp, and the report after a WhatsApp import, come through
`handlers.commands.text_reporter`; the Slack upload reply and `liftbot report` through
`bot.reports.output.report_output`; the clock through `bot.reports.output.build_report`.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from bot.app.cli import app
from bot.config import Settings
from bot.jobs.clock import run_due_jobs
from bot.reports.output import report_output
from handlers.commands import text_reporter
from storage.db import session_scope
from tests.fakes import RecordingSender
from tests.reports.builders import Chat, make_chat

COMMUNITY = "HR Leaders Circle"
SETTINGS = Settings(timezone="Asia/Kolkata")
MIGHT_KNOW = "→ Tag Priya: answered 1 POSH question"
ROOT = Path(__file__).resolve().parents[2]


def posh_history(engine: Engine) -> Chat:
    """Priya answered a POSH question last week; Kavita's POSH question this week is still open."""
    with session_scope(engine) as session:
        chat = make_chat(session, COMMUNITY)
        meera, priya = chat.member("Meera", "junior"), chat.member("Priya", "senior")
        kavita = chat.member("Kavita", "mid")
        asked = chat.ask(meera, "2026-11-10 10:00", "Any POSH trainer in Pune for our ICC?")
        chat.reply(asked, priya, "2026-11-10 11:00",
                   text="We used Sakshi Rao for POSH training in Pune, very good with ICC members.")  # fmt: skip
        chat.ask(kavita, "2026-11-17 10:00", "Can anyone recommend a POSH trainer for our ICC?")
    return chat


def test_lift_report_on_either_platform_names_who_might_know(engine: Engine) -> None:
    posh_history(engine)
    with session_scope(engine) as session:
        report = text_reporter(session, SETTINGS, COMMUNITY, datetime(2026, 11, 30, tzinfo=UTC))
        assert MIGHT_KNOW in report("2026-W47")  # the WhatsApp import summary asks for "latest"
        assert MIGHT_KNOW in report("latest")


@pytest.mark.parametrize("fmt", ["text", "json", "html", "csv", "blocks"])
def test_report_output_in_every_format_names_who_might_know(engine: Engine, fmt: str) -> None:
    posh_history(engine)
    now = datetime(2026, 11, 30, tzinfo=UTC)
    out = report_output(engine, SETTINGS, community=None, week="latest", fmt=fmt, now=now)
    assert "Priya" in out and "answered 1 POSH question" in out


def test_liftbot_report_json_lists_the_helpers(sqlite_engine: Engine) -> None:
    posh_history(sqlite_engine)
    env = {"DATABASE_URL": str(sqlite_engine.url), "LIFTBOT_SECRET_KEY": "test"}
    result = CliRunner().invoke(app, ["report", "--week", "2026-W47", "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    [request] = json.loads(result.output)["unanswered"]
    assert request["helpers"][0]["name"] == "Priya"


def test_the_clocks_weekly_report_names_who_might_know(engine: Engine) -> None:
    chat = posh_history(engine)
    sender = RecordingSender()
    done = run_due_jobs(engine, SETTINGS, sender, chat.at("2026-11-23 09:00"))
    assert done[0] == f"weekly_report 2026-W47 {COMMUNITY}: sent"
    assert MIGHT_KNOW in sender.sent[0].text


def test_no_entry_point_builds_a_report_around_bot_reports_output() -> None:
    callers = [
        path.relative_to(ROOT).as_posix()
        for room in ("bot", "handlers")
        for path in (ROOT / room).rglob("*.py")
        if re.search(r"\bbuild_weekly_report\(", path.read_text(encoding="utf-8"))
    ]
    assert sorted(callers) == ["bot/reports/output.py", "bot/reports/weekly.py"]
