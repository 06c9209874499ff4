"""A member who left the group is never suggested or asked as a helper any more."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.pipeline.suggestions import suggest_for_message
from storage import queries
from storage.db import session_scope
from storage.tables import Member
from tests.reports.builders import make_chat


def _posh(engine: Engine) -> tuple[int, int, int]:
    """Priya answered a POSH question; Kavita asks another. (community, Priya, the new ask)"""
    with session_scope(engine) as session:
        chat = make_chat(session, "HR Leaders Circle")
        meera, priya = chat.member("Meera", "junior"), chat.member("Priya", "senior")
        kavita = chat.member("Kavita", "mid")
        asked = chat.ask(meera, "2026-11-10 10:00", "Any POSH trainer in Pune for our ICC?")
        chat.reply(asked, priya, "2026-11-10 11:00",
                   text="We used Sakshi Rao for POSH training in Pune, very good with ICC members.")  # fmt: skip
        ask = chat.ask(
            kavita, "2026-11-17 10:00", "Can anyone recommend a POSH trainer for our ICC?"
        )
        for member_id in (priya, kavita):
            member = session.get(Member, member_id)
            assert member is not None
            member.helper_opt_in, member.contact_sealed = True, "sealed-contact"
            session.add(member)
        return chat.community_id, priya, ask


def _leave(engine: Engine, member_id: int) -> None:
    with session_scope(engine) as session:
        member = session.get(Member, member_id)
        assert member is not None
        member.departed_at = datetime(2026, 11, 12, tzinfo=UTC)
        session.add(member)


def test_a_departed_member_is_neither_suggested_nor_reachable(engine: Engine) -> None:
    community_id, priya, ask = _posh(engine)
    with Session(engine) as session:
        assert [s.name for s in suggest_for_message(session, ask)][:1] == ["Priya"]
        reachable = queries.reachable_helpers(session=session, community_id=community_id,
                                              besides=None)  # fmt: skip
        assert sorted(m.display_name for m in reachable) == ["Kavita", "Priya"]
    _leave(engine, priya)
    with Session(engine) as session:
        assert "Priya" not in [s.name for s in suggest_for_message(session, ask)]
        assert "Priya" not in [s.name for s in suggest_for_message(session, ask, among=["Priya"])]
        reachable = queries.reachable_helpers(session=session, community_id=community_id,
                                              besides=None)  # fmt: skip
        assert [m.display_name for m in reachable] == ["Kavita"]
