"""The tidy table: one CaseRow per (run, case) of every loaded results file.

Figures, comparisons and writers read only this table (and Run records for machine facts).
Helpers here select rows, find the parameters that vary, and combine several rows of the same
case (several GPUs of a machine, several runs of an instance type) into one point.
"""

import statistics
from dataclasses import dataclass

from . import schema
from .case_id import AUTOMATIC_AXES


@dataclass
class CaseRow:
    """One case of one run. median/ci_* are the primary metric's; None when not measured."""

    run: object  # load.Run
    case_id: str
    workload: str
    family: str
    device: str
    status: str
    reason: str
    params: dict
    primary: str
    unit: str
    higher_is_better: bool
    median: float
    ci_low: float
    ci_high: float
    metrics: dict
    work: dict
    roofline: dict
    verification: dict
    telemetry: dict
    wall_time_s: float

    @property
    def measured(self):
        """True for ok and noisy cases: the ones that are drawn."""
        return self.status in schema.MEASURED_STATUSES and self.median is not None

    def metric(self, name):
        """(median, ci95_low, ci95_high) of metric `name`, or None when absent.

        A missing CI bound falls back to the median (no error bar)."""
        m = self.metrics.get(name)
        if not m or m.get("median") is None:
            return None
        med = float(m["median"])
        lo = m.get("ci95_low")
        hi = m.get("ci95_high")
        return med, float(lo if lo is not None else med), float(hi if hi is not None else med)

    def unit_of(self, name):
        """The unit string of metric `name` ("" when unknown)."""
        return (self.metrics.get(name) or {}).get("unit", "")


def assign_labels(runs):
    """Gives each run a unique display label: its machine, numbered when several share it."""
    counts = {}
    for r in runs:
        counts[r.machine] = counts.get(r.machine, 0) + 1
    seen = {}
    for r in runs:
        seen[r.machine] = seen.get(r.machine, 0) + 1
        r.label = r.machine if counts[r.machine] == 1 else f"{r.machine} #{seen[r.machine]}"


def _figure_metric(case, metrics):
    """The metric a case is shown by, as harness/case_figure.h rules: its primary metric, but
    algbw for a collective on one rank (busbw with a bus factor of 0, undefined there) in files
    written before the runner named algbw the primary metric of such cases."""
    primary = case.get("primary_metric") or ""
    factor = (case.get("work") or {}).get("busbw_factor") or 0
    return "algbw" if primary == "busbw" and factor == 0 and "algbw" in metrics else primary


def _row(run, case):
    metrics = case.get("metrics") or {}
    primary = _figure_metric(case, metrics)
    pm = metrics.get(primary) or {}
    med = pm.get("median")
    return CaseRow(
        run=run,
        case_id=case["id"],
        workload=case["workload"],
        family=schema.family_of(case["workload"]),
        device=case.get("device") or "",
        status=case["status"],
        reason=case.get("reason") or "",
        params=dict(case.get("params") or {}),
        primary=primary,
        unit=pm.get("unit", ""),
        higher_is_better=bool(pm.get("higher_is_better", True)),
        median=None if med is None else float(med),
        ci_low=float(pm.get("ci95_low", med)) if med is not None else None,
        ci_high=float(pm.get("ci95_high", med)) if med is not None else None,
        metrics=metrics,
        work=case.get("work") or {},
        roofline=case.get("roofline"),
        verification=case.get("verification"),
        telemetry=case.get("telemetry"),
        wall_time_s=float(case.get("wall_time_s") or 0.0),
    )


def tidy(runs):
    """Every case of every run as CaseRows, in file order. Labels runs first."""
    assign_labels(runs)
    return [_row(run, case) for run in runs for case in run.doc["cases"]]


def measured(rows, family=None, workload=None):
    """The drawable rows (ok, noisy), optionally of one family or workload."""
    return [r for r in rows if r.measured and (family is None or r.family == family)
            and (workload is None or r.workload == workload)]


# membw ops over a link (workloads/membw/membw_problem.h), for files written before C++ recorded
# work.bandwidth_domain: host<->device copies are bounded by PCIe, GPU->GPU copies by a peer path.
_PCIE_OPS, _PEER_OPS = ("h2d", "d2h", "bidir"), ("d2d",)


