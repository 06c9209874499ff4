"""The weekly imbalance report: built once from SQL aggregates, rendered by bot/render.py."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.config import Settings
from bot.domain import HelperSuggestion, Kind, Level
from bot.judgement.routing import shown_name
from bot.reports.weeks import IsoWeek
from storage import queries
from storage.tables import Community

log = logging.getLogger(__name__)

HelperSuggester = Callable[[Session, int], Sequence[HelperSuggestion]]
"""Who could answer the help request with this message id (routing, adapted by the caller)."""

LEVEL_ORDER: tuple[str, ...] = (*(lvl.value for lvl in Level.known()), Level.UNKNOWN.value)
KIND_ORDER: tuple[str, ...] = tuple(kind.value for kind in Kind)
MAX_UNANSWERED = 20
MAX_SUGGESTIONS = 3
MAX_CONNECTORS = 10
MAX_BROADCASTERS = 5
EXCERPT_CHARS = 160


class ReportError(LookupError):
    """The report cannot be built as asked (e.g. an unknown community)."""


@dataclass(frozen=True, slots=True)
class Share:
    """A count and its share of a whole, in percent (0 when the whole is empty)."""

    key: str
    count: int
    percent: float


@dataclass(frozen=True, slots=True)
class LevelHelp:
    """How help requests of askers at one level fared."""

    level: str
    asked: int
    answered: int
    resolved: int
    median_minutes: float | None
    p90_minutes: float | None

    @property
    def answered_pct(self) -> float | None:
        """Share answered, in percent; None without requests."""
        return 100.0 * self.answered / self.asked if self.asked else None

    @property
    def resolved_pct(self) -> float | None:
        """Share resolved, in percent; None without requests."""
        return 100.0 * self.resolved / self.asked if self.asked else None


@dataclass(frozen=True, slots=True)
class OpenRequest:
    """A help request nobody has answered yet."""

    message_id: int
    asker: str
    level: str
    sent_at: datetime
    age_hours: float
    permalink: str | None
    reference: str  # "2026-11-18 10:42 · Meera", for platforms without links
    excerpt: str
    helpers: tuple[HelperSuggestion, ...]


@dataclass(frozen=True, slots=True)
class Contributor:
    """A member's week: substantive help given next to what they broadcast."""

    name: str
    level: str
    helped: int
    gyaan: int
    job_posts: int


