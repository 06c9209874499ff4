"""Slack test harness: a local fake Web API, and the app wired to it."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs

import pytest
from sqlalchemy.engine import Engine

from bot.app.services import Services
from bot.config import Settings
from tests.handlers.slack import payloads as p
from tests.handlers.slack.workspaces import quiet_services, web_client
from tests.loopback import serve

PROFILES: dict[str, dict[str, Any]] = {
    p.ASKER: {"id": p.ASKER, "name": "asha", "profile": {"display_name": "Asha",
              "title": "Junior Recruiter"}},
    p.HELPER: {"id": p.HELPER, "name": "ravi", "profile": {"display_name": "Ravi",
               "title": "Senior HR Business Partner"}},
    p.MODERATOR: {"id": p.MODERATOR, "name": "mo", "profile": {"display_name": "Mo"}},
    p.OUTSIDER: {"id": p.OUTSIDER, "name": "olu", "profile": {"display_name": "Olu"}},
    "UADMIN": {"id": "UADMIN", "name": "ada", "is_admin": True, "profile": {"real_name": "Ada"}},
    "UNEW": {"id": "UNEW", "name": "nina", "profile": {"display_name": "Nina",
             "title": "VP People"}},
}  # fmt: skip


@dataclass
class FakeSlack:
    """A recording stand-in for slack.com/api on 127.0.0.1."""

    url: str = ""
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    scripted: dict[str, list[tuple[int, dict[str, str], dict[str, Any]]]] = field(
        default_factory=dict
    )
    files: dict[str, bytes] = field(default_factory=dict)
    uploads: list[bytes] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_ts: int = 1718100000
    # The Authorization header of each call, in step with `calls`.
    authorizations: list[str] = field(default_factory=list)
    # OAuth v2: the app's credentials, codes Slack would hand out at install (code → the
    # oauth.v2.access answer), refresh tokens (→ the answer to grant_type=refresh_token), and
    # what auth.test says for each bot token issued (an unknown token is the Acme default).
    client_id: str = "1111.2222"
    client_secret: str = "liftbot-client-secret"
    grants: dict[str, dict[str, Any]] = field(default_factory=dict)
    refreshes: dict[str, dict[str, Any]] = field(default_factory=dict)
    teams: dict[str, dict[str, Any]] = field(default_factory=dict)

    def methods(self) -> list[str]:
        """Names of the API methods called, in order."""
        return [name for name, _ in self.calls]

    def posts(self) -> list[dict[str, Any]]:
        """Arguments of every chat.postMessage that reached the API."""
        return [args for name, args in self.calls if name == "chat.postMessage"]

    def tokens(self, method: str) -> list[str]:
        """The bearer token of every call to `method`, in order."""
        return [
            auth.removeprefix("Bearer ")
            for (name, _), auth in zip(self.calls, self.authorizations, strict=True)
            if name == method
        ]

    def posts_with_tokens(self) -> list[tuple[str, str]]:
        """(channel, bearer token) of every chat.postMessage."""
        return [
            (str(args.get("channel")), auth.removeprefix("Bearer "))
            for (name, args), auth in zip(self.calls, self.authorizations, strict=True)
            if name == "chat.postMessage"
        ]

    def answer(
        self, method: str, args: dict[str, Any], authorization: str = ""
    ) -> tuple[int, dict[str, str], Any]:
        with self.lock:
            self.calls.append((method, args))
            self.authorizations.append(authorization)
            queue = self.scripted.get(method)
            if queue:
                return queue.pop(0)
            self.next_ts += 1
            ts = f"{self.next_ts}.000100"
        if method == "oauth.v2.access":
            return 200, {}, self._oauth(args, authorization)
        token = authorization.removeprefix("Bearer ")
        if method == "auth.test" and token in self.teams:
            return 200, {}, {"ok": True, **self.teams[token]}
        if method == "auth.test":
            return (
                200,
                {},
                {
                    "ok": True,
                    "url": "https://acme.slack.com/",
                    "team": "Acme",
                    "team_id": p.TEAM,
                    "user_id": p.BOT_USER,
                    "bot_id": p.BOT_ID,
                },
            )
        if method == "users.info":
            user = PROFILES.get(str(args.get("user")))
            return (
                200,
                {},
                ({"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}),
            )
        if method == "chat.postMessage":
            return 200, {}, {"ok": True, "channel": args.get("channel"), "ts": ts}
        if method == "files.getUploadURLExternal":
            return 200, {}, {"ok": True, "upload_url": f"{self.url}/upload/F0UP", "file_id": "F0UP"}
        if method == "files.completeUploadExternal":
            return 200, {}, {"ok": True, "files": [{"id": "F0UP", "title": "chart"}]}
        return 200, {}, {"ok": True}  # fmt: skip

    def _oauth(self, args: dict[str, Any], authorization: str) -> dict[str, Any]:
        """oauth.v2.access as Slack answers it: the app's own credentials (HTTP Basic), then
        a code used once, or a refresh token used once."""
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if authorization != f"Basic {expected}":
            return {"ok": False, "error": "invalid_client_id"}
        if args.get("grant_type") == "refresh_token":
            answer = self.refreshes.pop(str(args.get("refresh_token")), None)
        else:
            answer = self.grants.pop(str(args.get("code")), None)
        if answer is None:
            return {"ok": False, "error": "invalid_grant"}
        return {"ok": True, **answer}


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:
            return

        def _reply(self, status: int, headers: dict[str, str], body: Any) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            for name, value in {"content-type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            name = self.path.rsplit("/", 1)[-1]
            if self.path.startswith("/files/") and name in fake.files:
                auth = self.headers.get("authorization") or ""
                with fake.lock:
                    fake.calls.append(("files.download", {"auth": auth or None}))
                    fake.authorizations.append(auth)
                return self._reply(200, {"content-type": "text/plain"}, fake.files[name])
            if self.path.startswith("/api/"):
                method = self.path[5:].split("?", 1)[0]
                auth = self.headers.get("authorization", "")
                return self._reply(*fake.answer(method, {}, auth))
            self._reply(404, {}, {"ok": False})

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length", "0")))
            if self.path.startswith("/upload/"):
                fake.uploads.append(raw)
                return self._reply(200, {"content-type": "text/plain"}, b"OK")
            method = self.path[len("/api/") :].split("?", 1)[0]
            kind = self.headers.get("content-type", "")
            if "json" in kind:
                args = json.loads(raw or b"{}")
            else:
                args = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            self._reply(*fake.answer(method, args, self.headers.get("authorization", "")))

    return Handler


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """The fake Web API, served on an ephemeral loopback port."""
    fake = FakeSlack()
    with serve(_handler(fake)) as url:
        fake.url = url
        yield fake


@pytest.fixture
def settings(engine: Engine, fake_slack: FakeSlack) -> Settings:
    """Settings pointing at the test database and the fake API."""
    return Settings(
        database_url=str(engine.url),
        secret_key="test-pepper",
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=p.SECRET,
        slack_api_url=fake_slack.url + "/api/",
        slack_admin_channel="C0ADMIN",
        moderators=(p.MODERATOR,),
        community="Acme HR",
    )


@pytest.fixture
def services(settings: Settings, engine: Engine) -> Services:
    """Services whose Slack sender never really sleeps (pauses are recorded instead)."""
    return quiet_services(settings, engine)


@pytest.fixture
def client(services: Services) -> Iterator[Any]:
    """A TestClient on the full web app (background tasks run before it returns)."""
    with web_client(services) as test_client:
        yield test_client


@pytest.fixture
def oauth_settings(engine: Engine, fake_slack: FakeSlack) -> Settings:
    """Settings of a deployment installed in many workspaces (OAuth v2), on the fake API."""
    return Settings(
        database_url=str(engine.url),
        secret_key="test-pepper",
        slack_client_id=fake_slack.client_id,
        slack_client_secret=fake_slack.client_secret,
        slack_signing_secret=p.SECRET,
        slack_api_url=fake_slack.url + "/api/",
        slack_admin_channel="C0FALLBACK",
        moderators=(p.MODERATOR,),
    )


@pytest.fixture
def oauth_services(oauth_settings: Settings, engine: Engine) -> Services:
    """Services in OAuth mode whose Slack senders never really sleep."""
    return quiet_services(oauth_settings, engine)


@pytest.fixture
def oauth_client(oauth_services: Services) -> Iterator[Any]:
    """The web app over HTTPS, as installers' browsers reach it (the state cookie is Secure)."""
    with web_client(oauth_services, "https://testserver") as test_client:
        yield test_client
