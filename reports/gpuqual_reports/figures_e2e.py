"""End-to-end LLM figure: tokens/s vs batch, and the latency-throughput curve.

Left: output tokens/s vs batch (log2 axis). Right: time per output token vs output tokens/s per
GPU, one point per batch size joined in batch order (the serving latency-throughput trade-off).
One line per machine and varying axis (model, scenario, input_len, output_len, tp, dtype), in
the machine's colour (style.machine_colors) when several machines are drawn, else one colour per
line; the axes that do not vary are named in the title.
A case's output_tok_s is one model instance's (tp GPUs of one process), not the machine's total.
"""

from . import plots, schema, style, table
from .style import FigureSpec


_SETUP = ("model", "scenario", "input_len", "output_len", "dtype", "tp")


def _series(rows):
    multi = len({r.run.machine for r in rows}) > 1
    names = table.varying_params(rows, exclude=("batch",))
    key = (lambda r: " · ".join(([r.run.machine] if multi else [])
                                + [table.param_text(r.params, names)]).strip(" ·") or "all")
    return table.group(rows, key)


def setup_text(rows):
    """The e2e setup the rows share, in words: "llama-3-8b offline, 1024 in / 128 out tokens,
    bf16, tp 1"; axes that vary between rows are left out (the line labels name them)."""
    fixed = {k: rows[0].params.get(k) for k in _SETUP
             if k in rows[0].params and k not in table.varying_params(rows)}
    parts = [" ".join(str(fixed[k]) for k in ("model", "scenario") if k in fixed)]
    if "input_len" in fixed or "output_len" in fixed:
        parts.append(f"{fixed.get('input_len', '?')} in / {fixed.get('output_len', '?')} out tokens")
    parts += [str(fixed["dtype"])] if "dtype" in fixed else []
    parts += [f"tp {fixed['tp']}"] if "tp" in fixed else []
    return ", ".join(p for p in parts if p)


def _styles(groups, colors):
    """Per line label its colour and marker (the i-th). The colour is the machine's when
    several machines are drawn; of one machine, each line has its own (as in the bandwidth
    figures): its offline and decode lines cross, and a marker alone did not tell them apart."""
    multi = len({r.run.machine for rs in groups.values() for r in rs}) > 1
    return ({label: colors.get(rs[0].run.machine, style.color(i)) if multi else style.color(i)
             for i, (label, rs) in enumerate(groups.items())},
            {label: style.marker(i) for i, label in enumerate(groups)})


def _extent(groups):
    """(max x, max y) of the latency-throughput points, to space the batch labels."""
    xs = [table.per_gpu_tok_s(r) for rs in groups.values() for r in rs]
    ys = [r.metric(schema.TPOT_MS) for rs in groups.values() for r in rs]
    return (max([p[0] for p in xs if p] + [1e-9]), max([p[0] for p in ys if p] + [1e-9]))


def _label_batches(ax, pts, color, placed, extent):
    """Writes b=<batch> next to points, skipping any that would overlap a label already placed
    (positions relative to the data extent, kept in `placed`)."""
    for b, x, y in pts:
        pos = (x[0] / extent[0], y[0] / extent[1])
        if any(abs(pos[0] - p[0]) < 0.06 and abs(pos[1] - p[1]) < 0.05 for p in placed):
            continue
        placed.append(pos)
        ax.annotate(f"b={b}", (x[0], y[0]), textcoords="offset points", xytext=(4, -9),
                    fontsize=7, color=color)


def e2e_figure(rows, colors=None):
    """Tokens/s vs batch and TPOT vs tokens/s per GPU; None without measured e2e cases that
    decode. Prefill cases (one output token per sequence; their figure is prompt tokens/s) are
    left out and the caption says so. `colors`: the report's machine → colour map (default
    style.machine_colors)."""
    colors = colors if colors is not None else style.machine_colors(r.run.machine for r in rows)
    rows = [r for r in table.measured(rows, workload="e2e") if isinstance(r.params.get("batch"), int)]
    prefill = [r for r in rows if r.params.get("scenario") == "prefill"]
    rows = [r for r in rows if r.params.get("scenario") != "prefill"]
    if not rows:
        return None
    fig, axes = style.new_figure(2, ncols=2, panel_w=6.0, panel_h=4.0)
    left, right = axes
    groups = _series(rows)
    line_colors, markers = _styles(groups, colors)
    tput = {}
    for label, srows in groups.items():
        by_batch = table.group(srows, lambda r: r.params["batch"])
        pts = sorted((b, table.combine(r.metric(schema.OUTPUT_TOK_S) for r in br))
                     for b, br in by_batch.items())
        tput[label] = [(b, p) for b, p in pts if p is not None]
    plots.series_lines(left, tput, colors=line_colors, markers=markers)
    style.log2_axis(left, [r.params["batch"] for r in rows])
    left.set_ylim(bottom=0)
    left.set_title("throughput of one model instance vs batch")
    left.set_xlabel("Batch size (sequences)")
    left.set_ylabel("Output throughput per instance (tok/s)")
    style.legend(left, loc="upper left")

    placed = []
    extent = _extent(groups)
    for label, srows in groups.items():
        by_batch = table.group(srows, lambda r: r.params["batch"])
        pts = []
        for b in sorted(by_batch):
            x = table.combine(table.per_gpu_tok_s(r) for r in by_batch[b])
            y = table.combine(r.metric(schema.TPOT_MS) for r in by_batch[b])
            if x is not None and y is not None:
                pts.append((b, x, y))
        if not pts:
            continue
        right.errorbar([p[1][0] for p in pts], [p[2][0] for p in pts],
                       xerr=style.yerr([p[1] for p in pts]), yerr=style.yerr([p[2] for p in pts]),
                       label=label, color=line_colors[label], marker=markers[label], capsize=2,
                       elinewidth=0.8)
        _label_batches(right, pts, line_colors[label], placed, extent)
    right.set_xlim(left=0)
    right.set_ylim(bottom=0)
    right.set_title("latency vs throughput (per GPU)")
    right.set_xlabel("Output throughput per GPU (tok/s)")
    right.set_ylabel("Time per output token (ms)")
    style.legend(right, loc="upper left")
    setup = setup_text(rows)
    style.finish(fig, "End-to-end LLM inference" + (f" — {setup}" if setup else ""))
    caption = ((f"{setup}. " if setup else "")
               + "Left: median output tokens/s of one model instance (the case's tp GPUs; not "
               "the whole machine, whose GPUs may each run an instance) vs batch size (log2 "
               "axis). Right: median time per output token vs output tokens/s per GPU (the "
               "instance's ÷ tp), one point per batch size (b=…): lower right is better. Error "
               "bars: 95% CI of the median.")
    if prefill:
        caption += (f" {len(prefill)} prefill case(s) are left out: they make one output token per "
                    "sequence, and their figure, prompt tokens/s, is in the tables.")
    return FigureSpec("e2e", "End-to-end", caption, fig)
