"""`liftbot export`: a member's or admin's own copy of the stored messages and their analysis."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.domain import Marker
from bot.pipeline.communities import choose_community
from bot.pipeline.suggestions import suggestions_for_community
from bot.text import formula_safe
from storage import queries
from storage.db import session_scope

FIELDS = (
    "index", "message_id", "platform", "community", "sent_at", "sent_at_utc", "author",
    "system", "system_event", "text", "media", "deleted", "edited", "kind", "confidence",
    "reason", "author_level", "role_level", "reply_to_index", "answered", "resolved",
    "first_answer_index", "first_response_minutes", "suggested_helpers", "topic", "permalink",
)  # fmt: skip


def export_messages(
    engine: Engine, settings: Settings, community: str | None, fmt: str, stream: TextIO
) -> int:
    """Write every stored message of a community as `jsonl` or `csv`; returns the count."""
    with session_scope(engine) as session:
        chosen = choose_community(session=session, name=community, settings=settings)
        records = _records(session, chosen.id or 0, chosen.name, ZoneInfo(chosen.timezone))
        if fmt == "csv":
            return _write_csv(records, stream)
        count = 0
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count


def _records(
    session: Any, community_id: int, name: str, zone: ZoneInfo
) -> Iterator[dict[str, Any]]:
    # Answers come after their requests, so positions are known before rows are written.
    ids = queries.export_ids(session=session, community_id=community_id)
    helpers = suggestions_for_community(session, community_id)
    index_of = {message_id: index for index, message_id in enumerate(ids)}
    rows = queries.export_rows(session=session, community_id=community_id)
    for index, (row, author) in enumerate(rows):
        local = row.sent_at.astimezone(zone).replace(tzinfo=None)
        is_request = row.kind == "help_request"
        yield {
            "index": index,
            "message_id": row.source_key,
            "platform": row.platform,
            "community": name,
            "sent_at": local.isoformat(timespec="seconds" if local.second else "minutes"),
            "sent_at_utc": row.sent_at.isoformat(),
            "author": author,
            "system": row.system,
            "system_event": row.system_event,
            "text": row.text,
            "media": row.marker == Marker.MEDIA.value,
            "deleted": row.deleted,
            "edited": row.edited,
            "kind": row.kind,
            "confidence": round(row.kind_confidence, 3),
            "reason": row.kind_reason,
            "author_level": row.author_level if author else None,
            "role_level": row.role_level if row.kind == "job_post" else None,
            "reply_to_index": index_of.get(row.reply_to_id) if row.reply_to_id else None,
            "answered": row.answered if is_request else None,
            "resolved": row.resolved if is_request else None,
            "first_answer_index": index_of.get(row.first_answer_id or 0) if is_request else None,
            "first_response_minutes": row.first_response_minutes if is_request else None,
            "suggested_helpers": helpers.get(row.id or 0, []) if is_request else None,
            "topic": row.topic,
            "permalink": row.permalink,
        }


def _write_csv(records: Iterator[dict[str, Any]], stream: TextIO) -> int:
    writer = csv.DictWriter(stream, fieldnames=FIELDS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow({k: csv_safe(v) for k, v in record.items()})
        count += 1
    return count


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (CSV injection); lists become `a; b`."""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    return formula_safe(value) if isinstance(value, str) else value
