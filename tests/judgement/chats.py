"""Readable conversation fixtures: write a chat as lines of (time, author, kind, text)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain import Kind, Turn

DAY0 = datetime(2024, 3, 4)

KINDS = {"ask": Kind.HELP_REQUEST, "job": Kind.JOB_POST, "gyaan": Kind.GYAAN, "-": Kind.OTHER}


def chat(
    *lines: tuple[str, str | None, str, str], reply_to: dict[int, int] | None = None
) -> tuple[list[Turn], list[Kind]]:
    """Turns and kinds from lines like ("d1 09:15", "Asha", "ask", "Any POSH trainer in Pune?").

    The time is "HH:MM" on day 0 or "dN HH:MM" on day N; author None makes a system line;
    `reply_to` maps a line number to the line it structurally replies to (Slack thread, WA quote).
    """
    turns, kinds = [], []
    for index, (when, author, kind, text) in enumerate(lines):
        day, _, clock = when.rpartition(" ")
        hours, minutes = (int(x) for x in clock.split(":"))
        offset = timedelta(days=int(day[1:]) if day else 0, hours=hours, minutes=minutes)
        turns.append(
            Turn(
                index=index,
                sent_at=DAY0 + offset,
                author=author,
                text=text,
                system=author is None,
                reply_to=(reply_to or {}).get(index),
                media=text == "<Media omitted>",
            )
        )
        kinds.append(KINDS[kind])
    return turns, kinds
