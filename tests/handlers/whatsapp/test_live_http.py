"""Over real HTTP: the same MessageSid delivered three times at once is stored once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.app.services import Services
from bot.app.web import create_app
from bot.config import Settings
from storage.tables import InboxEvent, Message
from tests.handlers.whatsapp.conftest import ASKER, PUBLIC, FakeTwilio, inbound, new_sid, sign
from tests.handlers.whatsapp.live import serving


def test_concurrent_duplicates_store_one_message(
    settings: Settings, engine: Engine, fake_twilio: FakeTwilio
) -> None:
    fields = inbound(ASKER, "Which HRMS do small startups like?", sid=new_sid())
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": sign(PUBLIC + "/twilio/whatsapp", fields),
        "Host": "internal-app:8000",
    }
    app = create_app(Services(settings=settings, engine=engine))
    with serving(app) as base, httpx.Client(timeout=10) as http:

        def deliver(_: int) -> httpx.Response:
            return http.post(f"{base}/twilio/whatsapp", content=urlencode(fields), headers=headers)

        with ThreadPoolExecutor(max_workers=3) as pool:
            replies = list(pool.map(deliver, range(3)))
        assert [r.status_code for r in replies] == [200, 200, 200]
        assert all("<Response" in r.text for r in replies)
        assert http.get(f"{base}/healthz").status_code == 200
    with Session(engine) as session:
        assert len(session.exec(select(Message)).all()) == 1
        assert len(session.exec(select(InboxEvent)).all()) == 1
