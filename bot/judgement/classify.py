"""Message kinds (LABELS.md): the shipped linear model, plus what a community's moderators taught.

The model (bot/judgement/kind_model.py) scores words, word pairs, letter groups and named cues;
its calibrated probability is the confidence, and the features that most separate the chosen
kind from the runner-up are the reason. Moderator corrections act twice: a near-duplicate of a
corrected message takes the corrected kind at once, and each correction nudges this community's
own weights for the words, pairs and cues of the corrected message until the model agrees.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.domain import Classification, Kind, Level
from bot.judgement.job_levels import role_level
from bot.judgement.kind_features import STOP_WORDS, clean, cue_label, message_features, tokens
from bot.judgement.kind_model import KINDS, KindModel, Scored, shipped_model

_NEAR_DUPLICATE = 90.0
_LEARN_RATE = 3.0
_LEARN_TARGET = 0.9  # a correction updates the community's weights until the model is this sure
_LEARN_STEPS = 25
_RESULT_CACHE_LIMIT = 100_000
_EMPTY = Classification(Kind.OTHER, 1.0, "no text (media, deleted or empty)")


@dataclass(frozen=True, slots=True)
class _Correction:
    tokens: frozenset[str]
    normal: str
    kind: Kind


class Classifier:
    """Kind classifier for one community: the shipped model and that community's corrections."""

    def __init__(
        self, corrections: Iterable[tuple[str, Kind]] = (), *, model: KindModel | None = None
    ) -> None:
        self._model = model or shipped_model()
        self._corrections: list[_Correction] = []
        self._by_token: dict[str, list[int]] = {}
        self._learned: dict[str, list[float]] = {}
        self._results: dict[tuple[str, bool, bool], Classification] = {}
        for text, kind in corrections:
            self.learn(text, kind)

    def classify(
        self, text: str, *, forwarded: bool = False, is_reply: bool = False
    ) -> Classification:
        """The kind of one message, with a confidence and a reason a moderator can read."""
        key = (text, forwarded, is_reply)
        known = self._results.get(key)
        if known is not None:
            return known
        verdict = self._classify(text, forwarded=forwarded, is_reply=is_reply)
        if len(self._results) < _RESULT_CACHE_LIMIT:
            self._results[key] = verdict
        return verdict

    def classify_many(self, texts: Sequence[str]) -> list[Classification]:
        """The kinds of many plain messages (not replies, not forwarded), in order."""
        classify = self.classify
        return [classify(text) for text in texts]

    def learn(self, text: str, kind: Kind) -> None:
        """Remember a moderator's correction: near-duplicates follow it at once, and this
        community's weights for its words move until the model itself agrees with it."""
        body = clean(text)
        words = tokens(body)
        content = frozenset(t for t in words if t not in STOP_WORDS and len(t) > 2)
        index = len(self._corrections)
        self._corrections.append(_Correction(content, _normal(words), kind))
        for token in content:
            self._by_token.setdefault(token, []).append(index)
        self._results.clear()
        if body:
            self._update_weights(body, words, KINDS.index(kind))

    # --- internals -------------------------------------------------------------------------

    def _classify(self, text: str, *, forwarded: bool, is_reply: bool) -> Classification:
        body = clean(text)
        if not body:
            return _EMPTY
        words = tokens(body)
        if self._corrections:
            remembered = self._remembered(words)
            if remembered is not None:
                return _finish(body, remembered, 0.95, "moderator corrected a similar message")
        scored = self._model.score(body, words, forwarded=forwarded, is_reply=is_reply)
        learned = self._learned_shift(body, forwarded=forwarded, is_reply=is_reply)
        scores = [s + d for s, d in zip(scored.scores, learned, strict=True)]
        probabilities = self._model.probabilities(scores)
        ranked = sorted(range(4), key=lambda k: -scores[k])
        best, runner_up = ranked[0], ranked[1]
        reason = _reason(scored, best, runner_up)
        if learned[best] - learned[runner_up] >= 1.0:
            reason = f"learnt from moderators' corrections, {reason}"
        return _finish(body, KINDS[best], round(probabilities[best], 3), reason)

    def _remembered(self, words: list[str]) -> Kind | None:
        content = {t for t in words if t not in STOP_WORDS and len(t) > 2}
        candidates: dict[int, int] = {}
        for token in content:
            for index in self._by_token.get(token, ()):
                candidates[index] = candidates.get(index, 0) + 1
        normal = _normal(words)
        for index, shared in sorted(candidates.items(), key=lambda kv: (-kv[1], -kv[0])):
            correction = self._corrections[index]
            if shared * 2 < len(correction.tokens):
                break
            if fuzz.token_set_ratio(normal, correction.normal) >= _NEAR_DUPLICATE:
                return correction.kind
        return None

    @staticmethod
    def _learnable(body: str, *, forwarded: bool, is_reply: bool) -> dict[str, float]:
        """The features a community's corrections can re-weight: words, pairs and cues."""
        features = message_features(body, forwarded=forwarded, is_reply=is_reply)
        return {name: value for name, value in features.items() if not name.startswith("c:")}

    def _learned_shift(self, body: str, *, forwarded: bool, is_reply: bool) -> list[float]:
        if not self._learned:
            return [0.0, 0.0, 0.0, 0.0]
        return self._shift_of(self._learnable(body, forwarded=forwarded, is_reply=is_reply))

    def _shift_of(self, features: dict[str, float]) -> list[float]:
        shift = [0.0, 0.0, 0.0, 0.0]
        learned = self._learned.get
        for name, value in features.items():
            row = learned(name)
            if row is not None:
                for k in range(4):
                    shift[k] += row[k] * value
        return shift

    def _update_weights(self, body: str, words: list[str], target: int) -> None:
        """Gradient steps of the log-loss on this message, on the community's own weights."""
        features = self._learnable(body, forwarded=False, is_reply=False)
        base = self._model.score(body, words, forwarded=False, is_reply=False)
        for _ in range(_LEARN_STEPS):
            shift = self._shift_of(features)
            scores = [s + d for s, d in zip(base.scores, shift, strict=True)]
            probabilities = self._model.probabilities(scores)
            if probabilities[target] >= _LEARN_TARGET:
                return
            for name, value in features.items():
                row = self._learned.setdefault(name, [0.0, 0.0, 0.0, 0.0])
                for k in range(4):
                    truth = 1.0 if k == target else 0.0
                    row[k] += _LEARN_RATE * value * (truth - probabilities[k])


