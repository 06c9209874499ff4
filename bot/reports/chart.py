"""The report's chart: answer rate and median first response by asker level, and the kind mix."""

from __future__ import annotations

from io import BytesIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.reports.contents import WeeklyReport
from bot.reports.render import KIND_LABELS

_BAR = "#3b6ea8"
_MUTED = "#9aa5b1"


def render_chart(report: WeeklyReport) -> bytes:
    """A PNG (matplotlib Agg, no display needed), stacked for a phone screen."""
    # A bare Figure with an Agg canvas keeps pyplot's global state (and any GUI backend) out.
    figure = Figure(figsize=(6, 8.4), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    answer_axes, time_axes, mix_axes = figure.subplots(3, 1)
    for axes in (answer_axes, time_axes, mix_axes):
        axes.tick_params(labelsize=11)
        axes.title.set_fontsize(13)
        axes.spines[["top", "right"]].set_visible(False)
    levels = [x for x in report.help_by_level if x.asked]
    names = [x.level for x in levels]
    answer_axes.bar(names, [x.answered_pct or 0.0 for x in levels], color=_BAR)
    answer_axes.set_ylim(0, 100)
    answer_axes.set_ylabel("% answered")
    answer_axes.set_title("Help requests answered, by asker level")
    hours = [(x.median_minutes or 0.0) / 60 for x in levels]
    time_axes.bar(names, hours, color=_BAR)
    time_axes.set_ylabel("hours")
    time_axes.set_title("Median time to first response, by asker level")
    if not levels:
        for axes in (answer_axes, time_axes):
            axes.text(
                0.5,
                0.5,
                "no help requests",
                ha="center",
                va="center",
                transform=axes.transAxes,
                color=_MUTED,
            )
            axes.set_xticks([])
    mix = list(report.mix)
    mix_axes.barh(
        [KIND_LABELS.get(s.key, s.key) for s in mix],
        [s.count for s in mix],
        color=[_BAR if s.key != "other" else _MUTED for s in mix],
    )
    mix_axes.invert_yaxis()
    mix_axes.set_xlabel("member messages")
    mix_axes.set_title(f"Mix of {report.member_messages:,} member messages")
    out = BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
