"""Which message answers which help request, and whether requests were answered or resolved.

Platform links (Slack threads, WhatsApp reply context) are trusted. Flat exports have none, so a
reply's target is inferred from @mentions, names, "Re the X q", shared words, timing and
turn-taking, looking back over a bounded window so any conversation is read in one linear pass.

One ask is one request: a bump, the asker's repeat and another member's amplification ("tagging
a few seniors – any leads?") fold into the request they repeat (`refers_to_index`), and the
request's `latest_activity_index` moves on; `bot.judgement.conversation` then re-kinds the folded
messages as `other`, so a report lists the request once. Requests that age out of the window
stay reachable by their asker's name for three weeks (`answer_late`), and the asker's thanks
name who answered (`answer_thanks`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import timedelta

from bot.domain import Kind, Turn, TurnFacts
from bot.judgement.answer_cues import (
    CueBook,
    Cues,
    Item,
    calls_in,
    is_forward_or_pitch,
    only_asks_about_job,
    opens_in_reply,
    questions_a_post,
    read_cues,
    speaks_to_one_person,
    speaks_to_reader,
)
from bot.judgement.answer_followups import (
    amplifies,
    says_nudge,
    vouched_request,
)
from bot.judgement.answer_late import LateRequests
from bot.judgement.answer_own import REFER_MIN, OwnThreads
from bot.judgement.answer_resume import ResumablePass
from bot.judgement.answer_scores import WordWeights
from bot.judgement.answer_thanks import ThanksCredit
from bot.judgement.answer_window import FRESH_REQUEST, AnswerWindow
from bot.judgement.asker_news import gives_update, is_resolution
from bot.judgement.introductions import is_introduction
from bot.judgement.names import NameDirectory, display_name
from bot.judgement.reply_text import (
    asks_back,
    is_substantive,
    is_tag_only,
    offers_help,
)

__all__ = ["AnswerInputError", "CueBook", "infer_answers", "is_resolution", "is_substantive"]

LINK_MIN = 3.0  # evidence needed to call a substantive message a reply
JOB_QUESTION_SPAN = timedelta(hours=12)
RIGHT_UNDER_SPAN = timedelta(hours=1)  # a question posted straight under a post, about it
# Kinds as module constants: on Python 3.11 each `Kind.X` look-up costs more than the test.
HELP_REQUEST, JOB_POST, GYAAN, OTHER = Kind.HELP_REQUEST, Kind.JOB_POST, Kind.GYAAN, Kind.OTHER


class AnswerInputError(ValueError):
    """The turns and kinds given to infer_answers do not line up."""


class _Inference(ThanksCredit, OwnThreads, ResumablePass):
    """One pass over a conversation, keeping only a bounded window of open threads."""

    def __init__(self, turns: Sequence[Turn], kinds: Sequence[Kind], book: CueBook) -> None:
        self.turns = turns
        self.kinds = kinds
        self.book = book
        self.authors = [display_name(t.author) if t.author else None for t in turns]
        # The best target of the message being read, worked out once (reset by a link).
        self._best: tuple[Item | None, float] | None = None
        self.facts: list[TurnFacts] = []
        self.names = NameDirectory()
        self.weights = WordWeights()
        self.window = AnswerWindow()
        self.late = LateRequests()
        self.tagged: dict[str, int] = {}
        self._now_us = 0  # the time of the message being read

    # ---- the pass
    def step(self, i: int) -> None:
        turn, kind, author = self.turns[i], self.kinds[i], self.authors[i]
        facts = TurnFacts()
        if kind == HELP_REQUEST:
            facts.answered, facts.resolved = False, False
        self.facts.append(facts)
        if turn.system or author is None:
            self.names.add_from_system(turn.text)
            return
        if turn.media or turn.deleted or turn.is_bot:
            return
        self.names.add(author)
        self.names.add_self_named(author, turn.text)
        self._best = None
        cues = self.book.by_index.get(i)
        if cues is None:
            cues = self.book.by_index[i] = self._cues(turn, author)
        self._now_us = cues.us
        self.late.take_expiring(self.window, cues.us)
        self.window.prune(cues.us)
        if turn.reply_to is not None and 0 <= turn.reply_to < i:
            self._link_structural(i, turn.reply_to, cues)
        elif self._closes_own_request(cues, kind) and not self._speaks_to_an_asker(cues):
            # "Closing the loop: found what I needed" whatever kind its words suggest.
            self._link_inferred(i, cues)
        elif kind == HELP_REQUEST:
            self._judge_request(i, cues)
        elif kind in (OTHER, GYAAN) and is_introduction(
            cues.text, spoken_to_someone=bool(cues.spoken_to)
        ):
            # An introduction shares words with every open request on the member's field, and
            # the thanks it draws ("Thank you Kavita 🙏 here to learn") answers nothing either.
            pass
        elif kind == GYAAN and self._answers_open_request(i, cues):
            # Advice right after a matching request is an answer, whatever its wording.
            self._link_inferred(i, cues)
        elif kind == JOB_POST and self._offers_to_a_seeker(cues):
            # "We have 2 openings, DM me your CV" right after someone asked for leads.
            self._link_inferred(i, cues)
        elif kind in (JOB_POST, GYAAN) and not (
            cues.spoken_to or speaks_to_one_person(cues) or opens_in_reply(cues)
        ):
            self._remember(i, cues, self.window.posts)
        else:
            self._link_inferred(i, cues)
        self.weights.learn(cues.stems)

    def _cues(self, turn: Turn, author: str) -> Cues:
        return read_cues(turn, author, self.names)

    def _remember(self, i: int, cues: Cues, queue: deque[Item]) -> None:
        self.window.remember(Item(i, cues.author, self.kinds[i], cues.at, cues.stems), queue)

    # ---- what a message judged to be a request really is
    def _judge_request(self, i: int, cues: Cues) -> None:
        if self._speaks_to_an_asker(cues):
            # "Ananya, keep it short…" reads like a question but answers Ananya's request.
            self._link_inferred(i, cues)
            return
        job = self._job_asked_about(i, cues, right_under=True)
        if job is not None:
            self._link_job_question(i, job, cues)  # "Is this remote?" under a job post
            return
        repeated = self._repeated_request(cues)
        if repeated is not None:
            self._link(i, repeated.index, False, cues)
            return
        if cues.spoken_to - {cues.author}:
            # A question put to named members ("Farida, is chemicals a must?", "Tagging @X @Y –
            # any experience?") carries on a thread; a request asks the group.
            best, score = self._best_target(cues)
            if best is not None and score >= REFER_MIN:
                self._link(i, best.index, False, cues)
                return
        self._remember(i, cues, self.window.requests)

    def _link_job_question(self, i: int, job: Item, cues: Cues) -> None:
        self._link(i, job.index, True, cues)
        self._remember_reply(i, cues, job.author, on_post=True)  # the poster's answer follows

    def _speaks_to_an_asker(self, cues: Cues) -> bool:
        return cues.substantive and self.window.asked_by_any(cues.spoken_to - {cues.author})

    def _job_asked_about(self, i: int, cues: Cues, *, right_under: bool = False) -> Item | None:
        """The job post the message asks about; with `right_under`, also a short question
        judged a request but posted straight under the post."""
        about_job = only_asks_about_job(cues)
        if not about_job and not (right_under and questions_a_post(cues)):
            return None
        _, job, _ = self.window.newest(cues.author)
        if job is None or cues.at - job.at > JOB_QUESTION_SPAN or says_nudge(cues.text):
            return None  # ("Any contact for the TN office? still stuck": their own ask again)
        if self._straight_after(job, i, cues) and cues.spoken_to <= {job.author}:
            # A short question straight under a post that asks nothing for its writer
            # ("Is accommodation provided for outstation candidates?") is about the post,
            # unless it names someone else ("Sneha, does the external member …?").
            return job
        if not about_job:
            return None
        best, score = self._best_target(cues)
        return job if best is job and score >= REFER_MIN else None

    def _straight_after(self, post: Item, i: int, cues: Cues) -> bool:
        """Whether `post` is the message just before i (system lines aside), and recent."""
        if cues.at - post.at > RIGHT_UNDER_SPAN:
            return False
        turns = self.turns
        return all(turns[j].system for j in range(post.index + 1, i))

    def _answers_open_request(self, i: int, cues: Cues) -> bool:
        if not cues.substantive or is_forward_or_pitch(cues.text):
            return False  # a forwarded post or an ad was not written for the asker
        best, score = self._best_target(cues)
        if best is None or best.kind != HELP_REQUEST or best.target_author is not None:
            return False
        # Advice or an offer right after an unanswered request needs less evidence, and none
        # beyond a link's when nothing else was said in between ("Check his UAN history – …").
        newest, _, _ = self.window.newest(cues.author)
        fresh = best is newest and not best.answerers and cues.at - best.at < FRESH_REQUEST
        offers = cues.advice or offers_help(cues.text) or bool(cues.spoken_to)
        if fresh and offers and self._straight_after(best, i, cues):
            return score >= LINK_MIN
        return score >= LINK_MIN + (1.5 if fresh and offers else 3.0)

    def _offers_to_a_seeker(self, cues: Cues) -> bool:
        if len(cues.text) > 200 or "\n" in cues.text or not speaks_to_reader(cues):
            return False  # a full job description, or an ad to all, is a post of its own
        best, score = self._best_target(cues)
        return (
            best is not None
            and best.kind == HELP_REQUEST
            and best.target_author is None
            and score >= LINK_MIN + 1.5
        )

    # ---- linking
    def _link_structural(self, i: int, target: int, cues: Cues) -> None:
        target_author = self.authors[target]
        substantive = cues.substantive and target_author != cues.author
        if self.kinds[target] == HELP_REQUEST and (
            target_author == cues.author or asks_back(cues.text)
        ):
            substantive = False
        self._link(i, target, substantive, cues)
        if substantive:
            self._remember_reply(i, cues, target_author)

    def _remember_reply(
        self, i: int, cues: Cues, target_author: str | None, *, on_post: bool = False
    ) -> None:
        item = Item(i, cues.author, self.kinds[i], cues.at, cues.stems, target_author=target_author)
        item.asks = cues.question
        self.window.remember(item, self.window.replies, asks_poster=on_post and cues.question)

    def _link_inferred(self, i: int, cues: Cues) -> None:
        job = self._job_asked_about(i, cues, right_under=True)
        if job is not None:
            self._link_job_question(i, job, cues)  # "Ma'am is MBA allowed?" under a job post
            return
        own = self._own_requests(cues.author, cues)
        # An update is news of the writer's own thread, whoever it thanks ("Update sir – the
        # officer called both sides for Monday. Thank you Sanjay sir 🙏").
        news = gives_update(cues.text)
        if own and (news or not self._speaks_to_an_asker(cues)) and self._is_asker_followup(
            own, cues
        ):
            self._link(i, self._pick_own(own, cues).index, False, cues)
            return
        vouched = vouched_request(cues, self._own_requests, amplifies)
        if vouched is not None:
            self._link(i, vouched.index, False, cues)  # an echo, not an answer
            return
        best, score = self._best_target(cues)
        if best is None:
            return
        if is_tag_only(cues.text):
            called_in = self.window.called_in_on(cues, self.weights) or best
            for person in cues.mentions:
                self.tagged[person] = called_in.index
            self._link(i, called_in.index, False, cues)
        elif score >= REFER_MIN and self._asked_about_my_post(best, cues):
            # "Yes, PGDM also eligible": the poster's answer to a question on their post
            # answers it, however short.
            self._link(i, best.index, True, cues)
        elif cues.substantive and score >= LINK_MIN:
            if cues.thanks() and (
                cues.resolution() or (cues.spoken_to and not offers_help(cues.text))
            ):
                # "Thank you Kunal … Sorted, and grateful", "Shabna madam, Abhijith got selected
                # … Thank you very much": news and gratitude of one's own, not an answer.
                self._link(i, best.index, False, cues)
                return
            if best.kind == HELP_REQUEST and amplifies(best, cues):
                self._link(i, best.index, False, cues)  # an echo, not an answer
                return
            calls_people_in = (len(cues.mentions) > 1 and cues.question) or calls_in(cues.text)
            if calls_people_in and not cues.advice:
                # "tagging @Karan @Farhan @Ananya – anyone hiring an HRBP? …", "Tagging @Farah,
                # you had some payroll openings na?" call people in on someone's ask; they
                # answer none of those they tag.
                called_in = self.window.called_in_on(cues, self.weights) or best
                self._link(i, called_in.index, False, cues)
                return
            clarified = self._clarified_request(best, cues)
            if clarified is not None:
                # "View only madam, 200 views/day": the asker answering a question back on
                # their own request adds to the request; it answers nobody.
                self._link(i, clarified, False, cues)
                return
            if (
                best.kind == HELP_REQUEST
                and best.target_author is None
                and not cues.re_phrase
                and asks_back(cues.text)
            ):
                self._link(i, best.index, False, cues)  # a question back, not an answer yet
                self._remember_reply(i, cues, best.author)  # the exchange it opens can go on
                return
            if best.target_author == cues.author and self._asked_by(best.index, cues.author):
                # "Offline mode is exactly what we need. Thanks Kunal 🙏": an asker taking up
                # an answer to their own request answers nothing.
                self._link(i, best.index, False, cues)
                return
            self._link(i, best.index, True, cues)
            self._remember_reply(i, cues, best.author)
        elif not cues.substantive and score >= REFER_MIN:
            self._link(i, best.index, False, cues)

    def _asked_about_my_post(self, best: Item, cues: Cues) -> bool:
        """Whether `best` is a question put to the writer about their own job post."""
        if best.target_author != cues.author or not best.asks:
            return False
        post = self.facts[best.index].reply_to_index
        if post is None:
            return False
        return self.kinds[post] == JOB_POST and self.authors[post] == cues.author

    def _asked_by(self, target: int, author: str) -> bool:
        """Whether the thread message `target` belongs to was asked by `author`."""
        root = self._root_request(target)
        return root is not None and self.authors[root] == author

    def _root_request(self, target: int) -> int | None:
        for _ in range(4):
            if self.kinds[target] == HELP_REQUEST and not self.turns[target].reply_to:
                facts = self.facts[target]
                if facts.refers_to_index is None and facts.reply_to_index is None:
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

    def _link(self, i: int, target: int, substantive: bool, cues: Cues) -> None:
        self._best = None
        facts = self.facts[i]
        if substantive:
            facts.reply_to_index, facts.substantive = target, True
        else:
            facts.refers_to_index = target
        root = self._root_request(target)
        if root is not None:
            self.facts[root].latest_activity_index = i
            self._apply_to_request(root, i, substantive, cues)

    def _apply_to_request(self, root: int, i: int, substantive: bool, cues: Cues) -> None:
        facts, asker = self.facts[root], self.authors[root]
        item = self.window.items.get(root) or self.late.get(root)
        if cues.author == asker:
            if cues.thanks():
                self._credit_thanked(root, i, cues)
            if cues.resolution() and not facts.resolved:
                facts.resolved, facts.answered, facts.resolved_index = True, True, i
                if item is not None:
                    item.resolved = True
            return
        if not substantive:
            return
        if item is not None and root in self.window.items:
            self.window.learn_answer(item, cues.author, cues.stems)
        elif item is not None:
            item.answerers.add(cues.author)  # a late request keeps no word index
        if facts.first_answer_index is None:
            facts.answered, facts.first_answer_index = True, i
            elapsed = self.turns[i].sent_at - self.turns[root].sent_at
            facts.first_response_minutes = elapsed.total_seconds() / 60


def infer_answers(
    turns: Sequence[Turn],
    kinds: Sequence[Kind],
    *,
    book: CueBook | None = None,
    keep_at: int | None = None,
) -> list[TurnFacts]:
    """One TurnFacts per turn: reply links; answered/resolved/first response for requests.
    Passes over the same turns that share a `book` read each turn's cues once; with `keep_at`,
    the state before that turn is kept in the book, and the next pass whose kinds agree up to
    it starts there (`answer_resume`)."""
    if len(turns) != len(kinds):
        raise AnswerInputError(
            f"got {len(turns)} turns but {len(kinds)} kinds; give one kind per turn"
        )
    return _Inference(turns, kinds, book or CueBook()).run(keep_at)
