"""Signed Twilio webhook latency over real HTTP on loopback at a steady 20 requests/s."""

from __future__ import annotations

import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import httpx
from twilio.request_validator import RequestValidator

from bot.app.services import Services
from bot.app.web import create_app
from bot.config import Settings
from storage.db import make_engine
from storage.migrate import upgrade
from tests.handlers.whatsapp.live import serving  # the repo root is on sys.path under `python -m`

TOKEN = "bench-token"
PUBLIC = "https://liftbot.bench.example"
RATE = 20.0
DURATION_S = 10.0
TEXTS = (
    "How are you handling notice-period buyouts for senior hires?",
    "Sharing our hybrid-work policy template, hope it helps",
    "We're hiring a Talent Acquisition lead in Bengaluru, 8+ years",
    "Thanks, that was useful 🙏",
)


def _fields(i: int) -> list[tuple[str, str]]:
    number = f"+9198{i % 50:08d}"
    return [
        ("MessageSid", "SM" + uuid.uuid4().hex),
        ("AccountSid", "AC" + "0" * 32),
        ("From", f"whatsapp:{number}"),
        ("To", "whatsapp:+14155238886"),
        ("WaId", number.lstrip("+")),
        ("ProfileName", f"Member {i % 50}"),
        ("Body", TEXTS[i % len(TEXTS)]),
        ("NumMedia", "0"),
    ]


def bench_webhook(url_of_db: str) -> dict[str, float]:
    """p50/p99 latency (ms) of signed webhook POSTs at 20 req/s for ~10 s; Twilio stubbed out."""
    engine = make_engine(url_of_db)
    upgrade(engine)
    settings = Settings(
        database_url=url_of_db,
        secret_key="bench-pepper",
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token=TOKEN,
        twilio_api_url="http://127.0.0.1:9",  # discard port: outbound sends fail fast, unrecorded
        twilio_whatsapp_from="+14155238886",
        public_base_url=PUBLIC,
    )
    validator = RequestValidator(TOKEN)
    total = int(RATE * DURATION_S)
    latencies: list[float] = []
    app = create_app(Services(settings=settings, engine=engine))
    with serving(app) as base, httpx.Client(timeout=15) as http:

        def one(i: int) -> tuple[float, int]:
            fields = _fields(i)
            signature = validator.compute_signature(PUBLIC + "/twilio/whatsapp", dict(fields))
            started = time.perf_counter()
            reply = http.post(
                f"{base}/twilio/whatsapp",
                content=urlencode(fields),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Twilio-Signature": signature,
                },
            )
            return (time.perf_counter() - started) * 1000, reply.status_code

        start = time.perf_counter()
        futures = []
        with ThreadPoolExecutor(max_workers=16) as pool:
            for i in range(total):
                delay = start + i / RATE - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                futures.append(pool.submit(one, i))
            results = [f.result() for f in futures]
    errors = sum(1 for _, status in results if status != 200)
    latencies = sorted(ms for ms, _ in results)
    engine.dispose()
    return {
        "requests": float(total),
        "errors": float(errors),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
        "max_ms": round(latencies[-1], 2),
    }


if __name__ == "__main__":
    import logging
    import tempfile

    logging.getLogger("handlers").setLevel(logging.CRITICAL)

    with tempfile.TemporaryDirectory() as folder:
        print(bench_webhook(f"sqlite:///{folder}/bench.db"))
