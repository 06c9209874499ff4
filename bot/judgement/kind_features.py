"""What the kind model sees in a message: words, word pairs, letter groups and named cues.

Training (bot/judgement/training.py) and prediction (bot/judgement/kind_model.py) both build
their features from these functions, so the shipped weights always mean the same thing.
The named cues are the lexicon's phrase families (bot/judgement/lexicon.py) and the message's
shape (a question, an experience range, a link, a reply); each has a label a moderator can read.
"""

from __future__ import annotations

import re
from itertools import pairwise

from bot.domain import Kind
from bot.judgement.kind_shapes import SHAPES, MessageFacts, shape_flags
from bot.judgement.lexicon import CUES

MARKERS = re.compile(
    r"<this message was edited>|<media omitted>|this message was deleted|you deleted this message",
    re.IGNORECASE,
)
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[+#@]")
CHAR_SIZES = (3, 4, 5)
# Letter groups come from the first letters of a word: longer strings are pasted links or noise.
CHAR_WORD_LIMIT = 24
# Letter groups weigh this much against words and pairs: chosen by cross-validation on the corpus
# (they carry typos, Hinglish spellings and word forms that whole words miss).
CHAR_SCALE = 3.0


def clean(text: str) -> str:
    """The message without export markers ("<Media omitted>", "edited"), trimmed."""
    return (MARKERS.sub(" ", text) if ("<" in text or "deleted" in text) else text).strip()


def tokens(body: str) -> list[str]:
    """Lower-case words, numbers and the symbols that matter (+, #, @), in order."""
    return TOKEN.findall(body.lower())


def char_grams(token: str) -> list[str]:
    """Letter groups of 3-5 characters of one word, with its edges marked by spaces."""
    padded = f" {token[:CHAR_WORD_LIMIT]} "
    size = len(padded)
    return [padded[i : i + n] for n in CHAR_SIZES for i in range(size - n + 1)]


def bigrams(words: list[str]) -> list[str]:
    """Adjacent word pairs, as "first second"."""
    return [f"{a} {b}" for a, b in pairwise(words)]


# Words too common to tell a message's kind or to be named in a reason.
STOP_WORDS = frozenset(
    {
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "at", "by", "with", "from",
        "is", "are", "was", "were", "be", "been", "am", "i", "we", "you", "he", "she", "they",
        "it", "this", "that", "these", "those", "my", "our", "your", "his", "her", "their", "me",
        "us", "them", "as", "if", "so", "not", "no", "do", "does", "did", "have", "has", "had",
        "can", "could", "will", "would", "should", "may", "might", "pls", "please", "hi",
        "hello", "all", "any",
    }
)  # fmt: skip


# --- named cues -------------------------------------------------------------------------------

CUE_INDEX = {" ".join(TOKEN.findall(phrase)): cue for phrase, cue in CUES.items()}
_CUE_PREFIXES = frozenset(
    " ".join(words[:n])
    for words in (phrase.split() for phrase in CUE_INDEX)
    for n in range(1, len(words))
)
CUE_LABELS: dict[str, tuple[Kind, str]] = {
    f"cue:{label}": (kind, label) for kind, _, label in CUES.values()
}


def lexicon_cues(words: list[str]) -> dict[str, tuple[int, str]]:
    """Phrase families found in the words: feature name -> (hits, first phrase found)."""
    found: dict[str, tuple[int, str]] = {}
    lookup, prefixes = CUE_INDEX.get, _CUE_PREFIXES
    count = len(words)
    for i, token in enumerate(words):
        phrase = token
        j = i + 1
        while True:
            cue = lookup(phrase)
            if cue is not None:
                name = f"cue:{cue[2]}"
                hits, first = found.get(name, (0, phrase))
                found[name] = (hits + 1, first)
            if phrase not in prefixes or j >= count:
                break
            phrase = f"{phrase} {words[j]}"
            j += 1
    return found


def named_cues(
    body: str, words: list[str], *, forwarded: bool, is_reply: bool
) -> dict[str, tuple[float, str]]:
    """Every named cue of a message: its value (phrase families count up to three) and the
    phrase that triggered it ("" for shape cues)."""
    found: dict[str, tuple[float, str]] = {
        name: (float(min(hits, 3)), phrase) for name, (hits, phrase) in lexicon_cues(words).items()
    }
    for name in shape_cues(body, words, forwarded=forwarded, is_reply=is_reply):
        found[name] = (1.0, "")
    return found


def shape_cues(body: str, words: list[str], *, forwarded: bool, is_reply: bool) -> list[str]:
    """Evidence from the shape of a message rather than its words (feature names)."""
    facts = MessageFacts(body, words, forwarded=forwarded, is_reply=is_reply)
    return [name for name, found in shape_flags(facts).items() if found]


def cue_label(name: str, phrase: str) -> str:
    """A cue's name in words, with the phrase that triggered a lexicon family."""
    if name in SHAPES:
        return SHAPES[name]
    label = CUE_LABELS[name][1] if name in CUE_LABELS else name.partition(":")[2]
    return f"{label} ('{phrase}')" if phrase else label


def featurisation() -> dict[str, object]:
    """The constants that give the features their meaning; a model file records them."""
    return {
        "char_sizes": list(CHAR_SIZES),
        "char_word_limit": CHAR_WORD_LIMIT,
        "char_scale": CHAR_SCALE,
        "cues": sorted(set(CUE_LABELS) | set(SHAPES)),
    }


def message_features(
    text: str, *, forwarded: bool = False, is_reply: bool = False
) -> dict[str, float]:
    """The full, normalised feature vector of one message (training's view of it)."""
    body = clean(text)
    if not body:
        return {"shape:empty": 1.0}
    words = tokens(body)
    distinct = list(dict.fromkeys(words))
    pairs = list(dict.fromkeys(bigrams(words)))
    features: dict[str, float] = {}
    word_norm = (len(distinct) + len(pairs)) ** -0.5 if distinct else 0.0
    for word in distinct:
        features[f"w:{word}"] = word_norm
    for pair in pairs:
        features[f"b:{pair}"] = word_norm
    grams: dict[str, int] = {}
    for word in distinct:
        for gram in char_grams(word):
            grams[gram] = grams.get(gram, 0) + 1
    total = sum(grams.values())
    char_norm = CHAR_SCALE * total**-0.5 if total else 0.0
    for gram, count in grams.items():
        features[f"c:{gram}"] = count * char_norm
    for name, (value, _) in named_cues(body, words, forwarded=forwarded, is_reply=is_reply).items():
        features[name] = value
    return features
