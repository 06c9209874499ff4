"""A sender that writes posts as files: the weekly report as HTML and text, digests as text.

For an exported WhatsApp group the bot cannot post into: the admin opens or forwards the files
(LIFTBOT_REPORT_DIR). One folder per community; each file is written whole (temporary file,
then rename), so a reader never sees half a report.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.jobs.senders import ReportMessage, SendRejected

# Separators, spaces, control characters and what Windows refuses; letters of any script stay.
_UNSAFE = re.compile(r'[\s/\\:*?"<>|\x00-\x1f\x7f]+')


def folder_name(destination: str) -> str:
    """A community's folder: its name with anything unsafe in a file name made `-`."""
    return _UNSAFE.sub("-", destination).strip("-.") or "community"


@dataclass
class FolderSender:
    """The `Sender` protocol over a folder: returns the paths written."""

    root: Path
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def send_text(self, destination: str, text: str, *, thread: str | None = None) -> str:
        """Write a digest (or any text post) as `<community>/<UTC time>-digest.txt`."""
        stamp = self.clock().astimezone(UTC).strftime("%Y-%m-%dT%H%MZ")
        name = (
            f"{stamp}-digest.txt" if thread is None else f"{stamp}-nudge-{folder_name(thread)}.txt"
        )
        return str(self._write(destination, name, text + "\n"))

    def send_report(self, destination: str, report: ReportMessage) -> list[str]:
        """Write `<community>/<week>-report.txt` and, when rendered, `<week>-report.html`."""
        stem = f"{report.week or f'{self.clock():%Y-%m-%d}'}-report"
        written = [self._write(destination, f"{stem}.txt", "\n\n".join(report.text_chunks) + "\n")]
        if report.html is not None:
            written.append(self._write(destination, f"{stem}.html", report.html))
        return [str(path) for path in written]

    def _write(self, destination: str, name: str, content: str) -> Path:
        folder = self.root / folder_name(destination)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".writing-")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(content)
            target = folder / name
            os.replace(temporary, target)
        except OSError as exc:
            # Nothing reached the folder under its name: safe to retry after the backoff.
            raise SendRejected(f"could not write to {folder}: {exc.strerror or exc}") from exc
        return target
