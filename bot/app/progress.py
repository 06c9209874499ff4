"""The import's progress bar: lines read, messages stored, their rate and the time left."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class _RateColumn(ProgressColumn):
    """Messages stored per second so far."""

    def render(self, task: Task) -> Text:
        """The rate, once a second has passed."""
        elapsed = task.elapsed or 0.0
        if elapsed < 1:
            return Text("")
        return Text(f"{task.fields['messages'] / elapsed:,.0f} msg/s", style="progress.data.speed")


def import_progress(console: Console) -> Progress:
    """Progress on the terminal: lines read, messages stored, their rate, and time left.
    Quiet when either output is not a terminal (pipes, logs, CI)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[messages]:,} messages"),
        _RateColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not (console.is_terminal and sys.stdout.isatty()),
    )
