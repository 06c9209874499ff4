"""Exports from phones in other languages, digit systems and calendars (fixtures of our own making)."""

from __future__ import annotations

import pytest

from bot.domain import Marker
from handlers.whatsapp_export import (
    DateOrder,
    ExportFormatError,
    detect_layout,
    open_export,
    parse_export,
)
from tests.conftest import FIXTURES as TEST_FIXTURES

FIXTURES = TEST_FIXTURES / "whatsapp" / "languages"

# (sent_at, author, system, marker) per entry; None author means a system line.
EXPECTED = {
    "ios_arabic_indic": [
        ("2022-03-18T14:56:00", None, True, None),
        ("2022-03-18T15:01:15", "سارة", False, None),
        ("2022-03-19T09:10:00", "علي", False, Marker.DELETED),
        ("2022-03-19T09:12:00", None, True, None),
    ],
    "ios_vietnamese_time_first": [
        ("2022-03-18T14:56:01", None, True, None),
        ("2022-03-18T15:02:10", "Lan", False, None),
        ("2022-03-19T09:00:00", "Minh", False, Marker.MEDIA),
        ("2022-03-19T09:05:00", "Minh", False, Marker.DELETED),
    ],
    "ios_buddhist_era": [
        ("2022-03-18T14:56:01", None, True, None),
        ("2022-03-18T15:00:00", "Somchai", False, None),
        ("2022-03-27T21:41:55", "Nok", False, Marker.MEDIA),
    ],
    "ios_japanese_era": [
        ("2022-03-18T14:56:01", None, True, None),
        ("2022-03-18T15:00:00", "山田", False, None),
        ("2022-04-02T08:15:00", "佐藤", False, None),
    ],
    "android_german": [
        ("2022-03-18T14:56", None, True, None),
        ("2022-03-18T14:57", "Anna Weber", False, None),
        ("2022-03-18T15:01", "Jonas", False, Marker.MEDIA),
        ("2022-03-19T09:00", "Jonas", False, Marker.DELETED),
        ("2022-03-19T09:30", None, True, None),
        ("2022-03-19T10:00", "Jonas", False, None),
    ],
    "android_spanish_meridiem": [
        ("2019-01-20T00:08", None, True, None),
        ("2019-01-20T11:23", "Juan Pérez", False, None),
        ("2019-01-20T23:59", "María", False, Marker.MEDIA),
        ("2019-01-21T13:05", "María", False, None),
    ],
    "android_korean": [
        ("2022-03-18T14:56", "민수", False, None),
        ("2022-03-18T15:01", "지은", False, Marker.MEDIA),
        ("2022-03-19T09:10", "민수", False, None),
    ],
    # iOS notices and placeholders found wrong on real exports: pins, calls with a detail,
    # captions and file names before the placeholder, admin deletions, localised group notices.
    "ios_english_pins_calls_captions": [
        ("2024-03-04T09:00:05", "Kavya Iyer", False, None),
        ("2024-03-04T09:01:10", None, True, None),
        ("2024-03-04T09:02:40", None, True, None),
        ("2024-03-04T09:05:00", None, True, None),
        ("2024-03-04T09:06:10", None, True, None),
        ("2024-03-04T09:07:30", "Rohan Das", False, Marker.MEDIA),
        ("2024-03-04T09:08:00", "Rohan Das", False, Marker.MEDIA),
        ("2024-03-04T09:09:00", "Kavya Iyer", False, Marker.MEDIA),
        ("2024-03-04T09:10:00", "Kavya Iyer", False, None),
    ],
    "ios_german_notices_documents": [
        ("2024-03-05T18:00:00", None, True, None),
        ("2024-03-05T18:01:00", "Mia Roth", False, None),
        ("2024-03-05T18:02:00", None, True, None),
        ("2024-03-05T18:03:00", None, True, None),
        ("2024-03-05T18:04:00", "Paul Kern", False, Marker.MEDIA),
        ("2024-03-05T18:05:00", "Mia Roth", False, Marker.MEDIA),
        ("2024-03-05T18:06:00", "Paul Kern", False, Marker.DELETED),
        ("2024-03-05T18:07:00", "Paul Kern", False, None),
    ],
    "ios_spanish_french_notices": [
        ("2024-03-06T10:00:00", "Lucía Gómez", False, None),
        ("2024-03-06T10:01:00", None, True, None),
        ("2024-03-06T10:02:00", None, True, None),
        ("2024-03-06T10:03:00", None, True, None),
        ("2024-03-06T10:04:00", "Diego Sanz", False, Marker.DELETED),
        ("2024-03-06T10:05:00", None, True, None),
        ("2024-03-06T10:06:00", "Chloé Martin", False, None),
    ],
    "android_turkish_placeholders": [
        ("2024-11-12T08:30", None, True, None),
        ("2024-11-12T08:31", "Selin Arslan", False, Marker.MEDIA),
        ("2024-11-12T08:33", "Emre Koç", False, None),
        ("2024-11-12T08:35", "Selin Arslan", False, None),
    ],
    "android_us_pasted_headers": [
        ("2024-08-30T09:00", "Priya", False, None),
        ("2024-08-30T09:05", "Rahul", False, None),
        ("2024-08-30T09:07", "Priya", False, None),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_entry_reads_as_the_phone_wrote_it(name: str) -> None:
    entries = list(parse_export(open_export(FIXTURES / f"{name}.txt")))
    got = [(e.sent_at_text, e.author, e.system, e.marker) for e in entries]
    assert got == EXPECTED[name]


@pytest.mark.parametrize(
    ("name", "language", "platform"),
    [
        ("ios_arabic_indic", "ar", "ios"),
        ("ios_vietnamese_time_first", "vi", "ios"),
        ("android_german", "de", "android"),
        ("android_spanish_meridiem", "es", "android"),
        ("android_korean", "ko", "android"),
    ],
)
def test_layout_names_the_language_of_whatsapps_own_strings(
    name: str, language: str, platform: str
) -> None:
    layout = detect_layout(open_export(FIXTURES / f"{name}.txt"))
    assert (layout.language, layout.platform) == (language, platform)


def test_notices_attributed_to_a_group_lose_the_group_name() -> None:
    (notice, *_) = parse_export(open_export(FIXTURES / "ios_arabic_indic.txt"))
    assert notice.system_event == "encryption_notice"
    assert notice.text.startswith("الرسائل")


def test_call_notices_are_system_lines_with_their_own_event() -> None:
    entries = list(parse_export(open_export(FIXTURES / "android_german.txt")))
    assert entries[4].system_event == "call"


def test_media_placeholder_followed_by_a_caption_keeps_media_and_the_caption() -> None:
    entries = list(parse_export(open_export(FIXTURES / "android_german.txt")))
    assert entries[2].marker is Marker.MEDIA
    assert entries[2].body == "Unser Plan für Montag"


def test_a_punctuation_only_message_belongs_to_its_author() -> None:
    entries = list(parse_export(["20/01/19, 11:23 - John Doe:.", "21/01/19, 09:00 - Jane: ok"]))
    assert (entries[0].author, entries[0].text, entries[0].system) == ("John Doe", ".", False)


def test_header_shaped_body_lines_stay_in_their_message() -> None:
    entries = list(parse_export(open_export(FIXTURES / "android_us_pasted_headers.txt")))
    assert entries[0].text.splitlines()[1:] == [
        "8/31/24, 10:00 AM - 1:00 PM: aptitude test",
        "8/31/24, 2:00 PM - 4:00 PM: interviews",
    ]
    assert entries[1].text.endswith("3/2/23, 11:00\u202fAM - Priya: keep the halls booked")


def test_a_clock_that_jumps_back_for_good_starts_a_new_run() -> None:
    lines = [
        "12/06/2024, 09:00 - A: one",
        "12/06/2024, 09:05 - B: two",
        "02/06/2024, 10:00 - A: the phone clock was reset",
        "02/06/2024, 10:05 - B: and stays reset",
    ]
    assert [e.text for e in parse_export(lines)][2:] == [
        "the phone clock was reset",
        "and stays reset",
    ]


def test_a_group_created_long_before_the_exporter_joined_keeps_its_own_entry() -> None:
    lines = [
        "16/12/2023, 14:35 - Messages and calls are end-to-end encrypted. Tap to learn more.",
        '24/09/2023, 21:10 - Meera Shah created group "Pune HR Circle"',
        "16/12/2023, 14:35 - You joined using this group's invite link",
        "16/12/2023, 14:46 - Anil Rao: welcome!",
        "15/12/2023, 08:00 - Anil Rao: pasted: last week's schedule",
        "16/12/2023, 14:50 - Meera Shah: thanks",
    ]
    entries = list(parse_export(lines))
    assert [(e.sent_at_text, e.system_event) for e in entries[:3]] == [
        ("2023-12-16T14:35", "encryption_notice"),
        ("2023-09-24T21:10", "created"),
        ("2023-12-16T14:35", "joined"),
    ]
    # A member's line dated back is still a pasted line: it stays in the message above.
    assert entries[3].text.endswith("\n15/12/2023, 08:00 - Anil Rao: pasted: last week's schedule")
    assert len(entries) == 5


def test_dates_that_read_the_same_either_way_need_no_order() -> None:
    lines = ["1/1/21, 09:00 - A: happy new year", "2/2/21, 10:00 - B: hi"]
    assert [e.sent_at_text for e in parse_export(lines)] == ["2021-01-01T09:00", "2021-02-02T10:00"]


def test_locale_of_the_notices_settles_an_undecidable_order_and_says_so() -> None:
    lines = [
        "3/6/22, 14:56 - Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb "
        "dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp.",
        "4/6/22, 09:00 - Anna: Hallo",
    ]
    layout = detect_layout(lines)
    assert layout.date_order is DateOrder.DMY
    assert layout.order_note is not None and "de" in layout.order_note


def test_us_style_twelve_hour_clock_settles_month_first() -> None:
    lines = ["3/6/22, 9:00\u202fAM - A: hi", "4/6/22, 9:00\u202fPM - B: hello"]
    layout = detect_layout(lines)
    assert layout.date_order is DateOrder.MDY and layout.order_note is not None


def test_without_any_evidence_the_order_is_still_asked_for() -> None:
    with pytest.raises(ExportFormatError, match="--date-order"):
        detect_layout(["3/6/2022, 09:00 - A: hi", "4/6/2022, 10:00 - B: hello"])


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("18/03/2022, 9:41\u202fvorm. - A: x", "2022-03-18T09:41"),
        ("18/03/2022, 9:41\u202fnachm. - A: x", "2022-03-18T21:41"),
        ("2022/03/18 午後2:56 - A: x", "2022-03-18T14:56"),
        ("18/3/2565 9:41 หลังเที่ยง - A: x", "2022-03-18T21:41"),
        ("18/3/22, 9:41 μ.μ. - A: x", "2022-03-18T21:41"),
        ("18/3/22, 9:41 π.μ. - A: x", "2022-03-18T09:41"),
        ("١٨/٠٣/٢٠٢٢, ٠٩:٤١ - A: x", "2022-03-18T09:41"),
        ("१८/०३/२२, ९:४१ pm - A: x", "2022-03-18T21:41"),
        ("১৮/০৩/২২, ৯:৪১ am - A: x", "2022-03-18T09:41"),
        ("۱۸/۰۳/۲۰۲۲, ۰۹:۴۱ - A: x", "2022-03-18T09:41"),
    ],
)
def test_headers_in_every_digit_system_and_meridiem(line: str, iso: str) -> None:
    (entry,) = parse_export([line])
    assert (entry.sent_at_text, entry.author, entry.text) == (iso, "A", "x")


def test_a_caption_before_an_inline_placeholder_is_kept_as_the_text() -> None:
    entries = list(parse_export(open_export(FIXTURES / "ios_english_pins_calls_captions.txt")))
    assert entries[5].marker is Marker.MEDIA and entries[5].body == "Offsite venue"
    assert entries[2].system_event == "call" and entries[3].system_event == "call"


def test_an_android_edited_placeholder_in_turkish_marks_the_message_edited() -> None:
    entries = list(parse_export(open_export(FIXTURES / "android_turkish_placeholders.txt")))
    assert entries[2].edited and entries[2].body == "toplantı 10'da"
