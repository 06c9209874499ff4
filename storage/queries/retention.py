"""Retention: erasing what is older than a community's limit, in small batches, keeping what
reports count (kinds, levels, times, answer links) and the natural keys (so nothing comes back).

Every function here handles one batch in the caller's transaction; `bot.jobs.retention` drives
them, one transaction per batch, so a big community never holds long locks. The `*_to_erase`
functions read a batch after a keyset cursor; erasing it is a separate call, so a dry run
counts with the same queries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, String, and_, literal, or_, update
from sqlalchemy import cast as cast_
from sqlmodel import Session, col, select

from storage.inbox import MAX_ATTEMPTS, STALE_AFTER, InboxState, backoff
from storage.outbox import OutboxState
from storage.queries.members import CHUNK
from storage.tables import Correction, InboxEvent, Member, Message, Outbox

FORMER_MEMBER = "Former member #"
"""What a departed member's name becomes: this and their member id (distinct, never a name)."""

# A delivery in these states is never processed again: its payload has no further use.
FINISHED = (InboxState.DONE, InboxState.IGNORED, InboxState.REJECTED, InboxState.DROPPED)
# The whole automatic retry schedule, a stale claim's reset, and a day's slack for an operator
# looking into what just happened: after this a finished delivery's payload goes.
RETRY_WINDOW = max(
    timedelta(days=1),
    STALE_AFTER * MAX_ATTEMPTS + sum((backoff(n) for n in range(1, MAX_ATTEMPTS)), timedelta()),
)
# Posts that may still be sent keep their body.
_UNSENT = (OutboxState.PENDING, OutboxState.FAILED)

Cursor = tuple[datetime, int]
_ERASABLE = (Message.id, Message.sent_at, Message.kind, Message.text, Message.topic)


def former_member_label(member_id: int) -> str:
    """The name a departed member is shown by once retention erased theirs."""
    return f"{FORMER_MEMBER}{member_id}"


def _former_label_sql() -> Any:
    return literal(FORMER_MEMBER) + cast_(col(Member.id), String)


# --- who left --------------------------------------------------------------------------------


def record_movements(
    *, session: Session, community_id: int, moves: Sequence[tuple[str, datetime, bool, str]]
) -> None:
    """Apply (member key, when, departed, name) in order: a departure stamps `departed_at`
    (the latest wins) unless they wrote after it (an old export imported again), a later
    return clears it and gives back an erased name."""
    for key, at, departed, name in moves:
        this = and_(col(Member.community_id) == community_id, col(Member.key) == key)
        if departed:
            newer = or_(col(Member.departed_at).is_(None), col(Member.departed_at) < at)
            spoke = select(col(Message.id)).where(
                col(Message.member_id) == col(Member.id), col(Message.sent_at) > at
            )
            session.execute(
                update(Member).where(this, newer, ~spoke.exists()).values(departed_at=at)
            )
            continue
        back = and_(col(Member.departed_at).is_not(None), col(Member.departed_at) <= at)
        session.execute(update(Member).where(this, back).values(departed_at=None))
        session.execute(
            update(Member)
            .where(this, col(Member.display_name) == _former_label_sql())
            .values(display_name=name[:200])
        )


# --- message text ----------------------------------------------------------------------------


def texts_to_erase(
    *, session: Session, community_id: int, before: datetime, after: Cursor | None, limit: int
) -> list[Any]:
    """Up to `limit` messages sent before `before` that still hold text, in (sent_at, id)
    order after the cursor: id, sent_at, kind, text and topic."""
    query = (
        select(*_ERASABLE)  # type: ignore[call-overload]
        .where(
            col(Message.community_id) == community_id,
            col(Message.sent_at) < before,
            col(Message.text) != "",
        )
        .order_by(col(Message.sent_at), col(Message.id))
        .limit(limit)
    )
    if after is not None:
        sent_at, last_id = after
        query = query.where(
            col(Message.sent_at) >= sent_at,  # an index range: erased rows are not read again
            or_(
                col(Message.sent_at) > sent_at,
                and_(col(Message.sent_at) == sent_at, col(Message.id) > last_id),
            ),
        )
    return list(session.execute(query))


def erase_texts(*, session: Session, ids: Sequence[int], topics: Mapping[int, str]) -> None:
    """Blank these messages' text, the kind reason quoting its words, and the moderator
    corrections holding a copy; `topics` keeps the topic a help request's text gave."""
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        session.execute(
            update(Message).where(col(Message.id).in_(chunk)).values(text="", kind_reason="")
        )
        session.execute(
            update(Correction).where(col(Correction.message_id).in_(chunk)).values(text="")
        )
    if topics:
        session.execute(update(Message), [{"id": i, "topic": t[:40]} for i, t in topics.items()])


