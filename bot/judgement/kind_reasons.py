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
from bot.judgement.kind_tables import Bools, Floats, Ints, ModelTables, Objects, readable

STRONGEST = 8
THRESHOLD = 0.05
WORD, PAIR, CUE = 2, 1, 0  # family ranks: "word" > "pair" > "cue", as strings compare
_NAMED = {WORD: "words", PAIR: "phrases"}
NO_CUE = "no strong cue"


def reason_text(strongest: list[tuple[int, str]]) -> str:
    """A reason from the evidence, strongest first: (family, label) with a word's label the
    word, a pair's "'first second'", a cue's what kind_features.cue_label calls it."""
    parts: list[str] = []
    words: list[str] = []
    pairs: list[str] = []
    for family, label in strongest:
        if family == CUE:
            parts.append(label)
            continue
        members = words if family == WORD else pairs
        if not members:
            parts.append(_NAMED[family])  # stands for the family, filled in below
        members.append(label)
    if not parts:
        return NO_CUE
    shown = parts[:3]
    for family, members in ((WORD, words), (PAIR, pairs)):
        if members and _NAMED[family] in shown:
            at = shown.index(_NAMED[family])
            shown[at] = f"{_NAMED[family]} ({', '.join(members[:3])})"
    return ", ".join(shown)


def batch_reasons(
    batch: BatchScores, tables: ModelTables, best: Ints, runner_up: Ints
) -> list[str]:
    """The reason for each message of the batch, given its chosen and runner-up kinds."""
    text = batch.text
    # Weights are read from the (rows, 4) tables flat, at row * 4 + kind, with take: faster
    # than indexing by (row, kind) pairs.
    word_message = text.word_message.take(batch.words)
    ids = text.word_ids.take(batch.words)
    wn, cn = batch.word_norm.take(word_message), batch.char_norm.take(word_message)
    b, r = ids * 4 + best.take(word_message), ids * 4 + runner_up.take(word_message)
    own, letters = batch.word_rows.ravel(), batch.char_rows.ravel()
    word_margin = (own.take(b) * wn + letters.take(b) * cn) - (
        own.take(r) * wn + letters.take(r) * cn
    )
    words = np.flatnonzero(word_margin > THRESHOLD)
    words = np.compress(_readable(batch, tables, ids.take(words)), words)
    pair_message = text.word_message.take(batch.pairs)
    pair_wn = batch.word_norm.take(pair_message)
    rows = tables.pair_rows.ravel()
    b = batch.pair_rows * 4 + best.take(pair_message)
    r = batch.pair_rows * 4 + runner_up.take(pair_message)
    pair_margin = rows.take(b) * pair_wn - rows.take(r) * pair_wn
    pairs = np.flatnonzero(pair_margin > THRESHOLD)
    rows, value = tables.cue_rows.ravel(), batch.cue_value
    b = batch.cue_index * 4 + best.take(batch.cue_message)
    r = batch.cue_index * 4 + runner_up.take(batch.cue_message)
    cue_margin = rows.take(b) * value - rows.take(r) * value
    cues = np.flatnonzero(cue_margin > THRESHOLD)
    # take and compress below: faster than fancy and boolean indexing, same arrays
    message = np.concatenate(
        (word_message.take(words), pair_message.take(pairs), batch.cue_message.take(cues))
    )
    margin = np.concatenate(
        (word_margin.take(words), pair_margin.take(pairs), cue_margin.take(cues))
    )
    family = np.repeat([WORD, PAIR, CUE], [len(words), len(pairs), len(cues)])
    item = np.concatenate((words, pairs, cues))
    # By message, then margin (largest first), then family: the evidence is concatenated
    # family by family (words, pairs, cues), so stable sorts keep equal margins in family order.
    order = np.argsort(-margin, kind="stable")
    order = order.take(np.argsort(_small(message.take(order)), kind="stable"))
    message, margin = message.take(order), margin.take(order)
    family, item = family.take(order), item.take(order)
    starts = np.searchsorted(message, np.arange(text.count + 1))
    same = (message[1:] == message[:-1]) & (margin[1:] == margin[:-1]) & (family[1:] == family[:-1])
    tied = np.zeros(text.count, dtype=np.bool_)
    tied[np.compress(same, message[1:])] = True  # equal margins in one family: text decides
    chosen = (np.arange(len(message)) - starts.take(message) < STRONGEST) & ~tied.take(message)
    families, items = np.compress(chosen, family), np.compress(chosen, item)
    reasons = _assemble(
        text.count, np.compress(chosen, message), families, _labels(batch, tables, families, items)
    )
    for m in np.flatnonzero(tied).tolist():
        span = slice(starts[m], starts[m + 1])
        reasons[m] = reason_text(_by_text(batch, tables, margin[span], family[span], item[span]))
    return reasons


