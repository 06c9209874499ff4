"""The inbox: every webhook delivery stored once before it is acknowledged, then processed once.

A delivery's life, the same on every platform (`InboxState`):

    pending ──claim──▶ processing ──finish──▶ done
                           │                  failed ──after backoff(attempts)──▶ claimed again
                           │                    └─ after MAX_ATTEMPTS ─▶ dead (kept, with its error)
                           └─ left by a crashed worker for STALE_AFTER ─▶ pending (or dead)
    dead/failed ──`liftbot inbox retry`──▶ pending;  any ──`liftbot inbox drop`──▶ dropped
    ignored: stored for the record (a shape no listener can handle), never processed
    rejected: stored for the record (impossible content, e.g. a 1970 timestamp), never a message

The natural key is (source, event_id): Slack's event_id, a Slack command's trigger_id, Twilio's
MessageSid. While a row is `processing`, `processed_at` holds when it was claimed, so a claim left
behind by a killed worker is recognised and reset; `attempts` counts claims.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, and_, case, func, or_, update
from sqlmodel import Session, col, select

from storage.inserts import insert_many_ignore_returning
from storage.tables import InboxEvent

STALE_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)


class InboxState(StrEnum):
    """Where a stored delivery stands (see the module docstring)."""

    PENDING = "pending"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"
    IGNORED = "ignored"
    REJECTED = "rejected"
    DEAD = "dead"
    DROPPED = "dropped"


class InboxSource(StrEnum):
    """Which platform channel a delivery came through."""

    SLACK_EVENT = "slack_event"
    SLACK_COMMAND = "slack_command"
    TWILIO_MESSAGE = "twilio_message"


@dataclass
class Tally:
    """What a drain of the inbox did, honestly: each claimed delivery counted by its outcome."""

    done: int = 0
    failed: int = 0
    dead: int = 0

    def add(self, state: InboxState | None) -> None:
        """Count one delivery's outcome (None: another worker had it)."""
        if state is InboxState.DONE:
            self.done += 1
        elif state is InboxState.FAILED:
            self.failed += 1
        elif state is InboxState.DEAD:
            self.dead += 1

    def __str__(self) -> str:
        return f"{self.done} done, {self.failed} failed (will retry), {self.dead} dead"

    @property
    def total(self) -> int:
        """Deliveries this drain processed."""
        return self.done + self.failed + self.dead


@dataclass(frozen=True, slots=True)
class Stored:
    """The row a delivery is kept in, whether this call created it, and its state now."""

    id: int
    inserted: bool
    state: InboxState


@dataclass(frozen=True, slots=True)
class Delivery:
    """A delivery to keep: its natural key, what to store and the state it enters in."""

    event_id: str
    payload: str
    state: InboxState = InboxState.PENDING
    error: str | None = None


def store_once(
    *,
    session: Session,
    source: InboxSource,
    event_id: str,
    payload: str,
    now: datetime,
    state: InboxState = InboxState.PENDING,
    error: str | None = None,
) -> Stored:
    """Keep a delivery unless (source, event_id) is already stored; a duplicate changes nothing."""
    delivery = Delivery(event_id, payload, state, error)
    return store_many(session=session, source=source, deliveries=[delivery], now=now)[0]


