"""The hand-made fixtures hold only what the current tool writes: every case's workload, axes (in
declaration order), values, id and metrics as `gpuqual list --json` defines them, and only the
fields a results file written by `gpuqual run` has. When the tool changes, this fails until
make_fixtures.py (the documented transformation) is brought along."""

import json
import subprocess

import pytest
from conftest import FOUR_CLOUDS, binary, fixture

from gpuqual_reports.case_id import canonical_case_id

# Appended by the runner when GPU telemetry was sampled (harness/measure/telemetry.h).
ENERGY_METRICS = {"joules_per_tflop", "joules_per_token"}


@pytest.fixture(scope="module")
def tool():
    """`gpuqual list --json` as {workload: {"axes": [...], "metrics": {name: spec}}}."""
    proc = subprocess.run([binary(), "list", "--json"], capture_output=True, text=True, timeout=60, check=True)
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "gpuqual.list/1"
    return {w["name"]: {"axes": w["axes"], "metrics": {m["name"]: m for m in w["metrics"]}} for w in doc["workloads"]}


def _text(value):
    return str(value).lower() if isinstance(value, bool) else str(value)


def _cases(name):
    with open(fixture(name), encoding="utf-8") as f:
        return json.load(f)["cases"]


@pytest.mark.parametrize("name", FOUR_CLOUDS + ["baseline_h100.json"])
def test_fixture_cases_are_cases_the_tool_defines(name, tool):
    for case in _cases(name):
        w = tool.get(case["workload"])
        assert w is not None, f"{name}: {case['id']}: workload {case['workload']!r} does not exist"
        axes = [a["name"] for a in w["axes"]]
        assert list(case["params"]) == axes, f"{name}: {case['id']}: params {list(case['params'])} != axes {axes}"
        for a in w["axes"]:
            value = _text(case["params"][a["name"]])
            assert not a["choices"] or value in a["choices"], f"{name}: {case['id']}: {a['name']}={value}"
        built = canonical_case_id(case["workload"] + "".join(f"/{k}={_text(v)}" for k, v in case["params"].items()))
        assert case["id"] == built, f"{name}: id {case['id']!r} is not what the tool writes ({built!r})"
        extra = set(case["metrics"]) - set(w["metrics"]) - ENERGY_METRICS
        assert not extra, f"{name}: {case['id']}: metrics the workload does not declare: {extra}"
        if case["metrics"]:
            assert case["primary_metric"] == next(m for m, s in w["metrics"].items() if s["primary"])


@pytest.mark.parametrize("name", FOUR_CLOUDS)
def test_fixture_fields_are_fields_the_tool_writes(name, cpu_results):
    with open(cpu_results, encoding="utf-8") as f:
        real = json.load(f)
    with open(fixture(name), encoding="utf-8") as f:
        doc = json.load(f)
    # verdict and health come from `gpuqual qualify` and health snapshots, not from a cpu run.
    assert set(doc) - {"verdict", "health"} <= set(real), f"{name}: top-level {set(doc) - set(real)}"
    assert set(doc["run"]) <= set(real["run"]), f"{name}: run.{set(doc['run']) - set(real['run'])}"
    case_keys = set().union(*(c.keys() for c in real["cases"]))
    for case in doc["cases"]:
        extra = set(case) - case_keys - {"telemetry", "roofline"}  # GPU-only fields
        assert not extra, f"{name}: {case['id']}: fields the tool does not write: {extra}"
