"""An asker's thanks names who answered: the message it credits is an answer, however it reads.

"Perfect, thanks Lavanya 🙏" right after Lavanya's "Sharing one we used for a plant HR role…"
says her share answered the request, though it read like unprompted knowledge and shared few words
with the ask. Only the asker's thanks counts, only for people who wrote after the request, and
only their newest substantive message that is not already an answer spoken to someone else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from bot.domain import Kind, Turn, TurnFacts
from bot.judgement.reply_text import is_substantive

# Thanks follow the help they are for: the credited message is among the last few before it.
MAX_LOOKBACK = 20
MAX_AGE = timedelta(hours=12)


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
        if kinds[j] == Kind.HELP_REQUEST or turn.reply_to is not None:
            return None  # their own ask, or a reply the platform ties elsewhere
        fact = facts[j]
        if fact.reply_to_index is not None and tied_elsewhere(j):
            continue
        if is_substantive(turn.text):
            return j
    return None
