"""The HTML report opened in a real (headless) Chromium at a phone's width."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.reports.files import render_html
from tests.reports.browser import CHROMIUM, visit
from tests.reports.builders import sample_report

FACTS = """(() => {
  const chart = document.getElementById('chart');
  return {complete: chart.complete, naturalWidth: chart.naturalWidth,
          shownWidth: chart.getBoundingClientRect().width,
          pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth,
          title: document.querySelector('h1').textContent,
          overflowing: [...document.querySelectorAll('.table-wrap')]
            .filter(w => w.scrollWidth > w.clientWidth).length};
})()"""


@pytest.mark.slow
def test_report_page_loads_without_errors_and_shows_the_chart_on_a_phone(tmp_path: Path) -> None:
    if not (shutil.which("chromium") or os.path.exists(CHROMIUM)):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    page = tmp_path / "report.html"
    page.write_text(render_html(sample_report()), encoding="utf-8")
    seen = visit(page, FACTS)
    shot = Path(os.environ.get("LIFTBOT_SCREENSHOT", tmp_path / "report.png"))
    shot.write_bytes(seen.screenshot)
    assert seen.errors == []
    assert seen.facts["complete"] and seen.facts["naturalWidth"] > 0
    assert 0 < seen.facts["shownWidth"] <= seen.facts["viewport"]
    assert seen.facts["pageWidth"] <= seen.facts["viewport"]  # nothing scrolls sideways
    assert seen.facts["overflowing"] == 0  # every table fits the phone's width
    assert seen.facts["title"] == "HR Leaders Circle · week 2026-W47"
    assert seen.screenshot.startswith(b"\x89PNG")
