"""Message kinds (LABELS.md): the shipped linear model, plus what a community's moderators taught.

The model (bot/judgement/kind_model.py) scores words, word pairs, letter groups and named cues;
its calibrated probability is the confidence, and the features that most separate the chosen
kind from the runner-up are the reason (bot/judgement/kind_reasons.py). Messages are judged
together in batches, one message being a batch of one. Moderator corrections act twice: a
near-duplicate of a corrected message takes the corrected kind at once, and each correction
nudges this community's own weights for the words, pairs and cues of the corrected message
until the model agrees.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

import numpy as np
from rapidfuzz import fuzz

from bot.domain import Classification, Kind, Level
from bot.judgement.job_levels import role_level
from bot.judgement.kind_features import STOP_WORDS, clean, message_features, tokens
from bot.judgement.kind_model import KINDS, KindModel, shipped_model
from bot.judgement.kind_reasons import batch_reasons
from bot.judgement.kind_single import SingleScore
from bot.judgement.kind_tables import Floats

_NEAR_DUPLICATE = 90.0
_LEARN_RATE = 3.0
_LEARN_TARGET = 0.9  # a correction updates the community's weights until the model is this sure
_LEARN_STEPS = 25
_RESULT_CACHE_LIMIT = 100_000
_BATCH = 2_000  # messages scored together: enough to share the work, few enough to stay in cache
_FEW = 16  # below this many messages, each is scored on its own (kind_single)
_EMPTY = Classification(Kind.OTHER, 1.0, "no text (media, deleted or empty)")
_REMEMBERED = "moderator corrected a similar message"


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
        self._plain: dict[str, Classification] = {}
        self._flagged: dict[tuple[str, bool, bool], Classification] = {}
        for text, kind in corrections:
            self.learn(text, kind)

    def classify(
        self, text: str, *, forwarded: bool = False, is_reply: bool = False
    ) -> Classification:
        """The kind of one message, with a confidence and a reason a moderator can read."""
        if not (forwarded or is_reply):
            return self.classify_many([text])[0]
        key = (text, forwarded, is_reply)
        known = self._flagged.get(key)
        if known is None:
            known = self._judge([text], forwarded=forwarded, is_reply=is_reply)[0]
            if len(self._flagged) < _RESULT_CACHE_LIMIT:
                self._flagged[key] = known
        return known

    def classify_many(self, texts: Sequence[str]) -> list[Classification]:
        """The kinds of many plain messages (not replies, not forwarded), in order: each
        distinct text is judged once, all of them together."""
        cache = self._plain
        found = list(map(cache.get, texts))
        missing = [t for t, verdict in zip(texts, found, strict=True) if verdict is None]
        if missing:
            distinct = list(dict.fromkeys(missing))
            judged = self._judge(distinct, forwarded=False, is_reply=False)
            new = dict(zip(distinct, judged, strict=True))
            room = _RESULT_CACHE_LIMIT - len(cache)
            if room > 0:
                cache.update(islice(new.items(), room))
            found = [v or new[t] for t, v in zip(texts, found, strict=True)]
        return found  # type: ignore[return-value]  # every text has its verdict now

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
        self._plain.clear()
        self._flagged.clear()
        if body:
            self._update_weights(body, KINDS.index(kind))

    # --- internals -------------------------------------------------------------------------

    def _judge(self, texts: list[str], *, forwarded: bool, is_reply: bool) -> list[Classification]:
        """Verdicts for these texts, the model's scored together in batches."""
        verdicts: list[Classification | None] = [None] * len(texts)
        bodies = list(map(clean, texts))
        scoring: list[int] = []
        if not self._corrections:  # the common case, without a call per message
            scoring = [i for i, body in enumerate(bodies) if body]
            if len(scoring) < len(bodies):
                verdicts = [None if body else _EMPTY for body in bodies]
        for i, body in enumerate(bodies if self._corrections else ()):
            remembered = self._remembered(tokens(body)) if body else None
            if not body:
                verdicts[i] = _EMPTY
            elif remembered is not None:
                verdicts[i] = _finish(body, remembered, 0.95, _REMEMBERED)
            else:
                scoring.append(i)
        # Equal batches: a small last batch would cost nearly as much as a full one.
        batches = -(-len(scoring) // _BATCH)
        size = -(-len(scoring) // batches) if batches else 1
        for start in range(0, len(scoring), size):
            chunk = scoring[start : start + size]
            scored = self._score([bodies[i] for i in chunk], forwarded, is_reply)
            for i, verdict in zip(chunk, scored, strict=True):
                verdicts[i] = verdict
        return verdicts  # type: ignore[return-value]  # every text has its verdict now

    def _score(self, bodies: list[str], forwarded: bool, is_reply: bool) -> list[Classification]:
        """The model's verdicts, with this community's learnt weights, for non-empty bodies."""
        model = self._model
        singles: list[SingleScore] = []
        if len(bodies) < _FEW:  # arrays cost more to set up than a few messages cost to score
            singles = [
                model.score_single(b, forwarded=forwarded, is_reply=is_reply) for b in bodies
            ]
            scores = np.array([single.scores for single in singles]).reshape(-1, 4)
        else:
            batch = model.score_batch(bodies, forwarded=forwarded, is_reply=is_reply)
            scores = batch.scores
        learned = None
        if self._learned:
            learned = np.array(
                [self._learned_shift(b, forwarded=forwarded, is_reply=is_reply) for b in bodies]
            )
            scores = scores + learned
        best, runner_up, confidence = model.top_probabilities(scores)
        if singles:
            pairs = zip(best.tolist(), runner_up.tolist(), strict=True)
            reasons = [s.reason(b, r) for s, (b, r) in zip(singles, pairs, strict=True)]
        else:
            reasons = batch_reasons(batch, model.tables, best, runner_up)
        if learned is not None:
            rows = np.arange(len(bodies))
            taught = learned[rows, best] - learned[rows, runner_up] >= 1.0
            for i in np.flatnonzero(taught).tolist():
                reasons[i] = f"learnt from moderators' corrections, {reasons[i]}"
        kinds = list(map(KINDS.__getitem__, best.tolist()))
        levels = [
            role_level(body) if kind is Kind.JOB_POST else None
            for body, kind in zip(bodies, kinds, strict=True)
        ]
        return list(map(Classification, kinds, _rounded(confidence), reasons, levels))

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

    def _update_weights(self, body: str, target: int) -> None:
        """Gradient steps of the log-loss on this message, on the community's own weights."""
        features = self._learnable(body, forwarded=False, is_reply=False)
        base = self._model.score_single(body, forwarded=False, is_reply=False).scores
        for _ in range(_LEARN_STEPS):
            shift = self._shift_of(features)
            scores = [s + d for s, d in zip(base, shift, strict=True)]
            probabilities = self._model.probabilities(scores)
            if probabilities[target] >= _LEARN_TARGET:
                return
            for name, value in features.items():
                row = self._learned.setdefault(name, [0.0, 0.0, 0.0, 0.0])
                for k in range(4):
                    truth = 1.0 if k == target else 0.0
                    row[k] += _LEARN_RATE * value * (truth - probabilities[k])


def _rounded(values: Floats) -> list[float]:
    """round(v, 3) of each value in [0, 1], without a decimal conversion per value: away from
    a tie, 1000 v rounds to the integer k that round() rounds to, and k / 1000 is the float
    nearest k / 1000, as round() returns; values near a tie are left to round()."""
    scaled = values * 1000.0
    found: list[float] = (np.rint(scaled) / 1000.0).tolist()
    for i in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6).tolist():
        found[i] = round(float(values[i]), 3)
    return found


def _normal(words: list[str]) -> str:
    return " ".join(words)


def _finish(body: str, kind: Kind, confidence: float, reason: str) -> Classification:
    level: Level | None = role_level(body) if kind is Kind.JOB_POST else None
    return Classification(kind, confidence, reason, level)
