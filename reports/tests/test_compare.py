"""Comparison arithmetic: normalisation, geometric means, spread and price maths."""

import math

import pytest
from conftest import fixture

from gpuqual_reports import compare, table
from gpuqual_reports.load import load_all


def test_price_maths():
    # $98.32 per hour at 1000 tok/s: 3.6 M tokens per hour -> $27.31 per million.
    assert compare.usd_per_mtok(98.32, 1000.0) == pytest.approx(98.32 / 3.6)
    assert compare.usd_per_mtok(98.32, 0) is None
    assert compare.tflops_per_usd_hour(989.4, 98.32) == pytest.approx(10.063, rel=1e-3)


def test_geometric_mean_and_orientation():
    assert compare.geometric_mean([1.0, 4.0]) == pytest.approx(2.0)
    assert compare.geometric_mean([]) is None
    assert compare.oriented_ratio(50, 100, True) == 0.5
    assert compare.oriented_ratio(200, 100, False) == 0.5  # twice the latency: half the score
    assert compare.oriented_ratio(0, 100, True) is None


def test_scores_against_the_best_machine(multi_report):
    rep, _ = multi_report
    comp = rep.comparison
    assert comp.reference == "best"
    assert comp.machines == ["p5.48xlarge", "Standard_ND96isr_H100_v5", "a2-ultragpu-8g"]
    for case_id in comp.case_ids:
        scores = [comp.scores.get((m, case_id)) for m in comp.machines]
        assert max(s for s in scores if s is not None) == pytest.approx(1.0)
    # The A100 skipped fp8 GEMMs, a causal 16k attention case and batch 256: not common.
    assert len(comp.common) < len(comp.case_ids)
    assert 0.3 < comp.geomean["a2-ultragpu-8g"] < 0.7
    per_workload = compare.workload_geomeans(comp)
    assert set(per_workload) == {"gemm", "attention", "allreduce", "reduce_scatter", "membw", "e2e"}


def test_machine_combines_gpus_and_runs(multi_report):
    rep, _ = multi_report
    case_id = "gemm/dtype=bf16/m=8192/n=8192/k=8192/layout=TN/algo=autotune"
    rows = [r for r in rep.rows if r.case_id == case_id and r.run.machine == "p5.48xlarge"]
    assert len(rows) == 4  # two runs x two GPUs
    cell = rep.comparison.cells[("p5.48xlarge", case_id)]
    medians = sorted(r.median for r in rows)
    assert cell.point[0] == pytest.approx((medians[1] + medians[2]) / 2)
    assert cell.point[1] == min(r.ci_low for r in rows)


def test_scores_against_a_baseline(baseline_report):
    rep, _ = baseline_report
    comp = rep.comparison
    assert comp.reference == "baseline"
    # Single-device cases of the run the baseline was made from score 1/0.98.
    attention = [c for c in comp.case_ids if c.startswith("attention/")]
    assert comp.scores[("p5.48xlarge", attention[0])] == pytest.approx(1 / 0.98, rel=1e-4)
    assert comp.geomean["p5.48xlarge"] == pytest.approx(1 / 0.98, rel=0.01)


def test_costs_per_machine(multi_report):
    rep, _ = multi_report
    aws = rep.costs["p5.48xlarge"]
    assert aws.usd_per_gpu_hour == pytest.approx(98.32 / 8)
    e2e = [r for r in rep.rows if r.workload == "e2e" and r.run.machine == "p5.48xlarge"
           and r.params["batch"] == 64]
    tok = table.combine(table.per_gpu_tok_s(r) for r in e2e)[0]
    assert aws.usd_per_mtok[e2e[0].case_id] == pytest.approx(98.32 / (tok * 8 * 3600) * 1e6)
    assert max(c.relative_score_per_usd for c in rep.costs.values()) == pytest.approx(1.0)


def test_run_to_run_spread_per_sku(multi_report):
    rep, _ = multi_report
    spread = rep.spread
    assert list(spread) == ["h100-sxm-80gb"]  # the A100 has one run
    h100 = spread["h100-sxm-80gb"]
    assert h100["runs"] == ["p5.48xlarge #1", "p5.48xlarge #2", "Standard_ND96isr_H100_v5"]
    assert all(0.8 < v < 1.2 for _, _, v in h100["points"])
    assert h100["worst"][1] > 0


def test_single_machine_has_no_comparison():
    runs = load_all([fixture("gcp_a2_ultragpu.json")])
    rows = table.tidy(runs)
    assert runs[0].label == "a2-ultragpu-8g"
    assert not math.isnan(table.measured(rows)[0].median)
    assert {r.status for r in table.not_measured(rows)} == {"skipped", "failed"}
