"""Who left or came back, from a WhatsApp export's system lines ("Priya left", "Admin removed
Priya", "Admin added Priya", "Priya joined using this group's invite link").

Retention erases the name of a member gone longer than its limit (bot.jobs.retention), so the
import records when each member left (`Member.departed_at`) and when they returned. English
lines are read; the exporter's own "You left" names no member.
"""

from __future__ import annotations

import re
from typing import Final

from bot.text import strip_bidi

DEPARTURES: Final = frozenset({"left", "removed"})
RETURNS: Final = frozenset({"added", "joined"})

_PATTERNS: Final = {
    "left": re.compile(r"^(?P<who>.+?) (?:left|left the group)$"),
    "removed": re.compile(r"^(?:.+? removed (?P<who>.+)|(?P<passive>.+?) was removed)$"),
    "added": re.compile(r"^(?:.+? added (?P<who>.+)|(?P<passive>.+?) (?:was|were) added)$"),
    "joined": re.compile(r"^(?P<who>.+?) joined\b.*$"),
}
_LIST: Final = re.compile(r", (?:and )?| and ")
_YOU: Final = frozenset({"you", "You"})


def moved_names(text: str, event: str | None) -> list[tuple[str, bool]]:
    """(name as written, departed) for each member a system line says left (True) or came
    back (False); [] for any other line."""
    if event not in DEPARTURES and event not in RETURNS:
        return []
    pattern = _PATTERNS[event]
    line = strip_bidi(text.split("\n", 1)[0]).strip()
    match = pattern.match(line)
    if match is None:
        return []
    who = match.group("who") or (match.groupdict().get("passive") or "")
    departed = event in DEPARTURES
    names = (name.strip().lstrip("~").strip(" \u202f\u00a0") for name in _LIST.split(who))
    return [(name, departed) for name in names if name and name not in _YOU]
