"""WhatsApp's own strings in every language (data/whatsapp_strings.json), loaded once and indexed.

Texts are compared after `normalise`: bidi marks dropped, NBSP/U+202F folded to spaces, curly
quotes made straight, case folded and a trailing full stop dropped. Templates with placeholders
({name}, {file}, …) become anchored regexes, found through an index on their first or last four
characters so that a text is tried against a handful of templates, not all of them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Final

from handlers.whatsapp_export.marks import MARKS

_DATA: Final = Path(__file__).with_name("data") / "whatsapp_strings.json"
_FOLD: Final = str.maketrans(
    {
        **dict.fromkeys(MARKS, ""),
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2039": "<",
        "\u203a": ">",
    }
)
# Any character the fold changes: most texts have none and skip the (slow, per-character) fold.
_FOLDED: Final = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD)) + "]")
_PLACEHOLDER: Final = re.compile(r"\{[a-z]+\}")
# A person's name is one line; a saved contact may hold ": " ("Ops: Bengaluru left") but only in a
# short name, while a member's line holds it before their words ("Rakesh Tiwari: Good morning …
# 2 members removed for that." is Rakesh's message, not a removal notice).
_PEOPLE: Final = frozenset({"{name}", "{actor}", "{subject}"})
_PERSON: Final = r"((?:(?!: )[^\n])+?|[^\n]{1,40}?)"
_KEY: Final = 4


def normalise(text: str) -> str:
    """The form WhatsApp strings are compared in: no marks, plain spaces and quotes, casefolded."""
    if not text.isascii() and _FOLDED.search(text) is not None:
        text = text.translate(_FOLD)
    return " ".join(text.split()).casefold().rstrip(".。")


@dataclass(frozen=True, slots=True)
class Match:
    """What a text is: section ("system", "call", "placeholder"), kind and language."""

    section: str
    kind: str
    language: str


@dataclass(slots=True)
class StringsTable:
    """Exact texts and template regexes of every language, with lookup indexes."""

    exact: dict[str, Match] = field(default_factory=dict)
    by_prefix: dict[str, list[tuple[re.Pattern[str], Match]]] = field(default_factory=dict)
    by_suffix: dict[str, list[tuple[re.Pattern[str], Match]]] = field(default_factory=dict)
    by_middle: list[tuple[str, re.Pattern[str], Match]] = field(default_factory=list)
    suffixes: tuple[str, ...] = ()
    middles: re.Pattern[str] | None = None  # any literal of by_middle, to skip them all at once
    # Raw forms (as written, with and without their leading mark) for the cheap per-message gate.
    raw_placeholders: frozenset[str] = frozenset()
    raw_system: frozenset[str] = frozenset()
    meridiem: dict[str, str] = field(default_factory=dict)
    meridiem_words: set[str] = field(default_factory=set)
    date_order: dict[str, str] = field(default_factory=dict)
    seen: set[tuple[str, str]] = field(default_factory=set)

    def match(self, text: str) -> Match | None:
        """The WhatsApp string `text` is (in any language), or None for a member's own words."""
        norm = normalise(text)
        found = self.exact.get(norm)
        if found is not None:
            return found
        if norm.endswith(self.suffixes):
            for suffix in self.suffixes:
                if norm.endswith(suffix) and len(norm) > len(suffix):
                    norm = norm[: -len(suffix)].rstrip(" .,。")
                    found = self.exact.get(norm)
                    if found is not None:
                        return found
                    break
        for pattern, meaning in self.by_prefix.get(norm[:_KEY], ()):
            if pattern.fullmatch(norm):
                return meaning
        for pattern, meaning in self.by_suffix.get(norm[-_KEY:], ()):
            if pattern.fullmatch(norm):
                return meaning
        if self.middles is not None and self.middles.search(norm) is not None:
            for literal, pattern, meaning in self.by_middle:
                if literal in norm and pattern.fullmatch(norm):
                    return meaning
        return None

    def add(self, template: str, meaning: Match) -> None:
        """Index one template (its placeholders match any non-empty text)."""
        norm = normalise(template)
        if (norm, meaning.section) in self.seen:
            return
        self.seen.add((norm, meaning.section))
        literals = _PLACEHOLDER.split(norm)
        if len(literals) == 1:
            self.exact.setdefault(norm, meaning)
            return
        fills = [_PERSON if name in _PEOPLE else "(.+?)" for name in _PLACEHOLDER.findall(norm)]
        parts = zip(literals, [*fills, ""], strict=True)
        pattern = re.compile("".join(re.escape(lit) + fill for lit, fill in parts), re.DOTALL)
        head, tail = literals[0], literals[-1]
        if len(head) >= _KEY:
            self.by_prefix.setdefault(head[:_KEY], []).append((pattern, meaning))
        elif len(tail) >= _KEY:
            self.by_suffix.setdefault(tail[-_KEY:], []).append((pattern, meaning))
        else:
            middle = max(literals, key=len)
            if len(middle.strip()) >= 2:
                self.by_middle.append((middle, pattern, meaning))


_SECTIONS: Final = (("system", "system"), ("placeholders", "placeholder"))


@cache
def strings_table() -> StringsTable:
    """The table, built once per process from the package's data file."""
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    table = StringsTable()
    raw_placeholders: set[str] = set()
    raw_system: set[str] = set()
    suffixes: set[str] = set()
    for language, strings in data["languages"].items():
        for key, section in _SECTIONS:
            for kind, texts in strings[key].items():
                for text in texts:
                    table.add(text, Match(section, kind, language))
                    if "{" not in text:
                        raw = raw_placeholders if section == "placeholder" else raw_system
                        raw.update((text, text.strip(MARKS)))
        for text in strings["calls"]:
            table.add(text, Match("call", "call", language))
            raw_system.update((text, text.strip(MARKS)))
        suffixes.update(normalise(s) for s in strings["suffixes"])
        for half, words in strings["meridiem"].items():
            for word in words:
                if not (len(word) == 1 and word.isascii()):
                    table.meridiem_words.add(word)
                table.meridiem.setdefault(meridiem_key(word), half)
        if strings["date_order"]:
            table.date_order[language] = strings["date_order"]
    table.suffixes = tuple(sorted(suffixes, key=len, reverse=True))
    literals = {literal for literal, _, _ in table.by_middle}
    table.middles = re.compile(_trie_pattern(literals)) if literals else None
    table.raw_placeholders = frozenset(raw_placeholders)
    table.raw_system = frozenset(raw_system)
    return table


_Trie = dict[str, "_Trie"]


def _trie_pattern(literals: set[str]) -> str:
    """A regex that finds any of the literals, written as a trie: a search tries one branch per
    next character rather than every literal at every position."""
    trie: _Trie = {}
    for literal in literals:
        node = trie
        for ch in literal:
            node = node.setdefault(ch, {})
        node[""] = {}  # a literal ends here

    def pattern(node: _Trie) -> str:
        if "" in node:
            return ""  # a literal ends here: finding it is enough, longer ones add nothing
        alternatives = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items())]
        return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"

    return pattern(trie)


def meridiem_key(word: str) -> str:
    """A meridiem word without case, dots, spaces or marks: "a. m." and "A.M." are both "am"."""
    return "".join(ch for ch in word.casefold() if ch not in MARKS and ch not in ". \u00a0\u202f")
