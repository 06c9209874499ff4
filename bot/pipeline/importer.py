"""Import a WhatsApp export into the database: streaming, batched, idempotent, crash-safe."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.domain import ChatMessage, ExportEntry, Marker, Platform
from bot.judgement.classify import Classifier
from bot.judgement.verdicts import placeholder_verdict
from bot.pipeline.classifier_book import ClassifierBook
from bot.pipeline.message_rows import message_row
from bot.pipeline.reanalysis import reanalyze
from bot.privacy.identity import name_key, phone_key
from bot.privacy.phones import mask_phone, mask_phones_in_text, normalise_phone
from storage import queries
from storage.db import session_scope
from storage.tables import Message

BATCH_SIZE = 5_000


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


@dataclass(frozen=True, slots=True)
class Author:
    """An export author as stored: a pseudonymous key and a display name safe to show."""

    key: str
    display_name: str


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
    entries: Iterable[ExportEntry],
    *,
    engine: Engine,
    settings: Settings,
    community: str | None = None,
    timezone: str | None = None,
    progress: Callable[[int], None] | None = None,
    link_answers: bool = True,
) -> ImportSummary:
    """Store a read export's entries in a community; re-importing the same file adds nothing.

    Entries come from `handlers.whatsapp_export` (through `handlers.export_files.import_file`).
    Each batch commits on its own, so a crash keeps what was stored and a re-run completes it.
    `link_answers=False` leaves reply links and levels to a later `reanalyze` (benchmarks).
    """
    name = community or community_name_for(Path(file_name))
    zone = timezone or settings.timezone
    secret = settings.resolved_secret_key()
    with session_scope(engine) as session:
        row = queries.ensure_community(
            session=session, name=name, platform=Platform.WHATSAPP_EXPORT.value, timezone=zone
        )
        assert row.id is not None
        community_id = row.id
        queries.mark_interrupted_imports(session=session, community_id=community_id)
        run = queries.start_import(session=session, community_id=community_id, file_name=file_name)
        assert run.id is not None
        import_id = run.id
        classifier = ClassifierBook().classifier_for(session=session, community_id=community_id)
        suppressed = queries.suppressed_keys(session=session, community_id=community_id)
    builder = _RowBuilder(community_id, import_id, ZoneInfo(zone), secret, classifier, suppressed)
    count, first, last = 0, None, None
    for batch in _batches(entries, BATCH_SIZE):
        rows, people = builder.rows(batch)
        with session_scope(engine) as session:
            ids = queries.ensure_members(session=session, community_id=community_id, people=people)
            for r in rows:
                r["member_id"] = ids.get(r.pop("_author_key")) if r.get("_author_key") else None
                r.pop("_author_key", None)
            queries.insert_many_ignore(session, Message, rows)
        count += len(batch)
        if rows:
            # Exports are not always in time order: track the true span.
            times = [r["sent_at"] for r in rows]
            first = min(times) if first is None else min(first, *times)
            last = max(times) if last is None else max(last, *times)
        if progress:
            progress(len(batch))
    if first is not None and link_answers:
        reanalyze(engine=engine, community_id=community_id, since=first)
    with session_scope(engine) as session:
        added = queries.count_messages(
            session=session, community_id=community_id, import_id=import_id
        )
        queries.finish_import(
            session=session, import_id=import_id, status="complete", entries=count, added=added
        )
        members = len(queries.members_of(session=session, community_id=community_id))
    return ImportSummary(name, file_name, count, added, members, first, last)


def _batches(entries: Iterable[ExportEntry], size: int) -> Iterator[list[ExportEntry]]:
    iterator = iter(entries)
    while batch := list(islice(iterator, size)):
        yield batch


class _RowBuilder:
    """Turns parsed entries into message rows with stable natural keys."""

    def __init__(
        self,
        community_id: int,
        import_id: int,
        zone: ZoneInfo,
        secret: str,
        classifier: Classifier,
        suppressed: set[str],
    ) -> None:
        self.community_id, self.import_id, self.zone = community_id, import_id, zone
        self.secret, self.classifier, self.suppressed = secret, classifier, suppressed
        self.authors: dict[str, Author] = {}
        # Identical (time, author, text) lines are told apart by occurrence; remembering recent
        # timestamps only keeps memory flat on million-line exports.
        self.occurrences: OrderedDict[str, dict[str, int]] = OrderedDict()

    def author(self, entry: ExportEntry) -> Author | None:
        """The pseudonymous author of an entry (cached per display name)."""
        if entry.author is None:
            return None
        found = self.authors.get(entry.author)
        if found is None:
            phone = normalise_phone(entry.author) if entry.author_is_phone else None
            if phone:
                found = Author(phone_key(self.secret, phone), mask_phone(phone))
            else:
                name = mask_phones_in_text(entry.author[:200])
                found = Author(name_key(self.secret, entry.author), name)
            self.authors[entry.author] = found
        return found

    def forgotten(self, key: str) -> bool:
        """Whether this author asked to be forgotten (anywhere in the deployment)."""
        return key in self.suppressed or queries.suppression_digest(key) in self.suppressed

    def rows(
        self, batch: list[ExportEntry]
    ) -> tuple[list[dict[str, Any]], dict[str, tuple[str, bool]]]:
        """Message rows and the members they need, skipping forgotten members."""
        rows: list[dict[str, Any]] = []
        people: dict[str, tuple[str, bool]] = {}
        for entry in batch:
            author = self.author(entry)
            if author is not None and self.forgotten(author.key):
                continue
            if author is not None:
                people[author.key] = (author.display_name, False)
            rows.append(self.row(entry, author))
        return rows, people

    def row(self, entry: ExportEntry, author: Author | None) -> dict[str, Any]:
        """One message row (its member id is resolved per batch from `_author_key`)."""
        # Numbers in what people wrote are masked like authors' (`Tagging @+91••••••2345`).
        text = mask_phones_in_text(entry.text)
        message = ChatMessage(
            platform=Platform.WHATSAPP_EXPORT,
            community="",  # the row names its community by id
            source_key=self.source_key(entry, author, text),
            sent_at=entry.sent_at.replace(tzinfo=self.zone).astimezone(UTC),
            author_key=author.key if author else None,
            author_name=author.display_name if author else None,
            text=text,
            system=entry.system,
            system_event=entry.system_event,
            marker=entry.marker,
            edited=entry.edited,
        )
        verdict = placeholder_verdict(system=entry.system, marker=entry.marker)
        row = message_row(
            message,
            community_id=self.community_id,
            verdict=verdict or self.classifier.classify(entry.body),
            deleted=entry.marker is Marker.DELETED,
            import_id=self.import_id,
        )
        row["_author_key"] = message.author_key
        return row

    def source_key(self, entry: ExportEntry, author: Author | None, text: str) -> str:
        """Natural key: time, author, text and occurrence — never the line number."""
        base = f"{entry.sent_at_text}\x1f{author.key if author else ''}\x1f{text}"
        digest = hashlib.sha256(base.encode()).hexdigest()[:32]
        seen = self.occurrences.setdefault(entry.sent_at_text, {})
        self.occurrences.move_to_end(entry.sent_at_text)
        if len(self.occurrences) > 2_000:
            self.occurrences.popitem(last=False)
        occurrence = seen.get(digest, 0)
        seen[digest] = occurrence + 1
        return f"wa:{digest}:{occurrence}"
