"""Scheduled posts: the weekly report, the daily digest and nudges, each sent exactly once.

Every post is claimed in `job_run` with an atomic insert-or-ignore on (job, community, period),
so any number of clock/web processes, or a restart, make one post. Status moves
claimed → sending → sent | failed (the platform refused: retried with backoff, bounded) |
unknown (it may have posted: never resent; an operator reconciles).
"""

from __future__ import annotations

import logging
import time as time_module
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.domain import Platform
from bot.jobs.claims import Post, Tick, default_worker, once, settled
from bot.jobs.retention import run_daily_retention
from bot.jobs.routes import (
    Route,
    Router,
    destination_for,
    everything_to,
    is_exported,
    no_route_reason,
)
from bot.jobs.schedule import (
    digest_due,
    in_quiet_hours,
    local_at,
    nudge_window,
    nudges_allowed,
    waiting_since,
    weekly_due,
)
from bot.jobs.senders import ReportMessage, Sender
from bot.pipeline.community_config import CommunityConfig, config_for
from bot.pipeline.suggestions import suggest_for_message
from bot.reports.chart import render_chart
from bot.reports.contents import format_minutes
from bot.reports.files import render_html
from bot.reports.output import build_report
from bot.reports.render import render_blocks, render_text
from bot.reports.weekly import HelperSuggester, excerpt
from bot.reports.weeks import IsoWeek
from bot.text import split_lines, strip_bidi
from storage import queries
from storage.db import session_scope
from storage.tables import Community

log = logging.getLogger(__name__)

WEEKLY = "weekly_report"
DIGEST = "daily_digest"
NUDGE = "nudge"
BUDGET_WINDOW = timedelta(days=7)
DIGEST_WINDOW = timedelta(days=7)
DIGEST_MAX_ITEMS = 10

__all__ = [
    "destination_for",
    "in_quiet_hours",
    "local_at",
    "run_clock",
    "run_due_jobs",
    "weekly_due",
]


def as_router(target: Sender | Router, settings: Settings) -> Router:
    """A router as given, or one sender for every community (console trials, tests)."""
    return everything_to(target, settings) if isinstance(target, Sender) else target


def run_due_jobs(
    engine: Engine,
    settings: Settings,
    sender: Sender | Router,
    now: datetime,
    *,
    suggest: HelperSuggester = suggest_for_message,
    worker: str | None = None,
) -> list[str]:
    """Run every job due at `now` that no process has claimed; one line per post attempted.

    Each community's posts go where its route says (exported groups included); a community
    without a route is skipped and nothing is claimed for it.
    """
    tick = Tick(engine, settings, as_router(sender, settings), now, worker or default_worker(),
                suggest)  # fmt: skip
    with session_scope(engine) as session:
        communities = queries.list_communities(session=session)
        configs = {c.id: config_for(session=session, community=c, settings=settings)
                   for c in communities}  # fmt: skip
    done: list[str] = []
    for community in communities:
        route = tick.router(community)
        if route is None:
            continue
        config = configs[community.id]
        admin = _admin_route(community, route, config)
        done += run_weekly_report(tick, community, admin, config)
        done += run_daily_digest(tick, community, admin, config)
        if route.in_group:
            done += run_nudges(tick, community, route, config)
    done += run_daily_retention(engine, settings, now, worker=tick.worker)  # posts nothing
    return done


def _admin_route(community: Community, route: Route, config: CommunityConfig) -> Route:
    """A Slack community's report and digest go to the channel its moderators chose, if any."""
    if community.platform == Platform.SLACK.value and config.admin_channel:
        return replace(route, destination=config.admin_channel)
    return route


def unrouted(engine: Engine, settings: Settings, sender: Sender | Router) -> list[str]:
    """One line per community the clock cannot deliver to, saying what to set."""
    router = as_router(sender, settings)
    with session_scope(engine) as session:
        communities = queries.list_communities(session=session)
    return [no_route_reason(c, settings) for c in communities if router(c) is None]


def run_clock(
    engine: Engine,
    settings: Settings,
    sender: Sender | Router,
    *,
    once: bool = False,
    suggest: HelperSuggester = suggest_for_message,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    sleep: Callable[[float], None] = time_module.sleep,
    report: Callable[[str], None] = print,
    maintenance: Callable[[], list[str]] | None = None,
) -> None:
    """The scheduler loop: every minute, claim and run what is due (`once`: one tick).

    `maintenance` runs each tick too (e.g. re-processing webhook deliveries a crash left behind).
    """
    for line in unrouted(engine, settings, sender):
        report(line)
    while True:
        for line in run_due_jobs(engine, settings, sender, clock(), suggest=suggest):
            report(line)
        for line in maintenance() if maintenance else []:
            report(line)
        if once:
            return
        sleep(60 - clock().second % 60)


def run_weekly_report(
    tick: Tick, community: Community, route: Route, config: CommunityConfig
) -> list[str]:
    """Post last week's report once the community's report day and hour have come, its time.

    An exported group reports its newest week with data up to last week, once per week: each
    fresher export brings one new report, an old one is reported once and never repeated.
    """
    assert community.id is not None
    week = weekly_due(tick.now, config)
    if week is not None and is_exported(community):
        week = _latest_reported_week(tick, community, week, config)
    if week is None or settled(tick, WEEKLY, community.id, week.label):
        return []

    def prepare() -> Post:
        message = _report_message(tick, community.id or 0, week)
        return lambda: route.sender.send_report(route.destination, message)

    return once(tick, WEEKLY, community, week.label, prepare)


