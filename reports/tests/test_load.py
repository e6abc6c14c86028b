"""Loading results and baselines: schema checks, one-line errors, exit code 2."""

import json

import pytest
from conftest import RUN_FILES, fixture

from gpuqual_reports import cli, schema
from gpuqual_reports.baseline import load_baseline
from gpuqual_reports.errors import ReportInputError
from gpuqual_reports.load import load_results

BAD_FILES = [
    ("bad_malformed.json", "malformed JSON (line 3 column 1"),
    ("bad_wrong_version.json", "schema: version 'gpuqual.results/2' is not supported by this "
                               "report (reads gpuqual.results/1)"),
    ("bad_empty_run.json", "cases: the run has no cases (empty run)"),
    ("bad_not_results.json", "schema: 'gpuqual.suite/1' is not a gpuqual results schema"),
    ("bad_status.json", "cases[0].status: unknown status 'great'"),
    ("no_such_file.json", "cannot open file"),
]


def test_schema_mirrors_the_cpp_constant():
    with open(fixture("../../../harness/version.h"), encoding="utf-8") as f:
        header = f.read()
    assert f'kResultsSchema = "{schema.SCHEMA}"' in header
    assert f"kResultsSchemaMajor = {schema.SCHEMA_MAJOR};" in header


@pytest.mark.parametrize("name", RUN_FILES)
def test_fixture_runs_load(name):
    run = load_results(fixture(name))
    assert run.gpus == 8
    assert run.sku in ("h100-sxm-80gb", "a100-sxm-80gb")
    assert run.machine == run.instance_type
    assert run.verdict["overall"] in schema.VERDICT_STATUSES


@pytest.mark.parametrize("name,message", BAD_FILES)
def test_bad_file_is_one_line_error(name, message):
    with pytest.raises(ReportInputError) as err:
        load_results(fixture(name))
    text = str(err.value)
    assert text.startswith(fixture(name) + ": ")
    assert message in text
    assert "\n" not in text


@pytest.mark.parametrize("name,message", BAD_FILES)
def test_bad_file_exits_2_with_one_line(name, message, tmp_path, capsys):
    code = cli.main([fixture(name), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1, err
    assert err.startswith("gpuqual report: error: ") and message in err
    assert not (tmp_path / "out" / "index.html").exists()


def test_bad_arguments_exit_2(capsys):
    assert cli.main([]) == 2
    assert "the following arguments are required: RESULTS" in capsys.readouterr().err
    assert cli.main([fixture(RUN_FILES[0]), "--frobnicate"]) == 2
    assert cli.main(["--help"]) == 0


def test_output_path_that_is_a_file_is_bad_input(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("x")
    assert cli.main([fixture(RUN_FILES[0]), "-o", str(target)]) == 2
    assert "is not a directory" in capsys.readouterr().err


def test_old_file_without_optional_parts_loads(tmp_path):
    with open(fixture("gcp_a2_ultragpu.json"), encoding="utf-8") as f:
        doc = json.load(f)
    for key in ("health", "verdict"):
        doc.pop(key)
    doc["system"]["cloud"] = {"provider": "unknown", "instance_type": "", "region": "", "source": ""}
    # Optional keys may be absent or null (both read as absent, here and in C++); work is required.
    for i, c in enumerate(doc["cases"]):
        for key in ("telemetry", "roofline", "verification", "details", "wall_time_s", "phase_samples_s",
                    "ranks", "straggler"):
            if i % 2:
                c[key] = None
            else:
                c.pop(key, None)
    doc["run"]["complete"] = None
    path = tmp_path / "old.json"
    path.write_text(json.dumps(doc))
    run = load_results(str(path))
    assert run.verdict is None and run.machine == "a2-ultra-7" and run.instance_type == ""
    assert cli.main([str(path), "-o", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "gemm.png").exists()
    assert not (tmp_path / "out" / "telemetry.png").exists()


def test_baseline_from_baseline_or_results_file(tmp_path):
    base = load_baseline(fixture("baseline_h100.json"))
    assert base.name == "h100-sxm-80gb reference (fixture)"
    assert all(ref.median > 0 for ref in base.cases.values())
    as_results = load_baseline(fixture("aws_p5_run1.json"))
    assert set(base.cases) <= set(as_results.cases)
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"schema": "gpuqual.baseline/9", "cases": []}))
    with pytest.raises(ReportInputError, match="version 'gpuqual.baseline/9' is not supported"):
        load_baseline(str(path))
    with open(fixture("baseline_h100.json"), encoding="utf-8") as f:
        doc = json.load(f)
    doc["cases"][0]["primary_metric"] = "time_ms"
    path.write_text(json.dumps(doc))
    with pytest.raises(ReportInputError, match=r"cases\[0\].primary_metric: names 'time_ms'"):
        load_baseline(str(path))
    del doc["cases"][0]["metrics"]["tflops"]["median"]
    path.write_text(json.dumps(doc))
    with pytest.raises(ReportInputError, match=r"cases\[0\].metrics.tflops.median: missing"):
        load_baseline(str(path))


@pytest.mark.parametrize("text,message", [
    ("[" * 200000 + "]" * 200000, "JSON nested deeper than 64 levels"),
    ('{"schema": NaN}', "malformed JSON (NaN is not JSON)"),
    ('{"schema": 1e400}', "malformed JSON (number out of range: 1e400)"),
])
def test_hostile_json_is_one_line_error_like_the_cpp_readers(text, message, tmp_path, capsys):
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    assert cli.main([str(path), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"gpuqual report: error: {path}: {message}"


def test_an_option_value_may_start_with_a_dash(tmp_path):
    out = tmp_path / "out"
    assert cli.main([fixture("aws_p5_run1.json"), "-o", str(out), "--title", "-x"]) == 0
    assert "<title>-x" in (out / "index.html").read_text(encoding="utf-8")
