"""`liftbot inbox`: an operator sees what failed and decides: retry or drop."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app.cli import app
from storage import inbox
from storage.db import make_engine, session_scope
from storage.inbox import MAX_ATTEMPTS, InboxSource, InboxState
from storage.migrate import upgrade

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'inbox.db'}"
    upgrade(make_engine(url))
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _dead_delivery(url: str) -> int:
    engine = make_engine(url)
    with session_scope(engine) as session:
        inbox_id = inbox.store_once(
            session=session, source=InboxSource.SLACK_EVENT, event_id="EvDead", payload="{}",
            now=NOW,
        ).id  # fmt: skip
    for _ in range(MAX_ATTEMPTS):
        with session_scope(engine) as session:
            inbox.claim(session=session, inbox_id=inbox_id, now=NOW)
            inbox.finish(
                session=session, inbox_id=inbox_id, state=InboxState.FAILED, now=NOW,
                error="KeyError",
            )  # fmt: skip
    return inbox_id


def test_list_shows_counts_and_the_dead_delivery_with_its_error(database: str) -> None:
    inbox_id = _dead_delivery(database)
    result = CliRunner().invoke(app, ["inbox", "list"])
    assert result.exit_code == 0
    assert "slack_event" in result.output and "dead" in result.output
    assert str(inbox_id) in result.output and "KeyError" in result.output


def test_retry_all_dead_then_drop(database: str) -> None:
    inbox_id = _dead_delivery(database)
    retried = CliRunner().invoke(app, ["inbox", "retry", "--all-dead"])
    assert retried.exit_code == 0 and "1 delivery will be retried" in retried.output
    dropped = CliRunner().invoke(app, ["inbox", "drop", str(inbox_id)])
    assert dropped.exit_code == 0 and "1 delivery dropped" in dropped.output


def test_retry_without_ids_says_what_to_give(database: str) -> None:
    result = CliRunner().invoke(app, ["inbox", "retry"])
    assert result.exit_code == 1
    assert "name delivery ids, or --all-dead" in result.output
