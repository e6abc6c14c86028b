// Init, prompt, embedding and last-row kernels of the e2e workload (launchers declared in
// e2e_kernels.cuh, host twins in e2e_cpu_ops.h).
//
//   init_bf16_kernel      w[i] = bf16(E2eInitValue(seed, first + i, scale, offset)), i < n, grid-stride
//                         with 64-bit i; the host's value bit for bit (see e2e_init.h).
//   fill_prompt_kernel    element e < batch * len: b = e / len, p = e % len,
//                         tokens[b * max_seq + p] = E2ePromptToken(seed, b, p, vocab)
//   embed_kernel          block t = one token row [hidden]: (b, p) of row t, token =
//                         tokens[b * max_seq + p], x[t, :] = table[token, :]
//   select_last_kernel    block s: out[s, :] = h[s * len + len - 1, :]
// The row copies move Bf16Pack<kN>: kN = 8 (16 bytes) when hidden % 8 == 0 and every pointer is
// 16-byte aligned, else kN = 1; thread j of a block copies packs j, j + blockDim.x, ...
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <climits>
#include <cstdint>

#include "harness/gpu/cuda_check.h"
#include "workloads/e2e/cuda/e2e_kernel_util.cuh"
#include "workloads/e2e/cuda/e2e_kernels.cuh"
#include "workloads/e2e/model/e2e_init.h"
#include "workloads/e2e/model/e2e_rows.h"  // E2eRowSeq, E2eRowPos

namespace gq {
namespace {

using e2e_internal::Aligned16;
using e2e_internal::Bf16Pack;
using e2e_internal::E2eRequire;
using e2e_internal::RowThreads;

constexpr int kElementwiseThreads = 256;
constexpr int64_t kMaxGridStrideBlocks = 8192;  // 2M threads: every SM full, then stride
constexpr int kCopyThreads = 256;

int GridStrideBlocks(int64_t n) {
  return static_cast<int>(
      std::min<int64_t>((n + kElementwiseThreads - 1) / kElementwiseThreads, kMaxGridStrideBlocks));
}

__global__ void init_bf16_kernel(__nv_bfloat16* __restrict__ w, int64_t n, uint64_t seed,
                                 uint64_t first, float scale, float offset) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride) {
    w[i] = __float2bfloat16_rn(E2eInitValue(seed, first + static_cast<uint64_t>(i), scale, offset));
  }
}

__global__ void fill_prompt_kernel(int* __restrict__ tokens, int max_seq, int len, int vocab,
                                   uint64_t seed, int64_t count) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t e = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; e < count;
       e += stride) {
    const int b = static_cast<int>(e / len), p = static_cast<int>(e % len);
    tokens[static_cast<int64_t>(b) * max_seq + p] = E2ePromptToken(seed, b, p, vocab);
  }
}

template <int kN>
__device__ __forceinline__ void CopyRow(__nv_bfloat16* __restrict__ dst,
                                        const __nv_bfloat16* __restrict__ src, int hidden) {
  using Pack = Bf16Pack<kN>;
  const int packs = hidden / kN;
  for (int v = threadIdx.x; v < packs; v += blockDim.x) {
    reinterpret_cast<Pack*>(dst)[v] = reinterpret_cast<const Pack*>(src)[v];
  }
}

template <int kN>
__global__ void embed_kernel(const __nv_bfloat16* __restrict__ table, int hidden,
                             const int* __restrict__ tokens, int max_seq, E2eRows rows,
                             __nv_bfloat16* __restrict__ x) {
  const int64_t t = blockIdx.x;
  const int b = E2eRowSeq(rows, t), p = E2eRowPos(rows, t);
  if (p < 0 || p >= max_seq) return;  // a bad position reads no token
  const int token = tokens[static_cast<int64_t>(b) * max_seq + p];
  CopyRow<kN>(x + t * hidden, table + static_cast<int64_t>(token) * hidden, hidden);
}

