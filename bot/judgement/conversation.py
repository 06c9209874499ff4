"""A whole conversation judged in one linear pass: kinds, authors' levels, answers, helpers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Protocol

from bot.domain import (
    UNKNOWN_LEVEL,
    Classification,
    Kind,
    Level,
    LevelEvidence,
    Marker,
    Turn,
    TurnFacts,
)
from bot.judgement import seniority
from bot.judgement.answers import CueBook, infer_answers
from bot.judgement.kind_context import (
    answered_questions,
    chit_chat_questions,
    jokes,
    notices_about_the_group,
    offers_of_help,
    offers_to_someone,
    pitches,
    polls_of_the_group,
    revealed_requests,
    statements_without_an_ask,
)
from bot.judgement.routing import HelperIndex
from bot.judgement.verdicts import placeholder_verdict

# Only messages that can carry a moderator's statement about a member are read for one.
# ("please welcome" is a "welcome"; one \b pair for the two phrases: the same texts, found faster.)
_WELCOME_CUE = re.compile(r"welcome|\b(?:is (?:a|an|the|our)|ji is)\b", re.I)


_WORD = re.compile(r"[^\W\d_][\w'’]*")


@lru_cache(maxsize=8192)
def _first_word(name: str) -> str:
    words = [w for w in _WORD.findall(name.lower()) if w not in {"dr", "mr", "mrs", "ms", "ca"}]
    return words[0] if words else ""


class KindClassifier(Protocol):
    """What analysis needs from a classifier (bot.judgement.classify.Classifier fits)."""

    def classify(
        self, text: str, *, forwarded: bool = False, is_reply: bool = False
    ) -> Classification: ...


@dataclass
class TurnAnalysis:
    """Everything judged about one turn."""

    turn: Turn
    classification: Classification
    author_level: LevelEvidence
    facts: TurnFacts


def _classify(turn: Turn, classifier: KindClassifier) -> Classification:
    marker = Marker.MEDIA if turn.media else Marker.DELETED if turn.deleted else None
    verdict = placeholder_verdict(system=turn.system, marker=marker)
    return verdict or classifier.classify(turn.text, is_reply=turn.reply_to is not None)


def resolve_levels(
    turns: Sequence[Turn],
    kinds: Sequence[Kind],
    *,
    titles: Mapping[str, str] | None = None,
    tags: Mapping[str, LevelEvidence] | None = None,
) -> dict[str, LevelEvidence]:
    """Each author's level over the conversation: tags > own statements > titles > writing."""
    authors = {t.author for t in turns if t.author and not t.system and not t.is_bot}
    evidence: dict[str, list[LevelEvidence]] = {a: [] for a in authors}
    for author in authors:
        evidence[author].append(seniority.level_of_title((titles or {}).get(author, author)))
        if titles and author in titles:
            evidence[author].append(seniority.level_of_title(author))
    names_by_first: dict[str, list[str]] = {}
    for name in sorted(authors):
        names_by_first.setdefault(_first_word(name), []).append(name)
    job_post = Kind.JOB_POST  # looked up once: enum member look-ups are slow on Python 3.11
    for turn, kind in zip(turns, kinds, strict=True):
        if turn.system or turn.author not in evidence or turn.media or turn.deleted:
            continue
        # A job post's years describe the role, but its sign-off ("– Farhan | TA Lead") names
        # the writer.
        if kind == job_post:
            own = seniority.signature_level(turn.text)
        else:
            own = seniority.statement_level(turn.text)
        if own is not None:
            evidence[turn.author].append(own)
        if _WELCOME_CUE.search(turn.text):
            # Only members whose name is in the text can be the one introduced.
            words = set(_WORD.findall(turn.text.lower()))
            named = sorted(n for w in words & names_by_first.keys() for n in names_by_first[w])
            for name, said in seniority.moderator_statement(turn.text, named).items():
                if name != turn.author and name in evidence:
                    evidence[name].append(said)
    for author, tagged in (tags or {}).items():
        evidence.setdefault(author, []).append(tagged)
    return {a: _strongest(evs) for a, evs in evidence.items()}


def _strongest(evidence: list[LevelEvidence]) -> LevelEvidence:
    known = [e for e in evidence if e.level != Level.UNKNOWN]
    return seniority.strongest(known) if known else UNKNOWN_LEVEL


def _week(moment: datetime) -> tuple[int, int]:
    iso = moment.isocalendar()
    return iso.year, iso.week


def suggest_all(
    turns: Sequence[Turn],
    kinds: Sequence[Kind],
    facts: Sequence[TurnFacts],
    levels: Mapping[str, Level],
    expertise: Mapping[str, set[str]] | None,
) -> None:
    index = HelperIndex()
    load: dict[tuple[int, int], Counter[str]] = {}
    for turn, kind, fact in zip(turns, kinds, facts, strict=True):
        if kind == Kind.HELP_REQUEST and not turn.system:
            week = load.setdefault(_week(turn.sent_at), Counter())
            fact.suggested_helpers = index.rank(turn, levels=levels, expertise=expertise, load=week)
            week.update(s.name for s in fact.suggested_helpers)
        index.add(turn, kind, fact, turns)


