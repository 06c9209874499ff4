"""Many cleaned messages as arrays: their lower-cased characters and their words.

The messages are joined with NUL between them and lower-cased once; every character becomes
one array element (its code point). Words are found as kind_features.tokens finds them (runs of
a-z and 0-9, an apostrophe and letters after a run, and + # @ alone), but for the whole batch
at once; the rare message where apostrophes chain ("a'b'c") is read by that regular expression.
Each word gets an id: the model's id for a known word, a fresh one past them for a new word.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from bot.judgement.kind_features import TOKEN
from bot.judgement.kind_tables import Bools, Ints, Keys, ModelTables, mixed_key

_LETTER, _DIGIT, _APOSTROPHE, _SYMBOL = 1, 2, 3, 4
_CLASS = np.zeros(128, dtype=np.uint8)
for _c in range(128):
    _ch = chr(_c)
    if "a" <= _ch <= "z":
        _CLASS[_c] = _LETTER
    elif "0" <= _ch <= "9":
        _CLASS[_c] = _DIGIT
    elif _ch == "'":
        _CLASS[_c] = _APOSTROPHE
    elif _ch in "+#@":
        _CLASS[_c] = _SYMBOL
_WIDE = 16  # characters read per word as two 8-byte keys; longer words are sliced as text
# The mask keeping the first k bytes of a big-endian 8-byte key, by k (0 to 8).
_KEEP = np.array([(1 << 64) - (1 << (64 - 8 * k)) for k in range(9)], dtype=np.uint64)


@dataclass
class BatchText:
    """The lower-cased characters and the words of a batch of non-empty cleaned messages."""

    count: int  # messages
    nul_free: bool  # no message holds a NUL of its own
    low: str  # lower-cased messages joined by NUL, with a NUL after the last
    codes: npt.NDArray[np.uint32]  # one code point per character of `low`
    ascii: npt.NDArray[np.uint8]  # the same, 127 standing for any non-ASCII character
    starts: Ints  # per message: index of its first character
    ends: Ints  # per message: index of the NUL after it
    word_starts: Ints  # per word, in text order
    word_ends: Ints
    word_message: Ints
    word_ids: Ints  # tables' id for known words, len(tables.words) + k for the k-th new word
    new_words: Ints  # per new word: index of one of its occurrences
    run_starts: Ints  # the runs of letters and digits (for facts about messages)
    run_ends: Ints

    @classmethod
    def read(cls, bodies: list[str], tables: ModelTables) -> BatchText:
        """Arrays for `bodies` (each non-empty, as kind_features.clean returns it)."""
        joined = "\0".join(bodies)
        nul_free = joined.count("\0") == len(bodies) - 1
        if not nul_free:  # a NUL inside a message is not a word
            joined = "\0".join(body.replace("\0", " ") for body in bodies)
        low, codes = lower_codes(joined + "\0")
        ascii_codes = np.minimum(codes, 127).astype(np.uint8)
        ends = np.flatnonzero(ascii_codes == 0)  # a byte a character: faster to scan
        starts = np.concatenate(([0], ends[:-1] + 1))
        padded = np.concatenate((ascii_codes, np.zeros(_WIDE + 1, dtype=np.uint8)))
        word_starts, word_ends, run_starts, run_ends = _words(padded, low, ends)
        word_message = owners(word_starts, ends)
        ids, new_words = _word_ids(padded, low, word_starts, word_ends, tables)
        return cls(
            count=len(bodies),
            nul_free=nul_free,
            low=low,
            codes=codes,
            ascii=ascii_codes,
            starts=starts,
            ends=ends,
            word_starts=word_starts,
            word_ends=word_ends,
            word_message=word_message,
            word_ids=ids,
            new_words=new_words,
            run_starts=run_starts,
            run_ends=run_ends,
        )

    def word(self, index: int) -> str:
        """The text of the word at this index."""
        return self.low[self.word_starts[index] : self.word_ends[index]]

    def words_at(self, indices: Ints) -> list[str]:
        """The texts of the words at these indices."""
        return _texts(self.low, self.word_starts[indices], self.word_ends[indices])

    def message_of(self, positions: Ints) -> Ints:
        """The message each character position belongs to."""
        return np.searchsorted(self.ends, positions)


def lower_codes(text: str) -> tuple[str, npt.NDArray[np.uint32]]:
    """text.lower() and its code points. str.lower() reads text with characters beyond ASCII
    one character at a time; when none of them changes in lower case (emoji, dashes, most
    scripts), lower-casing the ASCII capitals of the code points gives the same, faster."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    wide = np.unique(np.compress(codes > 127, codes)).tolist()
    if not all(map(_keeps_case, wide)):
        low = text.lower()
        return low, np.frombuffer(low.encode("utf-32-le"), dtype=np.uint32)
    codes = codes + ((codes - np.uint32(65) < 26) << np.uint32(5))  # wraps below "A": no
    return codes.tobytes().decode("utf-32-le"), codes


