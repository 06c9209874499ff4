"""What Liftbot does with a message to its WhatsApp number: commands, help desk, export inbox."""

from __future__ import annotations

import json
import logging
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config import Settings
from bot.domain import ChatMessage, Kind, Level
from bot.pipeline.classifier_book import ClassifierBook
from bot.pipeline.importer import import_export, summary_sentence
from bot.pipeline.ingest import ingest
from bot.pipeline.suggestions import suggest_for_message
from bot.privacy.identity import phone_key
from bot.privacy.sealing import SealError, seal, unseal
from bot.text import split_message
from handlers.commands import Actor, CommandContext, CommandError, parse, run, text_reporter
from handlers.whatsapp.api import MediaError, TwilioApi
from handlers.whatsapp.routes import Inbound, Media, redacted, restored
from handlers.whatsapp.sender import TERMINAL, TwilioSender, advances
from storage import queries
from storage.db import session_scope
from storage.tables import DeliveryStatus, InboxEvent, Member, Message, Outbox, utcnow

log = logging.getLogger(__name__)

INBOX_SOURCE = "twilio_message"
MAX_HELPERS = 3
STALE_PROCESSING = timedelta(minutes=10)
ACK = "Got it — I'll find someone who can help."
REFUSAL = (
    "Thanks! Only the community's moderators can import chat exports, so I haven't stored "
    "this file. Ask a moderator to share it with me."
)
IMPORTING = "Got the export — importing it now; I'll send a summary when it's done."
_PLAIN_COMMANDS = {"help", "unanswered", "forget me", "helper on", "helper off"}
_DIGITS = re.compile(r"^\+?[1-9]\d{6,14}$")
_SID = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")


def e164(text: str) -> str | None:
    """`+919876543210` from `+91 98765 43210`, `919876543210` or `whatsapp:+91…`; else None."""
    cleaned = re.sub(r"[\s().-]", "", text.removeprefix("whatsapp:"))
    if not _DIGITS.match(cleaned):
        return None
    return cleaned if cleaned.startswith("+") else f"+{cleaned}"


def command_text(body: str) -> str | None:
    """The command in a message (`/lift …`, `lift …`, or a plain keyword), else None."""
    stripped = " ".join(body.split())
    low = stripped.lower()
    if low.startswith("/lift"):
        return stripped
    if low == "lift":
        return "help"
    if low.startswith("lift "):
        return stripped[5:]
    if low in _PLAIN_COMMANDS or low.startswith("iam "):
        return stripped
    return None


@dataclass(frozen=True, slots=True)
class WhatsAppDirectory:
    """Mentions are phone numbers (`@+919876543210`), keyed by HMAC like every member."""

    secret: str

    def member_key(self, mention: str) -> str | None:
        """Member key for `@+919876543210` or `@919876543210`."""
        number = e164(mention.removeprefix("@"))
        return phone_key(self.secret, number) if number else None

    def message_key(self, reference: str) -> str | None:
        """A Twilio MessageSid is the message's key; `#id` is handled by commands.py."""
        return reference if _SID.match(reference) else None


