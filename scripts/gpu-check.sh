#!/usr/bin/env bash
# On a GPU machine: builds with all cores, runs the `gpu` test label, a short GEMM run per dtype,
# the end-to-end decode and prefill figures of ANCHORS.md and, when GQ_TORCH_ANCHORS names
# torch_anchors.py, the PyTorch anchors in the same call so the figures compare on one GPU. Logs and result files go to $GQ_OUT when set.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${GQ_OUT:-gpu-check-out}"
mkdir -p "$out"
build_dir="${GQ_BUILD_DIR:-build}"
status=0

nvidia-smi > "$out/nvidia-smi.txt" 2>&1 || true
if ! GQ_JOBS="${GQ_JOBS:-$(nproc)}" scripts/build.sh "$@" > "$out/build.log" 2>&1; then
  tail -50 "$out/build.log"; echo "gpu-check: build failed"; exit 1
fi
gq="$build_dir/harness/cli/gpuqual"
"$gq" info | tee "$out/info.txt"

ctest --test-dir "$build_dir" -L gpu --output-on-failure > "$out/ctest-gpu.log" 2>&1 || status=1
tail -5 "$out/ctest-gpu.log"
ctest --test-dir "$build_dir" -LE gpu -j "$(nproc)" > "$out/ctest-host.log" 2>&1 || status=1
tail -3 "$out/ctest-host.log"

"$gq" run gemm --device cuda:0 -a dtype=bf16,fp16,fp8_e4m3,tf32,fp32 -a m=8192 -a n=8192 -a k=8192 \
  -o "$out/gemm.json" 2>&1 | tee "$out/gemm.log" || status=1
# ANCHORS.md's end-to-end figures: HBM copy first (the decode roofline's measured bandwidth), then
# Llama-3-8B decode steps at context 1024 and the prefills.
"$gq" run membw e2e --device cuda:0 -a op=copy -a size=1G -a model=llama-3-8b -a scenario=decode \
  -a batch=1,8,32,64,128 -a input_len=1024 -o "$out/e2e-decode.json" 2>&1 | tee "$out/e2e-decode.log" || status=1
"$gq" run e2e --device cuda:0 -a model=llama-3-8b -a scenario=prefill -a batch=1,4 -a input_len=2048 \
  -o "$out/e2e-prefill.json" 2>&1 | tee "$out/e2e-prefill.log" || status=1

if [ -n "${GQ_TORCH_ANCHORS:-}" ]; then
  python3 "$GQ_TORCH_ANCHORS" gemm e2e > "$out/torch-anchors.log" 2>&1 || status=1
  tail -30 "$out/torch-anchors.log"
fi
echo "gpu-check: $([ $status -eq 0 ] && echo passed || echo FAILED) (logs in $out)"
exit $status
