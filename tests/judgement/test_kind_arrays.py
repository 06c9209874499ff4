"""The batch scorer's array helpers against their plain definitions."""

from __future__ import annotations

import random
import re
from re import _constants as C  # the parsed form of patterns
from re import _parser as P
from typing import Any

import numpy as np
import pytest

from bot.judgement.caseless import ascii_form, twin
from bot.judgement.kind_chars import (
    GROUPS,
    NAMED,
    NEEDS,
    STAND_IN_PATTERNS,
    bits_of,
    char_facts,
)
from bot.judgement.kind_facts import BatchFacts
from bot.judgement.kind_model import shipped_model, top_two
from bot.judgement.kind_text import BatchText, changes, lower_codes, or_per_message, owners


@pytest.mark.parametrize(
    "flags", [[], [False], [True], [True, True, False, True], [False, False, True, True, False]]
)
def test_changes_are_where_a_flag_differs_from_the_one_before(flags: list[bool]) -> None:
    before = [False, *flags][: len(flags)]
    expected = [flag != prior for flag, prior in zip(flags, before, strict=True)]
    found = changes(np.array(flags, dtype=np.bool_))
    assert found.dtype == np.bool_
    assert found.tolist() == expected


@pytest.mark.parametrize("seed", range(6))
def test_or_per_message_is_the_bitwise_or_of_each_message_values(seed: int) -> None:
    rng = np.random.default_rng(seed)
    count = int(rng.integers(1, 12))
    message = np.sort(rng.integers(0, count, int(rng.integers(0, 30))))
    values = rng.integers(0, 1 << 20, len(message))
    expected = np.zeros(count, dtype=np.int64)
    np.bitwise_or.at(expected, message, values)
    firsts = np.searchsorted(message, np.arange(count))
    assert or_per_message(values, message, firsts).tolist() == expected.tolist()


@pytest.mark.parametrize("seed", range(6))
def test_owners_are_what_a_binary_search_of_the_ends_finds(seed: int) -> None:
    rng = np.random.default_rng(seed)
    ends = np.unique(rng.integers(0, 60, int(rng.integers(1, 10))))
    positions = np.sort(rng.integers(0, 70, int(rng.integers(0, 40))))
    assert owners(positions, ends).tolist() == np.searchsorted(ends, positions).tolist()


@pytest.mark.parametrize("seed", range(6))
def test_top_two_are_the_first_two_of_a_stable_sort_by_score(seed: int) -> None:
    rng = np.random.default_rng(seed)
    scores = rng.integers(-2, 3, (50, 4)).astype(np.float64)  # many ties
    scores[0] = [0.0, -0.0, 0.0, -1.0]
    ranked = np.argsort(-scores, axis=1, kind="stable")
    best, runner_up = top_two(scores)
    assert best.tolist() == ranked[:, 0].tolist()
    assert runner_up.tolist() == ranked[:, 1].tolist()


def test_a_message_holding_a_needed_text_has_its_need_group_bit() -> None:
    tables = shipped_model().tables
    texts = [f"Well, {need} here" for group in GROUPS for need in group]
    _, _, messages, needs = char_facts(BatchText.read(texts, tables))
    at = 0
    for bit, group in enumerate(GROUPS):
        for _ in group:
            assert needs[at] >> bit & 1, texts[at]
            assert messages[at] & bits_of(","), texts[at]
            at += 1


SHAPE_PIECES = [
    "I", "we", "We", " ", "  ", "need", "want", "wanted", "am", "are", "looking", "searching",
    "trying", "would like", "for", "a", "an", "job", "new role", "role", "opportunity",
    "internship", "open to work", "#OpenToWork", "any opening", "openings", "laid off",
    "lost my job", "refer me", "my", "friend", "cousin's", "DM", "me", "your", "CV", "cvs",
    "share", "send", "resume", "interested candidates", "apply", "to", "required",
    "requirement of", "HR", "executive", "managers", "I'm", "im", "myself", "Priya here", "at",
    "with", "from", "5", "10", "yrs", "years", "of", "experience", "+", "-", "https://x.io/",
    "www.", "acme.com/", ",", ".", "\n", "İ", "ſ", "é", "🙂", "3-5 yrs", "2 to 4 Years",
    "10+ yrs exp", "5 years of experience", "looking for an HR executive", "need 2 recruiters",
    "I need", "we are looking", "I am trying", "We would like",
]  # fmt: skip


