"""Re-judge a community's stored conversation: reply links, answers, levels (in bounded chunks)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row
from sqlmodel import Session

from bot.answers import infer_answers
from bot.classify import Classifier
from bot.domain import Kind, Level, LevelEvidence, LevelSource, Marker, Turn, TurnFacts
from bot.routing import topic_of
from bot.seniority import level_of_title, moderator_statement, statement_level, strongest
from storage import queries

CHUNK = 20_000
CONTEXT = 2_000  # earlier turns kept as context so replies across a chunk edge still link
LOOKBACK = timedelta(days=3)


def reanalyse(
    *, session: Session, community_id: int, since: datetime, classifier: Classifier
) -> int:
    """Recompute answers and levels for messages from `since` on; returns how many were judged."""
    levels = _LevelBook(session, community_id)
    tail: list[Row[Any]] = []
    after: tuple[datetime, int] | None = None
    judged = 0
    while rows := queries.conversation_rows(
        session=session, community_id=community_id, since=since - LOOKBACK, after=after, limit=CHUNK
    ):
        window = [*tail, *rows]
        turns = to_turns(window)
        kinds = [Kind(r.kind) for r in window]
        facts = infer_answers(turns, kinds)
        for row in rows:
            levels.observe(row)
        updates = [_update(window, i, facts[i], kinds[i]) for i in range(len(tail), len(window))]
        queries.update_messages(session=session, updates=updates)
        judged += len(rows)
        tail = window[-CONTEXT:]
        after = (rows[-1].sent_at, rows[-1].id)
    levels.store()
    return judged


def to_turns(rows: Sequence[Row[Any]]) -> list[Turn]:
    """Turns for the judgement modules; structural replies come from the platform's own keys."""
    index_of = {r.source_key: i for i, r in enumerate(rows)}
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
                media=r.marker == Marker.MEDIA.value,
                deleted=r.marker == Marker.DELETED.value,
            )
        )
    return turns


def _update(window: Sequence[Row[Any]], i: int, fact: TurnFacts, kind: Kind) -> dict[str, Any]:
    row = window[i]
    values: dict[str, Any] = {
        "id": row.id,
        "reply_to_id": window[fact.reply_to_index].id if fact.reply_to_index is not None else None,
        "substantive": fact.substantive,
    }
    if kind is Kind.HELP_REQUEST:
        first = fact.first_answer_index
        values |= {
            "answered": bool(fact.answered) or bool(row.resolved),
            "resolved": bool(fact.resolved) or bool(row.resolved),
            "first_answer_id": window[first].id if first is not None else None,
            "first_response_minutes": fact.first_response_minutes,
            "topic": topic_of(row.text),
        }
    return values


class _LevelBook:
    """Collects level evidence per member across chunks, strongest first (LABELS.md)."""

    def __init__(self, session: Session, community_id: int) -> None:
        self.session, self.community_id = session, community_id
        self.members = {
            m.id: m for m in queries.members_of(session=session, community_id=community_id)
        }
        self.by_name = {m.display_name: m.id for m in self.members.values()}
        self.evidence: dict[int, list[LevelEvidence]] = {}
        for member_id, level, source in queries.level_tags(
            session=session, community_id=community_id
        ):
            reason = (
                "moderator tag" if source == LevelSource.MODERATOR_TAG.value else "own statement"
            )
            self._add(member_id, LevelEvidence(Level(level), LevelSource(source), reason))
        for member in self.members.values():
            assert member.id is not None
            for text in (member.display_name, member.title or ""):
                found = level_of_title(text) if text else None
                if found is not None and found.level is not Level.UNKNOWN:
                    self._add(member.id, found)

    def _add(self, member_id: int, evidence: LevelEvidence) -> None:
        self.evidence.setdefault(member_id, []).append(evidence)

    def observe(self, row: Row[Any]) -> None:
        """Take level evidence from one message: own statements, and welcomes naming members."""
        if row.member_id is None or row.system or row.is_bot:
            return
        found = statement_level(row.text)
        if found is not None:
            self._add(row.member_id, found)
        if "welcome" in row.text.lower() or "introduc" in row.text.lower():
            for name, evidence in moderator_statement(row.text, self.by_name).items():
                member_id = self.by_name.get(name)
                if member_id is not None and member_id != row.member_id:
                    self._add(member_id, evidence)

    def store(self) -> None:
        """Write each member's strongest evidence."""
        for member_id, evidence in self.evidence.items():
            best = strongest(evidence)
            if best.level is not Level.UNKNOWN:
                queries.set_member_level(
                    session=self.session,
                    member_id=member_id,
                    level=best.level.value,
                    source=best.source.value,
                    reason=best.reason,
                )
        queries.sync_author_levels(session=self.session, community_id=self.community_id)
