"""Case-insensitive patterns answered by their lower-case twins find exactly what they find."""

from __future__ import annotations

import random
import re

import pytest

from bot.judgement import job_levels, kind_shapes, titles
from bot.judgement.caseless import Caseless, ascii_form, lowered, plain_ascii, twin, twin_safe

PATTERNS = [
    p
    for module in (kind_shapes, job_levels, titles)
    for p in vars(module).values()
    if isinstance(p, re.Pattern) and p.flags & re.IGNORECASE
] + [job_levels._ROLE_CUE.pattern, job_levels._SELF_ASIDE.pattern, job_levels._RANGE.pattern]

# Text pieces that reach every branch of the patterns, in mixed case, with characters whose
# case or class is tricky: accented capitals, the dotless and dotted i, the long s, the Kelvin
# sign, final sigma, non-ASCII digits and spaces, emoji.
PIECES = [
    "Hiring for", "HR Executive", "Looking For", "Need", "5-8 Yrs", "12+ years", "3 YRS exp",
    "I'm", "Myself", "Priya here", "Open To Work", "Apply", "Send CV", "www.", "https://",
    "Acme.COM/", "Report to", "As an CHRO,", "Freshers", "is this remote?", "Salary", "Role:",
    "Walk-in for", "Fresher", "2 to 4 Years", " ", "  ", "\n", ".", ",", "-", "–", "(", ")",
    "'", "’", "É", "é", "İ", "ı", "ſ", "\u212a", "Σ", "ΑΣ", "٣", "\u00a0", "🙂", "_", "x", "Y",
    "\x1c", "\x1f", "\t", "@", "a.b@c.com", "98450 12345", "+91 98450 12345", "1) a\n2) b\n",
    '"Quote" - Maya', "@Ravi", "Hi Ravi, ", "Why do we", "?", "HR", "Manager",
]  # fmt: skip
EVERY_PATTERN = [
    p
    for module in (kind_shapes, job_levels, titles)
    for p in vars(module).values()
    if isinstance(p, re.Pattern)
] + [job_levels._ROLE_CUE.pattern, job_levels._SELF_ASIDE.pattern, job_levels._RANGE.pattern]


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(PIECES, k=rng.randint(1, 12))) for _ in range(count)]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:30])
def test_a_twin_finds_the_same_matches_on_every_text_that_allows_it(
    pattern: re.Pattern[str],
) -> None:
    lower = twin(pattern)
    checked = 0
    for text in _texts(7, 3_000):
        if not twin_safe(text):
            continue
        checked += 1
        expected = [m.regs for m in pattern.finditer(text)]
        assert [m.regs for m in lower.finditer(text.lower())] == expected, text
    assert checked > 500


def test_texts_whose_lower_case_moves_or_folds_letters_are_not_twin_safe() -> None:
    assert twin_safe("Hiring HR Executive – 5 yrs 🙂 é")
    for tricky in ("É", "İ", "ı", "ſ", "\u212a", "Σ"):
        assert not twin_safe(f"Hiring {tricky}")


def test_caseless_answers_as_the_pattern_does_on_any_text() -> None:
    caseless = Caseless(job_levels._ROLE_CUE.pattern)
    for text in _texts(11, 2_000):
        expected = [m.span("role") for m in caseless.pattern.finditer(text)]
        low = lowered(text)
        assert list(caseless.spans(text, low, "role")) == expected, text
        found = caseless.search(text, low)
        match = caseless.pattern.search(text)
        assert (found and found.span()) == (match and match.span())
        assert caseless.sub(" ", text, low) == caseless.pattern.sub(" ", text)


def test_a_twin_keeps_escapes_and_group_names() -> None:
    pattern = re.compile(r"(?P<Name>[A-Z]\W\S\D)Ab", re.I)
    assert twin(pattern).pattern == r"(?P<Name>[a-z]\W\S\D)ab"


@pytest.mark.parametrize("pattern", EVERY_PATTERN, ids=lambda p: p.pattern[:30])
def test_the_ascii_form_finds_the_same_matches_on_plain_ascii_text(
    pattern: re.Pattern[str],
) -> None:
    ascii_pattern = ascii_form(pattern)
    folds = bool(pattern.flags & re.IGNORECASE)
    checked = 0
    for text in _texts(13, 3_000):
        if not plain_ascii(text):
            continue
        checked += 1
        expected = [m.regs for m in pattern.finditer(text)]
        subject = text.lower() if folds else text
        assert [m.regs for m in ascii_pattern.finditer(subject)] == expected, text
    assert checked > 300


def test_text_with_unicode_only_spaces_is_not_plain_ascii() -> None:
    assert plain_ascii("Hiring HR Executive, 5 yrs\n")
    for tricky in ("\x1c", "\x1f", "é", "\u00a0"):
        assert not plain_ascii(f"Hiring {tricky}")


NEEDS_PIECES = [
    "Hiring", "HIRING for", "Opening for", "openings:", "Position:", "Role:", "for:",
    "Requirement", "requirement for:", "Looking for", "looking to hire", "Need", "needed",
    "Vacancy for", "Job Description –", "#OpenRole -", "Designation:", "Post:", "Urgently need",
    "urgent hiring", "We have an opening for", "Open Role (Pune):", "Walk-in drive for",
    "As a CHRO,", "as an VP HR.", "Reports to", "reporting into", "On behalf of", "by a former",
    "To the", "to our", "Freshers", "student", "Pass out", "passouts", "Final Year",
    "MBA HR 2024", "fresh MBA", "PGDM", "graduates", " ", "\n", ".", ",", ":", "-", "x", "HR",
    "Manager", "5 yrs", "ſ", "İ", "é", "\u212a", "🙂", "_",
]  # fmt: skip


@pytest.mark.parametrize("name", ["_ROLE_CUE", "_SELF_ASIDE", "_JUNIOR_WORDS"])
def test_a_pattern_with_needs_answers_as_the_pattern_does(name: str) -> None:
    caseless = getattr(job_levels, name)
    assert caseless.needs
    rng = random.Random(17)
    matched = skipped = 0
    for _ in range(4_000):
        text = "".join(rng.choices(NEEDS_PIECES, k=rng.randint(1, 10)))
        low = lowered(text)
        expected = [m.span() for m in caseless.pattern.finditer(text)]
        matched += bool(expected)
        skipped += caseless._absent(low)
        assert list(caseless.spans(text, low)) == expected, text
        found = caseless.search(text, low)
        assert (found and found.span()) == (expected[0] if expected else None), text
        assert caseless.sub(" ", text, low) == caseless.pattern.sub(" ", text), text
    assert matched > 250 and skipped > 100
