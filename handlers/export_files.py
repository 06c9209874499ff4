"""An export file into the database: read by `whatsapp_export`, stored by `bot.pipeline.importer`.

The one way a file becomes stored messages, whoever brings it: `liftbot import`, a moderator's
upload to the Slack bot, or an export shared with the WhatsApp number.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.pipeline.importer import ImportSummary, import_entries
from handlers.whatsapp_export import DateOrder, ExportFormatError, open_export, parse_export

# Below this size a second process costs more (its start-up, ~1 s) than it saves.
SECOND_PROCESS_FROM_BYTES = 4 * 1024**2


def check_export(path: Path, *, max_bytes: int, date_order: DateOrder | None = None) -> None:
    """Read the whole file once; ExportFormatError if it is not a readable WhatsApp export."""
    source = open_export(path, max_bytes=max_bytes)
    if sum(1 for _ in parse_export(source, date_order=date_order)) == 0:
        raise ExportFormatError(f"not a WhatsApp chat export: {path.name} holds no messages")


def import_file(
    path: Path,
    *,
    engine: Engine,
    settings: Settings,
    community: str | None = None,
    date_order: DateOrder | None = None,
    timezone: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    link_answers: bool = True,
    second_process: bool | None = None,
    checked: bool = False,
) -> ImportSummary:
    """Import one export file (.txt or .zip) into a community; re-importing adds nothing.

    The file is read through once before anything is stored (reading costs a fraction of
    storing), so a PDF renamed .txt, an empty file or a malformed line deep in the file is one
    ExportFormatError and leaves no community, import run or member behind. A large file is then
    parsed and classified in a second process while this one writes (`second_process` None:
    decided by the file's size). `checked`: the caller already ran `check_export`.
    """
    if checked is False:
        check_export(path, max_bytes=settings.max_import_bytes, date_order=date_order)
    source = open_export(path, max_bytes=settings.max_import_bytes)
    if second_process is None:
        second_process = Path(path).stat().st_size >= SECOND_PROCESS_FROM_BYTES
    return import_entries(
        source.name,
        partial(parse_export, source, date_order=date_order),
        engine=engine,
        settings=settings,
        community=community,
        timezone=timezone,
        progress=progress,
        link_answers=link_answers,
        second_process=second_process,
    )


def line_count(path: Path) -> int:
    """About how many lines a .txt export has (for a progress bar's total; a zip: 0, unknown)."""
    lines = 0
    with Path(path).open("rb") as raw:
        if raw.read(4) == b"PK\x03\x04":
            return 0
        raw.seek(0)
        while chunk := raw.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines
