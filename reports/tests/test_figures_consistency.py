"""Figures agree with each other and say what they draw: one colour per machine in every figure,
machines the ranking set apart greyed and hatched, failures marked apart from skipped cases,
byte axes ticked at the measured sizes, one score vocabulary, honest labels (memory-bound GEMM
efficiency, dtype markers, telemetry time and GPU, e2e setup, PCIe link rate)."""

import copy
import dataclasses

import pytest
from conftest import RUN_FILES, fixture
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer, ErrorbarContainer

from gpuqual_reports import compare, figures_gemm, style, table
from gpuqual_reports.figures_attention import attention_figure
from gpuqual_reports.figures_bandwidth import membw_figure
from gpuqual_reports.figures_compare import cases_figure, spread_figure
from gpuqual_reports.figures_e2e import e2e_figure
from gpuqual_reports.figures_gemm import gemm_figure
from gpuqual_reports.figures_roofline import roofline_figure
from gpuqual_reports.figures_telemetry import telemetry_figure
from gpuqual_reports.load import load_all


@pytest.fixture(scope="module")
def rows():
    """Fresh rows of the four hand-made runs (tests may alter copies of them)."""
    return table.tidy(load_all([fixture(f) for f in RUN_FILES]))


def _spec(rep, name):
    return next(f for f in rep.figures if f.name == name)


def _machine(label):
    """The machine a legend label or tick label names ("m (set apart: FAIL)", "m · dtype=bf16")."""
    return label.split(" (set apart")[0].split(" · ")[0].split(" #")[0]


def _bar_colour(patch):
    """A bar's machine colour: its face, or the hatch (edge) colour of a set-apart bar."""
    return to_hex(patch.get_edgecolor() if patch.get_hatch() else patch.get_facecolor())


def _colours(fig):
    """{machine: {colours}} over the labelled bars and lines of every axis, plus one-bar-per-tick
    axes (whose bars are named by the tick labels)."""
    out = {}
    for ax in fig.axes:
        for c in ax.containers:
            if isinstance(c, BarContainer) and not c.get_label().startswith("_"):
                out.setdefault(_machine(c.get_label()), set()).update(_bar_colour(p) for p in c.patches)
            if isinstance(c, ErrorbarContainer) and not c.get_label().startswith("_"):
                out.setdefault(_machine(c.get_label()), set()).add(to_hex(c.lines[0].get_color()))
        for line in ax.get_lines():
            if not line.get_label().startswith("_"):
                out.setdefault(_machine(line.get_label()), set()).add(to_hex(line.get_color()))
        ticks = [t.get_text() for t in ax.get_xticklabels()]
        if not any(c.get_label() and not c.get_label().startswith("_") for c in ax.containers) \
                and len(ax.patches) == len(ticks) and ticks:
            for t, p in zip(ticks, ax.patches):
                out.setdefault(_machine(t), set()).add(_bar_colour(p))
    return out


def test_one_machine_one_colour_in_every_figure(multi_report):
    rep, _ = multi_report
    expected = style.machine_colors(r.machine for r in rep.runs)
    machines = set(expected)
    for name in ("compare_scores", "compare_cost_tokens", "gemm", "membw", "collectives", "e2e", "compare_spread"):
        seen = _colours(_spec(rep, name).fig)
        drawn = machines & set(seen)
        assert len(drawn) >= 2, (name, seen)
        for m in drawn:
            assert seen[m] == {expected[m]}, (name, m, seen[m], expected[m])


def test_machine_colours_do_not_depend_on_file_order(rows):
    forward = _colours(gemm_figure(rows).fig)
    backward = _colours(gemm_figure(list(reversed(rows))).fig)
    assert forward == backward


