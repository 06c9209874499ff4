"""The batch scorer's array helpers against their plain definitions."""

from __future__ import annotations

import numpy as np
import pytest

from bot.judgement.kind_text import changes


@pytest.mark.parametrize(
    "flags", [[], [False], [True], [True, True, False, True], [False, False, True, True, False]]
)
def test_changes_are_where_a_flag_differs_from_the_one_before(flags: list[bool]) -> None:
    before = [False, *flags][: len(flags)]
    expected = [flag != prior for flag, prior in zip(flags, before, strict=True)]
    found = changes(np.array(flags, dtype=np.bool_))
    assert found.dtype == np.bool_
    assert found.tolist() == expected