@cache
def _keeps_case(code: int) -> bool:
    return chr(code).lower() == chr(code)


def _words(
    padded: npt.NDArray[np.uint8], low: str, ends: Ints
) -> tuple[Ints, Ints, Ints, Ints]:
    """Start and end of each word, in text order, and of each run of letters and digits."""
    # Classes by comparisons (vectorised, unlike a table look-up per character); a byte
    # below the range wraps above it.
    digit = padded - np.uint8(48) < 10
    alnum = digit | (padded - np.uint8(97) < 26)
    # Runs open and close in turn (the padding closes the last one).
    edges = np.flatnonzero(changes(alnum))
    run_starts, run_ends = edges[0::2], edges[1::2]
    # A run followed by an apostrophe and a letter takes the letters after it ("don't").
    joins = (padded.take(run_ends) == ord("'")) & (
        _CLASS.take(padded.take(run_ends + 1)) == _LETTER
    )
    joining = np.flatnonzero(joins)
    starts, finish = run_starts.copy(), run_ends.copy()
    hard = np.zeros(0, dtype=np.int64)
    if len(joining):
        digits = np.concatenate(([0], np.cumsum(digit, dtype=np.int32)))  # int32: faster
        taken = joining + 1  # the run the apostrophe's letters start
        mixed = digits[run_ends[taken]] > digits[run_starts[taken]]
        chained = joins[np.minimum(taken, len(joins) - 1)] & (taken < len(joins))
        hard = np.searchsorted(ends, run_starts[joining[mixed | chained]])
        finish[joining] = run_ends[taken]
        keep = np.ones(len(starts), dtype=np.bool_)
        keep[taken] = False
        starts, finish = np.compress(keep, starts), np.compress(keep, finish)
    symbols = np.flatnonzero((padded == ord("+")) | (padded == ord("#")) | (padded == ord("@")))
    at = np.searchsorted(starts, symbols)
    starts, finish = np.insert(starts, at, symbols), np.insert(finish, at, symbols + 1)
    if len(hard):
        starts, finish = _retokenise(low, ends, np.unique(hard), starts, finish)
    return starts, finish, run_starts, run_ends


def changes(flags: Bools) -> Bools:
    """Where each flag differs from the one before it (from False before the first): a
    boolean array, which np.flatnonzero reads several times faster than differences of ints."""
    found = np.empty(len(flags), dtype=np.bool_)
    if len(flags):
        found[0] = flags[0]
        np.not_equal(flags[1:], flags[:-1], out=found[1:])
    return found


def _retokenise(
    low: str, ends: Ints, messages: Ints, starts: Ints, finish: Ints
) -> tuple[Ints, Ints]:
    """Words of the given messages as the regular expression reads them, in place of ours."""
    owner = np.searchsorted(ends, starts)
    keep = ~np.isin(owner, messages)
    first = np.concatenate(([0], ends[:-1] + 1))
    spans = [
        m.span()
        for message in messages.tolist()
        for m in TOKEN.finditer(low, int(first[message]), int(ends[message]))
    ]
    extra = np.array(spans, dtype=np.int64).reshape(-1, 2)
    starts = np.concatenate((starts[keep], extra[:, 0]))
    finish = np.concatenate((finish[keep], extra[:, 1]))
    order = np.argsort(starts, kind="stable")
    return starts[order], finish[order]


