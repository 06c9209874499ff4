"""The weekly imbalance report: built once from SQL aggregates (contents.py says what it holds),
rendered by render.py and files.py."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.config import Settings
from bot.domain import HelperSuggestion, Platform
from bot.judgement.routing import shown_name
from bot.judgement.topics import topic_label, topic_of
from bot.pipeline.community_config import BusinessHours, config_for
from bot.reports.actions import (
    action_line,
    chase_order,
    gap_sentence,
    local_when,
    named_first,
    nudge_text,
)
from bot.reports.contents import (
    KIND_ORDER,
    LEVEL_ORDER,
    Contributor,
    LevelHelp,
    OpenRequest,
    Share,
    WeeklyReport,
)
from bot.reports.erased import erased_note
from bot.reports.headlines import TREND_WEEKS, headline_values, week_findings, week_headlines
from bot.reports.response_times import (
    ALL,
    business_percentiles,
    response_basis,
    response_note,
)
from bot.reports.weeks import IsoWeek
from storage import queries
from storage.tables import Community

log = logging.getLogger(__name__)

HelperSuggester = Callable[[Session, int], Sequence[HelperSuggestion]]
"""Who could answer the help request with this message id (routing, adapted by the caller)."""

MAX_UNANSWERED = 20
MAX_OPEN_SORTED = 500  # open requests read to find the most senior ones to list first
FULL_TEXT_CHARS = 2_000
RESOLUTION_LOOKBACK = timedelta(weeks=12)
MAX_SUGGESTIONS = 3
MAX_CONNECTORS = 10
MAX_BROADCASTERS = 5
EXCERPT_CHARS = 160


class ReportError(LookupError):
    """The report cannot be built as asked (e.g. an unknown community)."""


@dataclass(frozen=True, slots=True)
class _Window:
    session: Session
    community_id: int
    start: datetime
    end: datetime
    business: BusinessHours | None = None
    zone: ZoneInfo | None = None

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

    `now` dates the open requests (default: the end of the week, so a rebuild is identical); an
    exported group is seen only up to its newest message, so its requests age to that moment.
    """
    community = session.get(Community, community_id)
    if community is None:
        raise ReportError(f"no community with id {community_id}")
    config = config_for(session=session, community=community, settings=settings)
    zone, business = config.zone, config.business_hours
    start, end = week.bounds(zone)
    as_of = _as_of(session, community, end, now)
    window = _Window(session, community_id, start, end, business, zone)
    kinds = queries.kind_counts(**window.args())
    business_times = _business_times(window)
    help_by_level = _help_by_level(window, business_times)
    overall = _help_overall(window, help_by_level, business_times)
    unanswered, total_open = _unanswered(
        window, as_of, zone, config.unanswered_after_hours, suggest, erased_note(config)
    )
    connectors, broadcasters = _contributors(window)
    member_levels = _shares(queries.member_level_counts(session=session, community_id=community_id))
    job_levels = _shares(queries.role_level_counts(**window.args()), LEVEL_ORDER)
    mix = _shares(kinds, KIND_ORDER)
    earlier_weeks = _earlier_weeks(week)
    earlier = [_week_values(replace(window, start=w.bounds(zone)[0], end=w.bounds(zone)[1]))
               for w in earlier_weeks]  # fmt: skip
    headlines = week_headlines(kinds, overall, total_open, earlier, business=business is not None)
    tracked = _resolution_tracked(window, community)
    return WeeklyReport(
        community=community.name,
        timezone=zone.key,
        week=week,
        start=start,
        end=end,
        as_of=as_of,
        unanswered_after_hours=config.unanswered_after_hours,
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
        findings=week_findings(mix, job_levels, member_levels, overall, resolution_tracked=tracked),
        gap=gap_sentence(help_by_level),
        resolution_tracked=tracked,
        trend_weeks=(*(w.label for w in earlier_weeks), week.label),
        business_hours=business.describe() if business else None,
        response_time_basis=response_basis(business),
        response_time_note=response_note(business, zone.key),
    )


def _as_of(session: Session, community: Community, end: datetime, now: datetime | None) -> datetime:
    if now is None:
        return end
    if community.platform == Platform.WHATSAPP_EXPORT.value:
        assert community.id is not None
        latest = queries.latest_message_at(session=session, community_id=community.id)
        return min(now, latest) if latest is not None else now
    return now


def _earlier_weeks(week: IsoWeek) -> list[IsoWeek]:
    weeks = [week]
    for _ in range(TREND_WEEKS - 1):
        weeks.insert(0, weeks[0].previous())
    return weeks[:-1]


