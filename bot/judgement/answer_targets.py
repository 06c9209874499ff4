"""Which earlier message a message most likely answers: the linking pass's choice of target.

Candidates come from the answer window's indexes (by asker, answerer and shared word), the newest
request, job post and post, a tagged thread, and late requests of the people the message names;
`LinkScorer` weighs them (address, shared words, timing, roles). Items found only by a shared
word are looked up and weighed last, and only when they could still win: they can score only on
their words, age and role, so a message that names its target usually settles without them.
"""

from __future__ import annotations

from datetime import timedelta

from bot.judgement.answer_cues import REACTION, Cues, Item
from bot.judgement.answer_late import LateRequests
from bot.judgement.answer_scores import LinkScorer, WordWeights, shared_weight
from bot.judgement.answer_window import AnswerWindow
from bot.judgement.names import placeholder


class TargetChoice:
    """The part of the linking pass that picks a message's target (mixed into the pass)."""

    window: AnswerWindow
    late: LateRequests
    weights: WordWeights
    tagged: dict[str, int]
    _best: tuple[Item | None, float] | None

    def _own_requests(
        self, author: str, cues: Cues | None = None, *, asks_again: bool = False
    ) -> list[Item]:
        raise NotImplementedError

    def _best_target(self, cues: Cues) -> tuple[Item | None, float]:
        if self._best is None:
            self._best = self._score_targets(cues)
        return self._best

    def _score_targets(self, cues: Cues) -> tuple[Item | None, float]:
        newest_request, newest_job, newest_post = self.window.newest(cues.author)
        tagged = self.tagged.get(cues.author, self.tagged.get(placeholder(cues.author)))
        # A reaction counts for the newest post within six hours.
        reacts_to = (
            newest_post
            if newest_post is not None
            and REACTION.match(cues.text)
            and cues.at - newest_post.at < timedelta(hours=6)
            else None
        )
        asked_job = newest_job if newest_job is not None and cues.asks_job() else None
        late = [r for r in self.late.unanswered_of(cues.people, cues.us) if r.author != cues.author]
        scorer = LinkScorer(cues, self.weights, tagged)
        always = (newest_request, newest_job, newest_post)
        latest_by_asker = self._latest_open_by_addressed(cues)
        window = self.window
        named, found = window.candidates(cues, always, tagged)
        best, score = scorer.best(
            named + late, newest_request, asked_job, reacts_to, latest_by_asker
        )
        if window.in_time_order and score > scorer.word_only_bound():
            return best, score  # no item found only by a shared word can reach it
        words = window.word_candidates(cues, found)
        if not words:
            return best, score
        by_word, word_score = scorer.best_by_words(words, score)
        # As one loop over every candidate (the window's oldest first, then late requests) would
        # choose: the higher score, and the earlier of two equal ones.
        if word_score > score or (
            word_score == score
            and best is not None
            and by_word is not None
            and (window.items.get(best.index) is not best or by_word.index < best.index)
        ):
            return by_word, word_score
        return best, score

    def _latest_open_by_addressed(self, cues: Cues) -> dict[int, float]:
        """Each addressed asker's open request on the reply's topic, with its bonus: the one
        sharing the most words with it (uncapped: a long reply can reach the cap with two of
        them), the most recent among equals ("Megha, appraisal ke liye: …" answers Megha's
        appraisal question, not the HRMS one she asked since). Shared words double the bonus:
        without them only being the latest ask speaks for it."""
        chosen: dict[str, tuple[float, int]] = {}
        for person in cues.spoken_to:
            for request in self._own_requests(person):
                if request.resolved:
                    continue
                fit = shared_weight(request, cues, self.weights)
                if person not in chosen or fit >= chosen[person][0]:
                    chosen[person] = (fit, request.index)
        return {index: 2.0 if fit else 1.0 for fit, index in chosen.values()}
