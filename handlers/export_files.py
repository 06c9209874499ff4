"""An export file into the database: read by `whatsapp_export`, stored by `bot.pipeline.importer`.

The one way a file becomes stored messages, whoever brings it: `liftbot import`, a moderator's
upload to the Slack bot, or an export shared with the WhatsApp number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.domain import ExportEntry
from bot.pipeline.importer import ImportSummary, import_entries
from handlers.whatsapp_export import DateOrder, ExportFormatError, open_export, parse_export


def read_export(
    path: Path, *, max_bytes: int, date_order: DateOrder | None = None
) -> tuple[str, Iterator[ExportEntry]]:
    """The chat's name and its entries; a file that is not an export is refused here, first.

    The first entry is read here: that reads the file's layout and day/month order, so a PDF
    renamed .txt, an empty file or a file without WhatsApp headers fails now, not mid-import.
    """
    source = open_export(path, max_bytes=max_bytes)
    entries = parse_export(source, date_order=date_order)
    first = next(entries, None)
    if first is None:
        raise ExportFormatError(f"not a WhatsApp chat export: {path.name} holds no messages")
    return source.name, chain([first], entries)


def import_file(
    path: Path,
    *,
    engine: Engine,
    settings: Settings,
    community: str | None = None,
    date_order: DateOrder | None = None,
    timezone: str | None = None,
    progress: Callable[[int], None] | None = None,
    link_answers: bool = True,
) -> ImportSummary:
    """Import one export file (.txt or .zip) into a community; re-importing adds nothing."""
    name, entries = read_export(path, max_bytes=settings.max_import_bytes, date_order=date_order)
    return import_entries(
        name,
        entries,
        engine=engine,
        settings=settings,
        community=community,
        timezone=timezone,
        progress=progress,
        link_answers=link_answers,
    )
