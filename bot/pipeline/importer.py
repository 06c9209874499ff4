"""Import a WhatsApp export into the database: streaming, batched, idempotent, crash-safe."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.config import Settings, validate_zone
from bot.domain import Platform
from bot.pipeline.import_rows import EntryReader, RowBatch, RowPlan, row_batches
from bot.pipeline.message_rows import MESSAGE_COLUMNS
from bot.pipeline.reanalysis import reanalyze
from storage import queries
from storage.db import session_scope
from storage.tables import Message


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did."""

    community: str
    file_name: str
    entries: int
    added: int
    members: int
    first: datetime | None
    last: datetime | None


def summary_sentence(summary: ImportSummary) -> str:
    """What an import did, in one sentence: the same in the terminal, on Slack and on WhatsApp."""
    span = ""
    if summary.first and summary.last:
        span = f", from {summary.first:%Y-%m-%d} to {summary.last:%Y-%m-%d}"
    return (
        f"Imported {summary.file_name} into '{summary.community}': {summary.entries} messages "
        f"read, {summary.added} new, {summary.members} members{span}."
    )


def community_name_for(path: Path) -> str:
    """Default community name from an export's file name ("WhatsApp Chat with X.txt" -> "X")."""
    stem = path.stem
    for prefix in ("WhatsApp Chat with ", "WhatsApp Chat - ", "WhatsApp Chat "):
        if stem.startswith(prefix):
            return stem[len(prefix) :].strip() or stem
    return stem


def import_entries(
    file_name: str,
    read: EntryReader,
    *,
    engine: Engine,
    settings: Settings,
    community: str | None = None,
    timezone: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    link_answers: bool = True,
    second_process: bool = False,
) -> ImportSummary:
    """Store a read export's entries in a community; re-importing the same file adds nothing.

    `read` yields the entries (from `handlers.whatsapp_export`, through
    `handlers.export_files.import_file`); with `second_process` it runs in a second process
    that parses and classifies while this one writes (it must then pickle). Each batch commits
    on its own, so a crash keeps what was stored and a re-run completes it. Afterwards only the
    stretch of conversation the new messages touch is linked again. `progress` hears, after each
    batch, how many entries it held and the file line reached; `link_answers=False` leaves
    reply links and levels to a later `reanalyze` (benchmarks).
    """
    name = community or community_name_for(Path(file_name))
    zone = validate_zone(timezone or settings.timezone)  # refused before anything is stored
    with session_scope(engine) as session:
        row = queries.ensure_community(
            session=session,
            name=name,
            platform=Platform.WHATSAPP_EXPORT.value,
            timezone=zone,
        )
        assert row.id is not None
        community_id = row.id
        # Messages a crashed run stored were never linked: this run links them too.
        unlinked = queries.running_imports(session=session, community_id=community_id)
        queries.mark_interrupted_imports(session=session, community_id=community_id)
        run = queries.start_import(session=session, community_id=community_id, file_name=file_name)
        assert run.id is not None
        import_id = run.id
        plan = RowPlan(
            community_id=community_id,
            import_id=import_id,
            timezone=zone,
            secret=settings.resolved_secret_key(),
            corrections=tuple(queries.corrections_of(session=session, community_id=community_id)),
            suppressed=frozenset(
                queries.suppressed_keys(session=session, community_id=community_id)
            ),
        )
    count, first, last = 0, None, None
    for batch in row_batches(read, plan, second_process=second_process):
        _store(engine, community_id, batch)
        count += batch.entries
        if batch.first is not None and batch.last is not None:
            first = batch.first if first is None else min(first, batch.first)
            last = batch.last if last is None else max(last, batch.last)
        if progress:
            progress(batch.entries, batch.line)
    with session_scope(engine) as session:
        touched = queries.imported_span(
            session=session, community_id=community_id, import_ids=[*unlinked, import_id]
        )
    if touched is not None and link_answers:
        reanalyze(engine=engine, community_id=community_id, since=touched[0], until=touched[1])
    with session_scope(engine) as session:
        added = queries.count_messages(
            session=session, community_id=community_id, import_id=import_id
        )
        queries.finish_import(
            session=session, import_id=import_id, status="complete", entries=count, added=added
        )
        members = len(queries.members_of(session=session, community_id=community_id))
    return ImportSummary(name, file_name, count, added, members, first, last)


def _store(engine: Engine, community_id: int, batch: RowBatch) -> None:
    """One batch in one transaction: its members, then its messages (existing keys skipped)."""
    with session_scope(engine) as session:
        ids = queries.ensure_members(
            session=session, community_id=community_id, people=batch.people
        )
        queries.insert_rows_ignore(session, Message, MESSAGE_COLUMNS, batch.with_member_ids(ids))
        if batch.moves:
            queries.record_movements(session=session, community_id=community_id, moves=batch.moves)
