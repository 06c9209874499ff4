"""The WhatsApp help desk: asks opted-in helpers about a new request and relays their answers.

No bot can read a WhatsApp group, so members write to the bot's number; a helper who answers
(swiping Reply on the bot's ask) has the answer passed back to the asker.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session

from bot.domain import ChatMessage, Kind, Level
from bot.pipeline.suggestions import suggest_for_message
from storage import outbox, queries
from storage.tables import Member, Message

MAX_HELPERS = 3
ACK = "Got it — I'll find someone who can help."


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message the desk wants sent, deduplicated by its key."""

    member_key: str
    body: str
    dedupe_key: str


def link_to_request(
    session: Session, community_id: int, message: ChatMessage
) -> tuple[ChatMessage, Message | None]:
    """A WhatsApp reply to the bot's ask becomes a reply to the original request."""
    if message.reply_to_source_key is None:
        return message, None
    ask = outbox.by_external_id(
        session=session, external_id=message.reply_to_source_key, key_prefix="wa-ask:"
    )
    if ask is None:
        return message, None
    request_id = ask.dedupe_key.split(":")[1]
    request = session.get(Message, int(request_id)) if request_id.isdigit() else None
    if request is None or request.community_id != community_id or request.deleted:
        return message, None
    return replace(message, reply_to_source_key=request.source_key), request


def plan_messages(
    session: Session, community: str, stored: Message, request: Message | None
) -> list[Outgoing]:
    """What the desk sends after storing a message: an ack and asks for a new request, or the
    helper's answer relayed to the asker."""
    author = session.get(Member, stored.member_id) if stored.member_id else None
    if author is None:
        return []
    if request is not None:
        return _relay(session, stored, author, request)
    if stored.kind != Kind.HELP_REQUEST.value or stored.reply_to_id is not None:
        return []
    plan = [Outgoing(author.key, ACK, f"wa-ack:{stored.source_key}")]
    ask = (
        f"Someone in {community} needs help:\n\n{stored.text}\n\n"
        "If you can help, reply to this message (swipe it → Reply) and I'll pass it on."
    )
    for helper in _helpers(session, stored):
        plan.append(Outgoing(helper.key, ask, f"wa-ask:{stored.id}:{helper.id}"))
    return plan


def _relay(session: Session, reply: Message, helper: Member, request: Message) -> list[Outgoing]:
    asker = session.get(Member, request.member_id) if request.member_id else None
    if asker is None or asker.id == helper.id or not reply.substantive:
        return []
    body = (
        f"{helper.display_name} answered your question:\n\n{reply.text}\n\n"
        f"When you're sorted, say `lift resolve #{request.id}`."
    )
    return [Outgoing(asker.key, body, f"wa-relay:{reply.source_key}")]


def _helpers(session: Session, request: Message) -> list[Member]:
    """Opted-in members the bot can reach, best suited first, never the asker."""
    candidates = queries.reachable_helpers(
        session=session, community_id=request.community_id, besides=request.member_id
    )
    return rank_helpers(session, request, candidates)[:MAX_HELPERS]


def rank_helpers(session: Session, request: Message, candidates: list[Member]) -> list[Member]:
    """Volunteers in the order the group's routing suggests them (bot.pipeline.suggestions);
    those it has no evidence for follow, most senior first."""
    by_name = {m.display_name: m for m in candidates}
    routed = suggest_for_message(
        session, request.id or 0, among=list(by_name), limit=len(candidates)
    )
    chosen = [by_name[s.name] for s in routed if s.name in by_name]
    rest = sorted(
        (m for m in candidates if m not in chosen),
        key=lambda m: (Level(m.level).rank, -(m.id or 0)),
        reverse=True,
    )
    return chosen + rest
