"""Case-insensitive patterns run as their lower-case twins on lower-cased text: same matches,
several times faster.

Python's `re` tests each character of a re.IGNORECASE pattern through case folding and cannot
skip ahead to the characters a match may start with; the same pattern written in lower case,
without the flag, can. Lower-casing a text keeps every character's place and changes only ASCII
capitals unless the text holds another character that lower-casing changes ("É", "İ", "Σ") or
one that IGNORECASE folds onto an ASCII letter (the dotless i, the long s): for every other
text, `re` reads each character of the twin's subject as it reads the original under
IGNORECASE, so the twin finds the same matches at the same places, and groups can be read from
the original text at the twin's spans.

On plain ASCII text (without the separators U+001C-U+001F, spaces only in Unicode mode), a
pattern compiled with re.ASCII reads word boundaries, word characters, digits and spaces exactly
as in Unicode mode, from a table instead of Unicode look-ups: `ascii_form` gives that form (of
the twin, for a case-insensitive pattern).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

# Characters IGNORECASE matches to an ASCII letter that are their own lower case.
_DOTLESS_I, _LONG_S = "\u0131", "\u017f"
_UNICODE_ONLY_SPACES = re.compile("[\x1c-\x1f]")
# Capitals to lower-case in a pattern: not those of escapes (\W, \S) nor of group names.
_UPPER_OUTSIDE_ESCAPES = re.compile(r"(\\.|\(\?P<\w+>|\(\?P=\w+\))|([A-Z])")


@lru_cache(maxsize=8)  # a job post is asked about by several patterns in turn
def lowered(text: str) -> str | None:
    """The text lower-cased when that changes only its ASCII capitals (see the module doc),
    else None."""
    low = text.lower()
    if text.isascii():
        return low
    # bytes.lower() changes ASCII capitals only: equal encodings mean nothing else changed.
    if low.encode() != text.encode().lower() or _DOTLESS_I in text or _LONG_S in text:
        return None
    return low


@lru_cache(maxsize=8)
def plain_ascii(text: str) -> bool:
    """Whether ascii_form(pattern) answers for pattern (or its twin) on this text."""
    return text.isascii() and _UNICODE_ONLY_SPACES.search(text) is None


def twin_safe(text: str) -> bool:
    """Whether lowered(text) is not None."""
    return lowered(text) is not None


def char_twin_safe(char: str) -> bool:
    """twin_safe for one character."""
    return twin_safe(char)


@cache
def twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The lower-case, case-sensitive twin of a re.IGNORECASE pattern."""
    assert pattern.flags & re.IGNORECASE, "only a case-insensitive pattern has a twin"
    source = _UPPER_OUTSIDE_ESCAPES.sub(lambda m: m.group(1) or m.group(2).lower(), pattern.pattern)
    return re.compile(source, pattern.flags & ~re.IGNORECASE)


@cache
def ascii_form(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern (its twin if case-insensitive) in ASCII mode, for plain ASCII text."""
    plain = twin(pattern) if pattern.flags & re.IGNORECASE else pattern
    return re.compile(plain.pattern, plain.flags & ~re.UNICODE | re.ASCII)


class Caseless:
    """A re.IGNORECASE pattern whose searches run on its twin when the text allows; each
    method takes the text and lowered(text).

    `needs`, when given, are lower-case texts one of which every match holds: a text whose
    lower case holds none of them is not searched at all (most texts, for a rare pattern).
    """

    def __init__(self, pattern: re.Pattern[str], needs: tuple[str, ...] = ()) -> None:
        self.pattern = pattern
        self.twin = twin(pattern)
        self.needs = needs
        self.ascii = ascii_form(pattern)

    def _form(self, text: str, low: str | None) -> tuple[re.Pattern[str], str]:
        if low is None:
            return self.pattern, text
        return (self.ascii if plain_ascii(text) else self.twin), low

    def _absent(self, low: str | None) -> bool:
        """Whether the twin cannot match: the lower-cased text holds none of the needs."""
        return low is not None and bool(self.needs) and not any(n in low for n in self.needs)

    def search(self, text: str, low: str | None) -> re.Match[str] | None:
        """pattern.search(text); a match's groups are the twin's, in lower case."""
        if self._absent(low):
            return None
        pattern, subject = self._form(text, low)
        return pattern.search(subject)

    def spans(self, text: str, low: str | None, group: int | str = 0) -> Iterator[tuple[int, int]]:
        """The spans of this group in each match of pattern.finditer(text)."""
        if self._absent(low):
            return iter(())
        pattern, subject = self._form(text, low)
        return (m.span(group) for m in pattern.finditer(subject))

    def sub(self, replacement: str, text: str, low: str | None) -> str:
        """pattern.sub(replacement, text) for a replacement without group references."""
        assert "\\" not in replacement, "group references are not supported"
        if low is None:
            return self.pattern.sub(replacement, text)
        pieces, last = [], 0
        for start, end in self.spans(text, low):
            pieces.append(text[last:start])
            pieces.append(replacement)
            last = end
        if not pieces:
            return text
        pieces.append(text[last:])
        return "".join(pieces)
