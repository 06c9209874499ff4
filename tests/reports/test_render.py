"""One report, many renderings: content, platform limits and escaping."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from bot.reports.chart import render_chart
from bot.reports.contents import OpenRequest
from bot.reports.files import csv_cell, render_csv, render_html, render_json
from bot.reports.render import render_blocks, render_text
from bot.text import split_lines, strip_bidi
from tests.reports.builders import sample_report

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def many_requests(n: int) -> tuple[OpenRequest, ...]:
    base = sample_report().unanswered[0]
    return tuple(replace(base, message_id=i, excerpt=f"question {i} " + "detail " * 20)
                 for i in range(n))  # fmt: skip


def test_text_reads_like_a_report() -> None:
    text = "\n".join(render_text(sample_report()))
    assert text.startswith(
        "*HR Leaders Circle · week 2026-W47*\n16 Nov – 22 Nov 2026 (Asia/Kolkata)"
    )
    assert "• 71% of job posts were junior roles; 38% of members are senior or executive." in text
    assert (
        "• junior: 10 asked, 40% answered, 20% resolved, first response median 5.0 h, p90 25.0 h"
        in text
    )
    assert ("• Meera (junior), 101 h old: “Any POSH trainer in Pune?” — 2026-11-18 10:42 · Meera "
            "https://hr.slack.com/archives/C1/p1700000000") in text  # fmt: skip
    assert "   might know: Priya (answered 3 POSH questions); Kavita (senior peer)" in text
    assert "• Priya (senior): helped 6 · gyaan 0 · job posts 1" in text
    assert "• Ravi (senior): gyaan 12 · job posts 20" in text
    assert "• Member messages: 120 (last week 100; ▲ 20)" in text
    assert "• Requests answered: 61% (last week 70%; ▼ 9 pts)" in text
    assert "• Median first response: 60 min (last week —; no comparison)" in text


def test_text_chunks_fit_whatsapp_and_break_between_lines() -> None:
    report = sample_report(unanswered=many_requests(40), unanswered_total=40)
    chunks = render_text(report)
    assert len(chunks) > 2
    assert all(len(c) <= 1600 for c in chunks)
    lines = [line for c in chunks for line in c.split("\n")]
    assert sum(line.startswith("• Meera") for line in lines) == 40  # no line was cut


def test_a_line_longer_than_a_chunk_is_cut_not_lost() -> None:
    chunks = split_lines(["short", "x" * 3500, "tail"], 1600)
    assert all(len(c) <= 1600 for c in chunks)
    assert "".join(chunks).replace("\n", "") == "short" + "x" * 3500 + "tail"


def test_text_chunks_count_emoji_as_twilio_does() -> None:
    chatty = replace(sample_report().unanswered[0], excerpt="🙏" * 150)
    chunks = render_text(sample_report(unanswered=(chatty,) * 30, unanswered_total=30))
    assert all(len(c.encode("utf-16-le")) // 2 <= 1600 for c in chunks)
    assert sum(c.count("🙏" * 150) for c in chunks) == 30


def test_a_huge_line_is_cut_quickly_into_whatsapp_chunks() -> None:
    chunks = split_lines(["é" * 65_536], 1600)
    assert len(chunks) == 41 and "".join(chunks) == "é" * 65_536


def test_blocks_escape_member_text_so_nothing_pings() -> None:
    messages = render_blocks(sample_report())
    texts = [b["text"]["text"] for m in messages for b in m if b["type"] == "section"]
    joined = "\n".join(texts)
    assert "hi &lt;!channel&gt; &amp; &lt;@U123&gt; evil" in joined
    assert "Sam &lt;!channel&gt;" in joined
    assert "<!channel>" not in joined and "<@U123>" not in joined
    assert "<https://hr.slack.com/archives/C1/p1700000000|2026-11-18 10:42 · Meera>" in joined


def test_blocks_strip_bidi_controls_from_quoted_text() -> None:
    request = replace(sample_report().unanswered[0], excerpt=f"pay{BIDI}slip", asker=f"Ra{BIDI}vi")
    report = sample_report(unanswered=(request,))
    dumped = json.dumps(render_blocks(report), ensure_ascii=False)
    assert not any(ch in dumped for ch in BIDI)
    assert "“payslip”" in dumped and "Ravi (junior)" in dumped


def test_blocks_respect_slack_limits_on_a_huge_week() -> None:
    report = sample_report(unanswered=many_requests(400), unanswered_total=400)
    messages = render_blocks(report, chart_url="https://example.org/chart.png")
    assert len(messages) > 1
    for message in messages:
        assert 0 < len(message) <= 50
        for block in message:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3000
    assert messages[0][0]["type"] == "header"
    assert messages[0][2] == {"type": "image", "image_url": "https://example.org/chart.png",
                              "alt_text": "Answer rate and mix"}  # fmt: skip


def test_blocks_ignore_a_chart_url_that_is_not_a_web_link() -> None:
    messages = render_blocks(sample_report(), chart_url="javascript:alert(1)")
    assert all(b["type"] != "image" for m in messages for b in m)


def test_json_round_trips_the_numbers() -> None:
    data = json.loads(render_json(sample_report()))
    assert data["week"] == "2026-W47"
    assert data["help_by_level"][0] == {
        "level": "junior", "asked": 10, "answered": 4, "resolved": 2, "median_minutes": 300.0,
        "p90_minutes": 1500.0, "answered_pct": 40.0, "resolved_pct": 20.0}  # fmt: skip
    assert data["headlines"][0]["change"] == 20.0
    assert data["unanswered"][1]["excerpt"] == "hi <!channel> & <@U123> evil"
    assert data["start"] == "2026-11-15T18:30:00+00:00"


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+91 98", "'+91 98"), ("-2+3", "'-2+3"),
     ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("Meera", "Meera"),
     (42, "42"), (None, "")],
)  # fmt: skip
def test_csv_cells_never_start_a_formula(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_csv_is_long_format_and_formula_safe() -> None:
    request = replace(sample_report().unanswered[0], asker="=cmd|' /C calc'!A0")
    rows = list(csv.reader(io.StringIO(render_csv(sample_report(unanswered=(request,))))))
    assert rows[0] == ["week", "section", "item", "metric", "value"]
    assert ["2026-W47", "help_by_asker_level", "junior", "answered", "4"] in rows
    assert ["2026-W47", "unanswered", "2026-11-18 10:42 · Meera", "asker",
            "'=cmd|' /C calc'!A0"] in rows  # fmt: skip
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_chart_is_a_png() -> None:
    png = render_chart(sample_report())
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


def test_html_is_self_contained_escaped_and_phone_sized() -> None:
    page = render_html(sample_report(), chart_png=b"\x89PNG fake")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert 'src="data:image/png;base64,iVBORyBmYWtl"' in page
    assert "hi &lt;!channel&gt; &amp; &lt;@U123&gt; evil" in page
    assert "Sam &lt;!channel&gt;" in page
    assert 'href="https://hr.slack.com/archives/C1/p1700000000"' in page
    assert "http://" not in page.replace("https://hr.slack.com", "") and "<script" not in page


def test_an_empty_week_renders_everywhere() -> None:
    empty = sample_report(
        member_messages=0, unanswered=(), unanswered_total=0, connectors=(), broadcasters=(),
        help_by_level=tuple(replace(x, asked=0, answered=0, resolved=0, median_minutes=None,
                                    p90_minutes=None) for x in sample_report().help_by_level),
        help_overall=replace(sample_report().help_overall, asked=0, answered=0, resolved=0),
        findings=("Members wrote nothing this week.",),
    )  # fmt: skip
    text = "\n".join(render_text(empty))
    assert "No help requests this week." in text and "Every request got an answer." in text
    assert render_blocks(empty) and json.loads(render_json(empty))["member_messages"] == 0
    assert "No help requests this week." in render_html(empty)
    assert render_chart(empty).startswith(b"\x89PNG")
    assert render_csv(empty).startswith("week,section")


def test_strip_bidi_keeps_other_text() -> None:
    assert strip_bidi(f"{BIDI}नमस्ते مرحبا 👋") == "नमस्ते مرحبا 👋"
