"""Scheduled posts: the weekly report, the daily digest and nudges, each sent exactly once.

Every post is claimed in `job_run` with an atomic insert-or-ignore on (job, community, period),
so any number of clock/web processes, or a restart, make one post. Status moves
claimed → sending → sent | failed (the platform refused: retried with backoff, bounded) |
unknown (it may have posted: never resent; an operator reconciles).
"""

from __future__ import annotations

import logging
import os
import socket
import time as time_module
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.domain import Platform
from bot.jobs.senders import ReportMessage, Sender, SendRejected
from bot.pipeline.suggestions import suggest_for_message
from bot.reports.chart import render_chart
from bot.reports.contents import format_minutes
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
STALE_CLAIM = timedelta(minutes=15)  # a claim this old whose process never started sending
BUDGET_WINDOW = timedelta(days=7)
DIGEST_WINDOW = timedelta(days=7)
DIGEST_MAX_ITEMS = 10
LIVE_PLATFORMS = (Platform.SLACK.value, Platform.WHATSAPP.value)

Post = Callable[[], list[str]]
"""A prepared post: calling it sends (and returns the platform's message ids)."""


@dataclass(frozen=True, slots=True)
class Tick:
    """What one scheduler tick needs."""

    engine: Engine
    settings: Settings
    sender: Sender
    now: datetime
    worker: str
    suggest: HelperSuggester


def run_due_jobs(
    engine: Engine,
    settings: Settings,
    sender: Sender,
    now: datetime,
    *,
    suggest: HelperSuggester = suggest_for_message,
    worker: str | None = None,
) -> list[str]:
    """Run every job due at `now` that no process has claimed; one line per post attempted."""
    tick = Tick(engine, settings, sender, now, worker or default_worker(), suggest)
    with session_scope(engine) as session:
        communities = queries.list_communities(session=session)
    done: list[str] = []
    for community in communities:
        if community.platform not in LIVE_PLATFORMS:
            continue  # an imported export has no chat to post into; `liftbot report` serves it
        done += run_weekly_report(tick, community)
        done += run_daily_digest(tick, community)
        done += run_nudges(tick, community)
    return done


