"""The kind model's weights as arrays, for scoring many messages at once (bot.judgement.kind_batch).

Every word the model or the cue rules know gets an id; a word of up to 11 characters also gets
an exact integer key (its characters as base-41 digits), so a batch can find its words with one
sorted search instead of a dictionary look-up per word. Word pairs, letter groups and phrase
families are keyed the same way. Letter-group sums of the known words are added up once here,
in the order training's dot product adds them, so scores stay exact to the last bit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.judgement.kind_features import (
    CHAR_SIZES,
    CHAR_WORD_LIMIT,
    CUE_INDEX,
    STOP_WORDS,
    cue_label,
)
from bot.judgement.kind_shapes import SHAPE_RULES, SHAPES, WORD_SETS

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Keys = npt.NDArray[np.uint64]
Bools = npt.NDArray[np.bool_]
Objects = npt.NDArray[np.object_]

KEYED_WORD = 16  # a word of up to 16 characters is known by two 8-byte keys
MAX_PHRASE = 5
_PADDED = CHAR_WORD_LIMIT + 2


def word_halves(word: str) -> tuple[int, int]:
    """A word's first 8 and next 8 characters as big-endian integers (0-padded)."""
    raw = word.encode("ascii")[:KEYED_WORD].ljust(KEYED_WORD, b"\0")
    return int.from_bytes(raw[:8], "big"), int.from_bytes(raw[8:], "big")


def mixed_key(first: Keys, second: Keys) -> Keys:
    """One 64-bit key for a word's two halves (the first alone when the second is 0)."""
    return first ^ (second * np.uint64(0x9E3779B97F4A7C15))


@dataclass(frozen=True)
class Lookup:
    """Integer keys -> rows, as an open-addressing hash table searched for many keys at once.

    A key sits at most `probes` slots after the slot its hash names, so a key not found
    within that many slots is not there: the answer is exact.
    """

    keys: Keys
    rows: Ints  # -1 for an empty slot
    probes: int
    shift: np.uint64

    @classmethod
    def of(cls, pairs: Mapping[int, int]) -> Lookup:
        """A look-up from key -> row (rows are non-negative)."""
        bits = max(4, (4 * len(pairs)).bit_length())
        keys = np.zeros(1 << bits, dtype=np.uint64)
        rows = np.full(1 << bits, -1, dtype=np.int64)
        shift = np.uint64(64 - bits)
        mask, probes = (1 << bits) - 1, 1
        wanted = np.array(sorted(pairs), dtype=np.uint64)
        for key, slot in zip(wanted.tolist(), _slots(wanted, shift).tolist(), strict=True):
            distance = 0
            while rows[(slot + distance) & mask] >= 0:
                distance += 1
            keys[(slot + distance) & mask], rows[(slot + distance) & mask] = key, pairs[key]
            probes = max(probes, distance + 1)
        return cls(keys, rows, probes, shift)

    def find(self, queries: npt.NDArray[np.uint64]) -> Ints:
        """The row of each query, -1 where the key is unknown."""
        # A query equal to an empty slot's key "finds" its row, -1: the right answer, since an
        # empty slot ends the search anyway. Most queries are settled at their first slot.
        slots = _slots(queries, self.shift)
        rows = self.rows.take(slots)
        hit = self.keys.take(slots) == queries
        found = np.where(hit, rows, -1)
        pending = np.flatnonzero(~hit & (rows >= 0))
        mask = len(self.keys) - 1
        slots = (slots[pending] + 1) & mask
        for _ in range(self.probes - 1):
            if not len(pending):
                break
            rows = self.rows.take(slots)
            hit = self.keys.take(slots) == queries.take(pending)
            found[pending[hit]] = rows[hit]
            going = ~hit & (rows >= 0)
            pending, slots = pending[going], (slots[going] + 1) & mask
        return found


def _slots(keys: Keys, shift: np.uint64) -> Ints:
    return ((keys * np.uint64(0x9E3779B97F4A7C15)) >> shift).astype(np.int64)  # wraps: a hash


@dataclass(frozen=True)
class PhraseLevel:
    """Phrases (or phrase beginnings) of one length: key -> family and phrase, and whether
    a longer phrase starts with it."""

    lookup: Lookup
    family: Ints  # per row: cue index, -1 when only a beginning
    phrase: Ints  # per row: index into ModelTables.phrases
    prefix: Bools  # per row: a longer phrase starts with this


