"""Multi-line messages, system lines, markers and awkward author names."""

from __future__ import annotations

import pytest

from bot.domain import Marker
from bot.privacy.phones import mask_phone, normalise_phone
from handlers.whatsapp_export import ExportEntry, parse_export

H = "14/06/2024, 10:{:02d} - "
IOS = "[14/06/2024, 10:{:02d}:00] "


def _one(rest: str, header: str = H) -> ExportEntry:
    (entry,) = parse_export([header.format(0) + rest])
    return entry


def test_continuation_lines_fold_into_one_entry_with_newlines() -> None:
    lines = [
        H.format(1) + "Meera: Hiring a payroll lead",
        "",
        "Location: Pune",
        "14/06/2024 is the last date to apply",  # date-like, but not a full header
        "14/06/2024, 10:05 is when the drive starts",  # date and time, but no " - " separator
        H.format(2) + "Arjun: Interested!",
    ]
    first, second = parse_export(lines)
    assert first.text == (
        "Hiring a payroll lead\n\nLocation: Pune\n14/06/2024 is the last date to apply\n"
        "14/06/2024, 10:05 is when the drive starts"
    )
    assert (first.line, second.line, second.index) == (1, 6, 1)


@pytest.mark.parametrize(
    ("rest", "event"),
    [
        ("Messages and calls are end-to-end encrypted. No one outside of this chat can read them.",
         "encryption_notice"),
        ("Kiran added Meera", "added"),
        ("You added +91 98450 11111", "added"),
        ("Kiran removed Arjun", "removed"),
        ("Meera joined using this group's invite link", "joined"),
        ("Arjun left", "left"),
        ("Kiran changed the subject from “HR: Pune” to “HR Pune”", "subject_changed"),
        ("Kiran changed this group's icon", "icon_changed"),
        ("Kiran changed the group description", "description_changed"),
        ("Kiran created group “HR Pune”", "created"),
        ("You created group “HR Pune”", "created"),
        ("Arjun changed their phone number to a new number. Tap to message or add the new number.",
         "number_changed"),
        ("Your security code with Arjun changed. Tap to learn more.", "other"),
        ("Kiran turned on disappearing messages. New messages will disappear after 7 days.",
         "settings_changed"),
        ("Kiran changed this group's settings to allow only admins to send messages",
         "settings_changed"),
        ("Waiting for this message. This may take a while.", "other"),
    ],
)  # fmt: skip
def test_system_lines_have_no_author_and_a_named_event(rest: str, event: str) -> None:
    entry = _one(rest)
    assert (entry.system, entry.author, entry.system_event, entry.text) == (True, None, event, rest)


def test_a_member_line_ending_like_a_notice_is_the_members_message() -> None:
    rest = (
        "Rakesh Tiwari GM HR: Good morning all. No political forwards. "
        "Last week 2 members removed for that."
    )
    entry = _one(rest)
    assert (entry.system, entry.author) == (False, "Rakesh Tiwari GM HR")
    assert entry.text.endswith("2 members removed for that.")


def test_ios_system_line_attributed_to_the_group_is_a_system_line() -> None:
    entry = _one("HR Circle: \u200eMessages and calls are end-to-end encrypted.", IOS)
    assert (entry.system, entry.author, entry.system_event) == (True, None, "encryption_notice")
    assert entry.text == "Messages and calls are end-to-end encrypted."


def test_ios_system_line_with_leading_mark_and_no_group() -> None:
    entry = _one("\u200eKiran added Meera", "\u200e" + IOS)
    assert (entry.system, entry.system_event, entry.text) == (True, "added", "Kiran added Meera")


@pytest.mark.parametrize(
    ("text", "marker", "body"),
    [
        ("<Media omitted>", Marker.MEDIA, ""),
        ("\u200eimage omitted", Marker.MEDIA, ""),
        ("video omitted", Marker.MEDIA, ""),
        ("sticker omitted", Marker.MEDIA, ""),
        ("\u200eGIF omitted", Marker.MEDIA, ""),
        ("audio omitted", Marker.MEDIA, ""),
        ("Offer_Letter.pdf • \u200e2 pages \u200edocument omitted", Marker.MEDIA, ""),
        ("\u200e<attached: 00000012-PHOTO-2024-06-03-10-22-01.jpg>", Marker.MEDIA, ""),
        ("IMG-20240603-WA0001.jpg (file attached)", Marker.MEDIA, ""),
        ("IMG-20240603-WA0001.jpg (file attached)\nJD for the Pune role", Marker.MEDIA,
         "JD for the Pune role"),
        ("This message was deleted", Marker.DELETED, ""),
        ("\u200eThis message was deleted", Marker.DELETED, ""),
        ("You deleted this message", Marker.DELETED, ""),
        ("Please don't send <Media omitted> placeholders, describe the file", None,
         "Please don't send <Media omitted> placeholders, describe the file"),
        ("The photo omitted the logo", None, "The photo omitted the logo"),
    ],
)  # fmt: skip
def test_markers_are_kept_in_text_and_removed_from_body(
    text: str, marker: Marker | None, body: str
) -> None:
    entry = _one(f"Meera: {text}")
    assert (entry.text, entry.marker, entry.body, entry.edited) == (text, marker, body, False)


