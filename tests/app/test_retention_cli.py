"""`liftbot retention run`: an operator erases what is past the limit now, or counts it first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app.cli import app

CHAT = """\
03/06/2024, 10:00 - Anil Mehta: Sharing our leave policy template for anyone who needs it
03/06/2024, 10:05 - Ravi Kumar: Can anyone recommend a payroll vendor in Pune for 200 people?
03/06/2024, 10:30 - Priya Sharma: @Ravi Kumar we use Keka, PF and ESIC filings have been smooth
04/06/2024, 20:00 - Anil Mehta left
"""


@pytest.fixture
def imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'liftbot.db'}")
    monkeypatch.setenv("LIFTBOT_SECRET_KEY", "pepper")
    monkeypatch.setenv("LIFTBOT_RETENTION_DAYS", "365")
    chat = tmp_path / "WhatsApp Chat with HR.txt"
    chat.write_text(CHAT, encoding="utf-8")
    assert CliRunner().invoke(app, ["import", str(chat)]).exit_code == 0


def exported() -> list[dict[str, object]]:
    result = CliRunner().invoke(app, ["export", "--format", "jsonl"])
    assert result.exit_code == 0
    return [json.loads(line) for line in result.output.splitlines()]


@pytest.mark.usefixtures("imported")
def test_a_dry_run_counts_then_a_run_erases_and_the_export_keeps_its_judgement() -> None:
    judged = [(r["kind"], r["author_level"], r["answered"], r["first_response_minutes"])
              for r in exported()]  # fmt: skip
    dry = CliRunner().invoke(app, ["retention", "run", "--dry-run"])
    assert dry.exit_code == 0
    assert dry.output.splitlines()[0] == (
        "retention HR: would erase the text of 4 messages and 1 departed members' names "
        "(older than 365 days)"
    )
    assert all(r["text"] for r in exported())
    run = CliRunner().invoke(app, ["retention", "run", "--community", "HR"])
    assert run.exit_code == 0 and run.output.startswith("retention HR: erased the text of 4")
    rows = exported()
    assert [r["text"] for r in rows] == ["", "", "", ""]
    assert [(r["kind"], r["author_level"], r["answered"], r["first_response_minutes"])
            for r in rows] == judged  # fmt: skip
    assert rows[0]["author"].startswith("Former member #")  # type: ignore[union-attr]
    assert [r["kind"] for r in rows][1] == "help_request" and rows[1]["answered"] is True
    csv = CliRunner().invoke(app, ["export", "--format", "csv"])
    assert csv.exit_code == 0 and len(csv.output.splitlines()) == 5


@pytest.mark.usefixtures("imported")
def test_an_unknown_community_is_one_error_line() -> None:
    result = CliRunner().invoke(app, ["retention", "run", "--community", "Nobody"])
    assert result.exit_code == 1
    assert "no community named 'Nobody'" in result.output
