"""Tables of the results report (ranking, providers, spread; HTML alignment and identifiers) and
of the history report (units, statistics named, legends and captions of what is drawn, series
without a figure): they show what C++ decided, readably, and never contradict it."""

import copy
import re

import pytest
from conftest import FOUR_CLOUDS, fixture, procurement
from test_history import _trend, _write

from gpuqual_reports import compare_tables, html, report
from gpuqual_reports.figures_history import trend_figures
from gpuqual_reports.history_load import load_trend
from gpuqual_reports.history_report import change_table, render_html, render_markdown, series_table
from gpuqual_reports.load import load_all
from gpuqual_reports.procurement import Figure

SCORE = re.compile(r"^\d+\.\d{3} (\[\d+\.\d{3}, \d+\.\d{3}\]|\(no spread\))$")


def _build(files, out, *extra):
    rep = report.build(load_all([fixture(f) for f in files]), procurement=procurement(files, out, *extra))
    report.write(rep, str(out))
    return rep


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    return _build(FOUR_CLOUDS, tmp_path_factory.mktemp("four"), "--prices", fixture("prices.json"))


@pytest.mark.parametrize("extra", [(), ("--prices", fixture("prices.json"))])
def test_one_machine_is_not_ranked_and_says_why(tmp_path, extra):
    rep = _build(["aws_p5_run1.json"], tmp_path, *extra)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    md = (tmp_path / "summary.md").read_text(encoding="utf-8")
    for text in (page, md):
        assert "is the only machine and no baseline was given (--baseline)" in text  # C++ says so
        assert "No machine can be recommended" not in text and "Buy " not in text
        assert "set apart" not in text and "Ranked by" not in text
    assert "PASS" in compare_tables.unranked_text(rep)
    table = compare_tables.summary_table(rep)
    assert table.title == "Qualification and cost" and "rank" not in table.headers
    assert not {f.name for f in rep.figures} & {"compare_scores", "compare_cost_tokens"}


def test_scores_have_three_decimals_everywhere(four):
    assert compare_tables._score(Figure(1.0, 0.999, 1.0)) == "1.000 [0.999, 1.000]"
    rows = compare_tables.summary_table(four).rows
    assert all(SCORE.match(r[3]) for r in rows), [r[3] for r in rows]


def test_tie_column_is_the_reason_cpp_gave(four):
    p = four.procurement
    rows = {r[1]: r for r in compare_tables.summary_table(four).rows}
    tied = [e for e in p.ranking if e.tie]
    assert tied
    for e in tied:
        assert rows[e.machine][0].endswith("=") and rows[e.machine][-1] == e.tie
    assert not any("tied with the machine above" in c for r in rows.values() for c in r)
    apart = next(m for m in p.machines if p.ranked(m.machine) is None)
    assert rows[apart.machine][-1] in " ".join(p.set_apart)


def test_mtok_basis_is_said_once_and_ids_do_not_break(four, tmp_path):
    t = compare_tables.providers_table(four)
    p = four.procurement
    assert t.note.count(p.scenario) == 1
    basis = [r[-1] for r in t.rows]
    assert all(len(b) < 12 for b in basis), basis  # only what differs between machines
    single = compare_tables.providers_table(_build(["oci_bm_h100.json"], tmp_path, "--prices",
                                                   fixture("prices.json")))
    assert "$/Mtok basis" not in single.headers and "$/Mtok basis: " in single.note
    cells = html.table_html(t)
    assert '<td class="nowrap">h100-sxm-80gb</td>' in cells
    assert "<td>Standard_<wbr>ND96isr_<wbr>H100_<wbr>v5</td>" in cells  # breaks only after "_"
    assert "@media print" in html._CSS and "overflow-wrap:anywhere" not in cells


def test_numeric_columns_are_right_aligned_whole(four):
    t = compare_tables.summary_table(four)
    nums = html.numeric_columns(t)
    assert {0, 3, 4, 5} <= nums and 1 not in nums
    page = html.table_html(t)
    assert '<td class="num nowrap">3=</td>' in page and '<td class="num nowrap">set apart</td>' in page
    assert '<th class="num">rank</th>' in page
    matrix = compare_tables.matrix_table(four)
    col = len(matrix.headers) - 1
    assert col in html.numeric_columns(matrix)


