"""Bandwidth figures: collective bus bandwidth and device memory bandwidth vs message size.

Both put the size in bytes on a log2 axis (nccl-tests style, ticks at the measured sizes) and
draw one line per machine and varying axis (dtype, op, in_place, graph; op and direction for
membw), in the machine's colour (style.machine_colors) with line style and marker per axis
value. Where the cases carry a roofline peak (datasheet HBM bandwidth, or the link rate C++
found: PCIe for host<->device copies, NVLink for collectives), it is drawn dashed, named by the
roofline's peak_source.
"""

import re

from . import plots, style, table
from .style import FigureSpec

# membw ops (workloads/membw/membw_problem.h) in words, for panel titles.
_OPS = {
    "copy": "Device memory copy (SM kernel)", "read": "Device memory read (SM kernel)",
    "write": "Device memory write (SM kernel)", "triad": "Device memory triad a = b + s·c (SM kernel)",
    "copy_ce": "Device memory copy (copy engine)",
    "h2d_ce": "Host → device, pinned (copy engine)", "d2h_ce": "Device → host, pinned (copy engine)",
    "bidir_ce": "Host ↔ device both ways (copy engines)", "d2d_ce": "GPU → next GPU (copy engine)",
    "h2d_sm": "Host → device, mapped (SM kernel)", "d2h_sm": "Device → host, mapped (SM kernel)",
    "bidir_sm": "Host ↔ device both ways (SM kernel)", "d2d_sm": "GPU → next GPU (SM kernel)",
}


def _sized(rows):
    return [r for r in rows if isinstance(r.params.get("size"), int) and r.params["size"] > 0]


# The link in a C++ peak_source (workloads/membw/membw_cuda_transfer.cu): "PCIe Gen5 x16 (32 GT/s)
# x 1 direction(s), sysfs max_link_* of 0000:18:00.0"; the GT/s is kept only without a generation.
_LINK = re.compile(r"^(PCIe (?:Gen(\d+) )?x\d+)(?: \(([\d.]+ GT/s)\))?(?: x (\d+) direction)?")


def _link_name(source):
    """A peak_source in a few words, the same for every GPU on that link: "PCIe Gen5 x16",
    "PCIe x16 (8 GT/s), both ways"; another source up to its first comma."""
    m = _LINK.match(source)
    if not m:
        return source.split(",")[0].strip()
    name = m.group(1) + ("" if m.group(2) or not m.group(3) else f" ({m.group(3)})")
    return name + (", both ways" if m.group(4) and int(m.group(4)) > 1 else "")


def _rate(peak):
    return f"{peak:,.0f}" if peak >= 10 else f"{peak:.3g}"


def _peak_text(peak, skus, sources):
    """A peak line's label: the link the results name, once however many GPUs name it (e.g.
    "PCIe Gen5 x16: 63 GB/s"), else the SKUs' datasheet figure."""
    named = sorted({_link_name(s) for s in sources if s and not s.startswith("datasheet")})
    if named:
        return f"{' / '.join(named)}: {_rate(peak)} GB/s"
    return f"{', '.join(sorted(skus))} datasheet {_rate(peak)} GB/s"


def _lines(ax, rows, metric, colors, xlabel="Message size (bytes)"):
    """Draws metric vs params.size, one line per machine and varying axis; returns peaks."""
    multi = len({r.run.machine for r in rows}) > 1
    names = table.varying_params(rows, exclude=("size",))
    variant = lambda r: table.param_text(r.params, names)  # noqa: E731
    variants = list(dict.fromkeys(variant(r) for r in rows))
    key = (lambda r: " · ".join(([r.run.machine] if multi else []) + [variant(r)]).strip(" ·") or "all")
    series, look = {}, {"colors": {}, "markers": {}, "linestyles": {}}
    for label, srows in table.group(rows, key).items():
        by_size = table.group(srows, lambda r: r.params["size"])
        pts = sorted((s, table.combine(r.metric(metric) for r in sr)) for s, sr in by_size.items())
        series[label] = [(s, p) for s, p in pts if p is not None]
        if multi:  # colour = machine; line style and marker = the axis values
            v = variants.index(variant(srows[0]))
            look["colors"][label] = colors.get(srows[0].run.machine, style.color(0))
            look["markers"][label] = style.marker(v)
            look["linestyles"][label] = style.LINESTYLES[v % len(style.LINESTYLES)]
    plots.series_lines(ax, series, **look)
    peaks = {}
    for r in rows:
        rf = r.roofline or {}
        if rf.get("peak") and r.primary == metric:
            skus, sources = peaks.setdefault(float(rf["peak"]), (set(), set()))
            skus.add(r.run.sku)
            sources.add(rf.get("peak_source") or "")
    for peak, (skus, sources) in sorted(peaks.items(), reverse=True):
        style.peak_line(ax, peak, _peak_text(peak, skus, sources))
    style.log2_bytes_axis(ax, [r.params["size"] for r in rows])
    # Room above the highest point (its marker and error bar stay inside the panel: a series far
    # from 0 and flat, like a one-rank all_gather's 2.1 TB/s at every size, would else touch the
    # top edge) and above the highest peak for its label, under the panel's title.
    highest = max((p[2] for pts in series.values() for _, p in pts), default=0.0)
    ax.set_ylim(0, max([ax.get_ylim()[1], 1.1 * highest] + [1.15 * p for p in peaks]))
    ax.set_xlabel(xlabel)
    return peaks


