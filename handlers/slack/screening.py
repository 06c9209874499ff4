"""What a signed Slack delivery must be before it is queued: clean text, sane shapes and times.

Signed is not sane: Slack's own retries, a replayed test payload or a buggy proxy can carry lone
surrogates, NUL characters (PostgreSQL refuses both), fields of the wrong type (Bolt crashes on
them) or timestamps from 1970 or the year 5138. Such a delivery is acked and kept for the record
as `ignored` or `rejected` with its reason — never retried, never a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.privacy.phones import mask_phones_in_text
from bot.text import clean_text
from storage.inbox import InboxState

# Slack's first public messages date from 2013; nothing real is older.
EARLIEST_TS = 1_356_998_400  # 2013-01-01T00:00:00Z
MAX_FUTURE_SECONDS = 24 * 3600
# Fields never kept: the legacy verification token is a credential.
SECRET_FIELDS = frozenset({"token"})
_STRING_FIELDS = (
    "type",
    "subtype",
    "user",
    "ts",
    "event_ts",
    "thread_ts",
    "text",
    "team",
    "bot_id",
)
_TS_FIELDS = ("ts", "event_ts")


@dataclass(frozen=True, slots=True)
class Screened:
    """A delivery made safe to store, and the state it enters the inbox in."""

    payload: dict[str, Any]
    state: InboxState
    reason: str | None = None


def cleaned(value: Any) -> Any:
    """A JSON value with every string (keys too) cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [cleaned(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(str(k)): cleaned(v) for k, v in value.items()}
    return value


def phones_masked(value: Any) -> Any:
    """A JSON value whose `text` fields (the message, an edit, its blocks and attachments) show
    phone numbers masked, as authors are; ids and timestamps are never touched."""
    if isinstance(value, list):
        return [phones_masked(item) for item in value]
    if isinstance(value, dict):
        return {
            k: mask_phones_in_text(v) if k == "text" and isinstance(v, str) else phones_masked(v)
            for k, v in value.items()
        }
    return value


def screen(payload: Mapping[str, Any], now: float) -> Screened:
    """The delivery cleaned of secrets and bad text, with the inbox state it deserves."""
    safe = {k: v for k, v in cleaned(dict(payload)).items() if k not in SECRET_FIELDS}
    if "event" in safe:
        safe["event"] = phones_masked(safe["event"])
    if not well_formed(safe):
        return Screened(safe, InboxState.IGNORED, "fields of the wrong type")
    reason = _time_problem(safe["event"], now)
    if reason is not None:
        return Screened(safe, InboxState.REJECTED, reason)
    return Screened(safe, InboxState.PENDING)


def well_formed(payload: Mapping[str, Any]) -> bool:
    """The event (and an edited message inside it) has the field types Slack documents."""
    event = payload.get("event")
    if not _fields_ok(event) or not isinstance(payload.get("team_id", ""), str):
        return False
    authorizations = payload.get("authorizations", [])
    if not isinstance(authorizations, list) or not all(isinstance(a, dict) for a in authorizations):
        return False
    assert isinstance(event, dict)
    inner = event.get("message")
    return inner is None or _fields_ok(inner)


def _fields_ok(event: Any) -> bool:
    if not isinstance(event, dict):
        return False
    if any(
        event.get(name) is not None and not isinstance(event[name], str) for name in _STRING_FIELDS
    ):
        return False
    channel = event.get("channel")
    return (
        channel is None
        or isinstance(channel, str)
        or (isinstance(channel, dict) and isinstance(channel.get("id"), str))
    )


def _time_problem(event: Mapping[str, Any], now: float) -> str | None:
    inner = event.get("message")
    stamps = [event.get(f) for f in _TS_FIELDS]
    if isinstance(inner, dict):
        stamps.append(inner.get("ts"))
    for stamp in stamps:
        if not isinstance(stamp, str) or not stamp:
            continue
        seconds = stamp.partition(".")[0]
        if not seconds.isdigit() or len(seconds) > 12:
            return f"malformed timestamp {stamp[:20]!r}"
        if int(seconds) < EARLIEST_TS:
            return f"timestamp {stamp[:20]} is older than Slack"
        if int(seconds) > now + MAX_FUTURE_SECONDS:
            return f"timestamp {stamp[:20]} is more than a day ahead"
    return None