def replies_to_settle(kinds: Sequence[Kind], facts: Sequence[TurnFacts]) -> list[int]:
    """Turns judged as a post or request that turn out to be part of another thread: `other`.

    LABELS.md: an answer to someone else's request is `other`, even with links or advice, and so
    are questions about a job post and bumps. A request that only repeats an open one (the
    asker's bump or restatement, another member's "+1, any leads?") folds into it. Flat exports
    carry no reply structure, so kinds are judged first and corrected once links are known.
    """
    return [
        i
        for i, (kind, fact) in enumerate(zip(kinds, facts, strict=True))
        if (fact.reply_to_index is not None and kind in _ANSWERABLE)
        or (fact.refers_to_index is not None and kind == Kind.HELP_REQUEST)
    ]


def settle_kinds(
    turns: Sequence[Turn], kinds: Sequence[Kind], facts: Sequence[TurnFacts]
) -> dict[int, tuple[Kind, str]]:
    """Every kind the conversation corrects, with the reason: answers and folded follow-ups are
    `other`, introductions offering help, messages asking nothing, chit-chat questions,
    notices about the group, polls surveying it and jokes are `other`, pitches `gyaan`,
    and a request hidden in other words is revealed by its asker's nudge or another member
    vouching for them (the pointer folds).
    """
    settled: dict[int, tuple[Kind, str]] = {}
    for i in replies_to_settle(kinds, facts):
        target = facts[i].reply_to_index
        why = (
            f"a reply to message {target}"
            if target is not None
            else f"a follow-up of request {facts[i].refers_to_index}"
        )
        settled[i] = (Kind.OTHER, why)
    for i in offers_of_help(turns, kinds):
        settled.setdefault(i, (Kind.OTHER, "an introduction offering help, not a request"))
    for i in offers_to_someone(turns, kinds):
        settled.setdefault(i, (Kind.OTHER, "an offer in reply to someone, not a request"))
    for i in pitches(turns, kinds):
        settled.setdefault(i, (Kind.GYAAN, "an unsolicited pitch, not a request"))
    for i in statements_without_an_ask(turns, kinds):
        settled.setdefault(i, (Kind.OTHER, "asks the group for nothing, not a request"))
    for i in chit_chat_questions(turns, kinds):
        settled.setdefault(i, (Kind.OTHER, "a chit-chat question to everyone, not a request"))
    for i in notices_about_the_group(turns, kinds):
        settled.setdefault(i, (Kind.OTHER, "a notice about the group, not a request"))
    for i in polls_of_the_group(turns, kinds):
        settled.setdefault(i, (Kind.OTHER, "a poll of the group, not a request"))
    for i in jokes(turns, kinds):
        settled.setdefault(i, (Kind.OTHER, "a joke, not a request"))
    for question, answer in answered_questions(turns, kinds, facts).items():
        why = f"a request, as the answer in message {answer} shows"
        settled.setdefault(question, (Kind.HELP_REQUEST, why))
    for pointer, request in revealed_requests(turns, kinds, facts).items():
        if request not in settled and pointer not in settled:
            settled[request] = (Kind.HELP_REQUEST, f"a request, as message {pointer} shows")
            settled[pointer] = (Kind.OTHER, f"a follow-up of request {request}")
    return settled


def settle_replies(
    classifications: list[Classification], facts: Sequence[TurnFacts], turns: Sequence[Turn]
) -> bool:
    """Re-kind what the conversation corrects (see `settle_kinds`) in place; True when any
    kind changed."""
    settled = settle_kinds(turns, [c.kind for c in classifications], facts)
    for i, (kind, why) in settled.items():
        classifications[i] = Classification(kind, classifications[i].confidence, why)
    return bool(settled)


_ANSWERABLE = (Kind.GYAAN, Kind.JOB_POST, Kind.HELP_REQUEST)


def analyze_conversation(
    turns: Sequence[Turn],
    *,
    classifier: KindClassifier,
    titles: Mapping[str, str] | None = None,
    tags: Mapping[str, LevelEvidence] | None = None,
    expertise: Mapping[str, set[str]] | None = None,
    suggest: bool = True,
) -> list[TurnAnalysis]:
    """Classify every turn, resolve authors' levels, infer answers, optionally suggest helpers."""
    classifications = [_classify(t, classifier) for t in turns]
    kinds = [c.kind for c in classifications]
    book = CueBook()
    facts = infer_answers(turns, kinds, book=book)
    if settle_replies(classifications, facts, turns):
        kinds = [c.kind for c in classifications]
        facts = infer_answers(turns, kinds, book=book)
    levels = resolve_levels(turns, kinds, titles=titles, tags=tags)
    if suggest:
        plain = {name: ev.level for name, ev in levels.items()}
        suggest_all(turns, kinds, facts, plain, expertise)
    return [
        TurnAnalysis(t, c, levels.get(t.author or "", UNKNOWN_LEVEL), f)
        for t, c, f in zip(turns, classifications, facts, strict=True)
    ]
