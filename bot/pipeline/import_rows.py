"""Export entries into message rows (plain tuples), in this process or in a second one.

Reading and judging an export (parsing, classifying, natural keys) is most of an import's work;
`row_batches` does it here for small files, or in a second process that feeds the writer so that
both cores work. Either way the batches, and so the stored rows, are the same.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import queue
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import ChatMessage, Classification, ExportEntry, Kind, Marker, Platform
from bot.judgement.classify import Classifier
from bot.judgement.verdicts import placeholder_verdict
from bot.pipeline.departures import moved_names
from bot.pipeline.message_rows import MEMBER_ID_POSITION, message_values
from bot.privacy.identity import name_key, phone_key
from bot.privacy.phones import mask_phone, mask_phones_in_text, normalise_phone
from storage.queries.moderation import suppression_digest

BATCH_SIZE = 5_000
QUEUED_BATCHES = 4  # batches the reading process may run ahead of the writer (memory stays flat)
_POLL_SECONDS = 1.0

EntryReader = Callable[[], Iterable[ExportEntry]]


@dataclass(frozen=True, slots=True)
class RowPlan:
    """What turning entries into rows needs; plain data, so it can go to another process."""

    community_id: int
    import_id: int
    timezone: str
    secret: str
    corrections: tuple[tuple[str, str], ...] = ()
    suppressed: frozenset[str] = frozenset()


@dataclass(slots=True)
class RowBatch:
    """One batch of entries as message tuples (MESSAGE_COLUMNS order, member id still empty),
    the author key of each row, the members they need, and the span of their times."""

    entries: int
    line: int = 0  # the last entry's line in the file (progress)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    author_keys: list[str | None] = field(default_factory=list)
    people: dict[str, tuple[str, bool]] = field(default_factory=dict)
    first: datetime | None = None
    last: datetime | None = None
    # (member key, when, departed, name) from "left"/"removed"/"added"/"joined" lines, in order.
    moves: list[tuple[str, datetime, bool, str]] = field(default_factory=list)

    def with_member_ids(self, ids: dict[str, int]) -> list[tuple[Any, ...]]:
        """The rows with their member ids filled in."""
        at = MEMBER_ID_POSITION
        return [
            (*row[:at], ids.get(key) if key else None, *row[at + 1 :])
            for row, key in zip(self.rows, self.author_keys, strict=True)
        ]


@dataclass(frozen=True, slots=True)
class Author:
    """An export author as stored: a pseudonymous key and a display name safe to show."""

    key: str
    display_name: str


def row_batches(read: EntryReader, plan: RowPlan, *, second_process: bool) -> Iterator[RowBatch]:
    """The export's rows in batches of BATCH_SIZE entries, in file order.

    With `second_process`, `read` (which must pickle: a module-level function or a partial of
    one) runs in a spawned process that parses and judges while this one writes.
    """
    if second_process:
        yield from _from_second_process(read, plan)
        return
    builder = RowBuilder(plan)
    for entries in _chunks(read(), BATCH_SIZE):
        yield builder.batch(entries)


def _chunks(entries: Iterable[ExportEntry], size: int) -> Iterator[list[ExportEntry]]:
    iterator = iter(entries)
    while chunk := list(islice(iterator, size)):
        yield chunk


class RowBuilder:
    """Turns parsed entries into message rows with stable natural keys."""

    def __init__(self, plan: RowPlan) -> None:
        self.plan, self.zone = plan, ZoneInfo(plan.timezone)
        self.classifier = Classifier((text, Kind(kind)) for text, kind in plan.corrections)
        self.authors: dict[str, Author] = {}
        # Identical (time, author, text) lines are told apart by occurrence; remembering recent
        # timestamps only keeps memory flat on million-line exports.
        self.occurrences: OrderedDict[str, dict[str, int]] = OrderedDict()
        # Many messages share a minute: convert each wall-clock time to UTC once.
        self.to_utc = lru_cache(maxsize=4_096)(self._to_utc)

    def _to_utc(self, wall_clock: datetime) -> datetime:
        return wall_clock.replace(tzinfo=self.zone).astimezone(UTC)

    def author(self, entry: ExportEntry) -> Author | None:
        """The pseudonymous author of an entry (cached per display name)."""
        if entry.author is None:
            return None
        return self.person(entry.author, is_phone=entry.author_is_phone)

    def person(self, written: str, *, is_phone: bool) -> Author:
        """A member named in the export, keyed and shown as an author would be."""
        found = self.authors.get(written)
        if found is None:
            phone = normalise_phone(written) if is_phone else None
            if phone:
                found = Author(phone_key(self.plan.secret, phone), mask_phone(phone))
            else:
                name = mask_phones_in_text(written[:200])
                found = Author(name_key(self.plan.secret, written), name)
            self.authors[written] = found
        return found

    def moves(self, entry: ExportEntry, at: datetime) -> list[tuple[str, datetime, bool, str]]:
        """The members a system line says left or came back, keyed like authors."""
        found = []
        for name, departed in moved_names(entry.text, entry.system_event):
            person = self.person(name, is_phone=normalise_phone(name) is not None)
            if not self.forgotten(person.key):
                found.append((person.key, at, departed, person.display_name))
        return found

    def forgotten(self, key: str) -> bool:
        """Whether this author asked to be forgotten (anywhere in the deployment)."""
        return key in self.plan.suppressed or suppression_digest(key) in self.plan.suppressed

    def batch(self, entries: list[ExportEntry]) -> RowBatch:
        """Rows for a batch of entries and the members they need, skipping forgotten members."""
        batch = RowBatch(entries=len(entries), line=entries[-1].line if entries else 0)
        kept = []
        for entry in entries:
            author = self.author(entry)
            if author is None or not self.forgotten(author.key):
                kept.append((entry, author))
        verdicts = self.verdicts([entry for entry, _ in kept])
        for (entry, author), verdict in zip(kept, verdicts, strict=True):
            if author is not None:
                batch.people[author.key] = (author.display_name, False)
            row = self.row(entry, author, verdict)
            batch.rows.append(row)
            batch.author_keys.append(author.key if author else None)
            if entry.system and entry.system_event:
                batch.moves += self.moves(entry, row[4])
        if batch.rows:
            # Exports are not always in time order: track the true span.
            times = [row[4] for row in batch.rows]
            batch.first, batch.last = min(times), max(times)
        return batch

    def verdicts(self, entries: list[ExportEntry]) -> list[Classification]:
        """Each entry's kind: a placeholder's, else the classifier's, judged all at once."""
        placeholders = [placeholder_verdict(system=e.system, marker=e.marker) for e in entries]
        asked = [e.body for e, verdict in zip(entries, placeholders, strict=True) if not verdict]
        judged = iter(self.classifier.classify_many(asked))
        return [verdict or next(judged) for verdict in placeholders]

    def row(
        self, entry: ExportEntry, author: Author | None, verdict: Classification
    ) -> tuple[Any, ...]:
        """One message row; its member id is resolved by the writer from the author key."""
        # Numbers in what people wrote are masked like authors' (`Tagging @+91••••••2345`).
        text = mask_phones_in_text(entry.text)
        message = ChatMessage(
            platform=Platform.WHATSAPP_EXPORT,
            community="",  # the row names its community by id
            source_key=self.source_key(entry, author, text),
            sent_at=self.to_utc(entry.sent_at),
            author_key=author.key if author else None,
            author_name=author.display_name if author else None,
            text=text,
            system=entry.system,
            system_event=entry.system_event,
            marker=entry.marker,
            edited=entry.edited,
        )
        return message_values(
            message,
            community_id=self.plan.community_id,
            verdict=verdict,
            deleted=entry.marker is Marker.DELETED,
            import_id=self.plan.import_id,
        )

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


