"""Read a labelled chat (`sample_chat_truth.json`) into Turns and its truth, for evaluation.

Turns are built from the truth records directly (timestamp, author, text, system, media and
deleted flags) rather than by parsing `sample_chat.txt`: the truth file carries every field a Turn
needs, and this keeps the evaluation of the judgement independent of the export parser.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import Kind, Level, Turn
from bot.judgement.names import display_name

EXPORT_ZONE = ZoneInfo("Asia/Kolkata")  # the sample exports are in IST, minute resolution


class TruthFileError(ValueError):
    """A truth file is missing or does not have the expected shape."""


@dataclass(frozen=True)
class ChatTruth:
    """A labelled conversation: the turns as the bot sees them and the truth records beside them."""

    turns: list[Turn]
    records: list[dict[str, Any]]
    members: dict[str, dict[str, Any]]  # keyed by display name (no `~` prefix)

    @property
    def kinds(self) -> list[Kind]:
        """The true kind of every turn."""
        return [Kind(r["kind"]) for r in self.records]

    def member_levels(self) -> dict[str, Level]:
        """Every member's true level, by display name."""
        return {name: Level(m["level"]) for name, m in self.members.items()}


def _turn(record: Mapping[str, Any]) -> Turn:
    author = record.get("author")
    stamp = datetime.fromisoformat(record["timestamp"]).replace(tzinfo=EXPORT_ZONE)
    return Turn(
        index=int(record["index"]),
        sent_at=stamp,
        author=display_name(author) if author else None,
        text=str(record["text"]),
        system=bool(record.get("system", False)),
        media=bool(record.get("media", False)),
        deleted=bool(record.get("deleted", False)),
    )


def load_chat_truth(path: Path) -> ChatTruth:
    """Read a truth file; raise TruthFileError with the reason when it cannot be used."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        records = list(data["messages"])
        members = {display_name(k): v for k, v in dict(data["members"]).items()}
    except FileNotFoundError as exc:
        raise TruthFileError(f"{path} not found; expected a sample_chat_truth.json") from exc
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise TruthFileError(f"{path} is not a chat truth file ({exc})") from exc
    for position, record in enumerate(records):
        if record.get("index") != position:
            raise TruthFileError(f"{path}: record {position} has index {record.get('index')}")
    return ChatTruth([_turn(r) for r in records], records, members)
