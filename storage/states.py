"""The lifecycles stored in `status` columns, one StrEnum per table.

A job run (`JobRun`, one scheduled post per job, community and period):
    claimed -> sending -> sent   the normal path; `sending` is stored before the sender runs
    claimed -> failed            preparing failed, the platform refused, or the claim was
                                 abandoned; retried after a backoff (failed -> claimed)
    sending -> unknown           the process died or the sender raised after `sending`: the post
                                 may have gone out, so it is never retried (no double posts)
    claimed -> done | failed     a maintenance run (retention) that posts nothing: finished, or
                                 failed (the next period's run finishes the job)

An import run (`ImportRun`, one export file read into a community):
    running -> complete          every entry stored
    running -> interrupted       the importer crashed; the community's next import marks it so

The values are the strings stored in the database, so comparing a column with a member works.
"""

from __future__ import annotations

from enum import StrEnum


class JobRunState(StrEnum):
    """How a scheduled post stands (see the module docstring for the transitions)."""

    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"
    DONE = "done"


class ImportRunState(StrEnum):
    """How an import of an export file stands (see the module docstring for the transitions)."""

    RUNNING = "running"
    COMPLETE = "complete"
    INTERRUPTED = "interrupted"
