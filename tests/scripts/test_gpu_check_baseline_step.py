"""The GPU kit's baseline step (step_baseline in scripts/gpu-check-steps.sh) through
scripts/gpu-check.sh --dry-run, with a stand-in for gpuqual: a shell script whose `run` writes a
results file that is complete or cut off (complete: false) as $FAKE_RUN_PLAN says for each run in
turn, and whose `baseline create`, `qualify`, `compare` and `report` log their arguments and write
what the step reads. Only finished runs make the baseline (all but the last, at most 3), the last is
qualified and compared, the baseline is named for the runs' SKU, and everything lands in
$OUT/baseline.tar.gz. The real binary's flow on the cpu is exercised by scripts/test.sh's dry run."""

import json
import os
import subprocess
import tarfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
KIT = os.path.join(ROOT, "scripts", "gpu-check.sh")

FAKE_GPUQUAL = r"""#!/usr/bin/env bash
echo "$*" >> "$FAKE_CALLS"
out="" ; prev=""
for a in "$@"; do [ "$prev" = -o ] && out=$a; prev=$a; done
case "$1" in
  --version) echo "gpuqual 0.0.0 (fake)" ;;
  run)
    n=$(( $(grep -c '^run ' "$FAKE_CALLS") ))
    what=$(sed -n "${n}p" "$FAKE_RUN_PLAN")
    complete=true; [ "$what" = cut ] && complete=false
    interrupted=false; [ "$what" = interrupted ] && interrupted=true
    printf '{"run": {"complete": %s, "interrupted": %s}, "system": {"devices": [{"sku": "%s"}]}, "cases": [{"status": "ok"}, {"status": "noisy"}]}\n' \
      "$complete" "$interrupted" "$FAKE_SKU" > "$out"
    [ "$what" = cut ] && exit 130
    [ "$what" = interrupted ] && exit 130
    [ "$what" = slow-exit ] && exec sleep 1000  # every case written, then killed at the cap
    [ "$what" = fail ] && exit 1
    exit 0 ;;
  baseline) echo '{}' > "$out"; echo "baseline 'x' (sku $FAKE_SKU): 2 case(s) from N run(s) -> $out" ;;
  qualify) sleep "${FAKE_QUALIFY_S:-0}"; echo "qualify: PASS (baseline: x, instance: unknown)" ;;
  compare)
    for a in "$@"; do [ "$prev" = --json ] && printf '{"counts": {"same": 2}}\n' > "$a"; prev=$a; done
    exit 0 ;;
  report) mkdir -p "$out"; echo "<html></html>" > "$out/index.html"; echo "report: $out/index.html" ;;
esac
"""


