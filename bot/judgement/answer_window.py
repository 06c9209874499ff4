"""The bounded window of recent messages a reply may answer, with indexed candidate lookup.

A reply can only win with evidence: it names the target's author, shares a word with it (or with
its thread), or the target is recent or the newest of its kind. The window keeps an index by
author and by word so only those items are scored, never every open item.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable
from datetime import timedelta

from bot.domain import Kind
from bot.judgement.answer_cues import Cues, Item
from bot.judgement.answer_scores import MOST_WORDS, WordWeights, overlap

REQUEST_WINDOW = timedelta(days=3)
POST_WINDOW = timedelta(hours=36)
REPLY_WINDOW = timedelta(hours=24)
MAX_OPEN_REQUESTS = 60
MAX_POSTS = 40
MAX_REPLIES = 40
RECENT = timedelta(hours=1)
# A request this young, still unanswered, is what advice or a share posted now is meant for.
FRESH_REQUEST = timedelta(hours=3)
_US = timedelta(microseconds=1)
RECENT_US = RECENT // _US
REQUEST_WINDOW_US = REQUEST_WINDOW // _US
POST_WINDOW_US = POST_WINDOW // _US
REPLY_WINDOW_US = REPLY_WINDOW // _US


class AnswerWindow:
    """Open requests, recent posts and recent replies, pruned by age and count."""

    def __init__(self) -> None:
        self.requests: deque[Item] = deque()
        self.posts: deque[Item] = deque()
        self.replies: deque[Item] = deque()
        self.items: dict[int, Item] = {}
        self._by_word: dict[str, set[int]] = {}
        self._by_author: dict[str, set[int]] = {}
        self._by_answerer: dict[str, set[int]] = {}
        # Questions put to a job post's writer about it, by writer: their answer may come hours
        # later in few words ("Yes within 15 days"), so it is looked for all the reply window.
        self._asked_of_poster: dict[str, set[int]] = {}
        self._requests_by_author: dict[str, deque[Item]] = {}  # each oldest first
        # Whether each queue holds its items in time order (messages read in time order): then
        # the items not within the last hour are exactly those behind the first older one.
        self.in_time_order = True

    def copy(self, copy_item: Callable[[Item], Item]) -> AnswerWindow:
        """A copy sharing no set or queue with this window; `copy_item` copies each item (once
        per item: the queues and indexes hold the same items)."""
        copy = AnswerWindow()
        copy.requests = deque(map(copy_item, self.requests))
        copy.posts = deque(map(copy_item, self.posts))
        copy.replies = deque(map(copy_item, self.replies))
        copy.items = {index: copy_item(item) for index, item in self.items.items()}
        copy._by_word = {key: set(ids) for key, ids in self._by_word.items()}
        copy._by_author = {key: set(ids) for key, ids in self._by_author.items()}
        copy._by_answerer = {key: set(ids) for key, ids in self._by_answerer.items()}
        copy._asked_of_poster = {key: set(ids) for key, ids in self._asked_of_poster.items()}
        copy._requests_by_author = {
            key: deque(map(copy_item, own)) for key, own in self._requests_by_author.items()
        }
        copy.in_time_order = self.in_time_order
        return copy

    def prune(self, now_us: int) -> None:
        """Forget items older than their window or beyond their queue's cap (`now_us`: the
        moment in microseconds, see `micros`)."""
        # Three plain loops: this runs for every message, and almost always forgets nothing.
        requests, posts, replies = self.requests, self.posts, self.replies
        while requests and (
            len(requests) > MAX_OPEN_REQUESTS or now_us - requests[0].us > REQUEST_WINDOW_US
        ):
            item = requests.popleft()
            self._forget_request(item)
            self._forget(item)
        while posts and (len(posts) > MAX_POSTS or now_us - posts[0].us > POST_WINDOW_US):
            self._forget(posts.popleft())
        while replies and (len(replies) > MAX_REPLIES or now_us - replies[0].us > REPLY_WINDOW_US):
            self._forget(replies.popleft())

    def _forget_request(self, item: Item) -> None:
        # Requests leave the window oldest first, so the oldest of their author's goes.
        own = self._requests_by_author[item.author]
        own.popleft()
        if not own:
            del self._requests_by_author[item.author]

    def _forget(self, item: Item) -> None:
        self.items.pop(item.index, None)
        by_word = self._by_word
        for stem in item.stems:
            _discard(by_word, stem, item.index)
        for stem in item.thread_stems:  # (never one of its own words: see learn_answer)
            _discard(by_word, stem, item.index)
        _discard(self._by_author, item.author, item.index)
        for person in item.answerers:
            _discard(self._by_answerer, person, item.index)
        if item.target_author is not None:
            _discard(self._asked_of_poster, item.target_author, item.index)

    def remember(self, item: Item, queue: deque[Item], *, asks_poster: bool = False) -> None:
        """Add a request, post or reply to its queue (one of this window's) and to the indexes;
        `asks_poster`: a reply asking a job post's writer about it."""
        if queue and item.us < queue[-1].us:
            self.in_time_order = False
        queue.append(item)
        if queue is self.requests:
            self._requests_by_author.setdefault(item.author, deque()).append(item)
        index = item.index
        self.items[index] = item
        by_word = self._by_word
        for stem in item.stems:
            ids = by_word.get(stem)
            if ids is None:
                by_word[stem] = {index}
            else:
                ids.add(index)
        self._by_author.setdefault(item.author, set()).add(index)
        if asks_poster and item.target_author is not None:
            self._asked_of_poster.setdefault(item.target_author, set()).add(index)

    def learn_answer(self, item: Item, answerer: str, stems: Iterable[str]) -> None:
        """Record that `answerer` answered `item`, bringing `stems` into its thread."""
        item.answerers.add(answerer)
        self._by_answerer.setdefault(answerer, set()).add(item.index)
        for stem in stems:
            if stem not in item.stems and stem not in item.thread_stems:
                item.thread_stems.add(stem)
                self._by_word.setdefault(stem, set()).add(item.index)

    def own_requests(self, author: str) -> list[Item]:
        """The author's requests still in the window, oldest first."""
        return list(self._requests_by_author.get(author, ()))

    def asked_by_any(self, people: Iterable[str]) -> bool:
        """Whether any of these people has a request in the window."""
        return any(person in self._requests_by_author for person in people)

    def called_in_on(self, cues: Cues, weights: WordWeights) -> Item | None:
        """The request someone is called in on: not their own, the best by words and time."""
        best, best_score = None, float("-inf")
        me, mentions, now, exp = cues.author, cues.mentions, cues.us, math.exp
        for request in self.requests:
            if request.author == me or request.author in mentions:
                continue
            # (cues.at - request.at).total_seconds() / 3600, on whole microseconds as it computes.
            recency = 2.0 * exp(-((now - request.us) / 1_000_000 / 3600) / 3)
            penalty = 1.0 if request.answerers or request.resolved else 0.0
            if recency - penalty + MOST_WORDS < best_score:
                continue  # whatever words it shares, it scores below the best so far
            score = overlap(request, cues, weights) + recency
            score -= penalty
            if score >= best_score:
                best, best_score = request, score
        return best

    def newest(self, author: str) -> tuple[Item | None, Item | None, Item | None]:
        """The newest request, job post and post not written by `author`."""
        request = job = post = None
        job_post = Kind.JOB_POST  # looked up once: enum member look-ups are slow on 3.11
        for item in reversed(self.requests):
            if item.author != author:
                request = item
                break
        for item in reversed(self.posts):
            if item.author != author:
                if post is None:
                    post = item
                if item.kind == job_post:
                    job = item
                    break
        return request, job, post

    def candidates(
        self, cues: Cues, always: Iterable[Item | None], tagged: int | None
    ) -> tuple[list[Item], set[int]]:
        """Items the message could answer found other than by a shared word: by whom it names or
        speaks to, questions on the writer's job posts, `always` and `tagged`, and the last
        hour's items (open ones, oldest first);
        also every index found, for `word_candidates` to leave out."""
        found: set[int] = set()
        by_author, by_answerer = self._by_author, self._by_answerer
        for person in cues.people:
            ids = by_author.get(person)
            if ids:
                found |= ids
        for person in cues.spoken_to:
            ids = by_answerer.get(person)
            if ids:
                found |= ids
        asked = self._asked_of_poster.get(cues.author)
        if asked and cues.substantive and not cues.question and len(cues.text) < 120:
            found |= asked  # a short statement, as a poster's answer is ("Preferred, not must")
        for item in always:
            if item is not None:
                found.add(item.index)
        if tagged is not None:
            found.add(tagged)
        recent = cues.us - RECENT_US
        for queue in (self.requests, self.posts, self.replies):
            for newer in reversed(queue):
                if newer.us <= recent:
                    break
                found.add(newer.index)
        return self._open_to(cues.author, found), found

    def word_candidates(self, cues: Cues, found: set[int]) -> list[Item]:
        """Items found only through a word they share with the message (oldest first): an hour
        old or more, by nobody it names, so they can only win on words (see
        `LinkScorer.word_only_bound`)."""
        by_word = self._by_word
        shared: set[int] = set()
        for stem in cues.stems:
            ids = by_word.get(stem)
            if ids:
                shared |= ids
        return self._open_to(cues.author, shared - found) if shared else []

    def _open_to(self, author: str, found: set[int]) -> list[Item]:
        # Not one's own message; a reply is a candidate only for the one it was addressed to.
        # (An index may have left the window: a tagged thread is remembered by index.)
        return [
            item
            for item in map(self.items.get, sorted(found))
            if item is not None
            and item.author != author
            and (item.target_author is None or item.target_author == author)
        ]


def _discard(index: dict[str, set[int]], key: str, value: int) -> None:
    bucket = index.get(key)
    if bucket is not None:
        bucket.discard(value)
        if not bucket:
            del index[key]
