"""A small client for the two Twilio REST calls Liftbot makes: create a message, fetch media.

Written on httpx rather than twilio's `Client` so that the retry policy is ours: a 429 is never
processed by Twilio and is retried with backoff; a timeout or reset after the request left us
may have created the message, so it is reported as ambiguous and never re-sent blindly.
"""

from __future__ import annotations

import base64
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from bot.config import Settings
from handlers.http import FetchRefused, fetch_capped, host_of

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.twilio.com"
# Where Twilio redirects a media URL: its CDN (HTTP auth enforced) or the older S3 host.
MEDIA_HOSTS = frozenset(
    {"api.twilio.com", "mms.twiliocdn.com", "media.twiliocdn.com", "s3-external-1.amazonaws.com"}
)
RATE_LIMIT_CODE = 20429
MAX_ATTEMPTS = 4
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 8.0


class TwilioError(RuntimeError):
    """Twilio refused a request; `code` is Twilio's error code when it gave one."""

    def __init__(self, message: str, *, status: int = 0, code: int | None = None) -> None:
        super().__init__(message)
        self.status, self.code = status, code


class AmbiguousSend(RuntimeError):
    """The request may or may not have created a message (timeout or reset after sending)."""


class MediaError(RuntimeError):
    """Media could not be fetched: wrong host, too large, or an HTTP error."""


@dataclass
class TwilioApi:
    """Messages.json and media downloads against Twilio (or a local fake in tests)."""

    settings: Settings
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10.0))
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random

    @property
    def base_url(self) -> str:
        """Where the REST API lives (LIFTBOT_TWILIO_API_URL or api.twilio.com)."""
        return (self.settings.twilio_api_url or DEFAULT_API_URL).rstrip("/")

    def _auth(self) -> tuple[str, str]:
        return (self.settings.twilio_account_sid, self.settings.twilio_auth_token)

    def create_message(self, fields: dict[str, str]) -> dict[str, Any]:
        """POST a message; retries only 429s; raises TwilioError or AmbiguousSend."""
        sid = self.settings.twilio_account_sid
        url = f"{self.base_url}/2010-04-01/Accounts/{sid}/Messages.json"
        for attempt in range(1, MAX_ATTEMPTS + 1):
            response = self._post(url, fields)
            payload = _json(response)
            code = payload.get("code")
            if response.status_code == 429 or code == RATE_LIMIT_CODE:
                if attempt == MAX_ATTEMPTS:
                    raise TwilioError("rate limited", status=429, code=RATE_LIMIT_CODE)
                self.sleep(self._backoff(attempt, response))
                continue
            if response.is_success:
                return payload
            raise TwilioError(
                str(payload.get("message") or f"HTTP {response.status_code}")[:300],
                status=response.status_code,
                code=code if isinstance(code, int) else None,
            )
        raise AssertionError("unreachable")  # pragma: no cover

    def _post(self, url: str, fields: dict[str, str]) -> httpx.Response:
        try:
            return self.client.post(url, data=fields, auth=self._auth())
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            # Nothing reached Twilio; not ambiguous, but we still leave the retry to a person.
            raise TwilioError(f"could not connect to Twilio ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise AmbiguousSend(f"no answer after sending ({type(exc).__name__})") from exc

    def _backoff(self, attempt: int, response: httpx.Response) -> float:
        retry_after = str(response.headers.get("Retry-After", ""))
        floor = float(retry_after) if retry_after.isdigit() else 0.0
        exponential = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2.0 ** (attempt - 1))
        return min(BACKOFF_CAP_SECONDS, max(floor, exponential * (0.5 + self.jitter())))

    def download(self, url: str, target: Path, *, max_bytes: int) -> int:
        """Fetch media announced by Twilio into `target`; returns its size in bytes.

        The first request must go to the Twilio API host (with the account's credentials);
        Twilio then redirects to its media CDN, which gets no credentials.
        """
        if _origin(url) != _origin(self.base_url):
            raise MediaError("media is only fetched from the Twilio API host")
        token = f"{self.settings.twilio_account_sid}:{self.settings.twilio_auth_token}"
        basic = "Basic " + base64.b64encode(token.encode()).decode("ascii")
        try:
            with target.open("wb") as out:
                return fetch_capped(
                    self.client,
                    url,
                    allowed_hosts=self._is_media_host,
                    credentials={"Authorization": basic},
                    max_bytes=max_bytes,
                    sink=out,
                )
        except FetchRefused as exc:
            raise MediaError(str(exc)) from exc

    def _is_media_host(self, host: str) -> bool:
        return host in MEDIA_HOSTS or host == host_of(self.base_url)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return (parts.scheme.lower(), parts.netloc.lower())


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        payload = response.json()
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}
