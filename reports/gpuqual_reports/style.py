"""One figure style for every plot: sizes, colours, error bars, peak lines, log2 byte axes.

Figures are matplotlib.figure.Figure objects drawn with the Agg canvas (no display, no pyplot
global state). Every figure function returns a FigureSpec; writers save and embed them.
"""

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import (FuncFormatter, LogLocator, NullFormatter,  # noqa: E402
                               NullLocator)

from . import outfile  # noqa: E402

DPI = 110
PANEL_W, PANEL_H = 4.8, 3.4
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")
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


def score_cmap():
    """Colour map for scores (viridis, colour-blind safe); missing cells light grey."""
    cmap = matplotlib.colormaps["viridis"].copy()
    cmap.set_bad("#e6e6e6")
    return cmap


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
                textcoords="offset points", ha="left", va="bottom", fontsize=7.5, color=c)


def human_bytes(x, _pos=None):
    """Tick text for a byte count: 512, 4K, 16M, 2G (binary multiples, nccl-tests style)."""
    for unit, div in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if x >= div:
            v = x / div
            return f"{v:.0f}{unit}" if v == int(v) else f"{v:.1f}{unit}"
    return f"{x:.0f}"


def log2_bytes_axis(ax):
    """Makes the x axis log2 with byte-count tick labels."""
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_formatter(FuncFormatter(human_bytes))


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
