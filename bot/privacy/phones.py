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


# A number as people write it in text: `+91 98450 12345`, `0044 20 7946 0958`, or a WhatsApp
# mention `@919845012345` (digits only, the country code without its plus). Not inside a word or
# an id, so `a1b2-0012-4567-8901` and `C0012345678` stay as they are.
_PHONE_IN_TEXT = re.compile(r"(?<![\w+])(?<!\w-)(@?)(\+?\d[\d \u00a0\u202f().-]{6,}\d)")
_DIGIT_GROUP_END = re.compile(r"\d(?=\D|$)")
_ANY_DIGIT = re.compile(r"\d")  # every message passes here on import: a C-speed pre-test


def mask_phones_in_text(text: str) -> str:
    """`text` with every phone number masked (`Tagging @+91••••••2345`), as authors are shown.

    Numbers written with `+` or `00`, and mentions (`@` and digits), are masked; other digit runs
    (amounts, dates, ids) are not numbers anyone can be reached at and stay. A run too long for
    one number (`+91 98450 12345 2024`) is masked up to its longest prefix that is a number.
    """
    if _ANY_DIGIT.search(text) is None:
        return text
    return _PHONE_IN_TEXT.sub(_mask_match, text)


def _mask_match(match: re.Match[str]) -> str:
    mention, raw = match.group(1), match.group(2)
    ends = [m.end() for m in _DIGIT_GROUP_END.finditer(raw)]
    for end in reversed(ends):
        phone = normalise_phone(raw[:end], bare_digits=bool(mention))
        if phone is not None:
            rest = raw[end:]
            return mention + mask_phone(phone) + (mask_phones_in_text(rest) if rest else "")
    return match.group(0)
