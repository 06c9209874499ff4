"""Claiming a scheduled post once: (job, community, period) in `job_run`, then sending it.

Status moves claimed → sending → sent | failed (refused: retried with backoff, bounded) |
unknown (it may have posted: never resent; an operator reconciles).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.jobs.routes import Router
from bot.jobs.senders import SendRejected
from bot.reports.weekly import HelperSuggester
from storage import queries
from storage.db import session_scope
from storage.tables import Community

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=15)  # a claim this old whose process never started sending

Post = Callable[[], list[str]]
"""A prepared post: calling it sends (and returns the platform's message ids)."""


@dataclass(frozen=True, slots=True)
class Tick:
    """What one scheduler tick needs."""

    engine: Engine
    settings: Settings
    router: Router
    now: datetime
    worker: str
    suggest: HelperSuggester


def default_worker() -> str:
    """`host:pid`, recorded on each claim."""
    return f"{socket.gethostname()}:{os.getpid()}"


def settled(tick: Tick, job: str, community_id: int, period: str) -> bool:
    """True when this run is sent or for an operator to reconcile: skip it without a write."""
    with session_scope(tick.engine) as session:
        run = queries.job_run(session=session, job=job, community_id=community_id, period=period)
    return run is not None and run.status in ("sent", "unknown")


def once(
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
