"""Members from phone numbers are keyed by a keyed HMAC and shown masked."""

from __future__ import annotations

import hashlib

from bot.privacy.identity import name_key, phone_key
from bot.privacy.phones import mask_phone


def test_phone_key_is_keyed_and_stable_and_not_a_bare_hash() -> None:
    key = phone_key("pepper-1", "+91 99887 76655")
    assert key == phone_key("pepper-1", "+919988776655")
    assert key != phone_key("pepper-2", "+919988776655")
    assert "9988776655" not in key
    assert hashlib.sha256(b"+919988776655").hexdigest()[:40] not in key


def test_name_key_ignores_case_spacing_and_bidi_marks() -> None:
    assert name_key("k", "Priya  Nair") == name_key("k", "\u202apriya nair\u202c")
    assert name_key("k", "Priya Nair") != name_key("k", "Priya Naik")


def test_masked_phone_shows_only_the_last_four_digits() -> None:
    assert mask_phone("+919988776655") == "+91••••••6655"
    assert "99887" not in mask_phone("+91 99887 76655")
