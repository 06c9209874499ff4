"""The public JSON contracts of `liftbot analyze / classify / seniority / export` (see README)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from bot.domain import Kind, Level, Marker, Turn
from bot.judgement.classify import Classifier
from bot.judgement.conversation import TurnAnalysis, analyze_conversation
from bot.judgement.seniority import level_of_title, statement_level
from handlers.whatsapp_export import (
    DateOrder,
    ExportEntry,
    detect_layout,
    open_export,
    parse_export,
)


class InputError(ValueError):
    """A line of JSON input is not what the contract asks for."""


def read_records(stream: TextIO) -> Iterator[dict[str, Any]]:
    """`{"id", "text"}` objects, one per line; blank lines skipped; bad lines raise InputError."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f'line {number}: expected an object with a "text" string')
        yield record


def classify_records(
    records: Iterable[dict[str, Any]], classifier: Classifier
) -> Iterator[dict[str, Any]]:
    """`{"id", "kind", "confidence", "reason", "author_level", "role_level"}` per record."""
    for record in records:
        verdict = classifier.classify(record["text"])
        author = statement_level(record["text"])
        role = verdict.role_level if verdict.kind is Kind.JOB_POST else None
        yield {
            "id": record.get("id"),
            "kind": verdict.kind.value,
            "confidence": round(verdict.confidence, 3),
            "reason": verdict.reason,
            "author_level": (author.level if author else Level.UNKNOWN).value,
            "role_level": (role or Level.UNKNOWN).value if verdict.kind is Kind.JOB_POST else None,
        }


def seniority_records(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """`{"id", "level", "reason"}` per record (a title, display name or self-introduction)."""
    for record in records:
        found = level_of_title(record["text"])
        if found.level is Level.UNKNOWN:
            found = statement_level(record["text"]) or found
        yield {"id": record.get("id"), "level": found.level.value, "reason": found.reason}


def entry_turn(entry: ExportEntry) -> Turn:
    """The judgement view of a parsed export entry."""
    return Turn(
        index=entry.index,
        sent_at=entry.sent_at,
        author=entry.author,
        text=entry.body,
        system=entry.system,
        media=entry.marker is Marker.MEDIA,
        deleted=entry.marker is Marker.DELETED,
    )


def analyze_file(path: Path, *, date_order: DateOrder | None = None) -> Iterator[dict[str, Any]]:
    """Parse and judge an export without a database: one record per header-started entry."""
    entries = list(parse_export(open_export(path), date_order=date_order))
    analyses = analyze_conversation([entry_turn(e) for e in entries], classifier=Classifier())
    # Names are judged without the export's "~ " prefix but reported as the export wrote them.
    written = {e.author: e.author_written for e in entries if e.author and e.author_written}
    for entry, analysis in zip(entries, analyses, strict=True):
        yield analysis_record(entry, analysis, written)


def export_meta(path: Path, *, date_order: DateOrder | None = None) -> dict[str, Any]:
    """What the reader made of an export's layout: `analyze --meta`'s first line."""
    layout = detect_layout(open_export(path), date_order=date_order)
    return {
        "meta": {
            "format": layout.platform,
            "header_example": layout.example,
            "date_order": layout.date_order.value,
            "date_order_assumed": layout.order_note,
            "twelve_hour": layout.twelve_hour,
            "language": layout.language,
        }
    }


def analysis_record(
    entry: ExportEntry, analysis: TurnAnalysis, written: dict[str, str]
) -> dict[str, Any]:
    """The `analyze` JSON object for one entry."""
    verdict, facts = analysis.classification, analysis.facts
    is_request = verdict.kind is Kind.HELP_REQUEST
    return {
        "index": entry.index,
        "line": entry.line,
        "sent_at": entry.sent_at_text,
        "author": entry.author_written,
        "system": entry.system,
        "system_event": entry.system_event,
        "text": entry.text,
        "media": entry.marker is Marker.MEDIA,
        "deleted": entry.marker is Marker.DELETED,
        "edited": entry.edited,
        "kind": verdict.kind.value,
        "confidence": round(verdict.confidence, 3),
        "reason": verdict.reason,
        "author_level": analysis.author_level.level.value if entry.author else None,
        "role_level": (verdict.role_level or Level.UNKNOWN).value
        if verdict.kind is Kind.JOB_POST
        else None,
        "reply_to_index": facts.reply_to_index,
        "answered": facts.answered if is_request else None,
        "resolved": facts.resolved if is_request else None,
        "first_answer_index": facts.first_answer_index if is_request else None,
        "first_response_minutes": _minutes(facts.first_response_minutes) if is_request else None,
        "suggested_helpers": [written.get(s.name, s.name) for s in facts.suggested_helpers]
        if is_request
        else None,
    }


def _minutes(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
