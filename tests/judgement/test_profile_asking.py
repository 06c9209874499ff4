"""Specifications of how much a member is asking for help themselves, as their profile keeps it:
their own requests of about the last day, each fading by e a day, and what routing makes of it."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from bot.domain import Kind, Turn
from bot.judgement.answers import infer_answers
from bot.judgement.helper_features import FEATURES, member_features, request_context
from bot.judgement.helper_weights import WEIGHTS
from bot.judgement.profiles import ProfileBook
from bot.judgement.routing import rank_helpers
from tests.judgement.chats import DAY0, chat


def _book(turns: list[Turn], kinds: list[Kind], upto: int | None = None) -> ProfileBook:
    book, facts = ProfileBook(), infer_answers(turns, kinds)
    for turn, kind, fact in list(zip(turns, kinds, facts, strict=True))[:upto]:
        book.add(turn, kind, fact, turns)
    return book


def test_a_request_just_written_counts_one_and_fades_by_e_each_day() -> None:
    turns, kinds = chat(("09:00", "Asha Iyer", "ask", "Any POSH trainer in Pune for 40 people?"))
    asha = _book(turns, kinds).members["Asha Iyer"]
    assert asha.asked_last == DAY0 + timedelta(hours=9)
    assert asha.asking_at(DAY0 + timedelta(hours=9)) == pytest.approx(1.0)
    assert asha.asking_at(DAY0 + timedelta(days=1, hours=9)) == pytest.approx(math.exp(-1))
    assert asha.asking_at(DAY0 + timedelta(days=10, hours=9)) < 1e-4


def test_requests_add_up_each_counted_as_faded_as_it_is_old() -> None:
    turns, kinds = chat(
        ("09:00", "Asha Iyer", "ask", "Any POSH trainer in Pune for 40 people?"),
        ("21:00", "Asha Iyer", "ask", "Also, who can audit our PF challans this month?"),
        ("d1 09:00", "Asha Iyer", "ask", "Anyone using Keka for payroll? How is the support?"),
    )
    asha = _book(turns, kinds).members["Asha Iyer"]
    expected = math.exp(-1) + math.exp(-0.5) + 1.0
    assert asha.asking_at(DAY0 + timedelta(days=1, hours=9)) == pytest.approx(expected)


def test_only_their_own_requests_count_not_their_answers_or_chat() -> None:
    turns, kinds = chat(
        ("09:00", "Tina Roy", "ask", "Any POSH trainer in Pune for 40 people?"),
        ("09:20", "Asha Iyer", "-", "Tina, Meghna Joshi runs POSH sessions in Pune, very good"),
        ("09:30", "Asha Iyer", "gyaan", "Reminder: the POSH annual report is due by 31 January"),
    )
    book = _book(turns, kinds)
    assert book.members["Asha Iyer"].asking_at(DAY0 + timedelta(hours=10)) == 0.0
    assert book.members["Asha Iyer"].asked_last is None
    assert book.members["Tina Roy"].asking_at(DAY0 + timedelta(hours=10)) > 0.9


def test_the_request_reads_how_much_each_member_is_asking_at_its_own_time() -> None:
    turns, kinds = chat(
        ("09:00", "Asha Iyer", "ask", "Any POSH trainer in Pune for 40 people?"),
        ("21:00", "Tina Roy", "ask", "Any vendor for background verification in Indore?"),
    )
    book = _book(turns, kinds, upto=1)
    ctx = request_context(book, turns[1], {})
    asha = member_features(book.members["Asha Iyer"], ctx, ctx.asker_level)
    values = dict(zip(FEATURES, asha, strict=True))
    assert values["asking_now"] == pytest.approx(math.log1p(math.exp(-0.5)))


def _order_after_a_recent_ask_by(recent: str, earlier: str) -> list[str]:
    """Anil and Meera each answered one PF question and asked one of their own; `recent` asked
    just before Tina's request, `earlier` three days before."""
    turns, kinds = chat(
        ("09:00", "Ravi Shankar", "ask", "Is PF mandatory above 15k basic? Vendor says no"),
        ("09:20", "Anil Kapoor", "-", "Ravi, PF is optional above 15k basic for new joiners only"),
        ("09:30", "Sonal Gupta", "ask", "Is PF due on the arrears of last quarter? Vendor says no"),
        ("09:50", "Meera Nair", "-", "Sonal, PF is due on arrears in the month you pay them"),
        ("10:00", earlier, "ask", "Any good trainer for a POSH session in Pune?"),
        ("d3 09:00", recent, "ask", "Any good trainer for a POSH session in Pune?"),
        ("d3 10:00", "Tina Roy", "ask", "PF for trainees on stipend – mandatory?"),
    )
    helpers = rank_helpers(6, turns, kinds, infer_answers(turns, kinds), levels={})
    return [h.name for h in helpers if h.name in ("Anil Kapoor", "Meera Nair")]


def test_a_member_busy_with_their_own_question_ranks_below_one_with_the_same_record() -> None:
    assert WEIGHTS["asking_now"] < 0
    assert _order_after_a_recent_ask_by("Anil Kapoor", "Meera Nair") == ["Meera Nair", "Anil Kapoor"]
    assert _order_after_a_recent_ask_by("Meera Nair", "Anil Kapoor") == ["Anil Kapoor", "Meera Nair"]
