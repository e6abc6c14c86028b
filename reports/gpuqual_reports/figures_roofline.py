"""Roofline figure: achieved TFLOP/s vs arithmetic intensity, one panel per machine.

Points: every measured case with FLOP and byte counts (work.flops, work.bytes): x = flops/bytes,
y = the achieved TFLOP/s (the tflops metric, else flops / the time_ms or time_us median).
Roofs come from the cases' own roofline records (the C++ SKU table): compute-bound cases give
the dtype's datasheet peak; memory-bound ones give the bandwidth (peak / intensity); membw
cases give the measured bandwidth (dotted). Roofline model: Williams et al., CACM 2009.
"""

import math

from . import style, table
from .style import FigureSpec

_TIME_METRICS = (("time_ms", 1e-3), ("time_us", 1e-6))


def achieved_tflops(row):
    """(median, lo, hi) achieved TFLOP/s of a row, or None without FLOPs or a rate."""
    flops = float(row.work.get("flops") or 0)
    if flops <= 0:
        return None
    p = row.metric("tflops")
    if p is not None:
        return p
    for name, scale in _TIME_METRICS:
        t = row.metric(name)
        if t is not None and t[0] > 0 and t[1] > 0:
            rate = lambda s: flops / (s * scale) / 1e12  # noqa: E731
            return rate(t[0]), rate(t[2]), rate(t[1])
    return None


def intensity(row):
    """Arithmetic intensity flops/bytes (FLOP/byte), or None."""
    flops, nbytes = float(row.work.get("flops") or 0), float(row.work.get("bytes") or 0)
    return flops / nbytes if flops > 0 and nbytes > 0 else None


def _device_memory(r):
    """A membw case of the device's own memory (copy, read, write, triad, copy_ce), not of a link
    (the host link, a peer), whose rates are no memory roof."""
    return r.workload == "membw" and table.bandwidth_domain(r) == "device"


def _roofs(rows):
    """({dtype: compute peak TFLOP/s}, datasheet TB/s or None, measured TB/s or None); the memory
    figures from device-memory membw cases only."""
    compute, bw, measured = {}, None, None
    for r in rows:
        rf = r.roofline or {}
        peak = float(rf.get("peak") or 0)
        dtype = r.work.get("compute_dtype") or str(r.params.get("dtype", "?"))
        if peak > 0 and r.primary == "tflops" and rf.get("bound") == "compute":
            compute[dtype] = max(compute.get(dtype, 0), peak)
        elif peak > 0 and r.primary == "tflops" and rf.get("bound") == "memory" and intensity(r):
            bw = max(bw or 0, peak / intensity(r))
        elif peak > 0 and _device_memory(r):
            bw = max(bw or 0, peak / 1000.0)
        if _device_memory(r) and r.measured and r.metric("bandwidth"):
            measured = max(measured or 0, r.metric("bandwidth")[0] / 1000.0)
    return compute, bw, measured


def _draw_roofs(ax, compute, bw, measured, xlim):
    """Dashed datasheet roofs per distinct compute peak (dtypes sharing a peak share a line),
    the datasheet memory roof, and the measured bandwidth (dotted) up to the highest peak.
    Roofs lie below their labels (white box) and the labels below the points."""
    xs = [xlim[0] * (xlim[1] / xlim[0]) ** (i / 200) for i in range(201)]
    by_peak = {}
    for dtype, peak in compute.items():
        by_peak.setdefault(peak, []).append(dtype)
    for peak, dtypes in sorted(by_peak.items(), reverse=True):
        ax.plot(xs, [min(peak, bw * x) if bw else peak for x in xs], linestyle="--",
                color="#555555", linewidth=1.0, zorder=1)
        ax.annotate(f"{'/'.join(sorted(dtypes))} peak {peak:g} TFLOP/s", (xs[-1], peak),
                    xytext=(-2, 3), textcoords="offset points", ha="right", va="bottom",
                    fontsize=7, color="#333333", bbox=style.LABEL_BOX, zorder=1.5)
    if bw and not compute:
        ax.plot(xs, [bw * x for x in xs], linestyle="--", color="#555555", linewidth=1.0)
    if bw:
        ax.plot([], [], linestyle="--", color="#555555", label=f"datasheet roofs (memory {bw:.2f} TB/s)")
    elif compute:
        ax.plot([], [], linestyle="--", color="#555555", label="datasheet compute peaks")
    if measured:
        cap = max(compute.values()) if compute else None
        ax.plot(xs, [min(measured * x, cap) if cap else measured * x for x in xs], linestyle=":",
                color="#d62728", linewidth=1.2, zorder=1,
                label=f"measured memory bandwidth {measured:.2f} TB/s")


