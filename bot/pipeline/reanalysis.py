"""Re-judge a community's stored conversation: reply links, answers, levels (in bounded chunks)."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.domain import Kind, Level, LevelEvidence, LevelSource, Marker, Turn, TurnFacts
from bot.judgement.answers import CueBook, infer_answers
from bot.judgement.conversation import resolve_levels, settle_kinds
from bot.judgement.routing import topic_of
from bot.judgement.seniority import strongest
from storage import queries
from storage.db import session_scope
from storage.queries import ConversationRow

# Rows judged per transaction: 20,000 came within 3 MB of the 300 MB bar on a million messages.
CHUNK = 15_000
CONTEXT = 2_000  # earlier turns kept as context so replies across a chunk edge still link
LOOKBACK = timedelta(days=3)
# A message can change the judgement of later ones for as long as a request stays open.
LOOKAHEAD = timedelta(days=3)


def reanalyze(
    *, engine: Engine, community_id: int, since: datetime, until: datetime | None = None
) -> int:
    """Recompute answers and levels for messages from `since` on; returns how many were judged.

    With `until`, only the window the messages in [since, until] can affect is judged again
    (what an import that added them touched); members' stored levels then count as evidence,
    since the rest of the conversation is not read again.
    Works in chunks, each in its own short transaction, so live traffic is never blocked long.
    """
    end = until + LOOKAHEAD if until is not None else None
    with session_scope(engine) as session:
        levels = _LevelBook(session, community_id, keep_stored=until is not None)
    tail: list[ConversationRow] = []
    after: tuple[datetime, int] | None = None
    judged = 0
    while True:
        with session_scope(engine) as session, _cycle_collection_paused():
            rows = queries.conversation_rows(
                session=session,
                community_id=community_id,
                since=since - LOOKBACK,
                after=after,
                limit=CHUNK,
                until=end,
            )
            if not rows:
                break
            window = [*tail, *rows]
            written = _judge_chunk(session, window, len(tail), levels)
            judged += len(rows)
            tail = _as_stored(window[-CONTEXT:], written)
            after = (rows[-1].sent_at, rows[-1].id)
            # Freed before the collector runs again, so it has only the tail left to scan.
            del window, rows
    with session_scope(engine) as session:
        levels.store(session)
    return judged


def _judge_chunk(
    session: Session, window: Sequence[ConversationRow], context: int, levels: _LevelBook
) -> dict[int, dict[str, Any]]:
    """Judge window[context:] (the earlier rows are context only) and store what changed, and
    what the chunk adds to the threads of requests among the context rows; returns the values
    written, by message id."""
    turns = to_turns(window)
    kinds = [Kind(r.kind) for r in window]
    book = CueBook()
    # Kinds are settled only past the context, so the second read can start where it ends.
    facts = infer_answers(turns, kinds, book=book, keep_at=context or None)
    settled = {
        i: change
        for i, change in settle_kinds(turns, kinds, facts).items()
        if i >= context and window[i].kind_source != "moderator"
    }
    if settled:
        kinds = [settled[i][0] if i in settled else k for i, k in enumerate(kinds)]
        facts = infer_answers(turns, kinds, book=book)
    levels.observe(turns[context:], kinds[context:])
    # A request just before the chunk's edge is answered in this chunk ("sorry, saw this only
    # now – …"): its thread outcome was stored before the answer was read.
    updates = [
        values
        for i in range(context)
        if (values := _thread_carried_over(window, i, facts[i], context)) is not None
    ]
    for i in range(context, len(window)):
        if not window[i].text:  # text erased by retention: what was judged stands
            continue
        values = _update(window, i, facts[i], kinds[i], settled.get(i))
        if _changes(window[i], values):
            updates.append(values)
    queries.update_messages(session=session, updates=updates)
    return {values["id"]: values for values in updates}


_HELP_REQUEST = Kind.HELP_REQUEST.value


def _thread_carried_over(
    window: Sequence[ConversationRow], i: int, fact: TurnFacts, context: int
) -> dict[str, Any] | None:
    """For a stored request among the context rows, the answer or the activity this chunk brings
    to its thread (from messages past the context, whose links this chunk stores); None when it
    brings nothing new. What the earlier chunk stored is never taken back."""
    row = window[i]
    if row.kind != _HELP_REQUEST or fact.answered is None or not row.text:
        return None
    values: dict[str, Any] = {}
    first = fact.first_answer_index
    if fact.answered and not row.answered and first is not None and first >= context:
        values |= {
            "answered": True,
            "first_answer_id": window[first].id,
            "first_response_minutes": fact.first_response_minutes,
        }
    if fact.resolved and not row.resolved and (fact.resolved_index or 0) >= context:
        values |= {"resolved": True, "answered": True}
    latest = fact.latest_activity_index
    if latest is not None and latest >= context:
        moved = window[latest].sent_at
        if row.latest_activity_at is None or moved > row.latest_activity_at:
            values["latest_activity_at"] = moved
    return {"id": row.id, **values} if values else None


def _as_stored(
    rows: Sequence[ConversationRow], written: dict[int, dict[str, Any]]
) -> list[ConversationRow]:
    """The rows as just stored: the next chunk reads them as context with the kinds and thread
    outcomes this chunk settled, not as they were before it."""
    return [
        row._replace(**{k: v for k, v in written[row.id].items() if k != "id"})
        if row.id in written
        else row
        for row in rows
    ]


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a chunk is judged. The pass keeps tens of
    thousands of objects alive and makes no reference cycles, so collections during it only
    re-scan live objects (a quarter of its CPU time); refcounting still frees everything.
    The pause is process-wide but lasts one chunk (seconds); a collector that was already
    off stays off, so overlapping reanalyses leave it as they found it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def to_turns(rows: Sequence[ConversationRow]) -> list[Turn]:
    """Turns for the judgement modules; structural replies come from the platform's own keys."""
    index_of = {r.source_key: i for i, r in enumerate(rows)}
    media, deleted = Marker.MEDIA.value, Marker.DELETED.value  # enum look-ups, once
    turns = []
    for i, r in enumerate(rows):
        target = r.reply_to_source_key or (r.thread_key if r.thread_key != r.source_key else None)
        turns.append(
            Turn(
                index=i,
                sent_at=r.sent_at,
                author=r.display_name,
                text=r.text,
                system=r.system,
                is_bot=r.is_bot,
                reply_to=index_of.get(target) if target else None,
                media=r.marker == media,
                deleted=r.marker == deleted,
            )
        )
    return turns


