"""Comparison figures (several machines, or one against a baseline): scores per workload and
overall, per-case scores side by side (heat map), cost (perf per dollar, dollars per million
tokens) and run-to-run spread per SKU.

They draw compare.Comparison (per-case display scores), the procurement figures C++ made
(procurement.Procurement) and compare.run_spread output; no judgement.
"""

import re

import numpy as np

from . import plots, style, table
from .style import FigureSpec

_MAX_ANNOTATED = 40  # heat-map columns that still get their value written in the cell


def _compared(comparison):
    return len(comparison.machines) >= 2 or comparison.reference == "baseline"


def case_labels(rows):
    """{case_id: short label} naming each case by the params that vary within its workload."""
    out = {}
    for workload, wrows in table.group(rows, lambda r: r.workload).items():
        names = table.distinct_params(wrows, table.varying_params(wrows))
        for r in wrows:
            out.setdefault(r.case_id, table.param_text(r.params, names) or workload)
    return out


def _colors(machines, colors):
    """The machine → colour map: the one given (report-wide), else style.machine_colors."""
    return colors if colors is not None else style.machine_colors(machines)


def _set_apart(p, m):
    """True for a machine the ranking (C++) set apart (procurement.json set_apart says why)."""
    return p.ranked(m.machine) is None


def _why_apart(p, m):
    """Why the ranking set a machine apart, in its words ("qualification FAIL: ...", "no price: ...")."""
    prefix = m.machine + ": "
    return next((s[len(prefix):] for s in p.set_apart if s.startswith(prefix)), "not ranked")


def _name(p, m):
    """A machine's label in the charts; machines the ranking set apart say so, short: their
    verdict when that set them apart, else "not ranked" (the caption gives the reasons)."""
    if not _set_apart(p, m):
        return m.machine
    why = _why_apart(p, m)
    return f"{m.machine} (set apart: {m.verdict if why.startswith('qualification ') else 'not ranked'})"


def _divider(ax, x, text):
    """A dotted vertical line at x with `text` written up along it, right of it."""
    ax.axvline(x, color="#666666", linestyle=":", linewidth=1.0)
    ax.annotate(text, (x, 0.02), xycoords=("data", "axes fraction"), xytext=(2, 0),
                textcoords="offset points", ha="left", va="bottom", rotation=90, fontsize=7.5,
                color="#444444")


def _machine_bars(ax, p, machines, values, colors, fmt):
    """One bar per procurement machine (ranked first, then those set apart, greyed and hatched,
    after a divider); values are (value, low, high) points or None ("n/a")."""
    xs = list(range(len(machines)))
    for x, m, v in zip(xs, machines, values):
        c = colors.get(m.machine, style.color(x))
        look = style.set_apart_style(c) if _set_apart(p, m) else {"color": c}
        err = None if v is None or v[1] == v[2] else [[v[0] - v[1]], [v[2] - v[0]]]
        ax.bar([x], [0 if v is None else v[0]], width=0.6, yerr=err, capsize=3,
               error_kw={"elinewidth": 0.8, "ecolor": "#333333"}, **look)
        ax.annotate("n/a" if v is None else fmt(v[0]), (x, 0 if v is None else v[2]),
                    textcoords="offset points", xytext=(0, 2), ha="center", va="bottom", fontsize=8)
    first_apart = next((x for x, m in zip(xs, machines) if _set_apart(p, m)), None)
    if first_apart:
        _divider(ax, first_apart - 0.5, "set apart (not ranked)")
    names = [_name(p, m) for m in machines]
    long = sum(len(n) for n in names) > 50
    ax.set_xticks(xs)
    ax.set_xticklabels(names, rotation=20 if long else 0, ha="right" if long else "center")
    ax.set_xlim(-0.6, len(machines) - 0.4)
    ax.grid(axis="x", visible=False)
    ax.set_xlabel("Machine")


def _set_apart_note(p, shown):
    apart = [f"{m.machine}: {_why_apart(p, m)}" for m in shown if _set_apart(p, m)]
    return (f" Hatched grey, after the dotted line: set apart by the ranking ({'; '.join(apart)}); "
            "drawn for reference, not a candidate." if apart else "")


