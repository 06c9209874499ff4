"""Reversible encryption of a member's phone number, so the bot can message a helper back.

Member keys are one-way HMAC pseudonyms; replying to someone needs the number itself. It is kept
only sealed with a key derived from the secret key (which lives outside the database), so a
database dump alone reveals no number.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken


class SealError(ValueError):
    """A sealed value cannot be opened (wrong secret key or a damaged value)."""


def _fernet(secret: str) -> Fernet:
    digest = hashlib.sha256(f"liftbot-contact-seal:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str, value: str) -> str:
    """Encrypt and authenticate `value` with a key derived from `secret`."""
    return _fernet(secret).encrypt(value.encode()).decode("ascii")


def unseal(secret: str, sealed: str) -> str:
    """The value `seal` encrypted; raises SealError when it cannot be opened."""
    try:
        return _fernet(secret).decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, UnicodeError, ValueError) as exc:
        raise SealError("the stored contact cannot be opened with this LIFTBOT_SECRET_KEY") from exc
