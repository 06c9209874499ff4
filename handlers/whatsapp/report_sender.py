"""Reports, digests and nudges on WhatsApp: sent privately to each of the community's moderators."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.jobs.senders import ReportMessage, SendError, SendRejected
from handlers.whatsapp.api import TwilioApi
from handlers.whatsapp.desk import moderator_keys
from handlers.whatsapp.sender import TwilioSender
from storage import outbox, queries
from storage.db import session_scope

log = logging.getLogger(__name__)


@dataclass
class WhatsAppReportSender:
    """The `Sender` protocol on WhatsApp: a community's posts go privately to its moderators.

    A bot cannot post into a WhatsApp group, so the report, digest and nudges reach each
    configured moderator who has written to the bot (a nudge's `thread` means nothing here).
    """

    sender: TwilioSender
    moderator_keys: tuple[str, ...]

    @classmethod
    def for_settings(
        cls, settings: Settings, engine: Engine, api: TwilioApi | None = None
    ) -> WhatsAppReportSender:
        """A sender for `settings.whatsapp_moderators`, through Twilio."""
        return cls(TwilioSender(settings, engine, api), moderator_keys(settings))

    def send_text(self, destination: str, text: str, *, thread: str | None = None) -> str:
        """Send `text` to the community's moderators; the first message's SID."""
        ids = self._deliver(destination, [text], salt=thread or "")
        return ids[0] if ids else ""

    def send_report(self, destination: str, report: ReportMessage) -> list[str]:
        """Send the report's text chunks (≤ 1,600 characters each) to every moderator."""
        return self._deliver(destination, [c for c in report.text_chunks if c.strip()])

    def _deliver(self, destination: str, bodies: list[str], *, salt: str = "") -> list[str]:
        """SIDs sent; SendRejected when no moderator got anything, SendError when unsure."""
        if not bodies:
            return []
        community_id = self._community_id(destination)
        whole = repr((destination, salt, bodies)).encode()
        digest = hashlib.sha256(whole).hexdigest()[:32]
        ids: list[str] = []
        delivered, reasons = False, []
        for member_key in self.moderator_keys:
            for index, body in enumerate(bodies):
                key = self._fresh_key(f"wa-post:{digest}:{member_key}:{index}")
                if key is None:
                    delivered = True  # an earlier attempt already sent it
                    continue
                result = self.sender.send(
                    community_id=community_id, member_key=member_key, body=body, dedupe_key=key
                )
                if result.status == "unknown" or (result.status == "failed" and result.sids):
                    raise SendError(f"WhatsApp send {key} may have gone out: {result.reason}")
                if result.status in {"failed", "skipped"}:
                    reasons.append(result.reason)
                    break  # the rest of the post would not reach this moderator either
                delivered = True
                ids.extend(result.sids)
        if not delivered:
            raise SendRejected(self._nobody_reached(destination, reasons))
        if reasons:
            log.warning("WhatsApp post to %s missed some moderators: %s", destination, reasons)
        return ids

    def _community_id(self, destination: str) -> int:
        with session_scope(self.sender.engine) as session:
            community = queries.community_named(session=session, name=destination)
        if community is None or community.id is None:
            raise SendRejected(f"no community named {destination!r} to post to on WhatsApp")
        return community.id

    def _fresh_key(self, base: str) -> str | None:
        """`base`, or a retry key after failures; None when it was sent (or may have been)."""
        with session_scope(self.sender.engine) as session:
            rows = outbox.states_with_prefix(session=session, key_prefix=base)
        if any(status != "failed" for _, status in rows):
            return None
        attempts = sum(1 for key, _ in rows if "#" not in key)
        return f"{base}~retry{attempts}" if attempts else base

    def _nobody_reached(self, destination: str, reasons: list[str]) -> str:
        if not self.moderator_keys:
            return "no WhatsApp moderators are configured (LIFTBOT_WHATSAPP_MODERATORS)"
        why = "; ".join(dict.fromkeys(reasons)) or "nothing to send"
        return f"no WhatsApp moderator of {destination} was reached: {why}"
