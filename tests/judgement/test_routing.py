"""Specifications of helper routing: who is suggested for a request, and why."""

from __future__ import annotations

import pytest

from bot.domain import Level
from bot.judgement.answers import infer_answers
from bot.judgement.routing import rank_helpers, shown_name, suggest_helpers, topic_of
from tests.judgement.chats import chat

# A week in a community where Meera answers payroll questions and Arun answers hiring ones.
HISTORY = (
    (
        "09:00",
        "Ravi Shankar",
        "ask",
        "Is PF mandatory for employees above 15k basic? Our payroll vendor says no",
    ),
    (
        "09:20",
        "Meera Nair",
        "-",
        "Ravi, PF is optional above 15k basic only if they were never members before",
    ),
    (
        "11:00",
        "Sonal Gupta",
        "ask",
        "ESIC ceiling is 21k gross right? One employee crossed it after increment",
    ),
    (
        "11:15",
        "Meera Nair",
        "-",
        "Sonal, continue ESIC till the end of the contribution period, then stop",
    ),
    (
        "14:00",
        "Kiran Das",
        "ask",
        "Struggling to source Java devs, job portals give poor response. Tips?",
    ),
    (
        "14:30",
        "Arun Pillai",
        "-",
        "Kiran, try boolean search on LinkedIn and referral drives, works better",
    ),
    ("d1 10:00", "Zubin Mistry", "-", "Good morning all ☀️"),
)


def _request_after_history(asker: str, text: str) -> tuple[int, list, list, list]:
    turns, kinds = chat(*HISTORY, ("d1 12:00", asker, "ask", text))
    return len(turns) - 1, turns, kinds, infer_answers(turns, kinds)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Professional tax deduction for women employees in Maharashtra?", "payroll_compliance"),
        ("Need a BGV agency with quick TAT in tier 2 towns", "vendor"),
        ("Can someone share a POSH policy template?", "posh"),
        ("How are you benchmarking HRBP salaries this year?", "compensation"),
        ("Open to work – any leads for HRBP roles in Pune?", "job_search"),
        ("Good morning all", None),
    ],
)
def test_topic_of_names_the_hr_area(text: str, topic: str | None) -> None:
    assert topic_of(text) == topic


def test_member_who_answered_similar_questions_is_suggested_first_with_a_reason() -> None:
    request, turns, kinds, facts = _request_after_history(
        "Tina Roy", "PF applicability for trainees on stipend?"
    )
    helpers = suggest_helpers(request, turns, kinds, facts, levels={})
    assert helpers[0].name == "Meera Nair"
    assert "payroll" in helpers[0].reason


def test_routing_never_suggests_the_asker() -> None:
    request, turns, kinds, facts = _request_after_history(
        "Meera Nair", "PF on arrears paid after resignation?"
    )
    names = [h.name for h in suggest_helpers(request, turns, kinds, facts, levels={})]
    assert "Meera Nair" not in names


def test_routing_respects_the_weekly_cap() -> None:
    request, turns, kinds, facts = _request_after_history(
        "Tina Roy", "PF applicability for trainees on stipend?"
    )
    capped = suggest_helpers(
        request, turns, kinds, facts, levels={}, load={"Meera Nair": 5}, max_per_week=5
    )
    assert "Meera Nair" not in [h.name for h in capped]


def test_routing_uses_only_what_was_said_before_the_request() -> None:
    turns, kinds = chat(
        ("09:00", "Tina Roy", "ask", "PF applicability for trainees on stipend?"),
        (
            "09:30",
            "Meera Nair",
            "-",
            "Tina, stipend to apprentices under the Apprentices Act is outside PF",
        ),
    )
    assert suggest_helpers(0, turns, kinds, infer_answers(turns, kinds), levels={}) == []


def test_executive_asker_is_routed_to_peers_with_a_peer_reason() -> None:
    turns, kinds = chat(
        (
            "09:00",
            "Anil Kapoor",
            "-",
            "Sharing our experience: we linked 30% of leadership bonus to engagement scores",
        ),
        (
            "09:10",
            "Deepa Menon",
            "-",
            "Interesting, we tied leadership bonus to attrition and engagement too",
        ),
        (
            "d1 11:00",
            "Kavita Sharma",
            "ask",
            "How are other CHROs structuring leadership bonus this year?",
        ),
    )
    levels = {
        "Anil Kapoor": Level.JUNIOR,
        "Deepa Menon": Level.EXECUTIVE,
        "Kavita Sharma": Level.EXECUTIVE,
    }
    helpers = suggest_helpers(2, turns, kinds, infer_answers(turns, kinds), levels=levels)
    assert helpers[0].name == "Deepa Menon"
    assert "peer" in helpers[0].reason


def test_declared_expertise_counts_and_is_explained() -> None:
    request, turns, kinds, facts = _request_after_history(
        "Tina Roy", "Need an external member for our POSH IC"
    )
    helpers = suggest_helpers(
        request, turns, kinds, facts, levels={}, expertise={"Zubin Mistry": {"posh"}}
    )
    assert helpers[0].name == "Zubin Mistry"
    assert "POSH" in helpers[0].reason


def test_request_outside_the_conversation_is_refused() -> None:
    turns, kinds = chat(*HISTORY)
    with pytest.raises(IndexError):
        suggest_helpers(99, turns, kinds, infer_answers(turns, kinds), levels={})


def test_reasons_are_sentences_with_counts_and_dates_never_word_stems() -> None:
    request, turns, kinds, facts = _request_after_history(
        "Tina Roy", "PF applicability for trainees on stipend?"
    )
    reason = suggest_helpers(request, turns, kinds, facts, levels={})[0].reason
    assert reason.startswith("answered 2 payroll and compliance questions, latest 4 Mar")


def test_a_member_introduced_by_role_is_suggested_for_their_field() -> None:
    turns, kinds = chat(
        ("09:00", "Fatima Sheikh", "-", "Hi all, I'm a labour law consultant (8 yrs) from Pune"),
        ("09:05", "Zubin Mistry", "-", "Good morning all ☀️"),
        (
            "d1 11:00",
            "Tina Roy",
            "ask",
            "We may have to retrench 40 workmen – what does the ID Act need?",
        ),
    )
    helpers = rank_helpers(2, turns, kinds, infer_answers(turns, kinds), levels={})
    assert helpers[0].name == "Fatima Sheikh"
    assert "introduced as a labour law consultant" in helpers[0].reason


def test_a_member_known_only_by_number_is_masked_with_a_pointer_to_a_message() -> None:
    turns, kinds = chat(
        (
            "08:00",
            "Ravi Shankar",
            "ask",
            "Is PF mandatory above 15k basic? Our payroll vendor says no",
        ),
        ("08:20", "+91 99887 76655", "-", "Ravi, PF is optional above 15k basic for new joiners"),
        ("d1 09:01", "Tina Roy", "ask", "PF for trainees on stipend – mandatory?"),
    )
    helper = rank_helpers(2, turns, kinds, infer_answers(turns, kinds), levels={})[0]
    assert helper.name == "+91 99887 76655"
    assert shown_name(helper.name) == "+91••••••6655"
    assert "known only by number; wrote on 4 Mar 08:20" in helper.reason
