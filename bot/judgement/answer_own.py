"""The asker's own thread: their open requests, and what they say about them.

An asker's message is first read against their own open requests: a nudge, a repeat, a closing,
a clarification after a question back, or taking in an answer ("Makes sense. …") carries on their
request rather than asking anew, and someone vouching for them echoes it
(`bot.judgement.answer_followups` holds the wording rules; this mixin applies them in the pass).
"""

from __future__ import annotations

from bot.domain import Kind, TurnFacts
from bot.judgement.answer_cues import Cues, Item
from bot.judgement.answer_followups import (
    amplifies,
    restates,
    says_nudge,
    says_repeat,
    vouched_request,
    vouches_for,
)
from bot.judgement.answer_scores import overlap
from bot.judgement.answer_targets import TargetChoice
from bot.judgement.asker_news import acknowledges, gives_update
from bot.judgement.reply_text import is_bump

REFER_MIN = 1.0  # evidence needed to attach a non-substantive follow-up
REPEAT_MIN = 2.0  # shared-word evidence for a message that repeats an open request
HELP_REQUEST = Kind.HELP_REQUEST


class OwnThreads(TargetChoice):
    """The part of the linking pass that reads a message against its writer's own requests
    (mixed into the pass; its target choice is the pass's own)."""

    facts: list[TurnFacts]
    authors: list[str | None]
    _now_us: int

    def _root_request(self, target: int) -> int | None:
        raise NotImplementedError

    def _own_requests(
        self, author: str, cues: Cues | None = None, *, asks_again: bool = False
    ) -> list[Item]:
        """The author's requests still in the window, then their unresolved late ones (further
        back when `cues`, the author's own message, says they ask again, or `asks_again`)."""
        own = self.window.own_requests(author)
        if not self.late.holds(author):
            return own  # (the common case: no regular expression read for nothing)
        asks_again = asks_again or (cues is not None and says_repeat(cues.text))
        now = cues.us if cues is not None else self._now_us
        return self.late.of(author, now, asks_again=asks_again) + own

    def _closes_own_request(self, cues: Cues, kind: Kind) -> bool:
        if kind == HELP_REQUEST and cues.question:
            return False  # a new question is not a closing, whatever words it borrows
        if not cues.resolution():
            return False
        return any(not r.resolved for r in self._own_requests(cues.author))

    def _repeated_request(self, cues: Cues) -> Item | None:
        """The open request this one only repeats: a bump, a repeat, someone else's echo."""
        # A request asked again, with or without saying so, can be three weeks old.
        own = [r for r in self._own_requests(cues.author, cues, asks_again=True) if not r.resolved]
        if own:
            mine = self._pick_own(own, cues)
            if is_bump(cues.text) or not cues.substantive or restates(mine, cues, self.weights):
                return mine
            if mine.answerers and (
                acknowledges(cues.text) or (gives_update(cues.text) and not cues.question)
            ):
                return mine  # "Makes sense. And the level – 3 yrs or 6+?" after an answer
        vouched = vouched_request(cues, self._own_requests, amplifies)
        if vouched is not None:
            return vouched
        best, score = self._best_target(cues)
        if best is None or best.kind != HELP_REQUEST or best.target_author is not None:
            return None
        if not cues.substantive and score >= REFER_MIN:
            return best  # "+1, need the same", "pls share with me also"
        if amplifies(best, cues) and (self._repeats(best, cues) or vouches_for(best, cues)):
            return best
        return None

    def _repeats(self, item: Item, cues: Cues) -> bool:
        return len(item.stems & cues.stems) >= 2 and overlap(item, cues, self.weights) >= REPEAT_MIN

    def _clarified_request(self, best: Item, cues: Cues) -> int | None:
        """The author's own request, when `best` is a question back on it put to them."""
        if best.target_author != cues.author:
            return None
        facts = self.facts[best.index]
        if facts.reply_to_index is not None or facts.refers_to_index is None:
            return None  # an answer to them, not a question back
        root = self._root_request(facts.refers_to_index)
        return root if root is not None and self.authors[root] == cues.author else None

    def _is_asker_followup(self, own: list[Item], cues: Cues) -> bool:
        if cues.resolution() or is_bump(cues.text) or cues.thanks() or gives_update(cues.text):
            return True
        if says_nudge(cues.text):
            # "Sir/madam one last request for diploma students", "Gentle bump on part time
            # roles 🙏 anyone know companies in Kerala who do this?"
            return True
        restates = cues.question and not cues.spoken_to
        if restates and any(not r.resolved and self._repeats(r, cues) for r in own):
            return True  # the asker restating their own request
        spoken_to = cues.spoken_to
        return bool(spoken_to) and any(not spoken_to.isdisjoint(r.answerers) for r in own)

    def _pick_own(self, own: list[Item], cues: Cues) -> Item:
        people = cues.people
        for request in reversed(own):
            if request.answerers & people:
                return request
        # One shared word ("file") does not outweigh being the latest ask.
        overlapping = [r for r in own if len(r.stems & cues.stems) > 1]
        return (overlapping or own)[-1]
