"""The batch scorer's array helpers against their plain definitions."""

from __future__ import annotations

import numpy as np
import pytest

from bot.judgement.kind_text import changes, or_per_message


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
