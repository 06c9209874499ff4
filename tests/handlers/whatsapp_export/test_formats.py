"""Every known header layout parses to the expected (sent_at, author, text) triples."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from bot.domain import Marker
from handlers.whatsapp_export import (
    DateOrder,
    ExportEntry,
    detect_layout,
    open_export,
    parse_export,
)
from handlers.whatsapp_export.layout import repeats_verbatim
from tests.conftest import FIXTURES as TEST_FIXTURES

FIXTURES = TEST_FIXTURES / "whatsapp"
LAYOUTS = sorted(p.stem for p in FIXTURES.glob("*.txt"))


def _parse(name: str) -> list[ExportEntry]:
    return list(parse_export(open_export(FIXTURES / f"{name}.txt")))


def test_every_layout_has_a_fixture() -> None:
    assert len(LAYOUTS) >= 11


@pytest.mark.parametrize("name", LAYOUTS)
def test_layout_parses_to_expected_triples(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    got = [
        {"sent_at": e.sent_at.isoformat(), "author": e.author, "text": e.text} for e in _parse(name)
    ]
    assert got == expected


@pytest.mark.parametrize("name", LAYOUTS)
def test_layout_marks_system_lines_media_and_deletions(name: str) -> None:
    entries = _parse(name)
    assert [e.index for e in entries] == list(range(len(entries)))
    assert entries[0].system_event == "encryption_notice"
    events = [e.system_event for e in entries if e.system]
    assert events == [
        "encryption_notice", "created", "added", "added", "joined", "subject_changed",
        "icon_changed", "left",
    ]  # fmt: skip
    assert [e.marker for e in entries if e.marker] == [Marker.MEDIA, Marker.DELETED]
    assert [e.body for e in entries if e.marker] == ["", ""]
    edited = [e for e in entries if e.edited]
    assert [e.body for e in edited] == ["Thanks Sara, got it 👍"]


@pytest.mark.parametrize("name", LAYOUTS)
def test_layout_flags_phone_authors_only(name: str) -> None:
    phones = {e.author for e in _parse(name) if e.author_is_phone}
    assert phones == {"+91 98450 12345"}


@pytest.mark.parametrize(
    ("name", "order"),
    [
        ("android_dmy_ampm_dots", DateOrder.DMY),
        ("us_android_nnbsp", DateOrder.MDY),
        ("ios_mdy_dots_bracket", DateOrder.MDY),
        ("ios_year_first", DateOrder.YMD),
        ("czech_spaced_dots", DateOrder.DMY),
    ],
)
def test_layout_date_order_is_inferred(name: str, order: DateOrder) -> None:
    assert detect_layout(open_export(FIXTURES / f"{name}.txt")).date_order is order


@pytest.mark.parametrize(
    ("line", "when", "author", "text"),
    [
        ("3/6/18, 1:55 p.m. - a: m", datetime(2018, 6, 3, 13, 55), "a", "m"),
        ("03/06/2024, 09:26 - a: m", datetime(2024, 6, 3, 9, 26), "a", "m"),
        ("03-06-2018, 01.55 PM - a: m", datetime(2018, 6, 3, 13, 55), "a", "m"),
        ("[03/06/2024, 09:26:41] a: m", datetime(2024, 6, 3, 9, 26, 41), "a", "m"),
        ("[3/6/18 1:55:00 p. m.] a: m", datetime(2018, 6, 3, 13, 55), "a", "m"),
        ("[3/6/18 12:05:00 a.\u00a0m.] a: m", datetime(2018, 6, 3, 0, 5), "a", "m"),
        ("13.06.18 21.25.15: a: m", datetime(2018, 6, 13, 21, 25, 15), "a", "m"),
        ("[06.13.18 21:25:15] a: m", datetime(2018, 6, 13, 21, 25, 15), "a", "m"),
        ("13.6.2018 klo 21.25.15 - a: m", datetime(2018, 6, 13, 21, 25, 15), "a", "m"),
        ("13. 6. 2018. 21:25:15 a: m", datetime(2018, 6, 13, 21, 25, 15), "a", "m"),
        ("[2018/06/13, 21:25:15] a: m", datetime(2018, 6, 13, 21, 25, 15), "a", "m"),
        ("6/13/24, 9:26 PM - a: m", datetime(2024, 6, 13, 21, 26), "a", "m"),
        ("6/13/24, 9:26\u202fpm - a: m", datetime(2024, 6, 13, 21, 26), "a", "m"),
        ("6/13/24, 12:26\u00a0AM - a: m", datetime(2024, 6, 13, 0, 26), "a", "m"),
        ("\u200e[13/06/2024, 09:26:41] a: m", datetime(2024, 6, 13, 9, 26, 41), "a", "m"),
        ("\ufeff13/06/2024, 09:26 - a: m", datetime(2024, 6, 13, 9, 26), "a", "m"),
    ],
)
def test_single_line_headers(line: str, when: datetime, author: str, text: str) -> None:
    # A day over 12 in 3/6/18-style lines is absent, so pass the order where one line cannot tell.
    order = DateOrder.DMY if line.startswith(("3/", "[3/", "03", "[03")) else None
    (entry,) = parse_export([line], date_order=order)
    assert (entry.sent_at, entry.author, entry.text) == (when, author, text)


def test_iso_text_has_seconds_only_when_the_export_has_them() -> None:
    (with_seconds,) = parse_export(["[13/06/2024, 09:26:41] a: m"])
    (without,) = parse_export(["13/06/2024, 09:26 - a: m"])
    assert with_seconds.sent_at_text == "2024-06-13T09:26:41"
    assert without.sent_at_text == "2024-06-13T09:26"


@pytest.mark.parametrize(
    ("first_line", "verbatim"),
    [
        ("14/06/2024, 10:01 - Meera: hi", True),  # the header can only end at " - "
        ("14.06.24 klo 10.01 - Meera: hi", True),
        ("[14/06/2024, 10:01:00] Meera: hi", False),  # "]" may or may not take a space
        ("14/06/2024, 10:01 am - Meera: hi", False),  # meridiem words vary in length
        ("14/06/2024, 10:01: Meera: hi", False),  # the time's own ":" could end it
        ("10:01, 14/06/2024 - Meera: hi", False),  # time first
    ],
)
def test_only_a_header_that_can_end_nowhere_else_is_recognised_verbatim(
    first_line: str, verbatim: bool
) -> None:
    assert repeats_verbatim(detect_layout([first_line])) is verbatim