def _assemble(count: int, message: Ints, family: Ints, labels: Objects) -> list[str]:
    """reason_text for every message at once, from its evidence in order (message-major):
    the pieces of all reasons are put in order and joined, then split at NUL."""
    word, pair = family == WORD, family == PAIR
    pieces_of = np.bincount(message, minlength=count)
    first = (np.cumsum(pieces_of) - pieces_of)[message]  # each piece's message's first piece
    word_rank = _rank_within(message, word, first)
    pair_rank = _rank_within(message, pair, first)
    opens = (family == CUE) | (word & (word_rank == 0)) | (pair & (pair_rank == 0))
    part = _rank_within(message, opens, first)  # the part each opening piece begins
    shown = opens & (part < 3)
    # the part a word or pair joins: the one its family's first member opened
    family_part = np.full(len(family), 3)
    for members, rank in ((word, word_rank), (pair, pair_rank)):
        opener = np.flatnonzero(members & (rank == 0))
        owner = np.searchsorted(message[opener], message[members])
        family_part[members] = part[opener[owner]]
    rank = np.where(word, word_rank, pair_rank)
    member = (word | pair) & (family_part < 3) & (rank < 3)
    # pieces: (message, part, step, text); step 1 opens a part, 3, 5, 7 add members, 8 closes,
    # and the step before an opening or a member separates it from what came before
    opening = labels.copy()
    opening[word], opening[pair] = "words (", "phrases ("
    closing = shown & (word | pair)
    later_part = shown & (part > 0)
    later_member = member & (rank > 0)
    ends = np.arange(count)
    pieces = [
        (message[shown], part[shown], np.ones(int(shown.sum())), opening[shown]),
        (message[later_part], part[later_part], np.zeros(int(later_part.sum())),
         _texts(later_part, ", ")),
        (message[member], family_part[member], 2 * rank[member] + 3, labels[member]),
        (message[later_member], family_part[later_member], 2 * rank[later_member] + 2,
         _texts(later_member, ", ")),
        (message[closing], part[closing], np.full(int(closing.sum()), 8), _texts(closing, ")")),
        (ends, np.full(count, 9), np.zeros(count), _texts(np.ones(count, np.bool_), "\0")),
    ]
    where = np.concatenate([p[0] for p in pieces])
    order = np.lexsort((np.concatenate([p[2] for p in pieces]),
                        np.concatenate([p[1] for p in pieces]), where))  # fmt: skip
    joined = "".join(np.concatenate([p[3] for p in pieces])[order].tolist())
    return [reason or NO_CUE for reason in joined.split("\0")[:count]]


def _small(values: Ints) -> Ints:
    """Non-negative ints in the smallest type that holds them (numpy sorts 16-bit ints fastest)."""
    return values.astype(np.int16) if len(values) and values.max() < 1 << 15 else values


def _texts(mask: Bools, text: str) -> Objects:
    found = np.empty(int(mask.sum()), dtype=object)
    found[:] = text
    return found


def _rank_within(message: Ints, mask: Bools, first: Ints) -> Ints:
    """For each entry, how many entries of its message before it have `mask` set."""
    before = np.concatenate(([0], np.cumsum(mask, dtype=np.int32)))
    return before[np.arange(len(mask))] - before[first]


def _readable(batch: BatchScores, tables: ModelTables, ids: Ints) -> Bools:
    """readable() of each word. A new word is no stop word (the tables hold them all) and is
    ASCII, so it is a number only when it starts with a digit: only those are read as text."""
    known, text = len(tables.words), batch.text
    found = tables.readable[np.minimum(ids, known - 1)]
    new = np.flatnonzero(ids >= known)
    if len(new):
        some = text.new_words[ids[new] - known]
        starts = text.word_starts[some]
        found[new] = long = text.word_ends[some] - starts > 2
        number = long & (text.ascii[starts] - np.uint8(48) < 10)  # below "0" wraps above "9"
        if number.any():
            found[new[number]] = [readable(word) for word in text.words_at(some[number])]
    return found


def _labels(batch: BatchScores, tables: ModelTables, family: Ints, item: Ints) -> Objects:
    """What reasons call each (family, item)."""
    text, known = batch.text, len(tables.words)
    labels = np.empty(len(family), dtype=object)
    word = family == WORD
    ids = text.word_ids[batch.words[item[word]]]
    names = tables.word_labels[np.minimum(ids, known - 1)]
    new = np.flatnonzero(ids >= known)
    if len(new):
        names[new] = np.array(text.words_at(text.new_words[ids[new] - known]), dtype=object)
    labels[word] = names
    pair = family == PAIR
    labels[pair] = tables.pair_labels[batch.pair_rows[item[pair]]]
    cue = family == CUE
    phrase = batch.cue_phrase[item[cue]]
    labels[cue] = np.where(
        phrase >= 0,
        tables.phrase_labels[np.maximum(phrase, 0)],
        tables.cue_labels[batch.cue_index[item[cue]]],
    )
    return labels


def _by_text(
    batch: BatchScores, tables: ModelTables, margin: Floats, family: Ints, item: Ints
) -> list[tuple[int, str]]:
    """The strongest evidence of one message, ordered by (margin, family, text) exactly."""
    labels = _labels(batch, tables, family, item)
    keys = []
    for f, i, label in zip(family.tolist(), item.tolist(), labels, strict=True):
        if f == CUE:
            phrase = int(batch.cue_phrase[i])
            name = tables.cues[batch.cue_index[i]]
            keys.append(f"{name}\n{tables.phrases[phrase] if phrase >= 0 else ''}")
        else:
            keys.append(label if f == WORD else label[1:-1])
    ranked = heapq.nlargest(
        STRONGEST, zip(margin.tolist(), family.tolist(), keys, labels, strict=True)
    )
    return [(f, str(label)) for _, f, _, label in ranked]
