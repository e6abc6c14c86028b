#pragma once
// Host-callable runs of the e2e kernels (workloads/e2e/cuda/e2e_kernels.cuh) on plain host data,
// for tests: a .cc file cannot include CUDA headers, so the GPU tests reach the launchers through
// these. Test support (gq_test_support, built with the tests and only with the CUDA backend,
// GQ_WITH_CUDA); implemented in e2e_kernels_host.cu and e2e_kernels_graph_check.cu.
//
// Each function runs on cuda:0: it copies its inputs to new device buffers (float -> bf16,
// round to nearest even, so bf16-representable inputs arrive exactly), runs one launcher on a new
// stream, synchronises and returns the outputs (bf16 -> float, exact). Sizes and rows are passed
// on unchanged, so a bad size throws the launcher's std::invalid_argument; CUDA errors throw
// std::runtime_error. A `pos` vector is uploaded and used as rows.pos (empty: rows.pos = null);
// rows.pos itself is ignored.
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/e2e/model/e2e_rows.h"

namespace gq {

// Elements [first, n) of a tensor of n made by LaunchInitBf16 (first > 0 checks far indices,
// beyond 2^31, without copying the whole tensor back).
std::vector<float> E2eInitBf16OnDevice(int64_t n, uint64_t seed, float scale, float offset,
                                       int64_t first = 0);

// `tokens` is the table's initial content ([batch, max_seq]); returns it after the fill.
std::vector<int> E2eFillPromptOnDevice(std::vector<int> tokens, int batch, int max_seq, int len,
                                       int vocab, uint64_t seed);

std::vector<float> E2eEmbedOnDevice(const std::vector<float>& table, int hidden,
                                    const std::vector<int>& tokens, int max_seq, E2eRows rows,
                                    const std::vector<int>& pos);

struct E2eNormResult {
  std::vector<float> x, h;
};
// Empty delta: null.
E2eNormResult E2eAddRmsNormOnDevice(const std::vector<float>& x, const std::vector<float>& delta,
                                    const std::vector<float>& gamma, int64_t T, int hidden,
                                    float eps);

struct E2eRopeResult {
  std::vector<float> q, k_cache, v_cache, k_out, v_out;  // k_out, v_out empty unless asked for
};
// Empty bias: null. k_cache and v_cache are the caches' initial content.
E2eRopeResult E2eRopeStoreOnDevice(const std::vector<float>& qkv, const std::vector<float>& bias,
                                   E2eRows rows, const std::vector<int>& pos, const E2eAttnShape& s,
                                   float theta, const std::vector<float>& k_cache,
                                   const std::vector<float>& v_cache, bool dense_out);

std::vector<float> E2eSiluMulOnDevice(const std::vector<float>& gate_up, int64_t T, int ffn);

std::vector<float> E2eSelectLastRowsOnDevice(const std::vector<float>& h, E2eRows rows, int hidden);

// logits are fp32 (uploaded as they are, NaN included).
std::vector<E2eArgmax> E2eArgmaxRowsOnDevice(const std::vector<float>& logits, int rows,
                                             int vocab_local, int vocab_offset);

struct E2eSampleResult {
  std::vector<int> tokens, pos, kv_len;
};
// pos and kv_len are the arrays' initial content ([batch] each). rows_pos_is_pos: rows.pos is
// the device copy of `pos` itself (the decode aliasing); else rows.pos = null (prefill).
E2eSampleResult E2eFinishSampleOnDevice(const std::vector<E2eArgmax>& gathered, int ranks,
                                        E2eRows rows, const std::vector<int>& tokens, int max_seq,
                                        const std::vector<int>& pos, const std::vector<int>& kv_len,
                                        bool rows_pos_is_pos);

// Runs one small step's worth of every launcher twice on one stream, directly and captured into
// a CUDA graph (cudaStreamCaptureModeGlobal, which refuses any unsafe call) then replayed, and
// compares every output bit for bit. Returns "" when they agree, else what differed.
std::string E2eGraphCaptureMismatch();

}  // namespace gq