def _kit(tmp_path, plan, sku="cpu", budget=240, extra=(), env_extra=None):
    build = tmp_path / "build"
    (build / "app").mkdir(parents=True)
    (build / "tests").mkdir()
    fake = build / "app" / "gpuqual"
    fake.write_text(FAKE_GPUQUAL, encoding="utf-8")
    fake.chmod(0o755)
    gtests = build / "tests" / "gq_gpu_tests"
    gtests.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    gtests.chmod(0o755)
    plan_file = tmp_path / "plan.txt"
    plan_file.write_text("\n".join(plan) + "\n", encoding="utf-8")
    calls = tmp_path / "calls.txt"
    calls.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    env = dict(os.environ, GQ_OUT=str(out), FAKE_RUN_PLAN=str(plan_file), FAKE_CALLS=str(calls), FAKE_SKU=sku,
               **(env_extra or {}))
    proc = subprocess.run(["bash", KIT, "--dry-run", "--steps", "setup,baseline", "--budget", str(budget),
                           "--quick-runs", str(len(plan)), "--build-dir", os.path.relpath(build, ROOT), *extra],
                          capture_output=True, text=True, timeout=budget + 60, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = {}
    for line in (out / "summary.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| "):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            rows[cells[0]] = cells
    return rows, calls.read_text(encoding="utf-8").splitlines(), out, proc.stdout


def _call(calls, verb):
    return [c.split() for c in calls if c.startswith(verb + " ")]


def test_finished_runs_make_the_baseline_and_the_last_is_judged(tmp_path):
    rows, calls, out, text = _kit(tmp_path, ["ok", "ok", "fail", "ok"], sku="h200-sxm-141gb")
    for i in (1, 2, 3, 4):
        assert rows[f"baseline: quick run {i}"][1] == "ok" and rows[f"baseline: quick run {i}"][2] == "1 noisy, 1 ok", text
    assert "rc 1" in rows["baseline: quick run 3"][5], text  # a failed case is a finished run
    runs = _call(calls, "run")
    assert all(r[1:5] == ["--suite", "quick", "--device", "cpu"] and "--max-time" in r for r in runs), calls
    create = _call(calls, "baseline")[0]
    sources = [a for a in create if a.endswith(".json") and "quick-" in a]
    assert [os.path.basename(s) for s in sources] == ["quick-1.json", "quick-2.json", "quick-3.json"], create
    assert create[create.index("--name") + 1] == "h200-sxm-141gb", create
    assert rows["baseline: create"][1] == "ok" and "->" not in rows["baseline: create"][2], text
    assert "h200-sxm-141gb.json" in rows["baseline: create"][5], text
    assert os.path.basename(_call(calls, "qualify")[0][1]) == "quick-4.json", calls
    assert rows["baseline: qualify last run"][2] == "qualify: PASS (baseline: x, instance: unknown)", text
    assert rows["baseline: compare last run"][2] == "rc 0: 2 same", text
    assert rows["baseline: report"][1] in ("ok", "skipped"), text
    with tarfile.open(out / "baseline.tar.gz") as tar:
        names = set(tar.getnames())
    assert {"baseline/h200-sxm-141gb.json", "baseline/quick-4.json", "baseline/compare.json"} <= names, names


def test_a_cut_off_run_is_left_out(tmp_path):
    rows, calls, out, text = _kit(tmp_path, ["ok", "cut", "ok"])
    assert rows["baseline: quick run 2"][1] != "ok" and "cut off or interrupted" in rows["baseline: quick run 2"][5], text
    create = _call(calls, "baseline")[0]
    assert [os.path.basename(a) for a in create if "quick-" in a] == ["quick-1.json"], create
    assert rows["baseline: create"][5].startswith("from 1 run(s)"), text
    assert os.path.basename(_call(calls, "qualify")[0][1]) == "quick-3.json", calls


def test_a_run_killed_after_writing_every_case_is_finished(tmp_path):
    """On the H200 a quick run wrote its whole file at 96 s of a 97 s cap and was killed while it
    exited; a run stopped part-way (interrupted: true, complete file) is left out."""
    rows, calls, out, text = _kit(tmp_path, ["slow-exit", "interrupted", "ok"], budget=170)
    first = rows["baseline: quick run 1"]
    assert first[1] == "ok" and "killed at the" in first[5] and "after writing every case" in first[5], text
    assert rows["baseline: quick run 2"][1] != "ok" and "interrupted" in rows["baseline: quick run 2"][5], text
    create = _call(calls, "baseline")[0]
    assert [os.path.basename(a) for a in create if "quick-" in a] == ["quick-1.json"], create
    assert os.path.basename(_call(calls, "qualify")[0][1]) == "quick-3.json", calls


def test_fewer_than_two_finished_runs_make_no_baseline(tmp_path):
    rows, calls, out, text = _kit(tmp_path, ["cut", "ok"])
    assert rows["baseline: create"][1] == "skipped" and "1 finished run(s)" in rows["baseline: create"][5], text
    assert not _call(calls, "baseline") and not _call(calls, "qualify"), calls
    assert (out / "baseline.tar.gz").exists()  # the runs that were made still come back


def test_too_little_time_skips_the_step_and_says_how_to_run_it(tmp_path):
    rows, calls, out, text = _kit(tmp_path, ["ok", "ok", "ok", "ok"], budget=60)
    assert rows["baseline: quick runs"][1] == "skipped", text
    assert "--steps setup,info,baseline" in rows["baseline: quick runs"][5], text
    assert not _call(calls, "run"), calls


def test_a_closing_command_that_times_out_says_so(tmp_path):
    """qualify past its cap: its row says it timed out (never "ok"), and compare still runs."""
    rows, calls, out, text = _kit(tmp_path, ["ok", "ok"], env_extra={"FAKE_QUALIFY_S": "40"})
    assert rows["baseline: qualify last run"][1].startswith("timed out after"), text
    assert rows["baseline: compare last run"][1] == "ok", text


def test_bad_options_exit_2():
    for args in (["--quick-runs", "1"], ["--quick-runs", "x"], ["--quick-max-time", "2s"],
                 ["--quick-max-time", "0.3"]):
        proc = subprocess.run(["bash", KIT, *args], capture_output=True, text=True, timeout=30)
        assert proc.returncode == 2 and proc.stderr.startswith("gpu-check: "), (args, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
