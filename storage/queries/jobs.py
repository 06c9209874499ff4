"""Scheduled job runs (claimed once across processes) and import runs of export files."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, update
from sqlmodel import Session, col, select

from storage.inserts import insert_ignore
from storage.states import ImportRunState, JobRunState
from storage.tables import ImportRun, JobRun, utcnow

# Runs that post nothing (claimed once a day like posts, never counted against the budget).
RETENTION_JOB = "retention"
# Runs that posted, or may have posted, to the community (they count against the post budget).
_POSTED_OR_MAYBE = (
    JobRunState.CLAIMED,
    JobRunState.SENDING,
    JobRunState.SENT,
    JobRunState.UNKNOWN,
)


def claim_job_run(
    *, session: Session, job: str, community_id: int, period: str, worker: str, now: datetime
) -> bool:
    """Claim (job, community, period) for this worker; False when any process claimed it first."""
    return insert_ignore(
        session,
        JobRun,
        {
            "job": job,
            "community_id": community_id,
            "period": period,
            "status": JobRunState.CLAIMED.value,
            "attempts": 1,
            "claimed_by": worker[:100],
            "claimed_at": now,
        },
    )


def job_run(*, session: Session, job: str, community_id: int, period: str) -> JobRun | None:
    """The run of (job, community, period), if any process claimed it."""
    return session.exec(
        select(JobRun).where(
            col(JobRun.job) == job,
            col(JobRun.community_id) == community_id,
            col(JobRun.period) == period,
        )
    ).first()


def reclaim_failed_job_run(
    *, session: Session, run_id: int, attempts: int, worker: str, now: datetime
) -> bool:
    """Take over a failed run for a retry; only one process can win (compare-and-set)."""
    result = session.execute(
        update(JobRun)
        .where(
            col(JobRun.id) == run_id,
            col(JobRun.status) == JobRunState.FAILED.value,
            col(JobRun.attempts) == attempts,
        )
        .values(
            status=JobRunState.CLAIMED.value,
            attempts=attempts + 1,
            claimed_by=worker[:100],
            claimed_at=now,
        )
    )
    return bool(cast(CursorResult[Any], result).rowcount)


def set_job_run_status(
    *, session: Session, run_id: int, status: str, now: datetime, error: str | None = None
) -> None:
    """Record how a run stands (a `JobRunState`: sending, sent, failed or unknown)."""
    session.execute(
        update(JobRun)
        .where(col(JobRun.id) == run_id)
        .values(status=str(status), finished_at=now, error=error[:500] if error else None)
    )


def count_bot_posts(*, session: Session, community_id: int, since: datetime) -> int:
    """Posts the bot made (or may have made) to a community since `since`."""
    query = select(func.count()).where(
        col(JobRun.community_id) == community_id,
        col(JobRun.claimed_at) >= since,
        col(JobRun.status).in_([s.value for s in _POSTED_OR_MAYBE]),
        col(JobRun.job) != RETENTION_JOB,
    )
    return int(session.execute(query).scalar_one())


def start_import(*, session: Session, community_id: int, file_name: str) -> ImportRun:
    """Record an import as running."""
    run = ImportRun(
        community_id=community_id,
        file_name=file_name[:300],
        status=ImportRunState.RUNNING.value,
    )
    session.add(run)
    session.flush()
    return run


def finish_import(
    *, session: Session, import_id: int, status: str, entries: int, added: int
) -> None:
    """Record how an import ended (an `ImportRunState`)."""
    session.execute(
        update(ImportRun)
        .where(col(ImportRun.id) == import_id)
        .values(status=str(status), entries=entries, added=added, finished_at=utcnow())
    )


def running_imports(*, session: Session, community_id: int) -> list[int]:
    """Ids of a community's imports recorded as running (a crashed importer's, before a re-run
    marks them interrupted)."""
    rows = session.exec(
        select(col(ImportRun.id)).where(
            col(ImportRun.community_id) == community_id,
            col(ImportRun.status) == ImportRunState.RUNNING.value,
        )
    )
    return [int(i) for i in rows if i is not None]


def mark_interrupted_imports(*, session: Session, community_id: int) -> int:
    """Runs left `running` by a crashed importer become `interrupted`."""
    result = session.execute(
        update(ImportRun)
        .where(
            col(ImportRun.community_id) == community_id,
            col(ImportRun.status) == ImportRunState.RUNNING.value,
        )
        .values(status=ImportRunState.INTERRUPTED.value)
    )
    return int(cast(CursorResult[Any], result).rowcount)
