"""Writes the GPU kit's summary (scripts/gpu-check.sh): one Markdown table of every check, then
gpuqual's anchor cases beside PyTorch's figures from the same call, and prints the table.

Inputs: the steps' rows (TSV: check, result, figure, note), the anchors results file
(gpuqual.results/1, optional), the burst runs' results files (the same anchors timed as briefly as
torch times them, optional) and torch_anchors.py's output (one JSON object per line, optional).
Ratios are gpuqual / torch of the same quantity; the floors are the first-light targets of the
H200 issue, shown for reading, not judged here. Standard library only (runs under any python3).
"""

import argparse
import json
import os
import sys
import time

# (workload, params that must match, gpuqual metric) -> (torch row filter, torch field, scale to
# gpuqual's unit, floor note)
ANCHORS = [
    ("gemm", {"dtype": "bf16", "m": 8192}, "tflops",
     ({"kind": "gemm", "dtype": "bf16", "m": 8192, "n": 8192, "k": 8192}, "tflops", 1.0, "floor 1.00x torch")),
    ("gemm", {"dtype": "fp8_e4m3", "m": 8192}, "tflops",
     ({"kind": "gemm", "dtype": "fp8_e4m3", "m": 8192}, "tflops", 1.0, "floor 1.00x torch")),
    ("membw", {"op": "copy", "size": 1 << 30}, "bandwidth",
     ({"kind": "d2d_copy"}, "tbs", 1000.0, "floor 0.98x torch's 4 GiB copy (bytes read + written)")),
    ("membw", {"op": "copy", "size": 4 << 30}, "bandwidth",
     ({"kind": "d2d_copy"}, "tbs", 1000.0, "the size torch copies (bytes read + written)")),
    ("membw", {"op": "read", "size": 1 << 30}, "bandwidth", (None, None, None, "floor 85% of the 4.8 TB/s datasheet")),
    ("attention", {"backend": "native", "seq_q": 16384}, "tflops",
     ({"kind": "attn_fwd", "backend": "flash", "hd": 128, "seq": 16384, "causal": False}, "tflops", 1.0,
      "floor 0.75x torch flash")),
    ("attention", {"backend": "cudnn", "seq_q": 16384}, "tflops",
     ({"kind": "attn_fwd", "backend": "cudnn", "hd": 128, "seq": 16384, "causal": False}, "tflops", 1.0,
      "floor 0.95x torch cuDNN")),
    ("e2e", {"scenario": "decode", "batch": 1}, "output_tok_s",
     ({"kind": "decode", "batch": 1, "ctx": 1024}, "tok_s", 1.0, "floor 1.0x torch graph step")),
    ("e2e", {"scenario": "decode", "batch": 64}, "output_tok_s",
     ({"kind": "decode", "batch": 64, "ctx": 1024}, "tok_s", 1.0, "goal 1.1x torch")),
    ("e2e", {"scenario": "prefill", "batch": 4}, "prefill_tok_s",
     ({"kind": "prefill", "batch": 4, "seq": 2048}, "tok_s", 1.0, "floor 0.9x torch")),
]


def read_rows(path):
    rows = []
    if os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t") + ["", "", "", ""]
                rows.append(parts[:4])
    return rows


def read_torch(path):
    out = []
    if path and os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        pass
    return out


def read_cases(path):
    if not path or not os.path.exists(path):
        return []
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f).get("cases") or []
    except (OSError, ValueError):
        return []


def matches(params, want):
    return all(str(params.get(k)) == str(v) for k, v in want.items())


def metric(case, name):
    for_name = (case.get("metrics") or {}).get(name) or {}
    return for_name.get("median"), for_name.get("unit", "")


def fmt(x):
    if x is None:
        return ""
    return f"{x:.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def axis_text(key, value):
    return f"{key}={value >> 30}G" if key == "size" else f"{key}={value}"


def anchor_rows(cases, torch_rows, bursts=()):
    """One row per ANCHORS entry: gpuqual's sustained case beside torch's figure; then, where the
    kit's burst runs measured the same case, a "(burst)" row of it beside the same torch figure."""
    rows = []
    for workload, want, name, (torch_want, field, scale, note) in ANCHORS:
        label = f"perf: {workload} " + " ".join(axis_text(k, v) for k, v in want.items())
        case = find_case(cases, workload, want)
        if case is None:
            rows.append([label, "not run", "", "", "", note])
            continue
        rows.append(anchor_row(label, case, name, torch_rows, torch_want, field, scale, note))
        burst = find_case(bursts, workload, want)
        if burst is not None:
            rows.append(anchor_row(label + " (burst)", burst, name, torch_rows, torch_want, field, scale,
                                   f"timed as briefly as torch: {len(burst.get('samples_s') or [])} samples"))
    return rows


