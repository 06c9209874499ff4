"""How strongly a message points at one earlier message: address, shared words, timing, roles."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.domain import Kind
from bot.judgement.answer_cues import Cues, Item

IDF_PRIOR_DOCS = 40
MAX_OVERLAP = 6.0
_ROUNDING = 1e-6  # far above the rounding error of a score's few float additions
MOST_WORDS = MAX_OVERLAP * 0.8 + _ROUNDING  # more than `overlap` ever adds
_HOUR_OLD = math.exp(-1 / 3)  # the recency term of an item an hour old


class _Known(dict[str, float]):
    """Each word's weight since the last message was learnt, worked out on first use."""

    def __init__(self, weights: WordWeights) -> None:
        super().__init__()
        self.weights = weights

    def __missing__(self, stem: str) -> float:
        weights = self.weights
        seen = weights.doc_freq.get(stem, 0)  # not Counter's [], which calls __missing__
        weight = min(3.0, math.log((weights.docs + IDF_PRIOR_DOCS) / (seen + 1)))
        self[stem] = weight
        return weight


@dataclass
class WordWeights:
    """Inverse document frequencies learnt as the conversation is read."""

    docs: int = 0
    doc_freq: Counter[str] = field(default_factory=Counter)
    # Weights only change when a message is learnt; between two, each word's is worked out once.
    _known: _Known = field(init=False, repr=False, compare=False)

    _weight_of: Callable[[str], float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._known = _Known(self)
        self._weight_of = self._known.__getitem__  # bound once: `total` runs per candidate

    def idf(self, stem: str) -> float:
        """How telling a word is; a prior keeps rare words informative in a chat's first lines."""
        return self._known[stem]

    def total(self, stems: Iterable[str]) -> float:
        """The summed weight of these words (in their iteration order)."""
        return sum(map(self._weight_of, stems))

    def copy(self) -> WordWeights:
        """A copy that learns on its own."""
        return WordWeights(self.docs, Counter(self.doc_freq))

    def learn(self, stems: frozenset[str]) -> None:
        """Count one more message's words."""
        self.docs += 1
        doc_freq = self.doc_freq
        for stem in stems:  # Counter.update's own checks cost more than these few words
            doc_freq[stem] = doc_freq.get(stem, 0) + 1
        self._known.clear()


def overlap(item: Item, cues: Cues, weights: WordWeights) -> float:
    """Evidence from shared words, with words an item's answers brought in counting less."""
    total = shared_weight(item, cues, weights)
    return min(total, MAX_OVERLAP) * 0.8 if total else 0.0


def shared_weight(item: Item, cues: Cues, weights: WordWeights) -> float:
    """The uncapped weight of the words a message shares with an item and its thread: `overlap`
    before its cap, so two items that both reach the cap can still be told apart."""
    stems = cues.stems
    shared = item.stems & stems
    thread = item.thread_stems
    if thread:
        echoed = (thread & stems) - shared
    elif not shared:
        return 0.0
    else:
        # Nothing echoed: the sum below is the shared words' alone (x + 0.6 * 0 is x).
        total = weights.total(shared)
        if len(shared) == 1:
            total *= 0.6
        if total and cues.re_phrase:
            total += 2.0
        return total
    if not shared and not echoed:
        return 0.0
    total = weights.total(shared) + 0.6 * weights.total(echoed)
    if len(shared) + len(echoed) == 1:
        total *= 0.6  # one shared word is weak evidence
    if total and cues.re_phrase:
        total += 2.0
    return total


class LinkScorer:
    """How strongly one message points at each earlier item: address, shared words, timing, roles.

    Made once per message, so the message's own parts are looked up once for all its candidates.
    """

    def __init__(self, cues: Cues, weights: WordWeights, tagged: int | None) -> None:
        self.cues = cues
        self.weights = weights
        self.tagged = tagged

    def word_only_bound(self) -> float:
        """More than any item found only by a shared word can score (`best_by_words`)."""
        bound = MOST_WORDS + _HOUR_OLD + 3.0  # words, recency, an answer to me that asks
        if self.cues.spoken_to:
            bound -= 3.0  # it speaks to someone else
        if self.cues.broadcast:
            bound -= 3.0  # it speaks to the whole group
        return bound

    def best_by_words(self, items: Iterable[Item], floor: float) -> tuple[Item | None, float]:
        """`best` over items found only by a shared word (`AnswerWindow.word_candidates`: an
        hour old or more, by nobody the message names or speaks to, not tagged, not the newest
        of its kind, not an addressed asker's), among those scoring `floor` or more; (None,
        -inf) when none does. Such items score only on their words, age and role, so most are
        ruled out by a bound before their words are weighed; the others are scored with the
        same float additions in the same order as `best`, so their scores are `best`'s."""
        cues, weights = self.cues, self.weights
        me, spoken_to, broadcast, now = cues.author, cues.spoken_to, cues.broadcast, cues.us
        request_role = 0.5 + (0.8 if cues.advice else 0.0)
        help_request, gyaan, exp = Kind.HELP_REQUEST, Kind.GYAAN, math.exp
        best: Item | None = None
        best_score = float("-inf")
        beat = floor  # what an item must reach to matter: the floor, then the best so far
        for item in items:
            author = item.author
            score = 0.0
            if spoken_to:
                answerers = item.answerers
                if answerers and not spoken_to.isdisjoint(answerers):
                    score += 3.0
                if author not in spoken_to and not spoken_to <= answerers:
                    score -= 3.0  # the message speaks to someone else
            age = exp(-((now - item.us) / 1_000_000 / 3600) / 3)
            target_author = item.target_author
            if target_author is None:
                role = request_role if item.kind == help_request else -1.0
            elif target_author == me:
                role = 3.0 if item.asks else 1.5
            else:
                role = -1.0
            most = score + MOST_WORDS + age + role
            if broadcast and author not in spoken_to:
                most -= 3.0
            if most < beat:
                continue  # cannot reach the floor or beat the best so far, whatever its words
            # As `best` adds them, in the same order.
            score += overlap(item, cues, weights)
            score += age
            if broadcast and author not in spoken_to:
                score -= 3.0  # speaks to the whole group
            if target_author is None:
                if item.kind == help_request:
                    score += request_role
                    if item.resolved:
                        score -= 1.5  # the asker already closed it
                else:
                    score -= 1.5 if item.kind == gyaan else 1.0
            elif target_author == me:
                score += 1.5 + (1.5 if item.asks else 0.0)  # someone answered me; I answer back
            else:
                score -= 1.0  # a response to a response needs its own evidence
            if score > best_score and score >= floor:
                best, best_score = item, score
                beat = score
        return best, best_score

    def best(
        self,
        items: Iterable[Item],
        newest_request: Item | None,
        asked_job: Item | None,
        reacted_post: Item | None,
        latest_by_asker: dict[int, float],
    ) -> tuple[Item | None, float]:
        """The item with the most evidence (the oldest among equals) and its score.

        Besides the evidence below: +0.5 for the newest open request, +3.5 for the job post a
        question about terms asks about, +3.0 for the post a reaction reacts to, +1.0 for an
        addressed asker's latest open request ("Harpreet, try …" answers Harpreet's latest ask),
        +2.0 when that request is the one of theirs the reply shares words with.
        """
        # One loop with the message's parts in locals: it runs for every candidate.
        cues, weights, tagged = self.cues, self.weights, self.tagged
        me, mentions, addressed, named = cues.author, cues.mentions, cues.addressed, cues.named
        spoken_to, broadcast, now, stems = cues.spoken_to, cues.broadcast, cues.us, cues.stems
        request_role = 0.5 + (0.8 if cues.advice else 0.0)
        help_request, gyaan, exp = Kind.HELP_REQUEST, Kind.GYAAN, math.exp
        best: Item | None = None
        best_score = float("-inf")
        for item in items:
            author = item.author
            # Whom the message speaks to.
            score = 0.0
            if author in mentions:
                score += 6.0
            if author in addressed:
                score += 5.0
            elif author in named:
                score += 1.5
            if tagged == item.index:
                score += 4.0
            if spoken_to:
                answerers = item.answerers
                if answerers and not spoken_to.isdisjoint(answerers):
                    score += 3.0
                if author not in spoken_to and not spoken_to <= answerers:
                    score -= 3.0  # the message speaks to someone else
            # Shared words, then recency and the item's role.
            if item.thread_stems or not item.stems.isdisjoint(stems):
                score += overlap(item, cues, weights)  # (0.0 without shared words: x + 0.0 is x)
            # (cues.at - item.at).total_seconds() / 3600, on whole microseconds as it computes.
            score += exp(-((now - item.us) / 1_000_000 / 3600) / 3)
            if broadcast and author not in spoken_to:
                score -= 3.0  # speaks to the whole group
            target_author = item.target_author
            if target_author is None:
                if item.kind == help_request:
                    score += request_role
                    if item.resolved:
                        score -= 1.5  # the asker already closed it
                else:
                    score -= 1.5 if item.kind == gyaan else 1.0
            elif target_author == me:
                score += 1.5 + (1.5 if item.asks else 0.0)  # someone answered me; I answer back
            else:
                score -= 1.0  # a response to a response needs its own evidence
            if item is newest_request:
                score += 0.5
            if item is asked_job:
                score += 3.5
            if item is reacted_post:
                score += 3.0
            if latest_by_asker and item.index in latest_by_asker:
                score += latest_by_asker[item.index]
            if score > best_score:
                best, best_score = item, score
        return best, best_score
