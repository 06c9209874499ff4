"""Outbound WhatsApp through Twilio: once per dedupe key, in the 24-hour window or by template."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.privacy.sealing import SealError, unseal
from bot.text import split_message
from handlers.whatsapp.api import AmbiguousSend, TwilioApi, TwilioError
from storage import outbox, queries
from storage.db import session_scope
from storage.outbox import OutboxState
from storage.tables import Member, utcnow

log = logging.getLogger(__name__)

TEMPLATE_VARIABLE_MAX = 900  # a template plus its parameters stays under 1,024 (error 63021)
SESSION_WINDOW = timedelta(hours=24)
OUTSIDE_WINDOW_CODE = 63016

# Forward-only delivery states; a terminal state is never left.
STATUS_RANK = {"pending": 0, "unknown": 0, "accepted": 1, "scheduled": 1, "queued": 1}
STATUS_RANK |= {"sending": 2, "sent": 3, "delivered": 4, "read": 5}
TERMINAL = frozenset({"failed", "undelivered", "canceled"})


def advances(current: str, new: str) -> bool:
    """True when a status callback may move an outbox row from `current` to `new`."""
    if current in TERMINAL:
        return False
    if new in TERMINAL:
        return True
    return new in STATUS_RANK and STATUS_RANK[new] > STATUS_RANK.get(current, 0)


@dataclass(frozen=True, slots=True)
class SendResult:
    """What happened to one logical send (it may have been split into several messages)."""

    status: str  # queued | sent | … | duplicate | skipped | failed | unknown
    sids: tuple[str, ...] = ()
    reason: str = ""


@dataclass
class TwilioSender:
    """Sends WhatsApp messages to members through Twilio, recording each in the Outbox."""

    settings: Settings
    engine: Engine
    api: TwilioApi | None = None
    clock: Callable[[], datetime] = utcnow
    _secret: str = field(default="", init=False)

    def __post_init__(self) -> None:
        self.api = self.api or TwilioApi(self.settings)
        self._secret = self.settings.resolved_secret_key()

    def send(
        self,
        *,
        community_id: int,
        member_key: str,
        body: str,
        dedupe_key: str,
        force_template: bool = False,
    ) -> SendResult:
        """Send `body` to a member once per `dedupe_key`; free-form only inside the window."""
        with session_scope(self.engine) as session:
            target = self._target(session, community_id, member_key)
        if isinstance(target, SendResult):
            return target
        address, in_window = target
        template = force_template or not in_window
        if template and not self.settings.twilio_template_sid:
            reason = "outside the 24-hour window and no LIFTBOT_TWILIO_TEMPLATE_SID is set"
            log.warning("WhatsApp send %s not made: %s", dedupe_key, reason)
            self._claim(dedupe_key, member_key, body, state=OutboxState.FAILED, error=reason)
            return SendResult("failed", reason=reason)
        parts = [body] if template else split_message(body)
        sids: list[str] = []
        status = "duplicate"
        for number, part in enumerate(parts, start=1):
            key = dedupe_key if number == 1 else f"{dedupe_key}#{number}"
            if not self._claim(key, member_key, part):
                continue
            result = self._create(key, address, part, template=template)
            sids.extend(result.sids)
            status = result.status
            if result.status in {"failed", "unknown"}:
                return SendResult(result.status, tuple(sids), result.reason)
        return SendResult(status, tuple(sids))

    def _target(
        self, session: Session, community_id: int, member_key: str
    ) -> tuple[str, bool] | SendResult:
        member = queries.member_by_key(session=session, community_id=community_id, key=member_key)
        if member is None or not member.contact_sealed:
            return SendResult("skipped", reason="no WhatsApp contact for this member")
        try:
            number = unseal(self._secret, member.contact_sealed)
        except SealError as exc:
            log.error("WhatsApp send skipped: %s", exc)
            return SendResult("skipped", reason=str(exc))
        last = member.last_inbound_at
        in_window = last is not None and self.clock() - last < SESSION_WINDOW
        return f"whatsapp:{number}", in_window

    def _claim(
        self,
        key: str,
        member_key: str,
        body: str,
        *,
        state: OutboxState = OutboxState.PENDING,
        error: str = "",
    ) -> bool:
        with session_scope(self.engine) as session:
            return outbox.record_once(
                session=session,
                dedupe_key=key,
                platform="whatsapp",
                destination=member_key,
                body=body,
                now=self.clock(),
                state=state,
                error=error or None,
            )

    def _fields(self, address: str, body: str, *, template: bool) -> dict[str, str]:
        fields = {"From": _whatsapp(self.settings.twilio_whatsapp_from), "To": address}
        if template:
            fields["ContentSid"] = self.settings.twilio_template_sid
            fields["ContentVariables"] = json.dumps({"1": body[:TEMPLATE_VARIABLE_MAX]})
        else:
            fields["Body"] = body
        if self.settings.public_base_url:
            fields["StatusCallback"] = f"{self.settings.public_base_url}/twilio/status"
        return fields

    def _create(self, key: str, address: str, body: str, *, template: bool) -> SendResult:
        assert self.api is not None
        attempts = 1
        try:
            try:
                reply = self.api.create_message(self._fields(address, body, template=template))
            except TwilioError as exc:
                if exc.code != OUTSIDE_WINDOW_CODE or template:
                    raise
                if not self.settings.twilio_template_sid:
                    raise
                attempts = 2  # the window closed under us: the template, once
                reply = self.api.create_message(self._fields(address, body, template=True))
        except AmbiguousSend as exc:
            log.error("WhatsApp send %s is ambiguous, not re-sent: %s", key, exc)
            self._record(key, status="unknown", attempts=attempts, error=str(exc))
            return SendResult("unknown", reason=str(exc))
        except TwilioError as exc:
            reason = f"Twilio error {exc.code or exc.status}: {exc}"
            log.warning("WhatsApp send %s failed: %s", key, reason)
            self._record(key, status="failed", attempts=attempts, error=reason)
            return SendResult("failed", reason=reason)
        sid = str(reply.get("sid") or "")
        status = str(reply.get("status") or "queued")
        self._record(key, status=status, attempts=attempts, sid=sid)
        return SendResult(status, (sid,) if sid else ())

    def _record(
        self, key: str, *, status: str, attempts: int, sid: str = "", error: str = ""
    ) -> None:
        with session_scope(self.engine) as session:
            row = outbox.by_dedupe_key(session=session, dedupe_key=key)
            assert row is not None  # claimed before the request was made
            # A status callback may already have moved the row further.
            if row.status in {OutboxState.PENDING, OutboxState.UNKNOWN} or advances(
                row.status, status
            ):
                row.status = status
            row.attempts += attempts
            row.external_id = sid or row.external_id
            row.error = error[:500] or None
            row.sent_at = self.clock() if sid else row.sent_at
            session.add(row)


def _whatsapp(number: str) -> str:
    return number if number.startswith("whatsapp:") else f"whatsapp:{number}"


def member_in_window(member: Member, now: datetime) -> bool:
    """True when free-form messages to this member are allowed (last inbound < 24 h ago)."""
    return member.last_inbound_at is not None and now - member.last_inbound_at < SESSION_WINDOW
