// Device-side state setup (contract in e2e_cuda_weights.cuh).
// fill_weight_kernel: one grid-stride loop per run of the plan; element i of the run ->
// dst[dest + i] = bf16(E2eInitValue(seed, first_index + i, ...)), already a bf16 number, so the
// conversion is exact. set_positions_kernel: one thread per sequence.
#include "workloads/e2e/e2e_cuda_weights.cuh"

#include <algorithm>
#include <stdexcept>

#include "harness/cuda_check.h"
#include "workloads/e2e/e2e_init.h"

namespace gq {
namespace {

__global__ void fill_weight_kernel(__nv_bfloat16* dst, int64_t count, uint64_t seed,
                                   uint64_t first_index, float scale, float offset) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride) {
    dst[i] = __float2bfloat16(E2eInitValue(seed, first_index + uint64_t(i), scale, offset));
  }
}

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
  constexpr int kThreads = 256;
  for (const E2eFill& f : plan.fills) {
    if (f.count <= 0) continue;
    const int64_t blocks = std::min<int64_t>((f.count + kThreads - 1) / kThreads, 65536);
    fill_weight_kernel<<<static_cast<unsigned>(blocks), kThreads, 0, stream>>>(
        dst + f.dest, f.count, f.seed, f.first_index, f.scale, f.offset);
    GQ_CUDA_CHECK(cudaGetLastError());
  }
}

}  // namespace gq
