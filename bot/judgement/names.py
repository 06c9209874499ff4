"""Who a message addresses: @mentions, @phone numbers and first names of known members."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

_EXPORT_PREFIX = re.compile(r"^~[\s\u202f]*")
_TITLE_WORDS = frozenset(
    [
        "chro",
        "cpo",
        "ceo",
        "cfo",
        "coo",
        "cto",
        "vp",
        "avp",
        "svp",
        "evp",
        "gm",
        "agm",
        "dgm",
        "hr",
        "hrbp",
        "head",
        "director",
        "manager",
        "lead",
        "ta",
        "mr",
        "mrs",
        "ms",
        "dr",
    ]
)
_HONORIFICS = frozenset(["ji", "sir", "madam", "maam", "ma'am", "mam", "bhai", "dada", "didi"])
_AT_PHONE = re.compile(r"(?<![\w.])@\+?(\d[\d ]{6,}\d)")
_AT_NAME = re.compile(r"(?<![\w.])@([^\W\d_][\w.]*(?:\s+[^\W\d_][\w.]*){0,3})")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’]*")
# A first name at the start of a message addresses that person ("Pooja, …", "Hi Karthik –").
_OPENING = re.compile(
    r"^\W*(?:(?:hi|hey|hello|dear|thanks|thank you|thnx|thx|ty|shukriya|congrats|congratulations|"
    r"well done|good luck|all the best|@)\s*)?([^\W\d_][\w'’]*)",
    re.I,
)
# Words before a name that make it the object of the sentence rather than the one spoken to.
_OF_SOMEONE = frozenset(
    [
        *("for", "to", "with", "from", "about", "of", "by", "and", "or", "like", "than", "per"),
        *("via", "ask", "tell", "help", "tag", "tagging", "cc", "contact", "call", "ping"),
        *("meet", "connect", "introduce", "intro", "refer"),
    ]
)
_FUZZY_MIN = 88
# System lines name people before they speak ("X added Y", "Y joined using … invite link").
_SYSTEM_NAMES = (
    re.compile(r"^(?P<a>.+?) added (?P<b>.+)$"),
    re.compile(r"^(?P<a>.+?) (?:joined using this group's invite link|joined|left|was removed)$"),
    re.compile(r"^(?P<a>.+?) removed (?P<b>.+)$"),
)


# A member known only by a phone number often says who they are ("Hi, I'm Kavya (final year BBA)",
# "Myself Ravi from Pune", "Kavya here –"); later replies call them by that name.
_SELF_NAMED = re.compile(
    r"(?:\b(?i:i'?m|i am|this is|myself|my name is)\s+([A-Z][a-z]{2,})(?:\s+[A-Z][a-z]+)?"
    r"(?=\s*(?:[,(–—-]|"
    r"(?i:from|here|and)\b|\.|$))|(?:^|[.!,]\s*)([A-Z][a-z]{2,}) (?i:here)\b)"
)
# A signed message's last line ("– B. K. Mukherjee", "Regards, Anil Kumar"): the name it is
# signed with; initials aside, its first word of three letters or more is what people call them.
_SIGNATURE = re.compile(
    r"\n\s*(?:[–—~-]+|(?i:regards|warm regards|thanks|thank you),?)\s*"
    r"((?:[A-Z]\.\s*)*[A-Z][a-z]{2,}(?:\s+[A-Z][a-z]+)?)\W*$"
)
# Capitalised words that follow "I'm" without being a name.
_NOT_A_NAME = frozenset(
    ["new", "not", "also", "just", "still", "sorry", "happy", "glad", "looking", "from", "here",
     "the", "back", "currently", "working", "based", "part", "planning", "trying", "sure", "fine",
     "good", "okay", "done", "hiring", "open", "available", "interested", "everyone", "all"]
)


_LEFT = re.compile(r"^(?P<names>.+?) (?:left|was removed)$")
_REMOVED = re.compile(r"^.+? removed (?P<names>.+)$")
_ADDED = re.compile(r"^.+? added (?P<names>.+)$")
_JOINED = re.compile(r"^(?P<names>.+?) joined(?: using this group's invite link)?$")


def membership_change(text: str) -> tuple[list[str], bool] | None:
    """Who a WhatsApp system line says is now in the group (True) or out of it (False)."""
    line = text.strip()
    for pattern, present in ((_LEFT, False), (_REMOVED, False), (_ADDED, True), (_JOINED, True)):
        match = pattern.match(line)
        if match:
            parts = re.split(r",\s*|\s+and\s+", match.group("names"))
            names = [
                display_name(p) for p in parts if p.strip() and p.strip() not in ("You", "you")
            ]
            return names, present
    return None


@lru_cache(maxsize=8192)
def display_name(author: str) -> str:
    """The author string without the export's `~` + narrow no-break space prefix."""
    return _EXPORT_PREFIX.sub("", author).strip()


