"""Multi-run tables as plain data (summaries.Table): the runs, machine scores, the per-case
matrix, cost and run-to-run spread. Rendered by html.py and markdown.py.
"""

from . import costs as costs_mod
from . import fmt, table
from .figures_compare import case_labels
from .summaries import Table


def runs_table(report):
    """One row per input file: label, SKU, GPUs, instance, driver, cases, verdict."""
    out = []
    for run in report.runs:
        rows = [r for r in report.rows if r.run is run]
        devices = (run.doc.get("system") or {}).get("devices") or []
        drivers = ", ".join(sorted({d.get("driver") or fmt.UNKNOWN for d in devices})) or fmt.UNKNOWN
        cudas = ", ".join(sorted({d.get("cuda_runtime") or fmt.UNKNOWN for d in devices})) or fmt.UNKNOWN
        ok = len(table.measured(rows))
        out.append([run.label, run.sku, str(run.gpus), f"{run.provider} {run.instance_type}".strip(),
                    drivers, cudas, f"{ok}/{len(rows)}",
                    (run.verdict or {}).get("overall", fmt.UNKNOWN), run.path])
    return Table("Runs", ["run", "SKU", "GPUs", "cloud instance", "driver", "CUDA", "measured",
                          "verdict", "file"], out,
                 note="Verdicts are those written by `gpuqual qualify` into each file.",
                 status_cols=[7])


def score_table(report):
    """Per machine: SKU, runs, geometric-mean score over the common cases; None when there is
    no comparison."""
    comp = report.comparison
    if comp is None:
        return None
    ref = "baseline " + report.baseline.name if comp.reference == "baseline" else "best machine per case"
    out = []
    for m in comp.machines:
        runs = [r for r in report.runs if r.machine == m]
        scored = sum(1 for c in comp.case_ids if comp.scores.get((m, c)) is not None)
        out.append([m, ", ".join(sorted({r.sku for r in runs})), str(len(runs)),
                    fmt.ratio(comp.geomean.get(m)), str(scored)])
    return Table("Machine scores", ["machine", "SKU", "runs", "geomean score", "cases scored"], out,
                 note=f"Scores: primary metric relative to the {ref} (higher is better); geometric "
                      f"mean over the {len(comp.common)} case(s) every machine has.")


def matrix_table(report):
    """Cases × machines: the median with its unit and the score in brackets; None without a
    comparison."""
    comp = report.comparison
    if comp is None:
        return None
    labels = case_labels(report.rows)
    out = []
    for c in comp.case_ids:
        cells = [comp.cells.get((m, c)) for m in comp.machines]
        unit = next((x.unit for x in cells if x), "")
        row = [c.split("/")[0], labels.get(c, c), unit]
        for m, cell in zip(comp.machines, cells):
            score = comp.scores.get((m, c))
            row.append(fmt.UNKNOWN if cell is None else
                       f"{fmt.num(cell.point[0])}" + (f" ({fmt.ratio(score)})" if score else ""))
        out.append(row)
    return Table("Cases side by side", ["workload", "case", "unit"] + comp.machines, out,
                 note="Median of the primary metric (score in brackets); – = not measured there.")


def cost_table(report):
    """Per priced machine: prices, perf per dollar, cheapest tokens; None without prices."""
    if not report.costs:
        return None
    out = []
    for m, c in report.costs.items():
        gemm = costs_mod.best_gemm(c, report.rows)
        tok = costs_mod.cheapest_tokens(c)
        labels = case_labels(report.rows)
        out.append([m, c.price.instance_type, fmt.usd(c.price.usd_per_hour), str(c.gpus),
                    fmt.usd(c.usd_per_gpu_hour),
                    fmt.ratio(c.relative_score_per_usd),
                    f"{fmt.num(gemm[1])} ({labels.get(gemm[0], gemm[0])})" if gemm else fmt.UNKNOWN,
                    f"{fmt.usd(tok[1], 3)} ({labels.get(tok[0], tok[0])})" if tok else fmt.UNKNOWN,
                    c.price.note or ""])
    unpriced = [m for m in (report.comparison.machines if report.comparison else
                            dict.fromkeys(r.machine for r in report.runs)) if m not in report.costs]
    note = ("Prices are per instance hour; $/GPU-h = instance price ÷ GPUs. TFLOP/s per $/h = "
            "per-GPU TFLOP/s × GPUs ÷ instance $/h. $/Mtok = instance $/h ÷ (output tok/s per GPU "
            "× GPUs × 3600) × 10⁶.")
    if unpriced:
        note += " No price for: " + ", ".join(unpriced) + "."
    return Table("Cost", ["machine", "instance", "$/h", "GPUs", "$/GPU-h", "score per $ (× best)",
                          "best GEMM TFLOP/s per $/h", "cheapest $ per 1M output tokens", "price note"],
                 out, note=note)


def spread_table(report):
    """Per SKU with several runs: runs, cases, the widest spread; None when none."""
    if not report.spread:
        return None
    labels = case_labels(report.rows)
    out = []
    for sku, s in report.spread.items():
        ratios = [v for _, _, v in s["points"]]
        case_id, worst = s["worst"]
        out.append([sku, str(len(s["runs"])), str(len({c for c, _, _ in s["points"]})),
                    f"{fmt.ratio(min(ratios))} – {fmt.ratio(max(ratios))}",
                    f"{fmt.pct(worst)} ({labels.get(case_id, case_id)})"])
    return Table("Run-to-run spread per SKU", ["SKU", "runs", "cases", "run / SKU median",
                                               "widest spread (max/min − 1)"], out)
