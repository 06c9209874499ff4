"""What Liftbot does with a message to its WhatsApp number: commands, help desk, export inbox."""

from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.domain import ChatMessage
from bot.pipeline.classifier_book import ClassifierBook
from bot.pipeline.importer import summary_sentence
from bot.pipeline.ingest import ingest
from bot.privacy.identity import phone_key
from bot.privacy.phones import normalise_phone
from bot.privacy.sealing import SealError, seal, unseal
from bot.text import split_message
from handlers.commands import Actor, CommandError, text_reporter
from handlers.export_files import import_file
from handlers.whatsapp.api import MediaError, TwilioApi
from handlers.whatsapp.helpdesk import Outgoing, link_to_request, plan_messages
from handlers.whatsapp.sender import TERMINAL, TwilioSender, advances
from handlers.whatsapp.text_commands import CommandDesk, command_text, run_text_command
from handlers.whatsapp.translate import Inbound, Media, redacted, restored
from handlers.whatsapp_export import ExportFormatError
from storage import inbox, outbox, queries
from storage.db import session_scope
from storage.inbox import InboxSource, InboxState, Tally
from storage.tables import Member, Message, utcnow

log = logging.getLogger(__name__)

REFUSAL = (
    "Thanks! Only the community's moderators can import chat exports, so I haven't stored "
    "this file. Ask a moderator to share it with me."
)
FORGOTTEN = "You asked me to forget you, so I don't keep or act on your messages any more."
IMPORTING = "Got the export — importing it now; I'll send a summary when it's done."


