// Device-side state setup (contract in e2e_cuda_weights.cuh): LaunchFillWeight runs
// LaunchInitBf16From (e2e_kernels.cuh) over each run of the plan; set_positions_kernel: one
// thread per sequence.
#include "workloads/e2e/cuda/e2e_cuda_weights.cuh"

#include <stdexcept>

#include "harness/gpu/cuda_check.h"
#include "workloads/e2e/cuda/e2e_kernels.cuh"

namespace gq {
namespace {

__global__ void set_positions_kernel(int* pos, int* kv_len, int batch, int position) {
  for (int b = blockIdx.x * blockDim.x + threadIdx.x; b < batch; b += gridDim.x * blockDim.x) {
    pos[b] = position;
    kv_len[b] = position + 1;
  }
}

}  // namespace

void LaunchSetPositions(int* pos, int* kv_len, int batch, int position, cudaStream_t stream) {
  if (batch < 1) throw std::invalid_argument("LaunchSetPositions: batch < 1");
  set_positions_kernel<<<(batch + 255) / 256, 256, 0, stream>>>(pos, kv_len, batch, position);
  GQ_CUDA_CHECK(cudaGetLastError());
}

void LaunchFillWeight(__nv_bfloat16* dst, const E2eTensorPlan& plan, cudaStream_t stream) {
  for (const E2eFill& f : plan.fills) {
    if (f.count > 0) LaunchInitBf16From(dst + f.dest, f.count, f.seed, f.first_index, f.scale, f.offset, stream);
  }
}

}  // namespace gq
