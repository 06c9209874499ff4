"""The untrusted edge of a Twilio webhook: a capped body, a signature, then parsed form fields."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from urllib.parse import parse_qsl

from starlette.requests import Request
from twilio.request_validator import RequestValidator

from bot.text import clean_text

MAX_FIELDS = 200


class FormError(ValueError):
    """The form body or one of its fields is malformed (400); the message is safe to log."""


class TwilioForm(Mapping[str, str]):
    """Received form fields in order, multi-valued fields kept (what the signature covers)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs
        self._first: dict[str, str] = {}
        for name, value in pairs:
            self._first.setdefault(name, value)

    def __getitem__(self, name: str) -> str:
        return self._first[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._first)

    def __len__(self) -> int:
        return len(self._first)

    def getall(self, name: str) -> list[str]:
        """Every value sent for `name` (RequestValidator signs them all)."""
        return [value for key, value in self.pairs if key == name]

    def text(self, name: str) -> str:
        """The first value of a field, or "" when absent."""
        return self._first.get(name, "")

    def cleaned(self) -> TwilioForm:
        """The fields without NUL characters or lone surrogates (PostgreSQL refuses both).

        Only after the signature is checked: Twilio signed what it sent, not the cleaned text.
        """
        return TwilioForm([(clean_text(name), clean_text(value)) for name, value in self.pairs])


def parse_form(body: bytes) -> TwilioForm:
    """Parse an application/x-www-form-urlencoded body strictly (UTF-8, bounded field count)."""
    try:
        text = body.decode("ascii")
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=False,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormError(f"the form body cannot be parsed ({type(exc).__name__})") from exc
    return TwilioForm(pairs)


def public_url(base_url: str, request: Request) -> str:
    """The URL Twilio signed: the configured public base + path + query, never Host headers."""
    query = request.url.query
    return base_url.rstrip("/") + request.url.path + (f"?{query}" if query else "")


def signature_ok(auth_token: str, url: str, form: TwilioForm, signature: str) -> bool:
    """True when `signature` is Twilio's signature of `url` and every received field."""
    if not auth_token or not signature or not url:
        return False
    return bool(RequestValidator(auth_token).validate(url, form, signature))
