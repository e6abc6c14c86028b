# The steps of scripts/gpu-check.sh (sourced by it; uses its run, row, outcome, left and the
# variables root, work, logs, out, dry_run, kit_archive, build_dir). Each step records one or more
# rows (check, result, figure, note) and never exits the script.

gq="" gtests="" have_gpu=0

# Directories that hold the CUDA libraries the binaries load (cuBLASLt, cuDNN, NCCL), on this
# machine: the CUDA toolkit's, then the Python packages that PyTorch installs (nvidia/*/lib).
cuda_library_dirs() {
  local dirs=() d
  for d in /usr/local/cuda/lib64 /usr/local/cuda/lib /usr/local/cuda/targets/x86_64-linux/lib; do
    [ -d "$d" ] && dirs+=("$d")
  done
  local site
  site=$(python3 -c 'import nvidia, os; print("\n".join(nvidia.__path__))' 2>/dev/null)
  for d in $site; do
    for lib in "$d"/*/lib; do [ -d "$lib" ] && dirs+=("$lib"); done
  done
  (IFS=:; echo "${dirs[*]}")
}

# Unpacks the kit and checks that its binaries start; returns 1 when they do not.
use_kit() {
  [ -f "$kit_archive" ] || { row "setup: carried kit" skipped "" "no $kit_archive (make it with scripts/gpu-pack.sh)"; return 1; }
  mkdir -p "$work/kit"
  if ! tar -C "$work/kit" -xJf "$kit_archive" 2> "$logs/setup-unpack.log"; then
    row "setup: carried kit" failed "" "cannot unpack $kit_archive"; return 1
  fi
  local kit="$work/kit/gpuqual-kit"
  export LD_LIBRARY_PATH="$kit/lib:$(cuda_library_dirs)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  ldd "$kit/bin/gpuqual" "$kit/bin/gq_gpu_tests" > "$logs/setup-ldd.log" 2>&1
  local missing
  missing=$(grep "not found" "$logs/setup-ldd.log" | awk '{print $1}' | sort -u | tr '\n' ' ')
  if [ -n "$missing" ] || ! "$kit/bin/gpuqual" --version > "$logs/setup-version.log" 2>&1; then
    row "setup: carried kit" failed "" "does not start here: ${missing:-gpuqual --version failed} (see setup-ldd.log)"
    return 1
  fi
  gq="$kit/bin/gpuqual" gtests="$kit/bin/gq_gpu_tests"
  row "setup: carried kit" ok "$(head -1 "$logs/setup-version.log")" "$(sed -n 2p "$kit/MANIFEST")"
}

# Builds the gpu-kit preset here with every core (the slow way: several minutes of the budget).
build_here() {
  local deps="$work/kit/gpuqual-kit/deps" extra=()
  [ -d "$deps" ] && extra+=("-DCMAKE_PREFIX_PATH=$deps")
  local lib
  for lib in libcudnn.so.9 libnccl.so.2; do
    local found
    found=$(IFS=:; for d in $(cuda_library_dirs); do [ -e "$d/$lib" ] && { echo "$d/$lib"; break; }; done)
    [ -n "$found" ] && case "$lib" in
      libcudnn*) extra+=("-DGQ_CUDNN_LIBRARY=$found") ;;
      libnccl*) extra+=("-DGQ_NCCL_LIBRARY=$found") ;;
    esac
  done
  run setup-build 300 bash -c "cmake --preset gpu-kit ${extra[*]} && cmake --build --preset gpu-kit -j $(nproc)"
  if [ "$RC" -ne 0 ]; then
    row "setup: build here" "$(outcome)" "" "see setup-build.log"; return 1
  fi
  gq="$root/build-gpu/app/gpuqual" gtests="$root/build-gpu/tests/gq_gpu_tests"
  row "setup: build here" ok "${SECS} s" "built with $(nproc) cores"
}

step_setup() {
  if [ "$dry_run" = 1 ]; then
    local dir="${build_dir:-build}"
    gq="$root/$dir/app/gpuqual" gtests="$root/$dir/tests/gq_gpu_tests"
    if [ -x "$gq" ] && [ -x "$gtests" ]; then
      row "setup: dry run" ok "$("$gq" --version 2>&1 | head -1)" "local build $dir/ (no kit, no GPU expected)"
    else
      row "setup: dry run" failed "" "$dir/ has no gpuqual or gq_gpu_tests: build first"
    fi
  elif [ -n "$build_dir" ]; then
    gq="$root/$build_dir/app/gpuqual" gtests="$root/$build_dir/tests/gq_gpu_tests"
    row "setup: build dir" ok "$build_dir" ""
  else
    use_kit || build_here
  fi
  [ -x "$gq" ] || gq=""
  [ -x "$gtests" ] || gtests=""
  [ -n "$gq" ] && export GQ_SUITES_DIR="$root/suites" GQ_BASELINES_DIR="$root/baselines" GQ_REPORTS_DIR="$root/reports"
  return 0
}

step_info() {
  if command -v nvidia-smi > /dev/null && run nvidia-smi 20 nvidia-smi; then
    local gpu
    gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,power.limit --format=csv,noheader 2>/dev/null | head -1)
    row "info: nvidia-smi" "$(outcome)" "$gpu"
  else
    row "info: nvidia-smi" skipped "" "nvidia-smi not found (no NVIDIA driver here)"
  fi
  [ -n "$gq" ] || { row "info: gpuqual info" skipped "" "no gpuqual binary"; return 0; }
  run info 30 "$gq" info --json
  cp "$logs/info.log" "$out/info.json" 2>/dev/null
  local count
  count=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d.get("devices") or []))' "$logs/info.log" 2>/dev/null || echo 0)
  [ "$count" -gt 0 ] 2>/dev/null && have_gpu=1
  row "info: gpuqual info" "$(outcome)" "$count CUDA device(s)" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("; ".join((x.get("name","?")+" sku "+(x.get("sku") or "unknown")) for x in d.get("devices") or []))' "$logs/info.log" 2>/dev/null)"
}

# "rc N", with the signal's name when N is 128 + a signal number (139: "rc 139, SIGSEGV").
rc_text() {
  local text="rc $1" sig
  if [ "$1" -gt 128 ] && [ "$1" -lt 160 ] && sig=$(kill -l $(( $1 - 128 )) 2>/dev/null); then text+=", SIG$sig"; fi
  echo "$text"
}

# Runs gq_gpu_tests until every test has ended, hung or crashed (at most 6 processes): each rerun
# leaves out the tests the progress file says ended or timed out, and those a crash stopped in.
# A test that started and never ended counts as failed: the process "crashed in" it, or was
# "killed in" it at the step's time cap (no rerun then). A non-zero exit that no failed test, hang
# or crash explains (gtest exits 1 when a test failed) fails the step with its rc.
step_tests() {
  [ -n "$gtests" ] || { row "tests: gpu GoogleTests" skipped "" "no gq_gpu_tests binary"; return 0; }
  local progress="$logs/gpu-tests.progress" limit=45 attempt exclude="" before last name
  local lost=() lost_rows=() problems=()   # tests with a start and no end; their rows; why the step failed
  : > "$progress"
  [ "$dry_run" = 1 ] && { export GQ_WATCHDOG_SELF_TEST=1; limit=2; }
  for attempt in 1 2 3 4 5 6; do
    before=$(grep -c '^' "$progress")
    if ! run "gpu-tests-$attempt" 100 env GQ_TEST_TIME_LIMIT_S=$limit GQ_TEST_PROGRESS_FILE="$progress" \
        "$gtests" --gtest_filter="*${exclude:+-$exclude}" --gtest_output="xml:$logs/gpu-tests-$attempt.xml"; then
      if [ "$attempt" = 1 ]; then unset GQ_WATCHDOG_SELF_TEST; row "tests: gpu GoogleTests" skipped "" "out of time"; return 0; fi
      problems+=("out of time for rerun $attempt (tests left unrun)"); break
    fi
    # This run's last event: "timeout X" (the watchdog ended a hung test), "start X" (the process
    # died or was killed inside X), else the run ended between tests.
    last=$(tail -n +$((before + 1)) "$progress" | tail -1)
    name=$(echo "$last" | awk '{print $2}')
    case "$last" in
      timeout\ *) ;;
      start\ *)
        lost+=("$name")
        if [ "$RC" -eq 124 ] && [ "$SECS" -ge "$LIMIT" ]; then
          problems+=("killed in $name at the ${LIMIT} s cap")
          lost_rows+=("$name"$'\t'"killed"$'\t'"${LIMIT} s cap"$'\t'"killed in $name at the ${LIMIT} s cap of run $attempt; see gpu-tests-$attempt.log")
          break
        fi
        problems+=("crashed in $name ($(rc_text "$RC"))")
        lost_rows+=("$name"$'\t'"crashed"$'\t'"$(rc_text "$RC")"$'\t'"crashed in $name in run $attempt; see gpu-tests-$attempt.log") ;;
      *)
        if [ "$RC" -eq 124 ] && [ "$SECS" -ge "$LIMIT" ]; then
          problems+=("run $attempt killed between tests at the ${LIMIT} s cap")
        elif [ "$RC" -ne 0 ] && ! { [ "$RC" -eq 1 ] && tail -n +$((before + 1)) "$progress" | grep -q '^end .* failed'; }; then
          problems+=("run $attempt exited with $(rc_text "$RC") outside any test (see gpu-tests-$attempt.log)")
        fi
        break ;;
    esac
    # Rerun without what ended, hung or crashed.
    exclude=$( { awk '$1 == "end" || $1 == "timeout" {print $2}' "$progress"; printf '%s\n' "${lost[@]}"; } | grep -v '^$' | sort -u | paste -sd: -)
  done
  unset GQ_WATCHDOG_SELF_TEST
  cp "$logs/gpu-tests-1.xml" "$out/gpu-tests.xml" 2>/dev/null
  local passed failed skipped hung
  passed=$(grep -c '^end .* passed' "$progress"); failed=$(( $(grep -c '^end .* failed' "$progress") + ${#lost[@]} ))
  skipped=$(grep -c '^end .* skipped' "$progress"); hung=$(grep -c '^timeout' "$progress")
  local result=ok note="" p
  { [ "$failed" -gt 0 ] || [ "$hung" -gt 0 ] || [ "${#problems[@]}" -gt 0 ]; } && result=failed
  for p in "${problems[@]}"; do note+="$p; "; done
  row "tests: gpu GoogleTests" "$result" "$passed passed, $failed failed, $skipped skipped, $hung timed out" \
    "${note}one process per run, ${limit} s per test; $(grep -c '^' "$progress") events"
  local entry r f n
  for entry in "${lost_rows[@]}"; do IFS=$'\t' read -r name r f n <<< "$entry"; row "tests: $name" "$r" "$f" "$n"; done
  grep '^end .* failed' "$progress" | head -10 | while read -r _ name _ secs; do row "tests: $name" failed "${secs%.*} s" "see gpu-tests-*.log"; done
  grep '^timeout' "$progress" | while read -r _ name secs; do row "tests: $name" "timed out" "${secs%.*} s" "watchdog"; done
  local overhead
  overhead=$(grep -h '\[timer overhead\]' "$logs"/gpu-tests-*.log 2>/dev/null | head -1 | sed 's/.*\] //')
  [ -n "$overhead" ] && row "timer: remaining overhead" ok "$overhead" "CudaEventTimerTest"
  return 0
}

# compute-sanitizer over small GPU tests of every kernel family.
step_sanitize() {
  local cs
  cs=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null)
  [ -n "$cs" ] || { row "sanitize" skipped "" "compute-sanitizer not found"; return 0; }
  [ -n "$gtests" ] || { row "sanitize" skipped "" "no gq_gpu_tests binary"; return 0; }
  [ "$have_gpu" = 1 ] || { row "sanitize" skipped "" "no CUDA device visible"; return 0; }
  local flash='Shapes/AttentionFlashTest.MatchesReference/2x8h2kv_q17_kv17_d64_causal_bf16:Shapes/AttentionFlashTest.MatchesReference/1x4h1kv_q129_kv257_d96_causal_bf16:Shapes/AttentionFlashTest.MatchesReference/1x8h8kv_q200_kv17_d64_causal_bf16'
  local decode='AttentionDecodeRaggedTest.*:Shapes/AttentionDecodeTest.MatchesReference/3x8h2kv_q4_kv200_d64_causal_bf16'
  local e2e='E2eKernelsTest.*:E2eCudaTest.DecodeScenarioRepeatsTheSameStep'
  local other='MembwCudaTest.VerifyWithoutRunAndRotationOfSmallBuffers:AllDtypes/GemmCublasLtVerifyTest.RunsAndVerifies/bf16_TN_37x53x61'
  local tool filter cap
  # racecheck without E2eCudaTest: its cuBLASLt kernels alone outran the 45 s cap on the H200
  # (2026-11-30), before the flash and decode kernels, which share memory between warps, ran.
  for spec in "memcheck|$flash:$decode:$e2e:$other|60" "racecheck|$flash:$decode:E2eKernelsTest.*|45" \
              "synccheck|Shapes/AttentionFlashTest.MatchesReference/1x4h1kv_q129_kv257_d96_causal_bf16|25"; do
    IFS='|' read -r tool filter cap <<< "$spec"
    if ! run "sanitize-$tool" "$cap" "$cs" --tool "$tool" --error-exitcode 9 --print-limit 20 \
        "$gtests" --gtest_filter="$filter"; then
      row "sanitize: $tool" skipped "" "out of time"; continue
    fi
    local summary
    summary=$(grep -ho 'ERROR SUMMARY: [0-9]* error[s]*\|RACECHECK SUMMARY: [0-9]* hazard[s]*[^$]*' "$logs/sanitize-$tool.log" | tail -1)
    local result
    if [ "$RC" -eq 0 ]; then result=ok; elif [ "$RC" -eq 9 ]; then result="errors found"; else result=$(outcome); fi
    row "sanitize: $tool" "$result" "${summary:-no summary line}" "$(grep -c '^\[       OK \]' "$logs/sanitize-$tool.log") test(s) passed under the tool"
  done
}

step_perf() {
  [ "$have_gpu" = 1 ] || { row "perf: gpuqual anchors" skipped "" "no CUDA device visible"; row "perf: torch anchors" skipped "" "no CUDA device visible"; return 0; }
  if run anchors 90 "$gq" run --suite anchors --device cuda:0 --max-time 3 --min-time 0.5 --warmup 0.3 \
      -o "$out/anchors.json"; then
    row "perf: gpuqual anchors" "$(outcome)" "$(grep -o '[0-9]* case(s):.*' "$logs/anchors.log" | tail -1)" "${SECS} s"
  else
    row "perf: gpuqual anchors" skipped "" "out of time"
  fi
  # The GEMM and attention anchors once more, timed as torch_anchors.py times them: a few
  # milliseconds of warm-up, then about 25 calls (GEMM) or 15 (attention). On the H200 the sustained
  # figures above ran power-capped (SM clock 1410-1680 MHz) while torch's bursts did not; these rows
  # compare like with like. Their files travel in logs.tar.gz.
  local burst=(--device cuda:0 --min-samples 10 --min-time 0.03 --max-time 0.05 --warmup 0.01 -q)
  local name axes
  for name in gemm attention; do  # one row each: a failed GEMM burst is not hidden by attention's
    case "$name" in
      gemm) axes=(-a dtype=bf16,fp8_e4m3 -a m=8192 -a n=8192 -a k=8192) ;;
      attention) axes=(-a backend=native,cudnn -a batch=1 -a heads=16 -a seq_q=16384 -a head_dim=128 -a causal=false) ;;
    esac
    if run "burst-$name" 30 "$gq" run "$name" "${axes[@]}" "${burst[@]}" -o "$logs/burst-$name.json"; then
      row "perf: gpuqual $name burst" "$(outcome)" "" "--max-time 0.05; burst-$name.log"
    else
      row "perf: gpuqual $name burst" skipped "" "out of time"
    fi
  done
  local anchors="$work/kit/gpuqual-kit/anchors/torch_anchors.py"
  [ -f "$anchors" ] || anchors="$root/../shared/anchors/torch_anchors.py"
  if [ ! -f "$anchors" ]; then
    row "perf: torch anchors" skipped "" "torch_anchors.py not carried"
  elif ! python3 -c 'import torch; assert torch.cuda.is_available()' 2> "$logs/torch-import.log"; then
    row "perf: torch anchors" skipped "" "python3 has no torch with CUDA"
  elif run torch 80 env PYTHONUNBUFFERED=1 python3 "$anchors" copy gemm attn e2e; then
    row "perf: torch anchors" "$(outcome)" "$(head -1 "$logs/torch.log")" "${SECS} s"
  else
    row "perf: torch anchors" skipped "" "out of time"
  fi
}

# One rerun of a cuDNN attention case the anchors run skipped or failed, with cuDNN's debug log.
step_cudnn() {
  local id=""
  [ -f "$out/anchors.json" ] && id=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
bad = [c for c in d.get("cases", []) if c.get("workload") == "attention" and (c.get("params") or {}).get("backend") == "cudnn" and c.get("status") in ("skipped", "failed")]
print(bad[0]["id"] if bad else "")' "$out/anchors.json" 2>/dev/null)
  [ -n "$id" ] || { row "cudnn: debug rerun" skipped "" "no cuDNN case was skipped or failed"; return 0; }
  local axes=() kv
  for kv in $(echo "$id" | tr '/' ' ' | tail -n +2); do axes+=(-a "$kv"); done
  run cudnn-debug 25 env CUDNN_LOGLEVEL_DBG=3 CUDNN_LOGDEST_DBG="$logs/cudnn-debug.txt" \
    "$gq" run attention "${axes[@]}" --device cuda:0 --max-time 1 -o "$work/cudnn-rerun.json"
  row "cudnn: debug rerun" "$(outcome)" "$id" "cuDNN log: cudnn-debug.txt ($(wc -l < "$logs/cudnn-debug.txt" 2>/dev/null || echo 0) lines) in logs.tar.gz"
}

# The baseline flow of the H200 issue, in what time is left: `--quick-runs` (4) runs of the quick
# suite, each its own process on cuda:0 (the cpu in a dry run) with `--max-time` capped at
# `--quick-max-time` seconds per case; `baseline create` from all finished runs but the last (at
# most 3), named for the SKU the runs found; `qualify` and `compare` of the last run against that
# baseline; an HTML report of them all where python3 has matplotlib. Everything the flow writes goes
# to $out/baseline.tar.gz. A run whose results file is complete and not interrupted counts as
# finished when it ended with rc 0 (all ok), 1 (a case failed) or was killed at its cap while it
# exited; a cut-off or interrupted one does not (baseline create refuses it).
step_baseline() {
  [ -n "$gq" ] || { row "baseline: quick runs" skipped "" "no gpuqual binary"; return 0; }
  local device=cuda:0
  if [ "$have_gpu" != 1 ]; then
    [ "$dry_run" = 1 ] || { row "baseline: quick runs" skipped "" "no CUDA device visible"; return 0; }
    device=cpu
  fi
  local dir="$work/baseline" reserve=100 i finished=()  # reserve: the closing commands' caps, 20+25+25+30
  mkdir -p "$dir"
  # A quick run at --max-time 1 took 86-96 s on the H200 (35 cases); 20 s in a dry run.
  local per_run=90
  [ "$dry_run" = 1 ] && per_run=20
  if [ "$(left)" -lt $(( reserve + per_run * quick_runs )) ]; then
    row "baseline: quick runs" skipped "" "out of time ($(left) s left): run again with --steps setup,info,baseline"
    return 0
  fi
  for i in $(seq 1 "$quick_runs"); do
    # An even share of what is left after the closing commands, for each run still to go.
    local cap=$(( ($(left) - reserve) / (quick_runs - i + 1) ))
    if [ "$cap" -lt 15 ] || ! run "quick-$i" "$cap" "$gq" run --suite quick --device "$device" \
        --max-time "$quick_max_time" --label kit=first-light -o "$dir/quick-$i.json"; then
      row "baseline: quick run $i" skipped "" "out of time"; break
    fi
    local counts
    counts=$(python3 -c 'import collections, json, sys
d = json.load(open(sys.argv[1]))
run = d.get("run") or {}
if not run.get("complete") or run.get("interrupted"): sys.exit(1)
c = collections.Counter(x.get("status", "?") for x in d.get("cases") or [])
print(", ".join(f"{n} {s}" for s, n in sorted(c.items())))' "$dir/quick-$i.json" 2>/dev/null)
    # A run killed at its cap after it wrote every case (on the H200, one finished its file at
    # 96 s of a 97 s cap and was killed while it exited) is finished: its file is whole.
    if { [ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || [ "$RC" -eq 124 ]; } && [ -n "$counts" ]; then
      finished+=("$dir/quick-$i.json")
      local how="rc $RC"
      [ "$RC" -eq 124 ] && how="killed at the ${LIMIT} s cap after writing every case"
      row "baseline: quick run $i" ok "$counts" "$how, ${SECS} s, --max-time $quick_max_time on $device"
    else
      row "baseline: quick run $i" "$(outcome)" "" "results file cut off or interrupted; see quick-$i.log"
    fi
  done
  local n=${#finished[@]}
  if [ "$n" -lt 2 ]; then
    row "baseline: create" skipped "" "$n finished run(s): a baseline and a run to qualify need 2 or more"
    pack_baseline "$dir"; return 0
  fi
  local sources=("${finished[@]:0:$(( n - 1 > 3 ? 3 : n - 1 ))}") candidate="${finished[$((n - 1))]}" sku
  sku=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
skus = sorted({x.get("sku") for x in (d.get("system") or {}).get("devices") or [] if x.get("sku")})
print(skus[0] if skus else "cpu")' "$candidate" 2>/dev/null)
  local baseline="$dir/${sku:-cpu}.json"
  if ! run baseline-create 20 "$gq" baseline create "${sources[@]}" --name "${sku:-cpu}" -o "$baseline"; then
    row "baseline: create" skipped "" "out of time"; pack_baseline "$dir"; return 0
  fi
  row "baseline: create" "$(outcome)" "$(tail -1 "$logs/baseline-create.log" | sed 's/ -> .*//')" \
    "from ${#sources[@]} run(s); ${sku:-cpu}.json in baseline.tar.gz"
  [ "$RC" -eq 0 ] || { pack_baseline "$dir"; return 0; }
  # qualify and compare exit 1 for FAIL / regressed: a verdict, not a failure of the kit.
  if run qualify 25 "$gq" qualify "$candidate" --baseline "$baseline" -o "$dir/qualify.json"; then
    row "baseline: qualify last run" "$(verdict_outcome)" \
      "$(grep -o '^qualify: .*' "$logs/qualify.log" | tail -1)" "rc $RC; every check in qualify.log"
  else
    row "baseline: qualify last run" skipped "" "out of time"
  fi
  if run compare 25 "$gq" compare "$candidate" --baseline "$baseline" --markdown "$dir/compare.md" --json "$dir/compare.json"; then
    row "baseline: compare last run" "$(verdict_outcome)" \
      "rc $RC: $(python3 -c 'import json, sys
c = json.load(open(sys.argv[1])).get("counts") or {}
print(", ".join(f"{n} {v}" for v, n in sorted(c.items())) or "no case compared")' "$dir/compare.json" 2>/dev/null)" \
      "compare.md in baseline.tar.gz"
  else
    row "baseline: compare last run" skipped "" "out of time"
  fi
  if ! "${GQ_PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}" -c 'import matplotlib' 2>/dev/null; then
    row "baseline: report" skipped "" "no python3 with matplotlib here: draw it from baseline.tar.gz with gpuqual report"
  elif run report 30 "$gq" report "${finished[@]}" --baseline "$baseline" -o "$dir/report"; then
    row "baseline: report" "$(outcome)" "$(grep -o '^report: .*' "$logs/report.log" 2>/dev/null | tail -1 | sed "s|$dir/||")" ""
  else
    row "baseline: report" skipped "" "out of time"
  fi
  pack_baseline "$dir"
}

# The result word of a command whose exit 1 is a verdict (FAIL, regressed), not a failure.
verdict_outcome() { if [ "$RC" -eq 0 ] || [ "$RC" -eq 1 ]; then echo ok; else outcome; fi; }

# $out/baseline.tar.gz: the quick runs' results files, the baseline, qualify and compare outputs, the report.
pack_baseline() {
  [ -n "$(ls -A "$1")" ] && tar -C "$(dirname "$1")" -czf "$out/baseline.tar.gz" "$(basename "$1")"
}