def test_set_apart_machine_is_greyed_hatched_and_last(multi_report):
    rep, _ = multi_report
    apart = [m.machine for m in rep.procurement.machines if rep.procurement.ranked(m.machine) is None]
    assert apart == ["a2-ultragpu-8g"]
    scores = _spec(rep, "compare_scores")
    for ax in scores.fig.axes:
        for c in ax.containers:
            if isinstance(c, BarContainer) and not c.get_label().startswith("_"):
                hatched = {bool(p.get_hatch()) for p in c.patches}
                assert hatched == {_machine(c.get_label()) in apart}, c.get_label()
    cost = _spec(rep, "compare_cost_tokens")
    ax = cost.fig.axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert _machine(ticks[-1]) == "a2-ultragpu-8g" and "set apart" in ticks[-1]
    last = ax.patches[len(ticks) - 1]
    assert last.get_hatch() and to_hex(last.get_facecolor()) == style.SET_APART_FACE
    assert not any(p.get_hatch() for p in ax.patches[:len(ticks) - 1])
    assert "set apart" in cost.caption and "set apart" in scores.caption


def test_byte_axis_ticks_are_the_measured_sizes(rows):
    spec = membw_figure(rows)
    sizes = sorted({r.params["size"] for r in rows if r.workload == "membw"})
    for ax in spec.fig.axes:
        assert list(ax.get_xticks()) == sizes
        spec.fig.canvas.draw()
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert labels[0] == "1 MiB" and labels[-1] == "4 GiB", labels
    assert style.human_bytes(1 << 10) == "1 KiB" and style.human_bytes(512) == "512 B"


def test_membw_titles_are_words_and_a_pcie_rate_is_drawn(rows):
    link = {"bound": "memory", "peak": 63.0, "efficiency": 0.8, "peak_source": "PCIe Gen5 x16"}
    changed = [dataclasses.replace(r, roofline=link) if r.params.get("op") == "h2d_ce" else r
               for r in rows]
    spec = membw_figure(changed)
    titles = [ax.get_title() for ax in spec.fig.axes]
    assert not any("op=" in t for t in titles)
    assert "Host → device, pinned (copy engine)" in titles
    h2d = spec.fig.axes[titles.index("Host → device, pinned (copy engine)")]
    assert any("PCIe Gen5 x16: 63 GB/s" in t.get_text() for t in h2d.texts)
    assert "No link rate" in membw_figure(rows).caption  # the fixtures carry none: said, not drawn


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_failed_heat_map_cells_differ_from_skipped(rows):
    comp = compare.compare(rows)
    spec = cases_figure(comp, rows)
    panels = {ax.get_title().split(" (")[0]: ax for ax in spec.fig.axes if ax.get_title()}
    # gcp_a2_ultragpu: two attention cases failed, three fp8 gemm cases and one e2e case skipped.
    assert _texts(panels["attention"]).count("×") == 2
    assert _texts(panels["gemm"]).count("×") == 0 and _texts(panels["e2e"]).count("×") == 0
    assert "Red ×: the case failed" in spec.caption


def test_heat_map_rows_follow_the_ranking(multi_report):
    rep, _ = multi_report
    ranked = [m.machine for m in rep.procurement.machines]
    spec = cases_figure(rep.comparison, rep.rows, rep.procurement)
    ticks = [_machine(t.get_text()) for t in spec.fig.axes[0].get_yticklabels()]
    assert ticks == ranked
    plain = cases_figure(rep.comparison, rep.rows)
    assert [t.get_text() for t in plain.fig.axes[0].get_yticklabels()] == rep.comparison.machines


def test_baseline_heat_map_diverges_around_one(baseline_report):
    rep, _ = baseline_report
    spec = _spec(rep, "compare_cases")
    image = spec.fig.axes[0].images[0]
    assert image.cmap.name.startswith("RdBu")
    assert image.norm(1.0) == pytest.approx(0.5)
    assert image.norm(0.95) < 0.45 and image.norm(1.05) > 0.55  # a few percent show


