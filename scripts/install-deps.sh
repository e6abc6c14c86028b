#!/usr/bin/env bash
# Installs the Debian packages gpuqual needs. Idempotent: does nothing when all are present. Needs
# root (or sudo). The CUDA toolkit (nvcc, cuBLASLt, cuDNN, NCCL) is not a Debian package here:
# install it from NVIDIA; without it gpuqual builds the cpu backend only.
#   scripts/install-deps.sh          what building and running gpuqual needs (the quick start;
#                                    help2man makes the man page, optional)
#   scripts/install-deps.sh --test   that, plus what the tests need: GoogleTest, pytest, clang
#                                    (the sanitizer build and the fuzzers), Chromium and
#                                    poppler-utils (the report checks in a headless browser, the
#                                    PDF's text), Google Benchmark's compare.py with scipy
#                                    (libbenchmark-tools), tmux (the progress recording)
set -euo pipefail

runtime=(
  build-essential cmake ninja-build git pkg-config
  nlohmann-json3-dev libcli11-dev libbenchmark-dev libopenblas-dev libopenmpi-dev openmpi-bin
  libsqlite3-dev
  python3 python3-matplotlib python3-numpy python3-jsonschema help2man
)
testing=(libgtest-dev libgmock-dev python3-pytest python3-yaml clang chromium libbenchmark-tools python3-scipy tmux poppler-utils)

packages=("${runtime[@]}")
case "${1:-}" in
  "") ;;
  --test) packages+=("${testing[@]}") ;;
  *) echo "install-deps: unknown argument '$1' (expected --test or nothing)" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
