"""What the weekly report says about a week of a community, built from the stored judgements."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.domain import HelperSuggestion
from bot.reports.contents import WeeklyReport
from bot.reports.render import render_text
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
    assert report.findings[0] == (  # 14 messages: counts, not percentages
        "6 of 14 member messages were job posts or gyaan; 4 were help requests."
    )


def test_job_posts_by_role_level_sit_next_to_members_by_level(engine: Engine) -> None:
    report, _ = build(engine)
    assert {s.key: s.count for s in report.job_levels if s.count} == {"junior": 3, "senior": 1}
    assert {s.key: s.count for s in report.member_levels if s.count} == {
        "junior": 1, "mid": 1, "senior": 2, "executive": 1}  # fmt: skip
    # 4 job posts and 5 members with a known level: counts, and no share of members at all.
    assert "3 of 4 job posts were junior roles." in report.findings


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


def test_open_requests_come_most_senior_first_each_with_a_helper_to_tag(engine: Engine) -> None:
    report, people = build(engine, suggest=suggest_two)
    assert report.unanswered_total == 2
    kavita, meera = report.unanswered
    assert kavita.message_id == people["open_kavita"] and kavita.level == "executive"
    assert [h.name for h in kavita.helpers] == ["Priya"]  # never the asker herself
    assert kavita.action == "Tag Priya: answered 2 PIP questions"
    assert meera.message_id == people["open_meera"]
    assert (meera.asker, meera.level) == ("Meera", "junior")
    assert meera.reference == "2026-11-17 10:42 · Meera"
    assert meera.when == "Tue\u00a017\u00a0Nov\u00a010:42"
    assert meera.excerpt == meera.text == "Any POSH trainer in Pune?"
    assert round(meera.age_hours) == 24 * 5 + 13  # until Monday 00:00 local
    assert meera.age_days == 5
    assert [h.name for h in meera.helpers] == ["Priya", "Kavita"]
    assert meera.nudge == ("Meera asked on Tue 17 Nov 10:42: “Any POSH trainer in Pune?” "
                           "@Priya and @Kavita, could you share what worked for you?")  # fmt: skip


def test_a_request_without_a_plausible_helper_still_gets_a_line(engine: Engine) -> None:
    report, _ = build(engine, suggest=lambda _s, _m: [])
    meera = report.unanswered[1]
    assert meera.topic == "POSH"
    assert meera.action == "No obvious helper — ask the group's POSH people"
    assert meera.nudge.endswith("Anyone here who has handled POSH: could you help?")


def test_members_known_only_by_number_come_after_named_ones(engine: Engine) -> None:
    def by_number(_session: Session, _message_id: int) -> list[HelperSuggestion]:
        return [HelperSuggestion("+91 98765 43210", 2.0, "helped 4 members before"),
                HelperSuggestion("Priya", 1.0, "a senior peer of the asker")]  # fmt: skip

    report, _ = build(engine, suggest=by_number)
    assert [h.name for h in report.unanswered[0].helpers] == ["Priya", "+91••••••3210"]
    assert report.unanswered[0].action == "Tag Priya: a senior peer of the asker"
    assert "@+91" not in report.unanswered[0].nudge


def test_the_gap_is_one_sentence_most_senior_first(engine: Engine) -> None:
    report, _ = build(engine)
    assert report.gap == ("Executives: 0 of 1 answered; mid-level members: 1 of 1 answered in "
                          "3.0 h; juniors: 1 of 2 answered in 30 min.")  # fmt: skip


def test_resolution_counts_only_where_members_mark_it(engine: Engine) -> None:
    report, _ = build(engine)
    assert report.resolution_tracked  # Arjun's request was resolved
    with session_scope(engine) as session:
        chat = make_chat(session, "Exported group", platform="whatsapp_export")
        fill_week(chat)
        exported = build_weekly_report(session, chat.community_id, W47, SETTINGS)
    assert not exported.resolution_tracked
    assert not any("resolved" in line for line in exported.findings)


def test_an_exported_group_ages_its_requests_to_its_newest_message(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session, "Exported group", platform="whatsapp_export")
        fill_week(chat)
        later = datetime(2027, 6, 1, tzinfo=UTC)  # months after the export was made
        report = build_weekly_report(session, chat.community_id, W47, SETTINGS, now=later)
    newest = chat.at("2026-11-20 12:00")
    assert report.as_of == newest
    # Kavita asked 21 h before the export ends: too young to call unanswered.
    assert [(r.asker, r.age_days) for r in report.unanswered] == [("Meera", 3)]


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


def test_an_answer_first_kinded_gyaan_is_help_not_posting(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        people = fill_week(chat)
        sunil = chat.member("Sunil", "senior")
        last_week = chat.ask(people["arjun"], "2026-11-12 09:00", "ESIC for interns?")
        # A long, substantive reply the kind model called gyaan, linked as an answer.
        chat.post(sunil, "2026-11-18 09:00", "gyaan", "Interns on stipend are outside ESIC: ...",
                  reply_to_id=last_week, substantive=True)  # fmt: skip
        chat.post(sunil, "2026-11-18 10:00", "job_post", "Hiring an HRBP", role_level="mid")
        report = build_weekly_report(session, chat.community_id, W47, SETTINGS)
    assert ("Sunil", 1, 0, 1) in [
        (c.name, c.helped, c.gyaan, c.job_posts) for c in report.connectors
    ]
    assert "Sunil" not in [c.name for c in report.broadcasters]


def test_headlines_compare_with_the_previous_iso_week(engine: Engine) -> None:
    report, _ = build(engine)
    heads = {h.key: h for h in report.headlines}
    assert (heads["messages"].value, heads["messages"].previous) == (14, 2)
    assert heads["messages"].change == 12
    assert heads["help_requests"].previous == 1
    assert heads["answered_pct"].previous == 0.0
    assert report.trend_weeks == ("2026-W44", "2026-W45", "2026-W46", "2026-W47")
    assert heads["messages"].history == (0.0, 0.0, 2.0, 14.0)
    assert heads["unanswered"].history == (0.0, 0.0, 1.0, 2.0)
    assert heads["unanswered"].verdict == "worse"  # more requests left waiting is bad
    assert heads["messages"].verdict == "better"
    assert heads["answered_pct"].sample == 4


def test_an_empty_week_builds(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        report = build_weekly_report(session, chat.community_id, W47, SETTINGS)
    assert report.member_messages == 0
    assert report.findings == () and report.gap is None
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
    assert report.gap is None and report.unanswered_total == 0
    text = "\n".join(render_text(report))
    assert text.count("No help requests this week.") == 1
    assert "Nothing to chase" not in text and "help requests by asker level" not in text.lower()


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
