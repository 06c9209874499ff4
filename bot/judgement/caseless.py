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
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

# Characters IGNORECASE matches to an ASCII letter that are their own lower case.
_ONTO_ASCII = frozenset("\u0131\u017f")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Capitals to lower-case in a pattern: not those of escapes (\W, \S) nor of group names.
_UPPER_OUTSIDE_ESCAPES = re.compile(r"(\\.|\(\?P<\w+>|\(\?P=\w+\))|([A-Z])")


def twin_safe(text: str) -> bool:
    """Whether lower-casing this text changes only its ASCII capitals (see the module doc)."""
    if text.isascii():
        return True
    wide = "".join(_NON_ASCII.findall(text))
    return wide.lower() == wide and _ONTO_ASCII.isdisjoint(wide)


def char_twin_safe(char: str) -> bool:
    """twin_safe for one non-ASCII character."""
    return char.lower() == char and char not in _ONTO_ASCII


@cache
def twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The lower-case, case-sensitive twin of a re.IGNORECASE pattern."""
    assert pattern.flags & re.IGNORECASE, "only a case-insensitive pattern has a twin"
    source = _UPPER_OUTSIDE_ESCAPES.sub(lambda m: m.group(1) or m.group(2).lower(), pattern.pattern)
    return re.compile(source, pattern.flags & ~re.IGNORECASE)


class Caseless:
    """A re.IGNORECASE pattern whose searches run on its twin when the text allows."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.twin = twin(pattern)

    def search(self, text: str) -> re.Match[str] | None:
        """pattern.search(text); a match's groups are the twin's, in lower case."""
        if twin_safe(text):
            return self.twin.search(text.lower())
        return self.pattern.search(text)

    def spans(self, text: str, group: int | str = 0) -> Iterator[tuple[int, int]]:
        """The spans of this group in each match of pattern.finditer(text)."""
        if twin_safe(text):
            return (m.span(group) for m in self.twin.finditer(text.lower()))
        return (m.span(group) for m in self.pattern.finditer(text))

    def sub(self, replacement: str, text: str) -> str:
        """pattern.sub(replacement, text) for a replacement without group references."""
        assert "\\" not in replacement, "group references are not supported"
        if not twin_safe(text):
            return self.pattern.sub(replacement, text)
        pieces, last = [], 0
        for start, end in self.spans(text):
            pieces.append(text[last:start])
            pieces.append(replacement)
            last = end
        if not pieces:
            return text
        pieces.append(text[last:])
        return "".join(pieces)
