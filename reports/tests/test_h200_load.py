"""The real H200 files (tests/fixtures/h200: what `gpuqual run` wrote on one GPU, and the baseline
`gpuqual baseline create` made of quick-1..3) pass the checks the other inputs pass: each
satisfies its schema and loads through the report's loader (test_schemas' check, test_load's
loaders), and reads as the run it was: one H200 named by its host, no verdict, every case
measured on cuda:0."""

import json

import pytest
from conftest import H200_BASELINE, H200_FILES, H200_QUICK, fixture
from test_schemas import _schema_problem

from gpuqual_reports import schema
from gpuqual_reports.baseline import load_baseline
from gpuqual_reports.load import load_results


def _doc(name):
    with open(fixture(name), encoding="utf-8") as f:
        return json.load(f)


@pytest.mark.parametrize("name", H200_FILES)
def test_h200_results_satisfy_the_schema_and_load(name):
    path = fixture(name)
    assert _schema_problem(path, "results") is None
    run = load_results(path)
    assert (run.gpus, run.sku, run.machine, run.provider) == (1, "h200-sxm-141gb", "vm", "unknown")
    assert run.verdict is None  # `gpuqual run` alone: no qualify
    doc = run.doc
    assert doc["run"]["complete"] and not doc["run"]["interrupted"]
    assert doc["run"]["suite"] == ("anchors" if "anchors" in name else "quick")
    assert len(doc["cases"]) == (9 if "anchors" in name else 35)
    assert {c["device"] for c in doc["cases"]} == {"cuda:0"}
    assert {c["status"] for c in doc["cases"]} <= set(schema.MEASURED_STATUSES)


def test_h200_baseline_satisfies_its_schema_and_holds_every_quick_case():
    assert _schema_problem(H200_BASELINE, "baseline") is None
    base = load_baseline(H200_BASELINE)
    assert base.name == "h200-sxm-141gb"
    quick = {c["id"]: c for c in _doc(H200_QUICK[0])["cases"]}
    assert set(base.cases) == set(quick)
    # A one-rank collective's reference is algbw, the metric its cases are shown by.
    for case_id, ref in base.cases.items():
        assert ref.metric == quick[case_id]["primary_metric"] and ref.median > 0, case_id
    assert {base.cases[c].metric for c in base.cases if c.startswith("allreduce/")} == {"algbw"}
