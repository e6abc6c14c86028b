"""Figures of 8-GPU and real-suite runs fit their panels and draw with matplotlib warnings as
errors: one short host-link label however many GPUs name it, attention lines joining the
sequence lengths of a sweep, a bounded telemetry title, quantities NVML did not report left
undrawn, GEMM shape labels that do not overlap. A real run is the H200's quick-1 (as `gpuqual
run` wrote it on the GPU); an 8-GPU one is the hand-made aws_p5_run1, or real rows copied onto
eight GPUs."""

import dataclasses
import warnings

import pytest
from conftest import H200_QUICK, fixture
from matplotlib.container import ErrorbarContainer

from gpuqual_reports import style, table
from gpuqual_reports.figures_attention import attention_figure
from gpuqual_reports.figures_bandwidth import membw_figure
from gpuqual_reports.figures_gemm import gemm_figure
from gpuqual_reports.figures_telemetry import telemetry_figure
from gpuqual_reports.load import load_all


@pytest.fixture(scope="module")
def p5_rows():
    """Fresh rows of one hand-made 8-GPU run (aws_p5_run1: its cases ran on cuda:0)."""
    return table.tidy(load_all([fixture("aws_p5_run1.json")]))


@pytest.fixture(scope="module")
def h200_rows():
    """Fresh rows of a real run of the quick suite on one H200 (cuda:0, NVML telemetry)."""
    return table.tidy(load_all([fixture(H200_QUICK[0])]))


def _on_eight_gpus(rows, **changes):
    """Each row copied onto cuda:0..7 (the GPU's index passed to `changes`' callables)."""
    out = []
    for r in rows:
        for i in range(8):
            fields = {k: (v(r, i) if callable(v) else v) for k, v in changes.items()}
            out.append(dataclasses.replace(r, device=f"cuda:{i}", **fields))
    return out


def _render_strict(spec):
    """Draws the figure with every warning an error (a clipped or collapsed layout warns)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        style.render(spec)


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def _inside(inner, outer):
    return (inner.x0 >= outer.x0 - 1 and inner.x1 <= outer.x1 + 1
            and inner.y0 >= outer.y0 - 1 and inner.y1 <= outer.y1 + 1)


def test_host_link_peak_is_one_short_label_inside_its_panel(h200_rows):
    """C++ names the link of each GPU with its own PCI address (the H200's, on eight GPUs of
    their own addresses here); the label names the link once."""
    real = "PCIe Gen5 x16 (32 GT/s) x 1 direction(s), sysfs max_link_* of 0000:00:06.0"
    membw = [r for r in h200_rows if r.workload == "membw"]
    assert {r.roofline["peak_source"] for r in membw if r.params["op"] == "h2d_ce"} == {real}

    def link(r, i):
        if r.params.get("op") != "h2d_ce":
            return r.roofline
        return dict(r.roofline, peak_source=real.replace("00:06.0", f"{0x18 + 0x11 * i:02x}:00.0"))
    spec = membw_figure(_on_eight_gpus(membw, roofline=link))
    _render_strict(spec)
    h2d = next(ax for ax in spec.fig.axes if ax.get_title().startswith("Host → device"))
    labels = [t for t in h2d.texts if "PCIe" in t.get_text()]
    assert [t.get_text() for t in labels] == ["PCIe Gen5 x16: 63 GB/s"]
    renderer = spec.fig.canvas.get_renderer()
    box = labels[0].get_window_extent(renderer)
    assert _inside(box, h2d.get_window_extent(renderer))
    assert not box.overlaps(h2d.title.get_window_extent(renderer))


def _attention_rows(template, shapes):
    """Measured attention rows with the params of `shapes` (the rest as C++ writes them: kv_heads
    and seq_kv 0, automatic), TFLOP/s growing with the sequence length."""
    base = {"backend": "native", "batch": 1, "heads": 16, "kv_heads": 0, "seq_q": 128, "seq_kv": 0,
            "head_dim": 128, "causal": False, "dtype": "bf16"}
    out = []
    for shape in shapes:
        params = dict(base, **shape)
        v = 100.0 + params["seq_q"] / 100 + params["seq_kv"] / 1000 + params["batch"]
        out.append(dataclasses.replace(template, params=params, status="ok", median=v, ci_low=v - 1,
                                       ci_high=v + 1, metrics={"tflops": {"median": v, "ci95_low": v - 1,
                                                                          "ci95_high": v + 1}}))
    return out


def _full_shapes():
    """suites/full.json's cuda attention entries: batch × seq_q = 16384 and heads × head_dim =
    2048 per sweep point, plus a decode sweep (seq_q = 1, seq_kv set, batch 1/8/64, GQA)."""
    sweep = [{"backend": b, "batch": 16384 // s, "heads": 2048 // d, "seq_q": s, "head_dim": d, "causal": c}
             for s in (512, 1024, 2048, 4096, 8192, 16384) for d in (64, 128)
             for b in ("native", "cudnn") for c in (False, True)]
    decode = [{"backend": b, "batch": n, "heads": 32, "kv_heads": 8, "seq_q": 1, "seq_kv": kv}
              for b in ("native", "cudnn") for n in (1, 8, 64) for kv in (1024, 4096, 16384, 32768)]
    return sweep + decode


def _attention_lines(spec):
    """{legend label: x values} of the attention figure's one panel."""
    (ax,) = spec.fig.axes
    return {c.get_label(): [float(x) for x in c.lines[0].get_xdata()] for c in ax.containers
            if isinstance(c, ErrorbarContainer)}


