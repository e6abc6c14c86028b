"""Attention figure: TFLOP/s vs sequence length, one line per head dim and causal flag.

Panels: one per machine and dtype (when those vary). Lines: head_dim and any other varying
axis (backend, batch, heads); causal lines are dashed. x is the key length: seq_kv, or seq_q where
seq_kv is 0 (automatic: as long as seq_q, workloads/attention/attention_problem.h) or absent.
"""

from . import plots, style, table
from .style import FigureSpec


def _x_axis(rows):
    """The axis the figure's x is read from: seq_kv when some case sets it (> 0), else the first
    integer one of seq_q, seq, seq_len."""
    if any(isinstance(r.params.get("seq_kv"), int) and r.params["seq_kv"] > 0 for r in rows):
        return "seq_kv"
    for name in ("seq_q", "seq", "seq_len"):
        if any(isinstance(r.params.get(name), int) for r in rows):
            return name
    return None


def _x_of(r, x):
    """The case's value on the x axis; on seq_kv, 0 (automatic) reads as seq_q."""
    v = r.params.get(x)
    return r.params.get("seq_q") if x == "seq_kv" and v == 0 else v


def _sort_key(params, names):
    return tuple((0, params[n], "") if isinstance(params.get(n), (int, float))
                 else (1, 0, str(params.get(n))) for n in names)


def _missing_marks(ax, rows, x, key):
    """Marks each x where a line has no point because its case failed ("failed", red ×) or was
    skipped ("n/a"); `rows` are the panel's rows of every status, `key` names a row's line."""
    measured = {(key(r), _x_of(r, x)) for r in rows if r.measured}
    absent = table.group([r for r in rows if not r.measured and (key(r), _x_of(r, x)) not in measured],
                         lambda r: _x_of(r, x))
    for xv, rs in absent.items():
        lines = {key(r) for r in rs if r.status in ("failed", "invalid")}
        text = "failed" if lines else "n/a"
        n = len(lines) if lines else len({key(r) for r in rs})
        style.missing_mark(ax, xv, text if n == 1 else f"{n}× {text}")


def attention_figure(rows):
    """TFLOP/s vs sequence length per head dim and causal flag; None without attention cases.
    A line that lacks a point because its case failed or was skipped gets a mark at that x."""
    every = [r for r in rows if r.workload == "attention"]
    rows = table.measured(rows, workload="attention")
    x = _x_axis(rows)
    if not rows or x is None:
        return None
    rows = [r for r in rows if isinstance(_x_of(r, x), int) and _x_of(r, x) > 0]
    every = [r for r in every if isinstance(_x_of(r, x), int) and _x_of(r, x) > 0]
    multi = len({r.run.machine for r in rows}) > 1
    panel_params = [p for p in ("dtype",) if p in table.varying_params(rows)]
    panel_of = (lambda r: " · ".join(([r.run.machine] if multi else [])
                                     + [table.param_text(r.params, panel_params)]).strip(" ·"))
    panels = table.group(rows, panel_of)
    fig, axes = style.new_figure(len(panels), ncols=2, panel_w=5.6, panel_h=3.6)
    for ax, (title, prows) in zip(axes, panels.items()):
        other = [p for p in table.varying_params(prows, exclude=(x, "causal", "seq_q", "seq_kv")
                                                 + tuple(panel_params))]
        names = (["head_dim"] if "head_dim" in other else []) + [p for p in other if p != "head_dim"]
        line_of = (lambda r, names=names: (table.param_text(r.params, names) or "all",
                                           bool(r.params.get("causal"))))
        keyed = table.group(prows, line_of)
        series, styles = {}, {}
        order = sorted(keyed, key=lambda k: (_sort_key(keyed[k][0].params, names), k[1]))
        for text, causal in order:
            srows = keyed[(text, causal)]
            label = f"{text} {'causal' if causal else 'non-causal'}"
            by_x = table.group(srows, lambda r: _x_of(r, x))
            series[label] = sorted((xv, table.combine(table.primary_point(r) for r in xr))
                                   for xv, xr in by_x.items())
            styles[label] = "--" if causal else "-"
        plots.series_lines(ax, series, styles)
        _missing_marks(ax, [r for r in every if panel_of(r) == title], x, line_of)
        style.log2_axis(ax, [_x_of(r, x) for r in prows])
        ax.set_ylim(bottom=0)
        ax.set_title(title or "attention")
        ax.set_xlabel(f"Sequence length {x} (tokens)")
        ax.set_ylabel("Throughput (TFLOP/s)")
        style.legend(ax, loc="upper left")
    style.finish(fig, "Attention throughput vs sequence length")
    caption = ("Median TFLOP/s vs sequence length (log2 axis), one line per head dim (and any "
               "other axis that varies); solid: non-causal, dashed: causal. Error bars: 95% CI "
               "of the median. A red × \"failed\" at the foot: a line has no point there because "
               "its case failed (grey \"n/a\": skipped).")
    return FigureSpec("attention", "Attention", caption, fig)
