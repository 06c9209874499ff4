"""`liftbot eval`: score the judgement against a folder laid out like shared/data.

The chat is read from `sample_chat_truth.json`, not by parsing `sample_chat.txt`: the truth records
carry every field a Turn needs (timestamp, author, text, system, media/deleted flags), which keeps
this evaluation independent of the export parser (see bot/chat_truth.py).

Answer metrics (answered, reply links, first response, helpers) run on the true kinds so they
measure the answer judgement alone; `answered_f1_end_to_end` repeats answered F1 on predicted kinds.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.domain import Kind, Level, TurnFacts
from bot.evaluation.chat_truth import ChatTruth, load_chat_truth
from bot.judgement import seniority
from bot.judgement.answers import infer_answers
from bot.judgement.classify import Classifier
from bot.judgement.conversation import KindClassifier, TurnAnalysis, analyze_conversation
from bot.judgement.routing import HelperIndex

BAR_KIND_MACRO_F1 = 0.92
BAR_HELP_RECALL = 0.95
BAR_TITLE_ACCURACY = 0.90
BAR_ANSWERED_F1 = 0.88
BAR_LINK_F = 0.80
BAR_FIRST_RESPONSE_MINUTES = 5.0
BAR_HELPER_RECALL = 0.60


class EvalDataError(ValueError):
    """The evaluation folder is missing a file or a file is malformed."""


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 with the counts behind them."""

    precision: float
    recall: float
    f1: float
    support: int
    true_positives: int = 0
    false_positives: int = 0

    @classmethod
    def of(cls, tp: int, fp: int, fn: int) -> PRF:
        """Scores from true positives, false positives and false negatives."""
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return cls(p, r, f, tp + fn, tp, fp)

    @classmethod
    def pooled(cls, parts: Iterable[PRF]) -> PRF:
        """The scores of several counts added together (micro average)."""
        tp = fp = fn = 0
        for part in parts:
            tp += part.true_positives
            fp += part.false_positives
            fn += part.support - part.true_positives
        return cls.of(tp, fp, fn)


@dataclass
class EvalReport:
    """Every figure `liftbot eval` reports."""

    kinds: dict[str, PRF] = field(default_factory=dict)
    kind_macro_f1: float = 0.0
    chat_kinds: dict[str, PRF] = field(default_factory=dict)
    chat_kind_macro_f1: float = 0.0
    title_accuracy: float = 0.0
    member_level_accuracy: float = 0.0
    answered: PRF = field(default_factory=lambda: PRF(0, 0, 0, 0))
    answered_f1_end_to_end: float = 0.0
    reply_links: PRF = field(default_factory=lambda: PRF(0, 0, 0, 0))
    first_response_median_abs_error: float | None = None
    first_response_pairs: int = 0
    helper_recall_at_3: float = 0.0
    helper_requests: int = 0

    def meets_bar(self) -> list[str]:
        """The quality bars this report fails, as readable sentences (empty when all pass)."""
        failures = []
        for name, macro, scores in (
            ("messages", self.kind_macro_f1, self.kinds),
            ("chat", self.chat_kind_macro_f1, self.chat_kinds),
        ):
            if macro < BAR_KIND_MACRO_F1:
                failures.append(f"kind macro-F1 ({name}) {macro:.3f} < {BAR_KIND_MACRO_F1}")
            help_recall = scores[Kind.HELP_REQUEST.value].recall if scores else 0.0
            if help_recall < BAR_HELP_RECALL:
                failures.append(
                    f"help_request recall ({name}) {help_recall:.3f} < {BAR_HELP_RECALL}"
                )
        if self.title_accuracy < BAR_TITLE_ACCURACY:
            failures.append(f"title accuracy {self.title_accuracy:.3f} < {BAR_TITLE_ACCURACY}")
        if self.answered.f1 < BAR_ANSWERED_F1:
            failures.append(f"answered F1 {self.answered.f1:.3f} < {BAR_ANSWERED_F1}")
        if self.reply_links.f1 < BAR_LINK_F:
            failures.append(f"reply-link F {self.reply_links.f1:.3f} < {BAR_LINK_F}")
        error = self.first_response_median_abs_error
        if error is None or error > BAR_FIRST_RESPONSE_MINUTES:
            failures.append(
                f"first-response median error {error} > {BAR_FIRST_RESPONSE_MINUTES} min"
            )
        if self.helper_recall_at_3 < BAR_HELPER_RECALL:
            failures.append(f"helper recall@3 {self.helper_recall_at_3:.3f} < {BAR_HELPER_RECALL}")
        return failures


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except FileNotFoundError as exc:
        raise EvalDataError(f"{path} not found; the folder needs the shared/data layout") from exc
    except json.JSONDecodeError as exc:
        raise EvalDataError(f"{path}: line {exc.lineno} is not JSON") from exc