def run_clock(
    engine: Engine,
    settings: Settings,
    sender: Sender,
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
    while True:
        for line in run_due_jobs(engine, settings, sender, clock(), suggest=suggest):
            report(line)
        for line in maintenance() if maintenance else []:
            report(line)
        if once:
            return
        sleep(60 - clock().second % 60)


def default_worker() -> str:
    """`host:pid`, recorded on each claim."""
    return f"{socket.gethostname()}:{os.getpid()}"


def destination_for(community: Community, settings: Settings) -> str:
    """Where a community's report and digest go: the Slack admin channel, else the group itself."""
    if community.platform == "slack" and settings.slack_admin_channel:
        return settings.slack_admin_channel
    return community.external_id or community.name


def _zone(community: Community, settings: Settings) -> ZoneInfo:
    return ZoneInfo(community.timezone or settings.timezone)


def local_at(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """`hour`:00 on local `day`, aware (a time skipped by DST resolves to just after the gap)."""
    return datetime.combine(day, time(hour), tzinfo=zone)


def weekly_due(now: datetime, zone: ZoneInfo, settings: Settings) -> IsoWeek | None:
    """The week whose report is due at `now`, if its posting time has come."""
    week = IsoWeek.last_complete(now, zone)
    post_day = week.next().monday + timedelta(days=settings.report_weekday)
    return week if now >= local_at(post_day, settings.report_hour, zone) else None


def in_quiet_hours(moment: datetime, zone: ZoneInfo, quiet: tuple[int, int]) -> bool:
    """True when local time falls in [start, end) of the quiet hours (which may wrap midnight)."""
    start, end = quiet
    hour = moment.astimezone(zone).hour
    if start == end:
        return False
    return start <= hour < end if start < end else hour >= start or hour < end


def run_weekly_report(tick: Tick, community: Community) -> list[str]:
    """Post last week's report once its day and hour have come in the community's zone."""
    assert community.id is not None
    week = weekly_due(tick.now, _zone(community, tick.settings), tick.settings)
    if week is None or _settled(tick, WEEKLY, community.id, week.label):
        return []

    def prepare() -> Post:
        message = _report_message(tick, community.id or 0, week)
        return lambda: tick.sender.send_report(destination_for(community, tick.settings), message)

    return _once(tick, WEEKLY, community, week.label, prepare)


def _report_message(tick: Tick, community_id: int, week: IsoWeek) -> ReportMessage:
    with session_scope(tick.engine) as session:
        report = build_report(
            session, tick.settings, community_id, week, now=tick.now, suggest=tick.suggest
        )
    blocks = tuple(tuple(message) for message in render_blocks(report))
    return ReportMessage(report.title, tuple(render_text(report)), blocks, render_chart(report))


def run_daily_digest(tick: Tick, community: Community) -> list[str]:
    """Post the day's list of requests still waiting, at the digest hour, within the budget."""
    assert community.id is not None
    zone = _zone(community, tick.settings)
    local = tick.now.astimezone(zone)
    if local.hour < tick.settings.digest_hour or in_quiet_hours(
        tick.now, zone, tick.settings.quiet_hours
    ):
        return []
    period = local.date().isoformat()
    if _settled(tick, DIGEST, community.id, period):
        return []
    text = _digest_text(tick, community.id)
    if text is None or not _within_budget(tick, community.id):
        return []

    def prepare() -> Post:
        return lambda: [tick.sender.send_text(destination_for(community, tick.settings), text)]

    return _once(tick, DIGEST, community, period, prepare)


def _digest_text(tick: Tick, community_id: int) -> str | None:
    cutoff = tick.now - timedelta(hours=tick.settings.nudge_after_hours)
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


def run_nudges(tick: Tick, community: Community) -> list[str]:
    """Reply once under each request left unanswered for nudge_after_hours (not in quiet hours)."""
    assert community.id is not None
    settings = tick.settings
    if in_quiet_hours(tick.now, _zone(community, settings), settings.quiet_hours):
        return []
    with session_scope(tick.engine) as session:
        rows = queries.open_requests(
            session=session,
            community_id=community.id,
            start=tick.now - timedelta(hours=settings.nudge_max_age_hours),
            end=tick.now - timedelta(hours=settings.nudge_after_hours),
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
            where = destination_for(community, settings)
            return lambda: [tick.sender.send_text(where, text, thread=thread)]

        done += _once(tick, NUDGE, community, f"{NUDGE}:{row.id}", prepare)
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


def _settled(tick: Tick, job: str, community_id: int, period: str) -> bool:
    """True when this run is sent or for an operator to reconcile: skip it without a write."""
    with session_scope(tick.engine) as session:
        run = queries.job_run(session=session, job=job, community_id=community_id, period=period)
    return run is not None and run.status in ("sent", "unknown")


def _once(
    tick: Tick, job: str, community: Community, period: str, prepare: Callable[[], Post]
) -> list[str]:
    """Claim (job, community, period) and send; a lost claim or a settled run sends nothing."""
    assert community.id is not None
    run_id = _claim(tick, job, community.id, period)
    if run_id is None:
        return []
    label = f"{job} {period} {community.name}"
    status, error = _attempt(tick, run_id, prepare)
    with session_scope(tick.engine) as session:
        queries.set_job_run_status(
            session=session, run_id=run_id, status=status, now=tick.now, error=error
        )
    if status != "sent":
        log.warning("%s: %s (%s)", label, status, error)
    return [f"{label}: {status}"]


def _claim(tick: Tick, job: str, community_id: int, period: str) -> int | None:
    with session_scope(tick.engine) as session:
        won = queries.claim_job_run(
            session=session,
            job=job,
            community_id=community_id,
            period=period,
            worker=tick.worker,
            now=tick.now,
        )
        run = queries.job_run(session=session, job=job, community_id=community_id, period=period)
        assert run is not None and run.id is not None
        if not won:
            won = _retry_or_reclaim(
                tick, run.id, run.status, run.attempts, run.claimed_at, run.finished_at, session
            )
    return run.id if won else None


def _retry_or_reclaim(
    tick: Tick,
    run_id: int,
    status: str,
    attempts: int,
    claimed_at: datetime,
    finished_at: datetime | None,
    session: Session,
) -> bool:
    """Take over a refused post after its backoff, or a claim whose process died before sending."""
    if status == "failed" and attempts < tick.settings.job_max_attempts:
        ready = (finished_at or claimed_at) + timedelta(minutes=2 ** (attempts - 1))
        if tick.now >= ready:
            return queries.reclaim_failed_job_run(
                session=session, run_id=run_id, attempts=attempts, worker=tick.worker, now=tick.now
            )
    if status == "claimed" and tick.now - claimed_at > STALE_CLAIM:
        # Nothing was sent (a sender only runs after `sending` is stored): retry it as failed.
        queries.set_job_run_status(
            session=session, run_id=run_id, status="failed", now=tick.now, error="claim abandoned"
        )
    if status == "sending" and tick.now - claimed_at > STALE_CLAIM:
        queries.set_job_run_status(
            session=session,
            run_id=run_id,
            status="unknown",
            now=tick.now,
            error="process died while sending",
        )
    return False


def _attempt(tick: Tick, run_id: int, prepare: Callable[[], Post]) -> tuple[str, str | None]:
    try:
        post = prepare()
    except Exception as exc:
        log.exception("could not prepare job run %s", run_id)
        return "failed", f"not sent, preparing failed: {type(exc).__name__}: {exc}"
    with session_scope(tick.engine) as session:
        queries.set_job_run_status(session=session, run_id=run_id, status="sending", now=tick.now)
    try:
        post()
    except SendRejected as exc:
        return "failed", f"refused: {exc}"
    except Exception as exc:
        # It may have reached the platform: resending could double-post, so stop here.
        return "unknown", f"{type(exc).__name__}: {exc}"
    return "sent", None
