"""Reasons a moderator can read: the features that most separate the chosen kind from the
runner-up, found for a whole batch at once.

Each word, weighted word pair and weighted cue of a message has a share of each kind's score;
its margin is its share of the chosen kind's score minus its share of the runner-up's. The eight
largest margins above 0.05 (words only when readable) are the evidence, largest first, ties
going to words, then pairs, then cues, then the later text; the first three families of
evidence are named. Messages with tied margins are ordered one by one, to honour the text order.
"""

from __future__ import annotations

import heapq

import numpy as np

from bot.judgement.kind_batch import BatchScores
from bot.judgement.kind_tables import Bools, Floats, Ints, ModelTables, readable

STRONGEST = 8
_THRESHOLD = 0.05
_WORD, _PAIR, _CUE = 2, 1, 0  # family ranks: "word" > "pair" > "cue", as strings compare
_NAMED = {_WORD: "words", _PAIR: "phrases"}
NO_CUE = "no strong cue"


def reason_text(strongest: list[tuple[int, str]]) -> str:
    """A reason from the evidence, strongest first: (family, label) with a word's label the
    word, a pair's "'first second'", a cue's what kind_features.cue_label calls it."""
    parts: list[str] = []
    words: list[str] = []
    pairs: list[str] = []
    for family, label in strongest:
        if family == _CUE:
            parts.append(label)
            continue
        members = words if family == _WORD else pairs
        if not members:
            parts.append(_NAMED[family])  # stands for the family, filled in below
        members.append(label)
    if not parts:
        return NO_CUE
    shown = parts[:3]
    for family, members in ((_WORD, words), (_PAIR, pairs)):
        if members and _NAMED[family] in shown:
            at = shown.index(_NAMED[family])
            shown[at] = f"{_NAMED[family]} ({', '.join(members[:3])})"
    return ", ".join(shown)


def batch_reasons(
    batch: BatchScores, tables: ModelTables, best: Ints, runner_up: Ints
) -> list[str]:
    """The reason for each message of the batch, given its chosen and runner-up kinds."""
    text = batch.text
    words = batch.words
    word_message = text.word_message[words]
    ids = text.word_ids[words]
    wn, cn = batch.word_norm[word_message], batch.char_norm[word_message]
    b, r = best[word_message], runner_up[word_message]
    word_margin = (batch.word_rows[ids, b] * wn + batch.char_rows[ids, b] * cn) - (
        batch.word_rows[ids, r] * wn + batch.char_rows[ids, r] * cn
    )
    pair_message = text.word_message[batch.pairs]
    pair_wn = batch.word_norm[pair_message]
    rows = tables.pair_rows[batch.pair_rows]
    b, r = best[pair_message], runner_up[pair_message]
    pair_margin = _pick(rows, b) * pair_wn - _pick(rows, r) * pair_wn
    rows, value = tables.cue_rows[batch.cue_index], batch.cue_value
    b, r = best[batch.cue_message], runner_up[batch.cue_message]
    cue_margin = _pick(rows, b) * value - _pick(rows, r) * value
    strong_word = word_margin > _THRESHOLD
    strong_word[strong_word] = _readable(batch, tables, ids[strong_word])
    message = np.concatenate((word_message, pair_message, batch.cue_message))
    margin = np.concatenate((word_margin, pair_margin, cue_margin))
    family = np.concatenate((
        np.full(len(words), _WORD), np.full(len(pair_margin), _PAIR), np.full(len(value), _CUE)
    ))  # fmt: skip
    item = np.concatenate((np.arange(len(words)), np.arange(len(pair_margin)),
                           np.arange(len(value))))  # fmt: skip
    keep = np.concatenate((strong_word, pair_margin > _THRESHOLD, cue_margin > _THRESHOLD))
    message, margin, family, item = message[keep], margin[keep], family[keep], item[keep]
    order = np.lexsort((-family, -margin, message))
    message, margin, family, item = message[order], margin[order], family[order], item[order]
    starts = np.searchsorted(message, np.arange(text.count + 1))
    chosen = np.arange(len(message)) - starts[message] < STRONGEST
    same = (message[1:] == message[:-1]) & (margin[1:] == margin[:-1]) & (family[1:] == family[:-1])
    tied = set(message[1:][same].tolist())
    labels = _labels(batch, tables, family[chosen], item[chosen])
    families = family[chosen].tolist()
    bounds = np.searchsorted(message[chosen], np.arange(text.count + 1)).tolist()
    reasons = []
    for m in range(text.count):
        if m in tied:  # equal margins in one family: the later text goes first, as tuples sort
            span = slice(starts[m], starts[m + 1])
            strongest = _by_text(batch, tables, margin[span], family[span], item[span])
        else:
            strongest = list(zip(families[bounds[m] : bounds[m + 1]],
                                 labels[bounds[m] : bounds[m + 1]], strict=True))  # fmt: skip
        reasons.append(reason_text(strongest))
    return reasons


def _pick(rows: Floats, columns: Ints) -> Floats:
    return rows[np.arange(len(rows)), columns]


def _readable(batch: BatchScores, tables: ModelTables, ids: Ints) -> Bools:
    known = len(tables.words)
    found = tables.readable[np.minimum(ids, known - 1)]
    text = batch.text
    for at in np.flatnonzero(ids >= known).tolist():
        found[at] = readable(text.word(int(text.new_words[ids[at] - known])))
    return found


def _labels(batch: BatchScores, tables: ModelTables, family: Ints, item: Ints) -> list[str]:
    """What reasons call each (family, item)."""
    text, known = batch.text, len(tables.words)
    labels = np.empty(len(family), dtype=object)
    word = family == _WORD
    ids = text.word_ids[batch.words[item[word]]]
    names = tables.word_labels[np.minimum(ids, known - 1)]
    for at in np.flatnonzero(ids >= known).tolist():
        names[at] = text.word(int(text.new_words[ids[at] - known]))
    labels[word] = names
    pair = family == _PAIR
    labels[pair] = tables.pair_labels[batch.pair_rows[item[pair]]]
    cue = family == _CUE
    phrase = batch.cue_phrase[item[cue]]
    labels[cue] = np.where(
        phrase >= 0,
        tables.phrase_labels[np.maximum(phrase, 0)],
        tables.cue_labels[batch.cue_index[item[cue]]],
    )
    return list(labels)


def _by_text(
    batch: BatchScores, tables: ModelTables, margin: Floats, family: Ints, item: Ints
) -> list[tuple[int, str]]:
    """The strongest evidence of one message, ordered by (margin, family, text) exactly."""
    labels = _labels(batch, tables, family, item)
    keys = []
    for f, i, label in zip(family.tolist(), item.tolist(), labels, strict=True):
        if f == _CUE:
            phrase = int(batch.cue_phrase[i])
            name = tables.cues[batch.cue_index[i]]
            keys.append(f"{name}\n{tables.phrases[phrase] if phrase >= 0 else ''}")
        else:
            keys.append(label if f == _WORD else label[1:-1])
    ranked = heapq.nlargest(
        STRONGEST, zip(margin.tolist(), family.tolist(), keys, labels, strict=True)
    )
    return [(f, label) for _, f, _, label in ranked]
