"""`liftbot eval --chats DIR`: score the conversation judgement over every labelled chat in DIR.

Each `*_truth.json` in the folder is one chat (the layout of shared/data/sample_chat_truth.json).
Per chat and pooled over all chats it reports:

- reply links and answered F1 on the true kinds (the answer judgement alone), and both again on
  the kinds the bot judged (end to end, as `liftbot analyze` links them);
- the real first answerer among the top three suggested helpers;
- the weekly report's "still unanswered" list, week by week: the help requests the bot would list
  (its own kinds, folds and answers) against the truth's unanswered help requests of that week.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.domain import Kind
from bot.evaluation.chat_truth import ChatTruth, load_chat_truth
from bot.evaluation.evaluate import (
    PRF,
    EvalDataError,
    answered_score,
    helper_recall,
    reply_link_score,
)
from bot.judgement.answers import infer_answers
from bot.judgement.classify import Classifier
from bot.judgement.conversation import KindClassifier, TurnAnalysis, analyze_conversation

BAR_LINK_F = 0.85
BAR_ANSWERED_F1 = 0.88
BAR_HELPER_TOP3 = 0.60
BAR_UNANSWERED = 0.90

Week = tuple[int, int]


@dataclass(frozen=True)
class WeekList:
    """One week's "still unanswered" list against the truth."""

    week: Week
    listed: int
    true: int
    hits: int

    @property
    def precision(self) -> float:
        """Share of listed requests that truly are open (1.0 for an empty, correct list)."""
        return self.hits / self.listed if self.listed else float(self.true == 0)

    @property
    def recall(self) -> float:
        """Share of truly open requests that are listed (1.0 when none were open)."""
        return self.hits / self.true if self.true else 1.0


@dataclass
class ChatScore:
    """Every figure for one chat (or the pool of all chats)."""

    name: str
    reply_links: PRF = field(default_factory=lambda: PRF(0, 0, 0, 0))
    reply_links_end_to_end: PRF = field(default_factory=lambda: PRF(0, 0, 0, 0))
    answered: PRF = field(default_factory=lambda: PRF(0, 0, 0, 0))
    answered_end_to_end: PRF = field(default_factory=lambda: PRF(0, 0, 0, 0))
    helper_hits: int = 0
    helper_requests: int = 0
    helper_unseen: int = 0  # first answerers who had written nothing before the request
    weeks: list[WeekList] = field(default_factory=list)
    list_errors: Counter[str] = field(default_factory=Counter)  # why the lists miss

    @property
    def helper_top3(self) -> float:
        """Share of answered requests whose first answerer was suggested in the top three."""
        return self.helper_hits / self.helper_requests if self.helper_requests else 0.0

    def unanswered(self) -> PRF:
        """The unanswered lists pooled over the weeks."""
        hits = sum(w.hits for w in self.weeks)
        listed = sum(w.listed for w in self.weeks)
        true = sum(w.true for w in self.weeks)
        return PRF.of(hits, listed - hits, true - hits)

    def worst_week(self) -> tuple[float, float]:
        """The lowest weekly precision and the lowest weekly recall."""
        if not self.weeks:
            return 0.0, 0.0
        return min(w.precision for w in self.weeks), min(w.recall for w in self.weeks)


def _week(moment: datetime) -> Week:
    iso = moment.isocalendar()
    return iso.year, iso.week


def listed_unanswered(analysis: Sequence[TurnAnalysis]) -> set[int]:
    """The requests the weekly report would list: judged help requests, unanswered, unresolved."""
    return {
        a.turn.index
        for a in analysis
        if a.classification.kind == Kind.HELP_REQUEST
        and not a.facts.answered
        and not a.facts.resolved
    }


def truly_unanswered(chat: ChatTruth) -> set[int]:
    """The truth's help requests that nobody answered and the asker did not resolve."""
    return {
        int(r["index"])
        for r in chat.records
        if r["kind"] == "help_request" and not r.get("answered") and not r.get("resolved_by_asker")
    }


def list_errors(
    chat: ChatTruth, analysis: Sequence[TurnAnalysis], listed: set[int]
) -> Counter[str]:
    """Why the unanswered lists are wrong, by cause (counts only, so blind runs can show them)."""
    truth = truly_unanswered(chat)
    errors: Counter[str] = Counter()
    for i in listed - truth:
        record = chat.records[i]
        if record["kind"] != "help_request":
            errors[f"listed, but truly {record['kind']}"] += 1
        elif record.get("resolved_by_asker") and not record.get("first_answer_index"):
            errors["listed, but the asker resolved it"] += 1
        else:
            errors["listed, but truly answered"] += 1
    for i in truth - listed:
        judged = analysis[i]
        if judged.classification.kind != Kind.HELP_REQUEST:
            errors[f"open, but judged {judged.classification.kind.value}"] += 1
        elif judged.facts.resolved:
            errors["open, but judged resolved"] += 1
        else:
            errors["open, but judged answered"] += 1
    return errors


def unseen_answerers(chat: ChatTruth) -> int:
    """First answerers of the truth who had not written anything before the request."""
    seen: set[str] = set()
    unseen = 0
    for turn, record in zip(chat.turns, chat.records, strict=True):
        first = record.get("first_answer_index") if record["kind"] == "help_request" else None
        if first is not None and chat.turns[first].author not in seen:
            unseen += 1
        if turn.author and not turn.system:
            seen.add(turn.author)
    return unseen


