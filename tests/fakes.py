"""Test doubles shared by every room's tests: a sender that records what Liftbot would post."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.jobs.senders import ReportMessage


@dataclass(frozen=True, slots=True)
class Sent:
    """One recorded post."""

    method: str  # "text" or "report"
    destination: str
    text: str
    thread: str | None = None
    chart: bool = False


@dataclass
class RecordingSender:
    """Records every post in order (and as JSON lines in `log_path`, for other processes).

    `failures` are raised, one per call, before anything is recorded: a test's script of outages.
    """

    log_path: Path | None = None
    failures: list[BaseException] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)

    def send_text(self, destination: str, text: str, *, thread: str | None = None) -> str:
        """Record a text post."""
        return self._record(Sent("text", destination, text, thread))

    def send_report(self, destination: str, report: ReportMessage) -> list[str]:
        """Record a report as one post of its text chunks."""
        text = "\n".join(report.text_chunks)
        return [self._record(Sent("report", destination, text, chart=report.chart_png is not None))]

    def _record(self, post: Sent) -> str:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(post)
        if self.log_path is not None:
            line = json.dumps(
                {
                    "method": post.method,
                    "destination": post.destination,
                    "thread": post.thread,
                    "text": post.text,
                }
            )
            with self.log_path.open("a", encoding="utf-8") as log:
                log.write(line + "\n")
        return f"rec-{len(self.sent)}"

    def texts(self, method: str | None = None) -> list[str]:
        """The recorded texts, optionally of one method only."""
        return [s.text for s in self.sent if method is None or s.method == method]


def read_log(path: Path) -> list[dict[str, Any]]:
    """The posts a RecordingSender wrote to `path` (from any process)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
