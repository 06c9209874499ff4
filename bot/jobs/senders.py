"""How Liftbot posts: a small platform-neutral Sender protocol, and fakes that record posts."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from sqlalchemy.engine import Engine

from bot.config import Settings


class SendError(Exception):
    """A post failed in a way that may or may not have reached the platform: never resent."""


class SendRejected(SendError):
    """The platform certainly did not post (refused, or never reached): safe to retry later."""


@dataclass(frozen=True, slots=True)
class ReportMessage:
    """A weekly report rendered once for every platform; a sender uses the form it can post."""

    title: str
    text_chunks: tuple[str, ...]  # ≤ 1,600 characters each (WhatsApp, SMS, terminals)
    blocks: tuple[tuple[dict[str, Any], ...], ...]  # Slack messages, ≤ 50 blocks each
    chart_png: bytes | None = None


class Sender(Protocol):
    """Posts to one platform. Returns the platform's message ids.

    Raise SendRejected when nothing was posted (retried with backoff); any other exception
    counts as "may have posted" and is recorded as `unknown`, never resent.
    """

    def send_text(self, destination: str, text: str, *, thread: str | None = None) -> str:
        """Post `text` to a channel/chat, in reply to `thread` when given."""
        ...

    def send_report(self, destination: str, report: ReportMessage) -> list[str]:
        """Post a weekly report (all its chunks, and the chart where the platform shows images)."""
        ...


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


@dataclass
class ConsoleSender:
    """Prints posts to a stream: `liftbot clock` on a laptop, before platform senders are set up."""

    stream: TextIO = field(default_factory=lambda: sys.stdout)

    def send_text(self, destination: str, text: str, *, thread: str | None = None) -> str:
        """Print a text post."""
        where = f"{destination} (thread {thread})" if thread else destination
        self.stream.write(f"--- to {where}\n{text}\n")
        return "console"

    def send_report(self, destination: str, report: ReportMessage) -> list[str]:
        """Print a report's text chunks."""
        return [self.send_text(destination, chunk) for chunk in _non_empty(report.text_chunks)]


def configured_sender(settings: Settings, engine: Engine) -> Sender | None:
    """Slack's sender when a bot token is set, else WhatsApp's when Twilio is set; else None."""
    # Platform modules are imported here so that bot/ never loads an unused platform's SDK.
    if settings.slack_bot_token:
        from handlers.slack.api import make_client
        from handlers.slack.sender import SlackSender

        client = make_client(settings.slack_bot_token, settings.slack_api_url)
        return SlackSender(client, engine)
    twilio = (settings.twilio_account_sid, settings.twilio_auth_token)
    if all(twilio) and settings.twilio_whatsapp_from:
        from handlers.whatsapp.report_sender import WhatsAppReportSender

        return WhatsAppReportSender.for_settings(settings, engine)
    return None


def _non_empty(chunks: Iterable[str]) -> list[str]:
    return [c for c in chunks if c.strip()]
