"""Retention: what is older than a community's limit is erased, once a day, by the clock.

A community's limit is `retention` in its settings (`/lift config retention 365d`; default
LIFTBOT_RETENTION_DAYS, 0 or `off`: kept until a member asks to be forgotten). Past it:

- message text is blanked, with the kind reason quoting its words and moderators' corrections
  holding a copy; kinds, levels, times, answer links, topics and counts stay, so reports of old
  weeks give the same figures (they say "(text erased after N days)" where text was shown);
- a member who left the group (Member.departed_at) and wrote nothing since the limit is shown as
  "Former member #id": name, profile title, level quote and sealed number go, the level stays.

Deliveries are not tied to a community until processed, so the strictest limit in force
applies to them: a dead delivery's payload is erased (and dropped) past it, and so is the body
of a bot post (reports, digests and relays quote members). Independently of any limit, a
delivery nothing will process again keeps its payload only for RETRY_WINDOW.

Everything works in batches, each its own short transaction, and is idempotent: a crash or a
second run only finishes the job. Forgetting a member stays immediate (bot.pipeline.moderation).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Row
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.domain import Kind
from bot.judgement.topics import topic_of
from bot.pipeline.community_config import config_for
from storage import queries
from storage.db import scrub_after_commit, session_scope
from storage.queries.jobs import RETENTION_JOB
from storage.queries.retention import RETRY_WINDOW
from storage.states import JobRunState
from storage.tables import Community

log = logging.getLogger(__name__)

BATCH = 1_000
DELIVERIES = "deliveries"  # the period suffix of the deployment-wide pass's daily claim


@dataclass(frozen=True, slots=True)
class Erased:
    """What one community's pass erased (or, in a dry run, would erase)."""

    texts: int = 0
    names: int = 0

    def __bool__(self) -> bool:
        return bool(self.texts or self.names)

    def sentence(self, community: str, days: int, *, dry_run: bool) -> str:
        """One line for the log and the operator."""
        verb = "would erase" if dry_run else "erased"
        return (f"retention {community}: {verb} the text of {self.texts:,} messages and "
                f"{self.names:,} departed members' names (older than {days} days)")  # fmt: skip


@dataclass(frozen=True, slots=True)
class ErasedDeliveries:
    """What the deployment-wide pass erased: webhook payloads and bot post bodies."""

    payloads: int = 0
    posts: int = 0

    def __bool__(self) -> bool:
        return bool(self.payloads or self.posts)

    def sentence(self, days: int | None, *, dry_run: bool) -> str:
        """One line for the log and the operator."""
        verb = "would erase" if dry_run else "erased"
        posts = f" and {self.posts:,} bot posts older than {days} days" if days else ""
        return f"retention: {verb} {self.payloads:,} webhook payloads{posts}"


def retention_days(engine: Engine, settings: Settings, community: Community) -> int | None:
    """The community's limit in days (None: kept)."""
    with session_scope(engine) as session:
        return config_for(session=session, community=community, settings=settings).retention_days


def erase_community(
    engine: Engine, community_id: int, days: int, now: datetime, *, dry_run: bool = False
) -> Erased:
    """Erase (or count) one community's text and departed names older than `days`."""
    before = now - timedelta(days=days)
    return Erased(
        texts=_erase_texts(engine, community_id, before, dry_run),
        names=_erase_names(engine, community_id, before, dry_run),
    )


def _erase_texts(engine: Engine, community_id: int, before: datetime, dry_run: bool) -> int:
    erased, cursor = 0, None
    while True:
        with session_scope(engine) as session:
            rows = queries.texts_to_erase(
                session=session, community_id=community_id, before=before, after=cursor,
                limit=BATCH,
            )  # fmt: skip
            if not rows:
                if erased and not dry_run:
                    scrub_after_commit(session)  # SQLite: no old page image keeps the text
                return erased
            if not dry_run:
                queries.erase_texts(session=session, ids=[r.id for r in rows],
                                    topics=_topics_to_keep(rows))  # fmt: skip
        erased += len(rows)
        cursor = (rows[-1].sent_at, rows[-1].id)


def _topics_to_keep(rows: Sequence[Row[Any]]) -> dict[int, str]:
    """A help request's topic, read from its text before the text goes (reports show it)."""
    kept: dict[int, str] = {}
    for row in rows:
        if row.kind == Kind.HELP_REQUEST.value and row.topic is None:
            topic = topic_of(row.text)
            if topic is not None:
                kept[int(row.id)] = topic
    return kept


def _erase_names(engine: Engine, community_id: int, before: datetime, dry_run: bool) -> int:
    erased, after = 0, 0
    while True:
        with session_scope(engine) as session:
            ids = queries.departed_to_erase(
                session=session, community_id=community_id, before=before, after=after,
                limit=BATCH,
            )  # fmt: skip
            if not ids:
                return erased
            if not dry_run:
                queries.erase_member_names(session=session, ids=ids)
        erased += len(ids)
        after = ids[-1]


