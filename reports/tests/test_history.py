"""The history report (`gpuqual report --history`): a trend file (gpuqual.trend/1) written by the
C++ side is checked, drawn (one PNG per case, change points as found) and tabulated; bad trend
files give one line and exit 2. Nothing is decided here: the change points come from the file."""

import copy
import json
import os

import pytest

from gpuqual_reports import cli
from gpuqual_reports.errors import ReportInputError
from gpuqual_reports.figures_history import run_order, trend_figures
from gpuqual_reports.history_load import load_trend
from gpuqual_reports.history_report import change_table, series_table


def _point(i, median, status="ok"):
    measured = median is not None
    return {"run_id": f"r{i:02d}", "started_at": f"2026-11-01T10:{i:02d}:00Z", "commit": f"c{i:02d}",
            "tool_git": "abc1234", "labels": {"branch": "main", "commit": f"c{i:02d}"},
            "status": status, "reason": "" if status == "ok" else "cublas error",
            "used": measured and status == "ok", "run_finished": True,
            "median": median, "ci95_low": median * 0.99 if measured else None,
            "ci95_high": median * 1.01 if measured else None, "rounds_done": 1, "rounds_planned": 1}


def _trend():
    """Ten runs of one gemm case on cpu, 20% slower from run 6 (the change point the C++ side
    found), run 3 failed; and an allreduce case measured by nobody."""
    medians = [1.0, 1.01, 0.99, None, 1.0, 1.02, 0.8, 0.81, 0.79, 0.8]
    points = [_point(i, m, "ok" if m is not None else "failed") for i, m in enumerate(medians)]
    change = {"index": 6, "run_id": "r06", "commit": "c06", "started_at": "2026-11-01T10:06:00Z",
              "call": "regressed", "change": -0.2, "ratio": 0.8, "ratio_low": 0.78, "ratio_high": 0.82,
              "p_value": 1e-5, "before": 1.0, "after": 0.8, "reason": "20.0% worse"}
    gemm = {"case_id": "gemm/dtype=fp32/m=256", "device": "cpu", "sku": "cpu", "metric": "tflops",
            "unit": "TFLOP/s", "higher_is_better": True, "points": points, "change_points": [change],
            "segments": [{"begin": 0, "end": 6, "level": 1.0}, {"begin": 6, "end": 10, "level": 0.8}]}
    idle = {"case_id": "allreduce/size=4096", "device": "cpu", "sku": "cpu", "metric": "busbw",
            "unit": "GB/s", "higher_is_better": True,
            "points": [_point(i, None, "skipped") for i in range(3)], "change_points": [], "segments": []}
    return {"schema": "gpuqual.trend/1", "generated_at": "2026-11-29T22:00:00Z", "database": "/tmp/h.db",
            "filters": {"sku": "cpu", "labels": {"branch": "main"}, "since": ""}, "metric": None,
            "rule": {"window": 4, "min_effect": 0.05, "alpha": 0.01, "text": "Welch t on 4 vs 4"},
            "series": [gemm, idle]}