def test_one_score_vocabulary(multi_report, baseline_report):
    for (rep, _), unit in ((multi_report, "Score (× best machine)"),
                           (baseline_report, "Score (× baseline)")):
        cases = _spec(rep, "compare_cases")
        scores = _spec(rep, "compare_scores")
        assert cases.fig.axes[-1].get_ylabel() == unit  # the colour bar
        assert any(ax.get_ylabel() == unit for ax in scores.fig.axes)
        assert {ax.get_ylabel() for ax in cases.fig.axes[:-1]} == {"Machine"}
        perf = [ax for ax in scores.fig.axes if ax.get_title() == "performance per dollar-hour"]
        assert all(ax.get_xlabel() == "Machine" for ax in perf)


def test_memory_bound_gemm_efficiency_says_mem(rows):
    gemm = [r for r in rows if r.workload == "gemm" and r.measured]
    memory = [r for r in gemm if r.roofline["bound"] == "memory"][:1]
    compute = [r for r in gemm if r.roofline["bound"] == "compute"][:1]
    assert figures_gemm.eff_text(memory).endswith("mem")
    assert not figures_gemm.eff_text(compute).endswith("mem")
    spec = gemm_figure(rows)
    assert "mem" in spec.caption
    fp8 = next(ax for ax in spec.fig.axes if ax.get_title() == "dtype fp8_e4m3")
    assert _texts(fp8).count("n/a") == 3  # a2 skipped fp8: marked, not silently missing


def test_attention_marks_failed_points(rows):
    spec = attention_figure(rows)
    a2 = next(ax for ax in spec.fig.axes if ax.get_title() == "a2-ultragpu-8g")
    assert any(t.endswith("failed") for t in _texts(a2))
    others = [ax for ax in spec.fig.axes if ax is not a2]
    assert not any(t.endswith("failed") for ax in others for t in _texts(ax))


def test_roofline_marks_dtype_by_shape_and_keeps_peak_labels_readable(rows):
    spec = roofline_figure(rows)
    ax = spec.fig.axes[0]
    markers = {line.get_label(): line.get_marker() for line in ax.get_lines()
               if line.get_label().startswith("dtype ")}
    assert {"dtype bf16", "dtype fp8_e4m3", "dtype tf32"} <= set(markers)
    assert len(set(markers.values())) == len(markers)
    peaks = [t for t in ax.texts if "peak" in t.get_text()]
    assert peaks and all(t.get_bbox_patch() is not None for t in peaks)


def test_telemetry_says_what_time_and_which_gpu(rows):
    run = rows[0].run
    spec = telemetry_figure(run, rows)
    assert "cuda:0 of 8 GPUs" in spec.fig._suptitle.get_text()
    assert "laid end to end" in spec.fig.axes[-1].get_xlabel()
    sm = spec.fig.axes[0]
    ys = [y for line in sm.get_lines() for y in line.get_ydata() if y == y]
    lo, hi = sm.get_ylim()
    assert lo < min(ys) and hi > max(ys)


def test_e2e_names_its_setup_and_per_instance_throughput(rows):
    spec = e2e_figure(rows)
    title = spec.fig._suptitle.get_text()
    for part in ("llama-3-8b", "1024 in / 128 out", "bf16", "tp 1"):
        assert part in title and part in spec.caption
    assert "per instance" in spec.fig.axes[0].get_ylabel()


def test_e2e_leaves_prefill_cases_out_and_says_so(rows):
    """A prefill case makes one output token per sequence: drawn by output tok/s beside decoding
    cases it would read as a slow machine. It is left out, and the caption says so."""
    e2e = [r for r in rows if r.workload == "e2e" and isinstance(r.params.get("batch"), int)]
    prefill = copy.copy(e2e[0])
    prefill.params = dict(prefill.params, scenario="prefill", batch=4096)
    spec = e2e_figure(rows + [prefill])
    assert "1 prefill case(s) are left out" in spec.caption
    xs = [x for line in spec.fig.axes[0].get_lines() for x in line.get_xdata()]
    assert 4096 not in xs


