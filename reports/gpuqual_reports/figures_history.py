"""Trend figures of the results history: per case, its median per run (one line per device) with
the 95% CI, the level between change points and the change points themselves, as the C++ side
found them (history_load.Trend; harness/decide/history_trend.h). Draws only; decides nothing.
Values are drawn in a readable unit (TFLOP/s below 1 as GFLOP/s: series_scale); the legend and
caption name only the marks a figure draws; a series with nothing to draw says why
(unused_reason) in the report's tables.
"""

import textwrap

from . import fmt, style, table
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


# Metric names (DESIGN.md §6, harness/work.cc) in words for axis labels and tables; others are
# shown as their name with spaces.
_METRIC_WORDS = {"tflops": "Throughput", "busbw": "Bus bandwidth", "algbw": "Algorithm bandwidth",
                 "bandwidth": "Memory bandwidth", "output_tok_s": "Output tokens per second",
                 "tok_s_per_gpu": "Output tokens per second per GPU", "tpot_ms": "Time per output token",
                 "ttft_ms": "Time to first token", "time_ms": "Time"}


def metric_label(metric):
    """A metric name as words: "tflops" -> "Throughput"."""
    return _METRIC_WORDS.get(metric) or metric.replace("_", " ").capitalize()


def series_scale(series_list):
    """(factor, unit) for drawing and tabulating these series: TFLOP/s below 1 as GFLOP/s, etc.
    (fmt.scale_for over every measured median); one factor for all of them."""
    values = [v for s in series_list for p in s.points if p.median is not None
              for v in (p.median, p.ci95_high)]
    return fmt.scale_for(values, series_list[0].unit)


def unused_reason(s):
    """Why a series has no point to draw, from its points' statuses: "no run has busbw above 0
    (18 ok with busbw 0)", "no run measured tflops (3 failed: cublas error)"; "" when some point
    is used."""
    if any(p.used for p in s.points):
        return ""
    groups = {}
    for p in s.points:
        if p.median is not None and p.median <= 0:
            key = f"{p.status} with {s.metric} {fmt.num(p.median)}"
        else:
            key = p.status + (f": {p.reason}" if p.reason else "")
        groups[key] = groups.get(key, 0) + 1
    what = ", ".join(f"{n} run(s) {k}" for k, n in groups.items()) or "no runs"
    zero = any(p.median is not None for p in s.points)
    return (f"no run has {s.metric} above 0" if zero else f"no run measured {s.metric}") + f" ({what})"


def _draw_series(ax, s, x_of, i, factor):
    """Draws one series; returns the kinds of marks drawn ("noisy", "unused", "missing",
    "level", "change") so the legend and caption name only those."""
    color = style.color(i)
    drawn = set()
    used = [(x_of[p.run_id], p) for p in s.points if p.used]
    label = (f"{s.sku or s.device} runs" if s.device in ("", s.sku) or not s.sku
             else f"{s.sku} ({s.device}) runs")
    if s.machine:
        label = f"{s.machine}: {label}"
    if used:
        style.errorbar(ax, [x for x, _ in used], [(p.median * factor, p.ci95_low * factor,
                                                   p.ci95_high * factor) for _, p in used], label, i)
    noisy = [(x, p) for x, p in used if p.status == "noisy"]
    if noisy:
        drawn.add("noisy")
        ax.plot([x for x, _ in noisy], [p.median * factor for _, p in noisy], linestyle="none",
                marker=style.marker(i), markersize=8, markerfacecolor="white", color=color,
                label="noisy case")
    off = [(x_of[p.run_id], p) for p in s.points if not p.used and p.median is not None]
    if off:
        drawn.add("unused")
        ax.plot([x for x, _ in off], [p.median * factor for _, p in off], linestyle="none", marker="x",
                color="#777777", label="not used (invalid or 0)")
    missing = [x_of[p.run_id] for p in s.points if p.median is None]
    if missing:
        drawn.add("missing")
        ax.plot(missing, [0.02] * len(missing), linestyle="none", marker="x", color=_REGRESSED,
                transform=ax.get_xaxis_transform(), label="failed or skipped")
    level_label = ("level between change points (median)" if s.change_points
                   else "median of all runs (no change point)")
    for begin, end, level in s.segments:
        if end > begin:
            drawn.add("level")
            xs = [x_of[p.run_id] for p in s.points[begin:end]]
            ax.hlines(level * factor, min(xs) - 0.4, max(xs) + 0.4, colors=color, linestyles="--",
                      linewidth=1.1, alpha=0.75, label=level_label)
    for c in s.change_points:
        drawn.add("change")
        x = x_of[s.points[c.index].run_id] - 0.5
        shade = _REGRESSED if c.call == "regressed" else _IMPROVED
        ax.axvline(x, color=shade, linestyle=":", linewidth=1.6, label=f"change point ({c.call})")
        ax.annotate(f"{c.change:+.1%}", (x, 0.98), xycoords=ax.get_xaxis_transform(),
                    xytext=(3, 0), textcoords="offset points", ha="left", va="top", fontsize=8,
                    color=shade, fontweight="bold")
    return drawn


