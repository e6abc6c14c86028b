"""The GPU kit's summary (scripts/gpu_check_summary.py) on made-up inputs of the shapes the kit
hands it: the steps' rows, an anchors results file and torch_anchors.py's output. The anchor rows
pair each gpuqual case with torch's figure of the same quantity, with the ratio, the roofline,
the cuDNN engine and the timer's hold status; a missing case says "not run"."""

import json
import os
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "gpu_check_summary.py")


def _case(workload, params, metric, median, unit, device="cuda:0", details=None, roofline=None):
    return {"id": workload + "/" + "/".join(f"{k}={v}" for k, v in params.items()), "workload": workload,
            "params": params, "device": device, "status": "ok",
            "metrics": {metric: {"median": median, "unit": unit}},
            "verification": {"passed": True}, "details": details or {}, "roofline": roofline}


def _run(tmp_path, cases, torch_lines, bursts=None):
    rows = tmp_path / "rows.tsv"
    rows.write_text("setup: carried kit\tok\tgpuqual 0.1.0\tkit\n", encoding="utf-8")
    results = tmp_path / "anchors.json"
    results.write_text(json.dumps({"cases": cases}), encoding="utf-8")
    torch = tmp_path / "torch.log"
    torch.write_text("".join(json.dumps(t) + "\n" for t in torch_lines) + "a table line\n", encoding="utf-8")
    out = tmp_path / "summary.md"
    burst_args = []
    for i, burst_cases in enumerate(bursts or []):
        path = tmp_path / f"burst-{i}.json"
        path.write_text(json.dumps({"cases": burst_cases}), encoding="utf-8")
        burst_args += ["--burst", str(path)]
    proc = subprocess.run([sys.executable, SCRIPT, "--rows", str(rows), "--results", str(results),
                           "--torch", str(torch), *burst_args, "--elapsed", "300", "--budget", "350",
                           "--out", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert proc.stdout.strip().splitlines()[-1] == lines[-1]  # the table is printed too
    return {line.split(" | ")[0].lstrip("| "): line.split(" | ") for line in lines if line.startswith("| ")}


def test_anchor_rows_pair_gpuqual_with_torch(tmp_path):
    held = "CUDA events on the case's stream, held behind a spin kernel while each batch after the first"
    cases = [
        _case("gemm", {"dtype": "bf16", "m": 8192, "n": 8192, "k": 8192}, "tflops", 700.0, "TFLOP/s",
              details={"timer": held}, roofline={"efficiency": 0.708, "peak": 989, "bound": "compute"}),
        _case("membw", {"op": "copy", "size": 1073741824}, "bandwidth", 4100.0, "GB/s",
              details={"timer": "CUDA events; the stream hold timed out after 50 ms in sample 3 of 40"}),
        _case("attention", {"backend": "cudnn", "seq_q": 16384}, "tflops", 570.0, "TFLOP/s",
              details={"engine": "engine 8 (fused SDPA)", "timer": held}),
    ]
    torch = [{"kind": "gemm", "dtype": "bf16", "m": 8192, "n": 8192, "k": 8192, "tflops": 700.0},
             {"kind": "d2d_copy", "tbs": 4.0},
             {"kind": "attn_fwd", "backend": "cudnn", "hd": 128, "seq": 16384, "causal": False, "tflops": 600.0}]
    rows = _run(tmp_path, cases, torch)
    gemm = rows["perf: gemm dtype=bf16 m=8192"]
    assert gemm[1] == "ok, verified" and gemm[4] == "1.000x" and "70.8% of 989 (compute)" in gemm[5]
    copy = rows["perf: membw op=copy size=1G"]
    assert copy[4] == "1.025x"  # torch's TB/s in GB/s: 4100 / 4000
    assert "stream hold timed out" in copy[5]
    cudnn = rows["perf: attention backend=cudnn seq_q=16384"]
    assert cudnn[4] == "0.950x" and "engine engine 8 (fused SDPA)" in cudnn[5]
    assert rows["perf: e2e scenario=decode batch=1"][1] == "not run"
    timer = rows["timer: held streams"]
    assert timer[1] == "check" and timer[2] == "2 of 3 GPU case(s) held throughout"
    assert "membw/op=copy/size=1073741824" in timer[5]
    assert rows["setup: carried kit"][1] == "ok"


def test_no_results_file_leaves_only_the_steps(tmp_path):
    rows = tmp_path / "rows.tsv"
    rows.write_text("perf: gpuqual anchors\tskipped\t\tno CUDA device visible\n", encoding="utf-8")
    out = tmp_path / "summary.md"
    proc = subprocess.run([sys.executable, SCRIPT, "--rows", str(rows), "--results", str(tmp_path / "none.json"),
                           "--out", str(out)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "| perf: gpuqual anchors | skipped |" in text and "timer:" not in text and "perf: gemm" not in text


def test_real_h200_rows_say_why_a_sustained_figure_trails_a_burst(tmp_path):
    """The first light's own files (reports/tests/fixtures/h200/anchors.json, torch's log beside
    the measurement notes): GEMM bf16 8192^3 ran at 0.897x torch under the 700 W power cap (SM
    clock median 1515 MHz); its best autotune candidate, timed before the sustained samples, ran
    at 817.7 TFLOP/s, above torch's 782.8."""
    out = tmp_path / "summary.md"
    rows = tmp_path / "rows.tsv"
    rows.write_text("", encoding="utf-8")
    proc = subprocess.run([sys.executable, SCRIPT, "--rows", str(rows),
                           "--results", os.path.join(ROOT, "reports", "tests", "fixtures", "h200", "anchors.json"),
                           "--torch", os.path.join(ROOT, "docs", "measurements", "h200", "torch-anchors.log"),
                           "--elapsed", "281", "--budget", "380", "--out", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    found = {line.split(" | ")[0].lstrip("| "): line.split(" | ")
             for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("| perf:")}
    gemm = found["perf: gemm dtype=bf16 m=8192"]
    assert gemm[2:5] == ["702.2 TFLOP/s", "782.8 TFLOP/s", "0.897x"]
    assert "SM 1515 MHz median (min 1260), throttled: sw_power_cap" in gemm[5]
    assert "best autotune candidate 817.7 TFLOP/s (1.16x the sustained median)" in gemm[5]
    copy = found["perf: membw op=copy size=1G"]
    assert "SM 1980 MHz median" in copy[5] and "throttled" not in copy[5]
    assert "autotune" not in found["perf: attention backend=cudnn seq_q=16384"][5]


def test_no_telemetry_no_clock_note(tmp_path):
    cases = [_case("gemm", {"dtype": "bf16", "m": 8192, "n": 8192, "k": 8192}, "tflops", 700.0, "TFLOP/s",
                   details={"candidate_us": ""})]
    cases[0]["telemetry"] = {"available": False, "reason": "NVML not found"}
    rows = _run(tmp_path, cases, [])
    note = rows["perf: gemm dtype=bf16 m=8192"][5]
    assert "MHz" not in note and "autotune" not in note


def test_burst_rows_follow_their_sustained_row_beside_the_same_torch_figure(tmp_path):
    """The kit's burst runs (GEMM and attention timed as briefly as torch times them) each add a
    "(burst)" row under the sustained one; a missing burst file adds nothing."""
    gemm = {"dtype": "bf16", "m": 8192, "n": 8192, "k": 8192}
    sustained = _case("gemm", gemm, "tflops", 702.0, "TFLOP/s")
    burst = _case("gemm", gemm, "tflops", 810.0, "TFLOP/s")
    burst["samples_s"] = [0.00135] * 24
    torch = [{"kind": "gemm", "dtype": "bf16", "m": 8192, "n": 8192, "k": 8192, "tflops": 780.0}]
    rows = _run(tmp_path, [sustained], torch, bursts=[[burst], []])
    assert rows["perf: gemm dtype=bf16 m=8192"][4] == "0.900x"
    row = rows["perf: gemm dtype=bf16 m=8192 (burst)"]
    assert row[2:5] == ["810 TFLOP/s", "780 TFLOP/s", "1.038x"]
    assert row[5].startswith("timed as briefly as torch: 24 samples")
    assert "perf: attention backend=native seq_q=16384 (burst)" not in rows
