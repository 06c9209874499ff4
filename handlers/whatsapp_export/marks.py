"""Bidi marks WhatsApp writes into its scaffolding, and the shape of an author that is a number.

Normalising and masking numbers is `bot.privacy.phones`' job, for exports and live messages alike.
"""

from __future__ import annotations

import re
from typing import Final

from bot.text import BIDI_MARKS

# Bidi controls, LRM/RLM, BOM and the Arabic letter mark: WhatsApp sprinkles them into scaffolding.
MARKS: Final = BIDI_MARKS
OPTIONAL_MARKS: Final = f"[{MARKS}]*"
DROP_MARKS: Final = str.maketrans(dict.fromkeys(MARKS))
SPACE_MARKS: Final = MARKS + " \t"
PHONE: Final = re.compile(r"\+?\d[\d \u00a0\u202f().-]{5,22}\d")