template <int kN>
__global__ void select_last_kernel(const __nv_bfloat16* __restrict__ h, int len, int hidden,
                                   __nv_bfloat16* __restrict__ out) {
  const int64_t s = blockIdx.x;
  CopyRow<kN>(out + s * hidden, h + (s * len + len - 1) * hidden, hidden);
}

}  // namespace

void LaunchInitBf16(__nv_bfloat16* w, int64_t n, uint64_t seed, float scale, float offset,
                    cudaStream_t stream) {
  LaunchInitBf16From(w, n, seed, 0, scale, offset, stream);
}

void LaunchInitBf16From(__nv_bfloat16* w, int64_t n, uint64_t seed, uint64_t first, float scale,
                        float offset, cudaStream_t stream) {
  E2eRequire(w != nullptr && n > 0, "LaunchInitBf16", "needs a tensor and n > 0");
  init_bf16_kernel<<<GridStrideBlocks(n), kElementwiseThreads, 0, stream>>>(w, n, seed, first,
                                                                            scale, offset);
  GQ_CUDA_CHECK(cudaGetLastError());
}

void LaunchFillPrompt(int* tokens, int batch, int max_seq, int len, int vocab, uint64_t seed,
                      cudaStream_t stream) {
  const char* op = "LaunchFillPrompt";
  E2eRequire(tokens != nullptr && batch > 0 && vocab > 0, op,
             "needs tokens, batch > 0 and vocab > 0");
  E2eRequire(len > 0 && len <= max_seq, op, "needs 0 < len <= max_seq");
  const int64_t count = static_cast<int64_t>(batch) * len;
  fill_prompt_kernel<<<GridStrideBlocks(count), kElementwiseThreads, 0, stream>>>(
      tokens, max_seq, len, vocab, seed, count);
  GQ_CUDA_CHECK(cudaGetLastError());
}

void LaunchEmbed(const __nv_bfloat16* table, int hidden, const int* tokens, int max_seq,
                 const E2eRows& rows, __nv_bfloat16* x, cudaStream_t stream) {
  const char* op = "LaunchEmbed";
  E2eRequire(table != nullptr && tokens != nullptr && x != nullptr, op, "null pointer");
  E2eRequire(hidden > 0 && max_seq > 0, op, "needs hidden > 0 and max_seq > 0");
  E2eRequire(rows.seqs > 0 && rows.len > 0 && rows.first_seq >= 0, op,
             "rows need seqs > 0, len > 0 and first_seq >= 0");
  E2eRequire(rows.tokens() <= INT_MAX, op, "more than 2^31 - 1 rows");
  const unsigned blocks = static_cast<unsigned>(rows.tokens());
  if (hidden % 8 == 0 && Aligned16(table) && Aligned16(x)) {
    embed_kernel<8><<<blocks, RowThreads(hidden / 8, kCopyThreads), 0, stream>>>(
        table, hidden, tokens, max_seq, rows, x);
  } else {
    embed_kernel<1><<<blocks, RowThreads(hidden, kCopyThreads), 0, stream>>>(table, hidden, tokens,
                                                                             max_seq, rows, x);
  }
  GQ_CUDA_CHECK(cudaGetLastError());
}

void LaunchSelectLastRows(const __nv_bfloat16* h, const E2eRows& rows, int hidden,
                          __nv_bfloat16* out, cudaStream_t stream) {
  const char* op = "LaunchSelectLastRows";
  E2eRequire(h != nullptr && out != nullptr, op, "null pointer");
  E2eRequire(hidden > 0 && rows.seqs > 0 && rows.len > 0, op,
             "needs hidden > 0, rows.seqs > 0 and rows.len > 0");
  const unsigned blocks = static_cast<unsigned>(rows.seqs);
  if (hidden % 8 == 0 && Aligned16(h) && Aligned16(out)) {
    select_last_kernel<8>
        <<<blocks, RowThreads(hidden / 8, kCopyThreads), 0, stream>>>(h, rows.len, hidden, out);
  } else {
    select_last_kernel<1>
        <<<blocks, RowThreads(hidden, kCopyThreads), 0, stream>>>(h, rows.len, hidden, out);
  }
  GQ_CUDA_CHECK(cudaGetLastError());
}

}  // namespace gq
