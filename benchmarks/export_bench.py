"""Export-parser benchmark: a generated Android export, our parser versus whatstk.

Wall and CPU seconds are both reported: on a shared machine the CPU figures are the comparable ones.

`python -m benchmarks.export_bench --messages 1000000` prints both figures; `make bench` calls the
functions from a driver that runs each one in its own process and measures peak RSS there.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import datetime, timedelta
from pathlib import Path

_FIRST = (
    "Aarti", "Rahul", "Sneha", "Vikram", "Meera", "Imran", "Kavya", "Arjun", "Nisha", "Sanjay",
    "Pooja", "Deepak", "Ananya", "Rohit", "Fatima", "Joseph", "Lakshmi", "Harpreet", "Manoj",
)  # fmt: skip
_LAST = (
    "Sharma", "Iyer", "Khan", "Reddy", "Menon", "Gupta", "Das", "Kulkarni", "Singh", "Thomas",
    "Bose", "Patil", "Naidu", "Verma", "Joshi",
)  # fmt: skip
_ROLES = (
    "HR Executive", "HRBP", "Talent Acquisition Lead", "Payroll Specialist", "L&D Manager",
    "Senior Recruiter", "HR Generalist", "Compensation Analyst", "Head of People", "HR Intern",
)  # fmt: skip
_CITIES = ("Pune", "Bengaluru", "Gurugram", "Chennai", "Hyderabad", "Kochi", "Noida", "Indore")
_JOB_POSTS = (
    "We are hiring a {role} in {city}, {lo}-{hi} yrs. Share CVs at careers@acme.example",
    "Opening: {role} | {city} | {lo}-{hi} years | immediate joiners preferred.\n"
    "Interested folks please DM me 🙏",
    "📢 Job alert 📢\n\nRole: {role}\nLocation: {city}\nExperience: {lo}-{hi} yrs\n\n"
    "Apply: https://jobs.example.com/{n}",
    "My team is looking for a {role} ({city}). Referrals welcome, {lo}+ yrs needed.",
)
_HELP = (
    "Hi all, can anyone share a good template for {topic}? Need it by Friday 🙏",
    "Quick question: how are you all handling {topic} for contract staff?",
    "Need help – our auditor flagged {topic}. Anyone dealt with this?\nAny pointers welcome.",
    "Looking for a vendor for {topic} in {city}. Recommendations?",
)  # fmt: skip
_GYAAN = (
    "Reminder: {topic} is not just a compliance item, it is a trust item. Do it right.",
    "Lesson from 10 years in HR: document {topic} decisions the day you make them.",
    "Sharing a thought on {topic}:\n1. Keep it simple\n2. Communicate early\n3. Review quarterly",
)
_OTHER = (
    "Thanks {name}, this is really helpful 👍",
    "+1",
    "Good morning all 🌞",
    "Congratulations {name}! 🎉",
    "Following",
    "@{name} check your DM please",
    "Thank you, sorted now 🙏",
)
_TOPICS = (
    "gratuity calculation", "POSH training", "exit interviews", "salary benchmarking",
    "PF transfer", "probation policy", "campus hiring", "leave encashment", "appraisal calibration",
)  # fmt: skip
_MARKERS = ("<Media omitted>", "This message was deleted", "image omitted")


def _authors(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    for i in range(count):
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        roll = i % 10
        if roll == 0:
            names.append(f"+91 9{rng.randrange(1000, 9999)} {rng.randrange(10000, 99999)}")
        elif roll < 4:
            names.append(f"~\u202f{name}")
        else:
            names.append(name)
    return names


def _message(rng: random.Random, authors: list[str]) -> str:
    roll = rng.random()
    values = {
        "role": rng.choice(_ROLES),
        "city": rng.choice(_CITIES),
        "lo": rng.randrange(1, 8),
        "hi": rng.randrange(8, 15),
        "n": rng.randrange(1000, 99999),
        "topic": rng.choice(_TOPICS),
        "name": rng.choice(authors).lstrip("~\u202f"),
    }
    if roll < 0.2:
        text = rng.choice(_JOB_POSTS)
    elif roll < 0.35:
        text = rng.choice(_HELP)
    elif roll < 0.5:
        text = rng.choice(_GYAAN)
    elif roll < 0.52:
        return rng.choice(_MARKERS)
    else:
        text = rng.choice(_OTHER)
    text = text.format(**values)
    if rng.random() < 0.03:
        text += " <This message was edited>"
    return text


def generate_export(path: Path, messages: int, seed: int = 1) -> None:
    """Write an Android-format export with `messages` member messages and a few system lines."""
    rng = random.Random(seed)
    authors = _authors(rng, 300)
    when = datetime(2023, 1, 2, 8, 0)
    step = max(1, int(365 * 24 * 3600 * 0.75 / max(messages, 1)))
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(
            f"{when:%d/%m/%Y, %H:%M} - Messages and calls are end-to-end encrypted. No one "
            "outside of this chat, not even WhatsApp, can read or listen to them.\n"
        )
        for i in range(messages):
            when += timedelta(seconds=rng.randrange(0, 2 * step + 1))
            stamp = f"{when:%d/%m/%Y, %H:%M} - "
            if i % 5000 == 4999:
                out.write(f"{stamp}{rng.choice(authors)} added {rng.choice(authors)}\n")
            author = rng.choice(authors)
            out.write(f"{stamp}{author}: {_message(rng, authors)}\n")


def bench_parse(path: Path) -> dict[str, float]:
    """Parse `path` with handlers.whatsapp_export; member-message count, seconds and rate."""
    from handlers.whatsapp_export import open_export, parse_export

    start, cpu = time.perf_counter(), time.process_time()
    count = 0
    for entry in parse_export(open_export(path, max_bytes=2 * 1024**3)):
        if not entry.system:
            count += 1
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    return {
        "messages": count, "seconds": seconds, "cpu_seconds": cpu_seconds,
        "messages_per_s": count / seconds,
    }  # fmt: skip


def bench_whatstk(path: Path) -> dict[str, float]:
    """Parse `path` with whatstk's auto-detecting parser; row count, seconds and rate."""
    from whatstk import WhatsAppChat

    start, cpu = time.perf_counter(), time.process_time()
    chat = WhatsAppChat.from_source(filepath=str(path), max_size=None)  # its default cap is 50 MB
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    count = len(chat.df)
    return {
        "messages": count, "seconds": seconds, "cpu_seconds": cpu_seconds,
        "messages_per_s": count / seconds,
    }  # fmt: skip


def main() -> None:
    """Generate an export and print both parsers' figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--path", type=Path, default=Path("bench-data/export_bench.txt"))
    parser.add_argument("--skip-whatstk", action="store_true")
    args = parser.parse_args()
    args.path.parent.mkdir(parents=True, exist_ok=True)
    generate_export(args.path, args.messages)
    print("liftbot", bench_parse(args.path))
    if not args.skip_whatstk:
        print("whatstk", bench_whatstk(args.path))


if __name__ == "__main__":
    main()
