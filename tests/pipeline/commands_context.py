"""Run `/lift` commands against a real database the way both platforms do."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.config import Settings
from handlers.commands import Actor, CommandContext, parse, run


class NoDirectory:
    """A platform that resolves no mentions or links (commands then use `#id` references)."""

    def member_key(self, mention: str) -> str | None:
        return mention.removeprefix("@") or None

    def message_key(self, reference: str) -> str | None:
        return None


def lift(
    session: Session,
    community_id: int,
    text: str,
    *,
    now: datetime,
    actor: Actor | None = None,
    settings: Settings | None = None,
) -> str:
    """The reply to `/lift <text>` from `actor` (by default a member who is no moderator)."""
    context = CommandContext(
        session=session,
        community_id=community_id,
        actor=actor or Actor(key="k-member", name="Member", is_moderator=False),
        directory=NoDirectory(),
        now=now,
        zone=ZoneInfo("Asia/Kolkata"),
        settings=settings,
    )
    return run(parse(text), context)
