"""Who left and who came back, read from an export's system lines and stored on the member."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.jobs.retention import run_retention
from bot.pipeline.departures import moved_names
from handlers.export_files import import_file
from storage import queries
from storage.db import session_scope
from storage.tables import Member


@pytest.mark.parametrize(
    ("text", "event", "moved"),
    [
        ("Anil Mehta left", "left", [("Anil Mehta", True)]),
        ("\u200eOps: Bengaluru left", "left", [("Ops: Bengaluru", True)]),
        ("Nandini Rao removed Kiran Shah", "removed", [("Kiran Shah", True)]),
        ("You removed +91 98450 12345", "removed", [("+91 98450 12345", True)]),
        ("Nandini Rao added Priya, Ravi Kumar and +91 98450 12345", "added",
         [("Priya", False), ("Ravi Kumar", False), ("+91 98450 12345", False)]),
        ("Deepak Menon joined using this group's invite link", "joined", [("Deepak Menon", False)]),
        ("You left", "left", []),
        ("Nandini Rao added you", "added", []),
        ("Nandini Rao changed this group's icon", "icon_changed", []),
        ("Anil Mehta left", None, []),
    ],
)  # fmt: skip
def test_system_lines_name_who_moved(text: str, event: str | None, moved: list[object]) -> None:
    assert moved_names(text, event) == moved


FIRST = """\
03/06/2024, 10:00 - Anil Mehta: Sharing our leave policy template for anyone who needs it
03/06/2024, 10:05 - Ravi Kumar: Can anyone recommend a payroll vendor in Pune for 200 people?
04/06/2024, 20:00 - Anil Mehta left
"""
BACK = """\
01/05/2026, 09:00 - Nandini Rao added Anil Mehta
01/05/2026, 09:30 - Anil Mehta: Good to be back, happy to help with payroll questions again
"""
NOW = datetime(2026, 4, 1, tzinfo=UTC)


def anil(engine: Engine) -> Member:
    with session_scope(engine) as session:
        community = queries.community_named(session=session, name="HR")
        assert community is not None and community.id is not None
        found = [m for m in queries.members_of(session=session, community_id=community.id)
                 if m.display_name.startswith(("Anil", "Former"))]  # fmt: skip
    [member] = found
    return member


def test_a_departed_member_who_comes_back_gets_their_name_back(
    engine: Engine, tmp_path: Path
) -> None:
    settings = Settings.from_env({"DATABASE_URL": str(engine.url), "LIFTBOT_SECRET_KEY": "pepper",
                                  "LIFTBOT_RETENTION_DAYS": "365"})  # fmt: skip
    for name, chat in (("first.txt", FIRST), ("back.txt", BACK)):
        (tmp_path / name).write_text(chat, encoding="utf-8")
    import_file(tmp_path / "first.txt", engine=engine, settings=settings, community="HR")
    assert anil(engine).departed_at == datetime(2024, 6, 4, 14, 30, tzinfo=UTC)

    run_retention(engine, settings, NOW)
    gone = anil(engine)
    assert gone.display_name == f"Former member #{gone.id}" and gone.departed_at is not None

    import_file(tmp_path / "back.txt", engine=engine, settings=settings, community="HR")
    back = anil(engine)
    assert (back.id, back.display_name, back.departed_at) == (gone.id, "Anil Mehta", None)
    # Importing the first export again replays the departure, but he has spoken since.
    import_file(tmp_path / "first.txt", engine=engine, settings=settings, community="HR")
    run_retention(engine, settings, datetime(2026, 5, 2, tzinfo=UTC))
    assert (anil(engine).display_name, anil(engine).departed_at) == ("Anil Mehta", None)
