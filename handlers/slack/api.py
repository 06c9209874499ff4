"""Slack Web API reads: who the bot is, member profiles, and private file downloads."""

from __future__ import annotations

import io
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import httpx
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.http import fetch_capped, host_of

log = logging.getLogger(__name__)

MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024
_PROFILE_CACHE_SIZE = 5_000
# Where `url_private_download` points; the token is never sent anywhere else.
FILE_HOSTS = frozenset({"files.slack.com"})


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


def domain_of(url: Any) -> str | None:
    """The workspace's subdomain in a `https://<domain>.slack.com/` URL (permalinks need it)."""
    host = urlparse(url).hostname if isinstance(url, str) else None
    if host and host.endswith(".slack.com"):
        return host[: -len(".slack.com")] or None
    return None


class SlackApi:
    """A cached view of the Web API: auth.test once, users.info per member, downloads."""

    def __init__(self, client: WebClient, bot_token: str) -> None:
        """`client` talks to the Web API; the bot token also authorises file downloads."""
        self.client, self._token = client, bot_token
        self._identity: BotIdentity | None = None
        self._profiles: OrderedDict[str, SlackProfile | None] = OrderedDict()
        self._lock = threading.Lock()

    def know(self, identity: BotIdentity) -> None:
        """Take the bot's identity as an authorization already found it (no auth.test)."""
        self._identity = identity

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
            domain=domain_of(data.get("url")),
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
        """A private file's bytes, fetched with the bot token from Slack's file hosts only."""
        sink = io.BytesIO()
        with httpx.Client(timeout=30.0) as http:
            fetch_capped(
                http,
                url,
                allowed_hosts=self.is_file_host,
                credentials={"Authorization": f"Bearer {self._token}"},
                max_bytes=max_bytes,
                sink=sink,
            )
        return sink.getvalue()

    def is_file_host(self, host: str) -> bool:
        """Slack's file host, or the configured API host (a local fake in tests)."""
        return host in FILE_HOSTS or host == host_of(self.client.base_url)


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
