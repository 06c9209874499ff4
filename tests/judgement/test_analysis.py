"""Specifications of whole-conversation analysis: kinds, levels, answers and helpers together."""

from __future__ import annotations

import importlib.util
import re
import sys
import types

from bot.domain import Classification, Kind, Level, LevelEvidence, LevelSource
from tests.judgement.chats import chat


def _install_fake_seniority_if_missing() -> None:
    """Until bot/seniority.py lands, stand in a minimal version with the agreed API."""
    if importlib.util.find_spec("bot.judgement.seniority") is not None:
        return
    fake = types.ModuleType("bot.judgement.seniority")
    titles = {
        "chro": Level.EXECUTIVE,
        "vp hr": Level.EXECUTIVE,
        "hrbp": Level.MID,
        "trainee": Level.JUNIOR,
    }

    def level_of_title(text: str) -> LevelEvidence:
        for word, level in titles.items():
            if word in text.lower():
                return LevelEvidence(level, LevelSource.PROFILE_TITLE, f"title says {word}")
        return LevelEvidence(Level.UNKNOWN, LevelSource.NONE, "nothing tells")

    def statement_level(text: str) -> LevelEvidence | None:
        match = re.search(r"\bI'?m (?:an? )?(\w+(?: \w+)?)", text)
        if not match:
            return None
        found = level_of_title(match.group(1))
        return (
            LevelEvidence(found.level, LevelSource.OWN_STATEMENT, "own words")
            if found.level != Level.UNKNOWN
            else None
        )

    def moderator_statement(text: str, names: list[str]) -> dict[str, LevelEvidence]:
        said = {}
        for name in names:
            if name.split()[0] in text and "welcome" in text.lower():
                found = level_of_title(text)
                if found.level != Level.UNKNOWN:
                    said[name] = LevelEvidence(found.level, LevelSource.MODERATOR_TAG, "admin said")
        return said

    def strongest(evs: list[LevelEvidence]) -> LevelEvidence:
        return max(evs, key=lambda e: e.source.strength)

    fake.level_of_title = level_of_title  # type: ignore[attr-defined]
    fake.statement_level = statement_level  # type: ignore[attr-defined]
    fake.moderator_statement = moderator_statement  # type: ignore[attr-defined]
    fake.strongest = strongest  # type: ignore[attr-defined]
    sys.modules["bot.judgement.seniority"] = fake


_install_fake_seniority_if_missing()

from bot.judgement.conversation import analyze_conversation  # noqa: E402


class RecordingClassifier:
    """A stand-in classifier: a question is a request, the rest is other; records what it saw."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, bool]] = []

    def classify(
        self, text: str, *, forwarded: bool = False, is_reply: bool = False
    ) -> Classification:
        self.seen.append((text, is_reply))
        kind = (
            Kind.HELP_REQUEST if text.rstrip(" 🙏").endswith("?") and not is_reply else Kind.OTHER
        )
        return Classification(kind, 0.9, "test rule")


CONVERSATION = chat(
    ("09:00", None, "-", "Asha Menon added Vikram Rao"),
    ("09:02", "Asha Menon", "-", "Welcome Vikram 🎉 Friends, Vikram is VP HR at an auto major"),
    ("09:10", "Vikram Rao", "-", "Thanks Asha 🙏 just a simple HR guy here to learn"),
    ("10:00", "Nisha Pal", "-", "<Media omitted>"),
    ("10:30", "Nisha Pal", "ask", "I'm a trainee in HR. How do I run an induction for 20 joiners?"),
    (
        "10:45",
        "Vikram Rao",
        "-",
        "Nisha, keep day 1 simple: welcome, company story, policies that matter, buddy",
    ),
    ("11:30", "Nisha Pal", "-", "Thanks Vikram, sorted 🙏"),
    (
        "d1 10:00",
        "Rahul Sen",
        "ask",
        "I'm HRBP at a retail chain. How do you plan the induction of 50 store staff?",
    ),
)[0]


def test_system_and_media_lines_are_other_without_asking_the_classifier() -> None:
    classifier = RecordingClassifier()
    analysis = analyze_conversation(CONVERSATION, classifier=classifier)
    assert analysis[0].classification.kind == Kind.OTHER
    assert analysis[3].classification.kind == Kind.OTHER
    assert "<Media omitted>" not in [text for text, _ in classifier.seen]
    assert len(classifier.seen) == len(CONVERSATION) - 2


def test_moderator_welcome_outranks_the_members_modesty() -> None:
    analysis = analyze_conversation(CONVERSATION, classifier=RecordingClassifier())
    assert analysis[2].author_level.level == Level.EXECUTIVE
    assert analysis[5].author_level.source == LevelSource.MODERATOR_TAG


def test_a_tag_passed_in_is_the_strongest_evidence() -> None:
    tag = LevelEvidence(Level.SENIOR, LevelSource.MODERATOR_TAG, "tagged by admin")
    analysis = analyze_conversation(
        CONVERSATION, classifier=RecordingClassifier(), tags={"Rahul Sen": tag}
    )
    assert analysis[7].author_level.level == Level.SENIOR


def test_answers_and_resolution_are_inferred_for_requests() -> None:
    analysis = analyze_conversation(CONVERSATION, classifier=RecordingClassifier())
    request = analysis[4].facts
    assert (request.answered, request.first_answer_index, request.resolved_index) == (True, 5, 6)


def test_later_requests_get_helpers_who_answered_before() -> None:
    analysis = analyze_conversation(CONVERSATION, classifier=RecordingClassifier())
    helpers = analysis[7].facts.suggested_helpers
    assert helpers and helpers[0].name == "Vikram Rao"
    assert all(h.name != "Rahul Sen" for h in helpers)


def test_bulk_import_can_skip_routing() -> None:
    analysis = analyze_conversation(CONVERSATION, classifier=RecordingClassifier(), suggest=False)
    assert all(not a.facts.suggested_helpers for a in analysis)


def test_structural_replies_are_classified_as_replies() -> None:
    turns, _ = chat(
        ("10:00", "Nisha Pal", "ask", "Any template for an induction plan?"),
        ("10:20", "Vikram Rao", "-", "Which industry are you in?"),
        reply_to={1: 0},
    )
    classifier = RecordingClassifier()
    analysis = analyze_conversation(turns, classifier=classifier)
    assert classifier.seen[1] == ("Which industry are you in?", True)
    assert analysis[1].classification.kind == Kind.OTHER
