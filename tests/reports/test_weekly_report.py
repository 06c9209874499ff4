"""What the weekly report says about a week of a community, built from the stored judgements."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.domain import HelperSuggestion
from bot.reports.contents import WeeklyReport
from bot.reports.weekly import ReportError, build_weekly_report, excerpt
from bot.reports.weeks import IsoWeek
from storage.db import session_scope
from tests.reports.builders import Chat, make_chat

W47 = IsoWeek(2026, 47)  # Monday 16 – Sunday 22 November 2026
SETTINGS = Settings(unanswered_after_hours=24)


def fill_week(chat: Chat) -> dict[str, int]:
    """A realistic week: juniors ask, a senior answers, a recruiter broadcasts."""
    p = {
        "meera": chat.member("Meera", "junior"),
        "arjun": chat.member("Arjun", "mid"),
        "priya": chat.member("Priya", "senior"),
        "kavita": chat.member("Kavita", "executive"),
        "ravi": chat.member("Ravi", "senior"),
        "bot": chat.member("Liftbot", "unknown", is_bot=True),
    }
    for day in ("16", "17", "18"):
        chat.post(p["ravi"], f"2026-11-{day} 09:00", "job_post", "Hiring HR exec, 1-3 yrs",
                  role_level="junior")  # fmt: skip
    chat.post(p["ravi"], "2026-11-19 09:00", "job_post", "Hiring HR Director", role_level="senior")
    chat.post(p["ravi"], "2026-11-19 12:00", "gyaan", "Culture eats strategy for breakfast")
    chat.post(p["ravi"], "2026-11-20 12:00", "gyaan", "Great read on quiet quitting")
    first = chat.ask(p["meera"], "2026-11-16 10:00", "How do I structure a PIP?")
    chat.reply(first, p["priya"], "2026-11-16 10:30")
    p["open_meera"] = chat.ask(p["meera"], "2026-11-17 10:42", "Any POSH trainer in Pune?")
    chat.reply(p["open_meera"], p["meera"], "2026-11-17 11:00", substantive=False, text="bump")
    arjun = chat.ask(p["arjun"], "2026-11-18 09:00", "Gratuity for contract staff?")
    chat.reply(arjun, p["priya"], "2026-11-18 12:00")
    chat.resolve(arjun)
    p["open_kavita"] = chat.ask(p["kavita"], "2026-11-19 15:00", "CHRO peers: board comp data?")
    chat.reply(p["open_kavita"], p["meera"], "2026-11-19 15:10", substantive=False, text="+1")
    chat.post(None, "2026-11-17 08:00", "other", "Meera joined", system=True)
    chat.post(p["bot"], "2026-11-17 08:00", "gyaan", "Weekly report", is_bot=True)
    chat.post(p["ravi"], "2026-11-17 08:00", "job_post", "deleted post", deleted=True)
    chat.post(p["arjun"], "2026-11-10 10:00", "other", "last week hello")
    chat.post(p["arjun"], "2026-11-11 10:00", "help_request", "last week question")
    return p


def suggest_two(_session: Session, message_id: int) -> list[HelperSuggestion]:
    return [HelperSuggestion("Priya", 0.9, "answered 2 PIP questions"),
            HelperSuggestion("Kavita", 0.5, f"peer of the asker #{message_id}")]  # fmt: skip


def build(engine: Engine, **kwargs: object) -> tuple[WeeklyReport, dict[str, int]]:
    with session_scope(engine) as session:
        chat = make_chat(session)
        people = fill_week(chat)
        report = build_weekly_report(session, chat.community_id, W47, SETTINGS, **kwargs)  # type: ignore[arg-type]
    return report, people


def test_mix_counts_member_messages_only(engine: Engine) -> None:
    report, _ = build(engine)
    assert {s.key: s.count for s in report.mix} == {
        "job_post": 4, "help_request": 4, "gyaan": 2, "other": 4}  # fmt: skip
    assert report.member_messages == 14
    assert report.findings[0] == (
        "Job posts and gyaan were 43% of member messages; help requests 29%."
    )


def test_job_posts_by_role_level_sit_next_to_members_by_level(engine: Engine) -> None:
    report, _ = build(engine)
    assert {s.key: s.count for s in report.job_levels if s.count} == {"junior": 3, "senior": 1}
    assert {s.key: s.count for s in report.member_levels if s.count} == {
        "junior": 1, "mid": 1, "senior": 2, "executive": 1}  # fmt: skip
    assert "75% of job posts were junior roles; 60% of members are senior or executive." in (
        report.findings
    )


def test_help_requests_by_asker_level(engine: Engine) -> None:
    report, _ = build(engine)
    by_level = {x.level: x for x in report.help_by_level}
    junior = by_level["junior"]
    assert (junior.asked, junior.answered, junior.resolved) == (2, 1, 0)
    assert junior.answered_pct == 50.0
    assert junior.median_minutes == 30.0
    assert by_level["mid"].resolved_pct == 100.0
    assert by_level["mid"].median_minutes == 180.0
    assert by_level["executive"].median_minutes is None
    overall = report.help_overall
    assert (overall.asked, overall.answered, overall.median_minutes, overall.p90_minutes) == (
        4, 2, 30.0, 180.0)  # fmt: skip


def test_unanswered_list_names_asker_age_reference_and_helpers(engine: Engine) -> None:
    report, people = build(engine, suggest=suggest_two)
    assert report.unanswered_total == 2
    first = report.unanswered[0]
    assert first.message_id == people["open_meera"]
    assert (first.asker, first.level) == ("Meera", "junior")
    assert first.reference == "2026-11-17 10:42 · Meera"
    assert first.excerpt == "Any POSH trainer in Pune?"
    assert round(first.age_hours) == 24 * 5 + 13  # until Monday 00:00 local
    assert [h.name for h in first.helpers] == ["Priya", "Kavita"]
    assert [h.name for h in report.unanswered[1].helpers] == ["Priya"]  # never the asker herself


def test_without_a_suggester_the_unanswered_list_has_no_helpers(engine: Engine) -> None:
    report, _ = build(engine)
    assert all(r.helpers == () for r in report.unanswered)


def test_requests_younger_than_the_threshold_are_not_yet_unanswered(engine: Engine) -> None:
    now = datetime(2026, 11, 19, 20, 0, tzinfo=UTC)  # Kavita asked less than 24 h ago
    report, _ = build(engine, now=now)
    assert [r.asker for r in report.unanswered] == ["Meera"]


def test_connectors_rank_substantive_help_to_others_next_to_broadcasts(engine: Engine) -> None:
    report, _ = build(engine)
    assert [(c.name, c.helped) for c in report.connectors] == [("Priya", 2)]
    assert [(c.name, c.gyaan, c.job_posts) for c in report.broadcasters] == [("Ravi", 2, 4)]


def test_headlines_compare_with_the_previous_iso_week(engine: Engine) -> None:
    report, _ = build(engine)
    heads = {h.key: h for h in report.headlines}
    assert (heads["messages"].value, heads["messages"].previous) == (14, 2)
    assert heads["messages"].change == 12
    assert heads["help_requests"].previous == 1
    assert heads["answered_pct"].previous == 0.0


def test_an_empty_week_builds(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        report = build_weekly_report(session, chat.community_id, W47, SETTINGS)
    assert report.member_messages == 0
    assert report.findings == ("Members wrote nothing this week.",)
    assert report.help_overall.median_minutes is None
    assert report.unanswered == () and report.connectors == ()


def test_a_week_of_only_deleted_bot_and_system_messages_is_empty(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        ravi, bot = chat.member("Ravi", "senior"), chat.member("Liftbot", is_bot=True)
        chat.post(ravi, "2026-11-18 09:00", "help_request", "gone", deleted=True)
        chat.post(bot, "2026-11-18 09:05", "gyaan", "Weekly report", is_bot=True)
        chat.post(None, "2026-11-18 09:10", "other", "Ravi left", system=True)
        report = build_weekly_report(session, chat.community_id, W47, SETTINGS)
    assert (
        report.member_messages == 0
        and report.unanswered_total == 0
        and report.help_overall.asked == 0
    )
    assert {s.key: s.count for s in report.member_levels if s.count} == {"senior": 1}


def test_a_week_without_help_requests_says_so(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        ravi = chat.member("Ravi", "senior")
        chat.post(ravi, "2026-11-18 09:00", "job_post", "Hiring", role_level="mid")
        report = build_weekly_report(session, chat.community_id, W47, SETTINGS)
    assert report.help_overall.asked == 0
    assert report.help_overall.answered_pct is None
    assert "Nobody asked for help this week." in report.findings


def test_dst_week_counts_each_message_in_exactly_one_week(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session, "NYC People Ops", "America/New_York")
        ana = chat.member("Ana", "mid")
        # US clocks fall back on Sunday 1 November 2026 (week 44).
        for local in ("2026-10-25 23:59", "2026-10-26 00:00", "2026-11-01 01:30",
                      "2026-11-01 23:59", "2026-11-02 00:00"):  # fmt: skip
            chat.post(ana, local)
        chat.post(ana, chat.at("2026-11-01 01:30").replace(hour=6, minute=30))  # second 01:30
        counts = [
            build_weekly_report(
                session, chat.community_id, IsoWeek(2026, w), SETTINGS
            ).member_messages
            for w in (43, 44, 45)
        ]
    assert counts == [1, 4, 1]


def test_unknown_community_is_a_named_error(engine: Engine) -> None:
    with session_scope(engine) as session, pytest.raises(ReportError, match="no community"):
        build_weekly_report(session, 999, W47, SETTINGS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("short", "short"), ("  many \n  spaces ", "many spaces"), ("word " * 50, "word " * 31 + "…")],
)
def test_excerpt_is_one_line_cut_at_a_word(text: str, expected: str) -> None:
    assert excerpt(text).replace("word …", "word…") == expected.replace("word …", "word…")