def week_lists(chat: ChatTruth, listed: set[int]) -> list[WeekList]:
    """The listed and true unanswered requests compared week by week (weeks of the chat)."""
    truth = truly_unanswered(chat)
    weeks = sorted({_week(t.sent_at) for t in chat.turns})
    by_week: dict[Week, tuple[set[int], set[int]]] = {w: (set(), set()) for w in weeks}
    for index in listed:
        by_week[_week(chat.turns[index].sent_at)][0].add(index)
    for index in truth:
        by_week[_week(chat.turns[index].sent_at)][1].add(index)
    return [
        WeekList(week, len(mine), len(real), len(mine & real))
        for week, (mine, real) in by_week.items()
    ]


def score_chat(name: str, chat: ChatTruth, classifier: KindClassifier) -> ChatScore:
    """All figures for one labelled chat."""
    score = ChatScore(name)
    analysis = analyze_conversation(chat.turns, classifier=classifier, suggest=False)
    facts = infer_answers(chat.turns, chat.kinds)
    score.reply_links = reply_link_score(chat, facts)
    score.answered = answered_score(chat, facts)
    score.answered_end_to_end = answered_score(chat, [a.facts for a in analysis])
    score.reply_links_end_to_end = reply_link_score(chat, [a.facts for a in analysis])
    levels = {a.turn.author: a.author_level.level for a in analysis if a.turn.author}
    recall, total = helper_recall(chat, facts, levels)
    score.helper_hits, score.helper_requests = round(recall * total), total
    score.helper_unseen = unseen_answerers(chat)
    listed = listed_unanswered(analysis)
    score.weeks = week_lists(chat, listed)
    score.list_errors = list_errors(chat, analysis, listed)
    return score


def _pool(scores: Sequence[ChatScore]) -> ChatScore:
    pooled = ChatScore("all chats")
    pooled.reply_links = PRF.pooled([s.reply_links for s in scores])
    pooled.reply_links_end_to_end = PRF.pooled([s.reply_links_end_to_end for s in scores])
    pooled.answered = PRF.pooled([s.answered for s in scores])
    pooled.answered_end_to_end = PRF.pooled([s.answered_end_to_end for s in scores])
    pooled.helper_hits = sum(s.helper_hits for s in scores)
    pooled.helper_requests = sum(s.helper_requests for s in scores)
    pooled.helper_unseen = sum(s.helper_unseen for s in scores)
    pooled.weeks = [w for s in scores for w in s.weeks]
    pooled.list_errors = sum((s.list_errors for s in scores), Counter())
    return pooled


def evaluate_chats(folder: Path, *, classifier: KindClassifier | None = None) -> list[ChatScore]:
    """One ChatScore per `*_truth.json` in the folder, then the pool of all of them."""
    paths = sorted(folder.glob("*_truth.json"))
    if not paths:
        raise EvalDataError(f"no *_truth.json files in {folder}")
    if classifier is None:
        classifier = Classifier()
    scores = [
        score_chat(path.name.removesuffix("_truth.json"), load_chat_truth(path), classifier)
        for path in paths
    ]
    return [*scores, _pool(scores)]


def render_chats(scores: Sequence[ChatScore]) -> str:
    """A plain-text table: one row per chat, then the pool and the bars it fails."""
    width = max(18, *(len(s.name) + 2 for s in scores))
    head = (
        f"{'chat':<{width}}{'link F':>8}{'e2e lnk':>8}{'ans F1':>8}{'e2e F1':>8}{'top-3':>8}"
        f"{'open P':>8}{'open R':>8}{'min wkP':>8}{'min wkR':>8}"
    )
    lines = [head]
    for s in scores:
        open_list = s.unanswered()
        worst_p, worst_r = s.worst_week()
        lines.append(
            f"{s.name:<{width}}{s.reply_links.f1:>8.3f}{s.reply_links_end_to_end.f1:>8.3f}"
            f"{s.answered.f1:>8.3f}"
            f"{s.answered_end_to_end.f1:>8.3f}{s.helper_top3:>8.3f}"
            f"{open_list.precision:>8.3f}{open_list.recall:>8.3f}{worst_p:>8.3f}{worst_r:>8.3f}"
        )
    pooled = scores[-1]
    lines += ["", "Weekly unanswered lists (listed / truly open / both)"]
    lines += [
        f"  {s.name:<{width}}"
        + "  ".join(f"{w.week[0]}-W{w.week[1]:02d} {w.listed}/{w.true}/{w.hits}" for w in s.weeks)
        for s in scores[:-1]
    ]
    lines += ["", "Why the lists miss (all chats)"]
    lines += [f"  {n:>3}  {why}" for why, n in pooled.list_errors.most_common()] or ["  none"]
    lines += [
        f"First answerers who had written nothing before the request: {pooled.helper_unseen} "
        f"of {pooled.helper_requests} (no routing can suggest them)"
    ]
    failures = chat_bar_failures(pooled)
    lines += ["", "Quality bar: met" if not failures else "Quality bar: NOT met"]
    lines += [f"  - {f}" for f in failures]
    return "\n".join(lines)


def chat_bar_failures(pooled: ChatScore) -> list[str]:
    """The chat bars the pooled figures fail, as sentences."""
    open_list = pooled.unanswered()
    checks = (
        ("reply-link F", pooled.reply_links.f1, BAR_LINK_F),
        ("reply-link F on judged kinds", pooled.reply_links_end_to_end.f1, BAR_LINK_F),
        ("answered F1", pooled.answered.f1, BAR_ANSWERED_F1),
        ("first answerer in top-3 helpers", pooled.helper_top3, BAR_HELPER_TOP3),
        ("unanswered list precision", open_list.precision, BAR_UNANSWERED),
        ("unanswered list recall", open_list.recall, BAR_UNANSWERED),
    )
    return [f"{name} {value:.3f} < {bar}" for name, value, bar in checks if value < bar]
