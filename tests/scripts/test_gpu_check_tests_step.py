"""The GPU kit's tests step (step_tests in scripts/gpu-check-steps.sh) through scripts/gpu-check.sh,
with a stand-in for gq_gpu_tests: a shell script that writes the progress lines of
tests/gpu/gpu_test_main.cc (start / end passed|failed|skipped / timeout) for a made-up list of
tests, and can crash (SIGSEGV, exit 139), hang (the watchdog's exit 124), sleep past the step's
time cap or exit with a stray rc. A test that started and never ended counts as failed and is
named in the summary; a crash reruns the tests left; a non-zero rc no failed test explains fails."""

import os
import re
import subprocess

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
KIT = os.path.join(ROOT, "scripts", "gpu-check.sh")

# Runs the tests of $FAKE_GTEST_PLAN ("<test> <what>" per line; "rc N" sets the exit code) that
# --gtest_filter=*-A:B does not leave out.
FAKE_GTESTS = r"""#!/usr/bin/env bash
exclude=""
for a in "$@"; do
  case "$a" in --gtest_filter=*) f=${a#--gtest_filter=}; case "$f" in *-*) exclude=":${f#*-}:" ;; esac ;; esac
done
p() { echo "$*" >> "$GQ_TEST_PROGRESS_FILE"; }
rc=0 final=""
while read -r name what; do
  [ -n "$name" ] || continue
  [ "$name" = rc ] && { final=$what; continue; }
  case "$exclude" in *":$name:"*) continue ;; esac
  p "start $name"
  echo "[ RUN      ] $name"
  case "$what" in
    pass) p "end $name passed 0.010000" ;;
    fail) p "end $name failed 0.020000"; rc=1 ;;
    skip) p "end $name skipped 0.000000" ;;
    segv) ulimit -c 0; kill -SEGV $$; sleep 5 ;;
    exit139) exit 139 ;;
    hang) echo "[watchdog] $name exceeded $GQ_TEST_TIME_LIMIT_S s"; p "timeout $name $GQ_TEST_TIME_LIMIT_S.100000"; exit 124 ;;
    sleep) sleep 60 ;;
  esac
done < "$FAKE_GTEST_PLAN"
exit "${final:-$rc}"
"""


def _kit(tmp_path, plan, budget=120, steps="setup,tests"):
    build = tmp_path / "build"
    (build / "tests").mkdir(parents=True)
    fake = build / "tests" / "gq_gpu_tests"
    fake.write_text(FAKE_GTESTS, encoding="utf-8")
    fake.chmod(0o755)
    plan_file = tmp_path / "plan.txt"
    plan_file.write_text("\n".join(plan) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    env = dict(os.environ, GQ_OUT=str(out), FAKE_GTEST_PLAN=str(plan_file))
    env.pop("GQ_WATCHDOG_SELF_TEST", None)
    # --build-dir is taken relative to the repository root.
    proc = subprocess.run(["bash", KIT, "--steps", steps, "--budget", str(budget),
                           "--build-dir", os.path.relpath(build, ROOT)],
                          capture_output=True, text=True, timeout=budget + 60, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = (out / "summary.md").read_text(encoding="utf-8").splitlines()
    rows = {}
    for line in lines:
        if line.startswith("| "):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            rows[cells[0]] = cells
    return rows, proc.stdout


def test_all_ended_is_ok(tmp_path):
    rows, text = _kit(tmp_path, ["A.Passes pass", "A.Skips skip"])
    step = rows["tests: gpu GoogleTests"]
    assert step[1] == "ok" and step[2] == "1 passed, 0 failed, 1 skipped, 0 timed out", text
    assert step[5].startswith("one process per run"), text


def test_crash_counts_the_test_as_failed_names_it_and_runs_the_rest(tmp_path):
    for how in ("segv", "exit139"):
        case = tmp_path / how
        case.mkdir()
        rows, text = _kit(case, ["A.Passes pass", "B.Crashes " + how, "C.After pass"])
        step = rows["tests: gpu GoogleTests"]
        assert step[1] == "failed", text
        assert step[2] == "2 passed, 1 failed, 0 skipped, 0 timed out", text  # C.After ran in a rerun
        assert "crashed in B.Crashes (rc 139, SIGSEGV)" in step[5], text
        crash = rows["tests: B.Crashes"]
        assert crash[1] == "crashed" and crash[2] == "rc 139, SIGSEGV" and "gpu-tests-1.log" in crash[5], text


def test_killed_at_the_cap_counts_the_test_as_failed_and_names_it(tmp_path):
    rows, text = _kit(tmp_path, ["A.Passes pass", "B.Sleeps sleep", "C.Never pass"], budget=8)
    step = rows["tests: gpu GoogleTests"]
    assert step[1] == "failed", text
    assert step[2] == "1 passed, 1 failed, 0 skipped, 0 timed out", text  # no rerun after the cap
    assert re.search(r"killed in B\.Sleeps at the \d+ s cap", step[5]), text
    assert rows["tests: B.Sleeps"][1] == "killed", text


def test_nonzero_rc_without_a_failed_test_fails_the_step(tmp_path):
    rows, text = _kit(tmp_path, ["A.Passes pass", "B.Passes pass", "rc 3"])
    step = rows["tests: gpu GoogleTests"]
    assert step[1] == "failed" and step[2] == "2 passed, 0 failed, 0 skipped, 0 timed out", text
    assert "exited with rc 3 outside any test" in step[5], text


def test_hang_reruns_the_rest_and_a_failed_test_explains_rc_1(tmp_path):
    rows, text = _kit(tmp_path, ["A.Passes pass", "H.Hangs hang", "F.Fails fail", "C.After pass"])
    step = rows["tests: gpu GoogleTests"]
    assert step[1] == "failed" and step[2] == "2 passed, 1 failed, 0 skipped, 1 timed out", text
    assert "outside any test" not in step[5] and "crashed" not in step[5], text
    assert rows["tests: H.Hangs"][1] == "timed out" and rows["tests: F.Fails"][1] == "failed", text


def test_tests_leave_the_perf_step_its_time(tmp_path):
    """With perf wanted after it, the tests step may use the budget less perf's 120 s: a test that
    sleeps is killed at that cap, and perf still runs (here: skipped, no GPU)."""
    rows, text = _kit(tmp_path, ["A.Passes pass", "B.Sleeps sleep"], budget=135, steps="setup,tests,perf")
    cap = re.search(r"killed in B\.Sleeps at the (\d+) s cap", rows["tests: gpu GoogleTests"][5])
    assert cap and int(cap.group(1)) <= 15, text
    assert rows["perf: gpuqual anchors"][1] == "skipped", text
