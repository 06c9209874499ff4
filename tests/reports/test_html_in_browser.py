"""The HTML report opened in a real (headless) Chromium at a phone's and a desktop's width."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.reports.chart import SMALLEST_TEXT_PX
from bot.reports.contents import LevelHelp
from bot.reports.files import render_html
from tests.reports.browser import CHROMIUM, SCALE, PageVisit, png_size, visit
from tests.reports.builders import sample_report

FACTS = """(() => {
  const chart = document.getElementById('chart');
  const details = document.querySelector('.request details');
  if (details) details.open = true;
  const smallest = Math.min(...[...document.querySelectorAll('main *')]
    .filter(e => e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(e => parseFloat(getComputedStyle(e).fontSize)));
  return {hasChart: !!chart, complete: chart && chart.complete, naturalWidth: chart && chart.naturalWidth,
          shownWidth: chart && chart.getBoundingClientRect().width,
          pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth,
          title: document.querySelector('h1').textContent,
          firstSection: document.querySelector('h2').textContent,
          fullText: details ? details.querySelector('p').getBoundingClientRect().height : 0,
          smallestText: smallest,
          worse: [...document.querySelectorAll('td.worse')].map(td => getComputedStyle(td).color),
          better: [...document.querySelectorAll('td.better')].map(td => getComputedStyle(td).color),
          text: document.body.innerText,
          overflowing: [...document.querySelectorAll('.table-wrap')]
            .filter(w => w.scrollWidth > w.clientWidth).map(w => w.textContent.trim().slice(0, 40)).length};
})()"""

needs_chromium = pytest.mark.skipif(
    not (shutil.which("chromium") or os.path.exists(CHROMIUM)),
    reason="Chromium is not installed (apt-get install chromium)",
)


def open_at(tmp_path: Path, html: str, width: int, name: str) -> PageVisit:
    folder = tmp_path / f"{name}-{width}"  # one browser profile per visit
    folder.mkdir()
    page = folder / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    seen = visit(page, FACTS, width=width)
    shots = Path(os.environ.get("LIFTBOT_SCREENSHOT_DIR", tmp_path))
    (shots / f"{name}-{width}.png").write_bytes(seen.screenshot)
    return seen


def long_week() -> str:
    request = sample_report().unanswered[0]
    long_text = (
        "We are rolling out POSH training across our 4 plants and need Marathi sessions. " * 6
    )
    return render_html(sample_report(unanswered=(replace(request, text=long_text.strip()),
                                                 *sample_report().unanswered[1:])))  # fmt: skip


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("width", [400, 1200])
def test_report_reads_at_phone_and_desktop_width(tmp_path: Path, width: int) -> None:
    seen = open_at(tmp_path, long_week(), width, "report")
    facts = seen.facts
    assert seen.errors == []
    assert facts["title"] == "HR Leaders Circle · week 2026-W47"
    assert facts["firstSection"] == "This week, do this"  # the action comes first
    assert facts["pageWidth"] <= facts["viewport"] == width  # nothing scrolls sideways
    assert facts["overflowing"] == 0  # every table fits
    assert facts["smallestText"] >= 12  # no 8 px text
    assert facts["complete"] and facts["naturalWidth"] > 0
    assert 0 < facts["shownWidth"] <= min(width, 600)
    # The chart's smallest label, as shown on screen (CSS pixels), is still legible.
    assert SMALLEST_TEXT_PX * facts["shownWidth"] / facts["naturalWidth"] >= 12
    assert facts["fullText"] > 0  # the full message opens under "Full message"
    assert facts["worse"] == ["rgb(179, 38, 30)"] * 2 and facts["better"] == ["rgb(30, 123, 70)"]
    shot_width, _ = png_size(seen.screenshot)
    assert shot_width <= width * SCALE  # a desktop's scroll bar may take a few pixels


@pytest.mark.slow
@needs_chromium
def test_phone_and_desktop_screenshots_show_the_same_page_reflowed(tmp_path: Path) -> None:
    html = long_week()
    phone, desktop = open_at(tmp_path, html, 400, "same"), open_at(tmp_path, html, 1200, "same")
    (phone_w, phone_h), (desk_w, desk_h) = png_size(phone.screenshot), png_size(desktop.screenshot)
    assert phone_w == 400 * SCALE and 1150 * SCALE <= desk_w <= 1200 * SCALE
    assert phone_h > desk_h  # the phone wraps the same content into a longer page
    assert phone.facts["text"].split() == desktop.facts["text"].split()  # nothing hidden on a phone


@pytest.mark.slow
@needs_chromium
def test_an_empty_week_has_one_line_and_no_chart(tmp_path: Path) -> None:
    quiet = tuple(replace(x, asked=0, answered=0, resolved=0, median_minutes=None, p90_minutes=None)
                  for x in sample_report().help_by_level)  # fmt: skip
    empty = sample_report(member_messages=0, unanswered=(), unanswered_total=0, connectors=(),
                          broadcasters=(), help_by_level=quiet, findings=(), gap=None,
                          help_overall=LevelHelp("all", 0, 0, 0, None, None))  # fmt: skip
    seen = open_at(tmp_path, render_html(empty), 400, "empty")
    assert seen.errors == [] and not seen.facts["hasChart"]
    body = seen.facts["text"].split("\n")
    assert [line for line in body if line.strip()][-2:] == [
        "This week",
        "No help requests this week.",
    ]