def _latest_reported_week(
    tick: Tick, community: Community, due: IsoWeek, config: CommunityConfig
) -> IsoWeek | None:
    assert community.id is not None
    with session_scope(tick.engine) as session:
        latest = queries.latest_message_at(session=session, community_id=community.id)
    if latest is None:
        return None
    return min(due, IsoWeek.containing(latest, config.zone))


def _report_message(tick: Tick, community_id: int, week: IsoWeek) -> ReportMessage:
    with session_scope(tick.engine) as session:
        report = build_report(
            session, tick.settings, community_id, week, now=tick.now, suggest=tick.suggest
        )
    blocks = tuple(tuple(message) for message in render_blocks(report))
    chart = render_chart(report)
    return ReportMessage(report.title, tuple(render_text(report)), blocks, chart,
                         html=render_html(report, chart), week=week.label)  # fmt: skip


def run_daily_digest(
    tick: Tick, community: Community, route: Route, config: CommunityConfig
) -> list[str]:
    """Post the day's list of requests still waiting, at the digest hour, within the budget."""
    assert community.id is not None
    if not digest_due(tick.now, config):
        return []
    period = tick.now.astimezone(config.zone).date().isoformat()
    if settled(tick, DIGEST, community.id, period):
        return []
    text = _digest_text(tick, community.id, config)
    if text is None or (route.in_group and not _within_budget(tick, community.id)):
        return []

    def prepare() -> Post:
        return lambda: [route.sender.send_text(route.destination, text)]

    return once(tick, DIGEST, community, period, prepare)


def _digest_text(tick: Tick, community_id: int, config: CommunityConfig) -> str | None:
    cutoff = waiting_since(tick.now, config, config.nudge_after_hours)
    with session_scope(tick.engine) as session:
        start = tick.now - DIGEST_WINDOW
        total = queries.count_open_requests(
            session=session, community_id=community_id, start=start, end=cutoff
        )
        rows = queries.open_requests(
            session=session,
            community_id=community_id,
            start=start,
            end=cutoff,
            limit=DIGEST_MAX_ITEMS,
        )
    if not total:
        return None
    lines = [f"*Still waiting for an answer ({total})*"]
    for row in rows:
        waited = format_minutes((tick.now - row.sent_at).total_seconds() / 60)
        who = strip_bidi(row.display_name or "someone")
        lines.append(f"• {who} ({row.author_level}), {waited}: “{strip_bidi(excerpt(row.text))}”")
    if total > len(rows):
        lines.append(f"…and {total - len(rows)} more.")
    return split_lines(lines)[0]


def run_nudges(
    tick: Tick, community: Community, route: Route, config: CommunityConfig
) -> list[str]:
    """Reply once under each request left unanswered for the community's nudge delay (business
    time where business hours are set), never in quiet hours or while the desk is closed."""
    assert community.id is not None
    if not nudges_allowed(tick.now, config):
        return []
    start, end = nudge_window(tick.now, config, tick.settings.nudge_max_age_hours)
    with session_scope(tick.engine) as session:
        rows = queries.open_requests(
            session=session,
            community_id=community.id,
            start=start,
            end=end,
            limit=50,
            without_job=NUDGE,
        )
    done: list[str] = []
    for row in rows:
        if not _within_budget(tick, community.id):
            break
        thread = row.thread_key or row.source_key
        text = nudge_text(_helper_names(tick, int(row.id)))

        def prepare(thread: str = thread, text: str = text) -> Post:
            return lambda: [route.sender.send_text(route.destination, text, thread=thread)]

        done += once(tick, NUDGE, community, f"{NUDGE}:{row.id}", prepare)
    return done


def nudge_text(names: Sequence[str]) -> str:
    """'No answer yet — A and B might know.' (plain names: a nudge never pings anyone)."""
    clean = [strip_bidi(n) for n in names if n.strip()]
    if not clean:
        return "No answer yet — can anyone help?"
    who = clean[0] if len(clean) == 1 else ", ".join(clean[:-1]) + " and " + clean[-1]
    return f"No answer yet — {who} might know."


def _helper_names(tick: Tick, message_id: int) -> list[str]:
    try:
        with session_scope(tick.engine) as session:
            return [s.name for s in tick.suggest(session, message_id)][:2]
    except Exception:
        log.exception("helper suggestions failed for nudge on message %s", message_id)
        return []


def _within_budget(tick: Tick, community_id: int) -> bool:
    """Bot posts in the last 7 days stay within bot_posts_per_100 of member messages."""
    since = tick.now - BUDGET_WINDOW
    with session_scope(tick.engine) as session:
        members = queries.count_member_messages(
            session=session, community_id=community_id, start=since, end=tick.now
        )
        posts = queries.count_bot_posts(session=session, community_id=community_id, since=since)
    return (posts + 1) * 100 <= members * tick.settings.bot_posts_per_100
