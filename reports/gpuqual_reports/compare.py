"""Multi-run display arithmetic: per-machine figures per case, normalised for the heat map and the
side-by-side table, and the run-to-run spread per SKU. The figures a buyer decides on (scores with
intervals, perf per dollar, $/Mtok, the ranking) are made in C++ and read by procurement.py;
nothing here ranks or judges (DESIGN.md §1).

A "machine" is Run.machine (label "machine", else instance type, else hostname). Its figure for
a case is the primary metric's median, combined over its GPUs and runs by table.combine.
Scores are oriented so that higher is better: value/reference for higher-is-better metrics,
reference/value otherwise.
"""

import statistics
from dataclasses import dataclass, field

from . import table


@dataclass
class Cell:
    """One case on one machine: the combined (median, lo, hi) of its primary metric."""

    machine: str
    case_id: str
    workload: str
    metric: str
    unit: str
    higher_is_better: bool
    point: tuple
    setup: tuple = ()  # what must match for two cells to compare: (metric, collective bus factor)


@dataclass
class Comparison:
    """Per-case scores against `reference` ("best"|"baseline"), for display."""

    machines: list
    case_ids: list  # every case measured on at least one machine, in first-seen order
    cells: dict  # (machine, case_id) -> Cell
    reference: str
    scores: dict = field(default_factory=dict)  # (machine, case_id) -> score (1.0 = reference)


def _setup(r):
    """(primary metric, bus factor): a collective's factor follows its rank count (0 on one rank),
    and runs at other counts do not compare (harness/case_figure.h RankSetupMismatch)."""
    return (r.primary, round(float((r.work or {}).get("busbw_factor") or 0), 9))


def machine_cells(rows):
    """{(machine, case_id): Cell} over measured rows, combining GPUs and runs."""
    out = {}
    for (machine, case_id), rs in table.group(table.measured(rows),
                                               lambda r: (r.run.machine, r.case_id)).items():
        r0 = rs[0]
        point = table.combine(table.primary_point(r) for r in rs)
        out[(machine, case_id)] = Cell(machine, case_id, r0.workload, r0.primary, r0.unit,
                                       r0.higher_is_better, point, _setup(r0))
    return out


def oriented_ratio(value, reference, higher_is_better):
    """value/reference (or reference/value when lower is better); None for non-positive input."""
    if value is None or reference is None or value <= 0 or reference <= 0:
        return None
    return value / reference if higher_is_better else reference / value


def compare(rows, baseline=None):
    """Scores every (machine, case) against the best machine or the baseline (Baseline object).
    A cell is scored only against a reference in its own metric: a collective on one GPU has the
    figure algbw (a copy), on several busbw, and the two do not compare (C++ leaves such a case
    out of the ranking, harness/case_figure.h RankSetupMismatch); without a baseline, a case whose
    machines measured it in different metrics or at other rank counts gets no scores at all."""
    cells = machine_cells(rows)
    machines = list(dict.fromkeys(r.run.machine for r in rows))
    case_ids = list(dict.fromkeys(c for (_, c) in cells))
    comp = Comparison(machines, case_ids, cells, "baseline" if baseline else "best")
    for case_id in case_ids:
        here = [cells[(m, case_id)] for m in machines if (m, case_id) in cells]
        if baseline is not None:
            ref = baseline.cases.get(case_id)
            if ref is None:
                continue
            here = [c for c in here if c.metric == ref.metric]
            ref_value = ref.median
        elif len({c.setup for c in here}) > 1:
            continue
        else:
            values = [c.point[0] for c in here]
            ref_value = max(values) if here[0].higher_is_better else min(values)
        for c in here:
            comp.scores[(c.machine, case_id)] = oriented_ratio(c.point[0], ref_value,
                                                              c.higher_is_better)
    return comp


def run_spread(rows):
    """Run-to-run spread per SKU, over SKUs with at least two runs.

    Returns {sku: {"runs": [labels], "points": [(case_id, run_label, value / median over the
    SKU's runs)], "worst": (case_id, max/min - 1)}}; each run's value is its primary median
    combined over its GPUs."""
    out = {}
    by_sku = table.group(table.measured(rows), lambda r: r.run.sku)
    for sku, srows in by_sku.items():
        runs = list(dict.fromkeys(r.run.label for r in srows))
        if len(runs) < 2:
            continue
        points, worst = [], None
        for case_id, crows in table.group(srows, lambda r: r.case_id).items():
            if len({_setup(r) for r in crows}) > 1:  # runs at other rank counts: no spread of one setup
                continue
            per_run = {label: table.combine(table.primary_point(r) for r in rs)[0]
                       for label, rs in table.group(crows, lambda r: r.run.label).items()}
            if len(per_run) < 2 or min(per_run.values()) <= 0:
                continue
            mid = statistics.median(per_run.values())
            points += [(case_id, label, v / mid) for label, v in per_run.items()]
            spread = max(per_run.values()) / min(per_run.values()) - 1
            if worst is None or spread > worst[1]:
                worst = (case_id, spread)
        if points:
            out[sku] = {"runs": runs, "points": points, "worst": worst}
    return out