def kind_scores(truth: Sequence[Kind], predicted: Sequence[Kind]) -> tuple[dict[str, PRF], float]:
    """Per-kind precision/recall/F1 and their macro average."""
    scores = {}
    for kind in Kind:
        tp = sum(t == kind and p == kind for t, p in zip(truth, predicted, strict=True))
        fp = sum(t != kind and p == kind for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == kind and p != kind for t, p in zip(truth, predicted, strict=True))
        scores[kind.value] = PRF.of(tp, fp, fn)
    return scores, statistics.fmean(s.f1 for s in scores.values())


def answered_score(chat: ChatTruth, facts: Sequence[TurnFacts]) -> PRF:
    """Answered judgement over the truth's help requests."""
    pairs = [(bool(r["answered"]), bool(f.answered)) for r, f in _requests(chat, facts)]
    return PRF.of(
        sum(t and p for t, p in pairs),
        sum(p and not t for t, p in pairs),
        sum(t and not p for t, p in pairs),
    )


def _requests(
    chat: ChatTruth, facts: Sequence[TurnFacts]
) -> Iterable[tuple[dict[str, Any], TurnFacts]]:
    return ((r, f) for r, f in zip(chat.records, facts, strict=True) if r["kind"] == "help_request")


def reply_link_score(chat: ChatTruth, facts: Sequence[TurnFacts]) -> PRF:
    """Predicted reply_to_index against the truth's, over substantive replies."""
    tp = fp = fn = 0
    for record, fact in zip(chat.records, facts, strict=True):
        truth, predicted = record.get("reply_to_index"), fact.reply_to_index
        if truth is not None and predicted == truth:
            tp += 1
            continue
        fp += predicted is not None
        fn += truth is not None
    return PRF.of(tp, fp, fn)


def first_response_error(chat: ChatTruth, facts: Sequence[TurnFacts]) -> tuple[float | None, int]:
    """Median absolute error of first-response minutes over requests answered in both."""
    errors = [
        abs(f.first_response_minutes - r["first_response_minutes"])
        for r, f in _requests(chat, facts)
        if f.first_response_minutes is not None and r.get("first_response_minutes") is not None
    ]
    return (statistics.median(errors) if errors else None), len(errors)


def helper_recall(
    chat: ChatTruth,
    facts: Sequence[TurnFacts],
    levels: dict[str, Level],
    weights: Sequence[float] | None = None,
) -> tuple[float, int]:
    """Share of truly answered requests whose first answerer is among the top three suggested
    (by the shipped weights, or by `weights` being fitted)."""
    index, kinds = (HelperIndex() if weights is None else HelperIndex(weights=weights)), chat.kinds
    hits = total = 0
    for turn, kind, fact, record in zip(chat.turns, kinds, facts, chat.records, strict=True):
        first = record.get("first_answer_index") if kind == Kind.HELP_REQUEST else None
        if first is not None:
            names = [s.name for s in index.rank(turn, levels=levels, limit=3)]
            hits += chat.turns[first].author in names
            total += 1
        index.add(turn, kind, fact, chat.turns)
    return (hits / total if total else 0.0), total


