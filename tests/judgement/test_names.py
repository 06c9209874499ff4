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


def test_a_member_known_by_a_number_is_called_by_the_name_they_give_with_a_surname() -> None:
    names = NameDirectory()
    number = "+91 83800 55617"
    names.add(number)
    names.add_self_named(number, "Hi everyone! I'm Tanvi Gaonkar, just joined as HR at a hotel")
    assert names.addressed("Tanvi, sharing ours – 1 page, 8 parameters") == {number}
    other = "+91 90000 11111"
    names.add(other)
    names.add_self_named(other, "I am Looking Forward to learning here")
    assert names.addressed("Looking forward to it") == set()


def test_a_member_known_by_a_number_is_called_by_the_name_they_sign_with() -> None:
    names = NameDirectory()
    signed, regards = "+91 94311 20000", "+91 90000 22222"
    names.add(signed)
    names.add(regards)
    names.add_self_named(signed, "Plant HR Head roles in Ranchi, koi jaankari?\n– S. P. Banerjee")
    names.add_self_named(regards, "Need a PF consultant in Howrah.\nRegards,\nAnil Kumar")
    assert names.addressed("Banerjee ji, ek lead hai – DM me your CV") == {signed}
    assert names.addressed("Anil, try Sahu & Co") == {regards}
    assert names.addressed("Kumar, try them") == set()
