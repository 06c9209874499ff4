"""Reading a conversation twice (before and after kinds are settled) gives what fresh reads give."""

from __future__ import annotations

from bot.domain import Kind
from bot.judgement.answer_scores import WordWeights
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


def test_a_word_weighs_less_once_more_messages_carry_it() -> None:
    weights = WordWeights()
    for _ in range(5):
        weights.learn(frozenset({"gratuity"}))
    rare = weights.idf("gratuity")
    for _ in range(20):
        weights.learn(frozenset({"gratuity", "posh"}))
    assert weights.idf("gratuity") < rare
    assert weights.total(["gratuity", "posh"]) == weights.idf("gratuity") + weights.idf("posh")
