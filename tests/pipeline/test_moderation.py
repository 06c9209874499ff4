"""What `/lift` commands change in the data, and what they refuse to change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from handlers.commands import Actor, CommandError
from storage import queries
from storage.db import session_scope
from storage.tables import Correction, Expertise, LevelTag, Member, Message
from tests.pipeline.commands_context import lift
from tests.reports.builders import make_chat

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
MODERATOR = Actor(key="k-mod", name="Mod", is_moderator=True)


def test_iam_creates_the_member_and_a_moderators_tag_keeps_precedence(engine: Engine) -> None:
    meera = Actor(key="k-meera", name="Meera", is_moderator=False)
    with session_scope(engine) as session:
        community = make_chat(session).community_id
        assert lift(session, community, "iam mid", now=NOW, actor=meera) == "Noted: you are mid."
        assert lift(session, community, "tag @k-meera senior", now=NOW, actor=MODERATOR) == (
            "Tagged Meera as senior."
        )
        reply = lift(session, community, "iam junior", now=NOW, actor=meera)
        assert reply == "Noted: you are junior (a moderator's tag, senior, still takes precedence)."
        member = queries.member_by_key(session=session, community_id=community, key="k-meera")
        assert member is not None and (member.level, member.level_source) == (
            "senior",
            "moderator_tag",
        )
        tags = session.execute(select(LevelTag.source, LevelTag.level)).all()  # type: ignore[call-overload]
        assert sorted(tuple(t) for t in tags) == [
            ("moderator_tag", "senior"),
            ("own_statement", "junior"),
        ]


def test_only_the_asker_or_a_moderator_resolves_a_request(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        asker = chat.member("Meera", "junior")
        asked = chat.ask(asker, "2026-11-17 10:42", "Any POSH trainer in Pune?")
        key = session.get(Member, asker).key  # type: ignore[union-attr]
        stranger = Actor(key="k-other", name="Other", is_moderator=False)
        refused = lift(session, chat.community_id, f"resolve #{asked}", now=NOW, actor=stranger)
        assert refused == "Sorry, only the asker or a moderator can resolve a request."
        assert session.get(Message, asked).resolved is not True  # type: ignore[union-attr]
        owner = Actor(key=key, name="Meera", is_moderator=False)
        done = lift(session, chat.community_id, f"resolve #{asked}", now=NOW, actor=owner)
        assert done == f"Marked #{asked} as resolved."
        message = session.get(Message, asked)
        assert message is not None and (message.resolved, message.answered) == (True, True)


def test_a_deleted_message_cannot_be_referenced(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        gone = chat.ask(chat.member("Meera"), "2026-11-17 10:42", "oops", deleted=True)
        with pytest.raises(CommandError, match=f"can't find the message #{gone}"):
            lift(session, chat.community_id, f"resolve #{gone}", now=NOW, actor=MODERATOR)


def test_reclassifying_twice_keeps_one_correction_with_the_last_kind(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        post = chat.post(chat.member("Vendor"), "2026-11-17 10:00", "gyaan", "We close roles fast")
        for kind in ("help_request", "job_post"):
            lift(session, chat.community_id, f"reclassify #{post} {kind}", now=NOW, actor=MODERATOR)
        corrections = session.execute(select(Correction.kind)).scalars().all()  # type: ignore[call-overload]
        assert corrections == ["job_post"]
        message = session.get(Message, post)
        assert message is not None and (message.kind, message.kind_source) == (
            "job_post",
            "moderator",
        )
        assert message.answered is None and message.resolved is None


def test_expertise_is_noted_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        key = session.get(Member, chat.member("Priya", "senior")).key  # type: ignore[union-attr]
        first = lift(session, chat.community_id, f"expert @{key} POSH", now=NOW, actor=MODERATOR)
        again = lift(session, chat.community_id, f"expert @{key} posh", now=NOW, actor=MODERATOR)
        assert (first, again) == (
            "Noted: Priya can help with posh.",
            "Already noted: Priya can help with posh.",
        )
        assert session.execute(select(func.count()).select_from(Expertise)).scalar_one() == 1


def test_forget_me_erases_what_they_wrote_and_reopens_what_they_answered(engine: Engine) -> None:
    with session_scope(engine) as session:
        chat = make_chat(session)
        meera, ravi = chat.member("Meera", "junior"), chat.member("Ravi", "senior")
        asked = chat.ask(meera, "2026-11-17 10:42", "Any POSH trainer in Pune?")
        chat.reply(asked, ravi, "2026-11-17 11:00")
        chat.post(ravi, "2026-11-18 09:00", "gyaan", "Culture eats strategy")
        ravi_key = session.get(Member, ravi).key  # type: ignore[union-attr]
        actor = Actor(key=ravi_key, name="Ravi", is_moderator=False)
        reply = lift(session, chat.community_id, "forget me", now=NOW, actor=actor)
        assert reply == "Done: I erased your profile and 2 message(s), and won't store new ones."
        assert session.get(Member, ravi) is None
        assert queries.is_suppressed(session=session, community_id=chat.community_id, key=ravi_key)
        request = session.get(Message, asked)
        assert request is not None
        session.refresh(request)
        assert (request.answered, request.first_answer_id) == (False, None)
