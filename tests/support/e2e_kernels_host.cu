// Host-callable runs of the e2e kernels for the GPU tests (contract in e2e_kernels_host.h):
// upload, one launcher on a fresh stream, synchronise, download. No kernels of its own.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <vector>

#include "harness/gpu/cuda_check.h"
#include "tests/support/e2e_kernel_buffers.cuh"
#include "tests/support/e2e_kernels_host.h"
#include "workloads/e2e/cuda/e2e_kernels.cuh"

namespace gq {

using e2e_internal::Bf16ToFloat;
using e2e_internal::CopyOut;
using e2e_internal::DeviceArray;
using e2e_internal::Download;
using e2e_internal::DownloadBf16;
using e2e_internal::Stream;
using e2e_internal::Upload;
using e2e_internal::UploadBf16;

std::vector<float> E2eInitBf16OnDevice(int64_t n, uint64_t seed, float scale, float offset,
                                       int64_t first) {
  Stream stream;
  DeviceArray<__nv_bfloat16> w(n > 0 ? static_cast<size_t>(n) : 0);
  LaunchInitBf16(w.get(), n, seed, scale, offset, stream.get());
  const int64_t count = n > first && first >= 0 ? n - first : 0;
  return Bf16ToFloat(
      CopyOut(w.get() + (count > 0 ? first : 0), static_cast<size_t>(count), stream.get()));
}

std::vector<int> E2eFillPromptOnDevice(std::vector<int> tokens, int batch, int max_seq, int len,
                                       int vocab, uint64_t seed) {
  Stream stream;
  DeviceArray<int> d = Upload(tokens, stream.get());
  LaunchFillPrompt(d.get(), batch, max_seq, len, vocab, seed, stream.get());
  return Download(d, stream.get());
}

std::vector<float> E2eEmbedOnDevice(const std::vector<float>& table, int hidden,
                                    const std::vector<int>& tokens, int max_seq, E2eRows rows,
                                    const std::vector<int>& pos) {
  Stream stream;
  DeviceArray<__nv_bfloat16> d_table = UploadBf16(table, stream.get());
  DeviceArray<int> d_tokens = Upload(tokens, stream.get()), d_pos = Upload(pos, stream.get());
  rows.pos = d_pos.get();
  DeviceArray<__nv_bfloat16> x(rows.seqs > 0 && rows.len > 0 && hidden > 0
                                   ? static_cast<size_t>(rows.tokens()) * hidden
                                   : 0);
  LaunchEmbed(d_table.get(), hidden, d_tokens.get(), max_seq, rows, x.get(), stream.get());
  return DownloadBf16(x, stream.get());
}

E2eNormResult E2eAddRmsNormOnDevice(const std::vector<float>& x, const std::vector<float>& delta,
                                    const std::vector<float>& gamma, int64_t T, int hidden,
                                    float eps) {
  Stream stream;
  DeviceArray<__nv_bfloat16> d_x = UploadBf16(x, stream.get()),
                             d_delta = UploadBf16(delta, stream.get()),
                             d_gamma = UploadBf16(gamma, stream.get()), d_h(x.size());
  LaunchAddRmsNorm(d_x.get(), d_delta.get(), d_gamma.get(), T, hidden, eps, d_h.get(),
                   stream.get());
  E2eNormResult result;
  result.x = DownloadBf16(d_x, stream.get());
  result.h = DownloadBf16(d_h, stream.get());
  return result;
}

E2eRopeResult E2eRopeStoreOnDevice(const std::vector<float>& qkv, const std::vector<float>& bias,
                                   E2eRows rows, const std::vector<int>& pos, const E2eAttnShape& s,
                                   float theta, const std::vector<float>& k_cache,
                                   const std::vector<float>& v_cache, bool dense_out) {
  Stream stream;
  DeviceArray<__nv_bfloat16> d_qkv = UploadBf16(qkv, stream.get()),
                             d_bias = UploadBf16(bias, stream.get()),
                             d_k_cache = UploadBf16(k_cache, stream.get()),
                             d_v_cache = UploadBf16(v_cache, stream.get());
  DeviceArray<int> d_pos = Upload(pos, stream.get());
  rows.pos = d_pos.get();
  const bool sized =
      rows.seqs > 0 && rows.len > 0 && s.heads > 0 && s.kv_heads > 0 && s.head_dim > 0;
  const size_t T = sized ? static_cast<size_t>(rows.tokens()) : 0;
  DeviceArray<__nv_bfloat16> d_q(T * (sized ? s.heads * s.head_dim : 0));
  const size_t dense = dense_out ? T * (sized ? s.kv_heads * s.head_dim : 0) : 0;
  DeviceArray<__nv_bfloat16> d_k_out(dense), d_v_out(dense);
  LaunchRopeStore(d_qkv.get(), d_bias.get(), rows, s, theta, d_q.get(), d_k_cache.get(),
                  d_v_cache.get(), d_k_out.get(), d_v_out.get(), stream.get());
  E2eRopeResult result;
  result.q = DownloadBf16(d_q, stream.get());
  result.k_cache = DownloadBf16(d_k_cache, stream.get());
  result.v_cache = DownloadBf16(d_v_cache, stream.get());
  result.k_out = DownloadBf16(d_k_out, stream.get());
  result.v_out = DownloadBf16(d_v_out, stream.get());
  return result;
}

std::vector<float> E2eSiluMulOnDevice(const std::vector<float>& gate_up, int64_t T, int ffn) {
  Stream stream;
  DeviceArray<__nv_bfloat16> d_in = UploadBf16(gate_up, stream.get()), d_out(gate_up.size() / 2);
  LaunchSiluMul(d_in.get(), T, ffn, d_out.get(), stream.get());
  return DownloadBf16(d_out, stream.get());
}

std::vector<float> E2eSelectLastRowsOnDevice(const std::vector<float>& h, E2eRows rows,
                                             int hidden) {
  Stream stream;
  DeviceArray<__nv_bfloat16> d_h = UploadBf16(h, stream.get());
  DeviceArray<__nv_bfloat16> d_out(rows.seqs > 0 && hidden > 0 ? size_t(rows.seqs) * hidden : 0);
  LaunchSelectLastRows(d_h.get(), rows, hidden, d_out.get(), stream.get());
  return DownloadBf16(d_out, stream.get());
}

std::vector<E2eArgmax> E2eArgmaxRowsOnDevice(const std::vector<float>& logits, int rows,
                                             int vocab_local, int vocab_offset) {
  Stream stream;
  DeviceArray<float> d_logits = Upload(logits, stream.get());
  DeviceArray<E2eArgmax> d_out(rows > 0 ? static_cast<size_t>(rows) : 0);
  LaunchArgmaxRows(d_logits.get(), rows, vocab_local, vocab_offset, d_out.get(), stream.get());
  return Download(d_out, stream.get());
}

E2eSampleResult E2eFinishSampleOnDevice(const std::vector<E2eArgmax>& gathered, int ranks,
                                        E2eRows rows, const std::vector<int>& tokens, int max_seq,
                                        const std::vector<int>& pos, const std::vector<int>& kv_len,
                                        bool rows_pos_is_pos) {
  Stream stream;
  DeviceArray<E2eArgmax> d_gathered = Upload(gathered, stream.get());
  DeviceArray<int> d_tokens = Upload(tokens, stream.get()), d_pos = Upload(pos, stream.get()),
                   d_kv_len = Upload(kv_len, stream.get());
  rows.pos = rows_pos_is_pos ? d_pos.get() : nullptr;
  LaunchFinishSample(d_gathered.get(), ranks, rows, d_tokens.get(), max_seq, d_pos.get(),
                     d_kv_len.get(), stream.get());
  E2eSampleResult result;
  result.tokens = Download(d_tokens, stream.get());
  result.pos = Download(d_pos, stream.get());
  result.kv_len = Download(d_kv_len, stream.get());
  return result;
}

}  // namespace gq
