"""Comparison figures (several machines, or one against a baseline): scores per workload and
overall, per-case scores side by side (heat map), cost (perf per dollar, dollars per million
tokens) and run-to-run spread per SKU.

They draw compare.Comparison (per-case display scores), the procurement figures C++ made
(procurement.Procurement) and compare.run_spread output; no judgement.
"""

import numpy as np

from . import plots, style, table
from .style import FigureSpec

_MAX_ANNOTATED = 40  # heat-map columns that still get their value written in the cell


def _unit(comparison):
    return "× baseline" if comparison.reference == "baseline" else "× best"


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


def _value_bars(ax, names, values, fmt):
    xs = list(range(len(names)))
    ax.bar(xs, [v or 0 for v in values], color=[style.color(i) for i in xs], width=0.6)
    for x, v in zip(xs, values):
        ax.annotate("n/a" if v is None else fmt(v), (x, v or 0), textcoords="offset points",
                    xytext=(0, 2), ha="center", va="bottom", fontsize=8)
    long = sum(len(n) for n in names) > 50
    ax.set_xticks(xs)
    ax.set_xticklabels(names, rotation=20 if long else 0, ha="right" if long else "center")
    ax.grid(axis="x", visible=False)


def _name(p, m):
    """A machine's label in the charts; machines the ranking set apart say so."""
    return m.machine if p.ranked(m.machine) else f"{m.machine} (set apart: {m.verdict or 'not ranked'})"


def score_figure(p):
    """Per machine, its score per workload and overall with 95% intervals, and its performance
    per dollar-hour with its interval, as C++ computed them (procurement.py). None without
    procurement figures or a machine with a score."""
    if p is None:
        return None
    scored = [m for m in p.machines if m.score is not None]
    if not scored:
        return None
    workloads = list(dict.fromkeys(w for m in scored for w in m.workload_scores))
    groups = workloads + ["overall"]
    priced = [m for m in scored if m.perf_per_usd_hour is not None]
    fig, axes, lax = style.new_figure_with_legend(2 if priced else 1, ncols=2, panel_w=6.2, panel_h=3.8)
    series = {_name(p, m): [m.workload_scores[w].point if w in m.workload_scores else None for w in workloads]
              + [m.score.point] for m in scored}
    few = len(groups) * len(series) <= 24
    plots.grouped_bars(axes[0], groups, series, annotate=lambda i, c, pt: f"{pt[0]:.2f}" if few else None)
    axes[0].axhline(1.0, color="#444444", linestyle="--", linewidth=1.0)
    axes[0].set_title("geometric mean of per-case scores")
    axes[0].set_xlabel("Workload")
    axes[0].set_ylabel("Score (× reference)")
    if priced:
        ax = axes[1]
        for m in priced:
            i = scored.index(m)
            x = priced.index(m)
            f = m.perf_per_usd_hour
            ax.bar([x], [f.value], color=style.color(i), width=0.6,
                   yerr=[[f.value - f.low], [f.high - f.value]], capsize=3,
                   error_kw={"elinewidth": 0.8, "ecolor": "#333333"})
            ax.annotate(f"{f.value:.3g}", (x, f.high), textcoords="offset points", xytext=(0, 2),
                        ha="center", va="bottom", fontsize=8)
        ax.set_xticks(range(len(priced)))
        ax.set_xticklabels([_name(p, m) for m in priced],
                           rotation=15 if sum(len(m.machine) for m in priced) > 40 else 0)
        ax.grid(axis="x", visible=False)
        ax.set_title("performance per dollar-hour")
        ax.set_xlabel("Instance")
        ax.set_ylabel("Perf per dollar-hour (score × GPUs per $/h)")
    style.shared_legend(lax, axes)
    style.finish(fig, "Machine scores")
    caption = (f"Per-case score: the machine's primary metric against {p.reference} (higher is "
               f"better). Bars: geometric mean over the {len(p.common_cases)} case(s) every "
               "qualifying machine ran, per workload and overall; error bars: 95% intervals from "
               "the spread of each case's replicates."
               + (" Right: overall score × GPUs ÷ instance price per hour." if priced else ""))
    return FigureSpec("compare_scores", "Scores", caption, fig)


