"""The inbox every platform shares: stored once, claimed once, and never stuck behind a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from storage import inbox
from storage.db import session_scope
from storage.inbox import MAX_ATTEMPTS, STALE_AFTER, InboxSource, InboxState, backoff

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


def _fail(engine: Engine, inbox_id: int, at: datetime) -> InboxState:
    assert _claim(engine, inbox_id, at) is not None
    with session_scope(engine) as session:
        return inbox.finish(
            session=session, inbox_id=inbox_id, state=InboxState.FAILED, now=at, error="boom"
        )


def test_a_failure_waits_out_its_backoff_and_a_finished_delivery_is_never_due(
    engine: Engine,
) -> None:
    failed = _store(engine, InboxSource.TWILIO_MESSAGE, "SMf")
    done = _store(engine, InboxSource.TWILIO_MESSAGE, "SMd")
    assert _fail(engine, failed, NOW) is InboxState.FAILED
    _claim(engine, done, NOW)
    with session_scope(engine) as session:
        inbox.finish(session=session, inbox_id=done, state=InboxState.DONE, now=NOW)
    assert _due(engine, InboxSource.TWILIO_MESSAGE, NOW) == []
    assert _due(engine, InboxSource.TWILIO_MESSAGE, NOW + backoff(1)) == [failed]
    assert _due(engine, InboxSource.SLACK_EVENT, NOW + backoff(1)) == []


def test_a_delivery_that_keeps_failing_ends_dead_with_its_error(engine: Engine) -> None:
    poison = _store(engine, InboxSource.SLACK_EVENT, "EvPoison")
    at = NOW
    states = []
    for _ in range(MAX_ATTEMPTS):
        states.append(_fail(engine, poison, at))
        at += backoff(MAX_ATTEMPTS)
    assert states == [InboxState.FAILED] * (MAX_ATTEMPTS - 1) + [InboxState.DEAD]
    assert _due(engine, InboxSource.SLACK_EVENT, at + timedelta(days=1)) == []
    with session_scope(engine) as session:
        [row] = inbox.troubled(session=session)
        assert (row.status, row.error, row.attempts) == ("dead", "boom", MAX_ATTEMPTS)
        assert inbox.retry(session=session, ids=[poison]) == 1
    assert _due(engine, InboxSource.SLACK_EVENT, at) == [poison]


def test_good_deliveries_are_never_queued_behind_failing_ones(engine: Engine) -> None:
    poison = [_store(engine, InboxSource.SLACK_EVENT, f"EvBad{i}") for i in range(30)]
    for inbox_id in poison:
        _fail(engine, inbox_id, NOW)
    good = _store(engine, InboxSource.SLACK_EVENT, "EvGood")
    with session_scope(engine) as session:
        first = inbox.due(
            session=session, source=InboxSource.SLACK_EVENT, now=NOW + backoff(1), limit=5
        )
    assert first[0] == good


def test_a_dropped_delivery_keeps_only_its_id_so_a_redelivery_is_still_a_duplicate(
    engine: Engine,
) -> None:
    dropped = _store(engine, InboxSource.TWILIO_MESSAGE, "SMdrop")
    with session_scope(engine) as session:
        assert inbox.drop(session=session, ids=[dropped]) == 1
        again = inbox.store_once(
            session=session,
            source=InboxSource.TWILIO_MESSAGE,
            event_id="SMdrop",
            payload="{}",
            now=NOW,
        )
    assert not again.inserted and again.state is InboxState.DROPPED
    assert _due(engine, InboxSource.TWILIO_MESSAGE, NOW) == []


def test_a_database_error_never_prints_what_it_was_writing(engine: Engine) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    with pytest.raises(SQLAlchemyError) as failed, engine.connect() as conn:
        conn.execute(text("INSERT INTO no_such_table VALUES (:secret)"), {"secret": "xoxb-123"})
    assert "xoxb-123" not in str(failed.value)


def test_deliveries_stored_together_keep_each_once_even_when_repeated_in_the_same_write(
    engine: Engine,
) -> None:
    _store(engine, InboxSource.SLACK_EVENT, "EvOld")
    batch = [
        inbox.Delivery("EvNew", "first"),
        inbox.Delivery("EvOld", "again"),
        inbox.Delivery("EvNew", "retry in the same write"),
        inbox.Delivery("EvOdd", "", InboxState.IGNORED, "a shape no listener handles"),
    ]
    with session_scope(engine) as session:
        stored = inbox.store_many(
            session=session, source=InboxSource.SLACK_EVENT, deliveries=batch, now=NOW
        )
    assert [(s.inserted, s.state) for s in stored] == [
        (True, InboxState.PENDING),
        (False, InboxState.PENDING),
        (False, InboxState.PENDING),
        (True, InboxState.IGNORED),
    ]
    assert stored[0].id == stored[2].id != stored[1].id
    with session_scope(engine) as session:
        claimed = inbox.claim_many(session=session, ids=[s.id for s in stored], now=NOW)
    assert [payload for _, payload in claimed] == ["first", "{}"]  # the ignored one is never claimed
