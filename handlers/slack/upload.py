"""Export by upload: a moderator DMs the bot a WhatsApp export, and gets the summary back."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.pipeline.importer import community_name_for, summary_sentence
from bot.reports.output import report_output
from handlers.export_files import import_file
from handlers.slack.context import SlackContext
from storage.db import session_scope

log = logging.getLogger(__name__)


def _export_file(event: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for item in event.get("files") or []:
        name = str(item.get("name", "")) if isinstance(item, dict) else ""
        if name.lower().endswith((".txt", ".zip")) and item.get("url_private_download"):
            return item  # type: ignore[no-any-return]
    return None


def _safe_name(name: str) -> str:
    """A file name without folders (the name comes from the uploader)."""
    base = Path(name.replace("\\", "/")).name.strip() or "export.txt"
    return base[:150]


def is_export_upload(event: Mapping[str, Any]) -> bool:
    """A file shared with the bot in a DM that looks like a WhatsApp export (.txt or .zip)."""
    if event.get("channel_type") != "im" or event.get("subtype") != "file_share":
        return False
    files = event.get("files")
    return isinstance(files, list) and any(
        isinstance(f, dict) and str(f.get("name", "")).lower().endswith((".txt", ".zip"))
        for f in files
    )


def import_uploaded_export(context: SlackContext, event: Mapping[str, Any], team_id: str) -> str:
    """Download, import under a community named after the file, and reply in the DM."""
    user, channel, ts = event.get("user"), event.get("channel"), event.get("ts")
    file = _export_file(event)
    if not isinstance(user, str) or not isinstance(channel, str) or file is None:
        return "ignored"
    key = f"slack:upload:{channel}:{ts}"
    with session_scope(context.engine) as session:
        granted = context.granted(session, context.community_id(session, team_id), user)
    if not context.is_moderator(user, granted=granted):
        context.sender.send_text(
            channel, "Only moderators can import WhatsApp exports.", dedupe_key=key
        )
        return "refused"
    reply = _import(context, file)
    context.sender.send_text(channel, reply, dedupe_key=key)
    return "imported"


def _import(context: SlackContext, file: Mapping[str, Any]) -> str:
    name = _safe_name(str(file.get("name", "export.txt")))
    settings = context.settings
    try:
        data = context.api.download(str(file["url_private_download"]), settings.max_import_bytes)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            summary = import_file(
                path, engine=context.engine, settings=settings, community=community_name_for(path)
            )
    except Exception as exc:  # the uploader gets a readable line; details stay in the log
        log.warning("slack export upload failed: %s", type(exc).__name__)
        return f"I could not import {name}: {str(exc)[:200] or type(exc).__name__}"
    return summary_sentence(summary) + "\n\n" + _report_text(context, summary.community)


def _report_text(context: SlackContext, community: str) -> str:
    try:
        return report_output(
            context.engine,
            context.settings,
            community=community,
            week="latest",
            fmt="text",
            now=datetime.now(UTC),
        )
    except Exception as exc:
        log.warning("slack export upload: report failed: %s", type(exc).__name__)
        return ""
