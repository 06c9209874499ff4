"""One report, many renderings: content, platform limits and escaping."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace

import pytest

from bot.reports.chart import bar_label, chart_levels, render_chart
from bot.reports.contents import LevelHelp, OpenRequest
from bot.reports.files import csv_cell, render_csv, render_html, render_json
from bot.reports.render import render_blocks, render_text
from bot.reports.weekly import excerpt
from bot.text import split_lines, strip_bidi, utf16_length
from tests.reports.builders import sample_report

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def many_requests(n: int) -> tuple[OpenRequest, ...]:
    base = sample_report().unanswered[0]
    return tuple(replace(base, message_id=i, text=f"question {i} " + "detail " * 20)
                 for i in range(n))  # fmt: skip


def test_text_opens_with_what_to_do_then_the_gap_then_the_evidence() -> None:
    text = "\n".join(render_text(sample_report()))
    assert text.startswith(
        "(1/2) *HR Leaders Circle · week 2026-W47*\n16 Nov – 22 Nov 2026 (Asia/Kolkata)\n\n"
        "*This week, do this (2 requests waiting over 24 h, most senior and oldest first)*\n"
        "1. *Meera* (junior) · waiting 4 days · Wed\u00a018\u00a0Nov\u00a010:42 "
        "https://hr.slack.com/archives/C1/p1700000000\n"
        "   “Any POSH trainer in Pune?”\n"
        "   → Tag Priya: answered 3 POSH questions\n"
        "   also might know: Kavita (senior peer)\n"
        "   paste in the group: Meera asked on Wed 18 Nov 10:42: “Any POSH trainer in Pune?” "
        "@Priya and @Kavita, could you share what worked for you?\n"
        "2. *Sam <!channel>* (unknown) · waiting 3 days · Thu\u00a019\u00a0Nov\u00a009:00\n"
    )
    order = [text.index(h) for h in ("*This week, do this", "*The gap*", "*Findings*",
                                      "*Trends, last 4 weeks*", "*Help requests by asker level*",
                                      "*Real connectors", "*Mix of 120")]  # fmt: skip
    assert order == sorted(order)
    assert "*The gap*\nSeniors: 3 of 3 answered, median 12 min;" in text


def test_each_open_request_names_its_author_once() -> None:
    item = render_text(sample_report())[0].split("\n1. ")[1].split("\n2. ")[0]
    assert item.count("Meera") == 2  # the author, and the asker named in the nudge to paste
    assert "· Meera" not in item  # no second author line from the message reference


def test_trends_colour_each_direction_by_whether_it_is_good() -> None:
    text = "\n".join(render_text(sample_report()))
    assert "• Member messages: 120 — 🟢 better ▲ 20 · 4 wks: 90, 95, 100, 120" in text
    assert "• Requests answered: 61% (n=18) — 🔴 worse ▼ 9 pts · 4 wks: 50%, 65%, 70%, 61%" in text
    assert "• Still unanswered: 2 — 🔴 worse ▲ 1 · 4 wks: 0, 3, 1, 2" in text  # up is bad here
    assert "• Median first response: 60 min (n=18) — no comparison" in text


def test_small_samples_are_counts_not_percentages() -> None:
    text = "\n".join(render_text(sample_report()))
    assert "• senior: 3 asked, 3 answered, 2 resolved, first response median 12 min\n" in text
    assert "• junior: 10 asked, 4 (40%) answered, 2 resolved, first response median 5.0 h\n" in text


def test_resolved_is_shown_only_where_resolution_is_tracked() -> None:
    untracked = sample_report(resolution_tracked=False)
    text = "\n".join(render_text(untracked))
    assert "resolved" not in text
    assert "solved</th>" not in render_html(untracked, chart_png=b"png")
    assert ",resolved," not in render_csv(untracked)
    assert "Re&shy;solved</th>" in render_html(sample_report(), chart_png=b"png")


def test_text_chunks_are_numbered_and_never_split_an_item() -> None:
    report = sample_report(unanswered=many_requests(40), unanswered_total=40)
    chunks = render_text(report)
    assert len(chunks) > 2
    assert all(utf16_length(c) <= 1600 for c in chunks)
    assert [c[: c.index(")") + 1] for c in chunks] == [
        f"({i}/{len(chunks)})" for i in range(1, len(chunks) + 1)
    ]
    bodies = [re.sub(r"^\(\d+/\d+\) ", "", c) for c in chunks]
    items = [part for body in bodies for part in re.split(r"\n(?=\d+\. )", body)]
    whole = [p for p in items if re.match(r"\d+\. \*Meera\*", p)]
    assert len(whole) == 40
    assert all("paste in the group:" in p for p in whole)  # each item kept with its nudge


def test_a_line_longer_than_a_chunk_is_cut_not_lost() -> None:
    chunks = split_lines(["short", "x" * 3500, "tail"], 1600)
    assert all(len(c) <= 1600 for c in chunks)
    assert "".join(chunks).replace("\n", "") == "short" + "x" * 3500 + "tail"


def test_text_chunks_count_emoji_as_twilio_does() -> None:
    chatty = replace(sample_report().unanswered[0], text="🙏" * 150, nudge="")
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
    assert (
        "<https://hr.slack.com/archives/C1/p1700000000|Wed\u00a018\u00a0Nov\u00a010:42>" in joined
    )
    assert "paste in the group" not in joined  # Slack members are tagged where they are


def test_blocks_strip_bidi_controls_from_quoted_text() -> None:
    request = replace(sample_report().unanswered[0], text=f"pay{BIDI}slip", asker=f"Ra{BIDI}vi")
    report = sample_report(unanswered=(request,))
    dumped = json.dumps(render_blocks(report), ensure_ascii=False)
    assert not any(ch in dumped for ch in BIDI)
    assert "“payslip”" in dumped and "*Ravi* (junior)" in dumped


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
                              "alt_text": "Help requests answered, by asker level"}  # fmt: skip


def test_blocks_ignore_a_chart_url_that_is_not_a_web_link() -> None:
    messages = render_blocks(sample_report(), chart_url="javascript:alert(1)")
    assert all(b["type"] != "image" for m in messages for b in m)


def test_json_round_trips_the_numbers() -> None:
    data = json.loads(render_json(sample_report()))
    assert data["week"] == "2026-W47"
    assert data["help_by_level"][0] == {
        "level": "junior", "asked": 10, "answered": 4, "resolved": 2, "median_minutes": 300.0,
        "p90_minutes": 1500.0, "answered_pct": 40.0, "resolved_pct": 20.0,
        "business_median_minutes": None, "business_p90_minutes": None}  # fmt: skip
    assert (data["business_hours"], data["response_time_basis"]) == (None, "wall_clock")
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
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


def test_chart_labels_every_bar_and_tells_zero_from_no_requests() -> None:
    levels = (LevelHelp("junior", 1, 1, 0, 9.0, 9.0), LevelHelp("mid", 0, 0, 0, None, None),
              LevelHelp("senior", 0, 0, 0, None, None), LevelHelp("executive", 2, 0, 0, None, None),
              LevelHelp("unknown", 0, 0, 0, None, None))  # fmt: skip
    report = sample_report(help_by_level=levels, help_overall=LevelHelp("all", 3, 1, 0, 9.0, 9.0))
    rows = [(x.level, bar_label(x)) for x in chart_levels(report)]
    assert rows == [("executive", "0 of 2"), ("senior", "no requests"), ("mid", "no requests"),
                    ("junior", "1 of 1 · 9 min")]  # fmt: skip
    assert render_chart(report) is not None


def test_html_is_self_contained_escaped_and_phone_sized() -> None:
    page = render_html(sample_report(), chart_png=b"\x89PNG fake")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert 'src="data:image/png;base64,iVBORyBmYWtl"' in page
    assert "hi &lt;!channel&gt; &amp; &lt;@U123&gt; evil" in page
    assert "Sam &lt;!channel&gt;" in page
    assert 'href="https://hr.slack.com/archives/C1/p1700000000"' in page
    assert "http://" not in page.replace("https://hr.slack.com", "") and "<script" not in page


def test_html_keeps_the_change_column_coloured_and_the_full_text_reachable() -> None:
    long_text = "We are rolling out POSH training across 4 plants. " * 10
    request = replace(sample_report().unanswered[0], text=long_text.strip(),
                      excerpt=excerpt(long_text))  # fmt: skip
    page = render_html(sample_report(unanswered=(request,)), chart_png=b"png")
    assert "<details><summary>Full message</summary><p>" + long_text.strip() in page
    assert '<td class="n worse">▼ 9 pts<div>worse</div></td>' in page
    assert '<td class="n better">▲ 20<div>better</div></td>' in page
    assert '<div class="nudge">Meera asked on Wed 18 Nov 10:42' in page


def test_an_empty_week_says_no_help_requests_and_nothing_else() -> None:
    empty = sample_report(
        member_messages=0, unanswered=(), unanswered_total=0, connectors=(), broadcasters=(),
        help_by_level=tuple(replace(x, asked=0, answered=0, resolved=0, median_minutes=None,
                                    p90_minutes=None) for x in sample_report().help_by_level),
        help_overall=replace(sample_report().help_overall, asked=0, answered=0, resolved=0),
        findings=(), gap=None,
    )  # fmt: skip
    assert render_text(empty) == [
        "*HR Leaders Circle · week 2026-W47*\n16 Nov – 22 Nov 2026 (Asia/Kolkata)\n\n"
        "*This week*\nNo help requests this week."
    ]
    page = render_html(empty)
    assert page.count("No help requests this week.") == 1
    assert "Nothing to chase" not in page and 'id="chart"' not in page
    assert render_chart(empty) is None
    assert render_blocks(empty) and json.loads(render_json(empty))["member_messages"] == 0
    assert render_csv(empty).startswith("week,section")


def test_a_week_note_says_why_another_week_is_shown() -> None:
    note = "2026-W48 has no messages, so this report is for 2026-W47, the latest week with data."
    report = sample_report(week_note=note)
    assert render_text(report)[0].split("\n")[2] == f"_{note}_"
    assert f'<p class="note">{note}</p>' in render_html(report, chart_png=b"png")


def test_strip_bidi_keeps_other_text() -> None:
    assert strip_bidi(f"{BIDI}नमस्ते مرحبا 👋") == "नमस्ते مرحبا 👋"