@pytest.fixture(scope="module")
def attention_template(h200_rows):
    return next(r for r in h200_rows if r.workload == "attention")


def test_attention_keeps_cases_of_another_seq_q_apart(attention_template):
    """seq_q = 64 and 128 both against seq_kv = 256 are two cases at x = 256: two lines."""
    rows = _attention_rows(attention_template, [
        {"seq_q": q, "seq_kv": kv, "kv_heads": h, "heads": 4}
        for q in (64, 128) for kv in (0, 256) for h in (0, 2)])
    spec = attention_figure(rows)
    _render_strict(spec)
    lines = _attention_lines(spec)
    at_256 = sorted(label for label, xs in lines.items() if 256.0 in xs)
    assert at_256 == ["kv_heads=2 seq_q=128 non-causal", "kv_heads=2 seq_q=64 non-causal",
                      "kv_heads=heads seq_q=128 non-causal", "kv_heads=heads seq_q=64 non-causal"]
    assert lines["kv_heads=heads non-causal"] == [64.0, 128.0]  # self-attention: x is seq_q


def test_attention_lines_join_the_quick_suite_sweep(h200_rows):
    """suites/quick.json's cuda attention cases as the H200 ran them: batch shrinks as seq_q
    grows (8 × 2048, 2 × 8192 tokens)."""
    spec = attention_figure([r for r in h200_rows if r.workload == "attention"])
    _render_strict(spec)
    assert _attention_lines(spec) == {"backend=cudnn non-causal": [2048.0, 8192.0],
                                      "backend=cudnn causal": [8192.0],
                                      "backend=native non-causal": [2048.0, 8192.0],
                                      "backend=native causal": [8192.0]}
    assert "batch varies with the sequence length" in spec.caption
    _legend_fits(spec)


def _legend_fits(spec):
    """Every panel's legend lies inside the figure and clear of the panel's plotting area."""
    renderer = spec.fig.canvas.get_renderer()
    page = spec.fig.bbox
    for ax in spec.fig.axes:
        box = ax.get_legend().get_window_extent(renderer)
        assert _inside(box, page) and not box.overlaps(ax.get_window_extent(renderer))


def test_attention_lines_join_the_full_suite_sweep(attention_template):
    spec = attention_figure(_attention_rows(attention_template, _full_shapes()))
    _render_strict(spec)
    lines = _attention_lines(spec)
    sweep = {k: xs for k, xs in lines.items() if "seq_q" not in k}
    decode = {k: xs for k, xs in lines.items() if "seq_q=1 " in k}
    assert len(sweep) == 2 * 2 * 2 and len(decode) == 2 * 3 and len(lines) == len(sweep) + len(decode)
    assert all(xs == [512.0, 1024.0, 2048.0, 4096.0, 8192.0, 16384.0] for xs in sweep.values())
    assert "head_dim=64 backend=cudnn heads=32 causal" in sweep
    assert not any("batch" in k for k in sweep)  # it varies with seq_q there
    assert all("batch=" in k and xs == [1024.0, 4096.0, 16384.0, 32768.0] for k, xs in decode.items())
    assert "batch varies with the sequence length" in spec.caption
    _legend_fits(spec)


