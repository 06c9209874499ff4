"""Phone numbers: the one normaliser to E.164 and the one masker for display.

Numbers are never stored: members are keyed by `identity.phone_key`, shown masked, and a helper's
number is kept sealed (`sealing`). Everything that reads a number — Twilio's `From`, a mention
`@919876543210`, an export author `+91 99887 76655`, a moderator setting — goes through here.
"""

from __future__ import annotations

import re

from bot.text import strip_bidi

_SEPARATORS = re.compile(r"[\s\u00a0\u202f().-]")
_NON_DIGIT = re.compile(r"\D")


def normalise_phone(raw: str, *, bare_digits: bool = False) -> str | None:
    """E.164 (`+919876543210`) for an international number as written, else None.

    Accepts `+91 98765 43210`, `0091…`, `whatsapp:+91…`; with `bare_digits`, also a country code
    without the plus (`919876543210`, how WhatsApp writes mentions). A trunk `0` is never a
    country code, and 8–15 digits are required (ITU E.164).
    """
    clean = strip_bidi(raw).strip().removeprefix("whatsapp:")
    if clean.startswith("00"):
        clean = "+" + clean[2:]
    if clean.startswith("+"):
        clean = clean[1:]
    elif not bare_digits:
        return None
    digits = _SEPARATORS.sub("", clean)
    if not (digits.isascii() and digits.isdigit()) or not 8 <= len(digits) <= 15:
        return None
    return None if digits[0] == "0" else "+" + digits


def mask_phone(number: str) -> str:
    """A number with all but its country code and last four digits hidden: `+91••••••6655`."""
    digits = _NON_DIGIT.sub("", number)
    if len(digits) <= 4:
        return "•" * len(digits)
    return "+" + digits[:2] + "•" * (len(digits) - 6) + digits[-4:]
