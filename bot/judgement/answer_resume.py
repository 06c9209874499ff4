"""A linking pass's state kept part-way, so a later pass over the same turns starts there.

`reanalyze` reads each chunk twice: with the kinds as classified, then with the kinds that read
settled. Kinds are settled only past the chunk's context rows, and a turn's step depends only on
the turns and kinds up to it, so at the first judged row the second pass's state is the first
pass's. The first pass keeps a copy of its state there (`keep_at`) in the shared `CueBook`; the
second starts from it instead of reading the context again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain import Kind, Turn, TurnFacts
from bot.judgement.answer_cues import CueBook, Item
from bot.judgement.answer_late import LateRequests
from bot.judgement.answer_scores import WordWeights
from bot.judgement.answer_window import AnswerWindow
from bot.judgement.names import NameDirectory


@dataclass
class KeptState:
    """A pass's state before turn `index`, made with `kinds` (the kinds of turns before it)."""

    index: int
    turns: Sequence[Turn]
    kinds: list[Kind]
    facts: list[TurnFacts]
    names: NameDirectory
    weights: WordWeights
    window: AnswerWindow
    late: LateRequests
    tagged: dict[str, int]


class ResumablePass:
    """The part of the linking pass that runs it, keeping or resuming its state (mixed in)."""

    turns: Sequence[Turn]
    kinds: Sequence[Kind]
    book: CueBook
    facts: list[TurnFacts]
    names: NameDirectory
    weights: WordWeights
    window: AnswerWindow
    late: LateRequests
    tagged: dict[str, int]

    def step(self, i: int) -> None:
        raise NotImplementedError

    def run(self, keep_at: int | None) -> list[TurnFacts]:
        """Step through every turn (from a kept state that fits, if the book has one); keep a
        copy of the state before turn `keep_at` in the book."""
        start = self._resume()
        for i in range(start, len(self.turns)):
            if i == keep_at:
                self.book.kept = self._copy(i)
            self.step(i)
        return self.facts

    def _resume(self) -> int:
        kept, self.book.kept = self.book.kept, None  # a kept state serves one pass
        if (
            not isinstance(kept, KeptState)
            or kept.turns is not self.turns
            or kept.kinds != list(self.kinds[: kept.index])
        ):
            return 0
        self.facts, self.names, self.weights = kept.facts, kept.names, kept.weights
        self.window, self.late, self.tagged = kept.window, kept.late, kept.tagged
        return kept.index

    def _copy(self, index: int) -> KeptState:
        """A copy sharing nothing the pass changes later (items keep their identities: the
        window's queues, indexes and late requests hold the same items)."""
        copies: dict[int, Item] = {}

        def copy_item(item: Item) -> Item:
            copy = copies.get(id(item))
            if copy is None:
                copy = copies[id(item)] = dataclasses.replace(
                    item, answerers=set(item.answerers), thread_stems=set(item.thread_stems)
                )
            return copy

        return KeptState(
            index=index,
            turns=self.turns,
            kinds=list(self.kinds[:index]),
            facts=[
                dataclasses.replace(f, suggested_helpers=list(f.suggested_helpers))
                for f in self.facts
            ],
            names=self.names.copy(),
            weights=self.weights.copy(),
            window=self.window.copy(copy_item),
            late=self.late.copy(copy_item),
            tagged=dict(self.tagged),
        )
