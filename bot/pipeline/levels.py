"""A member's stored level: raised by stronger evidence only (LABELS.md order), never lowered."""

from __future__ import annotations

from sqlmodel import Session

from bot.domain import Level, LevelEvidence, LevelSource
from bot.judgement.seniority import level_of_title, statement_level, strongest
from storage.tables import Member


def raise_level(session: Session, member: Member, evidence: LevelEvidence) -> None:
    """Keep the strongest evidence for a member's level; unknown never replaces a level."""
    current = LevelEvidence(
        level=Level(member.level),
        source=LevelSource(member.level_source),
        reason=member.level_reason,
    )
    best = strongest([current, evidence])
    if best != current and best.level is not Level.UNKNOWN:
        member.level, member.level_source = best.level.value, best.source.value
        member.level_reason = best.reason[:300]
        session.add(member)


def apply_title(session: Session, member: Member, title: str) -> None:
    """Store a member's profile title, and the level it tells when that is stronger."""
    member.title = title[:300]
    session.add(member)
    raise_level(session, member, level_of_title(title))


def learn_from_message(session: Session, member: Member, text: str) -> None:
    """Raise a member's level when their own message states it ("I'm an HRBP", "12 yrs in HR")."""
    evidence = statement_level(text)
    if evidence is not None:
        raise_level(session, member, evidence)
