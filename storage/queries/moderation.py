"""What moderators and members change: level tags, corrections, forgotten members."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, col, select

from storage.inserts import insert_ignore
from storage.queries.members import CHUNK
from storage.tables import (
    Correction,
    DeliveryStatus,
    Expertise,
    InboxEvent,
    LevelTag,
    Member,
    Message,
    Outbox,
    Suppression,
    utcnow,
)

# Quotes shorter than this ("Thanks!") are too common to be taken as someone's words.
_MIN_QUOTE = 12
_QUOTE_NEEDLE = 120
# Inbox states that still wait for processing: a forgotten member's are dropped, not run.
_UNFINISHED = ("pending", "failed", "processing")


def suppression_digest(key: str) -> str:
    """What is kept of a forgotten member's key: a digest, so the key itself is not at rest."""
    return "forgotten:" + hashlib.sha256(key.encode()).hexdigest()[:40]


def replace_level_tag(
    *, session: Session, member_id: int, level: str, source: str, tagged_by: str
) -> None:
    """Store a member's level tag of this source, replacing the previous one."""
    session.execute(
        delete(LevelTag).where(col(LevelTag.member_id) == member_id, col(LevelTag.source) == source)
    )
    session.add(LevelTag(member_id=member_id, level=level, source=source, tagged_by=tagged_by))


def replace_correction(*, session: Session, message: Message, kind: str, corrected_by: str) -> None:
    """Store a moderator's correction of a message's kind, replacing an earlier one."""
    session.execute(delete(Correction).where(col(Correction.message_id) == message.id))
    session.add(
        Correction(
            community_id=message.community_id,
            message_id=message.id,
            text=message.text,
            kind=kind,
            corrected_by=corrected_by,
        )
    )


def corrections_of(*, session: Session, community_id: int) -> list[tuple[str, str]]:
    """(text, kind) of every moderator correction in a community, oldest first (those whose
    text retention erased teach nothing, and are left out)."""
    rows = session.execute(
        select(col(Correction.text), col(Correction.kind))
        .where(col(Correction.community_id) == community_id, col(Correction.text) != "")
        .order_by(col(Correction.id))
    )
    return [(str(t), str(k)) for t, k in rows]


def count_corrections(*, session: Session, community_id: int) -> int:
    """How many moderator corrections a community has."""
    query = (
        select(func.count())
        .select_from(Correction)
        .where(col(Correction.community_id) == community_id)
    )
    return int(session.exec(query).one())


def suppress_member(*, session: Session, community_id: int, key: str) -> None:
    """Remember a forgotten member (by digest) so later events and imports cannot re-create them."""
    insert_ignore(
        session,
        Suppression,
        {"community_id": community_id, "member_key": suppression_digest(key),
         "created_at": utcnow()},
    )  # fmt: skip


def is_suppressed(*, session: Session, community_id: int, key: str) -> bool:
    """True when this member asked to be forgotten, in any community of the deployment: a
    pseudonym is the same person everywhere (`community_id` names where the question is asked)."""
    return bool(suppressed_among(session=session, community_id=community_id, keys=[key]))


def suppressed_among(*, session: Session, community_id: int, keys: Iterable[str]) -> set[str]:
    """Which of `keys` asked to be forgotten (`is_suppressed` for many, one query)."""
    del community_id  # forgetting is deployment-wide
    # Rows from before digests hold the key itself.
    forms = {form: key for key in set(keys) for form in (key, suppression_digest(key))}
    if not forms:
        return set()
    found = session.execute(
        select(col(Suppression.member_key)).where(col(Suppression.member_key).in_(list(forms)))
    )
    return {forms[form] for (form,) in found}


def suppressed_keys(*, session: Session, community_id: int) -> set[str]:
    """Every forgotten member's stored form (a digest, or a key from before digests), across the
    deployment; test a key with `key in s or suppression_digest(key) in s`."""
    del community_id  # forgetting is deployment-wide
    return {key for (key,) in session.execute(select(col(Suppression.member_key)).distinct())}


