"""An asker's thanks names who answered: the message it credits is an answer, however it reads.

"Perfect, thanks Lavanya 🙏" right after Lavanya's "Sharing one we used for a plant HR role…"
says her share answered the request, though it read like unprompted knowledge and shared few words
with the ask. A job post, a forward, a pitch or a webinar is never credited: a seeker who thanks
the poster and applies or registers was served by a post to everyone, not answered. Only the
asker's thanks counts, only for people who wrote after the request, and only their newest
substantive message that is not already an answer spoken to someone else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import timedelta

from bot.domain import Kind, Turn, TurnFacts
from bot.judgement.answer_cues import THANKS, Cues, is_forward_or_pitch
from bot.judgement.answer_window import FRESH_REQUEST
from bot.judgement.introductions import introduces_another
from bot.judgement.reply_text import content_stems, has_question, is_substantive

# Thanks follow the help they are for: the credited message is among the last few before it.
MAX_LOOKBACK = 20
MAX_AGE = timedelta(hours=12)
JUST_BEFORE = timedelta(hours=1)  # an unnamed thanks is for the message it follows
# An ask of one's own without a question mark ("Personal ask 🙂 … would love to talk to …").
_OWN_ASK = re.compile(
    r"\b(?:personal ask|my ask|(?:would|will|i'?d) love to (?:talk|connect|speak|hear))\b",
    re.I,
)
_TO_EVERYONE = re.compile(r"\b(?:all|everyone|everybody|folks|guys|friends|team|both|each)\b", re.I)


def credited_message(
    person: str,
    request: int,
    thanks: int,
    turns: Sequence[Turn],
    authors: Sequence[str | None],
    kinds: Sequence[Kind],
    facts: Sequence[TurnFacts],
    tied_elsewhere: Callable[[int], bool],
) -> int | None:
    """The newest message `person` wrote between the request and the thanks that can be its
    answer: substantive, not a request of their own, not an answer `tied_elsewhere` (spoken to
    another asker, or another request's first answer)."""
    since = turns[thanks].sent_at - MAX_AGE
    span = range(thanks - 1, max(request, thanks - MAX_LOOKBACK), -1)
    if any(
        authors[j] == person and request in (facts[j].reply_to_index, facts[j].refers_to_index)
        for j in span
    ):
        return None  # already in this thread: the thanks is for that (an answer, a tag)
    for j in span:
        turn = turns[j]
        if turn.sent_at < since:
            return None
        if authors[j] != person or turn.system or turn.media or turn.deleted:
            continue
        if turn.reply_to is not None:
            return None  # a reply the platform ties elsewhere
        if kinds[j] == Kind.HELP_REQUEST and (
            has_question(turn.text) or _OWN_ASK.search(turn.text)
        ):
            # Their own ask ("Personal ask 🙂 … would love to talk to someone who …"); advice
            # that asks for nothing was only judged one.
            return None
        if kinds[j] == Kind.JOB_POST or is_forward_or_pitch(turn.text):
            # An opening, a forward or a webinar posted to all answers nobody's ask ("Thanks
            # Rohit, applied", "Thanks for sharing Deepthi, registered").
            return None
        if introduces_another(turn.text):
            continue  # "Thank you for the warm welcome" thanks a welcome, not an answer
        fact = facts[j]
        if fact.reply_to_index is not None and tied_elsewhere(j):
            continue
        # A post shared with all days after the request must be about it even when the thanks
        # follows it ("Thank you for sharing so honestly Rohit" thanks a lessons-learnt post).
        age = turn.sent_at - turns[request].sent_at
        posted_later = kinds[j] == Kind.GYAAN and age > FRESH_REQUEST
        adjacent = _adjacent(j, thanks, turns) and not posted_later
        if is_substantive(turn.text) and (
            adjacent or _shares_a_word(turns[request].text, turn.text)
        ):
            return j
    return None


def _adjacent(j: int, thanks: int, turns: Sequence[Turn]) -> bool:
    """Whether only system lines and media stand between message j and the thanks."""
    return all(t.system or t.media for t in turns[j + 1 : thanks])


def _shares_a_word(request: str, reply: str) -> bool:
    """A thanked message further back must be about the request: "Thank you Vikram sir and
    Shalini, beautifully organised" credits no announcement about the evening's venue."""
    return bool(content_stems(request) & content_stems(reply))


class ThanksCredit:
    """The part of the linking pass that credits an asker's thanks (mixed into the pass)."""

    turns: Sequence[Turn]
    kinds: Sequence[Kind]
    authors: list[str | None]
    facts: list[TurnFacts]

    def _cues(self, turn: Turn, author: str) -> Cues:
        raise NotImplementedError

    def _root_request(self, target: int) -> int | None:
        raise NotImplementedError

    def _apply_to_request(self, root: int, i: int, substantive: bool, cues: Cues) -> None:
        raise NotImplementedError

    def _credit_thanked(self, root: int, i: int, cues: Cues) -> None:
        """The asker thanks people by name: their message since the request answered it."""
        facts = self.facts[root]
        for person in (cues.people - {cues.author}) or self._just_before(root, i, cues.author):
            j = credited_message(
                person, root, i, self.turns, self.authors, self.kinds, self.facts, self._tied
            )
            if j is None:
                continue
            self.facts[j].reply_to_index, self.facts[j].substantive = root, True
            self.facts[j].refers_to_index = None
            first = facts.first_answer_index
            self._apply_to_request(root, j, True, self._cues(self.turns[j], person))
            if first is not None and j < first:
                elapsed = self.turns[j].sent_at - self.turns[root].sent_at
                facts.first_answer_index = j
                facts.first_response_minutes = elapsed.total_seconds() / 60

    def _just_before(self, root: int, i: int, asker: str) -> set[str]:
        """Who an unnamed thanks ("Thanks bro 🙏") is for: the writer of the reply just before
        it, from someone else since the request and within the hour. Thanks to everyone ("thanks
        all") credit no one message, and a post to all (gyaan, a job post) answers nobody."""
        if _TO_EVERYONE.search(self.turns[i].text):
            return set()
        for j in range(i - 1, max(root, i - 3), -1):
            turn, writer = self.turns[j], self.authors[j]
            if turn.system or writer is None or writer == asker:
                continue
            recent = turn.sent_at >= self.turns[i].sent_at - JUST_BEFORE
            answer_like = self.kinds[j] not in (Kind.GYAAN, Kind.JOB_POST)
            if recent and answer_like and not THANKS.search(turn.text):
                return {writer}
            break
        return set()

    def _tied(self, j: int) -> bool:
        """Whether reply j firmly answers its target: it speaks to its asker or came first."""
        target = self.facts[j].reply_to_index
        if target is None:
            return False
        root = self._root_request(target)
        if root is not None and self.facts[root].first_answer_index == j:
            return True
        asker, writer = self.authors[target], self.authors[j]
        return asker is not None and asker in self._cues(self.turns[j], writer or "").spoken_to
