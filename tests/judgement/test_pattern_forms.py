"""Patterns written to start with a digit (so `re` can skip ahead) mean their plain forms."""

from __future__ import annotations

import random
import re

import pytest

from bot.judgement import job_levels
from bot.judgement.kind_shapes import EXPERIENCE

PLAIN_FORMS = [
    (
        EXPERIENCE,
        r"\b\d{1,2}\s*(?:\+|-|–|to)\s*(?:\d{1,2}\s*)?(?:yrs?|years?)\b|"
        r"\b\d{1,2}\s*\+?\s*(?:yrs?|years?)\s*(?:of\s*)?(?:exp|experience)",
    ),
    (
        job_levels._RANGE.pattern,
        r"(?<![\d.])(\d{1,2})\s*(?:\+\s*)?(?:years?|yrs?|y)?\s*(?:-|–|—|to)\s*(\d{1,2})\s*\+?\s*"
        r"(?:years?|yrs?|y\b|saal)",
    ),
    (
        job_levels._OPEN_RANGE.pattern,
        r"(?<![\d.-])(\d{1,2})\s*(?:\+\s*(?:years?|yrs?)|(?:years?|yrs?)\s*\+)",
    ),
    (job_levels._POINT.pattern, r"(?<![\d.-])(\d{1,2})\s*(?:years?|yrs?)\b(?! old)"),
]
PIECES = ["1", "12", "123", "5", " ", "-", "–", ".", "+", "to", "yrs", "Years", "y", "saal",
          "of", "exp", "x", "_", "٣", "old", "\n", "5-8 yrs", "12+ years ", "3 Yrs of exp",
          "2 to 4 years", "a1", "1.5 years"]  # fmt: skip


@pytest.mark.parametrize(("pattern", "plain"), PLAIN_FORMS, ids=lambda p: str(p)[:20])
def test_a_digit_first_pattern_matches_as_its_plain_form(
    pattern: re.Pattern[str], plain: str
) -> None:
    reference = re.compile(plain, pattern.flags)
    rng = random.Random(3)
    matched = 0
    for _ in range(5_000):
        text = "".join(rng.choices(PIECES, k=rng.randint(1, 8)))
        expected = [m.regs for m in reference.finditer(text)]
        matched += bool(expected)
        assert [m.regs for m in pattern.finditer(text)] == expected, text
    assert matched > 300