def _colors(rows, colors):
    return colors if colors is not None else style.machine_colors(r.run.machine for r in rows)


def collective_figure(rows, colors=None):
    """Bus bandwidth vs message size per collective; None without measured collective cases.
    A case on one rank names algbw its primary metric (busbw is undefined there, written 0): a
    panel draws busbw when any of its cases has it, leaving single-rank ones out (the caption
    says so), else algbw. `colors`: the report's machine → colour map (default
    style.machine_colors)."""
    colors = _colors(rows, colors)
    rows = _sized(table.measured(rows, family="collective"))
    if not rows:
        return None
    panels = table.group(rows, lambda r: r.workload)
    fig, axes = style.new_figure(len(panels), ncols=2, panel_w=5.8, panel_h=3.6)
    left_out = set()
    for ax, (workload, prows) in zip(axes, panels.items()):
        metric = "busbw" if any(r.primary == "busbw" for r in prows) else "algbw"
        left_out |= {workload for r in prows if r.primary != metric}
        _lines(ax, [r for r in prows if r.primary == metric], metric, colors)
        ax.set_title(workload if metric == "busbw" else f"{workload} (one rank)")
        ax.set_ylabel("Bus bandwidth (GB/s)" if metric == "busbw" else "Algorithm bandwidth (GB/s)")
        # Lower right, as for membw: bandwidth grows with the message size, so the lines leave
        # that corner free; upper left (free in a sweep from small messages) is not in a panel
        # of large messages only, whose flat line runs along the top (one-rank all_gather).
        style.legend(ax, loc="lower right")
    style.finish(fig, "Collective bandwidth vs message size")
    caption = ("Median bus bandwidth (busbw = algbw × the collective's factor, e.g. 2(n−1)/n for "
               "allreduce over n ranks, as in nccl-tests PERFORMANCE.md) vs message size on a "
               "log2 axis (KiB/MiB/GiB = 2¹⁰/2²⁰/2³⁰ bytes). Error bars: 95% CI of the median. "
               "A panel marked \"one rank\" shows algorithm bandwidth (bytes ÷ time): on one rank "
               "bus bandwidth is undefined.")
    if left_out:
        caption += (" Cases that ran on one rank are left out of the bus-bandwidth panels of "
                    + ", ".join(sorted(left_out)) + ".")
    return FigureSpec("collectives", "Collectives", caption, fig)


def _title(params, kinds):
    """A membw panel's title: the op in words, then any other varying axis."""
    op = params.get("op")
    head = _OPS.get(op, f"op {op}") if op is not None else "Memory bandwidth"
    rest = table.param_text(params, [k for k in kinds if k != "op"])
    return f"{head} {rest}".strip()


def membw_figure(rows, colors=None):
    """Memory bandwidth vs transfer size, one panel per op and direction; None without
    measured membw cases. `colors`: the report's machine → colour map."""
    colors = _colors(rows, colors)
    rows = _sized(table.measured(rows, workload="membw"))
    if not rows:
        return None
    kinds = (["op"] if any("op" in r.params for r in rows) else []) + [
        p for p in ("direction",) if p in table.varying_params(rows)]
    panels = table.group(rows, lambda r: _title(r.params, kinds))
    fig, axes = style.new_figure(len(panels), ncols=2, panel_w=5.8, panel_h=3.8)
    any_peak, unlinked = False, []
    for ax, (title, prows) in zip(axes, panels.items()):
        peaks = _lines(ax, prows, "bandwidth", colors, "Transfer size (bytes)")
        any_peak |= bool(peaks)
        if not peaks and table.bandwidth_domain(prows[0]) == "pcie":
            unlinked.append(title)
        ax.set_title(title)
        ax.set_ylabel("Bandwidth (GB/s)")
        style.legend(ax, loc="lower right")
    style.finish(fig, "Memory bandwidth vs transfer size")
    caption = ("Median bandwidth (fewest bytes: each byte read once, written once) vs transfer "
               "size on a log2 axis (KiB/MiB/GiB = 2¹⁰/2²⁰/2³⁰ bytes); error bars: 95% CI of the "
               "median."
               + (" Dashed: the SKU's datasheet bandwidth, or for host↔device copies the host "
                  "link's theoretical rate as the results name it." if any_peak else "")
               + (f" No link rate in the results for: {', '.join(unlinked)}." if unlinked else ""))
    return FigureSpec("membw", "Memory bandwidth", caption, fig)