def _update(
    window: Sequence[ConversationRow],
    i: int,
    fact: TurnFacts,
    kind: Kind,
    settled: tuple[Kind, str] | None,
) -> dict[str, Any]:
    row = window[i]
    target = window[fact.reply_to_index].id if fact.reply_to_index is not None else None
    values: dict[str, Any] = {"id": row.id, "reply_to_id": target, "substantive": fact.substantive}
    if settled:
        values |= {
            "kind": kind.value,
            "kind_reason": settled[1][:300],
            "role_level": None,
            "answered": None,
            "resolved": None,
            "first_answer_id": None,
            "first_response_minutes": None,
            "topic": None,
        }
    if kind is Kind.HELP_REQUEST:
        first = fact.first_answer_index
        values |= {
            "answered": bool(fact.answered) or bool(row.resolved),
            "resolved": bool(fact.resolved) or bool(row.resolved),
            "first_answer_id": window[first].id if first is not None else None,
            "first_response_minutes": fact.first_response_minutes,
            "topic": topic_of(row.text),
            "latest_activity_at": _latest_activity(window, i, fact),
        }
    return values


def _latest_activity(window: Sequence[ConversationRow], i: int, fact: TurnFacts) -> datetime | None:
    """When the request's thread last moved (its newest folded or linked message); None when
    nothing came after it, as for a live request nobody has replied to."""
    latest = fact.latest_activity_index
    moved: datetime | None = window[latest].sent_at if latest is not None and latest > i else None
    return moved


def _changes(row: ConversationRow, values: dict[str, Any]) -> bool:
    """Whether storing `values` would change the row (most messages are judged as before)."""
    return any(getattr(row, column) != value for column, value in values.items())


class _LevelBook:
    """Collects level evidence per member across chunks, strongest first (LABELS.md)."""

    def __init__(self, session: Session, community_id: int, *, keep_stored: bool = False) -> None:
        self.community_id = community_id
        members = queries.members_of(session=session, community_id=community_id)
        self.ids_by_name: dict[str, list[int]] = {}
        self.evidence: dict[int, list[LevelEvidence]] = {}
        for member in members:
            assert member.id is not None
            self.ids_by_name.setdefault(member.display_name, []).append(member.id)
            if keep_stored and member.level != Level.UNKNOWN.value:
                stored = LevelEvidence(
                    Level(member.level), LevelSource(member.level_source), member.level_reason
                )
                self.evidence[member.id] = [stored]
        self.titles = {m.display_name: m.title for m in members if m.title}
        for member_id, level, source in queries.level_tags(
            session=session, community_id=community_id
        ):
            reason = (
                "moderator tag" if source == LevelSource.MODERATOR_TAG.value else "own statement"
            )
            self.evidence.setdefault(member_id, []).append(
                LevelEvidence(Level(level), LevelSource(source), reason)
            )

    def observe(self, turns: Sequence[Turn], kinds: Sequence[Kind]) -> None:
        """Take the level evidence a chunk of the conversation gives about its authors."""
        for name, evidence in resolve_levels(turns, kinds, titles=self.titles).items():
            if evidence.level is Level.UNKNOWN:
                continue
            for member_id in self.ids_by_name.get(name, []):
                self.evidence.setdefault(member_id, []).append(evidence)

    def store(self, session: Session) -> None:
        """Write each member's strongest evidence, and copy levels onto their messages."""
        for member_id, evidence in self.evidence.items():
            best = strongest(evidence)
            queries.set_member_level(
                session=session,
                member_id=member_id,
                level=best.level.value,
                source=best.source.value,
                reason=best.reason,
            )
        queries.sync_author_levels(session=session, community_id=self.community_id)
