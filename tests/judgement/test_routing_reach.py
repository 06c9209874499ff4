"""Specifications of helper routing: reachable members, the asker's own helpers, readable reasons."""

from __future__ import annotations

from bot.judgement.answers import infer_answers
from bot.judgement.routing import rank_helpers
from tests.judgement.chats import chat


def test_a_member_who_left_the_group_is_never_suggested() -> None:
    turns, kinds = chat(
        ("09:00", "Ravi Shankar", "ask", "Is PF mandatory above 15k basic? Vendor says no"),
        ("09:20", "Meera Nair", "-", "Ravi, PF is optional above 15k basic for new joiners only"),
        ("d1 08:00", None, "-", "Meera Nair left"),
        ("d1 09:00", "Tina Roy", "ask", "PF for trainees on stipend – mandatory?"),
    )
    names = [h.name for h in rank_helpers(3, turns, kinds, infer_answers(turns, kinds), levels={})]
    assert "Meera Nair" not in names


def test_a_member_who_rejoined_can_be_suggested_again() -> None:
    turns, kinds = chat(
        ("09:00", "Ravi Shankar", "ask", "Is PF mandatory above 15k basic? Vendor says no"),
        ("09:20", "Meera Nair", "-", "Ravi, PF is optional above 15k basic for new joiners only"),
        ("d1 08:00", None, "-", "Meera Nair left"),
        ("d2 08:00", None, "-", "Ravi Shankar added Meera Nair"),
        ("d2 09:00", "Tina Roy", "ask", "PF for trainees on stipend – mandatory?"),
    )
    helpers = rank_helpers(4, turns, kinds, infer_answers(turns, kinds), levels={})
    assert helpers[0].name == "Meera Nair"


def test_who_helped_this_asker_before_is_said_once_with_the_count() -> None:
    turns, kinds = chat(
        ("09:00", "Pinky Sharma", "ask", "Minimum bonus 8.33% compulsory even in a loss year?"),
        ("09:30", "Manpreet Gill", "-", "Pinky, yes – 8.33% is compulsory under the Bonus Act"),
        ("10:00", "Kritika Jain", "ask", "Uniform allowance taxable in the new regime?"),
        ("10:20", "Manpreet Gill", "-", "Kritika ji, yes taxable in the new regime"),
        ("d1 10:00", "Pinky Sharma", "ask", "Maternity leave ke 26 weeks mein PF deduct hoga?"),
    )
    helper = rank_helpers(4, turns, kinds, infer_answers(turns, kinds), levels={})[0]
    assert helper.name == "Manpreet Gill"
    assert "helped Pinky before (and 1 other member)" in helper.reason
    assert "helped 2 members before" not in helper.reason


def test_a_title_in_a_display_name_reads_as_a_title_with_its_article() -> None:
    turns, kinds = chat(
        ("09:00", "Ritu Malhotra POSH Trainer", "-", "Good morning all 🙏"),
        ("09:10", "Neelam Arora", "-", "Hi all, I'm Neelam, HRBP at an IT company in Noida"),
        (
            "d1 10:30",
            "Kritika Jain",
            "ask",
            "Who should sit on our POSH internal committee inquiry?",
        ),
        (
            "d1 11:30",
            "Tina Roy",
            "ask",
            "Engagement ideas for a 400-people IT team? Attrition is up",
        ),
    )
    facts = infer_answers(turns, kinds)
    posh = rank_helpers(2, turns, kinds, facts, levels={})[0]
    assert (posh.name, posh.reason) == (
        "Ritu Malhotra POSH Trainer",
        "introduced as a POSH Trainer",
    )
    retention = rank_helpers(3, turns, kinds, facts, levels={})[0]
    assert retention.name == "Neelam Arora" and "introduced as an HRBP" in retention.reason


def test_tagging_someone_as_an_expert_is_not_the_writers_own_title() -> None:
    turns, kinds = chat(
        ("09:00", "Zoya Khan", "-", "Tagging @Megha Jain CPO – ESOP expert here 🙏"),
        ("d1 10:00", "Aditya Rao", "ask", "Any mentor for first-time founders on hiring leaders?"),
    )
    names = [h.name for h in rank_helpers(1, turns, kinds, infer_answers(turns, kinds), levels={})]
    assert "Zoya Khan" not in names