def test_long_identifiers_break_only_after_a_separator():
    path = "/work/main/reports/tests/fixtures/aws_p5_run1.json"
    assert html._text_html(path).replace("<wbr>", "") == path
    assert "/<wbr>fixtures/<wbr>" in html._text_html(path)


def test_widest_spread_names_its_workload(four):
    row = compare_tables.spread_table(four).rows[0]
    case_id = four.spread[row[0]]["worst"][0]
    assert f"({case_id.split('/')[0]} " in row[-1] or case_id in row[-1]


def _small_trend(tmp_path, change=True):
    """test_history's trend with the gemm medians at 1/20 (0.05 TFLOP/s), with or without its
    change point and failed run."""
    doc = copy.deepcopy(_trend())
    gemm = doc["series"][0]
    gemm["machine"] = "host-a"
    for p in gemm["points"]:
        for k in ("median", "ci95_low", "ci95_high"):
            p[k] = None if p[k] is None else p[k] / 20
    gemm["change_points"][0].update(before=0.0512, after=0.0408)
    for g in gemm["segments"]:
        g["level"] /= 20
    if not change:
        gemm["points"][3] = gemm["points"][2] | {"run_id": "r03", "started_at": "2026-11-01T10:03:00Z"}
        gemm["change_points"], gemm["segments"] = [], [{"begin": 0, "end": 10, "level": 0.045}]
    return load_trend(_write(tmp_path, doc))


def test_history_tables_use_readable_units_and_name_the_statistic(tmp_path):
    trend = _small_trend(tmp_path)
    changes = change_table(trend)
    assert changes.rows[0][8] == "51.2 → 40.8 GFLOP/s"
    assert "geometric mean" in changes.note and "window" in changes.headers[8]
    series = series_table(trend)
    gemm = series.rows[0]
    assert gemm[1] == "host-a" and series.headers[1] == "machine"
    assert gemm[4] == "Throughput (GFLOP/s)" and re.fullmatch(r"50(\.0)? → 40(\.0)?", gemm[7])
    assert "median" in series.headers[7] and "median" in series.note


def _legend(spec):
    return [t.get_text() for t in spec.fig.axes[0].get_legend().get_texts()]


def test_history_figure_draws_and_names_only_what_is_there(tmp_path):
    spec = trend_figures(_small_trend(tmp_path, change=False))[0]
    legend = _legend(spec)
    assert "host-a: cpu runs" in legend and not any("between change points" in x for x in legend)
    assert "red ×" not in spec.caption and "dotted" not in spec.caption
    ax = spec.fig.axes[0]
    assert "GFLOP/s" in ax.get_ylabel() and "tflops" not in ax.get_ylabel()
    title = spec.fig._suptitle.get_text()
    assert "/" not in title and title.startswith("Trend: gemm")
    (tmp_path / "c").mkdir()
    with_change = trend_figures(_small_trend(tmp_path / "c", change=True))[0]
    assert "red ×" in with_change.caption and any("between change points" in x for x in _legend(with_change))


def test_series_without_a_figure_say_why(tmp_path):
    trend = _small_trend(tmp_path)
    row = next(r for r in series_table(trend).rows if r[0].startswith("allreduce"))
    assert "no run measured busbw" in row[7] and "3 run(s) skipped" in row[7]
    page = render_html(trend, [], "t", "now", str(tmp_path))
    assert "No figure for" in page and "no run measured busbw" in page
    assert "No figure for `allreduce/size=4096` (cpu): no run measured busbw" in render_markdown(trend, "t", "now")


def test_change_points_and_runs_name_the_machine(tmp_path):
    """Two machines' series of one case on cpu: their change points and runs say which machine."""
    from gpuqual_reports.history_report import points_table
    trend = _small_trend(tmp_path)
    rows = change_table(trend).rows
    assert rows and rows[0][1] == "cpu (host-a)"
    gemm = trend.series[0].case_id
    assert all(r[3] == "cpu (host-a)" for r in points_table(trend, gemm).rows)