def _write(tmp_path, doc, name="trend.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def test_trend_file_loads_as_written(tmp_path):
    trend = load_trend(_write(tmp_path, _trend()))
    gemm = trend.series[0]
    assert gemm.points[3].median is None and gemm.points[3].status == "failed"
    assert gemm.change_points[0].index == 6 and gemm.change_points[0].call == "regressed"
    assert gemm.segments == [(0, 6, 1.0), (6, 10, 0.8)]
    assert [r for r, _ in run_order(trend.series)][:3] == ["r00", "r01", "r02"]


def test_figures_draw_only_measured_cases(tmp_path):
    figures = trend_figures(load_trend(_write(tmp_path, _trend())))
    assert [f.title for f in figures] == ["gemm/dtype=fp32/m=256"]
    assert "1 change point(s)" in figures[0].caption
    assert "Welch t on 4 vs 4" in figures[0].caption


def test_tables_list_the_change_points_from_the_file(tmp_path):
    trend = load_trend(_write(tmp_path, _trend()))
    rows = change_table(trend).rows
    assert len(rows) == 1
    assert rows[0][2] == "c06" and rows[0][4] == "regressed" and rows[0][5] == "-20.0%"
    levels = {r[0]: r[7] for r in series_table(trend).rows}
    assert "→" in levels["gemm/dtype=fp32/m=256"]


def test_report_writes_png_html_and_summary(tmp_path):
    out = tmp_path / "out"
    paths = cli.run(["--history-trend", _write(tmp_path, _trend()), "-o", str(out)])
    names = sorted(os.path.basename(p) for p in paths)
    assert names == ["index.html", "summary.md", "trend_01.png"]
    with open(out / "trend_01.png", "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "c06" in summary and "regressed" in summary and "label branch=main" in summary
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "trend_01.png" in html or "data:image/png" in html


def test_report_shows_the_filters_in_gpuqual_words(tmp_path):
    doc = _trend()
    doc["filters"].update({"machine": "rack-7", "text": "sku cpu, label branch=main, machine rack-7"})
    out = tmp_path / "out"
    cli.run(["--history-trend", _write(tmp_path, doc), "-o", str(out)])
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "(filters: sku cpu, label branch=main, machine rack-7)" in summary


def _bad(doc, path_keys, value):
    bad = copy.deepcopy(doc)
    node = bad
    for k in path_keys[:-1]:
        node = node[k]
    node[path_keys[-1]] = value
    return bad


@pytest.mark.parametrize("keys, value, message", [
    (["schema"], "gpuqual.results/1", "is not a trend file"),
    (["schema"], "gpuqual.trend/2", "version 'gpuqual.trend/2' is not supported"),
    (["series", 0, "change_points", 0, "index"], 10, "index: must be an integer in 0..9"),
    (["series", 0, "segments", 1, "begin"], 11, "begin: must be an integer in 0..10"),
    (["series", 0, "points", 0, "used"], "yes", "used"),
])
def test_bad_trend_files_are_one_line_exit_two(tmp_path, capsys, keys, value, message):
    path = _write(tmp_path, _bad(_trend(), keys, value))
    with pytest.raises(ReportInputError) as e:
        load_trend(path)
    assert message in str(e.value) and "\n" not in str(e.value)
    assert cli.main(["--history-trend", path, "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_malformed_and_missing_trend_files(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text("{\"schema\": ", encoding="utf-8")
    assert cli.main(["--history-trend", str(broken)]) == 2
    assert cli.main(["--history-trend", str(tmp_path / "absent.json")]) == 2
    err = capsys.readouterr().err
    assert "broken.json: malformed JSON" in err and "absent.json" in err and "Traceback" not in err


def test_long_case_ids_wrap_after_a_slash():
    from gpuqual_reports.figures_history import wrap_case_id
    text = "Trend: e2e/model=tiny/scenario=offline/batch=2/input_len=32/output_len=8/dtype=bf16/tp=1"
    lines = wrap_case_id(text, 40).split("\n")
    assert all(len(line) <= 40 for line in lines)
    assert "".join(lines) == text
    assert all(line.endswith("/") for line in lines[:-1])


def test_an_earlier_reports_figures_in_the_directory_are_named_not_removed(tmp_path, capsys):
    """A PNG in the output directory that this report did not write (an earlier report's) is named
    in a warning, and left where it is."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "trend_09.png").write_bytes(b"old")
    cli.run(["--history-trend", _write(tmp_path, _trend()), "-o", str(out)])
    err = capsys.readouterr().err
    assert "also holds 1 PNG(s) this report did not write" in err and "trend_09.png" in err
    assert (out / "trend_09.png").read_bytes() == b"old"
    cli.run(["--history-trend", _write(tmp_path, _trend()), "-o", str(tmp_path / "fresh")])
    assert "did not write" not in capsys.readouterr().err
