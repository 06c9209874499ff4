"""Small builders that put members and messages straight into the tables for report tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from storage.tables import Community, Member, Message


@dataclass
class Chat:
    """One community under construction: `chat.member(...)`, `chat.post(...)`, `chat.reply(...)`."""

    session: Session
    community_id: int
    zone: ZoneInfo
    _keys: itertools.count[int] = field(default_factory=itertools.count)

    def at(self, local: str) -> datetime:
        """'2026-11-18 10:42' on the community's clock, as aware UTC."""
        return datetime.fromisoformat(local).replace(tzinfo=self.zone).astimezone(UTC)

    def member(self, name: str, level: str = "unknown", *, is_bot: bool = False) -> int:
        """Add a member; returns the id."""
        row = Member(community_id=self.community_id, key=f"k-{name}-{next(self._keys)}",
                     display_name=name, level=level, is_bot=is_bot)  # fmt: skip
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        return row.id

    def post(self, author: int | None, when: str | datetime, kind: str = "other",
             text: str = "hello", **fields: Any) -> int:  # fmt: skip
        """Add a message by `author` at local time `when`; extra columns as keywords."""
        sent_at = self.at(when) if isinstance(when, str) else when
        level = fields.pop("author_level", None)
        if level is None and author is not None:
            member = self.session.get(Member, author)
            level = member.level if member else "unknown"
        row = Message(community_id=self.community_id, platform="slack",
                      source_key=f"m{next(self._keys)}", member_id=author, sent_at=sent_at,
                      text=text, kind=kind, author_level=level or "unknown", **fields)  # fmt: skip
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        return row.id

    def ask(self, author: int, when: str, text: str = "Can anyone help?", **fields: Any) -> int:
        """A help request."""
        return self.post(author, when, "help_request", text, **fields)

    def reply(self, request: int, author: int, when: str, *, substantive: bool = True,
              text: str = "Here is how we did it") -> int:  # fmt: skip
        """A reply to `request`; a substantive one marks the request answered."""
        reply_id = self.post(author, when, "other", text, reply_to_id=request,
                             substantive=substantive)  # fmt: skip
        asked = self.session.get(Message, request)
        assert asked is not None
        if substantive and not asked.answered:
            replied = self.session.get(Message, reply_id)
            assert replied is not None
            asked.answered = True
            asked.first_answer_id = reply_id
            asked.first_response_minutes = (replied.sent_at - asked.sent_at).total_seconds() / 60
            self.session.add(asked)
            self.session.flush()
        return reply_id

    def resolve(self, request: int) -> None:
        """Mark a help request resolved (the asker's ✅ or a moderator)."""
        asked = self.session.get(Message, request)
        assert asked is not None
        asked.resolved = True
        self.session.add(asked)
        self.session.flush()


def make_chat(session: Session, name: str = "HR Leaders Circle",
              timezone: str = "Asia/Kolkata") -> Chat:  # fmt: skip
    """A new community to fill."""
    community = Community(name=name, platform="slack", timezone=timezone)
    session.add(community)
    session.flush()
    assert community.id is not None
    return Chat(session, community.id, ZoneInfo(timezone))
