"""One masker for numbers in text: what people wrote shows numbers as authors are shown."""

from __future__ import annotations

import pytest

from bot.privacy.phones import mask_phones_in_text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Tagging @919845012345", "Tagging @+91••••••2345"),
        ("/lift expert @+919845012345 payroll", "/lift expert @+91••••••2345 payroll"),
        ("call +91 98450 12345 after 6", "call +91••••••2345 after 6"),
        ("0044 20 7946 0958, ask for HR", "+44••••••0958, ask for HR"),
        ("(+1 415-555-0123)", "(+14•••••0123)"),
        # A run too long for one number: its longest prefix that is a number is masked.
        ("+91 98450 12345 2024", "+91••••••2345 2024"),
    ],
)
def test_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_phones_in_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "CTC 1500000 from 2024-01-15",
        "uuid a1b2c3d4-0012-4567-8901-abcdef",
        "channel C0012345678 at 1718000000.123456",
        "919845012345@c.us",
        "+12 only",
        "",
    ],
)
def test_amounts_dates_and_ids_stay(text: str) -> None:
    assert mask_phones_in_text(text) == text