@pytest.mark.parametrize("pattern", list(NEEDS), ids=lambda p: p.pattern[:20])
def test_every_match_of_a_pattern_holds_a_text_of_each_of_its_need_groups(
    pattern: re.Pattern[str],
) -> None:
    rng = random.Random(5)
    matched = 0
    for _ in range(3_000):
        pieces = rng.choices(SHAPE_PIECES, k=rng.randint(1, 12))
        text = "".join(p + rng.choice(("", " ", " ", " ")) for p in pieces)
        if any(fold in text for fold in "\u0130\u0131\u017f\u212a"):
            continue  # re.IGNORECASE matches these to ASCII letters: such texts skip the test
        for match in pattern.finditer(text):
            matched += 1
            for group in NEEDS[pattern]:
                assert any(need in match.group(0).lower() for need in group), (text, group)
    assert matched > 30


@pytest.mark.parametrize(
    "text", ["Hello WORLD 🙂 – É", "ΑΣ x\0", "İstanbul", "abc\0", "", "Kelvin \u212a", "ﬁ ß ẞ @Z[`"]
)
def test_lower_codes_are_str_lower_and_its_code_points(text: str) -> None:
    low, codes = lower_codes(text)
    assert low == text.lower()
    assert codes.tolist() == [ord(c) for c in text.lower()]


def _named_ranges(items: Any, found: list[tuple[int, int]]) -> None:
    """The (low, high) code ranges a parsed pattern names as literals, ranges or not-literals."""
    for op, value in items:
        if op in (C.LITERAL, C.NOT_LITERAL):
            found.append((value, value))
        elif op is C.IN:
            found.extend(
                (v, v) if o is C.LITERAL else v for o, v in value if o in (C.LITERAL, C.RANGE)
            )
        elif op is C.BRANCH:
            for alternative in value[1]:
                _named_ranges(alternative, found)
        elif op is C.SUBPATTERN:
            _named_ranges(value[3], found)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.ASSERT, C.ASSERT_NOT):
            _named_ranges(value[-1], found)
        else:
            assert op in (C.AT, C.ANY, C.CATEGORY), op


@pytest.mark.parametrize("pattern", sorted(STAND_IN_PATTERNS, key=lambda p: p.pattern))
def test_a_stand_in_pattern_names_no_character_beyond_ascii_but_those_known(
    pattern: re.Pattern[str],
) -> None:
    for form in (pattern, twin(pattern), ascii_form(pattern)):
        found: list[tuple[int, int]] = []
        _named_ranges(P.parse(form.pattern, form.flags), found)
        beyond = [(low, high) for low, high in found if high >= 127]
        assert all(low == high and chr(low) in NAMED and low != 127 for low, high in beyond)


@pytest.mark.parametrize("pattern", sorted(STAND_IN_PATTERNS, key=lambda p: p.pattern))
def test_messages_with_stand_ins_get_the_pattern_s_own_answer(pattern: re.Pattern[str]) -> None:
    rng = random.Random(9)
    others = ["🙂", "’", "₹", "“", "•", "—", "–", "é", "ſ", "\x7f", "_", "\u00a0", "١", "\x1c"]
    others += ["this role", "Salary?", "HR Manager", "Recruiters", "Myself Priya from Acme"]
    bodies = []
    for _ in range(600):
        pieces = rng.choices(SHAPE_PIECES + others * 3, k=rng.randint(1, 12))
        body = "".join(p + rng.choice(("", " ", " ")) for p in pieces).strip() or "x"
        bodies.append(body.replace("İ", "I"))  # its lower case is two characters: not here
    tables = shipped_model().tables
    text = BatchText.read(bodies, tables)
    set_bits = np.zeros(len(text.word_ids), dtype=np.int64)
    found = BatchFacts(bodies, text, set_bits, False, False).search(pattern, True)
    assert found.tolist() == [pattern.search(body) is not None for body in bodies]
    assert found.sum() > 10
