"""Readable conversation fixtures: write a chat as lines of (time, author, kind, text)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain import Classification, Kind, Turn
from bot.judgement.conversation import analyze_conversation

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


class TableClassifier:
    """A classifier that answers from a fixed table, so tests judge threads alone."""

    def __init__(self, table: dict[str, Kind]) -> None:
        self.table = table

    def classify(
        self, text: str, *, forwarded: bool = False, is_reply: bool = False
    ) -> Classification:
        return Classification(self.table.get(text, Kind.OTHER), 0.9, "table")


def listed(lines: tuple[tuple[str, str | None, str, str], ...]) -> list[int]:
    """The turns a weekly report would list as unanswered requests, kinds as written."""
    turns, kinds = chat(*lines)
    table = {t.text: k for t, k in zip(turns, kinds, strict=True)}
    analysis = analyze_conversation(turns, classifier=TableClassifier(table), suggest=False)
    return [
        a.turn.index
        for a in analysis
        if a.classification.kind == Kind.HELP_REQUEST and not a.facts.answered
    ]
