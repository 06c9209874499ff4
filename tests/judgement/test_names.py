"""Specifications of who a message speaks to and who it speaks of."""

from __future__ import annotations

import pytest

from bot.judgement.names import NameDirectory


@pytest.fixture
def names() -> NameDirectory:
    directory = NameDirectory()
    for author in ("Sameer Khan", "Ananya Rao", "Kunal Bhatia"):
        directory.add(author)
    return directory


@pytest.mark.parametrize(
    ("text", "spoken_of"),
    [
        ("Tagging a few seniors – any leads for Sameer?", {"Sameer Khan"}),
        ("Can someone look at Sameer's CV? He is sharp", {"Sameer Khan"}),
        ("Sameer is a solid recruiter, anyone hiring?", {"Sameer Khan"}),
        ("Sameer ke liye koi lead hai kya?", {"Sameer Khan"}),
        ("Very interesting Ananya. Is that across levels?", set()),
        ("Ananya, is that across levels?", set()),
        ("Kunal try Keka, it worked for us", set()),
    ],
)
def test_a_member_is_spoken_of_only_in_the_third_person(
    names: NameDirectory, text: str, spoken_of: set[str]
) -> None:
    assert names.spoken_of(text) == spoken_of
