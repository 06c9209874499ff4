"""WhatsApp through Twilio: the webhook routes and the pure translation of Twilio's form fields.

No official API lets a bot read a WhatsApp group, so Liftbot on WhatsApp is a number members and
admins write to directly (help desk, commands, export inbox); the group itself arrives as exports.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from xml.sax.saxutils import escape

from sqlalchemy.engine import Engine
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.config import Settings
from bot.domain import ChatMessage, Marker, Platform
from bot.pipeline.classifier_book import ClassifierBook
from bot.privacy.identity import mask_e164, phone_key
from bot.text import split_message, strip_controls
from handlers.whatsapp.webhook import (
    BodyTooLarge,
    FormError,
    TwilioForm,
    parse_form,
    public_url,
    read_capped,
    signature_ok,
)

log = logging.getLogger(__name__)

MAX_MEDIA = 10  # Twilio sends at most 10 media per message
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_SID = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")
EXPORT_TYPES = frozenset(
    {"text/plain", "application/zip", "application/x-zip-compressed", "application/x-zip"}
)


class WhatsAppServices(Protocol):
    """What the WhatsApp routes need from the composition root."""

    settings: Settings
    engine: Engine
    classifiers: ClassifierBook


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
    """A verified incoming WhatsApp message, ready for the desk; holds the raw number in memory."""

    message: ChatMessage
    sender_e164: str
    media: tuple[Media, ...]


def sender_number(form: Mapping[str, str]) -> str:
    """The E.164 number in `From` (`whatsapp:+919876543210`); FormError otherwise."""
    raw = form.get("From", "")
    if not raw.startswith("whatsapp:"):
        raise FormError("From is not a WhatsApp address")
    number = raw[len("whatsapp:") :]
    if not _E164.match(number):
        raise FormError("From is not an E.164 number")
    return number


def message_sid(form: Mapping[str, str]) -> str:
    """The MessageSid (SM…/MM…); FormError when missing or malformed."""
    sid = form.get("MessageSid", "") or form.get("SmsMessageSid", "")
    if not _SID.match(sid):
        raise FormError("MessageSid is missing or malformed")
    return sid


def media_of(form: Mapping[str, str]) -> tuple[Media, ...]:
    """Announced attachments; NumMedia must be a small integer, missing URLs are skipped."""
    raw = form.get("NumMedia", "0").strip() or "0"
    if not raw.isdigit() or int(raw) > MAX_MEDIA:
        raise FormError("NumMedia is not a number from 0 to 10")
    found = []
    for index in range(int(raw)):
        url = form.get(f"MediaUrl{index}", "")
        if url.startswith(("https://", "http://")):
            kind = form.get(f"MediaContentType{index}", "") or "application/octet-stream"
            found.append(Media(url, kind[:100]))
    return tuple(found)


def display_name(form: Mapping[str, str], number: str) -> str:
    """ProfileName without control or bidi-override characters, else the masked number."""
    name = " ".join(strip_controls(form.get("ProfileName", "")).split())[:200]
    return name or mask_e164(number)


def to_chat_message(
    form: Mapping[str, str], community: str, *, secret: str, received_at: datetime
) -> ChatMessage:
    """Twilio's form fields as a ChatMessage; the member key is an HMAC of the number."""
    number = sender_number(form)
    media = media_of(form)
    body = form.get("Body", "")
    replied = form.get("OriginalRepliedMessageSid", "")
    forwarded = any(form.get(f, "").lower() == "true" for f in ("Forwarded", "FrequentlyForwarded"))
    return ChatMessage(
        platform=Platform.WHATSAPP,
        community=community,
        source_key=message_sid(form),
        sent_at=received_at,
        author_key=phone_key(secret, number),
        author_name=display_name(form, number),
        text=body,
        marker=Marker.MEDIA if media and not body.strip() else None,
        reply_to_source_key=replied if _SID.match(replied) else None,
        forwarded=forwarded,
    )


def read_inbound(
    form: Mapping[str, str], community: str, *, secret: str, received_at: datetime
) -> Inbound:
    """The verified form as an Inbound (message, raw sender number, attachments)."""
    message = to_chat_message(form, community, secret=secret, received_at=received_at)
    return Inbound(message, sender_number(form), media_of(form))


def twiml(text: str | None = None, background: BackgroundTask | None = None) -> Response:
    """A TwiML answer: `<Response/>` when there is nothing to say."""
    body = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
    if text:
        messages = "".join(f"<Message>{escape(part)}</Message>" for part in split_message(text))
        body = f'<?xml version="1.0" encoding="UTF-8"?><Response>{messages}</Response>'
    return Response(body, media_type="text/xml", background=background)


async def verified_form(request: Request, settings: Settings) -> TwilioForm | Response:
    """The form of a correctly signed request, or the 4xx response to give instead."""
    try:
        form = parse_form(await read_capped(request, settings.max_body_bytes))
    except BodyTooLarge:
        return Response("request body too large", status_code=413)
    except FormError as exc:
        return Response(str(exc), status_code=400)
    url = public_url(settings.public_base_url, request)
    signature = request.headers.get("x-twilio-signature", "")
    if not signature_ok(settings.twilio_auth_token, url, form, signature):
        if not settings.public_base_url:
            log.error("Twilio webhook refused: LIFTBOT_PUBLIC_BASE_URL is not set")
        return Response("invalid Twilio signature", status_code=403)
    return form


def routes(services: WhatsAppServices) -> list[Route]:
    """POST /twilio/whatsapp (messages) and POST /twilio/status (delivery callbacks)."""
    from handlers.whatsapp.desk import Desk

    desk = Desk(services.settings, services.engine, classifiers=services.classifiers)

    async def whatsapp(request: Request) -> Response:
        form = await verified_form(request, services.settings)
        if isinstance(form, Response):
            return form
        try:
            inbound = read_inbound(
                form, desk.community_name, secret=desk.secret, received_at=desk.clock()
            )
        except FormError as exc:
            return Response(str(exc), status_code=400)
        reply = await run_in_threadpool(desk.receive, inbound)
        task = BackgroundTask(desk.process, reply.inbox_id) if reply.process_later else None
        return twiml(reply.text, task)

    async def status(request: Request) -> Response:
        form = await verified_form(request, services.settings)
        if isinstance(form, Response):
            return form
        sid, state = form.text("MessageSid"), form.text("MessageStatus").strip().lower()
        if not _SID.match(sid) or not state or len(state) > 32:
            return Response("MessageSid and MessageStatus are required", status_code=400)
        code = form.text("ErrorCode").strip()[:16] or None
        closed = await run_in_threadpool(desk.record_status, sid, state, code)
        return twiml(None, BackgroundTask(desk.resend_as_template, sid) if closed else None)

    return [
        Route("/twilio/whatsapp", whatsapp, methods=["POST"]),
        Route("/twilio/status", status, methods=["POST"]),
    ]


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
