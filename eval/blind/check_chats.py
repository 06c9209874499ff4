#!/usr/bin/env python3
"""Checker for the blind evaluation chats: parses each export independently and compares with its truth JSON."""
import datetime
import json
import re
import sys
from collections import Counter

NN = "\u202f"
HDR = {
 "android24": re.compile(r"^(\d{2})/(\d{2})/(\d{4}), (\d{2}):(\d{2}) - (.*)$"),
 "android24yy": re.compile(r"^(\d{2})/(\d{2})/(\d{2}), (\d{2}):(\d{2}) - (.*)$"),
 "android12us": re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}), (\d{1,2}):(\d{2})\u202f([AP]M) - (.*)$"),
 "ios": re.compile(r"^\[(\d{2})/(\d{2})/(\d{2}), (\d{2}):(\d{2}):(\d{2})\] (.*)$"),
}
ANYHDR = re.compile(r"^\[?\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d{2}")
TOPICS = set(["payroll_compliance", "labour_law", "hr_policy", "vendor", "job_search", "compensation", "talent_acquisition", "learning_development", "engagement_retention", "mentoring", "hr_tech", "posh", "networking", "hr_analytics"])
LEVELS = {"junior", "mid", "senior", "executive", "unknown"}
errs = []
def E(c, msg): errs.append(f"{c}: {msg}")

def parse(path, fmt, group):
    rx = HDR[fmt]; out = []
    for ln, line in enumerate(open(path, encoding="utf-8").read().split("\n")[:-1], 1):
        m = rx.match(line)
        if m:
            g = m.groups()
            if fmt == "android12us":
                mo, d, y, h, mi, ap, rest = g
                h = int(h) % 12 + (12 if ap == "PM" else 0)
                ts = datetime.datetime(2000 + int(y), int(mo), int(d), h, int(mi)); sec = 0
            elif fmt == "ios":
                d, mo, y, h, mi, s, rest = g
                ts = datetime.datetime(2000 + int(y), int(mo), int(d), int(h), int(mi)); sec = int(s)
            else:
                d, mo, y, h, mi, rest = g
                y = int(y) + (2000 if len(y) == 2 else 0)
                ts = datetime.datetime(y, int(mo), int(d), int(h), int(mi)); sec = 0
            if fmt == "ios":
                a, t = rest.split(": ", 1)
                author = None if a == group else a
            else:
                if ": " in rest and not rest.startswith("\u200e"):
                    a, t = rest.split(": ", 1); author = a
                else:
                    author, t = None, rest
            out.append(dict(line=ln, ts=ts, sec=sec, author=author, text=[t]))
        else:
            if ANYHDR.match(line) or any(r.match(line) for r in HDR.values()):
                E(path, f"continuation line {ln} looks like a header: {line[:60]}")
            if not out:
                E(path, "continuation before first header"); continue
            out[-1]["text"].append(line)
    return out