def find_case(cases, workload, want):
    return next((c for c in cases if c.get("workload") == workload and matches(c.get("params") or {}, want)), None)


def anchor_row(label, case, name, torch_rows, torch_want, field, scale, note):
    """check | result | figure | torch figure | ratio | note of one gpuqual case."""
    status = case.get("status", "?")
    ver = case.get("verification") or {}
    if ver:
        status += ", verified" if ver.get("passed") else ", verification FAILED"
    value, unit = metric(case, name)
    figure = f"{fmt(value)} {unit}" if value is not None else case.get("reason", "")[:120]
    torch_value = None
    if torch_want is not None:
        hit = next((t for t in torch_rows if matches(t, torch_want) and t.get(field) is not None), None)
        if hit is not None:
            torch_value = float(hit[field]) * scale
    ratio = f"{value / torch_value:.3f}x" if value and torch_value else ""
    roof = case.get("roofline") or {}
    if roof.get("efficiency") is not None:
        note += f"; {100 * roof['efficiency']:.1f}% of {fmt(roof.get('peak'))} ({roof.get('bound', '')})"
    details = case.get("details") or {}
    if details.get("engine"):
        note += f"; engine {details['engine']}"
    if "timed out" in str(details.get("timer", "")):
        note += "; stream hold timed out (later samples include launch gaps)"
    note += clock_note(case)
    note += autotune_note(case, value, unit)
    return [label, status, figure, f"{fmt(torch_value)} {unit}" if torch_value else "", ratio, note]


def clock_note(case):
    """The SM clock NVML saw while the case ran, and why it was held down (telemetry, written by
    harness/telemetry): a sustained figure under a power cap is below a short burst's, such as
    torch_anchors.py's, at the same kernel."""
    tel = case.get("telemetry") or {}
    if not tel.get("available") or tel.get("sm_mhz_median") is None:
        return ""
    note = f"; SM {tel['sm_mhz_median']:.0f} MHz median"
    if tel.get("sm_mhz_min") is not None and tel["sm_mhz_min"] < tel["sm_mhz_median"]:
        note += f" (min {tel['sm_mhz_min']:.0f})"
    reasons = tel.get("throttle_reasons") or []
    return note + (", throttled: " + ", ".join(reasons) if reasons else "")


def autotune_note(case, value, unit):
    """GEMM autotuning times each candidate algorithm once, before the sustained samples
    (details.candidate_us, microseconds per call, written by workloads/gemm): the best of them as
    a rate, work.flops / time, is the burst figure of the algorithm the case then kept."""
    times = [float(t) for t in str((case.get("details") or {}).get("candidate_us", "")).split(",") if t.strip()]
    flops = (case.get("work") or {}).get("flops")
    if not times or not flops or not value or unit != "TFLOP/s" or min(times) <= 0:
        return ""
    best = flops / (min(times) * 1e-6) / 1e12
    return f"; best autotune candidate {fmt(best)} {unit} ({best / value:.2f}x the sustained median)"


def timer_row(cases):
    """How many measured GPU cases kept the held-stream timer throughout (details.timer, written
    by harness/gpu/cuda_event_timer.cu): a timed-out hold leaves launch gaps in the samples."""
    gpu = [c for c in cases if str(c.get("device", "")).startswith("cuda") and (c.get("details") or {}).get("timer")]
    if not gpu:
        return []
    late = [c.get("id", "?") for c in gpu if "timed out" in c["details"]["timer"]]
    figure = f"{len(gpu) - len(late)} of {len(gpu)} GPU case(s) held throughout"
    note = ("hold timed out in: " + ", ".join(late[:5]) + (" ..." if len(late) > 5 else "")) if late else ""
    return [["timer: held streams", "check" if late else "ok", figure, "", "", note]]


def table(rows):
    head = ["check", "result", "figure", "torch figure", "ratio", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append("| " + " | ".join(str(x).replace("|", "/").replace("\n", " ") for x in r) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", required=True)
    ap.add_argument("--results")
    ap.add_argument("--torch")
    ap.add_argument("--burst", action="append", default=[],
                    help="a results file of anchor cases timed as briefly as torch (repeatable)")
    ap.add_argument("--elapsed", type=int, default=0)
    ap.add_argument("--budget", type=int, default=0)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    steps = [[c, r, f, "", "", n] for c, r, f, n in read_rows(a.rows)]
    cases = read_cases(a.results)
    bursts = [c for path in a.burst for c in read_cases(path)]
    perf = (anchor_rows(cases, read_torch(a.torch), bursts) + timer_row(cases)) if cases else []
    text = (f"# gpuqual GPU check\n\n{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}; "
            f"{a.elapsed} s of a {a.budget} s budget.\n\n{table(steps + perf)}\n")
    tmp = a.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, a.out)
    sys.stdout.write("\n" + table(steps + perf) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