def erase_member(*, session: Session, member_id: int) -> int:
    """Delete a member with their messages, tags, expertise and corrections; how many messages.

    Answers they gave stop counting: a request they answered becomes unanswered unless resolved.
    """
    ids = [
        int(i)
        for (i,) in session.execute(
            select(col(Message.id)).where(col(Message.member_id) == member_id)
        )
    ]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # Answer links in both directions go before the rows they point at.
        session.execute(
            update(Message).where(col(Message.reply_to_id).in_(chunk)).values(reply_to_id=None)
        )
        session.execute(
            update(Message)
            .where(col(Message.first_answer_id).in_(chunk))
            .values(
                first_answer_id=None,
                first_response_minutes=None,
                answered=func.coalesce(col(Message.resolved), False),
            )
        )
        session.execute(delete(Correction).where(col(Correction.message_id).in_(chunk)))
        session.execute(delete(Message).where(col(Message.id).in_(chunk)))
    session.execute(delete(LevelTag).where(col(LevelTag.member_id) == member_id))
    session.execute(delete(Expertise).where(col(Expertise.member_id) == member_id))
    session.execute(delete(Member).where(col(Member.id) == member_id))
    return len(ids)


def forget_everywhere(*, session: Session, community_id: int, key: str) -> int:
    """Erase a member from every community holding their key: messages, members, inbox payloads
    that carry the key, outbox rows addressed to them or quoting their words or name. One
    transaction (the caller's); how many messages were erased."""
    suppress_member(session=session, community_id=community_id, key=key)
    members = list(session.exec(select(Member).where(col(Member.key) == key)))
    quotes: set[str] = set()
    names = {m.display_name for m in members if len(m.display_name.strip()) >= 3}
    dedupe_keys: list[str] = []
    ask_prefixes: list[str] = []
    for member in members:
        rows = session.execute(
            select(col(Message.id), col(Message.source_key), col(Message.text)).where(
                col(Message.member_id) == member.id
            )
        )
        for message_id, source_key, text in rows:
            dedupe_keys += [f"wa-ack:{source_key}", f"wa-relay:{source_key}",
                            f"wa-import:{source_key}"]  # fmt: skip
            ask_prefixes.append(f"wa-ask:{message_id}:")
            if len(text.strip()) >= _MIN_QUOTE:
                quotes.add(text.strip()[:_QUOTE_NEEDLE])
    erased = 0
    for member in members:
        assert member.id is not None
        erased += erase_member(session=session, member_id=member.id)
    _erase_outbox(session, key, dedupe_keys, ask_prefixes, quotes | names)
    erase_inbox_payloads(session=session, key=key)
    return erased


def _erase_outbox(
    session: Session, key: str, dedupe_keys: list[str], ask_prefixes: list[str], needles: set[str]
) -> None:
    """Rows addressed to the member or relaying their messages go; others quoting them are
    blanked (the row stays, so its dedupe key still stops a second post)."""
    by_key = [col(Outbox.destination) == key]
    for start in range(0, len(dedupe_keys), CHUNK):
        by_key.append(col(Outbox.dedupe_key).in_(dedupe_keys[start : start + CHUNK]))
    by_key += [col(Outbox.dedupe_key).startswith(p, autoescape=True) for p in ask_prefixes]
    doomed: list[int] = []
    for start in range(0, len(by_key), 200):
        query = select(col(Outbox.id)).where(or_(*by_key[start : start + 200]))
        doomed += [int(i) for (i,) in session.execute(query)]
    for start in range(0, len(doomed), CHUNK):
        chunk = doomed[start : start + CHUNK]
        sent_as = select(col(Outbox.external_id)).where(col(Outbox.id).in_(chunk))
        sids = [sid for (sid,) in session.execute(sent_as) if sid]
        if sids:
            session.execute(delete(DeliveryStatus).where(col(DeliveryStatus.message_sid).in_(sids)))
        session.execute(delete(Outbox).where(col(Outbox.id).in_(chunk)))
    if not needles:
        return
    quoting = [
        row_id
        for row_id, body in session.execute(select(col(Outbox.id), col(Outbox.body)))
        if any(needle in body for needle in needles)
    ]
    for start in range(0, len(quoting), CHUNK):
        session.execute(
            update(Outbox).where(col(Outbox.id).in_(quoting[start : start + CHUNK])).values(body="")
        )


def erase_inbox_payloads(*, session: Session, key: str) -> None:
    """Blank every stored delivery that carries the key as a JSON string (the author's id or
    pseudonym); the event id stays so a redelivery is still a duplicate. Unfinished ones are
    dropped rather than run without their payload."""
    carries = col(InboxEvent.payload).contains(f'"{key}"', autoescape=True)
    session.execute(
        update(InboxEvent)
        .where(carries, col(InboxEvent.status).in_(_UNFINISHED))
        .values(status="dropped", payload="", next_attempt_at=None)
    )
    session.execute(update(InboxEvent).where(carries).values(payload=""))
