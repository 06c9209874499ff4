"""Which message answers which help request, and whether requests were answered or resolved.

Platform links (Slack threads, WhatsApp reply context) are trusted. Flat exports have none, so a
reply's target is inferred from @mentions, names, "Re the X q", shared words, timing and
turn-taking, looking back over a bounded window so any conversation is read in one linear pass.
"""

from __future__ import annotations

import math
import re
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain import Kind, Turn, TurnFacts
from bot.judgement.names import NameDirectory, placeholder
from bot.judgement.reply_text import (
    clean,
    content_stems,
    has_question,
    is_bump,
    is_resolution,
    is_substantive,
    is_tag_only,
    sounds_like_advice,
)

__all__ = ["AnswerInputError", "infer_answers", "is_resolution", "is_substantive"]

REQUEST_WINDOW = timedelta(days=3)
POST_WINDOW = timedelta(hours=36)
REPLY_WINDOW = timedelta(hours=24)
MAX_OPEN_REQUESTS = 60
MAX_POSTS = 40
MAX_REPLIES = 40
IDF_PRIOR_DOCS = 40
LINK_MIN = 3.0  # evidence needed to call a substantive message a reply
REFER_MIN = 1.0  # evidence needed to attach a non-substantive follow-up

_THANKS = re.compile(r"\b(?:thanks?|thank you|thnx|thx|ty|shukriya|dhanyavad|grateful)\b", re.I)
_RE_PHRASE = re.compile(r"^\W*(?:re\b|re:|regarding\b|on the\b|about the\b|for the\b)", re.I)
_JOB_DETAIL = re.compile(
    r"\b(?:remote|wfo|wfh|hybrid|onsite|on-site|office|budget|ctc|salary|package|lpa|relocation|"
    r"location|notice|immediate|joiner|shift|contract|permanent|still open|open\?|apply|jd|"
    r"experience|exp|freshers?|stipend|bond|rotational)\b",
    re.I,
)
_BROADCAST = re.compile(
    r"^\W*(?:(?:hi|hello|hey|dear|good (?:morning|evening|afternoon|night))\s+"
    r"(?:all|everyone|friends|members|folks|team|group|seniors)\b|"
    r"welcome\b|happy\b|congrat|admin note|reminder:)",
    re.I,
)


# Openings of a considered reaction to a post ("Respectfully disagree – …", "Adding to this, …").
_REACTION = re.compile(
    r"^\W*(?:respectfully |strongly |partly |partially |totally |completely )?(?:disagree|agree|"
    r"i (?:dis)?agree|not sure i agree|couldn't agree|can't agree|true,? but|exactly|well said|"
    r"adding to (?:this|that)|to add|i'd add|i would add|counterpoint|on the contrary|"
    r"interesting,? but|in my experience|we tried this|we did this|we moved|we've moved|"
    r"this is so true|so true)",
    re.I,
)


class AnswerInputError(ValueError):
    """The turns and kinds given to infer_answers do not line up."""


@dataclass(slots=True)
class _Item:
    """A message that later messages may reply to."""

    index: int
    author: str
    kind: Kind
    at: datetime
    stems: frozenset[str]
    answerers: set[str] = field(default_factory=set)
    target_author: str | None = None  # for replies: whom this reply was addressed to
    asks: bool = False  # the message asks something
    thread_stems: set[str] = field(default_factory=set)  # words its answers brought in


@dataclass(slots=True)
class _Cues:
    """What one message says about whom it addresses."""

    author: str
    text: str
    at: datetime
    stems: frozenset[str]
    mentions: set[str]
    addressed: set[str]
    named: set[str]
    substantive: bool
    advice: bool


