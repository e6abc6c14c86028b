"""Attention figure: TFLOP/s vs sequence length, one line per head dim and causal flag.

Panels: one per machine and dtype (when those vary). Lines: head_dim and any other varying
axis (backend, batch, heads), less those that vary only with the sequence length (batch in a
sweep at constant tokens; the caption names them), plus seq_q where it is not x; causal lines
are dashed. x is the key length: seq_kv, or seq_q where seq_kv is 0 (automatic: as long as
seq_q, workloads/attention/attention_problem.h) or absent.
"""

import math

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


def _cross(r, x):
    """True for a case whose seq_q is not its x (seq_kv set apart from it: decode, cross-attention):
    its line is named by seq_q too, so cases of another seq_q at the same x stay apart."""
    q = r.params.get("seq_q")
    return isinstance(q, int) and q != _x_of(r, x)


def _determines(rows, names, target, x=None):
    """True when the params `names` (and the causal flag, and the x value when `x` is given) fix
    params[target] over `rows`."""
    seen = {}
    for r in rows:
        key = (tuple(repr(r.params.get(n)) for n in names), bool(r.params.get("causal")),
               _x_of(r, x) if x else None)
        if seen.setdefault(key, repr(r.params.get(target))) != repr(r.params.get(target)):
            return False
    return True


def _line_names(rows, names, x):
    """The params that name a line of `rows` (all of one kind, _cross or not), and those left
    out as varying with x. head_dim, and seq_q on a _cross line, always name it; another param
    does when it varies over `rows`, unless x and the other names fix it while they alone do not:
    then it varies with the sequence length (batch in a sweep at constant tokens), and naming
    lines by it would leave each line one point. Leaving it out merges no two cases at one x.
    Tried from the last name to the first (head_dim)."""
    kept = [p for p in names
            if p in ("head_dim", "seq_q") or len({repr(r.params.get(p)) for r in rows}) > 1]
    dropped = []
    for p in reversed(kept):
        rest = [k for k in kept if k != p]
        if _determines(rows, rest, p, x) and not _determines(rows, rest, p):
            kept, dropped = rest, dropped + [p]
    return kept, dropped


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


def _panel_lines(prows, x, exclude):
    """One panel's lines: (series {label: [(x, point)]}, line styles, line_of(row) -> the line
    key, the params left out as varying with x)."""
    other = table.varying_params(prows, exclude=(x, "causal", "seq_q", "seq_kv") + tuple(exclude))
    names = (["head_dim"] if "head_dim" in other else []) + [p for p in other if p != "head_dim"]
    kinds, with_x = {}, set()  # _cross(r) -> the params that name its lines
    for cross in (False, True):
        krows = [r for r in prows if _cross(r, x) == cross]
        kinds[cross], dropped = _line_names(krows, names + (["seq_q"] if cross else []), x)
        with_x.update(dropped)

    def line_of(r):
        return table.param_text(r.params, kinds[_cross(r, x)]) or "all", bool(r.params.get("causal"))

    keyed = table.group(prows, line_of)
    first = {k: rs[0] for k, rs in keyed.items()}
    order = sorted(keyed, key=lambda k: (_cross(first[k], x),
                                         _sort_key(first[k].params, kinds[_cross(first[k], x)]), k[1]))
    series, styles = {}, {}
    for text, causal in order:
        label = f"{text} {'causal' if causal else 'non-causal'}"
        by_x = table.group(keyed[(text, causal)], lambda r: _x_of(r, x))
        series[label] = sorted((xv, table.combine(table.primary_point(r) for r in xr))
                               for xv, xr in by_x.items())
        styles[label] = "--" if causal else "-"
    return series, styles, line_of, with_x


def attention_figure(rows):
    """TFLOP/s vs sequence length per head dim and causal flag; None without attention cases.
    A line that lacks a point because its case failed or was skipped gets a mark at that x.
    The legend sits under each panel (a sweep has many lines), sized to its labels."""
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
    panels = {t: (prows, _panel_lines(prows, x, panel_params))
              for t, prows in table.group(rows, panel_of).items()}
    labels = [label for _, lines in panels.values() for label in lines[0]]
    cols = style.legend_columns(labels, 5.6)
    rows_h = max(math.ceil(len(lines[0]) / cols) for _, lines in panels.values())
    fig, axes = style.new_figure(len(panels), ncols=2, panel_w=5.6, panel_h=3.6 + 0.17 * rows_h)
    with_x = set()
    for ax, (title, (prows, (series, styles, line_of, dropped))) in zip(axes, panels.items()):
        with_x |= dropped
        plots.series_lines(ax, series, styles)
        _missing_marks(ax, [r for r in every if panel_of(r) == title], x, line_of)
        style.log2_axis(ax, [_x_of(r, x) for r in prows])
        ax.set_ylim(bottom=0)
        ax.set_title(title or "attention")
        ax.set_xlabel(f"Sequence length {x} (tokens)")
        ax.set_ylabel("Throughput (TFLOP/s)")
        style.legend_below(ax, cols)
    style.finish(fig, "Attention throughput vs sequence length")
    caption = ("Median TFLOP/s vs sequence length (log2 axis), one line per head dim (and any "
               "other axis that varies); solid: non-causal, dashed: causal. Error bars: 95% CI "
               "of the median. A red × \"failed\" at the foot: a line has no point there because "
               "its case failed (grey \"n/a\": skipped).")
    if with_x:
        caption += (f" Not in the legend: {' and '.join(sorted(with_x))} "
                    f"{'varies' if len(with_x) == 1 else 'vary'} with the sequence length (a line "
                    "joins its cases across lengths).")
    return FigureSpec("attention", "Attention", caption, fig)
