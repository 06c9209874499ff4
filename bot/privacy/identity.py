"""Pseudonymous member keys: phone numbers and export names are keyed by HMAC, never stored raw."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from bot.text import strip_bidi

_NON_DIGIT = re.compile(r"[^\d+]")


def pseudonym(secret: str, namespace: str, value: str) -> str:
    """Keyed, stable pseudonym of `value` within `namespace` (e.g. "phone", "name")."""
    digest = hmac.new(secret.encode(), f"{namespace}:{value}".encode(), hashlib.sha256)
    return f"{namespace}:{digest.hexdigest()[:40]}"


def phone_key(secret: str, e164: str) -> str:
    """Member key for a phone number in E.164 form."""
    return pseudonym(secret, "phone", _NON_DIGIT.sub("", e164))


def name_key(secret: str, display_name: str) -> str:
    """Member key for an export author known only by display name (case- and form-insensitive)."""
    folded = unicodedata.normalize("NFKC", strip_bidi(display_name)).casefold()
    return pseudonym(secret, "name", " ".join(folded.split()))
