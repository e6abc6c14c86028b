#!/usr/bin/env bash
# The GPU first-light kit: one command that turns one device call into a verdict on every GPU path,
# within a fixed time budget (default 350 s), every step under `timeout`, a failed or timed-out
# step recorded and the next one run; a step leaves the wanted steps after it their least time
# (sanitize 60 s, perf 120 s). Steps, most information first:
#   setup     binaries: the kit packed here by scripts/gpu-pack.sh (.device-carry/gpuqual-kit.tar.xz,
#             checked with ldd and `gpuqual --version`), else a build on this machine (all cores)
#   info      nvidia-smi, gpuqual info
#   tests     every `gpu` GoogleTest in one process (gq_gpu_tests), a per-test time limit; a test
#             that hangs is recorded and the rest rerun without it
#   sanitize  compute-sanitizer memcheck and racecheck on small cases of every kernel family,
#             synccheck on one flash case (through the GPU tests)
#   perf      the anchors suite (suites/anchors.json), its GEMM and attention cases again timed as
#             briefly as torch times them (bursts), and shared/anchors/torch_anchors.py, in turn
#   cudnn     one rerun, with cuDNN's debug log, of an anchors cuDNN case that was skipped or failed
#   baseline  in the time left: --quick-runs runs of the quick suite (separate processes), a baseline
#             of the SKU from all but the last, qualify and compare of the last against it, a report
# Output under $GQ_OUT (else $OUT, else gpu-check-out), at most 8 files: summary.md (check | result
# | figure | torch figure | ratio), logs.tar.gz, anchors.json, info.json, gpu-tests.xml,
# baseline.tar.gz. The summary table is printed last.
#
# Usage: scripts/gpu-check.sh [--dry-run] [--steps setup,info,tests,sanitize,perf,cudnn,baseline]
#                             [--budget SECONDS] [--kit FILE] [--build-dir DIR]
#                             [--quick-runs N] [--quick-max-time SECONDS]
# --dry-run runs every step's skip path on a machine without a GPU, with the local build
# (default build/), and makes one GPU test hang on purpose to exercise the watchdog and the rerun;
# its baseline step runs the quick suite on the cpu.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
start=$(date +%s)

dry_run=0 steps="setup,info,tests,sanitize,perf,cudnn,baseline" budget=350 quick_runs=4 quick_max_time=""
kit_archive=.device-carry/gpuqual-kit.tar.xz build_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --steps) steps="${2:?--steps needs a list}"; shift ;;
    --budget) budget="${2:?--budget needs seconds}"; shift ;;
    --kit) kit_archive="${2:?--kit needs a file}"; shift ;;
    --build-dir) build_dir="${2:?--build-dir needs a directory}"; shift ;;
    --quick-runs) quick_runs="${2:?--quick-runs needs a count}"; shift ;;
    --quick-max-time) quick_max_time="${2:?--quick-max-time needs seconds}"; shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
for name in ${steps//,/ }; do
  case "$name" in setup|info|tests|sanitize|perf|cudnn|baseline) ;;
    *) echo "gpu-check: --steps: unknown step '$name' (setup, info, tests, sanitize, perf, cudnn, baseline)" >&2; exit 2 ;;
  esac
done
[[ "$budget" =~ ^[0-9]+$ ]] || { echo "gpu-check: --budget '$budget' is not a whole number of seconds" >&2; exit 2; }
[[ "$quick_runs" =~ ^[0-9]+$ ]] && [ "$quick_runs" -ge 2 ] || { echo "gpu-check: --quick-runs '$quick_runs' is not a whole number of 2 or more (a baseline and a run to qualify)" >&2; exit 2; }
# Most sampled seconds per case: 1 on a GPU (the quick suite's 35 cases took 86-96 s a run on the
# H200 at 1, preparation, autotuning and verification included), 0.5 for the dry run's 5 cpu cases.
[ -n "$quick_max_time" ] || { [ "$dry_run" = 1 ] && quick_max_time=0.5 || quick_max_time=1; }
[[ "$quick_max_time" =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v t="$quick_max_time" 'BEGIN { exit !(t >= 0.5) }' \
  || { echo "gpu-check: --quick-max-time '$quick_max_time' is not a number of seconds of 0.5 or more (gpuqual run's --min-time)" >&2; exit 2; }

out="${GQ_OUT:-${OUT:-gpu-check-out}}"
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
logs="$work/logs"
mkdir -p "$logs"
rows="$work/rows.tsv"   # check \t result \t figure \t note, one line per check
: > "$rows"
deadline=$((start + budget))

row() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "${3:-}" "${4:-}" >> "$rows"; }
wants() { [[ ",$steps," == *",$1,"* ]]; }
# Seconds this step may still use: the budget left, less `held`, what the later steps wanted need
# at least (set by `step` below), so that a slow step cannot starve them.
held=0
left() { echo $((deadline - held - $(date +%s))); }
# step NAME: runs step_NAME when wanted, holding back the least time of the wanted steps after it:
# sanitize 60 s, perf 120 s (the anchors and torch's figures side by side: issue 13's ratios).
# setup (which may build the binaries) and info hold nothing: no later step runs without them.
step() {
  wants "$1" || return 0
  local later=0 after=0 s
  if [ "$1" != setup ] && [ "$1" != info ]; then
    for s in setup info tests sanitize perf cudnn baseline; do
      if [ "$after" = 1 ] && wants "$s"; then
        case "$s" in sanitize) later=$((later + 60)) ;; perf) later=$((later + 120)) ;; esac
      fi
      [ "$s" = "$1" ] && after=1
    done
  fi
  held=$later
  "step_$1"
  held=0
}

# run NAME CAP_S CMD...: runs CMD under timeout min(CAP_S, time left), output to logs/NAME.log.
# Sets RC (124: timed out) and SECS. Returns 0 when it ran, 1 when no time was left.
run() {
  local name=$1 cap=$2
  shift 2
  local limit
  limit=$(left)
  [ "$limit" -gt "$cap" ] && limit=$cap
  if [ "$limit" -lt 5 ]; then RC=-1; SECS=0; return 1; fi
  local t0
  t0=$(date +%s)
  timeout --kill-after=5 "$limit" "$@" > "$logs/$name.log" 2>&1
  RC=$?
  [ "$RC" -eq 137 ] && RC=124
  SECS=$(( $(date +%s) - t0 ))
  LIMIT=$limit
  return 0
}
# outcome NAME: one word for the last run (ok, failed (rc N), timed out after N s).
outcome() { if [ "$RC" -eq 0 ]; then echo ok; elif [ "$RC" -eq 124 ]; then echo "timed out after ${LIMIT} s"; else echo "failed (rc $RC)"; fi; }

source "$root/scripts/gpu-check-steps.sh"

for name in setup info tests sanitize perf cudnn baseline; do step "$name"; done

elapsed=$(( $(date +%s) - start ))
tar -C "$work" -czf "$out/logs.tar.gz" logs rows.tsv 2>/dev/null
python3 "$root/scripts/gpu_check_summary.py" --rows "$rows" --results "$out/anchors.json" \
  --torch "$logs/torch.log" --burst "$logs/burst-gemm.json" --burst "$logs/burst-attention.json" --elapsed "$elapsed" --budget "$budget" --out "$out/summary.md" \
  || { echo "gpu-check: summary failed"; cat "$rows"; }
rm -rf "$work"