def _resolution_tracked(window: _Window, community: Community) -> bool:
    """Resolution means something where members mark it (a Slack ✅, `/lift resolved`) and
    someone has: an export carries no such marks, so it never shows "0% resolved"."""
    if community.platform == Platform.WHATSAPP_EXPORT.value:
        return False
    recent = {**window.args(), "start": window.end - RESOLUTION_LOOKBACK}
    counts = queries.help_counts_by_level(**recent)
    return any(resolved for _, _, resolved in counts.values())


def _shares(counts: Mapping[str, int], order: Sequence[str] = LEVEL_ORDER) -> tuple[Share, ...]:
    total = sum(counts.values())
    keys = [k for k in order] + sorted(k for k in counts if k not in order)
    return tuple(
        Share(key, counts.get(key, 0), 100.0 * counts.get(key, 0) / total if total else 0.0)
        for key in keys
        if key in order or counts.get(key)
    )


def _business_times(window: _Window) -> dict[str, tuple[float, float]]:
    """Business-hour percentiles per asker level and `all`; empty without business hours."""
    if window.business is None or window.zone is None:
        return {}
    pairs = queries.response_times(**window.args())
    return business_percentiles(pairs, window.business, window.zone)


def _help_by_level(
    window: _Window, business: dict[str, tuple[float, float]]
) -> tuple[LevelHelp, ...]:
    counts = queries.help_counts_by_level(**window.args())
    times = queries.response_percentiles(**window.args(), by_level=True)
    return tuple(
        _level_help(level, counts.get(level, (0, 0, 0)), times.get(level), business.get(level))
        for level in [*LEVEL_ORDER, *sorted(set(counts) - set(LEVEL_ORDER))]
    )


def _help_overall(
    window: _Window, levels: Sequence[LevelHelp], business: dict[str, tuple[float, float]]
) -> LevelHelp:
    totals = (
        sum(x.asked for x in levels),
        sum(x.answered for x in levels),
        sum(x.resolved for x in levels),
    )
    times = queries.response_percentiles(**window.args(), by_level=False)
    return _level_help(ALL, totals, times.get(ALL), business.get(ALL))


def _level_help(
    level: str,
    counts: tuple[int, int, int],
    times: tuple[float, float] | None,
    business: tuple[float, float] | None,
) -> LevelHelp:
    asked, answered, resolved = counts
    median, p90 = times if times else (None, None)
    in_hours, in_hours_p90 = business if business else (None, None)
    return LevelHelp(level, asked, answered, resolved, median, p90, in_hours, in_hours_p90)


def _unanswered(
    window: _Window,
    as_of: datetime,
    zone: ZoneInfo,
    after_hours: int,
    suggest: HelperSuggester | None,
    note: str,
) -> tuple[tuple[OpenRequest, ...], int]:
    cutoff = min(window.end, as_of - timedelta(hours=after_hours))
    if cutoff <= window.start:
        return (), 0
    scope = {**window.args(), "end": cutoff}
    total = queries.count_open_requests(**scope)
    rows = queries.open_requests(**scope, limit=MAX_OPEN_SORTED) if total else []
    requests = chase_order(
        [_open_request(window.session, row, as_of, zone, suggest, note) for row in rows]
    )
    return requests[:MAX_UNANSWERED], total


def _open_request(
    session: Session,
    row: Any,
    as_of: datetime,
    zone: ZoneInfo,
    suggest: HelperSuggester | None,
    erased: str,
) -> OpenRequest:
    helpers = named_first(_suggestions(session, int(row.id), row.display_name, suggest))
    # Retention erased the text of an old request: its stored topic and a note stand in.
    topic = topic_of(row.text) if row.text else row.topic
    text = row.text or erased
    label = topic_label(topic) if topic else None
    asker = row.display_name or "someone"
    when = local_when(row.sent_at, zone)
    short = excerpt(text)
    return OpenRequest(
        message_id=int(row.id),
        asker=asker,
        level=str(row.author_level),
        sent_at=row.sent_at,
        age_hours=(as_of - row.sent_at).total_seconds() / 3600,
        permalink=row.permalink,
        reference=message_reference(row.sent_at, row.display_name, zone),
        excerpt=short,
        helpers=helpers,
        age_days=int((as_of - row.sent_at).total_seconds() // 86_400),
        when=when,
        text=excerpt(text, FULL_TEXT_CHARS),
        topic=label,
        action=action_line(helpers, label),
        nudge=nudge_text(asker, when, short, helpers, label),
        latest_activity_at=row.latest_activity_at,
        latest_when=local_when(row.latest_activity_at, zone) if row.latest_activity_at else "",
    )


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


def _week_values(window: _Window) -> dict[str, float | None]:
    kinds = queries.kind_counts(**window.args())
    business = _business_times(window)
    overall = _help_overall(window, _help_by_level(window, business), business)
    total_open = queries.count_open_requests(**window.args())
    return headline_values(kinds, overall, total_open)