@dataclass(frozen=True, slots=True)
class Receipt:
    """The immediate answer to a webhook: what to say now, and whether work follows."""

    inbox_id: int | None
    text: str | None = None
    process_later: bool = False


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message the desk wants sent, deduplicated by its key."""

    member_key: str
    body: str
    dedupe_key: str


@dataclass
class Desk:
    """The WhatsApp help desk: receives verified messages, processes them, records delivery."""

    settings: Settings
    engine: Engine
    sender: TwilioSender | None = None
    api: TwilioApi | None = None
    clock: Callable[[], datetime] = utcnow
    classifiers: ClassifierBook = field(default_factory=ClassifierBook)
    secret: str = field(default="", init=False)
    moderator_keys: frozenset[str] = field(default_factory=frozenset, init=False)

    def __post_init__(self) -> None:
        self.secret = self.settings.resolved_secret_key()
        self.api = self.api or TwilioApi(self.settings)
        self.sender = self.sender or TwilioSender(self.settings, self.engine, self.api, self.clock)
        numbers = (e164(n) for n in self.settings.whatsapp_moderators)
        self.moderator_keys = frozenset(phone_key(self.secret, n) for n in numbers if n)

    @property
    def community_name(self) -> str:
        """The community messages to the number belong to."""
        return self.settings.whatsapp_community_name

    def _community_id(self, session: Session) -> int:
        community = queries.ensure_community(
            session=session,
            name=self.community_name,
            platform="whatsapp",
            timezone=self.settings.timezone,
        )
        assert community.id is not None
        return community.id

    # --- in the request: persist, then answer what can be answered at once -------------------

    def receive(self, inbound: Inbound) -> Receipt:
        """Store the delivery once; run commands and refusals now, queue the rest."""
        message = inbound.message
        is_export = any(m.is_export for m in inbound.media)
        payload = redacted(message, inbound.media) | {"kind": "export" if is_export else "message"}
        with session_scope(self.engine) as session:
            community_id = self._community_id(session)
            inbox_id = self._store_once(session, message.source_key, payload)
            if inbox_id is None:
                return Receipt(None)
            assert message.author_key is not None
            if not queries.is_suppressed(
                session=session, community_id=community_id, key=message.author_key
            ):
                self._remember(session, community_id, message, inbound.sender_e164)
            actor = Actor(
                message.author_key,
                message.author_name or "",
                message.author_key in self.moderator_keys,
            )
            if is_export and not actor.is_moderator:
                _finish(session, inbox_id, "done", "export refused: not a moderator")
                return Receipt(inbox_id, REFUSAL)
            if is_export:
                return Receipt(inbox_id, IMPORTING, process_later=True)
            text = command_text(message.text)
            if text is None:
                return Receipt(inbox_id, process_later=True)
            return Receipt(inbox_id, self._command(session, community_id, inbox_id, actor, text))

    def _store_once(self, session: Session, sid: str, payload: dict[str, Any]) -> int | None:
        inserted = queries.insert_ignore(
            session,
            InboxEvent,
            {
                "source": INBOX_SOURCE,
                "event_id": sid,
                "payload": json.dumps(payload, ensure_ascii=False),
                "status": "pending",
                "received_at": self.clock(),
            },
        )
        if not inserted:
            return None
        found = session.execute(
            select(col(InboxEvent.id)).where(
                col(InboxEvent.source) == INBOX_SOURCE, col(InboxEvent.event_id) == sid
            )
        ).scalar_one()
        return int(found)

    def _remember(
        self, session: Session, community_id: int, message: ChatMessage, number: str
    ) -> None:
        """Create the member, open the 24-hour window, keep the number sealed for replies."""
        assert message.author_key is not None
        name = message.author_name or ""
        queries.ensure_members(
            session=session, community_id=community_id, people={message.author_key: (name, False)}
        )
        member = queries.member_by_key(
            session=session, community_id=community_id, key=message.author_key
        )
        assert member is not None
        member.last_inbound_at = self.clock()
        member.display_name = name[:200] or member.display_name
        member.is_moderator = message.author_key in self.moderator_keys
        if not member.contact_sealed or _opened(self.secret, member.contact_sealed) != number:
            member.contact_sealed = seal(self.secret, number)
        session.add(member)

    def _command(
        self, session: Session, community_id: int, inbox_id: int, actor: Actor, text: str
    ) -> str:
        words = [w.lower() for w in text.split()]
        if words and words[0].startswith("/"):
            words = words[1:]
        try:
            with session.begin_nested():
                if words in (["helper", "on"], ["helper", "off"]):
                    reply = self._set_helper(session, community_id, actor, words[1] == "on")
                else:
                    reply = run(parse(text), self._context(session, community_id, actor))
        except CommandError as exc:
            reply = str(exc)
        except Exception:
            log.exception("WhatsApp command failed (inbox %s)", inbox_id)
            _finish(session, inbox_id, "failed", "command raised")
            return "Sorry, something went wrong on my side. Please try again later."
        _finish(session, inbox_id, "done")
        return reply

    def _context(self, session: Session, community_id: int, actor: Actor) -> CommandContext:
        return CommandContext(
            session=session,
            community_id=community_id,
            actor=actor,
            directory=WhatsAppDirectory(self.secret),
            now=self.clock(),
            zone=self.settings.zone,
            unanswered_after=timedelta(hours=self.settings.unanswered_after_hours),
            # The TwiML reply splits a long report into messages of at most 1,600 characters.
            reporter=text_reporter(session, self.settings, self.community_name, self.clock()),
        )

    def _set_helper(self, session: Session, community_id: int, actor: Actor, on: bool) -> str:
        member = queries.member_by_key(session=session, community_id=community_id, key=actor.key)
        if member is None:
            return "You asked me to forget you, so I can't add you as a helper."
        member.helper_opt_in = on
        session.add(member)
        if on:
            return "Thanks! I'll ask you when someone needs your help. Say `helper off` to stop."
        return "OK, I won't ask you to help any more. Say `helper on` to start again."

    # --- after the response: the slow work ---------------------------------------------------

    def process(self, inbox_id: int | None) -> None:
        """Handle a queued delivery once; a failure leaves it `failed` for a later retry."""
        if inbox_id is None or not self._claim(inbox_id):
            return
        try:
            with session_scope(self.engine) as session:
                row = session.get(InboxEvent, inbox_id)
                assert row is not None
                payload = json.loads(row.payload)
            message, media = restored(payload)
            if payload.get("kind") == "export":
                self._import(message, media)
            else:
                self._handle_message(message)
        except Exception as exc:
            log.exception("WhatsApp inbox %s failed", inbox_id)
            with session_scope(self.engine) as session:
                _finish(session, inbox_id, "failed", type(exc).__name__)
            return
        with session_scope(self.engine) as session:
            _finish(session, inbox_id, "done")

    def process_pending(self) -> int:
        """Retry every pending, failed or stale delivery; returns how many were processed."""
        stale = self.clock() - STALE_PROCESSING
        with session_scope(self.engine) as session:
            ids = session.execute(
                select(col(InboxEvent.id)).where(
                    col(InboxEvent.source) == INBOX_SOURCE,
                    col(InboxEvent.status).in_(["pending", "failed"])
                    | (
                        (col(InboxEvent.status) == "processing")
                        & (col(InboxEvent.received_at) < stale)
                    ),
                )
            ).scalars()
            todo = list(ids)
        for inbox_id in todo:
            self._reset_stale(inbox_id)
            self.process(inbox_id)
        return len(todo)

    def _reset_stale(self, inbox_id: int) -> None:
        with session_scope(self.engine) as session:
            session.execute(
                update(InboxEvent)
                .where(col(InboxEvent.id) == inbox_id, col(InboxEvent.status) == "processing")
                .values(status="pending")
            )

    def _claim(self, inbox_id: int) -> bool:
        """Atomically move pending/failed -> processing, so one worker handles a delivery."""
        with session_scope(self.engine) as session:
            result = session.execute(
                update(InboxEvent)
                .where(
                    col(InboxEvent.id) == inbox_id,
                    col(InboxEvent.status).in_(["pending", "failed"]),
                )
                .values(status="processing")
            )
            return bool(getattr(result, "rowcount", 0))

    def _handle_message(self, message: ChatMessage) -> None:
        with session_scope(self.engine) as session:
            community_id = self._community_id(session)
            message, request = self._link_ask(session, community_id, message)
            classifier = self.classifiers.classifier_for(session=session, community_id=community_id)
            outcome = ingest(
                message, session=session, community_id=community_id, classifier=classifier
            )
            if outcome.message_id is None:
                return
            stored = session.get(Message, outcome.message_id)
            assert stored is not None
            plan = self._plan(session, community_id, stored, request)
        self._send_all(community_id, plan)

    def _send_all(self, community_id: int, plan: list[Outgoing]) -> None:
        assert self.sender is not None
        for item in plan:
            self.sender.send(
                community_id=community_id,
                member_key=item.member_key,
                body=item.body,
                dedupe_key=item.dedupe_key,
            )

    def _link_ask(
        self, session: Session, community_id: int, message: ChatMessage
    ) -> tuple[ChatMessage, Message | None]:
        """A WhatsApp reply to the bot's ask becomes a reply to the original request."""
        if message.reply_to_source_key is None:
            return message, None
        ask = session.exec(
            select(Outbox).where(
                col(Outbox.external_id) == message.reply_to_source_key,
                col(Outbox.dedupe_key).startswith("wa-ask:"),
            )
        ).first()
        if ask is None:
            return message, None
        request_id = ask.dedupe_key.split(":")[1]
        request = session.get(Message, int(request_id)) if request_id.isdigit() else None
        if request is None or request.community_id != community_id or request.deleted:
            return message, None
        return replace(message, reply_to_source_key=request.source_key), request

    def _plan(
        self, session: Session, community_id: int, stored: Message, request: Message | None
    ) -> list[Outgoing]:
        author = session.get(Member, stored.member_id) if stored.member_id else None
        if author is None:
            return []
        if request is not None:
            return self._relay(session, stored, author, request)
        if stored.kind != Kind.HELP_REQUEST.value or stored.reply_to_id is not None:
            return []
        plan = [Outgoing(author.key, ACK, f"wa-ack:{stored.source_key}")]
        ask = (
            f"Someone in {self.community_name} needs help:\n\n{stored.text}\n\n"
            "If you can help, reply to this message (swipe it → Reply) and I'll pass it on."
        )
        for helper in self._helpers(session, community_id, stored):
            plan.append(Outgoing(helper.key, ask, f"wa-ask:{stored.id}:{helper.id}"))
        return plan

    def _relay(
        self, session: Session, reply: Message, helper: Member, request: Message
    ) -> list[Outgoing]:
        asker = session.get(Member, request.member_id) if request.member_id else None
        if asker is None or asker.id == helper.id or not reply.substantive:
            return []
        body = (
            f"{helper.display_name} answered your question:\n\n{reply.text}\n\n"
            f"When you're sorted, say `lift resolve #{request.id}`."
        )
        return [Outgoing(asker.key, body, f"wa-relay:{reply.source_key}")]

    def _helpers(self, session: Session, community_id: int, request: Message) -> list[Member]:
        """Opted-in members the bot can reach, best suited first, never the asker."""
        candidates = list(
            session.exec(
                select(Member).where(
                    col(Member.community_id) == community_id,
                    col(Member.helper_opt_in).is_(True),
                    col(Member.contact_sealed).is_not(None),
                    col(Member.id) != request.member_id,
                )
            )
        )
        return rank_helpers(session, community_id, request, candidates)[:MAX_HELPERS]

    def _import(self, message: ChatMessage, media: tuple[Media, ...]) -> None:
        export = next(m for m in media if m.is_export)
        suffix = ".zip" if "zip" in export.content_type else ".txt"
        assert self.api is not None and message.author_key is not None
        with tempfile.TemporaryDirectory(prefix="liftbot-wa-") as folder:
            path = Path(folder) / f"WhatsApp Chat{suffix}"
            try:
                self.api.download(export.url, path, max_bytes=self.settings.max_import_bytes)
                summary = import_export(
                    path, engine=self.engine, settings=self.settings, community=self.community_name
                )
                text = summary_sentence(summary) + self._latest_report()
            except MediaError as exc:
                text = f"I couldn't fetch that file: {exc}."
            except (ValueError, OSError, zipfile.BadZipFile) as exc:
                text = f"I couldn't import that file: {str(exc)[:300]}"
        with session_scope(self.engine) as session:
            community_id = self._community_id(session)
        key = f"wa-import:{message.source_key}"
        parts = split_message(text)  # at most 1,600 characters each, broken at lines
        plan = [Outgoing(message.author_key, part, key) for part in parts[:1]]
        plan += [Outgoing(message.author_key, p, f"{key}:{n}") for n, p in enumerate(parts[1:], 2)]
        self._send_all(community_id, plan)

    def _latest_report(self) -> str:
        """The text report of the community's newest week, to follow an import summary."""
        try:
            with session_scope(self.engine) as session:
                report = text_reporter(session, self.settings, self.community_name, self.clock())
                return "\n\n" + report("latest")
        except CommandError as exc:
            log.warning("no report after the WhatsApp import: %s", exc)
            return ""

    # --- delivery status callbacks -----------------------------------------------------------

    def record_status(self, sid: str, status: str, error_code: str | None) -> bool:
        """Store a callback once per (sid, status); move the outbox row forward only.

        Returns True when Twilio says the window had closed (63016) on a free-form send, so the
        caller should resend it as the template, once.
        """
        with session_scope(self.engine) as session:
            queries.insert_ignore(
                session,
                DeliveryStatus,
                {
                    "message_sid": sid,
                    "status": status,
                    "error_code": error_code,
                    "received_at": self.clock(),
                },
            )
            row = session.exec(select(Outbox).where(col(Outbox.external_id) == sid)).first()
            if row is None or not advances(row.status, status):
                return False
            row.status = status
            if error_code:
                row.error = f"Twilio error {error_code}"
            session.add(row)
            return (
                status in TERMINAL and error_code == "63016" and "~template" not in row.dedupe_key
            )

    def resend_as_template(self, sid: str) -> None:
        """Send a message the closed window refused again as the configured template."""
        with session_scope(self.engine) as session:
            community_id = self._community_id(session)
            row = session.exec(select(Outbox).where(col(Outbox.external_id) == sid)).first()
            if row is None:
                return
            key, destination, body = row.dedupe_key, row.destination, row.body
        assert self.sender is not None
        self.sender.send(
            community_id=community_id,
            member_key=destination,
            body=body,
            dedupe_key=f"{key}~template",
            force_template=True,
        )


def rank_helpers(
    session: Session, community_id: int, request: Message, candidates: list[Member]
) -> list[Member]:
    """Candidates in order of suitability: the group's own routing first (help given on similar
    topics, expertise, peer seniority), then declared expertise on the topic, then seniority."""
    topics = queries.expertise_of(session=session, community_id=community_id)
    words = set(re.findall(r"\w+", request.text.lower()))
    routed = [s.name for s in suggest_for_message(session, request.id)] if request.id else []

    def score(member: Member) -> tuple[int, int, int, int]:
        declared = topics.get(member.id or 0, set())
        matches = sum(1 for topic in declared if set(topic.split()) & words)
        rank = (
            len(routed) - routed.index(member.display_name) if member.display_name in routed else 0
        )
        return (rank, matches, Level(member.level).rank, -(member.id or 0))

    return sorted(candidates, key=score, reverse=True)


def _opened(secret: str, sealed: str) -> str | None:
    try:
        return unseal(secret, sealed)
    except SealError:
        return None


def _finish(session: Session, inbox_id: int, status: str, error: str | None = None) -> None:
    session.execute(
        update(InboxEvent)
        .where(col(InboxEvent.id) == inbox_id)
        .values(status=status, error=error, processed_at=utcnow())
    )
