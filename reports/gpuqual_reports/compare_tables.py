"""Multi-run tables as plain data (summaries.Table): the runs, the ranking and providers (the
procurement figures C++ made), the per-case matrix and run-to-run spread. Rendered by html.py and
markdown.py.
"""

from . import fmt, procurement, table
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


def _fig(f, digits=3):
    """A procurement.Figure as "value [low, high]"."""
    return fmt.UNKNOWN if f is None else f"{fmt.num(f.value, digits)} [{fmt.num(f.low, digits)}, {fmt.num(f.high, digits)}]"


def summary_table(report):
    """The ranked machines, then those set apart: what `gpuqual rank` decided (procurement.py);
    None when the report has no procurement figures."""
    p = report.procurement
    if p is None:
        return None
    out = []
    for m in p.machines:
        e = p.ranked(m.machine)
        rank = "set apart" if e is None else f"{e.rank}{'=' if e.tie else ''}"
        out.append([rank, m.machine, m.verdict or "not qualified", _fig(m.score), _fig(m.perf_per_usd_hour, 3),
                    fmt.usd(m.usd_per_mtok, 3) if m.usd_per_mtok is not None else fmt.UNKNOWN,
                    procurement.confidence(p, m)])
    objective = "performance per dollar-hour" if p.objective == "perf-per-dollar" else "performance"
    note = (f"Ranked by {objective}; scores against {p.reference} over {len(p.common_cases)} common "
            f"case(s), 95% intervals in brackets. Perf per $/h = score × GPUs ÷ instance $/h. "
            f"$/Mtok: {p.scenario}, instance $/h ÷ (instance output tok/s × 3600) × 10⁶.")
    return Table("Ranking", ["rank", "machine", "verdict", "score [95% CI]", "perf per $/h [95% CI]",
                             "$/Mtok", "confidence"], out, note=note, status_cols=[2])


def providers_table(report):
    """Per machine: provider, instance type, region, price, GPUs and what the instance catalog
    says of its interconnect and network; None without procurement figures."""
    p = report.procurement
    if p is None:
        return None
    out = [[m.machine, m.provider or fmt.UNKNOWN, m.instance_type or fmt.UNKNOWN, m.region or fmt.UNKNOWN,
            fmt.usd(m.usd_per_hour), str(m.gpus), m.sku or fmt.UNKNOWN, m.interconnect or fmt.UNKNOWN,
            m.network or fmt.UNKNOWN,
            fmt.num(m.tflops_per_usd_hour) if m.tflops_per_usd_hour is not None else fmt.UNKNOWN,
            m.usd_per_mtok_note or fmt.UNKNOWN] for m in p.machines]
    return Table("Providers", ["machine", "provider", "instance", "region", "$/h", "GPUs", "SKU",
                               "interconnect", "network", "TFLOP/s per $/h", "$/Mtok basis"], out,
                 note="Prices from the prices file (per instance hour); interconnect and network from "
                      "the instance catalog. TFLOP/s per $/h: geometric mean of the GEMM TFLOP/s × "
                      "GPUs ÷ instance $/h.")


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
