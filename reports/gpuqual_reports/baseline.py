"""Reference figures for normalisation (--baseline FILE).

Accepted files:
- a baseline, schema gpuqual.baseline/1 (made by `gpuqual baseline create`), checked against
  schemas/baseline.schema.json and what the C++ reader checks beyond it (unique case ids, the
  primary metric among the metrics, fail_below <= warn_below); only cases[].id,
  cases[].primary_metric and cases[].metrics[primary].median (with its unit and
  higher_is_better) are used, for the cases whose median is > 0;
- a results file, schema gpuqual.results/1: its ok and noisy cases' primary medians (the median
  over devices when a case ran on several GPUs).

Each machine's figure for a case is divided by the baseline median of the same case id.
"""

import statistics
from dataclasses import dataclass

from . import schema, validate
from .case_id import canonical_case_id
from .errors import ReportInputError
from .fields import Fields, read_json
from .load import load_results


@dataclass(frozen=True)
class Reference:
    """The baseline figure of one case."""

    median: float
    metric: str
    unit: str = ""
    higher_is_better: bool = True


@dataclass
class Baseline:
    """Reference figures by case id, and a name for tables and captions."""

    name: str
    cases: dict


def _check_threshold(qualify, key, t):
    if not t["fail_below"] <= t["warn_below"]:
        qualify.fail(key, "needs 0 < fail_below <= warn_below <= 1.5")


def _from_baseline_doc(root):
    validate.check(root.value, "baseline", root.origin)
    qualify = root.obj("qualify")
    _check_threshold(qualify, "default", qualify.value["default"])
    for name, t in qualify.value["workloads"].items():
        _check_threshold(qualify, f"workloads.{validate.shown(name)}", t)
    cases = {}
    for c in root.objs("cases"):
        case_id = canonical_case_id(c.value["id"])  # older files spell automatic axes out
        primary = c.value["primary_metric"]
        if case_id in cases:
            c.fail("id", f"case '{validate.shown(case_id)}' appears twice")
        m = c.value["metrics"].get(primary)
        if m is None:
            c.fail("primary_metric", f"names '{validate.shown(primary)}', which is not in metrics")
        cases[case_id] = Reference(float(m["median"]), primary, m["unit"], m["higher_is_better"])
    # Nothing is normalised by a median of 0 (a single-rank collective's busbw, as the cpu run
    # writes it): such cases are left out, as for a results file.
    return {k: ref for k, ref in cases.items() if ref.median > 0}


def _from_results(path):
    run = load_results(path)
    values = {}
    for c in run.doc["cases"]:
        if c["status"] not in schema.MEASURED_STATUSES:
            continue
        m = c["metrics"][c["primary_metric"]]
        if float(m["median"]) > 0:
            values.setdefault(c["id"], []).append((float(m["median"]), c["primary_metric"],
                                                   m.get("unit", ""), m.get("higher_is_better", True)))
    return {k: Reference(statistics.median(v[0] for v in vs), vs[0][1], vs[0][2], bool(vs[0][3]))
            for k, vs in values.items()}, run


def load_baseline(path):
    """Reads a baseline or results file as a Baseline; raises ReportInputError."""
    root = Fields(read_json(path), path)
    value = root.str("schema", None) or ""
    if value.startswith(schema.SCHEMA_PREFIX):
        cases, run = _from_results(path)
        name = f"{run.machine} (results {run.run_id})"
    elif value == schema.BASELINE_SCHEMA:
        cases = _from_baseline_doc(root)
        name = root.value["name"] or path
    elif value.startswith(schema.BASELINE_SCHEMA_PREFIX):
        root.fail("schema", f"version '{validate.shown(value)}' is not supported by this report "
                            f"(reads {schema.BASELINE_SCHEMA})")
    else:
        root.fail("schema", f"'{validate.shown(value)}' is neither {schema.BASELINE_SCHEMA} "
                            f"nor {schema.SCHEMA}"
                  if value else f"missing (expected {schema.BASELINE_SCHEMA} or {schema.SCHEMA})")
    if not cases:
        raise ReportInputError(f"{path}: the baseline has no usable cases")
    return Baseline(name=name, cases=cases)
