"""A report from a real results file: the C++ build runs the ci suite on the cpu (conftest's
binary(): $GQ_BINARY, else build/app/gpuqual), then the report is built from it, by the Python
entry point and by `gpuqual report`."""

import json
import os
import subprocess

from conftest import binary
from gpuqual_reports import cli


def test_report_from_cpu_run(cpu_results, tmp_path):
    with open(cpu_results, encoding="utf-8") as f:
        doc = json.load(f)
    # The ci suite's cpu entries: membw copy, gemm fp32/fp64, single-rank allreduce, tiny e2e.
    assert doc["system"]["devices"] == []
    assert {c["workload"] for c in doc["cases"]} == {"membw", "gemm", "allreduce", "e2e"}
    out = tmp_path / "report"
    assert cli.main([cpu_results, "-o", str(out)]) == 0
    names = set(os.listdir(out))
    assert {"index.html", "summary.md", "data.csv", "gemm.png", "e2e.png"} <= names
    with open(out / "index.html", encoding="utf-8") as f:
        page = f.read()
    assert "none (cpu run)" in page
    assert page.count("data:image/png;base64,") == len([n for n in names if n.endswith(".png")])
    with open(out / "summary.md", encoding="utf-8") as f:
        md = f.read()
    for case in doc["cases"]:
        assert case["id"] in md


def test_single_rank_collective_is_drawn_by_its_algorithm_bandwidth(cpu_results):
    """One process is one rank: busbw is undefined (written 0), the runner names algbw the primary
    metric, and the collectives figure draws that, not a flat line at 0."""
    from gpuqual_reports import figures_bandwidth, load, table
    with open(cpu_results, encoding="utf-8") as f:
        doc = json.load(f)
    allreduce = [c for c in doc["cases"] if c["workload"] == "allreduce"]
    assert allreduce and all(c["primary_metric"] == "algbw" for c in allreduce)
    assert all(c["metrics"]["busbw"]["median"] == 0 < c["metrics"]["algbw"]["median"] for c in allreduce)
    spec = figures_bandwidth.collective_figure(table.tidy([load.load_results(cpu_results)]))
    ax = spec.fig.axes[0]
    assert ax.get_ylabel() == "Algorithm bandwidth (GB/s)" and "one rank" in ax.get_title()
    assert max(y for line in ax.get_lines() for y in line.get_ydata()) > 0


def test_gpuqual_report_command(cpu_results, tmp_path):
    out = tmp_path / "cli"
    proc = subprocess.run([binary(), "report", cpu_results, "-o", str(out)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (out / "index.html").exists() and (out / "data.csv").exists()
    bad = subprocess.run([binary(), "report", str(tmp_path / "missing.json")], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "missing.json" in bad.stderr


def test_qualify_results_file_and_report_quote_the_same_token_cost(cpu_results, tmp_path):
    """$/Mtok of one scenario (the ci suite's tiny e2e case) is made once, in C++: `qualify`
    writes it into the results file, `gpuqual report` into procurement.json and the summary; the
    three agree to the digit."""
    scenario = "model=tiny,scenario=offline,batch=2,input_len=32,output_len=8"
    qualified = tmp_path / "qualified.json"
    proc = subprocess.run([binary(), "qualify", cpu_results, "--price-per-hour", "3.5", "--instance", "test.cpu",
                           "--scenario", scenario, "-o", str(qualified)], capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr  # a cpu run has no baseline: WARN
    with open(qualified, encoding="utf-8") as f:
        cost = json.load(f)["verdict"]["cost"]
    assert cost["usd_per_mtok"] > 0 and cost["scenario"].startswith("Tiny offline, batch 2, 32 in / 8 out")
    assert f"${cost['usd_per_mtok']:.3f} per million output tokens" in proc.stdout
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"schema": "gpuqual.prices/1",
                                  "prices": [{"instance_type": "test.cpu", "usd_per_hour": 3.5}]}))
    out = tmp_path / "report"
    proc = subprocess.run([binary(), "report", str(qualified), "--prices", str(prices), "--scenario", scenario,
                           "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    with open(out / "procurement.json", encoding="utf-8") as f:
        machine = json.load(f)["machines"][0]
    assert machine["machine"] == "test.cpu"
    assert machine["usd_per_mtok"] == cost["usd_per_mtok"]
    assert machine["usd_per_mtok_note"] == cost["usd_per_mtok_note"]
    with open(out / "summary.md", encoding="utf-8") as f:
        md = f.read()
    assert f"| ${cost['usd_per_mtok']:.3f} |" in md


def test_report_of_the_quick_suite_on_the_cpu_draws_every_figure_without_a_warning(tmp_path):
    """The quick suite's cpu cases (membw, gemm, tiny e2e, cpu attention with seq_kv = 0, i.e. as
    long as seq_q) through `gpuqual report`: exit 0, nothing on stderr, and the
    attention figure drawn (a point at x = 0 on its log axis made matplotlib warn and drew nothing)."""
    results = tmp_path / "quick.json"
    proc = subprocess.run([binary(), "run", "--suite", "quick", "--device", "cpu", "--max-time", "0.5",
                           "-q", "-o", str(results)], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(results, encoding="utf-8") as f:
        attention = [c for c in json.load(f)["cases"] if c["workload"] == "attention"]
    assert attention and all(c["params"]["seq_kv"] == 0 for c in attention)
    out = tmp_path / "report"
    env = dict(os.environ, PYTHONWARNINGS="error")
    proc = subprocess.run([binary(), "report", str(results), "-o", str(out)], capture_output=True,
                          text=True, timeout=300, check=False, env=env)
    assert proc.returncode == 0 and proc.stderr == "", proc.stdout + proc.stderr
    assert "attention.png" in os.listdir(out)