@dataclass(frozen=True)
class ModelTables:
    """Arrays of one model's weights (KINDS order), indexed by word id, pair, gram and cue."""

    words: list[str]  # word id -> word
    word_ids: dict[str, int]
    keyed_words: Lookup  # mixed_key -> word id, for words of up to KEYED_WORD characters
    word_first: Keys  # word id -> word_halves()[0]
    word_second: Keys  # word id -> word_halves()[1]
    word_rows: Floats  # word id -> its own weights
    char_rows: Floats  # word id -> the sum of its letter groups' weights
    char_counts: Ints  # word id -> how many letter groups it has
    readable: Bools  # word id -> worth naming in a reason
    set_bits: Ints  # word id -> bit i set when the word is in kind_shapes.WORD_SETS[i]
    grams: Lookup  # gram_key -> row of gram_rows
    gram_rows: Floats
    pairs: Lookup  # first id * len(words) + second id -> row of pair_rows
    pair_rows: Floats
    pair_names: list[str]  # row of pair_rows -> "first second"
    lexicon_ids: Ints  # word id -> its id among phrase words (from 1), 0 if in no phrase
    lexicon_bits: int
    levels: list[PhraseLevel]  # phrases of 1..MAX_PHRASE words
    phrases: list[str]
    cues: list[str]  # cue index -> feature name ("cue:…", "shape:…")
    shape_cues: Ints  # cue index of each shape rule, in kind_shapes.shape_flags' order
    cue_rows: Floats
    cue_weighted: Bools
    # What reasons call them: word id -> word, pair row -> "'first second'", phrase -> its
    # family's label with the phrase, cue -> its label (for shapes, which have no phrase).
    word_labels: Objects
    pair_labels: Objects
    phrase_labels: Objects
    cue_labels: Objects

    @classmethod
    def build(cls, weights: Mapping[str, Sequence[float]]) -> ModelTables:
        """Tables for a model's weights by feature name."""
        known = {name[2:] for name in weights if name.startswith("w:")}
        for name in weights:
            if name.startswith("b:"):
                known.update(name[2:].split(" "))
        for phrase in CUE_INDEX:
            known.update(phrase.split(" "))
        for group in WORD_SETS:
            known.update(group)
        words = sorted(known | STOP_WORDS)
        ids = {w: i for i, w in enumerate(words)}
        halves = np.array([word_halves(w) for w in words], dtype=np.uint64).reshape(-1, 2)
        mixed = mixed_key(halves[:, 0], halves[:, 1])
        keyed = {int(mixed[i]): i for w, i in ids.items() if len(w) <= KEYED_WORD}
        zero = (0.0, 0.0, 0.0, 0.0)
        gram_names = sorted(n[2:] for n in weights if n.startswith("c:"))
        grams = Lookup.of({gram_key(g): i for i, g in enumerate(gram_names)})
        gram_rows = _rows(weights[f"c:{g}"] for g in gram_names)
        char_rows, char_counts = char_sums(_codes(words), grams, gram_rows)
        pair_names = sorted(n[2:] for n in weights if n.startswith("b:"))
        count = len(words)
        pairs = {}
        for i, pair in enumerate(pair_names):
            first, second = pair.split(" ")
            pairs[ids[first] * count + ids[second]] = i
        lexicon, bits, levels, phrases, cues = _phrase_tables(ids)
        cues += list(SHAPES)
        return cls(
            words=words,
            word_ids=ids,
            keyed_words=Lookup.of(keyed),
            word_first=halves[:, 0].copy(),
            word_second=halves[:, 1].copy(),
            word_rows=_rows(weights.get(f"w:{w}", zero) for w in words),
            char_rows=char_rows,
            char_counts=char_counts,
            readable=np.array([readable(w) for w in words], dtype=np.bool_),
            set_bits=np.array(
                [sum(1 << i for i, s in enumerate(WORD_SETS) if w in s) for w in words],
                dtype=np.int64,
            ),
            grams=grams,
            gram_rows=gram_rows,
            pairs=Lookup.of(pairs),
            pair_rows=_rows(weights[f"b:{p}"] for p in pair_names),
            pair_names=pair_names,
            lexicon_ids=lexicon,
            lexicon_bits=bits,
            levels=levels,
            phrases=phrases,
            cues=cues,
            cue_rows=_rows(weights.get(c, zero) for c in cues),
            cue_weighted=np.array([c in weights for c in cues], dtype=np.bool_),
            shape_cues=np.array([cues.index(name) for name in SHAPE_RULES], dtype=np.int64),
            word_labels=_objects(words),
            pair_labels=_objects(f"'{p}'" for p in pair_names),
            phrase_labels=_objects(
                cue_label(f"cue:{CUE_INDEX[p][2]}", p) for p in phrases
            ),
            cue_labels=_objects(cue_label(c, "") for c in cues),
        )


