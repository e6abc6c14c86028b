#!/usr/bin/env bash
# Builds the GPU kit here and packs it for the GPU machine (scripts/gpu-check.sh unpacks it
# there): the `gpu-kit` CMake preset (Release, sm_90 only, no MPI, no microbench) builds gpuqual
# and gq_gpu_tests into build-gpu/, and this script writes
#
#   .device-carry/gpuqual-kit.tar.xz      (git-ignored; name `.device-carry` in the device call's carry)
#     bin/gpuqual, bin/gq_gpu_tests       stripped; rpath $ORIGIN/../lib
#     lib/                                 the shared libraries they need that are neither glibc,
#                                          libstdc++/libgcc (the GPU machine's are newer) nor
#                                          CUDA's (cuBLASLt, cuDNN, NCCL, cudart: found on the GPU
#                                          machine by gpu-check.sh), e.g. OpenBLAS and libgfortran
#     share/gpuqual/{suites,baselines,reports}
#     anchors/torch_anchors.py             copied from ../shared/anchors (the device call carries
#                                          only this repository)
#     MANIFEST                             git revision, build date, CUDA version, file sizes
#
# The archive must stay well under the 64 MiB a device call carries with the working tree; the
# script fails above 40 MiB. Usage: scripts/gpu-pack.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "gpu-pack: unknown argument '$arg' (expected --no-build)" >&2; exit 2 ;;
  esac
done

build_dir=build-gpu
if [ "$build" = 1 ]; then
  cmake --preset gpu-kit >/dev/null
  cmake --build --preset gpu-kit -j "${GQ_JOBS:-$(nproc)}"
fi
for exe in "$build_dir/app/gpuqual" "$build_dir/tests/gq_gpu_tests"; do
  [ -x "$exe" ] || { echo "gpu-pack: $exe is missing (build the gpu-kit preset first)" >&2; exit 2; }
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
kit="$stage/gpuqual-kit"
mkdir -p "$kit/bin" "$kit/lib" "$kit/share/gpuqual" "$kit/anchors"
for exe in "$build_dir/app/gpuqual" "$build_dir/tests/gq_gpu_tests"; do
  strip -o "$kit/bin/$(basename "$exe")" "$exe"
done

# Shared libraries to carry: everything ldd resolves except the C runtime, the C++ runtime and
# CUDA's own libraries (the GPU machine has those, at other paths).
skip='^(linux-vdso|ld-linux|libc\.|libm\.|libdl\.|librt\.|libpthread\.|libstdc\+\+|libgcc_s|libcuda\.|libcudart|libcublas|libcublasLt|libcudnn|libnccl|libcurand|libnvrtc|libnvJitLink)'
for exe in "$kit"/bin/*; do
  ldd "$exe" | awk '$3 ~ /^\// {print $1, $3}'
done | sort -u | while read -r name path; do
  if ! [[ "$name" =~ $skip ]]; then cp -L "$path" "$kit/lib/$name"; fi
done

# Build dependencies for the fallback (gpu-check.sh builds on the GPU machine when the binaries do
# not start there, and nothing can be installed there): the header-only libraries, GoogleTest and
# OpenBLAS's headers with their CMake configs, cuDNN's and NCCL's headers, laid out as under /usr
# so the configs find their files; gpu-check.sh passes CMAKE_PREFIX_PATH=deps.
deps="$kit/deps"
copy_dep() {  # copy_dep PATH...: /usr/X -> deps/X
  local p
  for p in "$@"; do
    [ -e "$p" ] || continue
    mkdir -p "$deps/$(dirname "${p#/usr/}")"
    cp -rL "$p" "$deps/${p#/usr/}"
  done
}
copy_dep /usr/include/nlohmann /usr/share/cmake/nlohmann_json /usr/include/CLI /usr/share/cmake/CLI11 \
  /usr/include/gtest /usr/include/gmock /usr/lib/x86_64-linux-gnu/cmake/GTest \
  /usr/lib/x86_64-linux-gnu/libgtest.a /usr/lib/x86_64-linux-gnu/libgtest_main.a \
  /usr/lib/x86_64-linux-gnu/libgmock.a /usr/lib/x86_64-linux-gnu/libgmock_main.a
mkdir -p "$deps/include/openblas-pthread" "$deps/lib"
cp /usr/include/x86_64-linux-gnu/openblas-pthread/*.h "$deps/include/openblas-pthread/"
[ -e "$kit/lib/libopenblas.so.0" ] && ln -s ../../lib/libopenblas.so.0 "$deps/lib/libopenblas.so"
cp /usr/local/cuda/include/cudnn*.h /usr/local/cuda/include/nccl*.h "$deps/include/" 2>/dev/null || true

cp -r suites baselines "$kit/share/gpuqual/"
mkdir -p "$kit/share/gpuqual/reports"
cp -r reports/gpuqual_reports "$kit/share/gpuqual/reports/"
find "$kit/share" -name '__pycache__' -prune -exec rm -rf {} +
anchors=../shared/anchors/torch_anchors.py
if [ -f "$anchors" ]; then
  cp "$anchors" "$kit/anchors/"
else
  echo "gpu-pack: warning: $anchors not found; the kit will have no PyTorch anchors" >&2
fi

{
  echo "gpuqual GPU kit"
  echo "git: $(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
  echo "cuda: $(/usr/local/cuda/bin/nvcc --version 2>/dev/null | tail -1)"
  echo "archs: $(grep -m1 -E '^(GQ_CUDA_ARCHS|CMAKE_CUDA_ARCHITECTURES)[:=]' "$build_dir/CMakeCache.txt" | cut -d= -f2)"
  echo "files:"
  (cd "$kit" && find . -type f -printf '  %P %s\n' | sort)
} > "$kit/MANIFEST"

mkdir -p .device-carry
out=.device-carry/gpuqual-kit.tar.xz
tar -C "$stage" -cf - gpuqual-kit | xz -T "${GQ_JOBS:-$(nproc)}" -6 > "$out.tmp"
mv "$out.tmp" "$out"
bytes=$(stat -c %s "$out")
echo "gpu-pack: $out $((bytes / 1024 / 1024)) MiB ($bytes bytes); carried libraries: $(ls "$kit/lib" | tr '\n' ' ')"
if [ "$bytes" -gt $((40 * 1024 * 1024)) ]; then
  echo "gpu-pack: the kit is over 40 MiB: too close to the device call's 64 MiB" >&2
  exit 1
fi
