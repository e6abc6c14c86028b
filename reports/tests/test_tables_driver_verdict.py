"""Tables say what the C++ wrote, in its meaning: the NVIDIA driver release (NVML, in health), not
the CUDA driver API version that system.devices[].driver holds; a cost C++ could not make (0 with
a note) and a check judged in words (value = threshold = 0, no unit) are not shown as numbers."""

import copy
from types import SimpleNamespace

from conftest import fixture

from gpuqual_reports import compare_tables, summaries, table
from gpuqual_reports.load import load_results


def _run(change):
    """aws_p5_run1 as C++ writes it on GPUs (system.devices[].driver is the CUDA driver API
    version, health holds NVML's driver release), altered by change(doc)."""
    run = load_results(fixture("aws_p5_run1.json"))
    run.doc = copy.deepcopy(run.doc)
    for d in run.doc["system"]["devices"]:
        d["driver"] = "12.8"
    for when in ("before", "after"):
        for d in run.doc["health"][when]["devices"]:
            d["driver_version"] = "570.124.06"
    change(run.doc)
    rows = table.tidy([run])
    return run, SimpleNamespace(runs=[run], rows=rows)


def _cell(tab, header, row=0):
    return tab.rows[row][tab.headers.index(header)]


def _kv(tab):
    return dict((k, v) for k, v in tab.rows)


def test_driver_is_the_nvidia_release_else_the_cuda_driver_api_labelled():
    run, report = _run(lambda doc: None)
    assert _cell(compare_tables.runs_table(report), "driver") == "570.124.06"
    facts = _kv(summaries.machine_table(run))
    assert facts["NVIDIA driver"] == "570.124.06"
    assert facts["CUDA driver API / runtime"].startswith("12.8 / ")

    run, report = _run(lambda doc: doc.pop("health"))
    assert _cell(compare_tables.runs_table(report), "driver") == "CUDA driver API 12.8"
    assert _kv(summaries.machine_table(run))["NVIDIA driver"].startswith("–")


def _with_verdict(doc):
    doc["verdict"] = {
        "overall": "PASS", "baseline": "cpu-test", "evaluated_at": "2025-03-01T10:42:00Z",
        "cost": {"price_per_hour_usd": 3.5, "tflops_per_usd_hour": 0.0277, "usd_per_mtok": 0.0,
                 "scenario": "Llama-3-8B offline, batch 64, 1024 in / 128 out, tp 1",
                 "usd_per_mtok_note": "no Llama-3-8B offline case in its runs"},
        "checks": [
            {"name": "run complete", "kind": "run", "status": "PASS", "value": 0.0, "threshold": 0.0,
             "unit": "", "reason": "the run finished (6 case(s) finished, 6 measured)"},
            {"name": "ecc_uncorrected", "kind": "health", "status": "PASS", "value": 0, "threshold": 0,
             "unit": "errors", "reason": "no uncorrected ECC errors"}]}


def test_verdict_without_a_token_cost_or_figures_shows_none():
    run, _ = _run(_with_verdict)
    run.verdict = run.doc["verdict"]
    summary, checks = summaries.verdict_tables(run)
    mtok = _kv(summary)["$ per 1M tokens"]
    assert "$0" not in mtok and mtok == "– (no Llama-3-8B offline case in its runs)"
    assert _kv(summary)["TFLOP/s per $/h"] == "0.0277"
    complete = [_cell(checks, h, 0) for h in ("value", "threshold", "unit")]
    assert complete == ["–", "–", ""]
    ecc = [_cell(checks, h, 1) for h in ("value", "threshold", "unit")]
    assert ecc == ["0", "0", "errors"]  # a count of 0 with its unit is a figure


def test_an_interval_without_spread_is_shown_as_rank_shows_it():
    """A figure whose interval is one point (one value per case: no spread known) reads
    "value (no spread)", as `gpuqual rank` prints it, never "[x, x]"."""
    from gpuqual_reports import fmt
    assert fmt.interval(0.898, 0.898, 0.898, fixed=3) == "0.898 (no spread)"
    assert fmt.interval(0.898, 0.89, 0.91, fixed=3) == "0.898 [0.890, 0.910]"
    assert fmt.interval(0.0806, 0.0803, 0.0809) == "0.0806 [0.0803, 0.0809]"
