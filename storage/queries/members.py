"""Communities, members, their levels and declared expertise."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.inserts import insert_ignore, insert_many_ignore
from storage.tables import Community, Expertise, LevelTag, Member, Message, utcnow

# Rows per IN (...) list: far below SQLite's bound-parameter limit.
CHUNK = 500
_Keyed = TypeVar("_Keyed", Member, Message)


def community_named(*, session: Session, name: str) -> Community | None:
    """The community with this name, if any."""
    return session.exec(select(Community).where(col(Community.name) == name)).first()


def ensure_community(
    *, session: Session, name: str, platform: str, timezone: str, external_id: str | None = None
) -> Community:
    """The community with this name, created on first use."""
    insert_ignore(
        session,
        Community,
        {
            "name": name,
            "platform": platform,
            "timezone": timezone,
            "external_id": external_id,
            "created_at": utcnow(),
        },
    )
    found = community_named(session=session, name=name)
    assert found is not None
    return found


def list_communities(*, session: Session) -> list[Community]:
    """All communities, by name."""
    return list(session.exec(select(Community).order_by(Community.name)))


def ensure_members(
    *, session: Session, community_id: int, people: Mapping[str, tuple[str, bool]]
) -> dict[str, int]:
    """Member ids for `{key: (display_name, is_bot)}`, creating the missing ones atomically."""
    if not people:
        return {}
    now = utcnow()
    insert_many_ignore(
        session,
        Member,
        [
            {
                "community_id": community_id,
                "key": key,
                "display_name": name[:200],
                "is_bot": is_bot,
                "level": "unknown",
                "level_source": "none",
                "level_reason": "",
                "is_moderator": False,
                "created_at": now,
            }
            for key, (name, is_bot) in people.items()
        ],
    )
    return member_ids(session=session, community_id=community_id, keys=people.keys())


def member_ids(*, session: Session, community_id: int, keys: Iterable[str]) -> dict[str, int]:
    """Map member keys to ids (unknown keys are absent)."""
    wanted = list(keys)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = session.execute(
            select(col(Member.key), col(Member.id)).where(
                col(Member.community_id) == community_id, col(Member.key).in_(chunk)
            )
        )
        found.update({key: member_id for key, member_id in rows})
    return found


def member_by_key(*, session: Session, community_id: int, key: str) -> Member | None:
    """The member with this key."""
    return session.exec(
        select(Member).where(col(Member.community_id) == community_id, col(Member.key) == key)
    ).first()


def members_by_key(
    *, session: Session, community_id: int, keys: Iterable[str]
) -> dict[str, Member]:
    """`member_by_key` for many keys (unknown keys are absent)."""
    return rows_by_key(session, Member, community_id, "key", keys)


def rows_by_key(
    session: Session, model: type[_Keyed], community_id: int, key: str, values: Iterable[str]
) -> dict[str, _Keyed]:
    """A community's rows whose `key` column holds one of `values`, by that value (IN lists of
    CHUNK, so any number of values stays within the database's parameter limit)."""
    column = col(getattr(model, key))
    wanted, found = list(dict.fromkeys(values)), {}
    for start in range(0, len(wanted), CHUNK):
        rows = session.exec(
            select(model).where(
                col(model.community_id) == community_id,
                column.in_(wanted[start : start + CHUNK]),
            )
        )
        found.update({getattr(row, key): row for row in rows})
    return found


def members_of(*, session: Session, community_id: int) -> list[Member]:
    """Every member of a community."""
    return list(session.exec(select(Member).where(col(Member.community_id) == community_id)))


def member_names(*, session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(display name, level) per member id."""
    wanted = sorted(set(ids))
    found: dict[int, tuple[str, str]] = {}
    for start in range(0, len(wanted), CHUNK):
        rows = session.execute(
            select(col(Member.id), col(Member.display_name), col(Member.level)).where(
                col(Member.id).in_(wanted[start : start + CHUNK])
            )
        )
        found.update({int(i): (str(name), str(level)) for i, name, level in rows})
    return found


def reachable_helpers(*, session: Session, community_id: int, besides: int | None) -> list[Member]:
    """Members still in the group who opted in as helpers and whose contact the bot keeps,
    other than `besides`."""
    query = select(Member).where(
        col(Member.community_id) == community_id,
        col(Member.helper_opt_in).is_(True),
        col(Member.contact_sealed).is_not(None),
        col(Member.departed_at).is_(None),
    )
    if besides is not None:
        query = query.where(col(Member.id) != besides)
    return list(session.exec(query))


def set_member_level(
    *, session: Session, member_id: int, level: str, source: str, reason: str
) -> None:
    """Store a member's resolved level with its evidence."""
    session.execute(
        update(Member)
        .where(col(Member.id) == member_id)
        .values(level=level, level_source=source, level_reason=reason[:300])
    )


def level_tags(*, session: Session, community_id: int) -> list[tuple[int, str, str]]:
    """(member_id, level, source) of every moderator tag and own statement in a community."""
    rows = session.execute(
        select(col(LevelTag.member_id), col(LevelTag.level), col(LevelTag.source))
        .join(Member, col(Member.id) == LevelTag.member_id)
        .where(col(Member.community_id) == community_id)
    )
    return [(int(m), str(level), str(source)) for m, level, source in rows]


def expertise_of(*, session: Session, community_id: int) -> dict[int, set[str]]:
    """Declared topics per member id."""
    rows = session.execute(
        select(col(Expertise.member_id), col(Expertise.topic))
        .join(Member, col(Member.id) == Expertise.member_id)
        .where(col(Member.community_id) == community_id)
    )
    topics: dict[int, set[str]] = {}
    for member_id, topic in rows:
        topics.setdefault(int(member_id), set()).add(str(topic))
    return topics