def _telemetry_rows(rows, change=lambda series, row: series):
    """The rows with NVML series, each series passed through change(series, row)."""
    out = []
    for r in rows:
        if (r.telemetry or {}).get("available"):
            tel = dict(r.telemetry, series=change([dict(s) for s in r.telemetry["series"]], r))
            out.append(dataclasses.replace(r, telemetry=tel))
    return out


def test_telemetry_title_of_eight_gpus_stays_short(p5_rows):
    rows = _on_eight_gpus(_telemetry_rows(p5_rows))
    spec = telemetry_figure(rows[0].run, rows)
    _render_strict(spec)
    title = spec.fig._suptitle
    assert "cuda:0–7" in title.get_text() and "cuda:1" not in title.get_text()
    assert len(title.get_text()) <= 80, title.get_text()
    renderer = spec.fig.canvas.get_renderer()
    assert _inside(title.get_window_extent(renderer), spec.fig.bbox)
    assert {line.get_label() for line in spec.fig.axes[0].get_lines()} == {f"cuda:{i}" for i in range(8)}


def test_telemetry_leaves_out_what_nvml_did_not_report(h200_rows):
    """The GPU monitor writes 0 for power, memory clock and temperature NVML cannot read: a
    series of zeros is "not reported", not a flat 0 W line; a real series (even with a 0 in it)
    is drawn."""
    def unsupported(series, _row):
        for s in series:
            s["power_w"] = 0.0
        return series
    spec = telemetry_figure(h200_rows[0].run, _telemetry_rows(h200_rows, unsupported))
    _render_strict(spec)
    power = next(ax for ax in spec.fig.axes if ax.get_ylabel() == "Board power (W)")
    assert not [y for line in power.get_lines() for y in line.get_ydata() if y == y]
    assert "not reported" in _texts(power)
    assert "Board power not reported" in spec.caption
    memory = next(ax for ax in spec.fig.axes if ax.get_ylabel() == "Memory clock (MHz)")
    assert "not reported" not in _texts(memory)
    assert min(y for line in memory.get_lines() for y in line.get_ydata() if y == y) > 0

    def first_case_only(series, row):
        if row.case_id != first:
            for s in series:
                s["power_w"] = 0.0
        series[0]["power_w"] = 0.0  # one reading of 0 in a real series stays
        return series
    first = _telemetry_rows(h200_rows)[0].case_id
    spec = telemetry_figure(h200_rows[0].run, _telemetry_rows(h200_rows, first_case_only))
    power = next(ax for ax in spec.fig.axes if ax.get_ylabel() == "Board power (W)")
    ys = [y for line in power.get_lines() for y in line.get_ydata() if y == y]
    assert 0.0 in ys and max(ys) > 100 and "not reported" not in _texts(power)


def test_gemm_shape_labels_of_the_quick_suite_do_not_overlap(h200_rows):
    """suites/quick.json's bf16 shapes as the H200 ran them: three 15-character labels on one panel."""
    spec = gemm_figure([r for r in h200_rows if r.workload == "gemm"])
    _render_strict(spec)
    renderer = spec.fig.canvas.get_renderer()
    (ax,) = [a for a in spec.fig.axes if a.get_title() == "dtype bf16"]
    boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels()]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["4096×14336×4096", "4096×4096×14336",
                                                             "8192×8192×8192"]
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:]))


def test_automatic_axes_print_what_they_mean():
    """kv_heads = 0 and seq_kv = 0 (case_id.AUTOMATIC_AXES) mean "as many as heads" and "as long
    as seq_q" in attention, e2e's shape overrides at 0 the preset's."""
    attention = {"heads": 16, "kv_heads": 0, "seq_q": 2048, "seq_kv": 0, "causal": False}
    assert table.param_text(attention, ["kv_heads", "seq_kv", "causal"]) == "kv_heads=heads seq_kv=seq_q no-causal"
    assert table.param_text(dict(attention, kv_heads=4, seq_kv=512), ["kv_heads", "seq_kv"]) == "kv_heads=4 seq_kv=512"
    e2e = {"model": "llama-3-8b", "layers": 0, "hidden": 0, "heads": 0, "kv_heads": 0, "ffn": 0, "vocab": 0}
    assert table.param_text(e2e, ["layers", "kv_heads"]) == "layers=preset kv_heads=preset"
    assert table.param_text({"op": "copy", "threads": 0}, ["threads"]) == "threads=0"
