"""Twilio's WhatsApp webhook fields as Liftbot's own: a ChatMessage, the sender, attachments.

Pure functions: nothing here talks to Twilio or the database. The sender's number is held in
memory only; what is stored is `redacted`, keyed by the number's pseudonym.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain import ChatMessage, Marker, Platform
from bot.privacy.identity import phone_key
from bot.privacy.phones import mask_phone, mask_phones_in_text, normalise_phone
from bot.text import MAX_MESSAGE_CHARS, clean_text, strip_controls
from handlers.whatsapp.webhook import FormError

MAX_MEDIA = 10  # Twilio sends at most 10 media per message
SID = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")  # a MessageSid: SM… or MM… and 32 hex digits
EXPORT_TYPES = frozenset(
    {"text/plain", "application/zip", "application/x-zip-compressed", "application/x-zip"}
)


@dataclass(frozen=True, slots=True)
class Media:
    """One attachment Twilio announced."""

    url: str
    content_type: str

    @property
    def is_export(self) -> bool:
        """A chat export as WhatsApp's share sheet sends it (.txt or .zip)."""
        return self.content_type.split(";")[0].strip().lower() in EXPORT_TYPES


@dataclass(frozen=True, slots=True)
class Inbound:
    """A verified incoming WhatsApp message, ready for the desk.

    The raw number and the body as written are held in memory only (replies, and commands whose
    `@+91…` mentions the directory turns into member keys); `message` is what may be stored.
    """

    message: ChatMessage
    sender_e164: str
    media: tuple[Media, ...]
    body: str = ""


def sender_number(form: Mapping[str, str]) -> str:
    """The E.164 number in `From` (`whatsapp:+919876543210`); FormError otherwise."""
    raw = form.get("From", "")
    if not raw.startswith("whatsapp:"):
        raise FormError("From is not a WhatsApp address")
    number = normalise_phone(raw)
    if number is None or number != raw.removeprefix("whatsapp:"):
        raise FormError("From is not an E.164 number")
    return number


def message_sid(form: Mapping[str, str]) -> str:
    """The MessageSid (SM…/MM…); FormError when missing or malformed."""
    sid = form.get("MessageSid", "") or form.get("SmsMessageSid", "")
    if not SID.match(sid):
        raise FormError("MessageSid is missing or malformed")
    return sid


def media_of(form: Mapping[str, str]) -> tuple[Media, ...]:
    """Announced attachments; NumMedia must be a small integer, missing URLs are skipped."""
    raw = form.get("NumMedia", "0").strip() or "0"
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 2) or int(raw) > MAX_MEDIA:
        raise FormError("NumMedia is not a number from 0 to 10")
    found = []
    for index in range(int(raw)):
        url = form.get(f"MediaUrl{index}", "")
        if url.startswith(("https://", "http://")):
            kind = form.get(f"MediaContentType{index}", "") or "application/octet-stream"
            found.append(Media(url, kind[:100]))
    return tuple(found)


def display_name(form: Mapping[str, str], number: str) -> str:
    """ProfileName without control or bidi-override characters or phone numbers, else the
    masked number."""
    name = " ".join(strip_controls(clean_text(form.get("ProfileName", ""))).split())[:200]
    return mask_phones_in_text(name) or mask_phone(number)


def body_of(form: Mapping[str, str]) -> str:
    """The message as written: clean text, at most as long as WhatsApp allows."""
    return clean_text(form.get("Body", ""))[:MAX_MESSAGE_CHARS]


def to_chat_message(
    form: Mapping[str, str], community: str, *, secret: str, received_at: datetime
) -> ChatMessage:
    """Twilio's form fields as a ChatMessage; the member key is an HMAC of the number, and
    numbers in the text are masked as the author's is."""
    number = sender_number(form)
    media = media_of(form)
    body = body_of(form)
    replied = form.get("OriginalRepliedMessageSid", "")
    forwarded = any(form.get(f, "").lower() == "true" for f in ("Forwarded", "FrequentlyForwarded"))
    return ChatMessage(
        platform=Platform.WHATSAPP,
        community=community,
        source_key=message_sid(form),
        sent_at=received_at,
        author_key=phone_key(secret, number),
        author_name=display_name(form, number),
        text=mask_phones_in_text(body),
        marker=Marker.MEDIA if media and not body.strip() else None,
        reply_to_source_key=replied if SID.match(replied) else None,
        forwarded=forwarded,
    )


def read_inbound(
    form: Mapping[str, str], community: str, *, secret: str, received_at: datetime
) -> Inbound:
    """The verified form as an Inbound (message, raw sender number, attachments, body)."""
    message = to_chat_message(form, community, secret=secret, received_at=received_at)
    return Inbound(message, sender_number(form), media_of(form), body_of(form))


def redacted(message: ChatMessage, media: tuple[Media, ...]) -> dict[str, Any]:
    """What the inbox keeps of a message: no phone number, only the pseudonymous key."""
    return {
        "source_key": message.source_key,
        "community": message.community,
        "sent_at": message.sent_at.isoformat(),
        "author_key": message.author_key,
        "author_name": message.author_name,
        "text": message.text,
        "marker": message.marker.value if message.marker else None,
        "reply_to_source_key": message.reply_to_source_key,
        "forwarded": message.forwarded,
        "media": [[m.url, m.content_type] for m in media],
    }


def restored(payload: Mapping[str, Any]) -> tuple[ChatMessage, tuple[Media, ...]]:
    """The ChatMessage and attachments `redacted` stored."""
    message = ChatMessage(
        platform=Platform.WHATSAPP,
        community=str(payload["community"]),
        source_key=str(payload["source_key"]),
        sent_at=datetime.fromisoformat(str(payload["sent_at"])),
        author_key=payload.get("author_key"),
        author_name=payload.get("author_name"),
        text=str(payload.get("text", "")),
        marker=Marker(payload["marker"]) if payload.get("marker") else None,
        reply_to_source_key=payload.get("reply_to_source_key"),
        forwarded=bool(payload.get("forwarded")),
    )
    return message, tuple(Media(str(u), str(t)) for u, t in payload.get("media", []))
