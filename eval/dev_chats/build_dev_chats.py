#!/usr/bin/env python3
"""Write the development chats (`<name>.txt` + `<name>_truth.json`) from their hand-written sources.

Each `src/<name>.chat` is a labelled chat written by hand, message by message; this script only
lays it out as a WhatsApp (Android) export and derives the truth fields that follow from the
labels (answered, first answer, first response, resolved, member topics), so no count is typed
twice. Standard library only.
Usage: `python3 eval/dev_chats/build_dev_chats.py [--folder F] [NAME…]`
(F defaults to eval/dev_chats; sources are read from F/src, outputs written to F).

Source layout:

    group: <name>                      header lines, then `members:`
    members:
    <author> | <level> | <level_source>   "~Name" is written "~" + U+202F + name in the export
    messages:
    == YYYY-MM-DD                      a new day
    HH:MM <author> | <kind> [k=v ...] [flags]   kind: help job gyaan other media deleted
    <text lines, until the next header or day line>
    HH:MM SYS <event> [actor=..] [subject=..]   a system line; its text on the next line

Attributes: `id=` a label later messages refer to; `reply=` the label a substantive reply
answers; `refers=` the label a non-substantive follow-up reacts to; `topic=` a help request's
topic; `role=` a job post's level; `tag=` the member an admin's welcome states a title for;
flag `sorted` marks the asker's own "sorted, thanks" (it must also have `refers=`).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

NNBSP = "\u202f"
HERE = Path(__file__).resolve().parent
KINDS = {
    "help": "help_request",
    "job": "job_post",
    "gyaan": "gyaan",
    "other": "other",
    "media": "other",
    "deleted": "other",
}
LEVELS = {"junior", "mid", "senior", "executive", "unknown"}
SOURCES = {"moderator_tag", "own_statement", "profile_title", "writing", "none"}
TOPICS = {
    "payroll_compliance",
    "labour_law",
    "hr_policy",
    "vendor",
    "job_search",
    "compensation",
    "talent_acquisition",
    "learning_development",
    "engagement_retention",
    "mentoring",
    "hr_tech",
    "posh",
    "networking",
    "hr_analytics",
}
_HEADER = re.compile(r"^(\d\d:\d\d) (.+?) \| (\w+)((?: \S+)*)$")
_SYSTEM = re.compile(r"^(\d\d:\d\d) SYS (\w+)((?: \S+=\S+)*)$")
_DAY = re.compile(r"^== (\d{4}-\d\d-\d\d)$")
EDITED = "<This message was edited>"


@dataclass
class Message:
    at: datetime
    author: str | None
    kind: str
    attrs: dict[str, str]
    flags: set[str]
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        lines = list(self.lines)
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join(lines)


def _author(raw: str) -> str:
    raw = raw.strip()
    return "~" + NNBSP + raw[1:].strip() if raw.startswith("~") else raw


def _plain(author: str) -> str:
    return author.removeprefix("~" + NNBSP)


def parse(path: Path) -> tuple[dict[str, str], dict[str, tuple[str, str]], list[Message]]:
    head: dict[str, str] = {}
    members: dict[str, tuple[str, str]] = {}
    messages: list[Message] = []
    section, day = "head", None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{number}"
        if section != "messages" and line.startswith("%"):
            continue
        if line == "members:":
            section = "members"
            continue
        if line == "messages:":
            section = "messages"
            continue
        if section == "head":
            if line.strip():
                key, _, value = line.partition(":")
                head[key.strip()] = value.strip()
        elif section == "members":
            if line.strip():
                name, level, source = (p.strip() for p in line.split("|"))
                assert level in LEVELS and source in SOURCES, where
                members[_author(name)] = (level, source)
        else:
            if m := _DAY.match(line):
                day = date.fromisoformat(m.group(1))
                continue
            if (m := _SYSTEM.match(line)) and day:
                at = datetime.combine(day, datetime.strptime(m.group(1), "%H:%M").time())
                attrs = dict(a.split("=", 1) for a in m.group(3).split())
                attrs = {k: _author(v.replace("_", " ")) for k, v in attrs.items()}
                attrs["event"] = m.group(2)
                messages.append(Message(at, None, "system", attrs, set()))
                continue
            if (m := _HEADER.match(line)) and day:
                at = datetime.combine(day, datetime.strptime(m.group(1), "%H:%M").time())
                kind = m.group(3)
                assert kind in KINDS, f"{where}: kind {kind}"
                attrs, flags = {}, set()
                for part in m.group(4).split():
                    if "=" in part:
                        key, value = part.split("=", 1)
                        attrs[key] = value
                    else:
                        flags.add(part)
                author = _author(m.group(2))
                assert author in members, f"{where}: unknown author {author!r}"
                messages.append(Message(at, author, kind, attrs, flags))
                continue
            assert messages, f"{where}: text before any message"
            messages[-1].lines.append(line)
    return head, members, messages


def build(path: Path) -> None:
    head, members, messages = parse(path)
    name = path.stem
    labels: dict[str, int] = {}
    for index, message in enumerate(messages):
        label = message.attrs.get("id")
        if label:
            assert label not in labels, f"{name}: label {label} twice"
            labels[label] = index
    records: list[dict[str, Any]] = []
    export_lines: list[str] = []
    for index, message in enumerate(messages):
        if index:
            assert message.at >= messages[index - 1].at, f"{name}: message {index} out of order"
        stamp = message.at.strftime("%d/%m/%Y, %H:%M")
        text = message.text
        record: dict[str, Any] = {
            "index": index,
            "line": len(export_lines) + 1,
            "timestamp": message.at.strftime("%Y-%m-%dT%H:%M"),
            "author": message.author,
        }
        if message.kind == "system":
            assert text, f"{name}: system line {index} without text"
            record.update(kind="other", text=text, system=True, system_event=message.attrs["event"])
            for key in ("actor", "subject"):
                if key in message.attrs:
                    record[key] = message.attrs[key]
            export_lines.append(f"{stamp} - {text}")
        else:
            if message.kind == "media":
                text = "<Media omitted>"
            elif message.kind == "deleted":
                text = "This message was deleted"
            assert text and not _HEADER.match(text.splitlines()[0]), f"{name}: message {index}"
            record.update(kind=KINDS[message.kind], text=text)
            if message.kind == "media":
                record["media"] = True
            if message.kind == "deleted":
                record["deleted"] = True
            if EDITED in text:
                record["edited"] = True
            for key, field_name in (("reply", "reply_to_index"), ("refers", "refers_to_index")):
                if key in message.attrs:
                    target = labels[message.attrs[key]]
                    assert target < index, f"{name}: message {index} points forward"
                    record[field_name] = target
            if message.kind == "job":
                record["role_level"] = message.attrs.get("role", "unknown")
            if message.kind == "help":
                topic = message.attrs.get("topic")
                assert topic in TOPICS, f"{name}: request {index} topic {topic}"
                record["topic"] = topic
            if "tag" in message.attrs:
                record["moderator_tag_for"] = _author(message.attrs["tag"].replace("_", " "))
            lines = text.split("\n")
            export_lines.append(f"{stamp} - {message.author}: {lines[0]}")
            export_lines.extend(lines[1:])
        records.append(record)
    _derive_requests(name, records, messages)
    truth = {
        "about": head.get("about", ""),
        "group": head.get("group", name),
        "first_day": messages[0].at.date().isoformat(),
        "last_day": messages[-1].at.date().isoformat(),
        "timezone": "Asia/Kolkata (IST, UTC+05:30); timestamps as exported, minute resolution",
        "messages": records,
        "members": _members(members, records),
    }
    out = path.parent.parent  # <folder>/src/<name>.chat → <folder>/<name>.txt
    (out / f"{name}.txt").write_text("\n".join(export_lines) + "\n", encoding="utf-8")
    (out / f"{name}_truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    requests = [r for r in records if r["kind"] == "help_request"]
    open_ = [r for r in requests if not r["answered"]]
    print(f"{name}: {len(records)} messages, {len(requests)} requests, {len(open_)} open")


def _root(records: list[dict[str, Any]], index: int) -> int:
    seen = 0
    while seen < 20:
        record = records[index]
        parent = record.get("reply_to_index", record.get("refers_to_index"))
        if parent is None:
            return index
        index = int(parent)
        seen += 1
    raise AssertionError("reply chain too long")


def _derive_requests(name: str, records: list[dict[str, Any]], messages: list[Message]) -> None:
    for index, record in enumerate(records):
        if record["kind"] != "help_request":
            continue
        asker = record["author"]
        replies = [
            r
            for r in records[index + 1 :]
            if "reply_to_index" in r
            and r["author"] != asker
            and _root(records, int(r["index"])) == index
        ]
        resolved = [
            r
            for r, m in zip(records[index + 1 :], messages[index + 1 :], strict=True)
            if "sorted" in m.flags
            and r["author"] == asker
            and _root(records, int(r["index"])) == index
        ]
        first = replies[0] if replies else None
        minutes = None
        if first is not None:
            delta = datetime.fromisoformat(str(first["timestamp"])) - datetime.fromisoformat(
                str(record["timestamp"])
            )
            minutes = int(delta.total_seconds() // 60)
        record.update(
            answered=bool(replies or resolved),
            first_answer_index=first["index"] if first else None,
            first_response_minutes=minutes,
            resolved_by_asker=bool(resolved),
            resolved_index=resolved[0]["index"] if resolved else None,
            substantive_reply_indices=[r["index"] for r in replies],
        )
    for message, record in zip(messages, records, strict=True):
        if "sorted" in message.flags:
            target = record.get("refers_to_index")
            assert target is not None, f"{name}: sorted message {record['index']} refers nowhere"
            root = records[_root(records, int(record["index"]))]
            assert root["kind"] == "help_request" and root["author"] == record["author"], (
                f"{name}: sorted message {record['index']} does not close its writer's request"
            )


def _members(
    members: dict[str, tuple[str, str]], records: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for author, (level, source) in members.items():
        asked = sorted(
            {
                str(r["topic"])
                for r in records
                if r["kind"] == "help_request" and r["author"] == author
            }
        )
        answered = sorted(
            {
                str(records[_root(records, int(r["index"]))]["topic"])
                for r in records
                if "reply_to_index" in r
                and r["author"] == author
                and records[_root(records, int(r["index"]))]["kind"] == "help_request"
                and records[_root(records, int(r["index"]))]["author"] != author
            }
        )
        written = sum(1 for r in records if r["author"] == author)
        assert written, f"member {author} never writes"
        out[author] = {
            "name": _plain(author),
            "level": level,
            "level_source": source,
            "topics": sorted(set(asked) | set(answered)),
            "asked_topics": asked,
            "answered_topics": answered,
            "tilde_prefix": author.startswith("~"),
            "phone_number_only": bool(re.fullmatch(r"\+[\d ]+", author)),
            "messages": written,
        }
    return out


def main(argv: list[str]) -> None:
    folder = HERE
    if len(argv) > 2 and argv[1] == "--folder":
        folder, argv = Path(argv[2]), [argv[0], *argv[3:]]
    sources = sorted((folder / "src").glob("*.chat"))
    for path in sources:
        if len(argv) > 1 and path.stem not in argv[1:]:
            continue
        build(path)


if __name__ == "__main__":
    main(sys.argv)
