"""Reading a conversation twice (before and after kinds are settled) gives what fresh reads give."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from bot.domain import Kind
from bot.judgement.answer_cues import Cues, Item
from bot.judgement.answer_scores import LinkScorer, WordWeights
from bot.judgement.answers import CueBook, infer_answers
from tests.judgement.chats import chat


def test_a_pass_sharing_the_cue_book_links_as_a_fresh_pass_does() -> None:
    turns, kinds = chat(
        ("10:00", "Pallavi Rao", "ask", "Which ATS works well for campus hiring at ~200 a year?"),
        ("10:04", "Gaurav Shetty", "ask", "Anyone has a good POSH trainer for a plant in Hosur?"),
        ("10:20", "Tina Mathur", "gyaan", "Gaurav, try Samvaad Legal – they do Tamil sessions"),
        ("10:35", "Kunal Bose", "-", "Hi Pallavi – we moved to a tool with campus scheduling"),
        ("10:50", "Pallavi Rao", "-", "Thanks Kunal, sorted 👍"),
    )
    book = CueBook()
    infer_answers(turns, kinds, book=book)
    settled = [Kind.OTHER if i == 2 else kind for i, kind in enumerate(kinds)]
    assert infer_answers(turns, settled, book=book) == infer_answers(turns, settled)
    assert infer_answers(turns, kinds, book=book) == infer_answers(turns, kinds)


def test_a_pass_resuming_from_a_kept_state_links_as_a_fresh_pass_does() -> None:
    turns, kinds = chat(
        ("10:00", "Pallavi Rao", "ask", "Which ATS works well for campus hiring at ~200 a year?"),
        ("10:04", "Gaurav Shetty", "ask", "Anyone has a good POSH trainer for a plant in Hosur?"),
        ("10:20", "Tina Mathur", "gyaan", "Gaurav, try Samvaad Legal – they do Tamil sessions"),
        ("10:35", "Kunal Bose", "-", "Hi Pallavi – we moved to a tool with campus scheduling"),
        ("10:50", "Pallavi Rao", "-", "Thanks Kunal, sorted 👍"),
        ("11:10", "Gaurav Shetty", "-", "Thanks Tina! Will call them"),
    )
    for keep_at, changed in ((2, 2), (3, 2), (2, 1)):
        book = CueBook()
        first = infer_answers(turns, kinds, book=book, keep_at=keep_at)
        assert first == infer_answers(turns, kinds)
        settled = [Kind.OTHER if i == changed else kind for i, kind in enumerate(kinds)]
        # Kinds changed before the kept turn: the next pass starts afresh, as it must.
        assert infer_answers(turns, settled, book=book) == infer_answers(turns, settled)
        assert book.kept is None  # a kept state serves one pass


def test_a_word_weighs_less_once_more_messages_carry_it() -> None:
    weights = WordWeights()
    for _ in range(5):
        weights.learn(frozenset({"gratuity"}))
    rare = weights.idf("gratuity")
    for _ in range(20):
        weights.learn(frozenset({"gratuity", "posh"}))
    assert weights.idf("gratuity") < rare
    assert weights.total(["gratuity", "posh"]) == weights.idf("gratuity") + weights.idf("posh")


def _word_only_case(seed: int) -> tuple[LinkScorer, list[Item]]:
    """A message and items found only by shared words (an hour old or more, by nobody named)."""
    rng = random.Random(seed)
    words = ["gratuity", "posh", "payroll", "vendor", "trainer", "campus", "ats", "pf", "esic"]
    people = ["Asha", "Bala", "Chitra", "Dev"]
    now = datetime(2024, 5, 6, 12, 0)
    spoken = set(rng.sample(people[:2], rng.randrange(3)))
    cues = Cues(
        author="Me",
        text=rng.choice(["Hi all, try this", "Re the vendor q: we use X", "ok"]),
        at=now,
        stems=frozenset(rng.sample(words, 4)),
        mentions=spoken,
        addressed=set(),
        named=set(spoken),
        substantive=True,
        advice=rng.random() < 0.5,
    )
    weights = WordWeights()
    for _ in range(30):
        weights.learn(frozenset(rng.sample(words, 3)))
    items = []
    for index in range(12):
        item = Item(
            index,
            rng.choice(people[2:]),
            rng.choice([Kind.HELP_REQUEST, Kind.GYAAN, Kind.JOB_POST]),
            now - timedelta(minutes=rng.randrange(60, 4000)),
            frozenset(rng.sample(words, rng.randrange(1, 4))),
            target_author=rng.choice([None, None, "Me"]),
            asks=rng.random() < 0.5,
            resolved=rng.random() < 0.2,
        )
        if rng.random() < 0.3:
            item.thread_stems = set(rng.sample(words, 2))
        items.append(item)
    return LinkScorer(cues, weights, None), items


def test_items_found_only_by_words_are_chosen_as_the_full_scoring_chooses() -> None:
    for seed in range(300):
        scorer, items = _word_only_case(seed)
        best, score = scorer.best(items, None, None, None, set())
        assert scorer.best_by_words(items, float("-inf")) == (best, score)
        for floor in (score - 0.5, score, score + 1e-9, score + 1.0):
            expected = (best, score) if score >= floor else (None, float("-inf"))
            assert scorer.best_by_words(items, floor) == expected
        assert all(
            scorer.best([item], None, None, None, set())[1] < scorer.word_only_bound()
            for item in items
        )
