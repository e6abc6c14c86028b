"""Cost figures per machine from a prices file: perf per dollar and dollars per million tokens.

Prices are per instance hour. Figures in results files are per GPU (each GPU runs the case), so
an instance's rate is the per-GPU rate × its GPU count, and rate per $/h is
    per-GPU rate × GPUs / instance $/h  ==  per-GPU rate / (instance $/h / GPUs).
The per-GPU price (instance $/h ÷ GPUs) is shown next to the instance price. e2e throughput uses
output tokens/s per GPU (table.per_gpu_tok_s), scaled to the instance the same way, and
    $/Mtok = instance $/h / (instance tok/s · 3600) · 1e6           (compare.usd_per_mtok).
Nothing here judges a machine; the numbers are for people to compare.
"""

from dataclasses import dataclass, field

from . import compare, prices, table


@dataclass
class MachineCost:
    """Cost figures of one machine. `tflops_per_usd_hour` and `usd_per_mtok` are by case id."""

    machine: str
    price: prices.Price
    gpus: int
    usd_per_gpu_hour: float
    tflops_per_usd_hour: dict = field(default_factory=dict)
    usd_per_mtok: dict = field(default_factory=dict)
    score_per_usd: float = None  # geometric-mean score / instance $/h
    relative_score_per_usd: float = None  # score_per_usd / best machine's (1.0 = best)


def _machine_prices(runs, price_list):
    """{machine: (Price, gpus)} for machines whose first matched run has a price."""
    out = {}
    for run in runs:
        if run.machine in out:
            continue
        p = prices.match_price(run, price_list)
        if p is not None:
            out[run.machine] = (p, prices.gpu_count(run, p))
    return out


def machine_costs(runs, rows, comparison, price_list):
    """{machine: MachineCost} for every machine with a price; empty without prices."""
    if not price_list:
        return {}
    out = {}
    matched = _machine_prices(runs, price_list)
    measured = table.measured(rows)
    for machine, (price, gpus) in matched.items():
        cost = MachineCost(machine, price, gpus, price.usd_per_hour / gpus)
        mrows = [r for r in measured if r.run.machine == machine]
        for case_id, crows in table.group(mrows, lambda r: r.case_id).items():
            tf = table.combine(_tflops(r) for r in crows)
            if tf is not None:
                cost.tflops_per_usd_hour[case_id] = compare.tflops_per_usd_hour(
                    tf[0] * gpus, price.usd_per_hour)
            if crows[0].workload == "e2e":
                tok = table.combine(table.per_gpu_tok_s(r) for r in crows)
                if tok is not None:
                    cost.usd_per_mtok[case_id] = compare.usd_per_mtok(price.usd_per_hour,
                                                                      tok[0] * gpus)
        score = comparison.geomean.get(machine) if comparison else None
        if score is not None:
            cost.score_per_usd = score / price.usd_per_hour * gpus
        out[machine] = cost
    best = max((c.score_per_usd for c in out.values() if c.score_per_usd), default=None)
    for c in out.values():
        if best and c.score_per_usd:
            c.relative_score_per_usd = c.score_per_usd / best
    return out


def _tflops(row):
    """The row's TFLOP/s point when its primary metric is tflops, else None."""
    return table.primary_point(row) if row.primary == "tflops" else None


def best_gemm(cost, rows):
    """(case_id, TFLOP/s per $/h) of the machine's best gemm case, or None."""
    gemm_ids = {r.case_id for r in rows if r.workload == "gemm" and r.run.machine == cost.machine}
    items = [(c, v) for c, v in cost.tflops_per_usd_hour.items() if c in gemm_ids and v]
    return max(items, key=lambda kv: kv[1]) if items else None


def cheapest_tokens(cost):
    """(case_id, $/Mtok) of the machine's cheapest e2e case, or None."""
    items = [(c, v) for c, v in cost.usd_per_mtok.items() if v]
    return min(items, key=lambda kv: kv[1]) if items else None
