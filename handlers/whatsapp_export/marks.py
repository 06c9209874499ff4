"""Bidi marks WhatsApp writes into its scaffolding, and the phone-number helpers.

Both are kept here in one place until they move to bot/text.py and bot/privacy/phones.py.
"""

from __future__ import annotations

import re
from typing import Final

# Bidi controls, LRM/RLM, BOM and the Arabic letter mark: WhatsApp sprinkles them into scaffolding.
MARKS: Final = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u061c"
OPTIONAL_MARKS: Final = f"[{MARKS}]*"
DROP_MARKS: Final = str.maketrans(dict.fromkeys(MARKS))
SPACE_MARKS: Final = MARKS + " \t"
PHONE: Final = re.compile(r"\+?\d[\d \u00a0\u202f().-]{5,22}\d")


def normalise_phone(raw: str) -> str | None:
    """E.164 ("+919988776655") for an international number as written, else None."""
    clean = raw.translate(DROP_MARKS).strip()
    if clean.startswith("00"):
        clean = "+" + clean[2:]
    if not clean.startswith("+"):
        return None
    digits = re.sub(r"[\s\u00a0\u202f().-]", "", clean[1:])
    if not digits.isdigit() or not digits.isascii() or not 8 <= len(digits) <= 15:
        return None
    if digits[0] == "0":
        return None
    return "+" + digits


def mask_phone(raw: str) -> str:
    """Hide all but the country code and the last four digits: "+91 ••••• •6655" (display only)."""
    clean = raw.translate(DROP_MARKS).strip()
    digit_positions = [i for i, ch in enumerate(clean) if ch.isdigit()]
    keep = set(digit_positions[-4:])
    country = re.match(r"\+(\d{1,3})[\s\u00a0\u202f.-]", clean)
    if country is not None:
        keep.update(range(1, country.end(1)))
    return "".join("•" if ch.isdigit() and i not in keep else ch for i, ch in enumerate(clean))
