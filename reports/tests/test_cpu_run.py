"""A report from a real results file: the C++ build runs the ci suite on the cpu (GQ_BINARY),
then the report is built from it, by the Python entry point and by `gpuqual report` (the run
itself: the cpu_results fixture of conftest.py)."""

import json
import os
import subprocess

from gpuqual_reports import cli

BINARY = os.environ.get("GQ_BINARY", "")


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


def test_gpuqual_report_command(cpu_results, tmp_path):
    out = tmp_path / "cli"
    proc = subprocess.run([BINARY, "report", cpu_results, "-o", str(out)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (out / "index.html").exists() and (out / "data.csv").exists()
    bad = subprocess.run([BINARY, "report", str(tmp_path / "missing.json")], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "missing.json" in bad.stderr
