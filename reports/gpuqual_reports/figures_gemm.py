"""GEMM figure: TFLOP/s per shape, one panel per dtype, one bar per machine, SKU peak dashed.

The peak is the case's roofline.peak where roofline.bound == "compute": the datasheet dense
peak of the SKU for that dtype (harness/measure/roofline.h). Memory-bound shapes carry no such peak.
"""

from . import plots, style, table
from .style import FigureSpec

_SHAPE = ("m", "n", "k")


def _shape_label(params, extra):
    dims = "×".join(str(params.get(k, "?")) for k in _SHAPE)
    rest = table.param_text(params, extra)
    return f"{dims} {rest}".strip()


def _shape_size(params):
    size = 1
    for k in _SHAPE:
        v = params.get(k)
        size *= v if isinstance(v, int) else 0
    return size


def _peaks(rows):
    """{peak TFLOP/s: [SKUs]} of the compute-bound rows."""
    out = {}
    for r in rows:
        rf = r.roofline or {}
        if rf.get("bound") == "compute" and rf.get("peak"):
            skus = out.setdefault(float(rf["peak"]), [])
            if r.run.sku not in skus:
                skus.append(r.run.sku)
    return out


def _efficiency(rows):
    """Median roofline efficiency of rows (C++: median / attainable peak), or None."""
    effs = sorted(float(r.roofline["efficiency"]) for r in rows
                  if r.roofline and r.roofline.get("efficiency"))
    return effs[len(effs) // 2] if effs else None


def eff_text(rows):
    """The label above a bar: the efficiency as a percentage, "40% mem" when C++ placed the
    case under the memory roof (its efficiency is of that roof, not of the peak line drawn)."""
    e = _efficiency(rows)
    if e is None:
        return None
    memory = any((r.roofline or {}).get("bound") == "memory" for r in rows)
    return f"{100 * e:.0f}%" + ("\nmem" if memory else "")


def _missing(rows, extra):
    """{(machine, dtype, shape label): "failed" | "n/a"} of cases measured on none of the
    machine's GPUs: failed or invalid anywhere → "failed", else (skipped) "n/a"."""
    out = {}
    for key, rs in table.group(rows, lambda r: (r.run.machine, str(r.params.get("dtype", "?")),
                                                _shape_label(r.params, extra))).items():
        if not any(r.measured for r in rs):
            out[key] = "failed" if any(r.status in ("failed", "invalid") for r in rs) else "n/a"
    return out


def gemm_figure(rows, colors=None):
    """TFLOP/s per GEMM shape and dtype; None when there is no measured gemm case. `colors`:
    the report's machine → colour map (default style.machine_colors of the rows' machines).
    A bar missing because its case failed or was skipped gets a small "failed"/"n/a" mark."""
    colors = colors if colors is not None else style.machine_colors(r.run.machine for r in rows)
    every = [r for r in rows if r.workload == "gemm"]
    rows = table.measured(rows, workload="gemm")
    if not rows:
        return None
    extra = table.varying_params(rows, exclude=("dtype",) + _SHAPE)
    missing = _missing(every, extra)
    by_dtype = table.group(rows, lambda r: str(r.params.get("dtype", "?")))
    machines = list(table.group(rows, lambda r: r.run.machine))
    labels = [{_shape_label(r.params, extra) for r in d} for d in by_dtype.values()]
    bars = max(len(ls) for ls in labels) * len(machines)
    # Wide enough for the bars and for the shape labels side by side (~0.6 em a character at
    # 9 pt, a gap, the y axis); labels that would not fit at the widest panel are slanted.
    ticks_w = max(len(ls) * (0.075 * max(map(len, ls)) + 0.25) for ls in labels) + 0.9
    panel_w = min(7.0, max(4.2, 2.4 + 0.4 * bars, ticks_w))
    rotate = 30 if ticks_w > panel_w else 0
    fig, axes, lax = style.new_figure_with_legend(len(by_dtype), ncols=2, panel_w=panel_w, panel_h=3.6)
    for ax, (dtype, drows) in zip(axes, by_dtype.items()):
        ordered = sorted(drows, key=lambda r: (_shape_size(r.params), _shape_label(r.params, extra)))
        shapes = list(dict.fromkeys(_shape_label(r.params, extra) for r in ordered))
        cells = table.group(drows, lambda r: (r.run.machine, _shape_label(r.params, extra)))
        series = {m: [table.combine(table.primary_point(r) for r in cells.get((m, s), []))
                      for s in shapes] for m in machines}
        few = len(shapes) * len(machines) <= 16

        def label(i, c, _pt, shapes=shapes, cells=cells):
            return eff_text(cells.get((machines[i], shapes[c]), [])) if few else None

        def absent(i, c, shapes=shapes, dtype=dtype):
            return missing.get((machines[i], dtype, shapes[c]))

        plots.grouped_bars(ax, shapes, series, annotate=label, rotate=rotate, colors=colors,
                           missing=absent)
        peaks = _peaks(drows)
        for peak, skus in sorted(peaks.items(), reverse=True):
            style.peak_line(ax, peak, f"{', '.join(skus)} {dtype} peak {peak:g} TFLOP/s")
        top = max([p[2] for s in series.values() for p in s if p] + list(peaks) + [0])
        ax.set_ylim(0, top * 1.12 if top > 0 else 1)
        ax.set_title(f"dtype {dtype}")
        ax.set_xlabel("GEMM shape m×n×k (elements)")
        ax.set_ylabel("Throughput (TFLOP/s)")
    style.shared_legend(lax, axes)
    style.finish(fig, "GEMM throughput per shape and dtype")
    caption = ("Median TFLOP/s (2·m·n·k / time) per shape; error bars: 95% confidence interval "
               "of the median (several GPUs or runs of a machine: median of their medians, bar "
               "from the lowest to the highest CI bound). Dashed: the SKU's datasheet dense peak "
               "for the dtype. Labels above bars: roofline efficiency from the results, of that "
               "peak; \"mem\" marks a memory-bound shape, whose efficiency is of the memory roof "
               "(bandwidth × intensity), not of the dashed line. \"failed\"/\"n/a\" at the "
               "foot: the case failed or was skipped on that machine.")
    return FigureSpec("gemm", "GEMM", caption, fig)