_CAPTION_PARTS = (
    ("level", lambda n: "Dashed: the level (median of the runs) between change points; " if n
     else "Dashed: the median of all runs (no change point); "),
    ("change", lambda n: "dotted verticals: change points, labelled with the change (+ is better); "),
    ("noisy", lambda n: "hollow markers: noisy cases; "),
    ("unused", lambda n: "grey ×: runs whose value was not used (invalid or 0); "),
    ("missing", lambda n: "red × at the bottom: runs where the case failed or was skipped; "),
)


def short_title(case_id, siblings, width):
    """A figure title for a case: its workload and the params that tell it from the other cases
    of its workload in `siblings` (case ids); with none, its params as far as `width` allows."""
    def params(cid):
        out = {}
        for part in cid.split("/")[1:]:
            k, _, v = part.partition("=")
            out[k] = (v == "true") if v in ("true", "false") else int(v) if v.isdigit() else v
        return out
    workload = case_id.split("/")[0]
    mine = params(case_id)
    others = [params(c) for c in siblings if c != case_id and c.split("/")[0] == workload]
    keys = [k for k in mine if any(o.get(k) != mine[k] for o in others)]
    title = f"{workload} {table.param_text(mine, keys)}".strip()
    if keys:
        return title
    title = workload
    for k in mine:
        part = table.param_text(mine, [k])
        if len(title) + 1 + len(part) > width:
            return title + " …"
        title += " " + part
    return title


def trend_figure(name, case_id, series_list, rule_text, siblings=()):
    """One case's figure: every device's series on one axis, titled with its workload and the
    params that tell it from `siblings` (the trend's other case ids; short_title). None when no
    run measured it (every point failed, was skipped or invalid, e.g. busbw 0 of single-rank
    collectives): such cases stay in the report's tables, with unused_reason."""
    if not any(p.used for s in series_list for p in s.points):
        return None
    runs = run_order(series_list)
    x_of = {run_id: x for x, (run_id, _) in enumerate(runs)}
    width = max(6.5, min(16.0, 3.0 + 0.32 * len(runs)))
    fig, axes = style.new_figure(1, panel_w=width, panel_h=3.9)
    ax = axes[0]
    factor, unit = series_scale(series_list)
    drawn = set()
    for i, s in enumerate(series_list):
        drawn |= _draw_series(ax, s, x_of, i, factor)
    first = series_list[0]
    ax.set_xlabel(_ticks(ax, runs))
    better = "higher is better" if first.higher_is_better else "lower is better"
    ax.set_ylabel(f"{metric_label(first.metric)} ({unit}), {better}")
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), loc="center left", bbox_to_anchor=(1.0, 0.5))
    chars = int(width * 7.5)  # what one title line holds at this width
    style.finish(fig, wrap_case_id(f"Trend: {short_title(case_id, siblings, chars - 7)}", chars))
    n_changes = sum(len(s.change_points) for s in series_list)
    marks = "".join(text(n_changes) for kind, text in _CAPTION_PARTS if kind in drawn)
    caption = (f"Median {metric_label(first.metric).lower()} ({first.metric}, {unit}) of each run "
               f"with its 95% CI (error bars), oldest run first, {len(runs)} run(s), {n_changes} "
               f"change point(s). {marks[:1].upper() + marks[1:]}change points found by gpuqual: "
               f"{rule_text}.")
    return FigureSpec(name, case_id, caption, fig)


def trend_figures(trend):
    """One figure per case of the trend that some run measured, in the file's order."""
    by_case = {}
    for s in trend.series:
        by_case.setdefault(s.case_id, []).append(s)
    figs = [trend_figure("trend", case_id, series, trend.rule_text, list(by_case))
            for case_id, series in by_case.items()]
    figs = [f for f in figs if f is not None]
    for i, f in enumerate(figs):  # trend_01.png, trend_02.png, ... for the drawn cases
        f.name = f"trend_{i + 1:02d}"
    return figs