# --- departed members' names -----------------------------------------------------------------


def departed_to_erase(
    *, session: Session, community_id: int, before: datetime, after: int, limit: int
) -> list[int]:
    """Ids (above `after`) of members who left before `before`, wrote nothing since, and
    still carry their name."""
    since = select(col(Message.id)).where(
        col(Message.member_id) == col(Member.id), col(Message.sent_at) >= before
    )
    rows = session.execute(
        select(col(Member.id))
        .where(
            col(Member.community_id) == community_id,
            col(Member.id) > after,
            col(Member.departed_at).is_not(None),
            col(Member.departed_at) < before,
            col(Member.display_name) != _former_label_sql(),
            ~since.exists(),
        )
        .order_by(col(Member.id))
        .limit(limit)
    )
    return [int(i) for (i,) in rows]


def erase_member_names(*, session: Session, ids: Sequence[int]) -> None:
    """Replace these members' names by `former_member_label`, and drop what else identifies
    them (profile title, the quote behind their level, the sealed number); the level stays."""
    for start in range(0, len(ids), CHUNK):
        session.execute(
            update(Member)
            .where(col(Member.id).in_(list(ids[start : start + CHUNK])))
            .values(
                display_name=_former_label_sql(),
                title=None,
                level_reason="",
                contact_sealed=None,
                helper_opt_in=None,
            )
        )


# --- webhook payloads and bot posts (not tied to one community) ------------------------------


def _finished_before(finished: datetime, dead: datetime | None) -> Any:
    when = col(InboxEvent.processed_at)
    done = and_(
        col(InboxEvent.status).in_(list(FINISHED)),
        or_(when < finished, and_(when.is_(None), col(InboxEvent.received_at) < finished)),
    )
    if dead is None:
        return done
    gone = and_(col(InboxEvent.status) == InboxState.DEAD, col(InboxEvent.received_at) < dead)
    return or_(done, gone)


def payloads_to_erase(
    *, session: Session, finished: datetime, dead: datetime | None, after: int, limit: int
) -> list[int]:
    """Ids (above `after`) of deliveries still holding a payload that nothing will process
    again: finished before `finished`, or dead and received before `dead` (when given)."""
    rows = session.execute(
        select(col(InboxEvent.id))
        .where(
            col(InboxEvent.id) > after,
            col(InboxEvent.payload) != "",
            _finished_before(finished, dead),
        )
        .order_by(col(InboxEvent.id))
        .limit(limit)
    )
    return [int(i) for (i,) in rows]


def erase_payloads(
    *, session: Session, ids: Sequence[int], finished: datetime, dead: datetime | None
) -> int:
    """Blank these deliveries' payloads (the event id stays, so a redelivery is still a
    duplicate); a dead one becomes `dropped`, so a retry never runs it empty. The condition is
    checked again: an operator's retry in between wins. How many were erased."""
    erased = 0
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        mine = and_(col(InboxEvent.id).in_(chunk), _finished_before(finished, None))
        result = session.execute(update(InboxEvent).where(mine).values(payload=""))
        erased += cast(CursorResult[Any], result).rowcount
        if dead is not None:
            gone = and_(
                col(InboxEvent.id).in_(chunk),
                col(InboxEvent.status) == InboxState.DEAD,
                col(InboxEvent.received_at) < dead,
            )
            result = session.execute(
                update(InboxEvent)
                .where(gone)
                .values(payload="", status=InboxState.DROPPED, next_attempt_at=None)
            )
            erased += cast(CursorResult[Any], result).rowcount
    return erased


def posts_to_erase(*, session: Session, before: datetime, after: int, limit: int) -> list[int]:
    """Ids (above `after`) of bot posts made before `before` whose body is kept, sent or given
    up (reports, digests and relays quote members)."""
    rows = session.execute(
        select(col(Outbox.id))
        .where(
            col(Outbox.id) > after,
            col(Outbox.created_at) < before,
            col(Outbox.body) != "",
            col(Outbox.status).not_in(list(_UNSENT)),
        )
        .order_by(col(Outbox.id))
        .limit(limit)
    )
    return [int(i) for (i,) in rows]


def erase_posts(*, session: Session, ids: Sequence[int]) -> None:
    """Blank these posts' bodies; the row and its dedupe key stay, so nothing posts twice."""
    for start in range(0, len(ids), CHUNK):
        session.execute(
            update(Outbox)
            .where(
                col(Outbox.id).in_(list(ids[start : start + CHUNK])),
                col(Outbox.status).not_in(list(_UNSENT)),
            )
            .values(body="")
        )