@lru_cache(maxsize=8192)
def placeholder(author: str) -> str:
    """How an @mention of a not-yet-seen member is kept: "@" + first name, lower case."""
    first = _first_name(display_name(author))
    return "@" + (first or display_name(author).lower())


def name_words(names: set[str]) -> set[str]:
    """The lower-case words of these members' names: who is spoken to, not what is said."""
    return {w for name in names for w in _words_of_name(name)}


@lru_cache(maxsize=8192)
def _words_of_name(name: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _NAME_WORD.findall(display_name(name)))


@lru_cache(maxsize=16384)
def _closing_words(text: str) -> tuple[str, ...]:
    """The last words of a message that ends on a word (emoji and punctuation after it are
    fine, digits are not), honorifics left out: where a closing name would be."""
    tail = text[-80:]
    end = len(tail)
    while end and not tail[end - 1].isalnum():
        end -= 1
    if not end or tail[end - 1].isdigit():
        return ()
    return tuple(w for w in _NAME_WORD.findall(tail[:end]) if w.lower() not in _HONORIFICS)[-2:]


def digits_of(text: str) -> str:
    """Only the digits of a phone number, country code included."""
    return re.sub(r"\D", "", text)


def _first_name(name: str) -> str | None:
    words: list[str] = _NAME_WORD.findall(name)
    return next((w.lower() for w in words if w.lower() not in _TITLE_WORDS), None)


@dataclass
class NameDirectory:
    """Known authors and the names they can be called by, filled as a conversation is read."""

    _by_first: dict[str, set[str]] = field(default_factory=dict)
    _by_full: dict[str, str] = field(default_factory=dict)
    _by_digits: dict[str, str] = field(default_factory=dict)
    _added: set[str] = field(default_factory=set)  # authors already learnt: nothing new to add
    _number_only: set[str] = field(default_factory=set)  # authors known by no name (yet)

    def copy(self) -> NameDirectory:
        """A copy that learns on its own."""
        return NameDirectory(
            {first: set(owners) for first, owners in self._by_first.items()},
            dict(self._by_full),
            dict(self._by_digits),
            set(self._added),
            set(self._number_only),
        )

    def add(self, author: str) -> None:
        """Learn an author's names (idempotent); they are kept in display form (no `~`)."""
        if author in self._added:
            return
        self._added.add(author)
        name = display_name(author)
        full = " ".join(w.lower() for w in _NAME_WORD.findall(name))
        if full in self._by_full:
            return
        if full:
            self._by_full[full] = name
        else:
            self._number_only.add(author)
        number = digits_of(name)
        if len(number) >= 8 and not full:
            self._by_digits[number] = name
            self._by_digits[number[-10:]] = name
        first = _first_name(name)
        if first:
            self._by_first.setdefault(first, set()).add(name)

    def add_self_named(self, author: str, text: str) -> None:
        """Learn the first name a member known only by number gives themselves in a message,
        by introducing or signing it (`author` as given to `add`)."""
        if author not in self._number_only:
            return  # known by a name, or not met yet
        match = _SELF_NAMED.search(text)
        if match is not None:
            first = (match.group(1) or match.group(2)).lower()
        else:
            signed = _SIGNATURE.search(text)
            if signed is None:
                return
            first = next(w for w in _NAME_WORD.findall(signed.group(1)) if len(w) >= 3).lower()
        if first in _NOT_A_NAME or first in _TITLE_WORDS or first in _HONORIFICS:
            return
        self._by_first.setdefault(first, set()).add(display_name(author))

    def add_from_system(self, text: str) -> None:
        """Learn the names a WhatsApp system line mentions."""
        for pattern in _SYSTEM_NAMES:
            match = pattern.match(text.strip())
            if match:
                for name in match.groupdict().values():
                    if name and name.strip() not in ("You", "you"):
                        for part in name.split(", "):
                            self.add(part.removesuffix(" and").strip())
                return

    def _resolve_words(self, phrase: str) -> str | None:
        tokens = [w.lower() for w in _NAME_WORD.findall(phrase)]
        for n in range(len(tokens), 0, -1):
            candidate = " ".join(tokens[:n])
            if candidate in self._by_full:
                return str(self._by_full[candidate])
        if tokens:
            owners = self._by_first.get(tokens[0], set())
            if len(owners) == 1:
                return next(iter(owners))
            return self._fuzzy(" ".join(tokens[:2]))
        return None

    def _fuzzy(self, phrase: str) -> str | None:
        best, best_score = None, 0.0
        for full, author in self._by_full.items():
            score = fuzz.ratio(phrase, " ".join(full.split()[:2]))
            if score > best_score:
                best, best_score = author, score
        return best if best_score >= _FUZZY_MIN else None

    def mentioned(self, text: str) -> set[str]:
        """Authors @mentioned by name or by phone number; an unknown @mention is kept as written."""
        found: set[str] = set()
        if "@" not in text:
            return found  # both patterns start at an "@"
        for number in _AT_PHONE.findall(text):
            digits = digits_of(number)
            found.add(
                self._by_digits.get(digits) or self._by_digits.get(digits[-10:]) or "@" + digits
            )
        for phrase in _AT_NAME.findall(text):
            found.add(self._resolve_words(phrase) or "@" + phrase.split()[0].lower())
        return found

    def addressed(self, text: str) -> set[str]:
        """Authors the message opens or closes with by first name ("Pooja, …", "Hi Karthik –",
        "… is a classic, Sameer 🙂", "Send your CV Harsh ji")."""
        found: set[str] = set()
        by_first = self._by_first
        for low in _address_words(text):
            owners = by_first.get(low)
            if owners and len(owners) == 1:
                found |= owners
        return found

    def named(self, text: str) -> set[str]:
        """Authors whose (unambiguous) first name appears anywhere in the text."""
        found: set[str] = set()
        by_first = self._by_first
        for low in _capitalised_words(text):
            owners = by_first.get(low)
            if owners and len(owners) == 1:
                found |= owners
        return found

    def spoken_of(self, text: str) -> set[str]:
        """Authors the text speaks of in the third person ("any leads for Sameer?", "Sameer's
        CV", "Sameer is a solid recruiter", "Sameer ke liye"), not those it talks to."""
        found: set[str] = set()
        by_first = self._by_first
        for before, word, after in _words_around_names(text):
            owners = by_first.get(word)
            if not owners or len(owners) != 1:
                continue
            if before in _OF_SOMEONE or after in _OF_HIM or after == "'s":
                found |= owners
        return found


