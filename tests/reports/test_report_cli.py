"""`liftbot report` and `liftbot clock` from a user's terminal."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from bot.app.cli import app
from storage.db import session_scope
from tests.reports.builders import make_chat

runner = CliRunner()


def sample(engine: Engine, *names: str) -> dict[str, str]:
    with session_scope(engine) as session:
        for name in names or ("HR Leaders Circle",):
            chat = make_chat(session, name)
            meera = chat.member("Meera", "junior")
            chat.ask(meera, "2024-06-04 09:26", "Any leads for HRBP roles in Pune?")
            chat.post(
                meera, "2024-06-05 10:00", "job_post", "Hiring recruiter", role_level="junior"
            )
    return {"DATABASE_URL": str(engine.url), "LIFTBOT_SECRET_KEY": "test"}


def test_latest_week_is_the_week_of_the_newest_message(sqlite_engine: Engine) -> None:
    env = sample(sqlite_engine)
    result = runner.invoke(app, ["report", "--week", "latest"], env=env)
    assert result.exit_code == 0, result.output
    assert "*HR Leaders Circle · week 2024-W23*" in result.output
    assert "1. *Meera* (junior) · waiting " in result.output


def test_by_default_a_week_without_messages_gives_way_to_the_latest_with_data(
    sqlite_engine: Engine,
) -> None:
    env = sample(sqlite_engine)  # data only in 2024-W23, long before "last week"
    result = runner.invoke(app, ["report"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "*HR Leaders Circle · week 2024-W23*"
    assert re.fullmatch(r"_\d{4}-W\d\d has no messages, so this report is for 2024-W23, the "
                        r"latest week with data \(ask for another by its label, e\.g\. "
                        r"2024-W22\)\._", lines[2])  # fmt: skip
    data = json.loads(runner.invoke(app, ["report", "--format", "json"], env=env).output)
    assert data["week"] == "2024-W23" and "latest week with data" in data["week_note"]


def test_an_explicit_empty_week_is_reported_as_asked(sqlite_engine: Engine) -> None:
    env = sample(sqlite_engine)
    result = runner.invoke(app, ["report", "--week", "2024-W30"], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "*HR Leaders Circle · week 2024-W30*"
    assert "No help requests this week." in result.output and "latest week" not in result.output


def test_an_explicit_week_and_json_format(sqlite_engine: Engine) -> None:
    env = sample(sqlite_engine)
    result = runner.invoke(app, ["report", "--week", "2024-W23", "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["week"], data["member_messages"]) == ("2024-W23", 2)


def test_html_goes_to_the_out_file(sqlite_engine: Engine, tmp_path: Path) -> None:
    env = sample(sqlite_engine)
    out = tmp_path / "out" / "report.html"
    args = ["report", "--week", "latest", "--format", "html", "--out", str(out)]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!doctype html>")


def test_unknown_community_is_one_readable_error_line(sqlite_engine: Engine) -> None:
    env = sample(sqlite_engine, "HR Leaders Circle", "Talent Acquisition India")
    result = runner.invoke(app, ["report", "--community", "Nope"], env=env)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: no community named 'Nope' (known: HR Leaders Circle, Talent Acquisition India)"
    ]


def test_several_communities_without_a_name_use_the_configured_one(sqlite_engine: Engine) -> None:
    env = sample(sqlite_engine, "HR Leaders Circle", "Talent Acquisition India")
    env["LIFTBOT_COMMUNITY"] = "Talent Acquisition India"
    result = runner.invoke(app, ["report", "--week", "latest"], env=env)
    assert result.exit_code == 0, result.output
    assert "Talent Acquisition India · week 2024-W23" in result.output


def test_bad_week_and_format_are_readable_errors(sqlite_engine: Engine) -> None:
    env = sample(sqlite_engine)
    bad_week = runner.invoke(app, ["report", "--week", "last-monday"], env=env)
    bad_format = runner.invoke(app, ["report", "--format", "pdf"], env=env)
    assert bad_week.exit_code == bad_format.exit_code == 1
    assert "is not like 2026-W47" in bad_week.output
    assert "format 'pdf' is not one of text, json, html, csv, blocks" in bad_format.output


def test_clock_once_with_console_prints_instead_of_posting(sqlite_engine: Engine) -> None:
    env = sample(sqlite_engine)
    result = runner.invoke(app, ["clock", "--once", "--console"], env=env)
    assert result.exit_code == 0, result.output


def test_clock_refuses_to_claim_posts_it_cannot_send(sqlite_engine: Engine) -> None:
    env = sample(sqlite_engine)
    result = runner.invoke(app, ["clock", "--once"], env=env)
    assert result.exit_code == 1
    assert "no Slack, WhatsApp or LIFTBOT_REPORT_DIR destination is configured" in result.output
