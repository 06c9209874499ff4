"""An export file into the database: read by `whatsapp_export`, stored by `bot.pipeline.importer`.

The one way a file becomes stored messages, whoever brings it: `liftbot import`, a moderator's
upload to the Slack bot, or an export shared with the WhatsApp number.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.pipeline.importer import ImportSummary, import_entries
from handlers.whatsapp_export import DateOrder, open_export, parse_export


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
    """Import one export file (.txt or .zip) into a community; re-importing adds nothing.

    The file is read through once before anything is stored (reading costs a fraction of
    storing), so a malformed one is a single ExportFormatError and leaves no rows behind.
    """
    source = open_export(path, max_bytes=settings.max_import_bytes)
    for _ in parse_export(source, date_order=date_order):
        pass
    return import_entries(
        source.name,
        parse_export(source, date_order=date_order),
        engine=engine,
        settings=settings,
        community=community,
        timezone=timezone,
        progress=progress,
        link_answers=link_answers,
    )