def score_figure(p, colors=None):
    """Per machine, its score per workload and overall with 95% intervals, and its performance
    per dollar-hour with its interval, as C++ computed them (procurement.py). Machines the
    ranking set apart come last, greyed and hatched. `colors`: the report's machine → colour
    map (default style.machine_colors of the procurement machines). None without procurement
    figures or a machine with a score."""
    if p is None:
        return None
    colors = _colors([m.machine for m in p.machines], colors)
    scored = sorted((m for m in p.machines if m.score is not None), key=lambda m: _set_apart(p, m))
    if not scored:
        return None
    workloads = list(dict.fromkeys(w for m in scored for w in m.workload_scores))
    groups = workloads + ["overall"]
    priced = [m for m in scored if m.perf_per_usd_hour is not None]
    fig, axes, lax = style.new_figure_with_legend(2 if priced else 1, ncols=2, panel_w=6.2, panel_h=3.8)
    series = {_name(p, m): [m.workload_scores[w].point if w in m.workload_scores else None for w in workloads]
              + [m.score.point] for m in scored}
    few = len(groups) * len(series) <= 24
    plots.grouped_bars(axes[0], groups, series, annotate=lambda i, c, pt: f"{pt[0]:.2f}" if few else None,
                       colors={_name(p, m): colors.get(m.machine) for m in scored},
                       set_apart={_name(p, m) for m in scored if _set_apart(p, m)})
    axes[0].axhline(1.0, color="#444444", linestyle="--", linewidth=1.0)
    axes[0].axvline(len(workloads) - 0.5, color="#666666", linewidth=1.0)  # workloads | overall
    axes[0].get_xticklabels()[-1].set_fontweight("bold")
    axes[0].set_title("geometric mean of per-case scores: per workload | overall")
    axes[0].set_xlabel("Workload")
    axes[0].set_ylabel(style.score_label(p.reference))
    if priced:
        _machine_bars(axes[1], p, priced, [m.perf_per_usd_hour.point for m in priced], colors,
                      lambda v: f"{v:.3g}")
        axes[1].set_title("performance per dollar-hour")
        axes[1].set_ylabel("Perf per dollar-hour (score × GPUs per $/h)")
    style.shared_legend(lax, axes)
    style.finish(fig, "Machine scores")
    caption = (f"Per-case score: the machine's primary metric against {p.reference} (higher is "
               f"better). Bars: geometric mean over the {len(p.common_cases)} case(s) every "
               "qualifying machine ran, per workload and, right of the line, overall; error bars: "
               "95% intervals from the spread of each case's replicates."
               + (" Right: overall score × GPUs ÷ instance price per hour." if priced else "")
               + _set_apart_note(p, scored))
    return FigureSpec("compare_scores", "Scores", caption, fig)


def _machine_order(comparison, procurement):
    """Heat-map rows: the ranking's order (ranked, then set apart) when there is a ranking,
    then any other machine in file order."""
    ranked = [m.machine for m in procurement.machines] if procurement is not None else []
    return ([m for m in ranked if m in comparison.machines]
            + [m for m in comparison.machines if m not in ranked])


def _failed_cells(rows):
    """{(machine, case_id)} where the case failed or was invalid and was measured on none of
    the machine's GPUs or runs (skipped cases are not failures: they stay plain grey)."""
    by_cell = table.group(rows, lambda r: (r.run.machine, r.case_id))
    return {k for k, rs in by_cell.items()
            if not any(r.measured for r in rs) and any(r.status in ("failed", "invalid") for r in rs)}


def _text_color(n, baseline):
    """Cell text colour readable on the colour at norm value n."""
    dark = (n < 0.2 or n > 0.8) if baseline else n < 0.45
    return "white" if dark else "black"


def cases_figure(comparison, rows, procurement=None):
    """Per-case scores of every machine as a heat map, one panel per workload; rows in the
    ranking's order when `procurement` (procurement.Procurement) is given, else file order.
    Failed cells carry a red ×; against a baseline the colours diverge around 1.0. None when
    nothing is compared."""
    if not _compared(comparison):
        return None
    labels = case_labels(rows)
    workload_of = {c.case_id: c.workload for c in comparison.cells.values()}
    scored = [c for c in comparison.case_ids
              if any(comparison.scores.get((m, c)) for m in comparison.machines)]
    panels = table.group(scored, lambda c: workload_of[c])
    if not panels:
        return None
    machines = _machine_order(comparison, procurement)
    known = [procurement.machine(m) if procurement is not None else None for m in machines]
    names = [m if k is None else _name(procurement, k) for m, k in zip(machines, known)]
    apart = [i for i, k in enumerate(known) if k is not None and _set_apart(procurement, k)]
    failed = _failed_cells(rows)
    baseline = comparison.reference == "baseline"
    values = [v for v in comparison.scores.values() if v]
    lo, hi = min(values), max(values)
    norm = style.score_norm(lo, hi, baseline)
    widest = max(len(v) for v in panels.values())
    width = min(18.0, max(7.0, 2.6 + 0.42 * widest))
    heights = [0.32 * len(machines) + 1.9 for _ in panels]
    fig = style.Figure(figsize=(width, sum(heights) + 0.8), dpi=style.DPI, layout="constrained")
    style.FigureCanvasAgg(fig)
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=heights)[:, 0]
    image = None
    for ax, (workload, case_ids) in zip(axes, panels.items()):
        grid = np.array([[comparison.scores.get((m, c)) or np.nan for c in case_ids]
                         for m in machines], dtype=float)
        image = ax.imshow(np.ma.masked_invalid(grid), aspect="auto", cmap=style.score_cmap(baseline),
                          norm=norm)
        annotated = len(case_ids) <= _MAX_ANNOTATED
        for (yi, xi), v in np.ndenumerate(grid):
            if (machines[yi], case_ids[xi]) in failed:
                ax.text(xi, yi, "×", ha="center", va="center", fontsize=12, fontweight="bold",
                        color=style.FAILED_COLOR)
            elif annotated and np.isfinite(v):
                ax.text(xi, yi, f"{v:.2f}", ha="center", va="center", fontsize=6.5,
                        color=_text_color(float(norm(v)), baseline))
        if apart and apart[0] > 0:  # ranked machines above, those set apart below
            ax.axhline(apart[0] - 0.5, color="black", linewidth=1.6)
        ax.set_yticks(range(len(machines)))
        ax.set_yticklabels(names)
        ax.set_xticks(range(len(case_ids)))
        ax.set_xticklabels([labels.get(c, c) for c in case_ids] if len(case_ids) <= 80 else [],
                           rotation=40, ha="right", fontsize=7)
        ax.grid(False)
        ax.set_title(f"{workload} ({len(case_ids)} cases)")
        ax.set_xlabel(f"{workload} case (axis values)")
        ax.set_ylabel("Machine")
    bar = fig.colorbar(image, ax=list(axes), shrink=0.9, pad=0.01, extend=style.norm_extend(norm, lo, hi))
    bar.set_label(style.score_label(comparison.reference))
    style.finish(fig, "Cases side by side: score per case and machine")
    caption = ("Each cell: the machine's primary metric for the case divided by "
               + ("the baseline's median (red below 1.0, blue above)" if baseline
                  else "the best machine's") + " (inverted for lower-is-better metrics, so "
               "higher is better). Red ×: the case failed (or was invalid) on that machine; "
               "plain grey: not measured there (skipped, not run, or no reference)."
               + (" Rows in the ranking's order; below the black line, machines it set apart."
                  if apart and apart[0] > 0 else
                  " Rows in the ranking's order." if procurement is not None else ""))
    return FigureSpec("compare_cases", "Cases side by side", caption, fig)


