"""Slack Web API: who the bot is, member profiles, file downloads, and exactly-once posting."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any
from urllib.parse import urlparse
from urllib.request import Request, urlopen

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.jobs.senders import ReportMessage, SendError, SendRejected
from bot.text import slack_escape
from storage import queries
from storage.db import session_scope
from storage.tables import Outbox, utcnow

log = logging.getLogger(__name__)

MAX_RATE_LIMIT_RETRIES = 3
MAX_RETRY_AFTER_SECONDS = 30.0
MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024
_PROFILE_CACHE_SIZE = 5_000


def make_client(token: str, base_url: str, *, timeout: int = 10) -> WebClient:
    """A WebClient that never retries on its own (a blind POST retry can post twice)."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    return WebClient(token=token or None, base_url=base, timeout=timeout, retry_handlers=[])


@dataclass(frozen=True, slots=True)
class BotIdentity:
    """The bot as auth.test reports it (its own posts are recognised by these ids)."""

    team_id: str | None = None
    user_id: str | None = None
    bot_id: str | None = None
    domain: str | None = None


@dataclass(frozen=True, slots=True)
class SlackProfile:
    """What users.info tells about a member."""

    user_id: str
    name: str
    title: str | None
    is_admin: bool
    is_owner: bool
    is_bot: bool


def _domain_of(url: Any) -> str | None:
    host = urlparse(url).hostname if isinstance(url, str) else None
    if host and host.endswith(".slack.com"):
        return host[: -len(".slack.com")] or None
    return None


class SlackApi:
    """A cached view of the Web API: auth.test once, users.info per member, downloads."""

    def __init__(self, client: WebClient, sender: SlackSender, bot_token: str) -> None:
        self.client, self.sender, self._token = client, sender, bot_token
        self._identity: BotIdentity | None = None
        self._profiles: OrderedDict[str, SlackProfile | None] = OrderedDict()
        self._lock = threading.Lock()

    def identity(self) -> BotIdentity:
        """auth.test, called once; an unreachable API gives an empty identity and is retried."""
        if self._identity is not None:
            return self._identity
        try:
            data = self.client.auth_test().data
        except Exception as exc:  # the API may be down; nothing to compare against yet
            log.warning("slack auth.test failed: %s", type(exc).__name__)
            return BotIdentity()
        assert isinstance(data, dict)
        self._identity = BotIdentity(
            team_id=data.get("team_id"),
            user_id=data.get("user_id"),
            bot_id=data.get("bot_id"),
            domain=_domain_of(data.get("url")),
        )
        return self._identity

    def profile(self, user_id: str) -> SlackProfile | None:
        """users.info for a member, cached per process (None when Slack does not say)."""
        with self._lock:
            if user_id in self._profiles:
                self._profiles.move_to_end(user_id)
                return self._profiles[user_id]
        try:
            user = self.client.users_info(user=user_id).data.get("user")  # type: ignore[union-attr]
        except SlackApiError as exc:
            log.warning("slack users.info failed: %s", exc.response.get("error"))
            user = None
        except Exception as exc:
            log.warning("slack users.info unreachable: %s", type(exc).__name__)
            return None
        found = _profile(user_id, user) if isinstance(user, dict) else None
        with self._lock:
            self._profiles[user_id] = found
            while len(self._profiles) > _PROFILE_CACHE_SIZE:
                self._profiles.popitem(last=False)
        return found

    def download(self, url: str, max_bytes: int = MAX_DOWNLOAD_BYTES) -> bytes:
        """A private file's bytes, fetched with the bot token; refuses files over `max_bytes`."""
        if urlparse(url).scheme not in {"https", "http"}:
            raise SendRejected(f"not a web address: {url[:80]}")
        request = Request(url, headers={"Authorization": f"Bearer {self._token}"})
        with urlopen(request, timeout=30) as response:
            data: bytes = response.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ValueError(f"the file is larger than {max_bytes // (1024 * 1024)} MB")
        return data


def _profile(user_id: str, user: Mapping[str, Any]) -> SlackProfile:
    profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
    assert isinstance(profile, dict)
    name = profile.get("display_name") or profile.get("real_name") or user.get("name") or user_id
    title = profile.get("title")
    return SlackProfile(
        user_id=user_id,
        name=str(name)[:200],
        title=str(title)[:300] if isinstance(title, str) and title.strip() else None,
        is_admin=bool(user.get("is_admin")),
        is_owner=bool(user.get("is_owner")) or bool(user.get("is_primary_owner")),
        is_bot=bool(user.get("is_bot")),
    )


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
        self._sleep, self._max_retries = sleep, max_retries

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
                    self._sleep(_retry_after(exc.response.headers))
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
            self._finish(key, "failed", error=str(exc))
            raise
        except Exception as exc:
            self._finish(key, "unknown", error=f"{type(exc).__name__}: {exc}"[:500])
            raise SendError(f"outcome unknown for {key}; not reposting") from exc
        self._finish(key, "sent", external_id=external)
        return external

    def _claim(self, key: str, channel: str, body: str) -> str | None:
        """None when this call owns the post; the earlier id when it was already sent."""
        with session_scope(self.engine) as session:
            queries.insert_ignore(
                session,
                Outbox,
                {"dedupe_key": key, "platform": "slack", "destination": channel[:200],
                 "body": body, "status": "pending", "attempts": 0, "created_at": utcnow()},
            )  # fmt: skip
            result = session.execute(
                update(Outbox)
                .where(col(Outbox.dedupe_key) == key, col(Outbox.status).in_(["pending", "failed"]))
                .values(status="sending", attempts=col(Outbox.attempts) + 1)
            )
            if getattr(result, "rowcount", 0) == 1:
                return None
            row = session.exec(select(Outbox).where(col(Outbox.dedupe_key) == key)).first()
        if row is not None and row.status == "sent":
            return row.external_id or ""
        raise SendError(f"post {key} is {row.status if row else 'missing'}; not reposting")

    def _finish(
        self, key: str, status: str, *, external_id: str | None = None, error: str | None = None
    ) -> None:
        with session_scope(self.engine) as session:
            session.execute(
                update(Outbox)
                .where(col(Outbox.dedupe_key) == key)
                .values(
                    status=status,
                    external_id=external_id,
                    error=error,
                    sent_at=utcnow() if status == "sent" else None,
                )
            )


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
