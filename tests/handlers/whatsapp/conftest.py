"""A fake Twilio REST API on loopback, settings for it, and a signed-request helper."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient
from twilio.request_validator import RequestValidator

from bot.app.services import Services
from bot.app.web import create_app
from bot.config import Settings
from handlers.whatsapp.api import TwilioApi
from handlers.whatsapp.webhook import TwilioForm
from tests.loopback import serve

AUTH_TOKEN = "test-auth-token-5c1e"
ACCOUNT_SID = "AC" + "a1" * 16
PUBLIC = "https://liftbot.example.org"
BOT_NUMBER = "+14155238886"
TEMPLATE_SID = "HX" + "b2" * 16
MODERATOR = "+919811122233"
ASKER = "+919822233344"
HELPER = "+447700900123"
OUTSIDER = "+15550104477"


@dataclass
class FakeTwilio:
    """Records every request; answers Messages.json from a script, serves media by redirect."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    script: list[tuple[int, dict[str, Any] | None]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def messages(self) -> list[dict[str, str]]:
        """Form fields of every Messages.json POST, in order."""
        return [r["form"] for r in self.requests if r["path"].endswith("/Messages.json")]

    def media_url(self, name: str, content: bytes) -> str:
        """A Twilio-style media URL for `content` (it redirects to the file, as Twilio does)."""
        self.files[name] = content
        message = "MM" + uuid.uuid4().hex
        return f"{self.url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{message}/Media/{name}"


def _handler(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _record(self, body: bytes) -> None:
            with fake.lock:
                fake.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "auth": self.headers.get("Authorization", ""),
                        "form": dict(parse_qsl(body.decode())),
                    }
                )

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self._record(body)
            with fake.lock:
                status, payload = fake.script.pop(0) if fake.script else (201, {})
            if payload is None:  # drop the connection after reading: an ambiguous send
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if status == 201 and "sid" not in payload:
                payload = {"sid": "SM" + uuid.uuid4().hex, "status": "queued", **payload}
            self._reply(status, json.dumps(payload).encode(), "application/json")

        def do_GET(self) -> None:
            self._record(b"")
            name = self.path.rsplit("/", 1)[-1]
            if "/Media/" in self.path:
                self.send_response(307)
                self.send_header("Location", f"/files/{name}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            content = fake.files.get(name)
            if content is None:
                self._reply(404, b"{}", "application/json")
            else:
                self._reply(200, content, "text/plain")

        def _reply(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A fake Twilio API on 127.0.0.1, port chosen by the OS."""
    fake = FakeTwilio()
    with serve(_handler(fake)) as url:
        fake.url = url
        yield fake


@pytest.fixture
def settings(fake_twilio: FakeTwilio, engine: Engine) -> Settings:
    """Settings pointing at the fake API, with one moderator number."""
    return Settings(
        database_url=str(engine.url),
        secret_key="test-pepper-8d0f",
        community="HR Leaders Circle",
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_api_url=fake_twilio.url,
        twilio_whatsapp_from=BOT_NUMBER,
        twilio_template_sid=TEMPLATE_SID,
        public_base_url=PUBLIC,
        whatsapp_moderators=(MODERATOR.replace("+91", "+91 "),),
    )


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """The web app in process; background tasks finish before each call returns."""
    with TestClient(create_app(Services(settings=settings, engine=engine))) as test_client:
        yield test_client


@pytest.fixture
def no_sleep_api(settings: Settings) -> TwilioApi:
    """A Twilio client whose backoff sleeps are recorded instead of slept."""
    api = TwilioApi(settings, sleep=lambda _: None, jitter=lambda: 0.5)
    return api


def sign(url: str, fields: Sequence[tuple[str, str]], token: str = AUTH_TOKEN) -> str:
    """X-Twilio-Signature for a form POST to `url`, as Twilio computes it."""
    return str(RequestValidator(token).compute_signature(url, TwilioForm(list(fields))))


def new_sid(prefix: str = "SM") -> str:
    """A fresh Twilio-shaped SID."""
    return prefix + uuid.uuid4().hex


def inbound(
    number: str, body: str, *, sid: str | None = None, name: str = "Priya", **extra: str
) -> list[tuple[str, str]]:
    """Form fields shaped like Twilio's WhatsApp webhook for an incoming message."""
    fields = {
        "SmsMessageSid": sid or "",
        "NumMedia": "0",
        "ProfileName": name,
        "MessageType": "text",
        "SmsSid": sid or "",
        "WaId": number.lstrip("+"),
        "SmsStatus": "received",
        "Body": body,
        "To": f"whatsapp:{BOT_NUMBER}",
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid or new_sid(),
        "AccountSid": ACCOUNT_SID,
        "From": f"whatsapp:{number}",
        "ApiVersion": "2010-04-01",
    }
    fields["SmsMessageSid"] = fields["SmsSid"] = fields["MessageSid"]
    fields.update(extra)
    return list(fields.items())


def post_signed(
    client: TestClient,
    fields: Sequence[tuple[str, str]],
    *,
    path: str = "/twilio/whatsapp",
    signed_url: str | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """POST a form body signed for the public URL (or `signed_url`)."""
    signature = sign(signed_url or PUBLIC + path, fields)
    return client.post(
        path,
        content=urlencode(list(fields)),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
            **(headers or {}),
        },
    )
