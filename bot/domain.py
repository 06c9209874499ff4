"""Platform-neutral vocabulary of Liftbot: kinds, levels, messages and judgements. Pure data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Platform(StrEnum):
    """Where a message came from."""

    SLACK = "slack"
    WHATSAPP = "whatsapp"
    WHATSAPP_EXPORT = "whatsapp_export"


class Kind(StrEnum):
    """Message kinds of LABELS.md."""

    JOB_POST = "job_post"
    HELP_REQUEST = "help_request"
    GYAAN = "gyaan"
    OTHER = "other"


class Level(StrEnum):
    """Seniority levels of LABELS.md; `unknown` where nothing tells."""

    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    EXECUTIVE = "executive"
    UNKNOWN = "unknown"

    @property
    def rank(self) -> int:
        """Order junior < mid < senior < executive; unknown ranks lowest (-1)."""
        return _LEVEL_RANK[self]

    @classmethod
    def known(cls) -> tuple[Level, ...]:
        """The four real levels, lowest first."""
        return (cls.JUNIOR, cls.MID, cls.SENIOR, cls.EXECUTIVE)


_LEVEL_RANK = {
    Level.UNKNOWN: -1,
    Level.JUNIOR: 0,
    Level.MID: 1,
    Level.SENIOR: 2,
    Level.EXECUTIVE: 3,
}


class LevelSource(StrEnum):
    """Where a person's level came from, strongest first (LABELS.md)."""

    MODERATOR_TAG = "moderator_tag"
    OWN_STATEMENT = "own_statement"
    PROFILE_TITLE = "profile_title"
    WRITING = "writing"
    NONE = "none"

    @property
    def strength(self) -> int:
        """Higher is stronger evidence."""
        return _SOURCE_STRENGTH[self]


_SOURCE_STRENGTH = {
    LevelSource.MODERATOR_TAG: 4,
    LevelSource.OWN_STATEMENT: 3,
    LevelSource.PROFILE_TITLE: 2,
    LevelSource.WRITING: 1,
    LevelSource.NONE: 0,
}


class Marker(StrEnum):
    """What a message stands for when it is not (only) text."""

    MEDIA = "media"  # <Media omitted>, image omitted, <attached: …>, (file attached)
    DELETED = "deleted"  # This message was deleted / You deleted this message


@dataclass(frozen=True, slots=True)
class LevelEvidence:
    """A level with the evidence behind it, so a report can say why."""

    level: Level
    source: LevelSource
    reason: str


UNKNOWN_LEVEL = LevelEvidence(Level.UNKNOWN, LevelSource.NONE, "nothing tells")


@dataclass(frozen=True, slots=True)
class Classification:
    """The judged kind of one message."""

    kind: Kind
    confidence: float
    reason: str
    role_level: Level | None = None  # only for job posts


@dataclass(frozen=True, slots=True)
class Turn:
    """One message in a conversation, as the judgement modules see it.

    `index` is the position in the conversation (every entry, system lines included);
    `reply_to` is a reply link the platform states (Slack thread, WhatsApp reply context).
    """

    index: int
    sent_at: datetime
    author: str | None
    text: str
    system: bool = False
    is_bot: bool = False
    reply_to: int | None = None
    media: bool = False
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class HelperSuggestion:
    """A member who could answer a request, and why."""

    name: str
    score: float
    reason: str


@dataclass(slots=True)
class TurnFacts:
    """What answers.py infers for one turn of a conversation."""

    reply_to_index: int | None = None  # for substantive replies
    refers_to_index: int | None = None  # for non-substantive follow-ups (+1, thanks, bumps)
    substantive: bool = False
    # Only for help requests:
    answered: bool | None = None
    resolved: bool | None = None
    first_answer_index: int | None = None
    first_response_minutes: float | None = None
    resolved_index: int | None = None
    latest_activity_index: int | None = None  # the request thread's newest message
    suggested_helpers: list[HelperSuggestion] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A message from any platform, translated by a handler, ready for `ingest`.

    `source_key` is the natural key within the community (Slack `channel:ts`, Twilio MessageSid,
    export content hash); `author_key` identifies the member (Slack user id, HMAC of a phone or
    of an export display name) and never holds a raw phone number.
    """

    platform: Platform
    community: str
    source_key: str
    sent_at: datetime  # aware, UTC
    author_key: str | None
    author_name: str | None
    text: str
    system: bool = False
    system_event: str | None = None
    marker: Marker | None = None
    edited: bool = False
    is_bot: bool = False
    thread_key: str | None = None  # Slack thread_ts / conversation id
    reply_to_source_key: str | None = None  # structural reply target
    forwarded: bool = False
    permalink: str | None = None
    title: str | None = None  # the author's profile title, when the platform gives one


@dataclass(frozen=True, slots=True)
class ExportEntry:
    """One header-started entry of a WhatsApp export: a member message or a system line.

    The export reader (handlers.whatsapp_export) produces them; the import pipeline stores them.
    """

    index: int
    line: int
    sent_at: datetime
    sent_at_text: str
    author: str | None
    text: str
    body: str
    system: bool
    system_event: str | None
    marker: Marker | None
    edited: bool
    author_is_phone: bool
    # The author as the export wrote it (a "~\u202f" prefix kept, bidi marks dropped).
    author_written: str | None
