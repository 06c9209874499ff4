"""The character rules every platform shares (bot/text.py), pinned where copies were merged."""

from __future__ import annotations

import pytest

from bot.privacy.identity import name_key
from bot.text import (
    BIDI_MARKS,
    formula_safe,
    safe_url,
    slack_escape,
    split_lines,
    split_message,
    strip_bidi,
    strip_controls,
    utf16_length,
)


def test_one_set_of_bidi_marks_covers_exports_reports_and_names() -> None:
    # The export reader's marks (with the byte-order mark) and the report's Trojan Source set.
    for mark in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff":
        assert mark in BIDI_MARKS
        assert strip_bidi(f"Pri{mark}ya") == "Priya"
    assert name_key("k", "\ufeffPriya Nair") == name_key("k", "priya nair")


def test_names_lose_controls_and_bidi_marks_but_keep_scripts() -> None:
    assert strip_controls("\u202eevil\u202c Na\x00me\n\u200e") == "evil Name"
    assert strip_controls("نور الهدى 🦄") == "نور الهدى 🦄"
    assert strip_bidi("line one\nline two") == "line one\nline two"  # member text keeps lines


@pytest.mark.parametrize(
    ("text", "shown"),
    [("<!channel> & <@U1>", "&lt;!channel&gt; &amp; &lt;@U1&gt;"), ("plain", "plain")],
)
def test_slack_escape_shows_text_literally(text: str, shown: str) -> None:
    assert slack_escape(text) == shown


@pytest.mark.parametrize("cell", ["=SUM(A1)", "+1", "-2", "@me", "\tx", "\rx"])
def test_formula_starts_are_quoted_for_spreadsheets(cell: str) -> None:
    assert formula_safe(cell) == "'" + cell
    assert formula_safe("Priya") == "Priya"


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://hr.slack.com/archives/C1/p1", True),
        ("http://example.org/a?b=c", True),
        ("javascript:alert(1)", False),
        ("https://x.org/a b", False),
        ('https://x.org/"onload', False),
        ("https://x.org/|label", False),
        (None, False),
    ],
)
def test_only_plain_web_links_are_printed(url: str | None, safe: bool) -> None:
    assert safe_url(url) == (url if safe else None)


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_length("hé") == 2
    assert utf16_length("🙏") == 2


def test_whatsapp_messages_break_between_lines_and_keep_them() -> None:
    body = "\n".join(f"{i}. an open request that needs an answer" for i in range(120))
    parts = split_message(body)
    assert len(parts) == 4 and all(utf16_length(p) <= 1600 for p in parts)
    assert "\n".join(parts) == body


def test_a_long_line_breaks_at_a_space_not_inside_a_word() -> None:
    parts = split_message("word " * 700)
    assert all(utf16_length(p) <= 1600 for p in parts)
    assert all(p.endswith("word ") or p.endswith("word") for p in parts)
    assert "".join(parts) == "word " * 700


def test_emoji_never_split_and_counted_as_twilio_does() -> None:
    parts = split_message("🙂" * 1000)
    assert [len(p) for p in parts] == [800, 200]


def test_an_empty_body_is_one_empty_message() -> None:
    assert split_message("") == [""]
    assert split_message("\n\n") == [""]


def test_slack_sections_may_measure_in_characters() -> None:
    chunks = split_lines(["🙂" * 2000, "tail"], 3000, len)
    assert chunks == ["🙂" * 2000 + "\ntail"]


def test_a_report_already_cut_into_numbered_messages_is_sent_as_those_messages() -> None:
    from bot.text import WHATSAPP_BODY_UNITS

    first = "(1/2) *Weekly report*\n" + "\n".join(f"• item {i} " + "x" * 60 for i in range(22))
    second = "(2/2) *Trends*\n" + "\n".join(f"• trend {i}" for i in range(5))
    assert utf16_length(first) < WHATSAPP_BODY_UNITS < utf16_length(first + "\n\n" + second)
    assert split_message(first + "\n\n" + second) == [first, second]
