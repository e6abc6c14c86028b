"""data.csv: one row per case of every run (measured or not), for spreadsheets and scripts.

Columns: run and machine facts, case identity and status with reason, the primary metric's
summary, work counts, roofline, verification, the per-case display score, the machine's instance
price and its procurement figures (made in C++, the same for every row of a machine), then param_<axis> for every axis and <metric>_median for every metric seen.
Empty cells mean "not applicable / unknown".
"""

import csv
import io

from . import outfile

_FIXED = ("run", "run_id", "file", "machine", "sku", "gpus", "provider", "instance_type",
          "hostname", "case_id", "workload", "device", "status", "reason", "primary_metric",
          "unit", "median", "ci95_low", "ci95_high", "cv", "n", "flops", "bytes", "tokens",
          "roofline_bound", "roofline_peak", "roofline_efficiency", "verification_passed",
          "max_rel_err", "score", "score_reference", "machine_usd_per_hour", "machine_score",
          "machine_perf_per_usd_hour", "machine_usd_per_mtok", "wall_time_s")


def _blank(x):
    return "" if x is None else x


def _fixed(report, r):
    pm = r.metrics.get(r.primary) or {}
    rf = r.roofline or {}
    ver = r.verification or {}
    comp = report.comparison
    score = comp.scores.get((r.run.machine, r.case_id)) if comp and r.measured else None
    m = report.procurement.machine(r.run.machine) if report.procurement else None
    return {
        "run": r.run.label, "run_id": r.run.run_id, "file": r.run.path, "machine": r.run.machine,
        "sku": r.run.sku, "gpus": r.run.gpus, "provider": r.run.provider,
        "instance_type": r.run.instance_type, "hostname": r.run.hostname,
        "case_id": r.case_id, "workload": r.workload, "device": r.device, "status": r.status,
        "reason": r.reason, "primary_metric": r.primary, "unit": r.unit,
        "median": _blank(r.median), "ci95_low": _blank(r.ci_low), "ci95_high": _blank(r.ci_high),
        "cv": _blank(pm.get("cv")), "n": _blank(pm.get("n")),
        "flops": _blank(r.work.get("flops")), "bytes": _blank(r.work.get("bytes")),
        "tokens": _blank(r.work.get("tokens")),
        "roofline_bound": rf.get("bound", ""), "roofline_peak": _blank(rf.get("peak")),
        "roofline_efficiency": _blank(rf.get("efficiency")),
        "verification_passed": _blank(ver.get("passed")), "max_rel_err": _blank(ver.get("max_rel_err")),
        "score": _blank(score), "score_reference": comp.reference if score is not None else "",
        "machine_usd_per_hour": _blank(m.usd_per_hour) if m else "",
        "machine_score": _blank(m.score.value) if m and m.score else "",
        "machine_perf_per_usd_hour": _blank(m.perf_per_usd_hour.value) if m and m.perf_per_usd_hour else "",
        "machine_usd_per_mtok": _blank(m.usd_per_mtok) if m else "",
        "wall_time_s": r.wall_time_s,
    }


def write(report, path, _out_dir=None):
    """Writes data.csv for every row of the report to `path`."""
    params = list(dict.fromkeys(k for r in report.rows for k in r.params))
    metrics = list(dict.fromkeys(k for r in report.rows for k in r.metrics))
    header = list(_FIXED) + [f"param_{p}" for p in params] + [f"{m}_median" for m in metrics]
    text = io.StringIO()
    w = csv.writer(text)
    w.writerow(header)
    for r in report.rows:
        fixed = _fixed(report, r)
        w.writerow([fixed[k] for k in _FIXED]
                   + [_blank(r.params.get(p)) for p in params]
                   + [_blank((r.metrics.get(m) or {}).get("median")) for m in metrics])
    outfile.write_text(path, text.getvalue())