def test_edited_marker_is_flagged_and_stripped_from_body() -> None:
    entry = _one("Meera: Hiring 2 recruiters in Pune\nDM me <This message was edited>")
    assert entry.edited
    assert entry.marker is None
    assert entry.text.endswith("<This message was edited>")
    assert entry.body == "Hiring 2 recruiters in Pune\nDM me"


@pytest.mark.parametrize(
    ("rest", "author", "is_phone", "text"),
    [
        ("~\u202fPriya S: hi", "Priya S", False, "hi"),
        ("~ Priya S: hi", "Priya S", False, "hi"),
        ("\u202a+91 99887 76655\u202c: hi", "+91 99887 76655", True, "hi"),
        ("+44 7700 900123: hi", "+44 7700 900123", True, "hi"),
        ("Dr. Rao (CHRO): Note: budgets are due", "Dr. Rao (CHRO)", False, "Note: budgets are due"),
        ("محمد علي: السلام عليكم", "محمد علي", False, "السلام عليكم"),
        ("王芳: 大家好", "王芳", False, "大家好"),
        ("🌻 Sunita 🌻: Good morning", "🌻 Sunita 🌻", False, "Good morning"),
        ("\u2068Kiran\u2069: hi", "Kiran", False, "hi"),
        ("Team 2024: see you", "Team 2024", False, "see you"),
        ("Ravi: ", "Ravi", False, ""),
    ],
)
def test_awkward_authors(rest: str, author: str, is_phone: bool, text: str) -> None:
    entry = _one(rest)
    assert (entry.author, entry.author_is_phone, entry.text, entry.system) == (
        author,
        is_phone,
        text,
        False,
    )


def test_name_with_colon_is_recognised_once_a_system_line_names_it() -> None:
    lines = [
        H.format(1) + "Kiran: before anyone added them",
        H.format(2) + "Kiran added Talent: Pune",
        H.format(3) + "Talent: Pune: Drive on Saturday: 40 openings",
        H.format(4) + "Talent: Pune left",
    ]
    entries = list(parse_export(lines))
    assert (entries[2].author, entries[2].text) == (
        "Talent: Pune",
        "Drive on Saturday: 40 openings",
    )
    assert (entries[3].system, entries[3].system_event) == (True, "left")


def test_unknown_name_with_colon_splits_at_the_first_colon_space() -> None:
    # Documented rule: unless a system line named "Talent: Pune", the author ends at the first ": ".
    entry = _one("Talent: Pune: Drive on Saturday")
    assert (entry.author, entry.text) == ("Talent", "Pune: Drive on Saturday")


@pytest.mark.parametrize(
    ("raw", "e164", "masked"),
    [
        ("+91 99887 76655", "+919988776655", "+91••••••6655"),
        ("\u202a+91 99887 76655\u202c", "+919988776655", "+91••••••6655"),
        ("+44 7700 900123", "+447700900123", "+44••••••0123"),
        ("+1 (415) 555-0134", "+14155550134", "+14•••••0134"),
        ("0091 98450 12345", "+919845012345", "+91••••••2345"),
        ("98450 12345", None, None),
        ("Meera", None, None),
    ],
)
def test_export_authors_are_normalised_and_shown_masked(
    raw: str, e164: str | None, masked: str | None
) -> None:
    assert normalise_phone(raw) == e164
    assert (mask_phone(e164) if e164 else None) == masked


def test_headers_repeating_the_same_minute_are_each_a_new_entry() -> None:
    lines = [
        H.format(1) + "Meera: first",
        H.format(1) + "Arjun: second",
        "still the second",
        H.format(1) + "11:00 PM: a pasted schedule line",
        H.format(1) + "Meera: third",
        H.format(1),  # the header alone: an empty system line
        H.format(2) + "Arjun: fourth",
    ]
    entries = list(parse_export(lines))
    assert [(e.author, e.text, e.line) for e in entries] == [
        ("Meera", "first", 1),
        (
            "Arjun",
            "second\nstill the second\n" + H.format(1) + "11:00 PM: a pasted schedule line",
            2,
        ),
        ("Meera", "third", 5),
        (None, "", 6),
        ("Arjun", "fourth", 7),
    ]
    assert len({e.sent_at for e in entries[:4]}) == 1
