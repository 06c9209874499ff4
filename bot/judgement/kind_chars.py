"""Character facts of a batch (for bot.judgement.kind_facts): per character, one bit for each
character and class of characters the shape rules ask about; per message, which groups of
needed texts it may hold.

A pattern's needs are texts every match of it contains (lower-cased): one of each group. Each
text is looked up by its rarest group of 5 (or 3) characters, as a hash, or as itself when it
has two characters: a message without any may skip the pattern. The look-up of two characters
and the character bits of the second share one table (bits 0-23 the character's, 24-31 the
pair's need groups), so one gather over the batch's characters gives both.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.judgement.caseless import char_twin_safe, plain_ascii
from bot.judgement.kind_shapes import (
    ABOUT_A_POST,
    APPLY,
    EXPERIENCE,
    FIRST_PERSON_ASK,
    JOB_SEEKING,
    ROLE_TITLE,
    SELF_INTRO,
    URL,
    WANTS_ROLE,
)
from bot.judgement.kind_tables import Ints
from bot.judgement.kind_text import BatchText

# Patterns with two-character needs come first: their groups' bits must fit in the pair table.
# fmt: off
NEEDS: dict[re.Pattern[str], tuple[tuple[str, ...], ...]] = {
    EXPERIENCE: (("yr", "year"),),
    APPLY: (
        ("cv", "send ", "interested candidates", "apply"),
        ("cv", "resume", "interested candidates", "apply"),  # "send" is sent something
    ),
    SELF_INTRO: (("i'm", "im", "i am", "myself", "here"),),
    URL: (("://", "www", "com/", "org/", "net/", "in/", "io/", "example/"),),
    WANTS_ROLE: (
        ("looking for", "need", "required", "requirement of", "want"),
        ("intern", "recruiter", "executive", "manager", "specialist", "coordinator",
         "generalist", "hrbp", "lead", "associate", "analyst", "officer", "trainee", "fresher"),
    ),
    JOB_SEEKING: (
        ("open to work", "opentowork", "looking for ", "any opening", "laid off", "lost my job",
         "refer me", "my friend", "my cousin", "my brother", "my sister", "my colleague"),
        ("open to work", "opentowork", "job", "role", "opportunit", "internship", "any opening",
         "laid off", "refer me", "my friend", "my cousin", "my brother", "my sister",
         "my colleague"),  # what someone is looking for
    ),
    FIRST_PERSON_ASK: (
        tuple(f"{who} {verb}" for who in ("i", "we") for verb in
              ("need", "want", "am ", "are ", "would like")),
    ),
}
# fmt: on
GROUPS = [group for groups in NEEDS.values() for group in groups]
_COMMON = " etaoinshrdlcumwfgypbvkjxqz"  # most common first: a rarer trigram lets fewer through
# Characters under which re.IGNORECASE matches an ASCII letter that lower() does not give.
_CASE_FOLDS = (0x130, 0x131, 0x17F, 0x212A)
# The characters facts and tests ask about, one bit each, then classes of characters.
CHARS = "?\n@/\"'“”‘’-–—~,:"
ASCII_DIGIT, WIDE_DIGIT, WIDE_ALNUM, EMOJI, FOLDS, SPACE, NO_TWIN, NOT_PLAIN, STANDS_OUT = (
    1 << (len(CHARS) + i) for i in range(9)
)
_PAIR_SHIFT = len(CHARS) + 9  # where a two-character look-up's need groups start
# Case-insensitive patterns that kind_facts may ask of a message's lower case with each of its
# characters beyond ASCII standing in as DEL (the batch's ASCII view) and in ASCII mode: the
# same answer when those characters are, like DEL, neither word characters, nor spaces, nor
# digits, and none of the patterns names them (nor DEL). STANDS_OUT marks any other character.
STAND_IN_PATTERNS = frozenset(
    {EXPERIENCE, ABOUT_A_POST, FIRST_PERSON_ASK, WANTS_ROLE, ROLE_TITLE, URL, JOB_SEEKING,
     APPLY, SELF_INTRO}
)  # fmt: skip
NAMED = frozenset(c for pattern in STAND_IN_PATTERNS for c in pattern.pattern if ord(c) >= 127)
_ASCII_SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"  # what str.isspace() and \s take
_GRAM_BITS = 16


def bits_of(chars: str) -> int:
    """The bits of these characters (each one of CHARS)."""
    return sum(1 << CHARS.index(c) for c in chars)


def _ascii_bits() -> npt.NDArray[np.uint32]:
    table = np.zeros(128, dtype=np.uint32)
    for c in range(128):
        ch = chr(c)
        table[c] = (bits_of(ch) if ch in CHARS else 0) | (ASCII_DIGIT if ch.isdigit() else 0)
        table[c] |= SPACE if ch in _ASCII_SPACES else 0
        table[c] |= 0 if plain_ascii(ch) else NOT_PLAIN | STANDS_OUT
    table[127] = 0  # stands for every non-ASCII character
    return table


@cache  # a chat uses few characters beyond ASCII, over and over
def _wide_bits(code: int) -> int:
    ch = chr(code)
    bits = bits_of(ch) if ch in CHARS else 0
    bits |= WIDE_DIGIT if ch.isdecimal() else 0  # what \d takes
    bits |= WIDE_ALNUM if ch.isalnum() else 0  # what \w takes, but "_"
    bits |= EMOJI if 0x1F300 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF else 0
    bits |= (0 if char_twin_safe(ch) else NO_TWIN) | NOT_PLAIN
    word = ch.isalnum() or ch.isspace() or ch.isdecimal() or ch == "_" or ch in NAMED
    bits |= STANDS_OUT if word or not char_twin_safe(ch) or code in _CASE_FOLDS else 0
    return bits | (FOLDS if code in _CASE_FOLDS else 0)


def char_facts(text: BatchText) -> tuple[npt.NDArray[np.uint32], Ints, Any, Ints]:
    """Per character, the bits of CHARS and of its classes (and, above them, need groups);
    where the non-ASCII characters are; per message, its characters' bits or-ed, and bit i
    set when it holds a character group that need group i looks for."""
    size = len(text.ascii)
    codes: npt.NDArray[np.uint32] = np.concatenate((np.zeros(4, dtype=np.uint32), text.ascii))
    bits = _PAIRS.take((codes[3 : 3 + size] << np.uint32(7)) | codes[4:])  # take: faster
    wide = np.flatnonzero(text.ascii == 127)
    if len(wide):  # no need holds a non-ASCII character: its pair has no need bits to keep
        distinct, where = np.unique(text.codes[wide], return_inverse=True)
        table = np.array([_wide_bits(c) for c in distinct.tolist()], dtype=np.uint32)
        bits[wide] = table[where.ravel()]
    pairs = codes[:-1] * np.uint32(131) + codes[1:]  # starts _gram_hash's longer keys: shared
    three = pairs[2 : 2 + size] * np.uint32(131) + codes[4:]
    five = pairs[:size] * np.uint32(131**3) + three
    masks = _GRAMS[3].take(_gram_hash([three])) | _GRAMS[5].take(_gram_hash([five]))
    needs = np.bitwise_or.reduceat(masks, text.starts).astype(np.int64)
    messages = np.bitwise_or.reduceat(bits, text.starts)
    return bits, wide, messages, needs | (messages >> np.uint32(_PAIR_SHIFT))


def _gram_hash(grams: list[Any]) -> Any:
    """A 16-bit hash of character groups given as one code array per position."""
    key = np.asarray(grams[0], dtype=np.uint32)
    for codes in grams[1:]:
        key = key * np.uint32(131) + codes  # wraps: a hash
    return (key * np.uint32(0x9E3779B1)) >> np.uint32(32 - _GRAM_BITS)


def _tables() -> tuple[npt.NDArray[np.uint32], dict[int, npt.NDArray[np.uint16]]]:
    """The table of two characters (entry first * 128 + second: the second's bits, and bit
    _PAIR_SHIFT + i when need group i has that two-character text), and by size (3 or 5)
    the hashed groups' tables: bit i of entry h set when a text of need group i has its
    rarest group of that many characters hashed to h."""
    assert len(GROUPS) <= 16
    pairs = np.tile(_ascii_bits(), 128)
    grams = {size: np.zeros(1 << _GRAM_BITS, dtype=np.uint16) for size in (3, 5)}
    for bit, group in enumerate(GROUPS):
        for need in group:
            if len(need) == 2:
                assert _PAIR_SHIFT + bit < 32, "a two-character need's group needs a bit"
                pairs[ord(need[0]) << 7 | ord(need[1])] |= np.uint32(1 << (_PAIR_SHIFT + bit))
                continue
            size = 5 if len(need) >= 5 else 3
            rarest = max(range(len(need) - size + 1), key=lambda i: _rarity(need[i : i + size]))
            gram = [np.full(1, ord(c), dtype=np.uint32) for c in need[rarest : rarest + size]]
            grams[size][_gram_hash(gram)] |= 1 << bit
    return pairs, grams


def _rarity(gram: str) -> int:
    return sum(_COMMON.index(c) if c in _COMMON else len(_COMMON) for c in gram)


_PAIRS, _GRAMS = _tables()
