"""Processing stored webhook deliveries away from the ack path: `liftbot worker`, or a child
process of `serve` when no worker is configured (LIFTBOT_INLINE_PROCESSING, on by default).

The web process verifies, stores and acks; a worker claims due inbox rows in batches and runs
them through the platform handlers. Claims are atomic in the database, so several workers (and
several web processes with their in-process worker) may run at once on PostgreSQL.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.app.services import Services, build_services, slack_edge, whatsapp_desk
from bot.config import Settings
from handlers.slack.edge import drain_pending
from storage.db import is_sqlite

log = logging.getLogger(__name__)

BATCH = 100  # deliveries claimed at once: a crash leaves at most this many to the stale reset
IDLE_WAIT_SECONDS = 1.0  # how long an idle worker sleeps unless new work wakes it


class Signal(Protocol):
    """A threading or multiprocessing Event."""

    def set(self) -> None: ...
    def clear(self) -> None: ...
    def is_set(self) -> bool: ...
    def wait(self, timeout: float | None = None) -> bool: ...


@dataclass
class InboxWorker:
    """Drains the inbox in batches until stopped; a set `work` signal cuts an idle wait short."""

    services: Services
    batch: int = BATCH
    idle_wait: float = IDLE_WAIT_SECONDS
    stop: Signal = field(default_factory=threading.Event)
    work: Signal = field(default_factory=threading.Event)
    parent_pid: int | None = None  # an in-process worker stops when `serve` is gone

    def drain_once(self) -> int:
        """Process one batch of due deliveries per platform; how many were processed."""
        settings, done = self.services.settings, 0
        if settings.slack_on and settings.slack_signing_secret:
            done += drain_pending(slack_edge(self.services), limit=self.batch).total
        if settings.twilio_account_sid and settings.twilio_auth_token:
            done += whatsapp_desk(self.services).process_pending().total
        return done

    def run(self) -> None:
        """Drain until `stop` is set; a database outage is logged and waited out."""
        while not self.stop.is_set():
            if self.parent_pid is not None and os.getppid() != self.parent_pid:
                return
            self.work.clear()
            try:
                busy = self.drain_once() > 0
            except Exception:  # a worker outlives a bad moment (the database restarting)
                log.exception("inbox worker: drain failed; retrying")
                busy = False
            if not busy:
                self.work.wait(self.idle_wait)


@dataclass
class InlineWorker:
    """`serve`'s own worker: a child process, so that processing never holds the web process's
    interpreter (a thread would, and acks would wait behind it)."""

    process: Any  # multiprocessing's SpawnProcess
    work: Signal
    stop: Signal

    def wake(self, _inbox_id: int = 0) -> None:
        """Tell the worker that a delivery was stored (the Slack edge's hand-off)."""
        self.work.set()

    def close(self, timeout: float = 10.0) -> None:
        """Let the worker finish its batch and exit."""
        self.stop.set()
        self.work.set()
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()


def hand_off_processing(services: Services) -> InlineWorker | None:
    """Make the Slack edge only store and ack. With inline processing (no separate worker)
    a worker process started here does the work and is returned; otherwise None, and
    `liftbot worker` processes the inbox."""
    edge = slack_edge(services)
    if not services.settings.inline_processing:
        edge.handoff = _leave_to_worker
        return None
    # spawn, not fork: this process holds database connections and (Socket Mode) threads.
    context = multiprocessing.get_context("spawn")
    work, stop = context.Event(), context.Event()
    turn = context.Lock() if is_sqlite(services.engine) else None
    edge.write_turn = turn
    process = context.Process(
        target=_run_inline,
        args=(services.settings, work, stop, turn, os.getpid()),
        name="liftbot-inbox-worker",
        daemon=True,
    )
    process.start()
    worker = InlineWorker(process, work, stop)
    edge.handoff = worker.wake
    return worker


def _run_inline(settings: Settings, work: Signal, stop: Signal, turn: Any, parent_pid: int) -> None:
    """The child process's life: drain the inbox until `serve` stops or goes away."""
    services = build_services(settings)
    slack_edge(services).write_turn = turn
    InboxWorker(services, stop=stop, work=work, parent_pid=parent_pid).run()


def _leave_to_worker(_inbox_id: int) -> None:
    """The row is stored; a `liftbot worker` process will claim it."""
