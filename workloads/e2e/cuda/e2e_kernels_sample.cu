// Greedy-sampling kernels of the e2e workload (launchers declared in e2e_kernels.cuh, host twins
// ArgmaxRowsCpu and FinishSampleCpu in e2e_cpu_ops.h).
//
//   argmax_rows_kernel     block r = logits row r [vocab_local] (fp32). Thread j scans packs
//                          j, j + blockDim.x, ... (kN = 4 floats, one 16-byte load, when
//                          vocab_local % 4 == 0 and logits is 16-byte aligned; else 1) in
//                          increasing column order and keeps (value, column) with a strict
//                          `>`: its lowest column among equal values, never a NaN (NaN > x is
//                          false). It starts at (-inf, INT_MAX), so a thread that saw nothing
//                          above -inf holds the sentinel. The block then takes the best pair by
//                          E2eArgmaxBetter (higher value, then lower column; a total order on
//                          these NaN-free pairs, so the butterfly's result is the same on every
//                          lane) through warp shuffles and a shared array of warp winners. A
//                          row whose result is still the sentinel had nothing above -inf and
//                          reports column 0, as the host does.
//   finish_sample_kernel   thread s < seqs: best over ranks of gathered[r * seqs + s], then the
//                          token, pos and kv_len updates of FinishSampleCpu. Each thread reads
//                          rows.pos[b] before it writes pos[b] and no two threads share a b, so
//                          rows.pos may alias pos.
#include <cuda_runtime.h>

#include <climits>
#include <cmath>
#include <cstdint>

#include "harness/gpu/cuda_check.h"
#include "workloads/e2e/cuda/e2e_kernel_util.cuh"
#include "workloads/e2e/cuda/e2e_kernels.cuh"
#include "workloads/e2e/model/e2e_rows.h"  // E2eArgmaxBetter

namespace gq {
namespace {

using e2e_internal::Aligned16;
using e2e_internal::E2eRequire;
using e2e_internal::RowThreads;

constexpr int kArgmaxMaxThreads = 1024;
constexpr int kFinishThreads = 256;

__device__ __forceinline__ void Consider(float value, int column, E2eArgmax& best) {
  if (value > best.value) best = {value, column};
}

__device__ __forceinline__ E2eArgmax WarpBest(E2eArgmax a) {
  for (int offset = 16; offset > 0; offset /= 2) {
    const E2eArgmax other = {__shfl_xor_sync(0xffffffffu, a.value, offset),
                             __shfl_xor_sync(0xffffffffu, a.index, offset)};
    if (E2eArgmaxBetter(other, a)) a = other;
  }
  return a;
}

template <int kN>
__global__ void argmax_rows_kernel(const float* __restrict__ logits, int vocab_local,
                                   int vocab_offset, E2eArgmax* __restrict__ out) {
  const float* row = logits + static_cast<int64_t>(blockIdx.x) * vocab_local;
  E2eArgmax best = {-INFINITY, INT_MAX};
  const int packs = vocab_local / kN;
  for (int v = threadIdx.x; v < packs; v += blockDim.x) {
    if constexpr (kN == 4) {
      const float4 f = reinterpret_cast<const float4*>(row)[v];
      Consider(f.x, 4 * v, best);
      Consider(f.y, 4 * v + 1, best);
      Consider(f.z, 4 * v + 2, best);
      Consider(f.w, 4 * v + 3, best);
    } else {
      Consider(row[v], v, best);
    }
  }
  __shared__ E2eArgmax warp_best[32];
  best = WarpBest(best);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  if (lane == 0) warp_best[warp] = best;
  __syncthreads();
  if (warp != 0) return;
  best = lane < static_cast<int>(blockDim.x / 32) ? warp_best[lane] : E2eArgmax{-INFINITY, INT_MAX};
  best = WarpBest(best);
  if (lane == 0) {
    out[blockIdx.x] = {best.value, vocab_offset + (best.index == INT_MAX ? 0 : best.index)};
  }
}

__global__ void finish_sample_kernel(const E2eArgmax* __restrict__ gathered, int ranks,
                                     E2eRows rows, int* tokens, int max_seq, int* pos,
                                     int* kv_len) {
  const int s = blockIdx.x * blockDim.x + threadIdx.x;
  if (s >= rows.seqs) return;
  const int b = rows.first_seq + s;
  E2eArgmax best = {-INFINITY, INT_MAX};
  for (int r = 0; r < ranks; ++r) {
    const E2eArgmax candidate = gathered[static_cast<int64_t>(r) * rows.seqs + s];
    if (E2eArgmaxBetter(candidate, best)) best = candidate;
  }
  if (best.index == INT_MAX) best.index = 0;                            // every value NaN
  const int p_last = rows.pos != nullptr ? rows.pos[b] : rows.len - 1;  // before pos[b] changes
  if (p_last + 1 < max_seq) tokens[static_cast<int64_t>(b) * max_seq + p_last + 1] = best.index;
  if (pos != nullptr) pos[b] = p_last + 1;
  if (kv_len != nullptr) kv_len[b] = p_last + 2;
}

}  // namespace

void LaunchArgmaxRows(const float* logits, int rows, int vocab_local, int vocab_offset,
                      E2eArgmax* out, cudaStream_t stream) {
  const char* op = "LaunchArgmaxRows";
  E2eRequire(logits != nullptr && out != nullptr, op, "null pointer");
  E2eRequire(rows > 0 && vocab_local > 0 && vocab_offset >= 0, op,
             "needs rows > 0, vocab_local > 0 and vocab_offset >= 0");
  if (vocab_local % 4 == 0 && Aligned16(logits)) {
    argmax_rows_kernel<4><<<rows, RowThreads(vocab_local / 4, kArgmaxMaxThreads), 0, stream>>>(
        logits, vocab_local, vocab_offset, out);
  } else {
    argmax_rows_kernel<1><<<rows, RowThreads(vocab_local, kArgmaxMaxThreads), 0, stream>>>(
        logits, vocab_local, vocab_offset, out);
  }
  GQ_CUDA_CHECK(cudaGetLastError());
}

void LaunchFinishSample(const E2eArgmax* gathered, int ranks, const E2eRows& rows, int* tokens,
                        int max_seq, int* pos, int* kv_len, cudaStream_t stream) {
  const char* op = "LaunchFinishSample";
  E2eRequire(gathered != nullptr && tokens != nullptr, op, "null pointer");
  E2eRequire(ranks > 0 && max_seq > 0, op, "needs ranks > 0 and max_seq > 0");
  E2eRequire(rows.seqs > 0 && rows.len > 0 && rows.first_seq >= 0, op,
             "rows need seqs > 0, len > 0 and first_seq >= 0");
  const int blocks = (rows.seqs + kFinishThreads - 1) / kFinishThreads;
  finish_sample_kernel<<<blocks, kFinishThreads, 0, stream>>>(gathered, ranks, rows, tokens,
                                                              max_seq, pos, kv_len);
  GQ_CUDA_CHECK(cudaGetLastError());
}

}  // namespace gq
