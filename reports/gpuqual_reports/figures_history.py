"""Trend figures of the results history: per case, its median per run (one line per device) with
the 95% CI, the level between change points and the change points themselves, as the C++ side
found them (history_load.Trend; harness/decide/history_trend.h). Draws only; decides nothing.
"""

import textwrap

from . import style
from .style import FigureSpec

_MAX_TICKS = 24
_REGRESSED, _IMPROVED = "#c62828", "#2e7d32"


def run_order(series_list):
    """The runs of a case's series in start order: [(run_id, point)] with one point per run
    (the first series' where several devices ran it)."""
    seen = {}
    for s in series_list:
        for p in s.points:
            seen.setdefault(p.run_id, p)
    return sorted(seen.items(), key=lambda item: (item[1].started_at, item[0]))


def wrap_case_id(text, width):
    """`text` in lines of at most `width` characters, broken after a "/" of the case id where it
    can be (a case id has no spaces), else hard."""
    lines, line = [], ""
    for part in text.replace("/", "/\0").split("\0"):
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = ""
        line += part
    lines.append(line)
    return "\n".join(chunk for ln in lines for chunk in (textwrap.wrap(ln, width) or [""]))


def tick_text(point, by_commit):
    """A run's tick label: its commit label, else its start time ("11-29 21:31")."""
    if by_commit:
        return point.commit
    return point.started_at[5:16].replace("T", " ")


def _ticks(ax, runs):
    by_commit = all(p.commit for _, p in runs)
    step = max(1, -(-len(runs) // _MAX_TICKS))
    xs = list(range(0, len(runs), step))
    ax.set_xticks(xs)
    ax.set_xticklabels([tick_text(runs[x][1], by_commit) for x in xs], rotation=40, ha="right",
                       fontsize=7.5)
    ax.set_xlim(-0.6, len(runs) - 0.4)
    ax.grid(axis="x", visible=False)
    return "Run, oldest first (commit label)" if by_commit else "Run, oldest first (start time, UTC)"


def _draw_series(ax, s, x_of, i):
    color = style.color(i)
    used = [(x_of[p.run_id], p) for p in s.points if p.used]
    if used:
        style.errorbar(ax, [x for x, _ in used], [(p.median, p.ci95_low, p.ci95_high)
                                                   for _, p in used], s.device, i)
    noisy = [(x, p) for x, p in used if p.status == "noisy"]
    if noisy:
        ax.plot([x for x, _ in noisy], [p.median for _, p in noisy], linestyle="none",
                marker=style.marker(i), markersize=8, markerfacecolor="white", color=color,
                label="noisy case")
    off = [(x_of[p.run_id], p) for p in s.points if not p.used and p.median is not None]
    if off:
        ax.plot([x for x, _ in off], [p.median for _, p in off], linestyle="none", marker="x",
                color="#777777", label="not used (invalid or 0)")
    missing = [x_of[p.run_id] for p in s.points if p.median is None]
    if missing:
        ax.plot(missing, [0.02] * len(missing), linestyle="none", marker="x", color=_REGRESSED,
                transform=ax.get_xaxis_transform(), label="failed or skipped")
    for begin, end, level in s.segments:
        if end > begin:
            xs = [x_of[p.run_id] for p in s.points[begin:end]]
            ax.hlines(level, min(xs) - 0.4, max(xs) + 0.4, colors=color, linestyles="--",
                      linewidth=1.1, alpha=0.75, label="level between change points")
    for c in s.change_points:
        x = x_of[s.points[c.index].run_id] - 0.5
        shade = _REGRESSED if c.call == "regressed" else _IMPROVED
        ax.axvline(x, color=shade, linestyle=":", linewidth=1.6, label=f"change point ({c.call})")
        ax.annotate(f"{c.change:+.1%}", (x, 0.98), xycoords=ax.get_xaxis_transform(),
                    xytext=(3, 0), textcoords="offset points", ha="left", va="top", fontsize=8,
                    color=shade, fontweight="bold")


def trend_figure(name, case_id, series_list, rule_text):
    """One case's figure: every device's series on one axis. None when no run measured it (every
    point failed, was skipped or invalid, e.g. busbw 0 of single-rank collectives): such cases
    stay in the report's tables."""
    if not any(p.used for s in series_list for p in s.points):
        return None
    runs = run_order(series_list)
    x_of = {run_id: x for x, (run_id, _) in enumerate(runs)}
    width = max(6.5, min(16.0, 3.0 + 0.32 * len(runs)))
    fig, axes = style.new_figure(1, panel_w=width, panel_h=3.9)
    ax = axes[0]
    for i, s in enumerate(series_list):
        _draw_series(ax, s, x_of, i)
    first = series_list[0]
    ax.set_xlabel(_ticks(ax, runs))
    better = "higher is better" if first.higher_is_better else "lower is better"
    ax.set_ylabel(f"{first.metric} ({first.unit}), {better}")
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), loc="center left", bbox_to_anchor=(1.0, 0.5))
    style.finish(fig, wrap_case_id(f"Trend: {case_id}", int(width * 7.5)))
    n_changes = sum(len(s.change_points) for s in series_list)
    caption = (f"Median {first.metric} of each run with its 95% CI (error bars), oldest run first, "
               f"{len(runs)} run(s), {n_changes} change point(s). Dashed: the level (median) "
               "between change points; dotted verticals: change points, labelled with the change "
               "(+ is better); hollow markers: noisy cases; red × at the bottom: runs where the "
               f"case failed or was skipped. Change points as gpuqual found them: {rule_text}.")
    return FigureSpec(name, case_id, caption, fig)


def trend_figures(trend):
    """One figure per case of the trend that some run measured, in the file's order."""
    by_case = {}
    for s in trend.series:
        by_case.setdefault(s.case_id, []).append(s)
    figs = [trend_figure("trend", case_id, series, trend.rule_text) for case_id, series in by_case.items()]
    figs = [f for f in figs if f is not None]
    for i, f in enumerate(figs):  # trend_01.png, trend_02.png, ... for the drawn cases
        f.name = f"trend_{i + 1:02d}"
    return figs
