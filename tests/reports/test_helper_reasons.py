"""The reasons a report gives for tagging a helper are sentences that count people right."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.domain import Kind, Level, Turn, TurnFacts
from bot.judgement.routing import rank_helpers

START = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def turn(index: int, author: str, text: str) -> Turn:
    return Turn(index=index, sent_at=START + timedelta(hours=index), author=author, text=text)


def test_two_answers_to_one_request_are_one_question_answered_and_one_member_helped() -> None:
    turns = [
        turn(0, "Meera", "How do we calculate gratuity for contract staff?"),
        turn(
            1, "Priya", "Gratuity applies after five years of continuous service, contract or not."
        ),
        turn(2, "Priya", "Also check whether the contractor is the principal employer here."),
        turn(3, "Ravi", "How do we calculate gratuity for consultants on retainer?"),
    ]
    kinds = [Kind.HELP_REQUEST, Kind.OTHER, Kind.OTHER, Kind.HELP_REQUEST]
    facts = [TurnFacts(), TurnFacts(reply_to_index=0, substantive=True),
             TurnFacts(reply_to_index=0, substantive=True), TurnFacts()]  # fmt: skip
    levels = {"Meera": Level.JUNIOR, "Priya": Level.SENIOR, "Ravi": Level.MID}
    [priya] = [s for s in rank_helpers(3, turns, kinds, facts, levels=levels) if s.name == "Priya"]
    assert re.search(r"\banswered 1 [\w &]+ question, latest", priya.reason)  # two replies
    assert "member(s)" not in priya.reason and "()" not in priya.reason
    # Sentences, not word stems: every word is a whole word a person would write.
    assert all(re.fullmatch(r"[\w’'-]+", w.strip(",;:()“”")) for w in priya.reason.split())
    turns[3] = turn(3, "Meera", "Is gratuity due to consultants on retainer too?")
    [again] = [s for s in rank_helpers(3, turns, kinds, facts, levels=levels) if s.name == "Priya"]
    assert "helped Meera before" in again.reason and "(and" not in again.reason
