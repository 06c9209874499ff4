"""Processing stored webhook deliveries away from the ack path: `liftbot worker`, or a thread of
`serve` when no worker is configured (LIFTBOT_INLINE_PROCESSING, on by default).

The web process verifies, stores and acks; a worker claims due inbox rows in batches and runs
them through the platform handlers. Claims are atomic in the database, so several workers (and
several web processes with their in-process worker) may run at once on PostgreSQL.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from bot.app.services import Services, slack_edge, whatsapp_desk
from handlers.slack.edge import drain_pending

log = logging.getLogger(__name__)

BATCH = 100  # deliveries claimed at once: a crash leaves at most this many to the stale reset
IDLE_WAIT_SECONDS = 1.0  # how long an idle worker sleeps unless new work wakes it


@dataclass
class InboxWorker:
    """Drains the inbox in batches until stopped; `wake()` cuts an idle wait short."""

    services: Services
    batch: int = BATCH
    idle_wait: float = IDLE_WAIT_SECONDS
    stop: threading.Event = field(default_factory=threading.Event)
    _work: threading.Event = field(default_factory=threading.Event)

    def wake(self, _inbox_id: int = 0) -> None:
        """Tell the worker that a delivery was stored (the Slack edge's hand-off)."""
        self._work.set()

    def drain_once(self) -> int:
        """Process one batch of due deliveries per platform; how many were processed."""
        settings, done = self.services.settings, 0
        if settings.slack_bot_token and settings.slack_signing_secret:
            done += drain_pending(slack_edge(self.services), limit=self.batch).total
        if settings.twilio_account_sid and settings.twilio_auth_token:
            done += whatsapp_desk(self.services).process_pending().total
        return done

    def run(self) -> None:
        """Drain until `stop` is set; a database outage is logged and waited out."""
        while not self.stop.is_set():
            self._work.clear()
            try:
                busy = self.drain_once() > 0
            except Exception:  # a worker outlives a bad moment (the database restarting)
                log.exception("inbox worker: drain failed; retrying")
                busy = False
            if not busy:
                self._work.wait(self.idle_wait)

    def start_thread(self) -> threading.Thread:
        """Run in a daemon thread of this process (what `serve` does with no worker)."""
        thread = threading.Thread(target=self.run, name="liftbot-inbox-worker", daemon=True)
        thread.start()
        return thread


def hand_off_processing(services: Services) -> InboxWorker | None:
    """Make the Slack edge only store and ack. With inline processing (no separate worker)
    a worker thread of this process does the work and is returned; otherwise None, and
    `liftbot worker` processes the inbox."""
    edge = slack_edge(services)
    if not services.settings.inline_processing:
        edge.handoff = _leave_to_worker
        return None
    worker = InboxWorker(services)
    edge.handoff = worker.wake
    worker.start_thread()
    return worker


def _leave_to_worker(_inbox_id: int) -> None:
    """The row is stored; a `liftbot worker` process will claim it."""
