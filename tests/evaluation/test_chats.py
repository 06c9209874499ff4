"""`liftbot eval --chats`: labelled chats scored, with the causes of unanswered-list errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.domain import Kind
from bot.evaluation.chats import evaluate_chats, render_chats
from tests.judgement.chats import TableClassifier


def _record(
    index: int, stamp: str, author: str | None, kind: str, text: str, **extra: Any
) -> dict[str, Any]:
    record = {"index": index, "timestamp": f"2024-06-03T{stamp}", "author": author, "kind": kind}
    return record | {"text": text, **extra}


def _request(index: int, stamp: str, author: str, text: str, **truth: Any) -> dict[str, Any]:
    fields = {"answered": False, "first_answer_index": None, "resolved_by_asker": False}
    return _record(index, stamp, author, "help_request", text, **(fields | truth))


CHAT = [
    _request(0, "09:00", "Neha Joshi", "Can someone share a POSH policy template for a startup?"),
    _record(1, "09:30", "Kiran Das", "other", "Anyone watching the match tonight? 🏏"),
    _request(
        2, "10:00", "Ravi Shankar", "Is PF mandatory above 15k basic?",
        answered=True, first_answer_index=3,
    ),
    _record(3, "10:10", "Meera Nair", "other", "Ravi, optional above 15k basic for new joiners", reply_to_index=2),
]  # fmt: skip


def test_chats_are_scored_and_list_errors_are_explained_by_cause(tmp_path: Path) -> None:
    members = {r["author"]: {"level": "unknown"} for r in CHAT}
    (tmp_path / "one_truth.json").write_text(
        json.dumps({"messages": CHAT, "members": members}), encoding="utf-8"
    )
    # The classifier takes the chit-chat question for a request: one listed that is not one.
    table = {r["text"]: Kind(r["kind"]) for r in CHAT} | {CHAT[1]["text"]: Kind.HELP_REQUEST}
    one, pooled = evaluate_chats(tmp_path, classifier=TableClassifier(table))
    assert one.reply_links.f1 == 1.0 and one.helper_requests == 1 and one.helper_unseen == 1
    assert one.reply_links_end_to_end.f1 == 1.0  # the question's wrong kind moved no link
    text = render_chats([one, pooled])
    # The chit-chat question is set right by the conversation: only the open request is listed.
    assert "2024-W23 1/1/1" in text and "Why the lists miss (all chats)\n  none" in text
    assert "written nothing before the request: 1 of 1" in text


def test_a_missed_answer_is_counted_as_its_cause(tmp_path: Path) -> None:
    chat = [*CHAT[:3], {**CHAT[3], "text": "optional above 15k basic", "reply_to_index": 2}]
    chat[3]["timestamp"] = "2024-06-10T10:10"  # a week later and naming nobody: not linkable
    members = {r["author"]: {"level": "unknown"} for r in chat}
    (tmp_path / "two_truth.json").write_text(
        json.dumps({"messages": chat, "members": members}), encoding="utf-8"
    )
    _, pooled = evaluate_chats(
        tmp_path, classifier=TableClassifier({r["text"]: Kind(r["kind"]) for r in chat})
    )
    assert pooled.list_errors == {"listed, but truly answered": 1}


def test_links_are_also_scored_on_the_kinds_the_bot_judged(tmp_path: Path) -> None:
    members = {r["author"]: {"level": "unknown"} for r in CHAT}
    (tmp_path / "three_truth.json").write_text(
        json.dumps({"messages": CHAT, "members": members}), encoding="utf-8"
    )
    # Judged a share, the answer is remembered as a post: right on true kinds, missed end to end.
    table = {r["text"]: Kind(r["kind"]) for r in CHAT} | {CHAT[3]["text"]: Kind.GYAAN}
    table[CHAT[2]["text"]] = Kind.OTHER
    one, pooled = evaluate_chats(tmp_path, classifier=TableClassifier(table))
    assert one.reply_links.f1 == 1.0 and one.reply_links_end_to_end.recall == 0.0
    assert "reply-link F on judged kinds 0.000 < 0.85" in render_chats([one, pooled])
