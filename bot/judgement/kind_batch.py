"""The kind model's scores for many messages at once, exact to training's dot product.

Training defines a message's features one message at a time (kind_features.message_features);
this module computes the same dot product for a whole batch with arrays: the batch's words
(kind_text), their letter groups and pairs (kind_tables), phrase families found by their words'
ids, and the shape rules answered by kind_facts. Sums run in the order the per-message
definition adds them (`np.add.at` adds in index order), so every score is the same float.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.judgement.kind_facts import BatchFacts
from bot.judgement.kind_features import CHAR_SCALE, CHAR_WORD_LIMIT
from bot.judgement.kind_shapes import shape_flags
from bot.judgement.kind_tables import Bools, Floats, Ints, ModelTables, char_sums
from bot.judgement.kind_text import BatchText

_SHAPE_ORDER = 1 << 40  # shape cues come after every phrase family, in rule order


@dataclass
class BatchScores:
    """Raw scores per message (KINDS order) and the pieces behind them, for reasons."""

    text: BatchText
    scores: Floats  # (messages, 4)
    word_norm: Floats
    char_norm: Floats
    words: Ints  # index of each distinct word's first occurrence, in text order
    word_rows: Floats  # word id -> own weights (known words, then the batch's new ones)
    char_rows: Floats  # word id -> its letter groups' weights
    pairs: Ints  # index of the first word of each distinct weighted pair, in text order
    pair_rows: Ints  # row of tables.pair_rows for each of them
    cue_message: Ints  # each weighted cue of each message, in the order they are summed
    cue_index: Ints  # index into tables.cues
    cue_value: Floats
    cue_phrase: Ints  # index into tables.phrases, -1 for shape cues


def score_batch(
    tables: ModelTables, bias: Sequence[float], bodies: list[str], forwarded: Any, is_reply: Any
) -> BatchScores:
    """Scores of non-empty cleaned messages; `forwarded`/`is_reply`: a bool or one per message."""
    text = BatchText.read(bodies, tables)
    n, known = text.count, len(tables.words)
    ids, message = text.word_ids, text.word_message
    new_codes = _word_codes(text, text.new_words)
    new_chars, new_counts = char_sums(new_codes, tables.grams, tables.gram_rows)
    word_rows = np.concatenate((tables.word_rows, np.zeros((len(text.new_words), 4))))
    char_rows = np.concatenate((tables.char_rows, new_chars))
    char_counts = np.concatenate((tables.char_counts, new_counts))
    everything = known + len(text.new_words)
    # take and compress below: faster than fancy and boolean indexing, same arrays
    words = _first_occurrences(message, ids, np.zeros_like(ids), n, everything)
    follows = np.flatnonzero(message[1:] == message[:-1])  # word i and word i + 1 form a pair
    firsts, seconds = ids.take(follows), ids.take(follows + 1)
    pairs = follows.take(_first_occurrences(message.take(follows), firsts, seconds, n, everything))
    word_of, word_ids = message.take(words), ids.take(words)
    pair_of = message.take(pairs)
    distinct = np.bincount(word_of, minlength=n)
    pair_count = np.bincount(pair_of, minlength=n)
    chars = np.bincount(word_of, weights=char_counts.take(word_ids), minlength=n)
    word_norm = _powers(distinct + pair_count, 1.0) * (distinct > 0)
    char_norm = _powers(chars.astype(np.int64), CHAR_SCALE)
    first, second = ids.take(pairs), ids.take(pairs + 1)
    weighted = (first < known) & (second < known)
    rows = np.full(len(pairs), -1, dtype=np.int64)
    keys = np.compress(weighted, first) * known + np.compress(weighted, second)
    rows[weighted] = tables.pairs.find(keys.astype(np.uint64))
    found = rows >= 0
    pairs, rows, pair_of = (np.compress(found, a) for a in (pairs, rows, pair_of))
    own = _sums(n, word_of, word_rows.take(word_ids, axis=0))
    grams = _sums(n, word_of, char_rows.take(word_ids, axis=0))
    paired = _sums(n, pair_of, tables.pair_rows.take(rows, axis=0))
    scores = np.asarray(bias, dtype=np.float64) + (
        own * word_norm[:, None] + grams * char_norm[:, None]
    )
    scores += paired * word_norm[:, None]
    shapes = _shapes(tables, text, bodies, forwarded, is_reply)
    cue_message, cue_index, cue_value, cue_phrase = _cues(tables, text, shapes)
    keep = tables.cue_weighted.take(cue_index)
    cue_message, cue_index = np.compress(keep, cue_message), np.compress(keep, cue_index)
    cue_value, cue_phrase = np.compress(keep, cue_value), np.compress(keep, cue_phrase)
    totals = np.ascontiguousarray(scores.T)  # each cue is added to the running total in turn
    added = tables.cue_rows.take(cue_index, axis=0) * cue_value[:, None]
    for k in range(4):
        np.add.at(totals[k], cue_message, added[:, k])
    return BatchScores(
        text, totals.T, word_norm, char_norm, words, word_rows, char_rows, pairs, rows,
        cue_message, cue_index, cue_value, cue_phrase,
    )  # fmt: skip


def _word_codes(text: BatchText, occurrences: Ints) -> Any:
    """The first CHAR_WORD_LIMIT characters of the words at these indices, 0-padded."""
    starts = text.word_starts[occurrences]
    lengths = np.minimum(text.word_ends[occurrences] - starts, CHAR_WORD_LIMIT)
    at = starts[:, None] + np.arange(CHAR_WORD_LIMIT)
    codes = text.ascii[np.minimum(at, len(text.ascii) - 1)]
    codes[np.arange(CHAR_WORD_LIMIT) >= lengths[:, None]] = 0
    return codes


def _first_occurrences(message: Ints, first: Ints, second: Ints, n: int, ids: int) -> Ints:
    """Indices (sorted) of the first occurrence of each distinct (message, first, second)."""
    count = len(message)
    if not count:
        return np.zeros(0, dtype=np.int64)
    position_bits, id_bits = count.bit_length(), ids.bit_length()
    if n.bit_length() + 2 * id_bits + position_bits <= 63:
        packed = (((message << id_bits) | first) << id_bits | second) << position_bits
        ordered = np.sort(packed | np.arange(count))
        group = ordered >> position_bits
        starts = np.flatnonzero(np.diff(group, prepend=-1) != 0)
        return _in_order(ordered[starts] & ((1 << position_bits) - 1), count)
    order = np.lexsort((np.arange(count), second, first, message))
    keys = np.stack((message[order], first[order], second[order]))
    starts = np.flatnonzero(np.any(np.diff(keys, axis=1, prepend=-1) != 0, axis=0))
    return _in_order(order[starts], count)


def _in_order(indices: Ints, count: int) -> Ints:
    """Distinct indices below `count`, sorted (a mask is faster than a sort)."""
    mask = np.zeros(count, dtype=np.bool_)
    mask[indices] = True
    return np.flatnonzero(mask)


def _sums(n: int, message: Ints, rows: Floats) -> Floats:
    """Per message, its rows added one after another in index order (from 0.0)."""
    totals = np.zeros((4, n))
    for k in range(4):
        np.add.at(totals[k], message, rows[:, k])
    return totals.T


def _powers(values: Ints, scale: float) -> Floats:
    """scale * v ** -0.5 per value (0 for 0), computed by Python as the definition does."""
    distinct, where = np.unique(values, return_inverse=True)
    table = [scale * v**-0.5 if v else 0.0 for v in distinct.tolist()]
    return np.asarray(table, dtype=np.float64)[where.ravel()]


def _per_word(table: Ints, text: BatchText) -> Ints:
    """A known word's entry of the table for each word of the batch, 0 for a new word (the
    table extended by the batch's new words, then one gather)."""
    return np.concatenate((table, np.zeros(len(text.new_words), dtype=table.dtype))).take(
        text.word_ids
    )


