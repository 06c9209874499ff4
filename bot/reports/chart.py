"""The report's one chart: how many help requests each asker level got answered.

Only what no table shows at a glance: the gap between levels. Every bar carries its value
("0 of 2"), a level without requests says "no requests" instead of drawing a bar that looks
like 0%, and a week without help requests has no chart at all.
"""

from __future__ import annotations

from io import BytesIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.reports.actions import level_rank
from bot.reports.contents import LEVEL_ORDER, LevelHelp, WeeklyReport, format_minutes

WIDTH_PX = 600
DPI = 100
FONT_PT = 15
SMALLEST_TEXT_PX = FONT_PT * DPI / 72  # the chart's smallest text, in image pixels
_BAR = "#3b6ea8"
_NONE_ANSWERED = "#c0392b"
_MUTED = "#7b8794"


def chart_levels(report: WeeklyReport) -> list[LevelHelp]:
    """The rows the chart draws: every known level, most senior first, unknown only if it asked."""
    return sorted(
        (x for x in report.help_by_level if x.level in LEVEL_ORDER[:-1] or x.asked),
        key=lambda x: -level_rank(x.level),
    )


def bar_label(x: LevelHelp) -> str:
    """`0 of 2`, `1 of 1 · 9 min`; `no requests` where there is nothing to measure."""
    if not x.asked:
        return "no requests"
    label = f"{x.answered} of {x.asked}"
    if x.answered and x.median_minutes is not None:
        label += f" · {format_minutes(x.median_minutes)}"
    return label


def render_chart(report: WeeklyReport) -> bytes | None:
    """A PNG (matplotlib Agg, no display needed) sized for a phone; None for a week without
    help requests, which has nothing to draw."""
    if not report.help_overall.asked:
        return None
    levels = chart_levels(report)
    height = 1.3 + 0.62 * len(levels)
    figure = Figure(figsize=(WIDTH_PX / DPI, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)  # a bare Figure keeps pyplot's global state out
    axes = figure.subplots()
    rows = list(range(len(levels)))
    shares = [100.0 * x.answered / x.asked if x.asked else 0.0 for x in levels]
    axes.barh(rows, shares, height=0.6, color=_BAR)
    for row, x, share in zip(rows, levels, shares, strict=True):
        if x.asked and not x.answered:
            # 0% must not look like "no requests": a red stub marks the level that got nothing.
            axes.barh([row], [1.5], height=0.6, color=_NONE_ANSWERED)
        colour = _MUTED if not x.asked else (_NONE_ANSWERED if not x.answered else "#1f2933")
        style = "italic" if not x.asked else "normal"
        axes.text(share + 2.5, row, bar_label(x), va="center", fontsize=FONT_PT, color=colour,
                  fontstyle=style)  # fmt: skip
    axes.set_yticks(rows, [x.level for x in levels], fontsize=FONT_PT)
    axes.invert_yaxis()
    axes.set_xlim(0, 150)
    axes.set_xticks([])
    axes.spines[["top", "right", "bottom"]].set_visible(False)
    axes.set_title("Help requests answered, by asker level", fontsize=FONT_PT + 1, loc="left")
    out = BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
