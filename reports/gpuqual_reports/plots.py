"""Plot primitives shared by the figure modules: grouped bars and series of lines with CI bars.

Both take (median, ci95_low, ci95_high) points, as produced by table.combine.
"""

from . import style


def grouped_bars(ax, categories, series, annotate=None, rotate=None, colors=None, set_apart=(),
                 missing=None):
    """Grouped vertical bars: one group per category, one bar per series.

    `series` maps a label to a list of points aligned with `categories` (None = no bar).
    `annotate(series_index, category_index, point)` may return text drawn above a bar.
    `colors` maps a label to its colour (default: the palette in series order); labels in
    `set_apart` are drawn greyed and hatched (style.set_apart_style). `missing(series_index,
    category_index)` may return "failed" or "n/a" for a bar that is absent, drawn as a small
    marker at its place (style.missing_mark). Returns the x position of each category."""
    n = max(1, len(series))
    width = min(0.8 / n, 0.4)
    xs = list(range(len(categories)))
    for i, (label, points) in enumerate(series.items()):
        pos = [x - width * n / 2 + width * (i + 0.5) for x in xs]
        if missing:
            for ci, (p, pt) in enumerate(zip(pos, points)):
                text = missing(i, ci) if pt is None else None
                if text:
                    style.missing_mark(ax, p, text)
        keep = [(p, pt) for p, pt in zip(pos, points) if pt is not None]
        if not keep:
            continue
        px = [p for p, _ in keep]
        pts = [pt for _, pt in keep]
        err = style.yerr(pts)
        has_err = any(e > 0 for side in err for e in side)
        c = (colors or {}).get(label, style.color(i))
        look = style.set_apart_style(c) if label in set_apart else {"color": c}
        ax.bar(px, [pt[0] for pt in pts], width=width * 0.92, label=label,
               yerr=err if has_err else None, capsize=2,
               error_kw={"elinewidth": 0.8, "ecolor": "#333333"}, **look)
        if annotate:
            for (p, pt), ci in zip(keep, [c for c, pt in enumerate(points) if pt is not None]):
                text = annotate(i, ci, pt)
                if text:
                    ax.annotate(text, (p, pt[2]), textcoords="offset points", xytext=(0, 2),
                                ha="center", va="bottom", fontsize=7, color="#333333")
    ax.set_xticks(xs)
    if rotate is None:
        rotate = 30 if max((len(c) for c in categories), default=0) * len(categories) > 60 else 0
    ax.set_xticklabels(categories, rotation=rotate, ha="right" if rotate else "center")
    ax.grid(axis="x", visible=False)
    ax.set_xlim(-0.6, len(categories) - 0.4)
    return xs


def series_lines(ax, series, linestyles=None, colors=None, markers=None):
    """Lines with CI error bars: `series` maps a label to sorted [(x, point)], drawn in order.

    `linestyles` may map a label to a line style (e.g. dashed for causal attention); `colors`
    and `markers` may map a label to its colour and marker (e.g. the machine's colour from
    style.machine_colors); otherwise the i-th of the palette and markers."""
    for i, (label, pairs) in enumerate(series.items()):
        if not pairs:
            continue
        ls = (linestyles or {}).get(label, "-")
        xs, pts = [x for x, _ in pairs], [p for _, p in pairs]
        ax.errorbar(xs, [p[0] for p in pts], yerr=style.yerr(pts), label=label,
                    color=(colors or {}).get(label, style.color(i)),
                    marker=(markers or {}).get(label, style.marker(i)), linestyle=ls,
                    capsize=2.5, elinewidth=0.9)