def _shapes(
    tables: ModelTables, text: BatchText, bodies: list[str], forwarded: Any, is_reply: Any
) -> Bools:
    """The shape rules' answers for the batch: one row per rule (in order), one column per
    message."""
    set_bits = _per_word(tables.set_bits, text)
    flags = shape_flags(BatchFacts(bodies, text, set_bits, forwarded, is_reply))
    return np.stack([np.broadcast_to(flag, (text.count,)) for flag in flags.values()])


def _cues(tables: ModelTables, text: BatchText, shapes: Bools) -> tuple[Ints, Ints, Floats, Ints]:
    """Every named cue of every message, ordered as kind_features.named_cues lists them."""
    ids, message = text.word_ids, text.word_message
    lexicon = _per_word(tables.lexicon_ids, text)
    found_at, found_length, found_family, found_phrase = [], [], [], []
    starts = np.flatnonzero(lexicon > 0)
    keys = lexicon.take(starts).astype(np.uint64)
    bits = np.uint64(tables.lexicon_bits)
    for length, level in enumerate(tables.levels, start=1):
        if length > 1:  # extend each phrase beginning by the next word of its message
            last = starts + length - 1
            ok = last < len(ids)
            starts, keys, last = np.compress(ok, starts), np.compress(ok, keys), last[ok]
            ok = (message.take(last) == message.take(starts)) & (lexicon.take(last) > 0)
            starts, keys, last = np.compress(ok, starts), np.compress(ok, keys), last.compress(ok)
            keys = (keys << bits) | lexicon.take(last).astype(np.uint64)
        rows = level.lookup.find(keys)
        ok = rows >= 0
        starts, keys, rows = np.compress(ok, starts), np.compress(ok, keys), np.compress(ok, rows)
        family = level.family.take(rows)
        hit = family >= 0
        found_at.append(np.compress(hit, starts))
        found_length.append(np.full(int(hit.sum()), length))
        found_family.append(np.compress(hit, family))
        found_phrase.append(level.phrase.take(np.compress(hit, rows)))
        longer = level.prefix.take(rows)
        starts, keys = np.compress(longer, starts), np.compress(longer, keys)
    at, size = np.concatenate(found_at), np.concatenate(found_length)
    family, phrase = np.concatenate(found_family), np.concatenate(found_phrase)
    where = message.take(at)  # take below: faster than fancy indexing, same arrays
    order = np.lexsort((size, at, family, where))
    where, family, phrase = where.take(order), family.take(order), phrase.take(order)
    first = at.take(order) * 8 + size.take(order)
    group = np.flatnonzero(np.diff(where * len(tables.cues) + family, prepend=-1) != 0)
    hits = np.diff(np.append(group, len(order)))
    messages = [where.take(group)]
    orders = [first.take(group)]
    cues = [family.take(group)]
    values = [np.minimum(hits, 3).astype(np.float64)]
    phrases = [phrase.take(group)]
    rank, shaped = np.nonzero(shapes)  # rule by rule, then message by message
    messages.append(shaped)
    orders.append(_SHAPE_ORDER + rank)
    cues.append(tables.shape_cues.take(rank))
    values.append(np.ones(len(shaped)))
    phrases.append(np.full(len(shaped), -1))
    all_messages, all_orders = np.concatenate(messages), np.concatenate(orders)
    order = np.lexsort((all_orders, all_messages))
    return (
        all_messages.take(order),
        np.concatenate(cues).take(order),
        np.concatenate(values).take(order),
        np.concatenate(phrases).take(order),
    )
