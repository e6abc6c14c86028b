"""Display arithmetic (per-case normalisation, spread) and the procurement figures as the report
reads them from `gpuqual rank --json` (computed in C++; the report computes none)."""

import math

import pytest
from conftest import fixture

from gpuqual_reports import compare, table
from gpuqual_reports.load import load_all


def test_orientation():
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
    # The A100 skipped fp8 GEMMs, a causal 16k attention case and batch 256, but it failed
    # qualification: the common cases are those of the qualifying machines, and it is set apart.
    p = rep.procurement
    assert len(p.common_cases) == len({c for c in comp.case_ids if comp.scores.get(("p5.48xlarge", c))})
    a100 = p.machine("a2-ultragpu-8g")
    assert 0.3 < a100.score.value < 0.7
    assert p.ranked("a2-ultragpu-8g") is None
    assert p.set_apart[0].startswith("a2-ultragpu-8g: qualification FAIL: ecc_uncorrected")
    assert set(p.machine("p5.48xlarge").workload_scores) == {"gemm", "attention", "allreduce", "reduce_scatter",
                                                             "membw", "e2e"}


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
    assert rep.procurement.machine("p5.48xlarge").score.value == pytest.approx(1 / 0.98, rel=0.01)
    assert rep.procurement.reference == "baseline h100-sxm-80gb reference (fixture)"


def test_costs_per_machine_are_read_not_computed(multi_report):
    rep, _ = multi_report
    p = rep.procurement
    aws = p.machine("p5.48xlarge")
    assert aws.usd_per_hour == 98.32 and aws.gpus == 8 and aws.runs == 2
    assert aws.perf_per_usd_hour.value == pytest.approx(aws.score.value * 8 / 98.32)
    # $/Mtok of the named scenario (Llama-3-8B offline, batch 64, 1024/128): the fixtures ran it on
    # cuda:0 only, so the figure is scaled to the 8 GPUs and the note says so.
    assert p.scenario == "Llama-3-8B offline, batch 64, 1024 in / 128 out, tp 1"
    e2e = [r for r in rep.rows if r.workload == "e2e" and r.run.machine == "p5.48xlarge" and r.params["batch"] == 64]
    tok = sum(r.median for r in e2e) / len(e2e)
    assert aws.usd_per_mtok == pytest.approx(98.32 / (tok * 8 * 3600) * 1e6, rel=0.02)
    assert "measured on 1 of 8 replicas, scaled to all" in aws.usd_per_mtok_note


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


def test_a_collective_in_other_metrics_is_not_scored():
    """One machine's allreduce on one GPU (figure algbw: a copy) and the others' on eight (busbw)
    do not compare: without a baseline the case gets no scores; against a busbw baseline only the
    busbw cells are scored (C++ leaves such a case out of the ranking the same way)."""
    import dataclasses

    from gpuqual_reports.baseline import Baseline, Reference
    rows = table.tidy(load_all([fixture(f) for f in ("aws_p5_run1.json", "azure_nd_h100_v5.json")]))
    one_gpu = "Standard_ND96isr_H100_v5"
    rows = [dataclasses.replace(r, primary="algbw") if r.workload == "allreduce" and r.run.machine == one_gpu else r
            for r in rows]
    ids = {r.case_id for r in rows if r.workload == "allreduce" and r.measured}
    assert ids
    comp = compare.compare(rows)
    assert not any(comp.scores.get((m, c)) for m in comp.machines for c in ids)
    assert any(comp.scores.get((m, c)) for m in comp.machines for c in comp.case_ids if c not in ids)
    refs = {c: Reference(median=100.0, metric="busbw", unit="GB/s") for c in ids}
    comp = compare.compare(rows, Baseline(name="b", cases=refs))
    assert all(comp.scores.get((one_gpu, c)) is None for c in ids)
    assert all(comp.scores.get(("p5.48xlarge", c)) is not None for c in ids)


def test_a_collective_at_another_rank_count_is_not_scored_nor_spread():
    """busbw on 2 ranks against busbw on 8 (bus factors 1.0 and 1.75) is no comparison, and two
    runs of one SKU at those counts have no run-to-run spread of one setup."""
    import dataclasses
    rows = table.tidy(load_all([fixture(f) for f in ("aws_p5_run1.json", "aws_p5_run2.json", "azure_nd_h100_v5.json")]))
    other = "Standard_ND96isr_H100_v5"
    assert all((r.work or {}).get("busbw_factor") for r in rows if r.workload == "allreduce")
    rows = [dataclasses.replace(r, work=dict(r.work, busbw_factor=1.0))
            if r.workload == "allreduce" and (r.run.machine == other or r.run.label.endswith("2")) else r
            for r in rows]
    ids = {r.case_id for r in rows if r.workload == "allreduce" and r.measured}
    comp = compare.compare(rows)
    assert not any(comp.scores.get((m, c)) for m in comp.machines for c in ids)
    spread = compare.run_spread(rows)
    assert not any(c in ids for s in spread.values() for c, _, _ in s["points"])