@dataclass(frozen=True, slots=True)
class Receipt:
    """The immediate answer to a webhook: what to say now, and whether work follows."""

    inbox_id: int | None
    text: str | None = None
    process_later: bool = False


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
        self.moderator_keys = frozenset(moderator_keys(self.settings))

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
        """Store the delivery once; run commands and refusals now, queue the rest.

        A forgotten member's delivery keeps only its MessageSid (for deduplication): no text,
        no name, never processed.
        """
        message = inbound.message
        is_export = any(m.is_export for m in inbound.media)
        payload = redacted(message, inbound.media) | {"kind": "export" if is_export else "message"}
        assert message.author_key is not None
        with session_scope(self.engine) as session:
            community_id = self._community_id(session)
            if queries.is_suppressed(
                session=session, community_id=community_id, key=message.author_key
            ):
                self._store_id_only(session, message.source_key)
                return Receipt(None, FORGOTTEN if command_text(inbound.body) else None)
            inbox_id = self._store_once(session, message.source_key, payload)
            if inbox_id is None:
                return Receipt(None)
            member = self._remember(session, community_id, message, inbound.sender_e164)
            actor = Actor(
                message.author_key,
                message.author_name or "",
                message.author_key in self.moderator_keys or member.is_moderator,
            )
            if is_export and not actor.is_moderator:
                self._finish(session, inbox_id, InboxState.DONE, "export refused: not a moderator")
                return Receipt(inbox_id, REFUSAL)
            if is_export:
                return Receipt(inbox_id, IMPORTING, process_later=True)
            text = command_text(inbound.body)  # as written: mentions are numbers
            if text is None:
                return Receipt(inbox_id, process_later=True)
            return Receipt(inbox_id, self._command(session, community_id, inbox_id, actor, text))

    def _command(
        self, session: Session, community_id: int, inbox_id: int, actor: Actor, text: str
    ) -> str:
        where = CommandDesk(
            self.settings, community_id, self.community_name, self.secret, self.clock()
        )
        try:
            reply = run_text_command(session, where, actor, text)
        except Exception:
            log.exception("WhatsApp command failed (inbox %s)", inbox_id)
            self._finish(session, inbox_id, InboxState.FAILED, "command raised")
            return "Sorry, something went wrong on my side. Please try again later."
        self._finish(session, inbox_id, InboxState.DONE)
        return reply

    def _store_id_only(self, session: Session, sid: str) -> None:
        inbox.store_once(
            session=session,
            source=InboxSource.TWILIO_MESSAGE,
            event_id=sid,
            payload="",
            now=self.clock(),
            state=InboxState.IGNORED,
            error="from a forgotten member",
        )

    def _store_once(self, session: Session, sid: str, payload: dict[str, Any]) -> int | None:
        """The new inbox row's id; None for a delivery already stored (Twilio's retry)."""
        stored = inbox.store_once(
            session=session,
            source=InboxSource.TWILIO_MESSAGE,
            event_id=sid,
            payload=json.dumps(payload, ensure_ascii=False),
            now=self.clock(),
        )
        return stored.id if stored.inserted else None

    def _remember(
        self, session: Session, community_id: int, message: ChatMessage, number: str
    ) -> Member:
        """Create the member, open the 24-hour window, keep the number sealed for replies.

        `is_moderator` is left as `moderator @member` set it: a number in
        LIFTBOT_WHATSAPP_MODERATORS is a moderator whatever the row says.
        """
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
        if not member.contact_sealed or _opened(self.secret, member.contact_sealed) != number:
            member.contact_sealed = seal(self.secret, number)
        session.add(member)
        return member

    # --- after the response: the slow work ---------------------------------------------------

    def process(self, inbox_id: int | None) -> InboxState | None:
        """Handle a queued delivery once; a failure is retried later with backoff."""
        if inbox_id is None:
            return None
        with session_scope(self.engine) as session:
            raw = inbox.claim(session=session, inbox_id=inbox_id, now=self.clock())
        if raw is None:
            return None
        try:
            payload = json.loads(raw)
            message, media = restored(payload)
            if payload.get("kind") == "export":
                self._import(message, media)
            else:
                self._handle_message(message)
        except Exception as exc:
            log.exception("WhatsApp inbox %s failed", inbox_id)
            with session_scope(self.engine) as session:
                return self._finish(session, inbox_id, InboxState.FAILED, type(exc).__name__)
        with session_scope(self.engine) as session:
            return self._finish(session, inbox_id, InboxState.DONE)

    def process_pending(self) -> Tally:
        """Process every delivery that is due (pending, retries whose wait is over, stale)."""
        with session_scope(self.engine) as session:
            todo = inbox.due(session=session, source=InboxSource.TWILIO_MESSAGE, now=self.clock())
        tally = Tally()
        for inbox_id in todo:
            tally.add(self.process(inbox_id))
        return tally

    def _finish(
        self, session: Session, inbox_id: int, state: InboxState, error: str | None = None
    ) -> InboxState:
        return inbox.finish(
            session=session, inbox_id=inbox_id, state=state, now=self.clock(), error=error
        )

    def _handle_message(self, message: ChatMessage) -> None:
        with session_scope(self.engine) as session:
            community_id = self._community_id(session)
            message, request = link_to_request(session, community_id, message)
            classifier = self.classifiers.classifier_for(session=session, community_id=community_id)
            outcome = ingest(
                message, session=session, community_id=community_id, classifier=classifier
            )
            if outcome.message_id is None:
                return
            stored = session.get(Message, outcome.message_id)
            assert stored is not None
            plan = plan_messages(session, self.community_name, stored, request)
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

    def _import(self, message: ChatMessage, media: tuple[Media, ...]) -> None:
        export = next(m for m in media if m.is_export)
        suffix = ".zip" if "zip" in export.content_type else ".txt"
        assert self.api is not None and message.author_key is not None
        with tempfile.TemporaryDirectory(prefix="liftbot-wa-") as folder:
            path = Path(folder) / f"WhatsApp Chat{suffix}"
            try:
                self.api.download(export.url, path, max_bytes=self.settings.max_import_bytes)
                summary = import_file(
                    path, engine=self.engine, settings=self.settings, community=self.community_name
                )
                text = summary_sentence(summary) + self._latest_report()
            except MediaError as exc:
                text = f"I couldn't fetch that file: {exc}."
            except ExportFormatError as exc:  # one clear line; the delivery is done, not retried
                text = f"I couldn't import that file: {str(exc)[:300]}"
            except (ValueError, OSError, zipfile.BadZipFile) as exc:
                log.warning("WhatsApp export import failed: %s", type(exc).__name__)
                text = f"I couldn't import that file: {str(exc)[:300]}"
        with session_scope(self.engine) as session:
            community_id = self._community_id(session)
        key = f"wa-import:{message.source_key}"
        parts = split_message(text)  # at most 1,600 UTF-16 units each, broken at lines
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
            outbox.record_delivery_status(
                session=session,
                message_sid=sid,
                status=status,
                error_code=error_code,
                now=self.clock(),
            )
            row = outbox.by_external_id(session=session, external_id=sid)
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
            row = outbox.by_external_id(session=session, external_id=sid)
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


def _opened(secret: str, sealed: str) -> str | None:
    try:
        return unseal(secret, sealed)
    except SealError:
        return None


def moderator_keys(settings: Settings) -> tuple[str, ...]:
    """The pseudonyms of LIFTBOT_WHATSAPP_MODERATORS (numbers that do not parse are skipped)."""
    secret = settings.resolved_secret_key()
    numbers = (normalise_phone(n, bare_digits=True) for n in settings.whatsapp_moderators)
    return tuple(dict.fromkeys(phone_key(secret, n) for n in numbers if n))
