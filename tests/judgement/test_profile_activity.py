"""Specifications of when a member last wrote, as their profile keeps it: recent activity (about
a day's messages, older ones fading) and how many messages the group wrote since their latest."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from bot.domain import Kind, Turn
from bot.judgement.answers import infer_answers
from bot.judgement.helper_features import FEATURES, member_features, request_context
from bot.judgement.profiles import ProfileBook
from tests.judgement.chats import DAY0, chat


def _book(turns: list[Turn], kinds: list[Kind], upto: int | None = None) -> ProfileBook:
    book, facts = ProfileBook(), infer_answers(turns, kinds)
    for turn, kind, fact in list(zip(turns, kinds, facts, strict=True))[:upto]:
        book.add(turn, kind, fact, turns)
    return book


def test_a_message_just_written_counts_one_and_fades_by_e_each_day() -> None:
    turns, kinds = chat(("09:00", "Asha Iyer", "-", "Good morning all"))
    asha = _book(turns, kinds).members["Asha Iyer"]
    assert asha.activity_at(DAY0 + timedelta(hours=9)) == pytest.approx(1.0)
    assert asha.activity_at(DAY0 + timedelta(days=1, hours=9)) == pytest.approx(math.exp(-1))
    assert asha.activity_at(DAY0 + timedelta(days=10, hours=9)) < 1e-4


def test_messages_add_up_each_counted_as_faded_as_it_is_old() -> None:
    turns, kinds = chat(
        ("09:00", "Asha Iyer", "-", "Good morning all"),
        ("21:00", "Asha Iyer", "-", "Good night all"),
        ("d1 09:00", "Asha Iyer", "-", "Good morning again"),
    )
    asha = _book(turns, kinds).members["Asha Iyer"]
    expected = math.exp(-1) + math.exp(-0.5) + 1.0
    assert asha.activity_at(DAY0 + timedelta(days=1, hours=9)) == pytest.approx(expected)


def test_a_member_never_seen_has_no_activity_and_system_lines_and_media_add_none() -> None:
    turns, kinds = chat(
        ("09:00", None, "-", "Asha Iyer joined using this group's invite link"),
        ("09:05", "Asha Iyer", "-", "<Media omitted>"),
    )
    book = _book(turns, kinds)
    assert book.messages == 0
    assert book.profile("Asha Iyer").activity_at(DAY0) == 0.0


def test_the_group_counts_members_messages_and_each_profile_where_its_latest_was() -> None:
    turns, kinds = chat(
        ("09:00", "Asha Iyer", "-", "Good morning all"),
        ("09:05", "Vikram Das", "-", "Morning!"),
        ("09:06", None, "-", "Tina Roy joined using this group's invite link"),
        ("09:10", "Nisha Rao", "-", "Hello everyone"),
        ("09:12", "Vikram Das", "-", "Welcome Tina"),
    )
    book = _book(turns, kinds)
    assert book.messages == 4  # the system line is not a message of the group
    assert book.members["Asha Iyer"].last_message == 1
    assert book.members["Vikram Das"].last_message == 4


def test_the_request_reads_the_members_activity_and_the_messages_since_their_latest() -> None:
    turns, kinds = chat(
        ("09:00", "Asha Iyer", "-", "Good morning all"),
        ("09:05", "Vikram Das", "-", "Morning!"),
        ("09:10", "Nisha Rao", "-", "Hello everyone"),
        ("09:30", "Tina Roy", "ask", "Any vendor for background verification in Indore?"),
    )
    book = _book(turns, kinds, upto=3)
    ctx = request_context(book, turns[3], {})
    asha = member_features(book.members["Asha Iyer"], ctx, ctx.asker_level)
    values = dict(zip(FEATURES, asha, strict=True))
    assert values["messages_since"] == pytest.approx(math.log1p(2))  # Vikram's and Nisha's
    assert values["day_activity"] == pytest.approx(math.log1p(math.exp(-0.5 / 24)))
