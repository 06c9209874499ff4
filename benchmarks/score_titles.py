"""Quick scorer for bot.judgement.seniority against shared/data (development aid)."""

import json
import sys
from pathlib import Path

from bot.domain import Level
from bot.judgement import job_levels, seniority

DATA = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data")
titles = [json.loads(line) for line in (DATA / "titles.jsonl").open()]
hits = 0
for t in titles:
    got = seniority.level_of_title(t["text"]).level
    hits += got == Level(t["level"])
    if got != Level(t["level"]):
        print("TITLE", t["id"], t["level"], "got", got, "|", t["text"])
print(f"title accuracy {hits}/{len(titles)} = {hits / len(titles):.3f}")
msgs = [json.loads(line) for line in (DATA / "messages.jsonl").open()]
jobs = [m for m in msgs if m["kind"] == "job_post"]
ok = 0
for m in jobs:
    got = job_levels.role_level(m["text"])
    ok += got == Level(m["role_level"])
    if got != Level(m["role_level"]):
        print(
            "ROLE", m["id"], m["role_level"], "got", got, "|", m["text"][:120].replace("\n", " / ")
        )
print(f"role level {ok}/{len(jobs)} = {ok / len(jobs):.3f}")
ok = 0
for m in msgs:
    if m["kind"] == "job_post":
        continue
    ev = seniority.statement_level(m["text"])
    got = ev.level if ev else Level.UNKNOWN
    ok += got == Level(m["author_level"])
    if got != Level(m["author_level"]):
        print(
            "AUTH",
            m["id"],
            m["author_level"],
            "got",
            got,
            ev and ev.reason,
            "|",
            m["text"][:110].replace("\n", " / "),
        )
n = sum(m["kind"] != "job_post" for m in msgs)
print(f"author level (non-job) {ok}/{n} = {ok / n:.3f}")
