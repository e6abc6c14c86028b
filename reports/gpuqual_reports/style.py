"""One figure style for every plot: sizes, colours, error bars, peak lines, log2 byte axes.

Figures are matplotlib.figure.Figure objects drawn with the Agg canvas (no display, no pyplot
global state). Every figure function returns a FigureSpec; writers save and embed them.
"""

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib import transforms  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import (FuncFormatter, LogLocator, NullFormatter,  # noqa: E402
                               NullLocator)

from . import outfile  # noqa: E402

DPI = 110
PANEL_W, PANEL_H = 4.8, 3.4
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")
# Machine colours: the palette without its grey, which means "set apart" (SET_APART_FACE), and
# its red, which marks failures (FAILED_COLOR).
MACHINE_PALETTE = tuple(c for c in PALETTE if c not in ("#7f7f7f", "#d62728"))
SET_APART_FACE = "#d9d9d9"  # face of a machine the ranking set apart (FAIL, INCOMPLETE)
SET_APART_HATCH = "///"
FAILED_COLOR = "#b2182b"  # a case that failed (× marks); skipped/not run stays light grey
NOT_MEASURED_FACE = "#e6e6e6"
# Behind text written on a line (peak labels), so the line does not strike it through.
LABEL_BOX = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", ":", "-.")
RC = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.grid": True,
    "grid.alpha": 0.35,
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "figure.titlesize": 12,
    "figure.titleweight": "bold",
    "lines.linewidth": 1.6,
    "lines.markersize": 5,
}
matplotlib.rcParams.update(RC)


@dataclass
class FigureSpec:
    """A drawn figure: `name` is the PNG file stem, `caption` says what is shown and how."""

    name: str
    title: str
    caption: str
    fig: Figure
    run: object = None  # the load.Run a per-run figure (telemetry) belongs to
    png: bytes = None  # the rendered PNG, once render() has drawn it


def color(i):
    """The i-th colour of the palette (cycles)."""
    return PALETTE[i % len(PALETTE)]


def machine_colors(machines):
    """{machine: colour}: one colour per machine, assigned in sorted-name order so that every
    figure of a report (and reports of the same machines) agree whatever order they draw in."""
    ordered = sorted(set(machines), key=lambda m: (m.casefold(), m))
    return {m: MACHINE_PALETTE[i % len(MACHINE_PALETTE)] for i, m in enumerate(ordered)}


def set_apart_style(c):
    """Bar keywords for a machine the ranking set apart: grey face, hatched in its colour `c`."""
    return {"color": SET_APART_FACE, "edgecolor": c, "hatch": SET_APART_HATCH, "linewidth": 0.8}


def score_label(reference):
    """The one wording of a score axis: "Score (× best machine)" or "Score (× baseline)";
    `reference` is "baseline"/"best" (compare.Comparison) or procurement's description."""
    return "Score (× baseline)" if "baseline" in (reference or "") else "Score (× best machine)"


def missing_mark(ax, x, text, failed=None):
    """A small marker at the bottom of the axis at data x for a point that was not measured,
    so a missing bar or point does not silently vanish: red × for a failure (`failed`, by
    default when `text` ends in "failed"), grey for "n/a" (skipped); `text` written above it."""
    failed = text.endswith("failed") if failed is None else failed
    c = FAILED_COLOR if failed else "#777777"
    ax.plot([x], [0.015], linestyle="none", marker="x", markersize=6, markeredgewidth=1.6,
            color=c, transform=ax.get_xaxis_transform(), clip_on=False, zorder=5)
    ax.annotate(text, (x, 0.015), xycoords=("data", "axes fraction"), xytext=(0, 5),
                textcoords="offset points", ha="center", va="bottom", fontsize=6.5, color=c)


def marker(i):
    """The i-th marker (cycles)."""
    return MARKERS[i % len(MARKERS)]