def _member_accuracy(chat: ChatTruth, analysis: Sequence[TurnAnalysis]) -> float:
    resolved = {a.turn.author: a.author_level.level for a in analysis if a.turn.author}
    truth = chat.member_levels()
    if not truth:
        return 0.0
    return sum(resolved.get(name, Level.UNKNOWN) == level for name, level in truth.items()) / len(
        truth
    )


def evaluate(data_dir: Path, *, classifier: KindClassifier | None = None) -> EvalReport:
    """Score classifier, seniority and answer judgement against a shared/data-shaped folder."""
    if classifier is None:
        classifier = Classifier()
    report = EvalReport()
    messages = _read_jsonl(data_dir / "messages.jsonl")
    predicted = [classifier.classify(m["text"]).kind for m in messages]
    report.kinds, report.kind_macro_f1 = kind_scores([Kind(m["kind"]) for m in messages], predicted)
    titles = _read_jsonl(data_dir / "titles.jsonl")
    hits = sum(seniority.level_of_title(t["text"]).level == Level(t["level"]) for t in titles)
    report.title_accuracy = hits / len(titles) if titles else 0.0
    chat = load_chat_truth(data_dir / "sample_chat_truth.json")
    analysis = analyze_conversation(chat.turns, classifier=classifier, suggest=False)
    chat_predicted = [a.classification.kind for a in analysis]
    report.chat_kinds, report.chat_kind_macro_f1 = kind_scores(chat.kinds, chat_predicted)
    report.member_level_accuracy = _member_accuracy(chat, analysis)
    report.answered_f1_end_to_end = answered_score(chat, [a.facts for a in analysis]).f1
    facts = infer_answers(chat.turns, chat.kinds)
    report.answered = answered_score(chat, facts)
    report.reply_links = reply_link_score(chat, facts)
    report.first_response_median_abs_error, report.first_response_pairs = first_response_error(
        chat, facts
    )
    levels = {a.turn.author: a.author_level.level for a in analysis if a.turn.author}
    report.helper_recall_at_3, report.helper_requests = helper_recall(chat, facts, levels)
    return report


def _prf_row(name: str, s: PRF) -> str:
    return f"  {name:<22}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.support:>7}"


def render_eval(report: EvalReport) -> str:
    """A plain-text table of the report, with the quality bars at the end."""
    head = f"  {'':<22}{'P':>7}{'R':>7}{'F1':>7}{'n':>7}"
    lines = ["Kinds (messages.jsonl)", head]
    lines += [_prf_row(k, s) for k, s in report.kinds.items()]
    lines += [f"  macro-F1 {report.kind_macro_f1:.3f}", "", "Kinds (sample chat)", head]
    lines += [_prf_row(k, s) for k, s in report.chat_kinds.items()]
    lines += [f"  macro-F1 {report.chat_kind_macro_f1:.3f}", ""]
    lines += [
        f"Title level accuracy          {report.title_accuracy:.3f}",
        f"Member level accuracy (chat)  {report.member_level_accuracy:.3f}",
        "",
        "Answers (sample chat)",
        head,
        _prf_row("answered", report.answered),
        _prf_row("reply links", report.reply_links),
        f"  answered F1 on predicted kinds  {report.answered_f1_end_to_end:.3f}",
        f"  first response median |error|  {_minutes(report.first_response_median_abs_error)}"
        f" over {report.first_response_pairs} requests",
        f"  helper recall@3                 {report.helper_recall_at_3:.3f}"
        f" over {report.helper_requests} requests",
        "",
    ]
    failures = report.meets_bar()
    lines += (
        ["Quality bar: met"]
        if not failures
        else ["Quality bar: NOT met"] + [f"  - {f}" for f in failures]
    )
    return "\n".join(lines)


def _minutes(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} min"