def word_keys(padded: npt.NDArray[np.uint8], starts: Ints, lengths: Ints) -> tuple[Keys, Keys]:
    """Each word's first 8 and next 8 characters as big-endian integers (0 past its end)."""
    # Every 8 bytes from each position, read as one big-endian integer in place (no copies).
    window = np.ndarray(
        (len(padded) - 7,), dtype=">u8", buffer=np.ascontiguousarray(padded), strides=(1,)
    )
    keys = []
    for offset in (0, 8):
        chunk = window[starts + offset]
        keys.append(chunk.astype(np.uint64) & _KEEP.take(np.clip(lengths - offset, 0, 8)))
    return keys[0], keys[1]


def _word_ids(
    padded: npt.NDArray[np.uint8], low: str, starts: Ints, finish: Ints, tables: ModelTables
) -> tuple[Ints, Ints]:
    """Known words' ids from the tables; new words numbered after them."""
    lengths = finish - starts
    first, second = word_keys(padded, starts, lengths)
    mixed = mixed_key(first, second)
    ids = tables.keyed_words.find(mixed)
    known = ids >= 0
    kept = np.compress(known, ids)  # take and compress: faster than fancy and boolean indexing
    known[known] = (tables.word_first.take(kept) == np.compress(known, first)) & (
        tables.word_second.take(kept) == np.compress(known, second)
    )
    ids[~known] = -1
    long = np.flatnonzero(lengths > _WIDE)
    if len(long):  # rare: words longer than two keys are looked up by their text
        texts = _texts(low, starts[long], finish[long])
        ids[long] = [tables.word_ids.get(t, -1) for t in texts]
    unknown = np.flatnonzero(ids < 0)
    if not len(unknown):
        return ids, np.zeros(0, dtype=np.int64)
    # New words are told apart by their keys; words too long for the keys also by their text.
    parts = [first[unknown], second[unknown], np.zeros(len(unknown), dtype=np.uint64)]
    lengthy = np.flatnonzero(lengths[unknown] > _WIDE)
    if len(lengthy):
        where = unknown[lengthy]
        texts = _texts(low, starts[where], finish[where])
        numbers = {t: i + 1 for i, t in enumerate(dict.fromkeys(texts))}
        parts[2][lengthy] = [numbers[t] for t in texts]
    key = mixed_key(parts[0], parts[1]) ^ (parts[2] * np.uint64(0xC2B2AE3D27D4EB4F))
    _, seen, inverse = np.unique(key, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    if any((p[seen[inverse]] != p).any() for p in parts):  # two new words share a key
        _, seen, inverse = np.unique(np.column_stack(parts), axis=0, return_index=True,
                                     return_inverse=True)  # fmt: skip
        inverse = inverse.ravel()
    ids[unknown] = len(tables.words) + inverse
    return ids, unknown[seen]


def _texts(low: str, starts: Ints, finish: Ints) -> list[str]:
    return [low[s:e] for s, e in zip(starts.tolist(), finish.tolist(), strict=True)]


def any_per_message(text: BatchText, positions: Ints) -> Bools:
    """Whether each message has one of these character positions."""
    found = np.zeros(text.count, dtype=np.bool_)
    found[text.message_of(positions)] = True
    return found


def or_per_message(values: Ints, message: Ints, firsts: Ints) -> Ints:
    """Per message, the bitwise or of its values (0 when it has none), for values grouped by
    message: `message` (sorted) names each value's, `firsts` each message's first value."""
    found = np.zeros(len(firsts), dtype=values.dtype)
    owned = firsts < np.append(firsts[1:], len(message))
    if owned.any():  # one reduction per run of values: much faster than np.bitwise_or.at
        found[owned] = np.bitwise_or.reduceat(values, firsts[owned])
    return found


def owners(positions: Ints, ends: Ints) -> Ints:
    """np.searchsorted(ends, positions) for sorted positions (the message each belongs to):
    how many fall to each message, repeated; faster than a binary search per position."""
    cuts = np.searchsorted(positions, ends, side="right")  # positions up to each end
    return np.repeat(np.arange(len(ends) + 1), np.diff(cuts, prepend=0, append=len(positions)))