# --- the second process ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Failed:
    """The reading process's error, carried to the writer to be raised there."""

    error: BaseException


def _from_second_process(read: EntryReader, plan: RowPlan) -> Iterator[RowBatch]:
    # spawn, not fork: the writer holds database connections and a progress thread.
    context = multiprocessing.get_context("spawn")
    batches: Any = context.Queue(maxsize=QUEUED_BATCHES)
    reader = context.Process(target=_produce, args=(read, plan, batches, os.getpid()), daemon=True)
    reader.start()
    try:
        while True:
            try:
                item = batches.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if not reader.is_alive():
                    raise RuntimeError("the export reading process stopped unexpectedly") from None
                continue
            if item is None:
                break
            if isinstance(item, _Failed):
                raise item.error
            yield item
        reader.join()
    finally:
        if reader.is_alive():
            reader.terminate()
            reader.join()


def _produce(read: EntryReader, plan: RowPlan, batches: Any, writer_pid: int) -> None:
    """The reading process: parse, judge and queue batches; stop if the writer is gone."""
    try:
        builder = RowBuilder(plan)
        for entries in _chunks(read(), BATCH_SIZE):
            _put(batches, builder.batch(entries), writer_pid)
        _put(batches, None, writer_pid)
    except Exception as exc:  # carried to the writer, which reports it as before
        _put(batches, _Failed(_picklable(exc)), writer_pid)


def _put(batches: Any, item: object, writer_pid: int) -> None:
    while True:
        try:
            batches.put(item, timeout=_POLL_SECONDS)
            return
        except queue.Full:
            if os.getppid() != writer_pid:  # the writer was killed: nobody will read this
                os._exit(1)


def _picklable(exc: Exception) -> Exception:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
