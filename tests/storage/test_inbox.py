"""The inbox every platform shares: stored once, claimed once, and never stuck behind a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from storage import inbox
from storage.db import session_scope
from storage.inbox import STALE_AFTER, InboxSource, InboxState

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _store(engine: Engine, source: InboxSource, event_id: str) -> int:
    with session_scope(engine) as session:
        return inbox.store_once(
            session=session, source=source, event_id=event_id, payload="{}", now=NOW
        ).id


def _claim(engine: Engine, inbox_id: int, at: datetime) -> str | None:
    with session_scope(engine) as session:
        return inbox.claim(session=session, inbox_id=inbox_id, now=at)


def _due(engine: Engine, source: InboxSource, at: datetime) -> list[int]:
    with session_scope(engine) as session:
        return inbox.due(session=session, source=source, now=at)


def test_a_redelivery_is_stored_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = inbox.store_once(
            session=session, source=InboxSource.SLACK_EVENT, event_id="Ev1", payload="a", now=NOW
        )
        again = inbox.store_once(
            session=session, source=InboxSource.SLACK_EVENT, event_id="Ev1", payload="b", now=NOW
        )
    assert first.inserted and not again.inserted
    assert again.id == first.id and again.state is InboxState.PENDING


def test_only_one_worker_claims_a_delivery(engine: Engine) -> None:
    inbox_id = _store(engine, InboxSource.SLACK_EVENT, "Ev2")
    assert _claim(engine, inbox_id, NOW) == "{}"
    assert _claim(engine, inbox_id, NOW) is None


@pytest.mark.parametrize("source", [InboxSource.SLACK_EVENT, InboxSource.TWILIO_MESSAGE])
def test_a_claim_left_by_a_crashed_worker_is_retried_on_every_platform(
    engine: Engine, source: InboxSource
) -> None:
    inbox_id = _store(engine, source, "crash-1")
    assert _claim(engine, inbox_id, NOW) is not None  # the worker dies here, row `processing`

    assert _due(engine, source, NOW + STALE_AFTER - timedelta(seconds=1)) == []
    assert _due(engine, source, NOW + STALE_AFTER + timedelta(seconds=1)) == [inbox_id]
    assert _claim(engine, inbox_id, NOW + STALE_AFTER + timedelta(seconds=2)) == "{}"


def test_failed_deliveries_are_due_and_finished_ones_are_not(engine: Engine) -> None:
    failed = _store(engine, InboxSource.TWILIO_MESSAGE, "SMf")
    done = _store(engine, InboxSource.TWILIO_MESSAGE, "SMd")
    for inbox_id, state in ((failed, InboxState.FAILED), (done, InboxState.DONE)):
        _claim(engine, inbox_id, NOW)
        with session_scope(engine) as session:
            inbox.finish(session=session, inbox_id=inbox_id, state=state, now=NOW, error="boom")
    assert _due(engine, InboxSource.TWILIO_MESSAGE, NOW) == [failed]
    assert _due(engine, InboxSource.SLACK_EVENT, NOW) == []


def test_a_database_error_never_prints_what_it_was_writing(engine: Engine) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    with pytest.raises(SQLAlchemyError) as failed, engine.connect() as conn:
        conn.execute(text("INSERT INTO no_such_table VALUES (:secret)"), {"secret": "xoxb-123"})
    assert "xoxb-123" not in str(failed.value)
