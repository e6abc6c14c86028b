"""Every figure the real H200 files have data for draws with matplotlib warnings as errors, and
draws what the files hold: no point clipped by its panel or hidden under a legend (one-rank
collectives at a flat 2.1 TB/s touched the top edge and the legend; the fp32 GEMM sat under the
roofline's legend), PCIe and datasheet peaks named, one-rank collectives in algbw, the quick
and anchors attention cases on one line per backend, e2e scenarios told apart, and telemetry
shading exactly the cases that recorded sw_power_cap, with power held at the 700 W limit."""

import warnings

import pytest
from conftest import H200_BASELINE, H200_FILES, fixture, procurement
from matplotlib.colors import to_hex
from matplotlib.container import ErrorbarContainer
from test_figures_gpu_runs import _inside
from test_h200_report import FIGURES
from test_report import check_axes

from gpuqual_reports import report
from gpuqual_reports.baseline import load_baseline
from gpuqual_reports.load import load_all


@pytest.fixture(scope="module")
def h200(tmp_path_factory):
    """The Report of the five H200 files against the H200 baseline, with `gpuqual rank`'s
    figures, built and drawn with every warning an error: {figure name: FigureSpec}, Report."""
    figures = procurement(H200_FILES, tmp_path_factory.mktemp("h200_rank"), "--baseline", H200_BASELINE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rep = report.build(load_all([fixture(f) for f in H200_FILES]),
                           baseline=load_baseline(H200_BASELINE), procurement=figures)
    return {f.name: f for f in rep.figures}, rep


def test_every_figure_kind_draws_with_warnings_as_errors(h200):
    specs, rep = h200
    assert set(specs) == FIGURES and not rep.notes
    for spec in specs.values():
        assert spec.png and len(spec.png) > 10_000, spec.name
        check_axes(spec)


def _markers(ax):
    """Display (x, y, radius) of every drawn marker of the axis (data points and error-bar caps)."""
    out = []
    for line in ax.get_lines():
        if line.get_marker() in (None, "None", "", " ") or not line.get_visible():
            continue
        radius = line.get_markersize() / 2 * ax.figure.dpi / 72
        for x, y in ax.transData.transform(line.get_xydata()):
            if x == x and y == y:
                out.append((x, y, radius))
    return out


@pytest.mark.parametrize("name", ["collectives", "membw", "e2e", "attention", "roofline"])
def test_no_point_is_clipped_or_under_a_legend(h200, name):
    spec = h200[0][name]
    renderer = spec.fig.canvas.get_renderer()
    for ax in spec.fig.axes:
        where = (name, ax.get_title())
        box = ax.get_window_extent(renderer)
        points = _markers(ax)
        assert points, where
        for x, y, r in points:
            assert box.x0 + r <= x <= box.x1 - r and box.y0 + r <= y <= box.y1 - r, where
        legend = ax.get_legend()
        if legend is not None:
            lb = legend.get_window_extent(renderer)
            assert _inside(lb, spec.fig.bbox), where
            assert not [p for p in points if lb.x0 - p[2] <= p[0] <= lb.x1 + p[2]
                        and lb.y0 - p[2] <= p[1] <= lb.y1 + p[2]], where


def test_collectives_on_one_rank_are_drawn_in_algbw(h200):
    spec = h200[0]["collectives"]
    assert [ax.get_title() for ax in spec.fig.axes] == [
        "allreduce (one rank)", "all_gather (one rank)", "reduce_scatter (one rank)"]
    assert {ax.get_ylabel() for ax in spec.fig.axes} == {"Algorithm bandwidth (GB/s)"}
    assert "Cases that ran on one rank are left out" not in spec.caption  # none had busbw


def test_membw_peaks_are_the_pcie_link_and_the_datasheet(h200):
    spec = h200[0]["membw"]
    labels = {ax.get_title(): [t.get_text() for t in ax.texts] for ax in spec.fig.axes}
    assert labels == {
        "Device memory copy (SM kernel)": ["h200-sxm-141gb datasheet 4,800 GB/s"],
        "Device memory read (SM kernel)": ["h200-sxm-141gb datasheet 4,800 GB/s"],
        "Host → device, pinned (copy engine)": ["PCIe Gen5 x16: 63 GB/s"],
        "Device → host, pinned (copy engine)": ["PCIe Gen5 x16: 63 GB/s"]}


def test_attention_of_quick_and_anchors_runs_joins_one_line_per_backend(h200):
    """The anchors' seq_q = 16384 at batch 1 extends the quick suite's 2048 (batch 8) and 8192
    (batch 2) lines: batch varies with the length, so it names no line."""
    spec = h200[0]["attention"]
    (ax,) = spec.fig.axes
    lines = {c.get_label(): [float(x) for x in c.lines[0].get_xdata()] for c in ax.containers
             if isinstance(c, ErrorbarContainer)}
    assert lines == {"backend=cudnn non-causal": [2048.0, 8192.0, 16384.0],
                     "backend=cudnn causal": [8192.0],
                     "backend=native non-causal": [2048.0, 8192.0, 16384.0],
                     "backend=native causal": [8192.0]}
    assert "batch varies with the sequence length" in spec.caption


def test_e2e_scenarios_of_one_machine_have_their_own_colours(h200):
    spec = h200[0]["e2e"]
    for ax in spec.fig.axes:
        colours = {c.get_label(): to_hex(c.lines[0].get_color()) for c in ax.containers
                   if isinstance(c, ErrorbarContainer)}
        assert set(colours) == {"scenario=offline", "scenario=decode"}
        assert len(set(colours.values())) == 2, colours
    assert "5 prefill case(s) are left out" in spec.caption  # one a quick run, one in anchors


def test_telemetry_shades_the_cases_that_recorded_sw_power_cap(h200):
    specs, rep = h200
    for i, run in enumerate(rep.runs, start=1):
        spec = specs[f"telemetry_{i}"]
        throttled = [c for c in run.doc["cases"] if c["telemetry"]["throttle_reasons"]]
        assert {x for c in throttled for x in c["telemetry"]["throttle_reasons"]} == {"sw_power_cap"}
        assert all(len(ax.patches) == len(throttled) for ax in spec.fig.axes), spec.name
        assert "Shaded: cases with throttle reasons (sw_power_cap)." in spec.caption
        assert "not reported" not in spec.caption  # NVML read every quantity
        power = next(ax for ax in spec.fig.axes if ax.get_ylabel() == "Board power (W)")
        limit = run.doc["health"]["before"]["devices"][0]["power_limit_w"]
        top = max(y for line in power.get_lines() for y in line.get_ydata() if y == y)
        assert 0.95 * limit <= top <= 1.02 * limit  # capped at the limit health read: 700 W
