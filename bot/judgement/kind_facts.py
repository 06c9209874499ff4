"""The shape rules' facts (bot.judgement.kind_shapes.Facts) for a whole batch, as arrays.

Character facts come from one pass over the batch's characters (bot.judgement.kind_chars). A
regular expression runs only on the messages where its rule asks and a cheap test says it could
match: kind_chars.NEEDS names text that any match must contain (lower-cased, since the tests
read lower-cased text), other patterns have tests of their own below. Those tests may let
through messages that do not match, never the reverse, so the answers are the regular
expressions' own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import itemgetter
from typing import Any

import numpy as np

from bot.judgement.caseless import ascii_form, twin
from bot.judgement.kind_chars import (
    ASCII_DIGIT,
    EMOJI,
    FOLDS,
    GROUPS,
    NEEDS,
    NO_TWIN,
    NOT_PLAIN,
    SPACE,
    STAND_IN_PATTERNS,
    STANDS_OUT,
    WIDE_ALNUM,
    WIDE_DIGIT,
    bits_of,
    char_facts,
)
from bot.judgement.kind_shapes import (
    ABOUT_A_POST,
    APPLY,
    CONTACT,
    ENDS_ASKING,
    EXPERIENCE,
    FIRST_PERSON_ASK,
    JOB_SEEKING,
    MENTION_START,
    NUMBERED,
    QUOTE_ATTRIBUTION,
    QUOTE_CHARS,
    RHETORICAL,
    RHETORICAL_OPENINGS,
    ROLE_TITLE,
    SELF_INTRO,
    URL,
    WANTS_ROLE,
    WORD_SETS,
)
from bot.judgement.kind_tables import Bools, Ints
from bot.judgement.kind_text import BatchText, any_per_message, changes, or_per_message

# Patterns searched through many messages joined by NUL at once: none has an anchor (^, $)
# or a class that takes NUL, so a match never spans two messages, and NUL is no word
# character, so \b at a message's edge means what it means at the edge of the text.
_JOINABLE = frozenset(
    {EXPERIENCE, ABOUT_A_POST, FIRST_PERSON_ASK, WANTS_ROLE, ROLE_TITLE, CONTACT, URL,
     JOB_SEEKING, APPLY, SELF_INTRO}
)  # fmt: skip
_MENTION_OPENINGS = "@hdABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MENTION_PUNCTUATION = ",:–-"
_DASHES = "-–—~"
_STEPS = 64  # spaces stepped over before a dash, at most, before the pattern is asked anyway


class BatchFacts:
    """kind_shapes.Facts for every message of a batch (bool arrays, one entry per message)."""

    def __init__(
        self, bodies: list[str], text: BatchText, set_bits: Ints, forwarded: Any, is_reply: Any
    ) -> None:
        self.bodies, self.text = bodies, text
        n, self._nul_free = text.count, text.nul_free
        self.count = counts = np.bincount(text.word_message, minlength=n)
        self.forwarded = np.broadcast_to(np.asarray(forwarded, dtype=np.bool_), (n,))
        self.is_reply = np.broadcast_to(np.asarray(is_reply, dtype=np.bool_), (n,))
        firsts = np.searchsorted(text.word_message, np.arange(n))
        self._bits = or_per_message(set_bits, text.word_message, firsts)
        first_word = np.minimum(firsts, len(set_bits) - 1)
        self._first_bits = np.where(counts > 0, set_bits[first_word] if len(set_bits) else 0, 0)
        self._chars, self._wide, self._messages, self._needs = char_facts(text)
        self.question, self.newline = self.contains("?"), self.contains("\n")
        self.emoji = self._flag(EMOJI)
        self.digits = self._flag(ASCII_DIGIT) | self._flag(WIDE_DIGIT)
        self._folds = self._flag(FOLDS)
        self._no_twin = self._flag(NO_TWIN)
        self._plain = ~self._flag(NOT_PLAIN)  # plain ASCII: patterns run in ASCII mode
        self._lowered: list[str] | None = None
        self._ascii: list[str] | None = None
        self._stand_in = ~self._flag(STANDS_OUT) & ~self._no_twin

    def _flag(self, bit: int) -> Bools:
        return np.asarray(self._messages & bit != 0, dtype=np.bool_)

    def _where(self, chars: str) -> Ints:
        """Positions of any of these characters."""
        if len(chars) == 1 and chars.isascii():  # one byte compared: faster than the bits
            return np.flatnonzero(self.text.ascii == ord(chars))
        return np.flatnonzero(self._chars & bits_of(chars) != 0)  # bools: faster to scan

    def has(self, words: frozenset[str]) -> Bools:
        """Whether any of `words` (one of WORD_SETS) is among each message's words."""
        return _bit(self._bits, WORD_SETS.index(words))

    def opens_with(self, words: frozenset[str]) -> Bools:
        """Whether each message's first word is one of `words` (one of WORD_SETS)."""
        return _bit(self._first_bits, WORD_SETS.index(words))

    def contains(self, chars: str) -> Bools:
        """Whether any of these characters (from _CHARS) occurs in each message."""
        return self._flag(bits_of(chars))

    def contains_text(self, text: str) -> Bools:
        """Whether this exact text occurs in each message."""
        plain = text.isascii() and "\x7f" not in text  # then the byte codes serve, faster
        codes, found = (self.text.ascii if plain else self.text.codes), None
        size = len(codes) - len(text) + 1
        for offset, ch in enumerate(text.lower()):
            same = codes[offset : offset + size] == ord(ch)
            found = same if found is None else found & same
        assert found is not None, "an empty text is in every message"
        maybe = any_per_message(self.text, np.flatnonzero(found))
        return self._exactly(lambda body: text in body, maybe)

    def search(self, pattern: re.Pattern[str], where: Any) -> Bools:
        """Whether `pattern` occurs in each message where `where` holds (False elsewhere)."""
        maybe = np.broadcast_to(np.asarray(where, dtype=np.bool_), (self.text.count,))
        if pattern is ENDS_ASKING:  # "?" and then no letter or digit (in any script)
            text = self.text
            last_ask = _last_per_message(text, self._where("?"))
            last_run = _last_per_message(text, text.run_ends - 1)
            wide = self._wide[self._chars.take(self._wide) & WIDE_ALNUM != 0]
            last_wide = _last_per_message(text, wide)
            return maybe & (last_ask > np.maximum(last_run, last_wide))
        if maybe.any():
            maybe = self._could_match(pattern, maybe & ~self._folds) | (maybe & self._folds)
        if pattern in _JOINABLE:
            return self._search_joined(pattern, maybe)
        return self._search_each(pattern, maybe)

    def _search_each(self, pattern: re.Pattern[str], maybe: Bools) -> Bools:
        """pattern.search on each `maybe` message on its own (patterns with anchors), in ASCII
        mode on plain ASCII messages (bot.judgement.caseless)."""
        plain = maybe & self._plain
        texts = self._lowered_bodies() if pattern.flags & re.IGNORECASE else self.bodies
        if texts is None:
            texts, plain = self.bodies, np.zeros_like(plain)
        found = np.zeros(self.text.count, dtype=np.bool_)
        fast, search, bodies = ascii_form(pattern).search, pattern.search, self.bodies
        for i in np.flatnonzero(plain).tolist():
            found[i] = fast(texts[i]) is not None
        for i in np.flatnonzero(maybe & ~plain).tolist():
            found[i] = search(bodies[i]) is not None
        return found

    def _exactly(self, test: Any, maybe: Bools) -> Bools:
        found = np.zeros(self.text.count, dtype=np.bool_)
        bodies = self.bodies
        for i in np.flatnonzero(maybe).tolist():
            found[i] = test(bodies[i])
        return found

    def _search_joined(self, pattern: re.Pattern[str], maybe: Bools) -> Bools:
        """pattern.search on each `maybe` message; a case-insensitive pattern runs as its
        lower-case twin (bot.judgement.caseless) on the messages that allow it."""
        plain = maybe & self._plain
        if not pattern.flags & re.IGNORECASE:
            return self._search_texts(ascii_form(pattern), plain, self.bodies) | (
                self._search_texts(pattern, maybe & ~self._plain, self.bodies)
            )
        lowered = self._lowered_bodies()
        if lowered is None:
            return self._search_texts(pattern, maybe, self.bodies)
        assert pattern in STAND_IN_PATTERNS, "kind_chars must check what the pattern names"
        direct = maybe & self._stand_in  # plain ASCII, or beyond it only stand-ins for DEL
        wide = maybe & ~direct
        return (
            self._search_texts(ascii_form(pattern), direct, self._ascii_bodies())
            | self._search_texts(twin(pattern), wide & ~self._no_twin, lowered)
            | self._search_texts(pattern, wide & self._no_twin, self.bodies)
        )

    def _ascii_bodies(self) -> list[str]:
        """Each message's lower case with DEL for every character beyond ASCII (the batch's
        ASCII view cut at its NULs; only asked when no message holds a NUL of its own)."""
        if self._ascii is None:
            self._ascii = self.text.ascii[:-1].tobytes().decode("ascii").split("\0")
        return self._ascii

    def _lowered_bodies(self) -> list[str] | None:
        """Each message lower-cased (the batch's lower-cased text cut at its NULs), or None
        when a message holds a NUL of its own."""
        if self._lowered is None:
            lowered = self.text.low[:-1].split("\0")
            if len(lowered) != self.text.count or not self._nul_free:
                return None
            self._lowered = lowered
        return self._lowered

    def _search_texts(self, pattern: re.Pattern[str], maybe: Bools, texts: list[str]) -> Bools:
        """pattern.search on texts[i] for each `maybe` message i, as one search through them
        all joined by NUL, which no match can contain, restarted after each message found."""
        found = np.zeros(self.text.count, dtype=np.bool_)
        asked = np.flatnonzero(maybe).tolist()
        if not asked:
            return found
        texts = [texts[i] for i in asked]
        joined = "\0".join(texts)
        if not self._nul_free and joined.count("\0") != len(texts) - 1:
            found[asked] = [pattern.search(t) is not None for t in texts]
            return found
        ends = np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)) + 1).tolist()
        position, search = 0, pattern.search
        while (match := search(joined, position)) is not None:
            which = bisect_right(ends, match.start())
            found[asked[which]] = True
            position = ends[which]
        return found

    def _could_match(self, pattern: re.Pattern[str], maybe: Bools) -> Bools:
        """Which of the `maybe` messages pass a cheap test every match of `pattern` passes."""
        text = self.text
        if pattern in NEEDS:
            first = GROUPS.index(NEEDS[pattern][0])
            for i in range(len(NEEDS[pattern])):
                maybe = maybe & _bit(self._needs, first + i)
            return maybe
        if pattern is RHETORICAL:
            return maybe & self.opens_with(RHETORICAL_OPENINGS)
        if pattern is MENTION_START:
            return maybe & self._may_address()
        if pattern is NUMBERED:  # two line breaks at least
            breaks = text.message_of(self._where("\n"))
            return maybe & (np.bincount(breaks, minlength=text.count) >= 2)
        if pattern is CONTACT:  # an "@", or five digits in a row
            digits = self.text.ascii - np.uint8(48) < 10  # a byte below "0" wraps above "9"
            five = self.contains("@") | self._flag(WIDE_DIGIT) | _five_digits(text, digits)
            return maybe & five
        if pattern is QUOTE_ATTRIBUTION:
            return maybe & self._may_quote(maybe)
        return maybe

    def _may_address(self) -> Bools:
        """Could open "@name", or "(hi|hey|dear) Name," : then at most two words come before
        the first of , : – - (and no other character but spaces)."""
        text = self.text
        first = np.frombuffer(
            "".join(map(itemgetter(0), self.bodies)).encode("utf-32-le"), dtype=np.uint32
        )
        marks = self._where(_MENTION_PUNCTUATION)
        at = np.searchsorted(marks, text.starts)
        first_mark = np.append(marks, len(text.codes))[at]  # past the message when it has none
        runs = text.run_starts
        before = np.searchsorted(runs, first_mark) - np.searchsorted(runs, text.starts)
        opening = np.isin(first, [ord(c) for c in _MENTION_OPENINGS])
        punctuated = opening & (first_mark < text.ends) & (before <= 2)
        return np.asarray((first == ord("@")) | punctuated, dtype=np.bool_)

    def _may_quote(self, maybe: Bools) -> Bools:
        """Could hold a quote, spaces and then a dash (any non-ASCII character passing for a
        space here), or a double quote at all."""
        text, chars = self.text, self._chars
        dashes = self._where(_DASHES)
        dashes = dashes[maybe[text.message_of(dashes)]]
        quotes = bits_of(QUOTE_CHARS)
        found = [np.zeros(0, dtype=np.int64)]
        back = dashes - 1
        for _ in range(_STEPS):  # step back over spaces to the character before each dash
            chars_back = chars[back]
            quoted = chars_back & quotes != 0
            found.append(back[quoted])
            spacing = ~quoted & ((chars_back & SPACE != 0) | (text.codes[back] >= 128))
            back = back[spacing & (back > 0)] - 1
            if not len(back):
                break
        found.append(back)  # still in spaces after _STEPS: let the pattern decide
        return any_per_message(text, np.concatenate(found)) | self.contains("\"“")


def _bit(masks: Ints, bit: int) -> Bools:
    return np.asarray((masks >> bit) & 1 == 1, dtype=np.bool_)


def _last_per_message(text: BatchText, positions: Ints) -> Ints:
    """Per message, the last of these (sorted) positions in it, or -1."""
    at = np.searchsorted(positions, text.ends) - 1
    last = np.where(at >= 0, positions[np.maximum(at, 0)] if len(positions) else -1, -1)
    return np.where(last >= text.starts, last, -1)


def _five_digits(text: BatchText, digit: Bools) -> Bools:
    """Whether each message has five ASCII digits in a row."""
    edges = np.flatnonzero(changes(np.append(digit, False)))
    run_starts, run_ends = edges[0::2], edges[1::2]  # runs open and close in turn
    return any_per_message(text, run_starts[run_ends - run_starts >= 5])