def bandwidth_domain(row):
    """The path a bandwidth case's bytes are bounded by, as C++ named it (work.bandwidth_domain:
    "device", "pcie", "peer", "interconnect", "network"); for a membw case of an older file, from
    its op; "" when none applies."""
    named = row.work.get("bandwidth_domain")
    if named:
        return named
    if row.workload != "membw":
        return ""
    op = str(row.params.get("op", ""))
    return "pcie" if op.startswith(_PCIE_OPS) else "peer" if op.startswith(_PEER_OPS) else "device"


def not_measured(rows):
    """Rows that are listed with their reason instead of drawn (failed, skipped, invalid)."""
    return [r for r in rows if not r.measured]


def varying_params(rows, exclude=()):
    """Parameter names (in first-seen order) whose values differ between `rows`."""
    names = []
    for r in rows:
        for k in r.params:
            if k not in names and k not in exclude:
                names.append(k)
    return [k for k in names if len({repr(r.params.get(k)) for r in rows}) > 1]


_BYTE_PARAMS = ("size", "bytes")


def _bytes_text(n):
    for unit, div in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if n >= div:
            return f"{n / div:g}{unit}"
    return str(n)


# What an axis at its automatic value (case_id.AUTOMATIC_AXES) stands for, in words.
_AUTOMATIC_MEANING = {"attention": {"kv_heads": "heads", "seq_kv": "seq_q"}}
_PRESET = "preset"  # e2e's shape overrides at 0: the model preset's


def _automatic(params):
    """(workload, {axis: automatic value}) of the one workload whose automatic axes all appear in
    `params` (seq_kv tells attention, layers e2e); (None, {}) when none or several do."""
    found = [w for w, axes in AUTOMATIC_AXES.items() if set(axes) <= set(params)]
    return (found[0], AUTOMATIC_AXES[found[0]]) if len(found) == 1 else (None, {})


def param_text(params, names):
    """Short text for the given params: "head_dim=128 causal" (bools as the name or "no-name",
    byte sizes as 4M/1G, an automatic axis by what it means: kv_heads=heads, seq_kv=seq_q,
    layers=preset)."""
    workload, automatic = _automatic(params)
    parts = []
    for k in names:
        v = params.get(k)
        if k in automatic and str(v) == automatic[k]:
            parts.append(f"{k}={_AUTOMATIC_MEANING.get(workload, {}).get(k, _PRESET)}")
        elif isinstance(v, bool):
            parts.append(k if v else f"no-{k}")
        elif isinstance(v, int) and k in _BYTE_PARAMS:
            parts.append(f"{k}={_bytes_text(v)}")
        elif v is not None:
            parts.append(f"{k}={v}")
    return " ".join(parts)


def distinct_params(rows, names):
    """`names` without those that always equal an earlier one in `rows` (seq_kv == seq_q)."""
    kept = []
    for k in names:
        if not any(all(r.params.get(k) == r.params.get(j) for r in rows) for j in kept):
            kept.append(k)
    return kept


def group(rows, key):
    """Groups rows by key(row) keeping first-seen order: dict key -> list of rows."""
    out = {}
    for r in rows:
        out.setdefault(key(r), []).append(r)
    return out


def combine(points):
    """Combines (median, lo, hi) points of one case into one: a single point is itself; several
    (GPUs or runs) give the median of the medians with the lowest and highest CI bound."""
    points = [p for p in points if p is not None]
    if not points:
        return None
    if len(points) == 1:
        return points[0]
    return (statistics.median(p[0] for p in points), min(p[1] for p in points),
            max(p[2] for p in points))


def primary_point(row):
    """(median, ci95_low, ci95_high) of the row's primary metric, or None."""
    if row.median is None:
        return None
    return row.median, row.ci_low, row.ci_high


def per_gpu_tok_s(row):
    """Output tok/s per GPU as (median, lo, hi): the tok_s_per_gpu metric, else output_tok_s
    divided by params.tp (1 when absent). None when neither metric is present."""
    p = row.metric(schema.TOK_S_PER_GPU)
    if p is not None:
        return p
    p = row.metric(schema.OUTPUT_TOK_S)
    tp = row.params.get("tp")
    tp = tp if isinstance(tp, int) and tp > 0 else 1
    return None if p is None else tuple(v / tp for v in p)
