"""Bidi marks WhatsApp writes into its scaffolding, and the shape of an author that is a number.

Normalising and masking numbers is `bot.privacy.phones`' job, for exports and live messages alike.
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