def readable(word: str) -> bool:
    """Whether a word is worth naming in a reason (not a stop word, a number or too short)."""
    return word not in STOP_WORDS and len(word) > 2 and not word.isdigit()


def gram_key(gram: str) -> int:
    """A letter group's exact key: its (ASCII) characters as bytes."""
    return int.from_bytes(gram.encode("ascii"), "big")


def char_sums(codes: npt.NDArray[np.uint8], grams: Lookup, rows: Floats) -> tuple[Floats, Ints]:
    """For words given as character codes (one row each, at most CHAR_WORD_LIMIT, 0-padded):
    the sum of their letter groups' weights, added in char_grams' order, and the groups' count."""
    count = len(codes)
    lengths = np.count_nonzero(codes, axis=1) + 2
    padded = np.zeros((count, _PADDED), dtype=np.uint64)
    padded[:, 1 : CHAR_WORD_LIMIT + 1] = codes
    padded[np.arange(count), 0] = 32
    padded[np.arange(count), lengths - 1] = 32
    keys, valid = [], []
    for size in CHAR_SIZES:  # the groups in char_grams' order: by size, then by start
        width = _PADDED - size + 1
        key = padded[:, :width].copy()
        for offset in range(1, size):
            key = (key << np.uint64(8)) | padded[:, offset : offset + width]
        keys.append(key.T)
        valid.append((np.arange(width) + size)[:, None] <= lengths)
    # group-major, so each word's groups come in order; compress: faster than a boolean index
    inside = np.flatnonzero(np.concatenate(valid))
    found = grams.find(np.concatenate(keys).take(inside))
    hit = found >= 0
    word = np.compress(hit, inside) % max(count, 1)
    added = rows.take(np.compress(hit, found), axis=0)
    sums = np.zeros((4, count))
    for k in range(4):  # np.add.at adds in index order: each word's sum runs in training's order
        np.add.at(sums[k], word, added[:, k])
    counts = sum(np.maximum(lengths - size + 1, 0) for size in CHAR_SIZES)
    return np.ascontiguousarray(sums.T), np.asarray(counts, dtype=np.int64)


def _codes(words: list[str]) -> npt.NDArray[np.uint8]:
    text = "".join(w[:CHAR_WORD_LIMIT].ljust(CHAR_WORD_LIMIT, "\0") for w in words)
    flat = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return flat.reshape(len(words), CHAR_WORD_LIMIT)


def _objects(items: Iterable[str]) -> Objects:
    values = list(items)
    found = np.empty(len(values), dtype=object)
    found[:] = values
    return found


def _rows(rows: Iterable[Sequence[float]]) -> Floats:
    return np.array([tuple(r) for r in rows], dtype=np.float64).reshape(-1, 4)


def _phrase_tables(
    ids: dict[str, int],
) -> tuple[Ints, int, list[PhraseLevel], list[str], list[str]]:
    """Phrase families by length, keyed by their words' ids among phrase words."""
    phrase_words = sorted({w for phrase in CUE_INDEX for w in phrase.split(" ")})
    lexicon = {w: i + 1 for i, w in enumerate(phrase_words)}  # 0 never names a word
    bits = len(phrase_words).bit_length()
    assert bits * MAX_PHRASE < 64, "too many phrase words for a 64-bit key"
    cues = list(dict.fromkeys(f"cue:{cue[2]}" for cue in CUE_INDEX.values()))
    phrases = list(CUE_INDEX)
    entries: list[dict[int, tuple[int, int, bool]]] = [{} for _ in range(MAX_PHRASE)]
    for number, (phrase, cue) in enumerate(CUE_INDEX.items()):
        parts = phrase.split(" ")
        key = 0
        for length, word in enumerate(parts, start=1):
            key = (key << bits) | lexicon[word]
            level = entries[length - 1]
            family, found, longer = level.get(key, (-1, -1, False))
            if length == len(parts):
                family, found = cues.index(f"cue:{cue[2]}"), number
            else:
                longer = True
            level[key] = (family, found, longer)
    levels = []
    for level in entries:
        order = sorted(level)
        levels.append(
            PhraseLevel(
                Lookup.of({key: row for row, key in enumerate(order)}),
                np.array([level[k][0] for k in order], dtype=np.int64),
                np.array([level[k][1] for k in order], dtype=np.int64),
                np.array([level[k][2] for k in order], dtype=np.bool_),
            )
        )
    word_lexicon = np.zeros(len(ids), dtype=np.int64)
    for word, i in ids.items():
        word_lexicon[i] = lexicon.get(word, 0)
    return word_lexicon, bits, levels, phrases, cues
