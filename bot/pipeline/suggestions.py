"""Who could help with a stored request: routing over what the community said before it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.domain import HelperSuggestion, Kind, Level, Turn, TurnFacts
from bot.judgement.conversation import suggest_all
from bot.judgement.routing import rank_helpers
from bot.pipeline.reanalysis import to_turns
from storage import queries
from storage.queries import ConversationRow
from storage.tables import Message

LOOKBACK = timedelta(days=90)
MAX_TURNS = 5_000  # enough history to know who helps with what, bounded for big groups


@dataclass(frozen=True)
class _History:
    """A stored conversation as routing reads it, with the community's levels and expertise."""

    turns: list[Turn]
    kinds: list[Kind]
    facts: list[TurnFacts]
    levels: dict[str, Level]
    expertise: dict[str, set[str]]
    present: list[str]  # names of members who have not left the group


def _history(session: Session, community_id: int, rows: Sequence[ConversationRow]) -> _History:
    index_of = {row.id: i for i, row in enumerate(rows)}
    # Stored links stand in for re-inferring the whole history on every report.
    facts = [
        TurnFacts(
            reply_to_index=index_of.get(row.reply_to_id) if row.reply_to_id else None,
            substantive=bool(row.substantive),
        )
        for row in rows
    ]
    members = queries.members_of(session=session, community_id=community_id)
    names = {m.id: m.display_name for m in members}
    topics = queries.expertise_of(session=session, community_id=community_id)
    return _History(
        turns=to_turns(rows),
        kinds=[Kind(row.kind) for row in rows],
        facts=facts,
        levels={m.display_name: Level(m.level) for m in members},
        expertise={names[i]: t for i, t in topics.items() if i in names},
        present=[m.display_name for m in members if m.departed_at is None],
    )


def suggest_for_message(
    session: Session,
    message_id: int,
    *,
    among: Collection[str] | None = None,
    limit: int = 3,
) -> list[HelperSuggestion]:
    """Members who could answer this stored request, best first, each with a reason
    (only members `among` those display names when given).

    The database-backed form of `bot.judgement.routing.rank_helpers`: the help desk, the clock
    and the weekly report should all call this (or `suggestions_for_community` for many).
    """
    request = session.get(Message, message_id)
    if request is None or request.kind != Kind.HELP_REQUEST.value:
        return []
    rows = queries.conversation_before(
        session=session, message=request, since=request.sent_at - LOOKBACK, limit=MAX_TURNS
    )
    if not rows or rows[-1].id != request.id:
        return []
    history = _history(session, request.community_id, rows)
    # Members who left the group are not suggested: nobody can tag or ask them there.
    present = history.present if among is None else [n for n in among if n in history.present]
    return rank_helpers(
        len(rows) - 1,
        history.turns,
        history.kinds,
        history.facts,
        levels=history.levels,
        expertise=history.expertise,
        among=present,
        limit=limit,
    )


def suggestions_for_community(session: Session, community_id: int) -> dict[int, list[str]]:
    """Suggested helper names for every stored help request of a community, in one pass.

    Each request only sees what was said before it, as in `liftbot analyze`.
    """
    rows: list[ConversationRow] = []
    after: tuple[datetime, int] | None = None
    while chunk := queries.conversation_rows(
        session=session, community_id=community_id, after=after, limit=20_000
    ):
        rows.extend(chunk)
        after = (chunk[-1].sent_at, chunk[-1].id)
    if not rows:
        return {}
    history = _history(session, community_id, rows)
    suggest_all(history.turns, history.kinds, history.facts, history.levels, history.expertise)
    return {
        row.id: [s.name for s in fact.suggested_helpers]
        for row, kind, fact in zip(rows, history.kinds, history.facts, strict=True)
        if kind is Kind.HELP_REQUEST
    }
