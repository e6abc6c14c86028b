"""Multi-run tables as plain data (summaries.Table): the runs, the ranking and providers (the
procurement figures C++ made), the per-case matrix and run-to-run spread. Rendered by html.py and
markdown.py.

Contract: every ranking, tie and set-apart reason is procurement.json's, shown as written (a tie
says C++'s reason verbatim); scores have three decimals everywhere. With one machine and no
baseline nothing is ranked: the summary shows its qualification and costs and says why.
"""

from . import fmt, table
from .figures_compare import case_labels
from .summaries import Table, driver_text


def runs_table(report):
    """One row per input file: label, SKU, GPUs, instance, driver (summaries.driver_text),
    CUDA runtime, cases, verdict."""
    out = []
    for run in report.runs:
        rows = [r for r in report.rows if r.run is run]
        devices = (run.doc.get("system") or {}).get("devices") or []
        cudas = ", ".join(sorted({d.get("cuda_runtime") or fmt.UNKNOWN for d in devices})) or fmt.UNKNOWN
        ok = len(table.measured(rows))
        out.append([run.label, run.sku, str(run.gpus), f"{run.provider} {run.instance_type}".strip(),
                    driver_text(run.doc), cudas, f"{ok}/{len(rows)}",
                    (run.verdict or {}).get("overall", fmt.UNKNOWN), run.path])
    return Table("Runs", ["run", "SKU", "GPUs", "cloud instance", "driver", "CUDA", "measured",
                          "verdict", "file"], out,
                 note="Driver: the NVIDIA driver release NVML read, else the CUDA driver API version; "
                      "CUDA: the runtime. Verdicts are those written by `gpuqual qualify` into each file.",
                 status_cols=[7])


def _score(f):
    """A score Figure as "1.000 [0.999, 1.001]": fixed 3 decimals (fmt.ratio), like every score."""
    return fmt.UNKNOWN if f is None else fmt.interval(f.value, f.low, f.high, fixed=3)


def _perf(f):
    """A perf-per-$/h Figure with one number of decimals for value and interval."""
    return fmt.UNKNOWN if f is None else fmt.interval(f.value, f.low, f.high)


def single_machine(report):
    """True when there is nothing to rank: one machine and no baseline (Report.comparison is None
    exactly then). Its procurement figures then hold a self-score of 1 and a rank or "set apart"
    that mean nothing, so the summary shows its qualification and costs instead."""
    return report.procurement is not None and report.comparison is None


def unranked_text(report):
    """The summary's opening line for a single machine: why nothing is ranked and its verdict, in
    the words `gpuqual rank` wrote (procurement.json recommendation; C++ decides it)."""
    return report.procurement.recommendation


def _runs_text(m):
    """How many runs back a machine's figures, and their spread (run_spread from C++)."""
    if m.runs <= 1:
        return "1 run, spread unknown"
    if m.run_spread is None:
        return f"{m.runs} runs"
    return f"{m.runs} runs, {fmt.pct(m.run_spread)} apart"


def _why(p, m, entry):
    """Why a machine shares a rank or is set apart, in C++'s words (RankEntry.tie, set_apart)."""
    if entry is not None:
        return entry.tie
    prefix = m.machine + ": "
    return next((s[len(prefix):] for s in p.set_apart if s.startswith(prefix)), "")


def _mtok(m):
    return fmt.usd(m.usd_per_mtok, 3) if m.usd_per_mtok is not None else fmt.UNKNOWN


def summary_table(report):
    """The ranked machines, then those set apart: what `gpuqual rank` decided (procurement.py);
    for a single machine its qualification and costs, unranked; None when the report has no
    procurement figures."""
    p = report.procurement
    if p is None:
        return None
    if single_machine(report):
        rows = [[m.machine, m.verdict or "not qualified", fmt.usd(m.usd_per_hour),
                 fmt.num(m.tflops_per_usd_hour) if m.tflops_per_usd_hour is not None else fmt.UNKNOWN,
                 _mtok(m), _runs_text(m)] for m in p.machines]
        return Table("Qualification and cost", ["machine", "verdict", "$/h", "TFLOP/s per $/h",
                                                "$/Mtok", "runs"], rows,
                     note=f"Not ranked (one machine, no baseline). $/Mtok: {p.scenario}.",
                     status_cols=[1])
    out = []
    for m in p.machines:
        e = p.ranked(m.machine)
        rank = "set apart" if e is None else f"{e.rank}{'=' if e.tie else ''}"
        out.append([rank, m.machine, m.verdict or "not qualified", _score(m.score),
                    _perf(m.perf_per_usd_hour), _mtok(m), _runs_text(m), _why(p, m, e) or fmt.UNKNOWN])
    objective = "performance per dollar-hour" if p.objective == "perf-per-dollar" else "performance"
    note = (f"Ranked by {objective}; scores against {p.reference} over {len(p.common_cases)} common "
            f"case(s), 95% intervals in brackets. Perf per $/h = score × GPUs ÷ instance $/h. "
            f"$/Mtok: {p.scenario}, instance $/h ÷ (instance output tok/s × 3600) × 10⁶. "
            '"=" after a rank: tied with the machine above, for the reason `gpuqual rank` gave.')
    if p.not_comparable:
        note += (f" Left out of every score ({len(p.not_comparable)}): "
                 + "; ".join(p.not_comparable[:3]) + (" …" if len(p.not_comparable) > 3 else "") + ".")
    return Table("Ranking", ["rank", "machine", "verdict", "score [95% CI]", "perf per $/h [95% CI]",
                             "$/Mtok", "runs", "tied or set apart because"], out, note=note,
                 status_cols=[2])


