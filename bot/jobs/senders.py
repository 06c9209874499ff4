"""How Liftbot posts: a small platform-neutral Sender protocol, and a console sender for trials.

The platform senders live in handlers/; bot/app/senders.py chooses one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO, runtime_checkable


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
    chart_png: bytes | None = None  # None: a week without help requests has no chart
    html: str | None = None  # the self-contained page, for senders that deliver files
    week: str = ""  # `2026-W47`


@runtime_checkable
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


def _non_empty(chunks: Iterable[str]) -> list[str]:
    return [c for c in chunks if c.strip()]