def tokens_cost_figure(p, colors=None):
    """$/Mtok of the named scenario per machine, labelled, as C++ computed it; machines the
    ranking set apart last, greyed and hatched. None when no machine has the figure."""
    if p is None:
        return None
    colors = _colors([m.machine for m in p.machines], colors)
    priced = sorted((m for m in p.machines if m.usd_per_mtok is not None), key=lambda m: _set_apart(p, m))
    if not priced:
        return None
    fig, axes = style.new_figure(1, panel_w=max(5.5, 1.6 * len(priced) + 3), panel_h=3.8)
    _machine_bars(axes[0], p, priced, [(m.usd_per_mtok,) * 3 for m in priced], colors, lambda v: f"${v:.3f}")
    axes[0].set_ylabel("Cost (USD per 1M output tokens)")
    axes[0].set_title(p.scenario, fontsize=9)
    style.finish(fig, "Serving cost: dollars per million output tokens (lower is better)")
    missing = [f"{m.machine} ({m.usd_per_mtok_note})" for m in p.machines if m.usd_per_mtok is None]
    caption = (f"{p.scenario}: instance $/h ÷ (instance output tok/s × 3600) × 10⁶, the instance's "
               "tok/s summed over its GPUs (or tp groups) that ran exactly this case."
               + (" No figure for: " + "; ".join(missing) + "." if missing else "")
               + _set_apart_note(p, priced))
    return FigureSpec("compare_cost_tokens", "Cost per token", caption, fig)


def _run_machine(label):
    """The machine of a run label (table.assign_labels: the machine, "#n" added when several)."""
    return re.sub(r" #\d+$", "", label)


def spread_figure(spread, colors=None):
    """Each run's figure relative to the median of its SKU's runs, per SKU, coloured by the
    run's machine (markers tell its runs apart); None when no SKU has two runs."""
    if not spread:
        return None
    runs = [label for s in spread.values() for label in s["runs"]]
    colors = _colors([_run_machine(r) for r in runs], colors)
    fig, axes = style.new_figure(1, panel_w=max(5.5, 2.4 * len(spread) + 3), panel_h=3.8)
    ax = axes[0]
    for i, (sku, s) in enumerate(spread.items()):
        runs = s["runs"]
        for j, label in enumerate(runs):
            ys = [v for _, run, v in s["points"] if run == label]
            xs = [i + (j - (len(runs) - 1) / 2) * 0.14 for _ in ys]
            ax.plot(xs, ys, linestyle="none", marker=style.marker(j),
                    color=colors.get(_run_machine(label), style.color(j)), alpha=0.7, label=label)
    ax.axhline(1.0, color="#444444", linestyle="--", linewidth=1.0)
    ax.set_xticks(range(len(spread)))
    ax.set_xticklabels(list(spread))
    ax.set_xlim(-0.6, len(spread) - 0.4)
    ax.grid(axis="x", visible=False)
    ax.set_xlabel("GPU SKU")
    ax.set_ylabel("Run / median of the SKU's runs (×)")
    style.legend(ax, loc="center left", bbox_to_anchor=(1.0, 0.5))
    style.finish(fig, "Run-to-run spread per SKU")
    caption = ("Every case of every run of a SKU: its median divided by the median over that "
               "SKU's runs, one marker shape per run, coloured by machine as in the other "
               "figures. The spread between instances of the same GPU.")
    return FigureSpec("compare_spread", "Spread", caption, fig)