class _Inference:
    """One pass over a conversation, keeping only a bounded window of open threads."""

    def __init__(self, turns: Sequence[Turn], kinds: Sequence[Kind]) -> None:
        self.turns = turns
        self.kinds = kinds
        self.facts: list[TurnFacts] = []
        self.names = NameDirectory()
        self.doc_freq: Counter[str] = Counter()
        self.docs = 0
        self.requests: deque[_Item] = deque()
        self.posts: deque[_Item] = deque()
        self.replies: deque[_Item] = deque()
        self.items: dict[int, _Item] = {}
        self.tagged: dict[str, int] = {}

    # ---- window bookkeeping
    def _prune(self, now: datetime) -> None:
        for queue, span, cap in (
            (self.requests, REQUEST_WINDOW, MAX_OPEN_REQUESTS),
            (self.posts, POST_WINDOW, MAX_POSTS),
            (self.replies, REPLY_WINDOW, MAX_REPLIES),
        ):
            while queue and (len(queue) > cap or now - queue[0].at > span):
                self.items.pop(queue.popleft().index, None)

    def _remember(self, item: _Item, queue: deque[_Item]) -> None:
        queue.append(item)
        self.items[item.index] = item

    def _idf(self, stem: str) -> float:
        # A background of IDF_PRIOR_DOCS keeps rare words informative in a chat's first messages.
        return min(3.0, math.log((self.docs + IDF_PRIOR_DOCS) / (self.doc_freq[stem] + 1)))

    def _learn_words(self, stems: frozenset[str]) -> None:
        self.docs += 1
        self.doc_freq.update(stems)

    # ---- the pass
    def step(self, i: int) -> None:
        turn, kind = self.turns[i], self.kinds[i]
        facts = TurnFacts()
        if kind == Kind.HELP_REQUEST:
            facts.answered, facts.resolved = False, False
        self.facts.append(facts)
        if turn.system or turn.author is None:
            self.names.add_from_system(turn.text)
            return
        if turn.media or turn.deleted or turn.is_bot:
            return
        self._prune(turn.sent_at)
        self.names.add(turn.author)
        cues = self._cues(turn)
        if turn.reply_to is not None and 0 <= turn.reply_to < i:
            self._link_structural(i, turn.reply_to, cues)
        elif kind == Kind.HELP_REQUEST and self._speaks_to_an_asker(cues):
            # "Ananya, keep it short…" reads like a question but answers Ananya's request.
            self._link_inferred(i, cues)
        elif kind == Kind.HELP_REQUEST and not self._is_followup_request(cues):
            self._remember(_Item(i, turn.author, kind, turn.sent_at, cues.stems), self.requests)
        elif kind == Kind.GYAAN and self._answers_open_request(cues):
            # Advice right after a matching request is an answer, whatever its wording.
            self._link_inferred(i, cues)
        elif kind in (Kind.JOB_POST, Kind.GYAAN) and not (cues.mentions or cues.addressed):
            self._remember(_Item(i, turn.author, kind, turn.sent_at, cues.stems), self.posts)
        else:
            self._link_inferred(i, cues)
        self._learn_words(cues.stems)

    def _cues(self, turn: Turn) -> _Cues:
        author = turn.author or ""
        text = clean(turn.text)
        return _Cues(
            author=author,
            text=text,
            at=turn.sent_at,
            stems=frozenset(content_stems(text)),
            mentions=self.names.mentioned(text) - {author},
            addressed=self.names.addressed(text) - {author},
            named=self.names.named(text) - {author},
            substantive=is_substantive(text),
            advice=sounds_like_advice(text),
        )

    def _speaks_to_an_asker(self, cues: _Cues) -> bool:
        people = cues.mentions | cues.addressed
        return cues.substantive and any(
            r.author in people and r.author != cues.author for r in self.requests
        )

    def _answers_open_request(self, cues: _Cues) -> bool:
        if not cues.substantive:
            return False
        best, score = self._best_target(cues)
        return best is not None and best.kind == Kind.HELP_REQUEST and score >= LINK_MIN + 3.0

    def _is_followup_request(self, cues: _Cues) -> bool:
        """A bump classified as a request is still the asker's nudge on an open request."""
        return is_bump(cues.text) and any(r.author == cues.author for r in self.requests)

    # ---- linking
    def _link_structural(self, i: int, target: int, cues: _Cues) -> None:
        target_author = self.turns[target].author
        substantive = cues.substantive and target_author != cues.author
        if self.kinds[target] == Kind.HELP_REQUEST and target_author == cues.author:
            substantive = False
        self._link(i, target, substantive, cues)
        if substantive:
            self._remember_reply(i, cues, target_author)

    def _remember_reply(self, i: int, cues: _Cues, target_author: str | None) -> None:
        item = _Item(
            i, cues.author, self.kinds[i], cues.at, cues.stems, target_author=target_author
        )
        item.asks = has_question(cues.text)
        self._remember(item, self.replies)

    def _link_inferred(self, i: int, cues: _Cues) -> None:
        own = [r for r in self.requests if r.author == cues.author]
        if own and self._is_asker_followup(own, cues):
            self._link(i, self._pick_own(own, cues).index, False, cues)
            return
        best, score = self._best_target(cues)
        if best is None:
            return
        if is_tag_only(cues.text):
            for person in cues.mentions:
                self.tagged[person] = best.index
            self._link(i, best.index, False, cues)
        elif cues.substantive and score >= LINK_MIN:
            self._link(i, best.index, True, cues)
            self._remember_reply(i, cues, best.author)
        elif not cues.substantive and score >= REFER_MIN:
            self._link(i, best.index, False, cues)

    def _is_asker_followup(self, own: list[_Item], cues: _Cues) -> bool:
        if is_resolution(cues.text) or is_bump(cues.text) or _THANKS.search(cues.text):
            return True
        answerers = set().union(*(r.answerers for r in own))
        return bool((cues.mentions | cues.addressed) & answerers)

    def _pick_own(self, own: list[_Item], cues: _Cues) -> _Item:
        people = cues.mentions | cues.addressed | cues.named
        for request in reversed(own):
            if request.answerers & people:
                return request
        overlapping = [r for r in own if r.stems & cues.stems]
        return (overlapping or own)[-1]

    def _root_request(self, target: int) -> int | None:
        for _ in range(4):
            if self.kinds[target] == Kind.HELP_REQUEST and not self.turns[target].reply_to:
                return target
            facts = self.facts[target]
            parent = (
                facts.reply_to_index if facts.reply_to_index is not None else facts.refers_to_index
            )
            if parent is None:
                parent = self.turns[target].reply_to
            if parent is None or parent >= target:
                return None
            target = parent
        return None

    def _link(self, i: int, target: int, substantive: bool, cues: _Cues) -> None:
        facts = self.facts[i]
        if substantive:
            facts.reply_to_index, facts.substantive = target, True
        else:
            facts.refers_to_index = target
        root = self._root_request(target)
        if root is not None:
            self._apply_to_request(root, i, substantive, cues)

    def _apply_to_request(self, root: int, i: int, substantive: bool, cues: _Cues) -> None:
        request, facts = self.turns[root], self.facts[root]
        if cues.author == request.author:
            if is_resolution(cues.text) and not facts.resolved:
                facts.resolved, facts.answered, facts.resolved_index = True, True, i
            return
        if not substantive:
            return
        item = self.items.get(root)
        if item is not None:
            item.answerers.add(cues.author)
            item.thread_stems |= cues.stems - item.stems
        if facts.first_answer_index is None:
            facts.answered, facts.first_answer_index = True, i
            elapsed = self.turns[i].sent_at - request.sent_at
            facts.first_response_minutes = elapsed.total_seconds() / 60

    # ---- scoring candidate targets
    def _best_target(self, cues: _Cues) -> tuple[_Item | None, float]:
        best: _Item | None = None
        best_score = -math.inf
        newest_request = next((r for r in reversed(self.requests) if r.author != cues.author), None)
        newest_job = next(
            (
                p
                for p in reversed(self.posts)
                if p.kind == Kind.JOB_POST and p.author != cues.author
            ),
            None,
        )
        newest_post = next((p for p in reversed(self.posts) if p.author != cues.author), None)
        reacts = bool(_REACTION.match(cues.text))
        newest = {id(newest_request), id(newest_job), id(newest_post)}
        people = cues.mentions | cues.addressed | cues.named
        tagged = self.tagged.get(cues.author, self.tagged.get(placeholder(cues.author)))
        recent = cues.at - timedelta(hours=1)
        stems = cues.stems
        for item in self._candidates(cues):
            # Scoring is the costly part: an item with no address, no shared word, not the
            # newest of its kind and over an hour old cannot win, so it is skipped.
            if not (
                item.at > recent
                or id(item) in newest
                or item.author in people
                or item.index == tagged
                or not stems.isdisjoint(item.stems)
                or not stems.isdisjoint(item.thread_stems)
                or (people and not people.isdisjoint(item.answerers))
            ):
                continue
            score = self._score(item, cues)
            if item is newest_request:
                score += 0.5
            if item is newest_job and self._asks_about_job(cues):
                score += 3.5
            if item is newest_post and reacts and cues.at - item.at < timedelta(hours=6):
                score += 3.0
            if score > best_score:
                best, best_score = item, score
        return best, best_score

    def _candidates(self, cues: _Cues) -> list[_Item]:
        pool = [r for r in self.requests if r.author != cues.author]
        pool += [p for p in self.posts if p.author != cues.author]
        pool += [
            r for r in self.replies if r.target_author == cues.author and r.author != cues.author
        ]
        return pool

    def _asks_about_job(self, cues: _Cues) -> bool:
        return (
            has_question(cues.text) and len(cues.text) < 160 and bool(_JOB_DETAIL.search(cues.text))
        )

    def _overlap(self, item: _Item, cues: _Cues) -> float:
        shared = item.stems & cues.stems
        echoed = (item.thread_stems & cues.stems) - shared
        total = sum(self._idf(s) for s in shared) + 0.6 * sum(self._idf(s) for s in echoed)
        if len(shared) + len(echoed) == 1:
            total *= 0.6  # one shared word is weak evidence
        if total and _RE_PHRASE.match(cues.text):
            total += 2.0
        return min(total, 6.0) * 0.8

    def _score(self, item: _Item, cues: _Cues) -> float:
        score = self._address_score(item, cues) + self._overlap(item, cues)
        hours = (cues.at - item.at).total_seconds() / 3600
        score += math.exp(-hours / 3)
        if _BROADCAST.match(cues.text) and item.author not in cues.mentions | cues.addressed:
            score -= 3.0  # speaks to the whole group
        if item.kind == Kind.HELP_REQUEST:
            score += 0.5 + (0.8 if cues.advice else 0.0)
        elif item.target_author == cues.author:
            score += 1.5 + (1.5 if item.asks else 0.0)  # someone answered me; I answer back
        elif item.target_author is not None:
            score -= 1.0  # a response to a response needs its own evidence
        else:
            score -= 1.5 if item.kind == Kind.GYAAN else 1.0
        return score

    def _address_score(self, item: _Item, cues: _Cues) -> float:
        score = 0.0
        if item.author in cues.mentions:
            score += 6.0
        if item.author in cues.addressed:
            score += 5.0
        elif item.author in cues.named:
            score += 1.5
        tagged = self.tagged.get(cues.author, self.tagged.get(placeholder(cues.author)))
        if tagged == item.index:
            score += 4.0
        if (cues.mentions | cues.addressed) & item.answerers:
            score += 3.0
        others = (cues.mentions | cues.addressed) - {item.author} - item.answerers
        if others and item.author not in cues.mentions | cues.addressed:
            score -= 3.0  # the message speaks to someone else
        return score


def infer_answers(turns: Sequence[Turn], kinds: Sequence[Kind]) -> list[TurnFacts]:
    """One TurnFacts per turn: reply links; answered/resolved/first response for requests."""
    if len(turns) != len(kinds):
        raise AnswerInputError(
            f"got {len(turns)} turns but {len(kinds)} kinds; give one kind per turn"
        )
    inference = _Inference(turns, kinds)
    for i in range(len(turns)):
        inference.step(i)
    return inference.facts