def store_many(
    *, session: Session, source: InboxSource, deliveries: Sequence[Delivery], now: datetime
) -> list[Stored]:
    """`store_once` for many deliveries in one statement (the ack path's group commit): one
    `Stored` per delivery, in order; a repeated event_id is stored by its first occurrence."""
    rows = [
        {"source": source.value, "event_id": d.event_id, "payload": d.payload,
         "status": d.state.value, "error": d.error[:500] if d.error else None, "received_at": now}
        for d in deliveries
    ]  # fmt: skip
    inserted = dict(
        (str(event_id), int(row_id))
        for row_id, event_id in insert_many_ignore_returning(
            session, InboxEvent, rows, ("id", "event_id")
        )
    )
    missing = {d.event_id for d in deliveries} - inserted.keys()
    existing: dict[str, tuple[int, str]] = {}
    if missing:  # duplicates: read back the row each one already has
        found = session.execute(
            select(InboxEvent.event_id, InboxEvent.id, InboxEvent.status).where(
                col(InboxEvent.source) == source.value,
                col(InboxEvent.event_id).in_(sorted(missing)),
            )
        )
        existing = {str(event_id): (int(row_id), str(status)) for event_id, row_id, status in found}
    stored, seen = [], set()
    for delivery in deliveries:
        key = delivery.event_id
        if key in inserted and key not in seen:
            stored.append(Stored(inserted[key], True, delivery.state))
        elif key in inserted:  # repeated within the batch: the first occurrence's row
            first = next(d for d in deliveries if d.event_id == key)
            stored.append(Stored(inserted[key], False, first.state))
        else:
            row_id, status = existing[key]
            stored.append(Stored(row_id, False, InboxState(status)))
        seen.add(key)
    return stored