def _common_words(texts, from_end=False):
    """The words every text starts (or ends) with, as one string ("" when none)."""
    split = [t.split(" ") for t in texts]
    if from_end:
        split = [w[::-1] for w in split]
    common = []
    for words in zip(*split):
        if len(set(words)) > 1:
            break
        common.append(words[0])
    return " ".join(common[::-1] if from_end else common)


def _basis(machines):
    """The $/Mtok basis of each machine split into what all share and what differs:
    (shared text with "X" where the rows differ, [per-row text]); the per-row list is None when
    every row says the same (the note alone carries it)."""
    notes = [m.usd_per_mtok_note or fmt.UNKNOWN for m in machines]
    if len(set(notes)) == 1:
        return notes[0], None
    head = _common_words(notes)
    tail = _common_words([n[len(head):].strip() for n in notes], from_end=True)
    middles = [n[len(head):].strip() for n in notes]
    middles = [x[:len(x) - len(tail)].strip() if tail else x for x in middles]
    if not all(middles) or not (head or tail):
        return "", notes
    return " ".join(x for x in (head, "X", tail) if x), middles


def providers_table(report):
    """Per machine: provider, instance type, region, price, GPUs and what the instance catalog
    says of its interconnect and network; the $/Mtok basis C++ wrote, said once under the table
    where the rows share it; None without procurement figures."""
    p = report.procurement
    if p is None:
        return None
    shared, per_row = _basis(p.machines)
    out = [[m.machine, m.provider or fmt.UNKNOWN, m.instance_type or fmt.UNKNOWN, m.region or fmt.UNKNOWN,
            fmt.usd(m.usd_per_hour), str(m.gpus), m.sku or fmt.UNKNOWN, m.interconnect or fmt.UNKNOWN,
            m.network or fmt.UNKNOWN,
            fmt.num(m.tflops_per_usd_hour) if m.tflops_per_usd_hour is not None else fmt.UNKNOWN]
           for m in p.machines]
    headers = ["machine", "provider", "instance", "region", "$/h", "GPUs", "SKU", "interconnect",
               "network", "TFLOP/s per $/h"]
    if per_row is not None:
        headers.append("$/Mtok basis (X)" if shared else "$/Mtok basis")
        for row, x in zip(out, per_row):
            row.append(x)
    same_instance = all(m.instance_type in ("", m.machine) for m in p.machines)
    if same_instance:  # each machine is named by its instance type: say it once
        headers.pop(2)
        for row in out:
            row.pop(2)
    priced = any(m.usd_per_hour is not None for m in p.machines)
    note = (("Prices from the prices file (per instance hour); " if priced else
             "No prices were given (--prices FILE): no $/h or cost figures; ") +
            "interconnect and network from the instance catalog. TFLOP/s per $/h: geometric mean "
            "of the GEMM TFLOP/s over the common cases × GPUs ÷ instance $/h.")
    if same_instance:
        typed = [bool(m.instance_type) for m in p.machines]
        note += (" Each machine is named by its instance type." if all(typed) else
                 " No run names an instance type." if not any(typed) else
                 " Machines are named by their instance type where their runs give one.")
    if shared:
        note += f" $/Mtok basis: {shared}" + (", X as in the column." if per_row is not None else ".")
    return Table("Providers", headers, out, note=note)


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
        label = labels.get(case_id, case_id)
        workload = case_id.split("/")[0]
        case = label if label == case_id or label.startswith(workload) else f"{workload} {label}"
        out.append([sku, str(len(s["runs"])), str(len({c for c, _, _ in s["points"]})),
                    f"{fmt.ratio(min(ratios))} – {fmt.ratio(max(ratios))}",
                    f"{fmt.pct(worst)} ({case})"])
    return Table("Run-to-run spread per SKU", ["SKU", "runs", "cases", "run / SKU median",
                                               "widest spread (max/min − 1)"], out)