def check(n):
    c = f"chat{n}"
    T = json.load(open(f"{c}_truth.json", encoding="utf-8"))
    fmt, msgs = T["format"], T["messages"]
    P = parse(f"{c}.txt", fmt, T["group"])
    if len(P) != len(msgs): E(c, f"parsed {len(P)} vs truth {len(msgs)}")
    known = set(T["members"])
    for p, m in zip(P, msgs):
        i = m["index"]
        if p["line"] != m["line"]: E(c, f"{i} line {p['line']} != {m['line']}")
        if p["ts"].strftime("%Y-%m-%dT%H:%M") != m["timestamp"]: E(c, f"{i} timestamp")
        if m.get("system"):
            if p["author"] is not None: E(c, f"{i} system line parsed with author {p['author']}")
        elif p["author"] != m["author"]: E(c, f"{i} author {p['author']!r} != {m['author']!r}")
        if "\n".join(p["text"]) != m["text"]: E(c, f"{i} text mismatch")
        if m["author"] is not None and m["author"] not in known: E(c, f"{i} author not in members")
        if m["author"] and m["author"].startswith("~") and not m["author"].startswith("~" + NN): E(c, f"{i} tilde without U+202F")
        if m["kind"] not in ("job_post", "help_request", "gyaan", "other"): E(c, f"{i} bad kind")
        if m.get("system") and m["kind"] != "other": E(c, f"{i} system not other")
        for k in ("reply_to_index", "refers_to_index"):
            if k in m and not (0 <= m[k] < i): E(c, f"{i} {k} not backwards")
        if m["kind"] == "job_post" and m.get("role_level") not in LEVELS: E(c, f"{i} job_post role_level")
        if m["kind"] != "job_post" and "role_level" in m: E(c, f"{i} role_level on non job")
        if m.get("media") and m["text"] not in ("<Media omitted>", "\u200eimage omitted"): E(c, f"{i} media text")
        if m.get("deleted") and "This message was deleted" not in m["text"]: E(c, f"{i} deleted text")
        if m.get("edited") and not m["text"].endswith("<This message was edited>"): E(c, f"{i} edited text")
    # order
    keys = [(p["ts"], p["sec"]) for p in P]
    for a in range(1, len(keys)):
        if keys[a] < keys[a - 1]: E(c, f"time decreases at message {a}")
    if not msgs[0].get("system_event") == "encryption_notice" or msgs[0]["line"] != 1: E(c, "first line not encryption notice")
    # help requests
    hr = [m for m in msgs if m["kind"] == "help_request"]
    for m in hr:
        i = m["index"]
        if m.get("topic") not in TOPICS: E(c, f"{i} topic")
        subs = [x["index"] for x in msgs if x.get("reply_to_index") == i and x["author"] != m["author"]]
        if subs != m["substantive_reply_indices"]: E(c, f"{i} substantive list")
        if m["first_answer_index"] != (subs[0] if subs else None): E(c, f"{i} first_answer_index")
        res = m["resolved_by_asker"]
        if res:
            r = msgs[m["resolved_index"]]
            if r["author"] != m["author"] or r.get("refers_to_index") != i: E(c, f"{i} resolved_index")
        elif m["resolved_index"] is not None: E(c, f"{i} resolved_index without resolved")
        if m["answered"] != (bool(subs) or res): E(c, f"{i} answered")
        if subs:
            t0 = datetime.datetime.fromisoformat(m["timestamp"]); t1 = datetime.datetime.fromisoformat(msgs[subs[0]]["timestamp"])
            if m["first_response_minutes"] != int((t1 - t0).total_seconds() // 60): E(c, f"{i} minutes")
        elif m["first_response_minutes"] is not None: E(c, f"{i} minutes not null")
    for m in msgs:
        if "reply_to_index" in m and msgs[m["reply_to_index"]].get("system"): E(c, f"{m['index']} replies to system")
    # members
    cnt = Counter(m["author"] for m in msgs if m["author"])
    for a, mem in T["members"].items():
        if cnt[a] != mem["messages"]: E(c, f"member {a} count {cnt[a]} != {mem['messages']}")
        if mem["level"] not in LEVELS: E(c, f"member {a} level")
        if mem["tilde_prefix"] != a.startswith("~" + NN): E(c, f"member {a} tilde flag")
        if mem["phone_number_only"] != a.startswith("+91 "): E(c, f"member {a} phone flag")
    # brief constraints
    kinds = Counter(m["kind"] for m in msgs)
    days = (datetime.date.fromisoformat(T["last_day"]) - datetime.date.fromisoformat(T["first_day"])).days + 1
    if not 150 <= len(msgs) <= 220: E(c, "message count out of range")
    if not 18 <= len(T["members"]) <= 30: E(c, "member count out of range")
    if not 20 <= kinds["help_request"] <= 30: E(c, "help request count out of range")
    if not 14 <= days <= 21: E(c, f"span {days} days")
    ph = sum(1 for m in T["members"].values() if m["phone_number_only"])
    if not 1 <= ph <= 2: E(c, "phone-only members")
    ev = Counter(m.get("system_event") for m in msgs if m.get("system"))
    for e in ("added", "joined", "left"):
        if not ev[e]: E(c, f"no {e} system line")
    print(f"{c}: {fmt} {T['first_day']}..{T['last_day']} ({days} d) msgs={len(msgs)} members={len(T['members'])} "
          f"kinds={dict(kinds)} answered={sum(m['answered'] for m in hr)}/{len(hr)} "
          f"media={sum(1 for m in msgs if m.get('media'))} deleted={sum(1 for m in msgs if m.get('deleted'))} edited={sum(1 for m in msgs if m.get('edited'))}")

for n in (1, 2, 3, 4):
    check(n)
print("\n".join(errs) if errs else "ALL CHECKS PASSED")
sys.exit(1 if errs else 0)
