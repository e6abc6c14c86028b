#pragma once
// Exact attention on the host in float64 (DESIGN.md §3, Verify), used by Verify of every backend
// on a sub-problem: seeded query rows of seeded (batch, head) pairs (all keys, all D outputs of
// each row). Pure host code.
//
// Error of one output element, normalised like the GEMM check (gemm_reference.h):
//   err(i, d) = |O(i, d) - ref(i, d)| / sum_j P_ij |V(j, d)|
// where P is the exact softmax row. The denominator bounds |ref| and the rounding error of every
// term P_ij V(j, d), so the ratio has a data-independent bound per dtype (AttentionTolerance).
// A row that attends no key must be exactly 0. A non-finite output never passes.
#include <cstdint>
#include <utility>
#include <vector>

#include "harness/workload.h"
#include "workloads/attention/attention_problem.h"

namespace gq {

// out[d] = sum_{j < visible} P_j v[j][d] with P = softmax(scale * q . k_j) over j < visible,
// bound[d] = sum_j P_j |v[j][d]|, all in float64. k and v hold rows of head_dim values (row j at
// j * head_dim). visible == 0 gives out = bound = 0.
void AttentionRowReference(const float* q, const float* k, const float* v, int64_t visible,
                           int64_t head_dim, double scale, double* out, double* bound);

// Tolerance on err for each dtype (reasoning in attention_reference.cc).
double AttentionTolerance(Dtype dtype);

// Where the data of the checked sub-problem comes from (host copies of a backend's tensors).
class AttentionTensorSource {
 public:
  virtual ~AttentionTensorSource() = default;
  // K and V of (batch b, kv head g): seq_kv rows of head_dim floats each, row j at j * head_dim.
  virtual void KvHead(int64_t b, int64_t g, std::vector<float>* k, std::vector<float>* v) = 0;
  // Query row and output row (b, i, h): head_dim floats each (the output as the backend wrote it).
  virtual void QRow(int64_t b, int64_t i, int64_t h, float* q) = 0;
  virtual void ORow(int64_t b, int64_t i, int64_t h, float* o) = 0;
};

struct AttentionSample {
  int64_t b = 0, h = 0;
  std::vector<int64_t> rows;  // query rows i checked for this (b, h), ascending
};

// Query tiles of the coverage part of the plan: a kernel's thread block computes 64 to 128 rows
// of one (batch, head), so a tile that one faulty SM computed wrong holds a checked row.
inline constexpr int64_t kAttentionVerifyTile = 64;
// Budget of the coverage rows: rows x seq_kv x head_dim at most this (about a second on one core
// at 1 to 1.5 ns a term, as GEMM's kGemmVerifyMaxTerms), and at most kAttentionVerifyMaxRows rows
// (each is read from the device on its own). Every tile up to b x h x seq = 2^18 rows at 2k keys
// of 128 dims (b8 h16 s2048: 4096 of 4096); 1024 of 4096 tiles at b2 h16 s8192.
inline constexpr int64_t kAttentionVerifyTerms = int64_t{1} << 30;
inline constexpr int64_t kAttentionVerifyMaxRows = 4096;

// The rows checked, sorted by (b, h), each sample's rows ascending; deterministic in (problem
// shape, seed):
// - edges: up to 4 (batch, head) pairs (the first, the last, and seeded draws), each with up to
//   `rows_per_head` query rows: the first and last, the rows on both sides of 64-row tile edges
//   near the start, and seeded draws;
// - coverage: one seeded row in each (b, h, 64-row tile), every tile while the budget
//   min(kAttentionVerifyTerms / (seq_kv x head_dim), kAttentionVerifyMaxRows) rows allows, else
//   that many tiles drawn without replacement (none when one row is beyond the budget).
std::vector<AttentionSample> AttentionSamplePlan(const AttentionProblem& problem, uint64_t seed,
                                                 int rows_per_head = 16);
// (tiles the coverage part checks, all (b, h, 64-row) tiles).
std::pair<int64_t, int64_t> AttentionTileCoverage(const AttentionProblem& problem);

// `tolerance` < 0: AttentionTolerance(problem.dtype), for kernels that compute in that dtype; a
// backend that computes in float32 passes kAttentionFloat32Tolerance.
VerifyResult VerifyAttention(const AttentionProblem& problem, AttentionTensorSource& source,
                             uint64_t seed, double tolerance = -1);

// Float32 arithmetic on inputs that are exact in bf16 and fp16 (the cpu backend): only float32
// rounding over seq_kv terms, far below a half-precision kernel's (measured: 2e-7 at 512 keys).
inline constexpr double kAttentionFloat32Tolerance = 1e-4;

}  // namespace gq
