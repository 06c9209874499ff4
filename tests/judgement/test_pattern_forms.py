"""Patterns written to start with a digit, a letter or another character every match holds
(so `re` can skip ahead) mean their plain forms."""

from __future__ import annotations

import random
import re

import pytest

from bot.judgement import job_levels
from bot.judgement.caseless import ascii_form, twin
from bot.judgement.kind_shapes import APPLY, CONTACT, EXPERIENCE

# Text pieces that reach every branch of the patterns, with characters whose class or case is
# tricky (a Unicode digit, "_", an accented letter, the long s, the dotted capital I).
YEAR_PIECES = ["1", "12", "123", "5", " ", "-", "–", ".", "+", "to", "yrs", "Years", "y", "saal",
               "of", "exp", "x", "_", "٣", "old", "\n", "5-8 yrs", "12+ years ", "3 Yrs of exp",
               "2 to 4 years", "a1", "1.5 years"]  # fmt: skip
APPLY_PIECES = ["apply", "Apply", "APPLY", "re", "_", "x", "1", " ", "-", "é", "s", "\n", "cv", "dm ",
                "share ", "send ", "your ", "cvs to", "ſ", "İ"]  # fmt: skip
PLAIN_FORMS = [
    (
        EXPERIENCE,
        r"\b\d{1,2}\s*(?:\+|-|–|to)\s*(?:\d{1,2}\s*)?(?:yrs?|years?)\b|"
        r"\b\d{1,2}\s*\+?\s*(?:yrs?|years?)\s*(?:of\s*)?(?:exp|experience)",
        YEAR_PIECES,
    ),
    (
        job_levels._RANGE.pattern,
        r"(?<![\d.])(\d{1,2})\s*(?:\+\s*)?(?:years?|yrs?|y)?\s*(?:-|–|—|to)\s*(\d{1,2})\s*\+?\s*"
        r"(?:years?|yrs?|y\b|saal)",
        YEAR_PIECES,
    ),
    (
        job_levels._OPEN_RANGE.pattern,
        r"(?<![\d.-])(\d{1,2})\s*(?:\+\s*(?:years?|yrs?)|(?:years?|yrs?)\s*\+)",
        YEAR_PIECES,
    ),
    (job_levels._POINT.pattern, r"(?<![\d.-])(\d{1,2})\s*(?:years?|yrs?)\b(?! old)", YEAR_PIECES),
    (
        APPLY,
        r"dm (?:me )?(?:your )?cv|share (?:your )?cv|send (?:your )?(?:cv|resume)|"
        r"interested candidates|\bapply\b|cvs? to\b",
        APPLY_PIECES,
    ),
]


@pytest.mark.parametrize(("pattern", "plain", "pieces"), PLAIN_FORMS, ids=lambda p: str(p)[:20])
def test_a_pattern_written_to_skip_ahead_matches_as_its_plain_form(
    pattern: re.Pattern[str], plain: str, pieces: list[str]
) -> None:
    reference = re.compile(plain, pattern.flags)
    lower, lower_reference = twin(pattern), twin(reference)
    rng = random.Random(3)
    matched = 0
    for _ in range(5_000):
        text = "".join(rng.choices(pieces, k=rng.randint(1, 8)))
        expected = [m.regs for m in reference.finditer(text)]
        matched += bool(expected)
        assert [m.regs for m in pattern.finditer(text)] == expected, text
        low = text.lower()
        assert [m.regs for m in lower.finditer(low)] == [
            m.regs for m in lower_reference.finditer(low)
        ], text
    assert matched > 300


CONTACT_PLAIN = r"\b[\w.+-]+@[\w-]+\.[\w.]+\b|\b\d{5}\s?\d{5}\b|\+\d{2}\s?\d{5}\s?\d{5}"
CONTACT_PIECES = ["a", "Z", "_", ".", "+", "-", "@", "b.com", "x-y", "12345", "1234", " ", "9", "é",
                  "٣", "+91", "..", "@@", "\n", "mail", "5", "ab.", "\0", "98765 43210"]  # fmt: skip


def test_the_contact_pattern_occurs_where_its_plain_form_does() -> None:
    """Only whether contact details occur is asked, so only that must agree."""
    forms = [
        (re.compile(CONTACT_PLAIN), CONTACT),
        (re.compile(CONTACT_PLAIN, re.A), ascii_form(CONTACT)),
    ]
    rng = random.Random(7)
    found = 0
    for _ in range(20_000):
        text = "".join(rng.choices(CONTACT_PIECES, k=rng.randint(1, 10)))
        for reference, pattern in forms:
            if reference is forms[1][0] and not text.isascii():
                continue
            expected = reference.search(text) is not None
            found += expected
            assert (pattern.search(text) is not None) == expected, text
    assert found > 3_000
