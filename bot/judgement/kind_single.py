"""One message scored with plain Python numbers, for when arrays do not pay.

Setting up the batch scorer's arrays (bot.judgement.kind_batch) costs a couple of milliseconds,
more than scoring a few messages one by one, so a lone live message is scored here. The features
are the same definitions (kind_features, kind_shapes, the model's tables), the sums run in the
same order, and the evidence is ranked the same way, so a message gets the same verdict, to the
last bit, whichever way it is scored (tests/judgement/test_kind_model.py checks this).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from bot.judgement.kind_features import (
    CHAR_SCALE,
    bigrams,
    char_grams,
    cue_label,
    named_cues,
    tokens,
)
from bot.judgement.kind_reasons import CUE, PAIR, STRONGEST, THRESHOLD, WORD, reason_text
from bot.judgement.kind_tables import ModelTables, readable

_ZERO = (0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class SingleScore:
    """Raw scores of one message (KINDS order) and each piece of evidence's share of them."""

    scores: list[float]
    evidence: list[tuple[int, str, str, list[float]]]  # family, text, label, share per kind

    def reason(self, best: int, runner_up: int) -> str:
        """The features that most separate the chosen kind from the runner-up, in words."""
        margins = [
            (shares[best] - shares[runner_up], family, text, label)
            for family, text, label, shares in self.evidence
        ]
        strong = (m for m in margins if m[0] > THRESHOLD and (m[1] != WORD or readable(m[2])))
        return reason_text([(f, label) for _, f, _, label in heapq.nlargest(STRONGEST, strong)])


def score_single(
    tables: ModelTables,
    weights: dict[str, tuple[float, float, float, float]],
    bias: Sequence[float],
    body: str,
    *,
    forwarded: bool,
    is_reply: bool,
) -> SingleScore:
    """The scores of one non-empty cleaned message, as training's dot product adds them."""
    words = tokens(body)
    distinct = list(dict.fromkeys(words))
    pair_names = list(dict.fromkeys(bigrams(words)))
    word_norm = (len(distinct) + len(pair_names)) ** -0.5 if distinct else 0.0
    parts = [_word(tables, weights, w) for w in distinct]
    chars = sum(count for _, _, count in parts)
    char_norm = CHAR_SCALE * chars**-0.5 if chars else 0.0
    pairs = [(n, row) for n in pair_names if (row := weights.get(f"b:{n}")) is not None]
    cues = [
        (name, value, phrase, row)
        for name, (value, phrase) in named_cues(
            body, words, forwarded=forwarded, is_reply=is_reply
        ).items()
        if (row := weights.get(name)) is not None
    ]
    totals = list(bias)
    if parts:
        own = [sum(c) for c in zip(*(p[0] for p in parts), strict=True)]
        grams = [sum(c) for c in zip(*(p[1] for p in parts), strict=True)]
        for k in range(4):
            totals[k] += own[k] * word_norm + grams[k] * char_norm
    if pairs:
        paired = [sum(c) for c in zip(*(row for _, row in pairs), strict=True)]
        for k in range(4):
            totals[k] += paired[k] * word_norm
    for _, value, _, row in cues:
        for k in range(4):
            totals[k] += row[k] * value
    evidence = [
        (WORD, w, w, [own_k * word_norm + gram_k * char_norm for own_k, gram_k in zip(
            mine, letters, strict=True)])
        for w, (mine, letters, _) in zip(distinct, parts, strict=True)
    ]  # fmt: skip
    evidence += [(PAIR, n, f"'{n}'", [r * word_norm for r in row]) for n, row in pairs]
    evidence += [
        (CUE, f"{name}\n{phrase}", cue_label(name, phrase), [r * value for r in row])
        for name, value, phrase, row in cues
    ]
    return SingleScore(totals, evidence)


def _word(
    tables: ModelTables, weights: dict[str, tuple[float, float, float, float]], word: str
) -> tuple[Sequence[float], Sequence[float], int]:
    """A distinct word's own weights, the sum of its letter groups' weights and their count."""
    known = tables.word_ids.get(word)
    if known is not None:
        row = tables.word_rows[known]
        return tuple(row.tolist()), tuple(tables.char_rows[known].tolist()), int(
            tables.char_counts[known]
        )
    grams = char_grams(word)
    a = b = c = d = 0.0
    for gram in grams:
        row = weights.get(f"c:{gram}")
        if row is not None:
            a += row[0]
            b += row[1]
            c += row[2]
            d += row[3]
    return weights.get(f"w:{word}", _ZERO), (a, b, c, d), len(grams)
