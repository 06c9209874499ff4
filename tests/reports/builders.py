"""Small builders that put members and messages straight into the tables for report tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.domain import HelperSuggestion
from bot.reports.contents import (
    Contributor,
    Headline,
    LevelHelp,
    OpenRequest,
    Share,
    WeeklyReport,
)
from bot.reports.weeks import IsoWeek
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


def make_chat(
    session: Session,
    name: str = "HR Leaders Circle",
    timezone: str = "Asia/Kolkata",
    platform: str = "slack",
) -> Chat:
    """A new community to fill."""
    community = Community(name=name, platform=platform, timezone=timezone)
    session.add(community)
    session.flush()
    assert community.id is not None
    return Chat(session, community.id, ZoneInfo(timezone))


def sample_report(**changes: Any) -> WeeklyReport:
    """A built report for renderer tests, with any field replaced."""
    start = datetime(2026, 11, 15, 18, 30, tzinfo=UTC)
    helpers = (HelperSuggestion("Priya", 0.9, "answered 3 POSH questions"),
               HelperSuggestion("Kavita", 0.5, "senior peer"))  # fmt: skip
    report = WeeklyReport(
        community="HR Leaders Circle",
        timezone="Asia/Kolkata",
        week=IsoWeek(2026, 47),
        start=start,
        end=start + timedelta(days=7),
        as_of=start + timedelta(days=7),
        unanswered_after_hours=24,
        member_messages=120,
        mix=(
            Share("job_post", 42, 35.0),
            Share("help_request", 18, 15.0),
            Share("gyaan", 30, 25.0),
            Share("other", 30, 25.0),
        ),
        job_levels=(
            Share("junior", 30, 71.4),
            Share("mid", 8, 19.0),
            Share("senior", 4, 9.5),
            Share("executive", 0, 0.0),
            Share("unknown", 0, 0.0),
        ),
        member_levels=(
            Share("junior", 20, 40.0),
            Share("mid", 11, 22.0),
            Share("senior", 12, 24.0),
            Share("executive", 7, 14.0),
            Share("unknown", 0, 0.0),
        ),
        help_by_level=(
            LevelHelp("junior", 10, 4, 2, 300.0, 1500.0),
            LevelHelp("mid", 5, 4, 3, 45.0, 120.0),
            LevelHelp("senior", 3, 3, 2, 12.0, 30.0),
            LevelHelp("executive", 0, 0, 0, None, None),
            LevelHelp("unknown", 0, 0, 0, None, None),
        ),
        help_overall=LevelHelp("all", 18, 11, 7, 60.0, 900.0),
        unanswered=(
            OpenRequest(
                11,
                "Meera",
                "junior",
                start + timedelta(days=2),
                101.0,
                "https://hr.slack.com/archives/C1/p1700000000",
                "2026-11-18 10:42 · Meera",
                "Any POSH trainer in Pune?",
                helpers,
                age_days=4,
                when="Wed\u00a018\u00a0Nov\u00a010:42",
                text="Any POSH trainer in Pune?",
                topic="POSH",
                action="Tag Priya: answered 3 POSH questions",
                nudge="Meera asked on Wed 18 Nov 10:42: “Any POSH trainer in Pune?” @Priya and "
                "@Kavita, could you share what worked for you?",
            ),
            OpenRequest(
                12,
                "Sam <!channel>",
                "unknown",
                start + timedelta(days=3),
                80.0,
                None,
                "2026-11-19 09:00 · Sam",
                "hi <!channel> & <@U123> \u202eevil",
                (),
                age_days=3,
                when="Thu\u00a019\u00a0Nov\u00a009:00",
                text="hi <!channel> & <@U123> \u202eevil",
                action="No obvious helper — ask the group",
                nudge="Sam asked on Thu 19 Nov 09:00: “hi <!channel> & <@U123> evil” Can anyone "
                "here help?",
            ),
        ),
        unanswered_total=2,
        connectors=(Contributor("Priya", "senior", 6, 0, 1), Contributor("Arjun", "mid", 2, 1, 0)),
        broadcasters=(Contributor("Ravi", "senior", 0, 12, 20),),
        headlines=(
            Headline(
                "messages",
                "Member messages",
                120.0,
                100.0,
                "",
                history=(90.0, 95.0, 100.0, 120.0),
                better="up",
            ),
            Headline(
                "answered_pct",
                "Requests answered",
                61.1,
                70.0,
                "%",
                history=(50.0, 65.0, 70.0, 61.1),
                better="up",
                sample=18,
            ),
            Headline(
                "median_first_response",
                "Median first response",
                60.0,
                None,
                "min",
                history=(None, None, None, 60.0),
                better="down",
                sample=18,
            ),
            Headline(
                "unanswered",
                "Still unanswered",
                2.0,
                1.0,
                "",
                history=(0.0, 3.0, 1.0, 2.0),
                better="down",
            ),
        ),
        findings=(
            "Job posts and gyaan were 60% of member messages; help requests 15%.",
            "71% of job posts were junior roles; 38% of members are senior or executive.",
            "18 help requests, 11 (61%) answered, median first response 60 min.",
        ),
        gap="Seniors: 3 of 3 answered, median 12 min; mid-level members: 4 of 5 answered, "
        "median 45 min; juniors: 4 of 10 answered, median 5.0 h.",
        resolution_tracked=True,
        trend_weeks=("2026-W44", "2026-W45", "2026-W46", "2026-W47"),
    )
    return replace(report, **changes)
