"""Specifications of seniority evidence, on examples written for these tests."""

from __future__ import annotations

import pytest

from bot.domain import UNKNOWN_LEVEL, Level, LevelEvidence, LevelSource
from bot.judgement.job_levels import role_level
from bot.judgement.seniority import (
    level_of_title,
    moderator_statement,
    parse_level,
    statement_level,
    strongest,
)

J, M, S, E, U = Level.JUNIOR, Level.MID, Level.SENIOR, Level.EXECUTIVE, Level.UNKNOWN


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("Sr. Mgr – HR", S),
        ("VP People", E),
        ("HRBP | Ex-Flipkart", M),
        ("AVP", S),
        ("DGM – IR", S),
        ("Founder & CEO", E),
        ("24 years in HR", E),
        ("Sr. Executive – HR Ops", J),
        ("Executive Assistant to CHRO", J),
        ("Chief of Staff", M),
        ("Head – Talent Acquisition", S),
        ("Asst Manager HR | Plant", M),
        ("Recruitment Intern @ a startup", J),
        ("Group HR Head | Conglomerate", E),
        ("People Partner – APAC", M),
        ("HR Excutive, Nagpur", J),
        ("Talent Acquisition | Pune", U),
        ("Om Sai Ram 🙏", U),
        ("+91 90000 12345", U),
    ],
)
def test_level_of_profile_title(title: str, level: Level) -> None:
    assert level_of_title(title).level == level


def test_title_source_is_profile_title_and_intro_is_own_statement() -> None:
    assert level_of_title("GM HR | Cement").source == LevelSource.PROFILE_TITLE
    assert level_of_title("I'm Kiran, HR manager, 6 yrs").source == LevelSource.OWN_STATEMENT
    assert level_of_title("Deepak S") == UNKNOWN_LEVEL


@pytest.mark.parametrize(
    ("text", "level", "source"),
    [
        ("I'm a CHRO at a mid-size bank, quick question on ESOPs", E, LevelSource.OWN_STATEMENT),
        ("As an HRBP for the sales team, how do I handle this?", M, LevelSource.OWN_STATEMENT),
        ("Payroll lead here – anyone else seeing PT errors?", M, LevelSource.OWN_STATEMENT),
        ("Sharing our learnings\n– Farhan | TA Lead", M, LevelSource.OWN_STATEMENT),
        ("22 yrs in HR and I still learn something here daily", E, LevelSource.WRITING),
        ("In my 14 years in HR I've rarely seen this", S, LevelSource.WRITING),
    ],
)
def test_writer_statement(text: str, level: Level, source: LevelSource) -> None:
    found = statement_level(text)
    assert found is not None and (found.level, found.source) == (level, source)


@pytest.mark.parametrize(
    "text",
    [
        "I am 42 and thinking of a career break, any advice?",
        "We have a 20-yr old employee asking for a sabbatical",
        "Our CHRO said no to a 4-day week",
        "Candidates with 10+ yrs exp required for this role",
        "Good morning all 🙏",
    ],
)
def test_not_the_writer_level(text: str) -> None:
    assert statement_level(text) is None


@pytest.mark.parametrize(
    ("post", "level"),
    [
        ("Hiring Head HR, 5-8 yrs, Indore", M),
        ("Hiring HR Executive, 1-2 yrs, Jaipur", J),
        ("Opening for Chief of Staff (HR), 6-8 yrs", M),
        ("We need a CHRO for a listed NBFC, 20+ yrs", E),
        ("Hiring AVP HR, 12-16 yrs, Mumbai", S),
        ("Openings: HR Intern and HR Manager, Pune", U),
        ("We're hiring! Check our careers page", U),
        ("Need HRBP urgently for Noida", M),
        ("Looking for Senior Manager TA, 12+ yrs\n– Neha | HR Director", S),
    ],
)
def test_role_level_of_job_post(post: str, level: Level) -> None:
    assert role_level(post) == level


def test_moderator_welcome_tags_named_member() -> None:
    text = "Please welcome Anita Rao – Head HR at a pharma co. Anita, do introduce yourself 🙏"
    found = moderator_statement(text, ["~\u202fAnita Rao", "Ravi Kumar"])
    assert set(found) == {"~\u202fAnita Rao"}
    assert (found["~\u202fAnita Rao"].level, found["~\u202fAnita Rao"].source) == (
        S,
        LevelSource.MODERATOR_TAG,
    )


def test_welcome_without_title_tags_nobody() -> None:
    assert moderator_statement("Welcome Vikas 🎉 pls introduce yourself", ["Vikas Jain"]) == {}


def test_strongest_prefers_source_order_and_latest_among_equals() -> None:
    writing = LevelEvidence(E, LevelSource.WRITING, "20 yrs")
    own1 = LevelEvidence(M, LevelSource.OWN_STATEMENT, "HRBP")
    own2 = LevelEvidence(S, LevelSource.OWN_STATEMENT, "Head HR")
    assert strongest([writing, own1, own2]) == own2
    assert strongest([]) == UNKNOWN_LEVEL


@pytest.mark.parametrize(
    ("word", "level"),
    [("senior", S), ("Sr", S), ("exec", E), ("VP", E), ("cxo", E), ("junior", J), ("mid", M)],
)
def test_parse_level_words(word: str, level: Level) -> None:
    assert parse_level(word) == level


def test_parse_level_rejects_other_words() -> None:
    assert parse_level("banana") is None
