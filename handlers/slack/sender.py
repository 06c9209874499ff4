"""Posting to Slack exactly once: paced per channel, 429-aware, each post kept in the outbox."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import Engine

from bot.jobs.senders import ReportMessage, SendError, SendRejected
from bot.text import slack_escape
from storage import outbox
from storage.db import session_scope
from storage.outbox import OutboxState
from storage.tables import utcnow

MAX_RATE_LIMIT_RETRIES = 3
MAX_RETRY_AFTER_SECONDS = 30.0


@dataclass
class ChannelPacer:
    """At most one post per `interval` seconds per channel (chat.postMessage's special tier)."""

    interval: float = 1.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, channel: str) -> None:
        """Block until `channel` may receive the next post, and book that slot."""
        with self._lock:
            now = self.clock()
            slot = max(now, self._next.get(channel, now))
            self._next[channel] = slot + self.interval
        if slot > now:
            self.sleep(slot - now)


def split_thread(destination: str, thread: str | None) -> tuple[str, str | None]:
    """A thread given as a source key `C123:1718.1` names its channel too."""
    if thread and ":" in thread:
        channel, _, ts = thread.partition(":")
        return channel, ts
    return destination, thread


def default_dedupe_key(destination: str, thread: str | None, body: str) -> str:
    """Same text to the same place on the same (UTC) day is one post."""
    day = datetime.now(UTC).date().isoformat()
    digest = hashlib.sha256(f"{destination}|{thread or ''}|{day}|{body}".encode()).hexdigest()
    return f"slack:auto:{digest[:40]}"


class SlackSender:
    """Posts to Slack once per dedupe key: paced per channel, 429-aware, recorded in the Outbox.

    A post whose outcome is unknown (timeout, reset, 5xx) is marked `unknown` and never reposted.
    """

    def __init__(
        self,
        client: WebClient,
        engine: Engine,
        *,
        pacer: ChannelPacer | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_retries: int = MAX_RATE_LIMIT_RETRIES,
    ) -> None:
        self.client, self.engine = client, engine
        self.pacer = pacer or ChannelPacer()
        self.sleep, self._max_retries = sleep, max_retries

    def send_text(
        self,
        destination: str,
        text: str,
        *,
        thread: str | None = None,
        dedupe_key: str | None = None,
    ) -> str:
        """Post `text` (escaped: it never pings) to a channel, in a thread when given."""
        channel, thread_ts = split_thread(destination, thread)
        body = slack_escape(text)
        key = dedupe_key or default_dedupe_key(channel, thread_ts, body)
        args: dict[str, Any] = {"channel": channel, "text": body}
        if thread_ts:
            args["thread_ts"] = thread_ts
        return self._post_once(key, channel, body, lambda: self._post_message(args))

    def send_report(self, destination: str, report: ReportMessage) -> list[str]:
        """Post a report's block messages (or text chunks), then upload its chart."""
        whole = repr((destination, report.title, report.text_chunks, report.blocks))
        base = "slack:report:" + hashlib.sha256(whole.encode()).hexdigest()[:40]
        ids: list[str] = []
        for index, blocks in enumerate(report.blocks):
            args = {"channel": destination, "text": report.title, "blocks": list(blocks)}
            ids.append(
                self._post_once(
                    f"{base}:{index}", destination, report.title, partial(self._post_message, args)
                )
            )
        if not report.blocks:
            for index, chunk in enumerate(report.text_chunks):
                args = {"channel": destination, "text": slack_escape(chunk)}
                ids.append(
                    self._post_once(
                        f"{base}:{index}", destination, chunk, partial(self._post_message, args)
                    )
                )
        if report.chart_png is not None:
            png = report.chart_png
            ids.append(
                self._post_once(
                    f"{base}:chart", destination, "chart", lambda: self._upload(destination, png)
                )
            )
        return ids

    def _post_message(self, args: dict[str, Any]) -> str:
        response = self._call(lambda: self.client.chat_postMessage(**args).data)
        return f"{response.get('channel') or args['channel']}:{response.get('ts', '')}"

    def _upload(self, channel: str, png: bytes) -> str:
        def upload() -> Mapping[str, Any]:
            result = self.client.files_upload_v2(
                channel=channel, content=png, filename="liftbot-week.png", title="Weekly chart"
            )
            return dict(result.data) if isinstance(result.data, dict) else {}

        data = self._call(upload)
        file = data.get("file") if isinstance(data.get("file"), dict) else {}
        assert isinstance(file, dict)
        return f"file:{file.get('id', '')}"

    def _call(self, request: Callable[[], Any]) -> Mapping[str, Any]:
        """Run a Web API call, waiting out 429s (never processed, so safe to repeat)."""
        for attempt in range(self._max_retries + 1):
            try:
                data = request()
                return data if isinstance(data, Mapping) else {}
            except SlackApiError as exc:
                if exc.response.status_code == 429 and attempt < self._max_retries:
                    self.sleep(_retry_after(exc.response.headers))
                    continue
                if exc.response.status_code < 500:
                    raise SendRejected(f"slack refused: {exc.response.get('error')}") from exc
                raise SendError(f"slack answered {exc.response.status_code}") from exc
        raise SendRejected("slack kept rate limiting")  # pragma: no cover (loop always returns)

    def _post_once(self, key: str, channel: str, body: str, post: Callable[[], str]) -> str:
        claimed = self._claim(key, channel, body)
        if isinstance(claimed, str):
            return claimed
        self.pacer.wait(channel)
        try:
            external = post()
        except SendRejected as exc:
            self._finish(key, OutboxState.FAILED, error=str(exc))
            raise
        except Exception as exc:
            self._finish(key, OutboxState.UNKNOWN, error=f"{type(exc).__name__}: {exc}"[:500])
            raise SendError(f"outcome unknown for {key}; not reposting") from exc
        self._finish(key, OutboxState.SENT, external_id=external)
        return external

    def _claim(self, key: str, channel: str, body: str) -> str | None:
        """None when this call owns the post; the earlier id when it was already sent."""
        with session_scope(self.engine) as session:
            outbox.record_once(
                session=session, dedupe_key=key, platform="slack", destination=channel,
                body=body, now=utcnow(),
            )  # fmt: skip
            if outbox.claim_for_sending(session=session, dedupe_key=key):
                return None
            row = outbox.by_dedupe_key(session=session, dedupe_key=key)
        if row is not None and row.status == OutboxState.SENT:
            return row.external_id or ""
        raise SendError(f"post {key} is {row.status if row else 'missing'}; not reposting")

    def _finish(
        self,
        key: str,
        state: OutboxState,
        *,
        external_id: str | None = None,
        error: str | None = None,
    ) -> None:
        sent_at = utcnow() if state is OutboxState.SENT else None
        values = {"status": state, "external_id": external_id, "error": error, "sent_at": sent_at}
        with session_scope(self.engine) as session:
            outbox.update_post(session=session, dedupe_key=key, values=values)


def _retry_after(headers: Mapping[str, Any]) -> float:
    raw = None
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
    try:
        seconds = float(raw) if raw is not None else 1.0
    except ValueError:
        seconds = 1.0
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)