def erase_deliveries(
    engine: Engine, now: datetime, days: int | None, *, dry_run: bool = False
) -> ErasedDeliveries:
    """Erase (or count) payloads nothing will process again and, under a limit of `days`, dead
    payloads and bot post bodies older than it."""
    finished = now - RETRY_WINDOW
    limit = now - timedelta(days=days) if days else None
    payloads, after = 0, 0
    while True:
        with session_scope(engine) as session:
            ids = queries.payloads_to_erase(
                session=session, finished=finished, dead=limit, after=after, limit=BATCH
            )
            if ids and not dry_run:
                queries.erase_payloads(session=session, ids=ids, finished=finished, dead=limit)
        if not ids:
            break
        payloads, after = payloads + len(ids), ids[-1]
    posts, after = 0, 0
    while limit is not None:
        with session_scope(engine) as session:
            ids = queries.posts_to_erase(session=session, before=limit, after=after, limit=BATCH)
            if ids and not dry_run:
                queries.erase_posts(session=session, ids=ids)
        if not ids:
            break
        posts, after = posts + len(ids), ids[-1]
    return ErasedDeliveries(payloads, posts)


def _limits(
    engine: Engine, settings: Settings, communities: Sequence[Community]
) -> list[tuple[Community, int | None]]:
    return [(c, retention_days(engine, settings, c)) for c in communities]


def _strictest(limits: Sequence[tuple[Community, int | None]], settings: Settings) -> int | None:
    days = [d for _, d in limits if d]
    return min(days) if days else (settings.retention_days or None)


def run_retention(
    engine: Engine,
    settings: Settings,
    now: datetime,
    *,
    community: str | None = None,
    dry_run: bool = False,
) -> list[str]:
    """`liftbot retention run`: every community with a limit (or the one named), then the
    deliveries; not claimed, so it runs whenever an operator asks. One line per pass."""
    with session_scope(engine) as session:
        everyone = queries.list_communities(session=session)
    limits = _limits(engine, settings, everyone)
    chosen = [(c, d) for c, d in limits if community is None or c.name == community]
    if community is not None and not chosen:
        raise LookupError(f"no community named '{community}'")
    lines = []
    for row, days in chosen:
        assert row.id is not None
        if not days:
            lines.append(f"retention {row.name}: off (kept until a member asks to be forgotten)")
            continue
        erased = erase_community(engine, row.id, days, now, dry_run=dry_run)
        lines.append(erased.sentence(row.name, days, dry_run=dry_run))
    if community is None:
        days = _strictest(limits, settings)
        lines.append(
            erase_deliveries(engine, now, days, dry_run=dry_run).sentence(days, dry_run=dry_run)
        )
    return lines


def run_daily_retention(
    engine: Engine, settings: Settings, now: datetime, *, worker: str
) -> list[str]:
    """The clock's pass: each community with a limit once per (UTC) day, claimed across
    processes, then the deliveries (claimed under the first community). A line for each pass
    that erased something."""
    with session_scope(engine) as session:
        everyone = queries.list_communities(session=session)
    if not everyone:
        return []
    day = now.date().isoformat()
    limits = _limits(engine, settings, everyone)
    lines: list[str] = []
    for community, days in limits:
        if days:
            run = partial(_community_pass, engine, community, days, now)
            lines += _once(engine, now, worker, community, day, run)
    first = min(everyone, key=lambda c: c.id or 0)
    run = partial(_deliveries_pass, engine, _strictest(limits, settings), now)
    return lines + _once(engine, now, worker, first, f"{day} {DELIVERIES}", run)


def _community_pass(engine: Engine, community: Community, days: int, now: datetime) -> str:
    assert community.id is not None
    erased = erase_community(engine, community.id, days, now)
    return erased.sentence(community.name, days, dry_run=False) if erased else ""


def _deliveries_pass(engine: Engine, days: int | None, now: datetime) -> str:
    erased = erase_deliveries(engine, now, days)
    return erased.sentence(days, dry_run=False) if erased else ""


def _once(
    engine: Engine,
    now: datetime,
    worker: str,
    community: Community,
    period: str,
    run: Callable[[], str],
) -> list[str]:
    """Run a pass unless a process claimed (retention, community, period) already; a failure
    is logged and recorded, and the next day's pass finishes the job."""
    assert community.id is not None
    job, community_id = RETENTION_JOB, community.id
    with session_scope(engine) as session:
        if queries.job_run(session=session, job=job, community_id=community_id, period=period):
            return []  # every tick of the day after the first: a read, no write
        won = queries.claim_job_run(session=session, job=job, community_id=community_id,
                                    period=period, worker=worker, now=now)  # fmt: skip
        claimed = queries.job_run(session=session, job=job, community_id=community_id,
                                  period=period)  # fmt: skip
    if not won or claimed is None or claimed.id is None:
        return []
    status, error, line = JobRunState.DONE.value, None, ""
    try:
        line = run()
    except Exception as exc:
        log.exception("retention pass %s for %s failed", period, community.name)
        status, error = JobRunState.FAILED.value, f"{type(exc).__name__}: {exc}"
    with session_scope(engine) as session:
        queries.set_job_run_status(
            session=session, run_id=claimed.id, status=status, now=now, error=error
        )
    if line:
        log.info("%s", line)
    return [line] if line else []