def new_figure(npanels, ncols=3, panel_w=PANEL_W, panel_h=PANEL_H, sharex=False):
    """A figure with `npanels` axes on a grid of at most `ncols` columns; returns (fig, axes list).

    Unused grid cells are removed so every returned axis is drawn on."""
    ncols = max(1, min(ncols, npanels))
    nrows = (npanels + ncols - 1) // ncols
    fig = Figure(figsize=(panel_w * ncols, panel_h * nrows + 0.5), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    grid = fig.subplots(nrows, ncols, squeeze=False, sharex=sharex)
    axes = [ax for row in grid for ax in row]
    for ax in axes[npanels:]:
        ax.remove()
    return fig, axes[:npanels]


def new_figure_with_legend(npanels, ncols=3, panel_w=PANEL_W, panel_h=PANEL_H, legend_h=0.45):
    """Like new_figure, plus a strip above the panels for one legend shared by all of them;
    returns (fig, axes, legend_axis). Fill the strip with shared_legend."""
    ncols = max(1, min(ncols, npanels))
    nrows = (npanels + ncols - 1) // ncols
    fig = Figure(figsize=(panel_w * ncols, panel_h * nrows + 0.5 + legend_h), dpi=DPI,
                 layout="constrained")
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[legend_h] + [panel_h] * nrows)
    lax = fig.add_subplot(grid[0, :])
    lax.axis("off")
    axes = [fig.add_subplot(grid[1 + i // ncols, i % ncols]) for i in range(npanels)]
    return fig, axes, lax


def shared_legend(lax, axes, ncols=6):
    """One legend in the strip `lax` with every distinct labelled artist of `axes`."""
    seen = {}
    for ax in axes:
        for h, label in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(label, h)
    if seen:
        lax.legend(list(seen.values()), list(seen), loc="center", ncols=min(ncols, len(seen)),
                   frameon=False)


def score_cmap(baseline=False):
    """Colour map for scores, missing cells light grey: viridis (colour-blind safe) against the
    best machine (1.0 is the top); against a baseline a diverging map (red below, blue above),
    used with score_norm so that 1.0 is its white middle."""
    cmap = matplotlib.colormaps["RdBu" if baseline else "viridis"].copy()
    cmap.set_bad("#a8a8a8" if baseline else NOT_MEASURED_FACE)  # darker than RdBu's white 1.0
    return cmap


def score_norm(vmin, vmax, baseline=False):
    """The norm for score_cmap: linear over vmin..vmax widened to 0.5..1.0 at least against the
    best machine; against a baseline
    symmetric around 1.0 over ±d, d the widest departure clamped to [0.1, 0.3], so a few percent
    still show (scores beyond 1 ± 0.3 take the end colours; their value is written in the cell)."""
    if not baseline:
        return Normalize(vmin=min(vmin, 0.5), vmax=max(vmax, 1.0))
    d = min(max(1.0 - vmin, vmax - 1.0, 0.1), 0.3)
    return Normalize(vmin=1.0 - d, vmax=1.0 + d)


def norm_extend(norm, vmin, vmax):
    """The colour bar's `extend` for data vmin..vmax drawn with `norm` (arrows where clipped)."""
    low, high = vmin < norm.vmin, vmax > norm.vmax
    return "both" if low and high else "min" if low else "max" if high else "neither"


def finish(fig, title):
    """Sets the figure title."""
    fig.suptitle(title)
    return fig


def yerr(points):
    """Asymmetric error-bar extents [[below...], [above...]] from (median, lo, hi) points."""
    return [[max(0.0, p[0] - p[1]) for p in points], [max(0.0, p[2] - p[0]) for p in points]]


def errorbar(ax, xs, points, label, i, linestyle="-", line=True):
    """Plots medians at xs with 95%-CI error bars, in colour/marker i."""
    ys = [p[0] for p in points]
    ax.errorbar(xs, ys, yerr=yerr(points), label=label, color=color(i), marker=marker(i),
                linestyle=linestyle if line else "none", capsize=2.5, elinewidth=0.9)


def peak_line(ax, y, text, i=None):
    """A dashed horizontal line at y (e.g. a datasheet peak) with `text` written on it at the
    left (not in the legend)."""
    c = "#444444" if i is None else color(i)
    ax.axhline(y, linestyle="--", linewidth=1.1, color=c, alpha=0.85)
    ax.annotate(text, (0.01, y), xycoords=ax.get_yaxis_transform(), xytext=(0, 2),
                textcoords="offset points", ha="left", va="bottom", fontsize=7.5, color=c,
                bbox=LABEL_BOX)



def human_bytes(x, _pos=None):
    """Tick text for a byte count in binary units: 512 B, 4 KiB, 16 MiB, 2 GiB."""
    for unit, div in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if x >= div:
            v = x / div
            return f"{v:.0f} {unit}" if v == int(v) else f"{v:.1f} {unit}"
    return f"{x:.0f} B"


def log2_bytes_axis(ax, values=()):
    """Log2 x axis with byte-count tick labels (KiB, MiB, GiB); ticks at the data sizes
    `values` when there are at most 12 of them, else at powers of 4."""
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_formatter(FuncFormatter(human_bytes))
    values = sorted(set(values))
    if 0 < len(values) <= 12:
        ax.set_xticks(values)
    else:
        ax.xaxis.set_major_locator(LogLocator(base=4))
    ax.xaxis.set_minor_locator(NullLocator())


def log2_axis(ax, values=()):
    """Log2 x scale with plain integer tick labels (batch sizes, sequence lengths); ticks at
    `values` when there are at most 10 of them."""
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}" if v >= 1 else f"{v:g}"))
    values = sorted(set(values))
    if 0 < len(values) <= 10:
        ax.set_xticks(values)
        ax.xaxis.set_minor_locator(NullLocator())


def log_axes(ax, x=True, y=True):
    """Log10 scales with plain tick labels (0.05, 0.1, 0.2, 100) at 1-2-5 steps."""
    for on, axis, setter in ((x, ax.xaxis, ax.set_xscale), (y, ax.yaxis, ax.set_yscale)):
        if on:
            setter("log")
            axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            axis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
            axis.set_minor_formatter(NullFormatter())


def legend(ax, **kw):
    """A legend when the axis has labelled artists."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(**kw)


def legend_columns(labels, width_in, fontsize=8):
    """How many legend columns of `labels` fit under a panel `width_in` inches wide (1 to 3):
    about 0.6 em a character, 5 em for the handle and the gap, less the y axis' 0.8 in."""
    longest = max((len(t) for t in labels), default=0)
    per_col = (0.6 * longest + 5) * fontsize / 72
    return max(1, min(3, int((width_in - 0.8) // per_col)))


def legend_below(ax, ncols=1):
    """The axis's legend under its x label (it never covers the data); constrained layout makes
    room for it, which the panel's height should allow (about 0.17 in a legend row)."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        under = transforms.offset_copy(ax.transAxes, fig=ax.figure, y=-30, units="points")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=under, ncols=ncols)


def render(spec):
    """Draws the figure into spec.png (no metadata, so output is reproducible); raises what
    matplotlib raises for data it cannot draw."""
    buf = io.BytesIO()
    spec.fig.savefig(buf, dpi=DPI, format="png", metadata={"Software": None})
    spec.png = buf.getvalue()


def save(spec, path):
    """Writes the figure as PNG at `path` (through a temporary, renamed into place)."""
    if spec.png is None:
        render(spec)
    with outfile.replacing(path) as tmp, open(tmp, "wb") as f:
        f.write(spec.png)
