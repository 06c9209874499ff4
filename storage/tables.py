"""SQLModel tables. Every externally sourced row has a natural-key unique constraint."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.states import ImportRunState, JobRunState
from storage.types import UTCDateTime


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def _ts(nullable: bool = False, index: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Community(SQLModel, table=True):
    """A group: a Slack workspace/channel set or a WhatsApp group."""

    __tablename__ = "community"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    platform: str = Field(max_length=32)
    timezone: str = Field(default="Asia/Kolkata", max_length=64)
    external_id: str | None = Field(default=None, max_length=64, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class CommunitySetting(SQLModel, table=True):
    """One setting a moderator chose for a community (`/lift config …`); absent: the default."""

    __tablename__ = "community_setting"
    __table_args__ = (UniqueConstraint("community_id", "name", name="uq_community_setting"),)
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    name: str = Field(max_length=40)
    value: str = Field(max_length=500)
    updated_by: str = Field(default="", max_length=128)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Member(SQLModel, table=True):
    """A person in a community; `key` is a Slack user id or an HMAC pseudonym, never a phone."""

    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("community_id", "key", name="uq_member_key"),)
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    key: str = Field(max_length=128)
    display_name: str = Field(max_length=200)
    title: str | None = Field(default=None, max_length=300)
    level: str = Field(default="unknown", max_length=16)
    level_source: str = Field(default="none", max_length=16)
    level_reason: str = Field(default="", max_length=300)
    is_bot: bool = False
    is_moderator: bool = False
    last_inbound_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    # WhatsApp: None = never said, True/False = "helper on"/"helper off".
    helper_opt_in: bool | None = None
    # WhatsApp: the phone number encrypted with the secret key (bot/privacy/sealing.py), so the
    # bot can message a helper; the database alone never reveals it.
    contact_sealed: str | None = Field(default=None, max_length=400)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    # When they left the group (a WhatsApp "left"/"removed" line, a Slack channel leave); None
    # while present. Retention erases the name of a member gone longer than its limit.
    departed_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class Message(SQLModel, table=True):
    """A stored message with its judgement. `source_key` is its natural key in the community."""

    __tablename__ = "message"
    __table_args__ = (
        UniqueConstraint("community_id", "source_key", name="uq_message_source"),
        Index("ix_message_community_sent", "community_id", "sent_at"),
        Index("ix_message_community_kind_sent", "community_id", "kind", "sent_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    platform: str = Field(max_length=32)
    source_key: str = Field(max_length=200)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    sent_at: datetime = Field(sa_column=_ts())
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    system: bool = False
    system_event: str | None = Field(default=None, max_length=32)
    marker: str | None = Field(default=None, max_length=16)
    edited: bool = False
    deleted: bool = False  # tombstone: a delete wins over a late original
    is_bot: bool = False
    forwarded: bool = False
    thread_key: str | None = Field(default=None, max_length=200, index=True)
    reply_to_source_key: str | None = Field(default=None, max_length=200)
    permalink: str | None = Field(default=None, max_length=500)
    kind: str = Field(default="other", max_length=16)
    kind_confidence: float = 0.0
    kind_reason: str = Field(default="", max_length=300)
    kind_source: str = Field(default="model", max_length=16)  # model | moderator
    role_level: str | None = Field(default=None, max_length=16)
    author_level: str = Field(default="unknown", max_length=16)
    reply_to_id: int | None = Field(default=None, foreign_key="message.id", index=True)
    substantive: bool = False
    answered: bool | None = None
    resolved: bool | None = None
    first_answer_id: int | None = Field(default=None, foreign_key="message.id")
    first_response_minutes: float | None = None
    topic: str | None = Field(default=None, max_length=40)
    import_id: int | None = Field(default=None, foreign_key="import_run.id", index=True)
    # A help request's newest thread message (a bump, a follow-up, an answer): a report lists one
    # request per ask and shows when it last moved.
    latest_activity_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class LevelTag(SQLModel, table=True):
    """A moderator's or the member's own seniority statement."""

    __tablename__ = "level_tag"
    __table_args__ = (UniqueConstraint("member_id", "source", name="uq_level_tag"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    level: str = Field(max_length=16)
    source: str = Field(max_length=16)  # moderator_tag | own_statement
    tagged_by: str = Field(default="", max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Expertise(SQLModel, table=True):
    """A topic a member declared (or a moderator declared for them)."""

    __tablename__ = "expertise"
    __table_args__ = (UniqueConstraint("member_id", "topic", name="uq_expertise"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    topic: str = Field(max_length=60)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Correction(SQLModel, table=True):
    """A moderator's reclassification; the classifier learns from these."""

    __tablename__ = "correction"
    __table_args__ = (UniqueConstraint("message_id", name="uq_correction_message"),)
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    message_id: int | None = Field(default=None, foreign_key="message.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(max_length=16)
    corrected_by: str = Field(default="", max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class InboxEvent(SQLModel, table=True):
    """An external delivery (Slack event_id, Twilio MessageSid, command trigger), stored once.

    Its `source` and `status` take the values of `storage.inbox.InboxSource`/`InboxState`.
    """

    __tablename__ = "inbox_event"
    __table_args__ = (
        UniqueConstraint("source", "event_id", name="uq_inbox_event"),
        Index("ix_inbox_event_due", "source", "status", "next_attempt_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=32)
    event_id: str = Field(max_length=200)
    payload: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=16)
    error: str | None = Field(default=None, max_length=500)
    received_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    processed_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    next_attempt_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class JobRun(SQLModel, table=True):
    """A scheduled send claimed once per (job, community, period) across all processes."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "community_id", "period", name="uq_job_run"),)
    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=40)
    community_id: int = Field(foreign_key="community.id")
    period: str = Field(max_length=80)
    status: str = Field(default=JobRunState.CLAIMED.value, max_length=16)  # a JobRunState
    attempts: int = 0
    claimed_by: str = Field(default="", max_length=100)
    claimed_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    finished_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    error: str | None = Field(default=None, max_length=500)


class ImportRun(SQLModel, table=True):
    """One import of an export file; its status is an ImportRunState."""

    __tablename__ = "import_run"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    file_name: str = Field(max_length=300)
    status: str = Field(default=ImportRunState.RUNNING.value, max_length=16)
    entries: int = 0
    added: int = 0
    started_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    finished_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class Suppression(SQLModel, table=True):
    """A forgotten member's pseudonym: blocks re-creation from later events or imports."""

    __tablename__ = "suppression"
    __table_args__ = (UniqueConstraint("community_id", "member_key", name="uq_suppression"),)
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    member_key: str = Field(max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Outbox(SQLModel, table=True):
    """An outbound post, keyed so that a retry can never post twice."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("dedupe_key", name="uq_outbox_dedupe"),)
    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=200)
    platform: str = Field(max_length=32)
    destination: str = Field(max_length=200)
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=16)  # storage.outbox.OutboxState or Twilio's
    attempts: int = 0
    external_id: str | None = Field(default=None, max_length=200)
    error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    sent_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class DeliveryStatus(SQLModel, table=True):
    """A Twilio status callback, stored once per (MessageSid, status)."""

    __tablename__ = "delivery_status"
    __table_args__ = (UniqueConstraint("message_sid", "status", name="uq_delivery_status"),)
    id: int | None = Field(default=None, primary_key=True)
    message_sid: str = Field(max_length=64, index=True)
    status: str = Field(max_length=32)
    error_code: str | None = Field(default=None, max_length=16)
    received_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