# Words after a name that make it the one spoken of ("Sameer is …", "Sameer ke liye").
_OF_HIM = frozenset(["is", "has", "was", "needs", "wants", "ke", "ko", "ki", "ka", "ne"])


@lru_cache(maxsize=4096)
def _words_around_names(text: str) -> tuple[tuple[str, str, str], ...]:
    """(word before, capitalised word, word after) for every word that could be a first name,
    lower case; a possessive shows as the after-word "'s"."""
    matches = list(_NAME_WORD.finditer(text))
    words = [m.group() for m in matches]
    found = []
    for k, word in enumerate(words):
        low = _first_name_form(word)
        if low is None:
            continue
        # Only a word in the same clause follows the name ("Ananya. Is that …" does not).
        joined = k + 1 < len(words) and not text[matches[k].end() : matches[k + 1].start()].strip()
        after = words[k + 1].lower() if joined else ""
        if low != word.lower():
            after = "'s"  # a possessive: "Sameer's CV"
        before = words[k - 1].lower() if k else ""
        found.append((before, low, after))
    return tuple(found)


def _first_name_form(word: str) -> str | None:
    """The word as a first name could be written, lower case without a possessive; None for a
    word that cannot be one (lower case, an honorific, under three letters)."""
    low = word.lower().removesuffix("'s").removesuffix("’s")
    if low not in _HONORIFICS and len(low) >= 3 and word[0].isupper():
        return low
    return None


@lru_cache(maxsize=16384)
def _address_words(text: str) -> tuple[str, ...]:
    """The words a message may address someone by, lower case: its opening word and a
    capitalised closing word that is not the object ("any template for Neha?")."""
    candidates: list[str] = []
    match = _OPENING.match(text)
    if match:
        candidates.append(str(match.group(1)).lower())
    words = _closing_words(text)
    closes = bool(words) and words[-1][0].isupper()
    if closes and (len(words) == 1 or words[-2].lower() not in _OF_SOMEONE):
        candidates.append(words[-1].lower())
    return tuple(candidates)


@lru_cache(maxsize=16384)
def _capitalised_words(text: str) -> tuple[str, ...]:
    """The text's capitalised words that could be a first name, lower case, in text order."""
    return tuple(low for low in map(_first_name_form, _NAME_WORD.findall(text)) if low is not None)
