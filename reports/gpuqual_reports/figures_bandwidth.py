"""Bandwidth figures: collective bus bandwidth and device memory bandwidth vs message size.

Both put the size in bytes on a log2 axis (nccl-tests style) and draw one line per machine and
varying axis (dtype, op, in_place, graph; op and direction for membw). Where the cases carry a
roofline peak (datasheet interconnect or HBM bandwidth), it is drawn dashed.
"""

from . import plots, style, table
from .style import FigureSpec


def _sized(rows):
    return [r for r in rows if isinstance(r.params.get("size"), int) and r.params["size"] > 0]


def _lines(ax, rows, metric, xlabel="Message size (bytes)"):
    """Draws metric vs params.size, one line per machine and varying axis; returns peaks."""
    multi = len({r.run.machine for r in rows}) > 1
    names = table.varying_params(rows, exclude=("size",))
    key = (lambda r: " · ".join(([r.run.machine] if multi else [])
                                + [table.param_text(r.params, names)]).strip(" ·") or "all")
    series = {}
    for label, srows in table.group(rows, key).items():
        by_size = table.group(srows, lambda r: r.params["size"])
        pts = sorted((s, table.combine(r.metric(metric) for r in sr)) for s, sr in by_size.items())
        series[label] = [(s, p) for s, p in pts if p is not None]
    plots.series_lines(ax, series)
    peaks = {}
    for r in rows:
        rf = r.roofline or {}
        if rf.get("peak") and r.primary == metric:
            peaks.setdefault(float(rf["peak"]), set()).add(r.run.sku)
    for peak, skus in sorted(peaks.items(), reverse=True):
        style.peak_line(ax, peak, f"{', '.join(sorted(skus))} datasheet {peak:g} GB/s")
    style.log2_bytes_axis(ax)
    ax.set_ylim(bottom=0)
    ax.set_xlabel(xlabel)
    return peaks


def collective_figure(rows):
    """Bus bandwidth vs message size per collective; None without measured collective cases."""
    rows = _sized(table.measured(rows, family="collective"))
    if not rows:
        return None
    panels = table.group(rows, lambda r: r.workload)
    fig, axes = style.new_figure(len(panels), ncols=2, panel_w=5.8, panel_h=3.6)
    for ax, (workload, prows) in zip(axes, panels.items()):
        _lines(ax, prows, "busbw")
        ax.set_title(workload)
        ax.set_ylabel("Bus bandwidth (GB/s)")
        style.legend(ax, loc="upper left")
    style.finish(fig, "Collective bus bandwidth vs message size")
    caption = ("Median bus bandwidth (busbw = algbw × the collective's factor, e.g. 2(n−1)/n for "
               "allreduce over n ranks, as in nccl-tests PERFORMANCE.md) vs message size on a "
               "log2 axis. Error bars: 95% CI of the median.")
    return FigureSpec("collectives", "Collectives", caption, fig)


def membw_figure(rows):
    """Memory bandwidth vs transfer size, one panel per op and direction; None without
    measured membw cases."""
    rows = _sized(table.measured(rows, workload="membw"))
    if not rows:
        return None
    kinds = [p for p in ("op", "direction") if p in table.varying_params(rows)]
    panels = table.group(rows, lambda r: table.param_text(r.params, kinds) or "memory bandwidth")
    fig, axes = style.new_figure(len(panels), ncols=2, panel_w=5.8, panel_h=3.8)
    any_peak = False
    for ax, (title, prows) in zip(axes, panels.items()):
        any_peak |= bool(_lines(ax, prows, "bandwidth", "Transfer size (bytes)"))
        ax.set_title(title)
        ax.set_ylabel("Bandwidth (GB/s)")
        style.legend(ax, loc="lower right")
    style.finish(fig, "Memory bandwidth vs transfer size")
    caption = ("Median bandwidth (fewest bytes: each byte read once, written once) vs transfer "
               "size on a log2 axis; error bars: 95% CI of the median."
               + (" Dashed: the SKU's datasheet bandwidth." if any_peak else ""))
    return FigureSpec("membw", "Memory bandwidth", caption, fig)
