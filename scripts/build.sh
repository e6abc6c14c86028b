#!/usr/bin/env bash
# Configures and builds gpuqual (Release, Ninja) into ${GQ_BUILD_DIR:-build}. Extra arguments go
# to cmake's configure step (e.g. -DGQ_CUDA=OFF, -DGQ_CUDA_ARCHS=90). Jobs: ${GQ_JOBS:-nproc}.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${GQ_BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build "$build_dir" -j "${GQ_JOBS:-$(nproc)}"