def _reason(scored: Scored, best: int, runner_up: int) -> str:
    """The features that most separate the chosen kind from the runner-up, in words."""
    ahead = {(family, text): share for share, family, text in scored.shares(best)}
    behind = scored.shares(runner_up)
    margins = [(ahead[(family, text)] - share, family, text) for share, family, text in behind]
    strongest = heapq.nlargest(8, (m for m in margins if m[0] > 0.05 and _readable(m)))
    parts: list[str] = []
    members: dict[str, list[str]] = {"word": [], "pair": []}
    for _, family, text in strongest:
        if family == "cue":
            name, _, phrase = text.partition("\n")
            parts.append(cue_label(name, phrase))
            continue
        if not members[family]:
            parts.append(family)  # stands for the family, filled in below
        members[family].append(text if family == "word" else f"'{text}'")
    named = {"word": "words", "pair": "phrases"}
    shown = [f"{named[p]} ({', '.join(members[p][:3])})" if p in members else p for p in parts[:3]]
    return ", ".join(shown) or "no strong cue"


def _readable(margin: tuple[float, str, str]) -> bool:
    _, family, text = margin
    return family != "word" or (text not in STOP_WORDS and len(text) > 2 and not text.isdigit())


def _normal(words: list[str]) -> str:
    return " ".join(words)


def _finish(body: str, kind: Kind, confidence: float, reason: str) -> Classification:
    level: Level | None = role_level(body) if kind is Kind.JOB_POST else None
    return Classification(kind, confidence, reason, level)