def _line_colours(spec):
    return {line.get_label(): to_hex(line.get_color()) for line in spec.fig.axes[0].get_lines()
            if not line.get_label().startswith("_")}


def test_spread_colours_runs_by_machine(rows):
    spread = compare.run_spread(rows)
    colours = _line_colours(spread_figure(spread))
    assert colours["p5.48xlarge #1"] == colours["p5.48xlarge #2"] != colours["Standard_ND96isr_H100_v5"]
    report_wide = style.machine_colors({r.run.machine for r in rows})
    colours = _line_colours(spread_figure(spread, colors=report_wide))
    assert colours["p5.48xlarge #1"] == report_wide["p5.48xlarge"]
    assert colours["Standard_ND96isr_H100_v5"] == report_wide["Standard_ND96isr_H100_v5"]


def test_attention_x_is_seq_q_where_seq_kv_is_automatic(rows):
    """Results files record seq_kv = 0 (automatic: as long as seq_q); the figure draws such a case
    at its seq_q, not at 0, which a log axis cannot show."""
    auto = [dataclasses.replace(r, params=dict(r.params, seq_kv=0)) for r in rows if r.workload == "attention"]
    spec = attention_figure(auto)
    xs = {float(x) for ax in spec.fig.axes for c in ax.containers if isinstance(c, ErrorbarContainer)
          for x in c.lines[0].get_xdata()}
    assert xs and xs == {float(r.params["seq_q"]) for r in auto if r.measured}
    assert all(ax.get_xlim()[0] > 0 for ax in spec.fig.axes if ax.containers)


def test_bandwidth_domain_is_the_one_cpp_recorded_else_read_from_the_membw_op(rows, cpu_results):
    """C++ names each bandwidth case's path (work.bandwidth_domain); a membw case of a file
    written before it did (the hand-made fixtures) is classified by its op; other workloads name
    none."""
    fresh = table.tidy(load_all([cpu_results]))
    assert {r.work.get("bandwidth_domain") for r in fresh if r.workload == "membw"} == {"device"}
    assert {r.work.get("bandwidth_domain") for r in fresh if r.workload == "allreduce"} == {"interconnect"}
    membw = next(r for r in rows if r.workload == "membw" and r.measured)
    assert "bandwidth_domain" not in membw.work
    older = membw
    for op, domain in (("copy", "device"), ("copy_ce", "device"), ("triad", "device"), ("h2d_ce", "pcie"),
                       ("d2h_sm", "pcie"), ("bidir_ce", "pcie"), ("d2d_ce", "peer"), ("d2d_sm", "peer")):
        assert table.bandwidth_domain(dataclasses.replace(older, params=dict(older.params, op=op))) == domain, op
    named = dataclasses.replace(older, work=dict(older.work, bandwidth_domain="peer"))
    assert table.bandwidth_domain(named) == "peer"
    gemm = next(r for r in rows if r.workload == "gemm")
    assert table.bandwidth_domain(gemm) == ""


def test_roofline_memory_roof_is_device_memory_not_the_host_link(rows):
    """A machine whose membw cases include host-link copies (h2d_ce at ~55 GB/s against a PCIe
    peak of 63) keeps the memory roofs of its device-memory cases; with host-link cases alone it
    gets no memory roof, not one at the PCIe rate."""
    from gpuqual_reports.figures_roofline import _roofs
    membw = [r for r in rows if r.workload == "membw" and r.measured]
    assert membw
    link = [dataclasses.replace(r, params=dict(r.params, op="h2d_ce"), roofline=dict(r.roofline or {}, peak=63.0),
                                work=dict(r.work, bandwidth_domain="pcie"))
            for r in membw]
    other = [r for r in rows if r.workload != "membw"]
    _, bw, measured = _roofs(other + membw)
    _, bw_with_link, measured_with_link = _roofs(other + membw + link)
    assert (bw_with_link, measured_with_link) == (bw, measured)
    _, bw_link_only, measured_link_only = _roofs(link)
    assert bw_link_only is None and measured_link_only is None