def _dtype(row):
    """The dtype a point is drawn with (its marker): params.dtype, else work.compute_dtype."""
    return str(row.params.get("dtype") or row.work.get("compute_dtype") or "?")


def _points(ax, mrows, workloads, dtypes):
    """One errorbar set per (workload, dtype): colour = workload, marker = dtype; legend
    entries are added once per workload (colour swatch) and dtype (grey marker)."""
    for (w, d), wr in table.group(mrows, lambda r: (r.workload, _dtype(r))).items():
        pts = [achieved_tflops(r) for r in wr]
        ax.errorbar([intensity(r) for r in wr], [p[0] for p in pts], yerr=style.yerr(pts),
                    linestyle="none", marker=style.marker(dtypes.index(d)),
                    color=style.color(workloads.index(w)), markersize=5, capsize=2, alpha=0.85)
    for w in dict.fromkeys(r.workload for r in mrows):
        ax.plot([], [], color=style.color(workloads.index(w)), linewidth=5, label=w)
    if len(dtypes) > 1:
        for d in dict.fromkeys(_dtype(r) for r in mrows):
            ax.plot([], [], linestyle="none", marker=style.marker(dtypes.index(d)),
                    color="#555555", label=f"dtype {d}")


def roofline_figure(rows):
    """Achieved TFLOP/s vs arithmetic intensity per machine; None when no case has FLOPs and
    bytes and a rate."""
    pts_rows = [r for r in table.measured(rows) if intensity(r) and achieved_tflops(r)]
    if not pts_rows:
        return None
    machines = table.group(pts_rows, lambda r: r.run.machine)
    workloads = list(dict.fromkeys(r.workload for r in pts_rows))
    dtypes = list(dict.fromkeys(_dtype(r) for r in pts_rows))
    # The legend goes under each panel: inside, no corner is sure to be free of points (an
    # H200's fp32 GEMM at 51 TFLOP/s sat under a lower-right legend). Its rows: workloads,
    # dtypes and the two roof lines, two to a row; the panel grows by them.
    ncols = 2 if len(dtypes) > 1 else 1
    entries = len(workloads) + (len(dtypes) if len(dtypes) > 1 else 0) + 2
    fig, axes = style.new_figure(len(machines), ncols=2, panel_w=6.0,
                                 panel_h=3.8 + 0.17 * math.ceil(entries / ncols))
    for ax, (machine, mrows) in zip(axes, machines.items()):
        all_machine_rows = [r for r in rows if r.run.machine == machine]
        _points(ax, mrows, workloads, dtypes)
        style.log_axes(ax)
        if len(mrows) <= 10:
            names = table.distinct_params(mrows, table.varying_params(mrows))
            for r in mrows:
                ax.annotate(table.param_text(r.params, names) or r.workload,
                            (intensity(r), achieved_tflops(r)[0]), textcoords="offset points",
                            xytext=(5, 3), fontsize=7, color="#333333")
        xs = [intensity(r) for r in mrows]
        ys = [achieved_tflops(r)[0] for r in mrows]
        compute, bw, measured = _roofs(all_machine_rows)
        lo = min(xs) / 4
        hi = max(xs + ([max(compute.values()) / bw] if compute and bw else [])) * 4
        _draw_roofs(ax, compute, bw, measured, (lo, hi))
        ax.set_xlim(lo, hi)
        top = max(ys + list(compute.values()))
        ax.set_ylim(min(ys) / 4, top * 2.5)
        sku = mrows[0].run.sku
        ax.set_title(machine if sku in machine else f"{machine} ({sku})")
        ax.set_xlabel("Arithmetic intensity (FLOP/byte)")
        ax.set_ylabel("Achieved rate (TFLOP/s)")
        style.legend_below(ax, ncols)
    style.finish(fig, "Roofline: achieved rate vs arithmetic intensity")
    caption = ("Each point is a case: FLOPs / bytes moved (fewest bytes) vs achieved TFLOP/s, "
               "log–log; colour: workload, marker shape: dtype. Dashed: the SKU's datasheet "
               "roofs, min(peak, bandwidth × intensity) per dtype (Williams et al., 2009); "
               "dotted: the best measured memory bandwidth. Error bars: 95% CI of the median.")
    return FigureSpec("roofline", "Roofline", caption, fig)