def cases_figure(comparison, rows):
    """Per-case scores of every machine as a heat map, one panel per workload; None when
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
    machines = comparison.machines
    values = [v for v in comparison.scores.values() if v]
    vmin, vmax = min(min(values), 0.5), max(max(values), 1.0)
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
        cmap = style.score_cmap()
        image = ax.imshow(np.ma.masked_invalid(grid), aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax)
        if len(case_ids) <= _MAX_ANNOTATED:
            for (yi, xi), v in np.ndenumerate(grid):
                if np.isfinite(v):
                    ax.text(xi, yi, f"{v:.2f}", ha="center", va="center", fontsize=6.5,
                            color="white" if (v - vmin) / (vmax - vmin or 1) < 0.45 else "black")
        ax.set_yticks(range(len(machines)))
        ax.set_yticklabels(machines)
        ax.set_xticks(range(len(case_ids)))
        ax.set_xticklabels([labels.get(c, c) for c in case_ids] if len(case_ids) <= 80 else [],
                           rotation=40, ha="right", fontsize=7)
        ax.grid(False)
        ax.set_title(f"{workload} ({len(case_ids)} cases)")
        ax.set_xlabel(f"{workload} case (axis values)")
        ax.set_ylabel("Machine (instance)")
    bar = fig.colorbar(image, ax=list(axes), shrink=0.9, pad=0.01)
    bar.set_label(f"Score ({_unit(comparison)})")
    style.finish(fig, "Cases side by side: score per case and machine")
    caption = ("Each cell: the machine's primary metric for the case divided by "
               + ("the baseline's median" if comparison.reference == "baseline"
                  else "the best machine's") + " (inverted for lower-is-better metrics, so "
               "higher is better). Grey: not measured on that machine.")
    return FigureSpec("compare_cases", "Cases side by side", caption, fig)


def tokens_cost_figure(p):
    """$/Mtok of the named scenario per machine, labelled, as C++ computed it; None when no
    machine has the figure."""
    if p is None:
        return None
    priced = [m for m in p.machines if m.usd_per_mtok is not None]
    if not priced:
        return None
    fig, axes = style.new_figure(1, panel_w=max(5.5, 1.6 * len(priced) + 3), panel_h=3.8)
    _value_bars(axes[0], [_name(p, m) for m in priced], [m.usd_per_mtok for m in priced], lambda v: f"${v:.3f}")
    axes[0].set_xlabel("Machine")
    axes[0].set_ylabel("Cost (USD per 1M output tokens)")
    axes[0].set_title(p.scenario, fontsize=9)
    style.finish(fig, "Serving cost: dollars per million output tokens (lower is better)")
    missing = [f"{m.machine} ({m.usd_per_mtok_note})" for m in p.machines if m.usd_per_mtok is None]
    caption = (f"{p.scenario}: instance $/h ÷ (instance output tok/s × 3600) × 10⁶, the instance's "
               "tok/s summed over its GPUs (or tp groups) that ran exactly this case."
               + (" No figure for: " + "; ".join(missing) + "." if missing else ""))
    return FigureSpec("compare_cost_tokens", "Cost per token", caption, fig)


def spread_figure(spread):
    """Each run's figure relative to the median of its SKU's runs, per SKU; None when no SKU
    has two runs."""
    if not spread:
        return None
    fig, axes = style.new_figure(1, panel_w=max(5.5, 2.4 * len(spread) + 3), panel_h=3.8)
    ax = axes[0]
    for i, (sku, s) in enumerate(spread.items()):
        runs = s["runs"]
        for j, label in enumerate(runs):
            ys = [v for _, run, v in s["points"] if run == label]
            xs = [i + (j - (len(runs) - 1) / 2) * 0.14 for _ in ys]
            ax.plot(xs, ys, linestyle="none", marker=style.marker(j), color=style.color(j),
                    alpha=0.7, label=label)
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
               "SKU's runs, one marker per run. The spread between instances of the same GPU.")
    return FigureSpec("compare_spread", "Spread", caption, fig)
