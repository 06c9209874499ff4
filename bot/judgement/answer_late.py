"""Requests kept past the answer window, for the late replies that name their asker.

The answer window forgets a request after a few days, but groups answer, bump and close requests
a week later ("Priya, sorry, saw this only now – …", "Still looking for a consultant, anyone?",
"Update: found a vendor, sorted"). Such messages come from the asker or name them, so a late
request is reached only through its asker: by name, never by shared words alone, which keeps the
old requests from catching replies meant for newer ones.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import timedelta

from bot.judgement.answer_cues import Item
from bot.judgement.answer_window import (
    MAX_OPEN_REQUESTS,
    REQUEST_WINDOW_US,
    AnswerWindow,
)

# Replies, closings and nudges come within two weekly reports; an asker who says they ask
# again ("Still curious about …", "one last request") may do so in the third.
LATE_WINDOW = timedelta(days=21)
LATE_WINDOW_US = LATE_WINDOW // timedelta(microseconds=1)
LATE_REPLY_US = timedelta(days=14) // timedelta(microseconds=1)
MAX_LATE = 400


class LateRequests:
    """Unresolved requests that aged out of the answer window, by asker."""

    def __init__(self) -> None:
        self._queue: deque[Item] = deque()
        self._by_index: dict[int, Item] = {}
        self._by_author: dict[str, list[Item]] = {}

    def copy(self, copy_item: Callable[[Item], Item]) -> LateRequests:
        """A copy sharing no list or queue with these; `copy_item` copies each item once."""
        copy = LateRequests()
        copy._queue = deque(map(copy_item, self._queue))
        copy._by_index = {index: copy_item(item) for index, item in self._by_index.items()}
        copy._by_author = {key: list(map(copy_item, own)) for key, own in self._by_author.items()}
        return copy

    def take_expiring(self, window: AnswerWindow, now_us: int) -> None:
        """Keep the window's unresolved requests that its next prune (at `now_us`) will forget."""
        requests = window.requests
        excess = len(requests) - MAX_OPEN_REQUESTS
        # Usually nothing expires: the oldest request is young and the queue within its cap.
        if requests and (excess > 0 or now_us - requests[0].us > REQUEST_WINDOW_US):
            for position, item in enumerate(requests):
                if position >= excess and now_us - item.us <= REQUEST_WINDOW_US:
                    break
                if not item.resolved and item.index not in self._by_index:
                    self._queue.append(item)
                    self._by_index[item.index] = item
                    self._by_author.setdefault(item.author, []).append(item)
        while self._queue and (
            len(self._queue) > MAX_LATE or now_us - self._queue[0].us > LATE_WINDOW_US
        ):
            self._forget(self._queue.popleft())

    def _forget(self, item: Item) -> None:
        self._by_index.pop(item.index, None)
        mine = self._by_author.get(item.author, [])
        if item in mine:
            mine.remove(item)
        if not mine:
            self._by_author.pop(item.author, None)

    def holds(self, author: str) -> bool:
        """Whether any late request of this author is kept."""
        return author in self._by_author

    def get(self, index: int) -> Item | None:
        """The late request at this conversation index, if kept."""
        return self._by_index.get(index)

    def of(self, author: str, now_us: int, *, asks_again: bool = False) -> list[Item]:
        """The author's late unresolved requests, oldest first: two weeks back, or three for
        an asker who says they ask again."""
        mine = self._by_author.get(author)
        if not mine:
            return []
        reach = LATE_WINDOW_US if asks_again else LATE_REPLY_US
        return [item for item in mine if not item.resolved and now_us - item.us <= reach]

    def unanswered_of(self, people: set[str], now_us: int) -> list[Item]:
        """The late requests of these people that nobody has answered, at most two weeks old: a
        late reply by someone else goes to these (an answered one is only followed up by its
        asker)."""
        by_author = self._by_author
        return [
            item
            for person in people
            if person in by_author
            for item in by_author[person]
            if not item.resolved and not item.answerers and now_us - item.us <= LATE_REPLY_US
        ]
