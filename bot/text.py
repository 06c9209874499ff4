"""Text made safe to show: one home for the character rules every platform and file shares.

Bidi controls and invisible marks, Slack escaping, spreadsheet-safe cells, printable links,
UTF-16 length (how Twilio counts) and splitting long text into WhatsApp-sized messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# Controls that reorder or hide displayed text (Trojan Source, CVE-2021-42574) and the marks
# WhatsApp exports sprinkle around names and dates: ALM, LRM, RLM, the embeddings and overrides,
# the isolates and the byte-order mark. A plain string, so it also serves str.strip and translate.
BIDI_MARKS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_BIDI = re.compile(f"[{BIDI_MARKS}]")
# C0 controls and DEL: never part of a name (a newline in a name would forge a second line).
_CONTROL_OR_BIDI = re.compile(f"[\u0000-\u001f\u007f{BIDI_MARKS}]")

# The longest message WhatsApp lets anyone send (characters); a longer "message" in an export or a
# webhook is not one a person wrote, and keeping all of it would let one line cost any memory.
MAX_MESSAGE_CHARS = 65_536
WHATSAPP_BODY_UNITS = 1_600  # Twilio's WhatsApp body limit in UTF-16 units (errors 21617/14103)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SAFE_URL = re.compile(r"https?://[^\s<>|\"']+")
_WORD_BREAK = re.compile(r"( +)")


def strip_bidi(text: str) -> str:
    """Member text without the direction controls and marks that could disguise it."""
    return _BIDI.sub("", text)


def strip_controls(text: str) -> str:
    """A one-line name: bidi marks and control characters (newlines, tabs, NUL…) removed."""
    return _CONTROL_OR_BIDI.sub("", text)


def clean_text(text: str) -> str:
    """`text` without NUL characters and with lone surrogates replaced by U+FFFD.

    What every edge does to received text before it is stored: PostgreSQL refuses both, and
    neither is something a person typed.
    """
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


def slack_escape(text: str) -> str:
    """Text Slack shows literally: no mentions, no links, no `<!channel>` pings."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def formula_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ tab or CR is quoted."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def safe_url(url: str | None) -> str | None:
    """A web link fit to print (http or https, nothing that could break markup), or None."""
    if url and _SAFE_URL.fullmatch(url):
        return url
    return None


def utf16_length(text: str) -> int:
    """Length as Twilio counts it: UTF-16 code units (an emoji outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_lines(
    lines: Iterable[str],
    limit: int = WHATSAPP_BODY_UNITS,
    measure: Callable[[str], int] = utf16_length,
) -> list[str]:
    """Join lines into chunks of at most `limit` (by `measure`), breaking only between lines.

    A line longer than the limit is cut at spaces, else anywhere (never inside a surrogate pair).
    """
    chunks: list[str] = []
    current = ""
    for line in lines:
        for piece in _cut(line, limit, measure):
            candidate = f"{current}\n{piece}" if current else piece
            if measure(candidate) <= limit:
                current = candidate
            else:
                chunks.append(current)
                current = piece
    if current.strip():
        chunks.append(current)
    return chunks


def split_message(text: str, limit: int = WHATSAPP_BODY_UNITS) -> list[str]:
    """A message body as WhatsApp messages of at most `limit` UTF-16 units.

    Paragraphs (blank-line separated) stay whole where they fit, so a text already cut into
    numbered messages ("(1/3) …" joined by blank lines) is sent as those same messages; a
    paragraph too long alone is broken at lines, then words.
    """
    chunks: list[str] = []
    for paragraph in (p.strip("\n") for p in text.split("\n\n")):
        if not paragraph:
            continue
        pieces = (
            [paragraph]
            if utf16_length(paragraph) <= limit
            else [piece.strip("\n") for piece in split_lines(paragraph.split("\n"), limit)]
        )
        for piece in filter(None, pieces):
            joined = f"{chunks[-1]}\n\n{piece}" if chunks else piece
            if chunks and utf16_length(joined) <= limit:
                chunks[-1] = joined
            else:
                chunks.append(piece)
    return chunks or [""]


def _cut(line: str, limit: int, measure: Callable[[str], int]) -> list[str]:
    if measure(line) <= limit:
        return [line]
    pieces: list[str] = []
    piece, size = "", 0
    for word in _WORD_BREAK.split(line):
        width = measure(word)
        if size + width > limit and piece:
            pieces.append(piece)
            piece, size = "", 0
        if width > limit:
            *whole, word = _cut_anywhere(word, limit, measure)
            pieces += whole
            width = measure(word)
        piece, size = piece + word, size + width
    return [*pieces, piece] if piece else pieces


def _cut_anywhere(word: str, limit: int, measure: Callable[[str], int]) -> list[str]:
    pieces: list[str] = []
    piece, size = "", 0
    for char in word:  # measures are additive (len, UTF-16 units), so count per character
        width = measure(char)
        if size + width > limit:
            pieces.append(piece)
            piece, size = "", 0
        piece, size = piece + char, size + width
    return [*pieces, piece]
