"""The shipped kind model: loaded once per process, scored for many messages at once.

The weights live in bot/judgement/model/kinds.json.gz (written by `make model`, see
bot/judgement/training.py): a version, the corpus hash, a bias and a weight per kind for every
word, word pair, letter group and named cue. Scoring is the dot product training used, computed
for a batch of messages with arrays (bot/judgement/kind_batch.py) over the weights laid out as
tables (bot/judgement/kind_tables.py); one message is a batch of one.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np

from bot.domain import Kind
from bot.judgement.kind_batch import BatchScores, score_batch
from bot.judgement.kind_features import featurisation
from bot.judgement.kind_single import SingleScore, score_single
from bot.judgement.kind_tables import Floats, Ints, ModelTables

MODEL_VERSION = 1
MODEL_PATH = Path(__file__).parent / "model" / "kinds.json.gz"
KINDS: tuple[Kind, ...] = (Kind.JOB_POST, Kind.HELP_REQUEST, Kind.GYAAN, Kind.OTHER)
Vector = tuple[float, float, float, float]


class ModelFileError(ValueError):
    """The model file is missing, of another version, or malformed."""


@dataclass
class KindModel:
    """Weights by feature name; `score_batch` is exact to training's dot product."""

    version: int
    corpus_sha256: str
    bias: Vector
    temperature: float
    weights: dict[str, Vector]

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

    @cached_property
    def tables(self) -> ModelTables:
        """The weights laid out for batch scoring (built on first use)."""
        return ModelTables.build(self.weights)

    def score_single(self, body: str, *, forwarded: bool, is_reply: bool) -> SingleScore:
        """Raw scores of one non-empty cleaned message and its evidence, in plain numbers."""
        return score_single(
            self.tables, self.weights, self.bias, body, forwarded=forwarded, is_reply=is_reply
        )

    def score_batch(self, bodies: list[str], *, forwarded: Any, is_reply: Any) -> BatchScores:
        """Raw scores of non-empty cleaned messages, with the pieces behind them (for reasons);
        `forwarded` and `is_reply` are one bool for all or one per message."""
        return score_batch(self.tables, self.bias, bodies, forwarded, is_reply)

    def probabilities(self, scores: Sequence[float]) -> list[float]:
        """Calibrated probabilities per kind (KINDS order)."""
        top = max(scores)
        exps = [math.exp((s - top) / self.temperature) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def top_probabilities(self, scores: Floats) -> tuple[Ints, Ints, Floats]:
        """Per row of scores: the best kind, the runner-up and the best kind's probability,
        each exactly as `probabilities` and a stable sort by score give them."""
        best, runner_up = top_two(scores)
        shifted = (scores - scores.max(axis=1, keepdims=True)) / self.temperature
        exps = np.array(list(map(math.exp, shifted.ravel().tolist()))).reshape(-1, 4)
        total = exps[:, 0] + exps[:, 1] + exps[:, 2] + exps[:, 3]
        return best, runner_up, exps[np.arange(len(best)), best] / total


def top_two(scores: Floats) -> tuple[Ints, Ints]:
    """Per row, the first two columns of a stable sort by score, largest first: the first
    column holding the largest score, then the first other column holding the largest of the
    rest (two passes of argmax, which keeps the first of equals; faster than sorting rows)."""
    best = np.argmax(scores, axis=1)
    rest = scores.copy()
    rest[np.arange(len(scores)), best] = -np.inf
    return best, np.argmax(rest, axis=1)


def _vector(row: Sequence[float]) -> Vector:
    if len(row) != 4:
        raise ModelFileError(f"a weight row has {len(row)} values, not 4")
    return (float(row[0]), float(row[1]), float(row[2]), float(row[3]))


@cache
def shipped_model() -> KindModel:
    """The packaged model, read once per process (its word cache fills as messages arrive)."""
    return KindModel.from_file(MODEL_PATH)