def claim(*, session: Session, inbox_id: int, now: datetime) -> str | None:
    """Move a pending or failed delivery to `processing` for this worker (one attempt more);
    its payload, or None when another worker holds it, it is finished, or it is dead."""
    result = session.execute(
        update(InboxEvent)
        .where(
            col(InboxEvent.id) == inbox_id,
            col(InboxEvent.status).in_([InboxState.PENDING, InboxState.FAILED]),
        )
        .values(
            status=InboxState.PROCESSING,
            processed_at=now,
            attempts=col(InboxEvent.attempts) + 1,
        )
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        return None
    row = session.get(InboxEvent, inbox_id)
    return row.payload if row is not None else None


def claim_many(*, session: Session, ids: Sequence[int], now: datetime) -> list[tuple[int, str]]:
    """`claim` for a batch in one statement: (id, payload) of the rows this worker now holds,
    in the order of `ids` (rows another worker holds, finished or dead ones are left out)."""
    if not ids:
        return []
    result = session.execute(
        update(InboxEvent)
        .where(
            col(InboxEvent.id).in_(list(ids)),
            col(InboxEvent.status).in_([InboxState.PENDING, InboxState.FAILED]),
        )
        .values(
            status=InboxState.PROCESSING,
            processed_at=now,
            attempts=col(InboxEvent.attempts) + 1,
        )
        .returning(col(InboxEvent.id), col(InboxEvent.payload))
    )
    payloads = {int(row_id): str(payload) for row_id, payload in result}
    return [(i, payloads[i]) for i in dict.fromkeys(ids) if i in payloads]


def finish_done(*, session: Session, ids: Sequence[int], now: datetime) -> None:
    """`finish` for deliveries processed without error, in one statement."""
    if ids:
        session.execute(
            update(InboxEvent)
            .where(col(InboxEvent.id).in_(list(ids)))
            .values(status=InboxState.DONE, error=None, processed_at=now, next_attempt_at=None)
        )


def finish(
    *, session: Session, inbox_id: int, state: InboxState, now: datetime, error: str | None = None
) -> InboxState:
    """Record how processing ended; a failure is retried with backoff until MAX_ATTEMPTS, then
    the delivery is `dead` (kept with its error for `liftbot inbox`). Returns the state set."""
    row = session.get(InboxEvent, inbox_id)
    attempts = row.attempts if row is not None else 0
    retry_at = None
    if state is InboxState.FAILED:
        if attempts >= MAX_ATTEMPTS:
            state = InboxState.DEAD
        else:
            retry_at = now + backoff(attempts)
    session.execute(
        update(InboxEvent)
        .where(col(InboxEvent.id) == inbox_id)
        .values(
            status=state,
            error=error[:500] if error else None,
            processed_at=now,
            next_attempt_at=retry_at,
        )
    )
    return state


def backoff(attempts: int) -> timedelta:
    """How long a delivery that failed `attempts` times waits: 1, 4, 16, 64 minutes…"""
    wait: timedelta = FIRST_RETRY * 4 ** max(attempts - 1, 0)
    return min(wait, LONGEST_WAIT)


def due(*, session: Session, source: InboxSource, now: datetime, limit: int = 500) -> list[int]:
    """Deliveries to (re)process: pending ones first (so poison never blocks them), then
    failures whose backoff has passed. Claims left by a dead worker are reset first."""
    _reset_stale(session, source, now)
    waiting_done = or_(
        col(InboxEvent.next_attempt_at).is_(None), col(InboxEvent.next_attempt_at) <= now
    )
    ids = session.exec(
        select(col(InboxEvent.id))
        .where(
            col(InboxEvent.source) == source.value,
            or_(
                col(InboxEvent.status) == InboxState.PENDING,
                and_(col(InboxEvent.status) == InboxState.FAILED, waiting_done),
            ),
        )
        .order_by(
            case((col(InboxEvent.status) == InboxState.PENDING, 0), else_=1), col(InboxEvent.id)
        )
        .limit(limit)
    )
    return [int(i) for i in ids if i is not None]


def _reset_stale(session: Session, source: InboxSource, now: datetime) -> None:
    """A claim older than STALE_AFTER lost its worker: retried, or dead if it used its attempts
    (a delivery that kills its worker must not kill every next one)."""
    claimed_at = func.coalesce(col(InboxEvent.processed_at), col(InboxEvent.received_at))
    stale = and_(
        col(InboxEvent.source) == source.value,
        col(InboxEvent.status) == InboxState.PROCESSING,
        claimed_at < now - STALE_AFTER,
    )
    session.execute(
        update(InboxEvent)
        .where(stale, col(InboxEvent.attempts) >= MAX_ATTEMPTS)
        .values(status=InboxState.DEAD, error="the worker stopped while processing it")
    )
    session.execute(update(InboxEvent).where(stale).values(status=InboxState.PENDING))


# --- what an operator sees and does (`liftbot inbox`) -----------------------------------------


def counts(*, session: Session) -> dict[tuple[str, str], int]:
    """How many deliveries each (source, state) holds."""
    rows = session.execute(
        select(col(InboxEvent.source), col(InboxEvent.status), func.count()).group_by(
            col(InboxEvent.source), col(InboxEvent.status)
        )
    )
    return {(str(source), str(state)): int(n) for source, state, n in rows}


def troubled(*, session: Session, limit: int = 50) -> list[InboxEvent]:
    """Dead, failed and rejected deliveries, newest first, with their errors."""
    states = [InboxState.DEAD, InboxState.FAILED, InboxState.REJECTED]
    return list(
        session.exec(
            select(InboxEvent)
            .where(col(InboxEvent.status).in_(states))
            .order_by(col(InboxEvent.id).desc())
            .limit(limit)
        )
    )


def retry(*, session: Session, ids: Sequence[int]) -> int:
    """Give dead or failed deliveries a fresh set of attempts now; how many were reset."""
    result = session.execute(
        update(InboxEvent)
        .where(
            col(InboxEvent.id).in_(list(ids)),
            col(InboxEvent.status).in_([InboxState.DEAD, InboxState.FAILED]),
        )
        .values(status=InboxState.PENDING, attempts=0, next_attempt_at=None)
    )
    return cast(CursorResult[Any], result).rowcount


def drop(*, session: Session, ids: Sequence[int]) -> int:
    """Give up on deliveries for good: their payload is erased, the id kept so that a
    redelivery is still recognised as a duplicate. How many were dropped."""
    result = session.execute(
        update(InboxEvent)
        .where(col(InboxEvent.id).in_(list(ids)), col(InboxEvent.status) != InboxState.DONE)
        .values(status=InboxState.DROPPED, payload="", next_attempt_at=None)
    )
    return cast(CursorResult[Any], result).rowcount


def dead_ids(*, session: Session) -> list[int]:
    """Every dead delivery's id."""
    rows = session.exec(select(col(InboxEvent.id)).where(col(InboxEvent.status) == InboxState.DEAD))
    return [int(i) for i in rows if i is not None]
