"""The shipped kind model: loaded once per process, scored in pure Python.

The weights live in bot/judgement/model/kinds.json.gz (written by `make model`, see
bot/judgement/training.py): a version, the corpus hash, a bias and a weight per kind for every
word, word pair, letter group and named cue. Scoring is the dot product training used, computed
word by word: a word's own weight and the weights of its letter groups are summed once per
distinct word and remembered, so a message costs one look-up per word and per word pair.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bot.domain import Kind
from bot.judgement.kind_features import (
    CHAR_SCALE,
    bigrams,
    char_grams,
    featurisation,
    named_cues,
)

MODEL_VERSION = 1
MODEL_PATH = Path(__file__).parent / "model" / "kinds.json.gz"
KINDS: tuple[Kind, ...] = (Kind.JOB_POST, Kind.HELP_REQUEST, Kind.GYAAN, Kind.OTHER)
_WORD_CACHE_LIMIT = 200_000
_ZERO = (0.0, 0.0, 0.0, 0.0)

Vector = tuple[float, float, float, float]


class ModelFileError(ValueError):
    """The model file is missing, of another version, or malformed."""


@dataclass(frozen=True)
class WordScore:
    """What one distinct word adds: its own weights, its letter groups' weights and count."""

    word: Vector
    chars: Vector
    char_count: int


@dataclass(frozen=True)
class Scored:
    """Raw scores per kind (KINDS order) and the pieces that produced them, for reasons."""

    scores: list[float]
    words: list[tuple[str, WordScore]]
    word_norm: float
    char_norm: float
    pairs: list[tuple[str, Vector]]
    cues: list[tuple[str, float, str, Vector]]  # name, value, phrase, weights

    def shares(self, kind: int) -> list[tuple[float, str, str]]:
        """Each word's, pair's and cue's share of one kind's score: (share, family, text)."""
        wn, cn = self.word_norm, self.char_norm
        found = [(p.word[kind] * wn + p.chars[kind] * cn, "word", w) for w, p in self.words]
        found += [(row[kind] * wn, "pair", pair) for pair, row in self.pairs]
        found += [(row[kind] * value, "cue", f"{name}\n{phrase}") for name, value, phrase, row
                  in self.cues]  # fmt: skip
        return found


@dataclass
class KindModel:
    """Weights by feature name; `score` is exact to training's dot product."""

    version: int
    corpus_sha256: str
    bias: Vector
    temperature: float
    weights: dict[str, Vector]
    _words: dict[str, WordScore] = field(default_factory=dict, repr=False)

    @classmethod
    def from_file(cls, path: Path = MODEL_PATH) -> KindModel:
        """Read a model file written by bot.judgement.training."""
        try:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                payload = json.load(handle)
        except (OSError, json.JSONDecodeError) as exc:
            raise ModelFileError(f"{path}: cannot read the kind model ({exc})") from exc
        if payload.get("version") != MODEL_VERSION:
            raise ModelFileError(f"{path}: model version {payload.get('version')} is not "
                                 f"{MODEL_VERSION}; run `make model`")  # fmt: skip
        if payload.get("featurisation") != featurisation():
            raise ModelFileError(f"{path}: written for other features; run `make model`")
        if payload.get("kinds") != [k.value for k in KINDS]:
            raise ModelFileError(f"{path}: kinds {payload.get('kinds')} do not match")
        weights = {name: _vector(row) for name, row in payload["features"].items()}
        return cls(
            version=payload["version"],
            corpus_sha256=payload["corpus_sha256"],
            bias=_vector(payload["bias"]),
            temperature=float(payload["temperature"]),
            weights=weights,
        )

    def word(self, token: str) -> WordScore:
        """A distinct word's contribution, computed once and remembered (bounded)."""
        known = self._words.get(token)
        if known is not None:
            return known
        weights = self.weights.get
        grams = char_grams(token)
        a = b = c = d = 0.0
        for gram in grams:
            row = weights(f"c:{gram}")
            if row is not None:
                a += row[0]
                b += row[1]
                c += row[2]
                d += row[3]
        score = WordScore(weights(f"w:{token}", _ZERO), (a, b, c, d), len(grams))
        if len(self._words) < _WORD_CACHE_LIMIT:
            self._words[token] = score
        return score

    def score(self, body: str, words: list[str], *, forwarded: bool, is_reply: bool) -> Scored:
        """Raw scores of a cleaned, non-empty message, with the pieces behind them."""
        distinct = list(dict.fromkeys(words))
        pair_names = list(dict.fromkeys(bigrams(words)))
        word_norm = (len(distinct) + len(pair_names)) ** -0.5 if distinct else 0.0
        word = self.word
        parts = [(w, word(w)) for w in distinct]
        chars = sum(p.char_count for _, p in parts)
        char_norm = CHAR_SCALE * chars**-0.5 if chars else 0.0
        weights = self.weights.get
        pairs = [(n, row) for n in pair_names if (row := weights(f"b:{n}")) is not None]
        cues = [
            (name, value, phrase, row)
            for name, (value, phrase) in named_cues(
                body, words, forwarded=forwarded, is_reply=is_reply
            ).items()
            if (row := weights(name)) is not None
        ]
        totals = list(self.bias)
        if parts:
            own = [sum(c) for c in zip(*(p.word for _, p in parts), strict=True)]
            grams = [sum(c) for c in zip(*(p.chars for _, p in parts), strict=True)]
            for k in range(4):
                totals[k] += own[k] * word_norm + grams[k] * char_norm
        if pairs:
            paired = [sum(c) for c in zip(*(row for _, row in pairs), strict=True)]
            for k in range(4):
                totals[k] += paired[k] * word_norm
        for _, value, _, row in cues:
            for k in range(4):
                totals[k] += row[k] * value
        return Scored(totals, parts, word_norm, char_norm, pairs, cues)

    def probabilities(self, scores: Sequence[float]) -> list[float]:
        """Calibrated probabilities per kind (KINDS order)."""
        top = max(scores)
        exps = [math.exp((s - top) / self.temperature) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]


def _vector(row: Sequence[float]) -> Vector:
    if len(row) != 4:
        raise ModelFileError(f"a weight row has {len(row)} values, not 4")
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3]))


@cache
def shipped_model() -> KindModel:
    """The packaged model, read once per process (its word cache fills as messages arrive)."""
    return KindModel.from_file(MODEL_PATH)