@dataclass(frozen=True, slots=True)
class Headline:
    """A headline number with last week's value."""

    key: str
    label: str
    value: float | None
    previous: float | None
    unit: str  # "", "%" or "min"

    @property
    def change(self) -> float | None:
        """This week minus last week; None when either is missing."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True, slots=True)
class WeeklyReport:
    """Everything a weekly report says, ready for any renderer."""

    community: str
    timezone: str
    week: IsoWeek
    start: datetime
    end: datetime
    as_of: datetime
    unanswered_after_hours: int
    member_messages: int
    mix: tuple[Share, ...]
    job_levels: tuple[Share, ...]
    member_levels: tuple[Share, ...]
    help_by_level: tuple[LevelHelp, ...]
    help_overall: LevelHelp
    unanswered: tuple[OpenRequest, ...]
    unanswered_total: int
    connectors: tuple[Contributor, ...]
    broadcasters: tuple[Contributor, ...]
    headlines: tuple[Headline, ...]
    findings: tuple[str, ...]

    @property
    def title(self) -> str:
        """`HR Leaders Circle · week 2026-W47`."""
        return f"{self.community} · week {self.week.label}"

    @property
    def is_empty(self) -> bool:
        """True when members wrote nothing this week."""
        return self.member_messages == 0


@dataclass(frozen=True, slots=True)
class _Window:
    session: Session
    community_id: int
    start: datetime
    end: datetime

    def args(self) -> dict[str, Any]:
        return {
            "session": self.session,
            "community_id": self.community_id,
            "start": self.start,
            "end": self.end,
        }


def build_weekly_report(
    session: Session,
    community_id: int,
    week: IsoWeek,
    settings: Settings,
    *,
    suggest: HelperSuggester | None = None,
    now: datetime | None = None,
) -> WeeklyReport:
    """Aggregate one ISO week (in the community's zone) into a WeeklyReport.

    `now` dates the unanswered list (default: the end of the week, so a rebuild is identical).
    """
    community = session.get(Community, community_id)
    if community is None:
        raise ReportError(f"no community with id {community_id}")
    zone = ZoneInfo(community.timezone or settings.timezone)
    start, end = week.bounds(zone)
    as_of = end if now is None else now
    window = _Window(session, community_id, start, end)
    kinds = queries.kind_counts(**window.args())
    help_by_level = _help_by_level(window)
    overall = _help_overall(window, help_by_level)
    unanswered, total_open = _unanswered(window, as_of, zone, settings, suggest)
    connectors, broadcasters = _contributors(window)
    member_levels = _shares(queries.member_level_counts(session=session, community_id=community_id))
    job_levels = _shares(queries.role_level_counts(**window.args()), LEVEL_ORDER)
    mix = _shares(kinds, KIND_ORDER)
    previous = _previous_headlines(session, community_id, week, zone)
    headlines = _headlines(kinds, overall, total_open, previous)
    return WeeklyReport(
        community=community.name,
        timezone=zone.key,
        week=week,
        start=start,
        end=end,
        as_of=as_of,
        unanswered_after_hours=settings.unanswered_after_hours,
        member_messages=sum(kinds.values()),
        mix=mix,
        job_levels=job_levels,
        member_levels=member_levels,
        help_by_level=help_by_level,
        help_overall=overall,
        unanswered=unanswered,
        unanswered_total=total_open,
        connectors=connectors,
        broadcasters=broadcasters,
        headlines=headlines,
        findings=_findings(mix, job_levels, member_levels, overall, total_open, settings),
    )


def _shares(counts: Mapping[str, int], order: Sequence[str] = LEVEL_ORDER) -> tuple[Share, ...]:
    total = sum(counts.values())
    keys = [k for k in order] + sorted(k for k in counts if k not in order)
    return tuple(
        Share(key, counts.get(key, 0), 100.0 * counts.get(key, 0) / total if total else 0.0)
        for key in keys
        if key in order or counts.get(key)
    )


def _help_by_level(window: _Window) -> tuple[LevelHelp, ...]:
    counts = queries.help_counts_by_level(**window.args())
    times = queries.response_percentiles(**window.args(), by_level=True)
    return tuple(
        _level_help(level, counts.get(level, (0, 0, 0)), times.get(level))
        for level in [*LEVEL_ORDER, *sorted(set(counts) - set(LEVEL_ORDER))]
    )


def _help_overall(window: _Window, levels: Sequence[LevelHelp]) -> LevelHelp:
    totals = (
        sum(x.asked for x in levels),
        sum(x.answered for x in levels),
        sum(x.resolved for x in levels),
    )
    times = queries.response_percentiles(**window.args(), by_level=False)
    return _level_help("all", totals, times.get("all"))


def _level_help(
    level: str, counts: tuple[int, int, int], times: tuple[float, float] | None
) -> LevelHelp:
    asked, answered, resolved = counts
    median, p90 = times if times else (None, None)
    return LevelHelp(level, asked, answered, resolved, median, p90)


def _unanswered(
    window: _Window,
    as_of: datetime,
    zone: ZoneInfo,
    settings: Settings,
    suggest: HelperSuggester | None,
) -> tuple[tuple[OpenRequest, ...], int]:
    cutoff = min(window.end, as_of - timedelta(hours=settings.unanswered_after_hours))
    if cutoff <= window.start:
        return (), 0
    scope = {**window.args(), "end": cutoff}
    total = queries.count_open_requests(**scope)
    rows = queries.open_requests(**scope, limit=MAX_UNANSWERED) if total else []
    requests = tuple(
        OpenRequest(
            message_id=int(row.id),
            asker=row.display_name or "someone",
            level=str(row.author_level),
            sent_at=row.sent_at,
            age_hours=(as_of - row.sent_at).total_seconds() / 3600,
            permalink=row.permalink,
            reference=message_reference(row.sent_at, row.display_name, zone),
            excerpt=excerpt(row.text),
            helpers=_suggestions(window.session, int(row.id), row.display_name, suggest),
        )
        for row in rows
    )
    return requests, total


def message_reference(sent_at: datetime, author: str | None, zone: ZoneInfo) -> str:
    """`2026-11-18 10:42 · Meera`: how to find a message where there are no links."""
    return f"{sent_at.astimezone(zone):%Y-%m-%d %H:%M} · {author or 'someone'}"


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The text on one line, cut at a word boundary with an ellipsis when long."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] or flat[: limit - 1]
    return cut + "…"


def _suggestions(
    session: Session, message_id: int, asker: str | None, suggest: HelperSuggester | None
) -> tuple[HelperSuggestion, ...]:
    if suggest is None:
        return ()
    try:
        found = [
            replace(s, name=shown_name(s.name))
            for s in suggest(session, message_id)
            if s.name != asker
        ]
        return tuple(found[:MAX_SUGGESTIONS])
    except Exception:
        # A routing bug must not cost the community its report; the log keeps the evidence.
        log.exception("helper suggestions failed for message %s", message_id)
        return ()


def _contributors(window: _Window) -> tuple[tuple[Contributor, ...], tuple[Contributor, ...]]:
    helped = queries.help_given_by_member(**window.args())
    posted = queries.broadcasts_by_member(**window.args())
    top_helpers = sorted(helped, key=lambda m: (-helped[m], m))[:MAX_CONNECTORS]
    loudest = sorted(
        (m for m in posted if m not in helped),
        key=lambda m: (-sum(posted[m].values()), m),
    )[:MAX_BROADCASTERS]
    names = queries.member_names(session=window.session, ids=[*top_helpers, *loudest])

    def person(member_id: int) -> Contributor:
        name, level = names.get(member_id, ("someone", "unknown"))
        counts = posted.get(member_id, {})
        return Contributor(
            name, level, helped.get(member_id, 0), counts.get("gyaan", 0), counts.get("job_post", 0)
        )

    return tuple(map(person, top_helpers)), tuple(map(person, loudest))


def _previous_headlines(
    session: Session, community_id: int, week: IsoWeek, zone: ZoneInfo
) -> dict[str, float | None]:
    start, end = week.previous().bounds(zone)
    window = _Window(session, community_id, start, end)
    kinds = queries.kind_counts(**window.args())
    overall = _help_overall(window, _help_by_level(window))
    total_open = queries.count_open_requests(**window.args())
    return _headline_values(kinds, overall, total_open)


def _headline_values(
    kinds: Mapping[str, int], overall: LevelHelp, total_open: int
) -> dict[str, float | None]:
    total = sum(kinds.values())
    broadcast = kinds.get("job_post", 0) + kinds.get("gyaan", 0)
    return {
        "messages": float(total),
        "help_requests": float(overall.asked),
        "answered_pct": overall.answered_pct,
        "median_first_response": overall.median_minutes,
        "broadcast_pct": 100.0 * broadcast / total if total else None,
        "unanswered": float(total_open),
    }


HEADLINE_LABELS = {
    "messages": ("Member messages", ""),
    "help_requests": ("Help requests", ""),
    "answered_pct": ("Requests answered", "%"),
    "median_first_response": ("Median first response", "min"),
    "broadcast_pct": ("Job posts + gyaan share", "%"),
    "unanswered": ("Still unanswered", ""),
}


def _headlines(
    kinds: Mapping[str, int],
    overall: LevelHelp,
    total_open: int,
    previous: Mapping[str, float | None],
) -> tuple[Headline, ...]:
    now = _headline_values(kinds, overall, total_open)
    return tuple(
        Headline(key, label, now[key], previous.get(key), unit)
        for key, (label, unit) in HEADLINE_LABELS.items()
    )


def _findings(
    mix: Sequence[Share],
    job_levels: Sequence[Share],
    member_levels: Sequence[Share],
    overall: LevelHelp,
    total_open: int,
    settings: Settings,
) -> tuple[str, ...]:
    by_kind = {s.key: s for s in mix}
    if not sum(s.count for s in mix):
        return ("Members wrote nothing this week.",)
    broadcast = by_kind["job_post"].percent + by_kind["gyaan"].percent
    lines = [
        f"Job posts and gyaan were {broadcast:.0f}% of member messages; "
        f"help requests {by_kind['help_request'].percent:.0f}%."
    ]
    imbalance = _imbalance_sentence(job_levels, member_levels)
    if imbalance:
        lines.append(imbalance)
    if overall.asked:
        lines.append(
            f"{overall.asked} help requests: {overall.answered_pct:.0f}% answered, "
            f"{overall.resolved_pct:.0f}% resolved, median first response "
            f"{format_minutes(overall.median_minutes)}."
        )
    else:
        lines.append("Nobody asked for help this week.")
    if total_open:
        lines.append(
            f"{total_open} requests still unanswered after {settings.unanswered_after_hours} h."
        )
    return tuple(lines)


def _imbalance_sentence(job_levels: Sequence[Share], member_levels: Sequence[Share]) -> str | None:
    known_jobs = [s for s in job_levels if s.key != Level.UNKNOWN and s.count]
    job_total = sum(s.count for s in job_levels)
    known_members = sum(s.count for s in member_levels if s.key != Level.UNKNOWN)
    if not known_jobs or not known_members:
        return None
    top = max(known_jobs, key=lambda s: s.count)
    upper = sum(s.count for s in member_levels if s.key in (Level.SENIOR, Level.EXECUTIVE))
    unknown = sum(s.count for s in member_levels if s.key == Level.UNKNOWN)
    qualifier = " with a known level" if unknown else ""
    return (
        f"{100 * top.count / job_total:.0f}% of job posts were {top.key} roles; "
        f"{100 * upper / known_members:.0f}% of members{qualifier} are senior or executive."
    )


def format_minutes(minutes: float | None) -> str:
    """`45 min`, `3.2 h`, `2.1 d`; an em dash when unknown."""
    if minutes is None:
        return "—"
    if minutes < 90:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} h"
    return f"{minutes / 1440:.1f} d"
